# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

ACTION_STATES = [
    ("todo", "To Do"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]
OPEN_STATES = ("todo", "in_progress")
ACTIVITY_TYPE = "mail.mail_activity_data_todo"
MANAGER_GROUP = "crm_bsc_scorecard.group_bsc_manager"


class CrmCsfAction(models.Model):
    _name = "crm.csf.action"
    _description = "Action Plan Item of a Critical Success Factor"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "state_rank, date_deadline, sequence, id"
    _check_company_auto = True

    name = fields.Char(string="What", required=True, tracking=True)
    sequence = fields.Integer(default=10)
    csf_id = fields.Many2one(
        "crm.csf",
        string="Success Factor",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
    )
    company_id = fields.Many2one(related="csf_id.company_id", store=True, index=True)
    category_id = fields.Many2one(related="csf_id.category_id", store=True)
    csf_level = fields.Selection(related="csf_id.level", string="Level")
    user_id = fields.Many2one(
        "res.users",
        string="Who",
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
    )
    date_deadline = fields.Date(string="By When", tracking=True, index=True)
    state = fields.Selection(
        ACTION_STATES, required=True, default="todo", tracking=True, copy=False
    )
    state_rank = fields.Integer(compute="_compute_state_rank", store=True)
    date_done = fields.Date(
        string="Completed On",
        copy=False,
        tracking=True,
        help="When the action was completed: the effect is measured before "
        "and after this date.",
    )
    description = fields.Html()
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue", search="_search_is_overdue", string="Overdue"
    )
    color = fields.Integer(compute="_compute_is_overdue", string="Colour")
    indicator_ids = fields.Many2many(
        "crm.bsc.indicator",
        "crm_csf_action_indicator_rel",
        "action_id",
        "indicator_id",
        string="Targeted Indicators",
        help="The indicators this action should move: its effect on them is "
        "measured once it is done.",
    )
    segment_ids = fields.Many2many(
        "crm.customer.segment",
        "crm_csf_action_segment_rel",
        "action_id",
        "segment_id",
        string="Targeted Segments",
        help="The customer segments this action works on. The other segments "
        "are the comparison: what changed in the targeted segments and not "
        "in the others is the action's effect.",
    )

    @api.depends("state")
    def _compute_state_rank(self):
        rank = {code: i for i, (code, _label) in enumerate(ACTION_STATES)}
        for action in self:
            action.state_rank = rank.get(action.state, 0)

    @api.depends("state", "date_deadline")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.is_overdue = bool(
                action.state in OPEN_STATES
                and action.date_deadline
                and action.date_deadline < today
            )
            action.color = 1 if action.is_overdue else 0

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(_("Overdue can only be searched as true or false."))
        today = fields.Date.context_today(self)
        if (operator == "=") != bool(value):
            return [
                "|",
                "|",
                ("state", "not in", OPEN_STATES),
                ("date_deadline", "=", False),
                ("date_deadline", ">=", today),
            ]
        return [("state", "in", OPEN_STATES), ("date_deadline", "<", today)]

    @api.constrains("date_done", "state")
    def _check_date_done(self):
        today = fields.Date.context_today(self)
        for action in self:
            if action.date_done and action.date_done > today:
                raise ValidationError(
                    _(
                        "Action %(name)s: the completion date %(value)s (field "
                        "Completed On) is in the future.",
                        name=action.display_name,
                        value=action.date_done,
                    )
                )

    # ------------------------------------------------------------------
    # Activities of the person who does it
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        actions._sync_activities()
        return actions

    def write(self, vals):
        if "state" in vals and not self.env.su:
            self._check_can_work()
        result = super().write(vals)
        if {"user_id", "date_deadline", "state", "name"} & set(vals):
            self._sync_activities()
        return result

    def _sync_activities(self):
        """The person who does an open action has a to-do activity due when
        the action is, so that an overdue action shows in their activities;
        a closed action has none."""
        for action in self:
            activities = action.activity_ids.filtered(
                lambda a, action=action: (
                    a.activity_type_id == self.env.ref(ACTIVITY_TYPE) and a.automated
                )
            )
            if action.state not in OPEN_STATES or not action.user_id:
                if action.state == "done":
                    activities.action_feedback(feedback=_("Action done."))
                else:
                    activities.unlink()
                continue
            deadline = action.date_deadline or fields.Date.context_today(action)
            if activities:
                activities.write(
                    {
                        "user_id": action.user_id.id,
                        "date_deadline": deadline,
                        "summary": action.name,
                    }
                )
            else:
                action.activity_schedule(
                    ACTIVITY_TYPE,
                    date_deadline=deadline,
                    summary=action.name,
                    user_id=action.user_id.id,
                )

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def _check_can_work(self):
        """The person who does the action, the owner of its factor or a
        scorecard manager."""
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):
            self.check_access("write")
            return
        others = self.filtered(
            lambda a: self.env.user not in (a.user_id | a.csf_id.owner_id)
        )
        if others:
            raise AccessError(
                _(
                    "Only %(user)s, the owner of its success factor or a scorecard "
                    "manager can change the state of the action %(name)s.",
                    user=others[0].user_id.name or _("its assignee"),
                    name=others[0].display_name,
                )
            )
        self.check_access("write")

    def _set_state(self, state, allowed):
        wrong = self.filtered(lambda a: a.state not in allowed)
        if wrong:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                _(
                    "The action %(name)s is %(state)s: it cannot become %(new_state)s.",
                    name=wrong[0].display_name,
                    state=labels[wrong[0].state],
                    new_state=labels[state],
                )
            )
        vals = {"state": state}
        if state == "done":
            for action in self:
                action.write(
                    dict(
                        vals,
                        date_done=action.date_done or fields.Date.context_today(self),
                    )
                )
            return True
        if state in OPEN_STATES:
            vals["date_done"] = False
        self.write(vals)
        return True

    def action_start(self):
        return self._set_state("in_progress", ("todo",))

    def action_done(self):
        return self._set_state("done", OPEN_STATES)

    def action_cancel(self):
        return self._set_state("cancelled", OPEN_STATES)

    def action_reset(self):
        return self._set_state("todo", ("in_progress", "done", "cancelled"))
