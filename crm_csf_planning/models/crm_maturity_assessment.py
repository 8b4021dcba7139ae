# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import maturity as maturity_tools

MANAGER_GROUP = "crm_bsc_scorecard.group_bsc_manager"
ACTIVITY_TYPE = "mail.mail_activity_data_todo"
# fields the chatter and the activities write on any record
FREE_PREFIXES = ("message_", "activity_", "website_message")


def _check_not_done(records, assessments, vals=None):
    """Refuse any change to a done (locked) assessment and its lines,
    ratings and signals."""
    if vals is not None and all(name.startswith(FREE_PREFIXES) for name in vals):
        return
    done = assessments.filtered(lambda a: a.state == "done")
    if done:
        field_name = next(iter(vals), "") if vals else ""
        field = records._fields.get(field_name)
        raise UserError(
            _(
                "The maturity assessment %(name)s is done: it is locked and "
                "cannot change (%(model)s, field %(field)s, value %(value)s).",
                name=done[0].display_name,
                model=records._description,
                field=field._description_string(records.env) if field else "-",
                value=vals[field_name] if vals else "-",
            )
        )


class CrmMaturityAssessment(models.Model):
    _name = "crm.maturity.assessment"
    _description = "CRM Maturity Assessment"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        required=True,
        tracking=True,
        default=lambda self: _(
            "CRM maturity %(date)s", date=fields.Date.context_today(self)
        ),
    )
    date = fields.Date(
        required=True, default=fields.Date.context_today, tracking=True, index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    responsible_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    assessor_ids = fields.Many2many(
        "res.users",
        "crm_maturity_assessment_assessor_rel",
        "assessment_id",
        "user_id",
        string="Assessors",
        domain="[('share', '=', False)]",
        help="Each assessor rates each building block against its rubric.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("in_progress", "In Progress"), ("done", "Done")],
        required=True,
        default="draft",
        tracking=True,
        copy=False,
    )
    date_done = fields.Date(string="Completed On", readonly=True, copy=False)
    line_ids = fields.One2many(
        "crm.maturity.assessment.line", "assessment_id", string="Building Blocks"
    )
    rating_ids = fields.One2many(
        "crm.maturity.rating", "assessment_id", string="Ratings"
    )
    overall_level = fields.Float(
        compute="_compute_overall",
        store=True,
        digits=(16, 2),
        aggregator="avg",
        string="Overall Maturity",
        help="The mean of the blocks' mean ratings.",
    )
    overall_target = fields.Float(
        compute="_compute_overall", store=True, digits=(16, 2)
    )
    flag_count = fields.Integer(
        compute="_compute_overall",
        store=True,
        string="Flags",
        help="Blocks on which the assessors disagree, or the data disagrees with them.",
    )
    previous_id = fields.Many2one(
        "crm.maturity.assessment",
        compute="_compute_previous_id",
        string="Previous Assessment",
    )
    previous_overall = fields.Float(compute="_compute_previous_id", digits=(16, 2))
    radar_data = fields.Json(compute="_compute_radar_data", string="Radar")
    comparison_html = fields.Html(
        compute="_compute_comparison_html", sanitize=False, string="Comparison"
    )
    evidence_date = fields.Datetime(
        string="Evidence Measured On", readonly=True, copy=False
    )
    note = fields.Html()

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends(
        "line_ids.mean_rating",
        "line_ids.target_level",
        "line_ids.wide_spread",
        "line_ids.signal_flag",
    )
    def _compute_overall(self):
        for assessment in self:
            lines = assessment.line_ids
            assessment.overall_level = (
                maturity_tools.overall(
                    [line.mean_rating if line.rating_count else None for line in lines]
                )
                or 0.0
            )
            targets = [line.target_level for line in lines if line.target_level]
            assessment.overall_target = sum(targets) / len(targets) if targets else 0.0
            assessment.flag_count = len(
                lines.filtered(lambda line: line.wide_spread or line.signal_flag)
            )

    @api.depends("date", "company_id")
    def _compute_previous_id(self):
        for assessment in self:
            if not assessment.date:
                assessment.previous_id = False
                assessment.previous_overall = 0.0
                continue
            domain = [
                ("company_id", "=", assessment.company_id.id),
                ("state", "=", "done"),
                "|",
                ("date", "<", assessment.date),
                "&",
                ("date", "=", assessment.date),
                ("id", "<", assessment._origin.id or 0),
            ]
            if assessment._origin.id:
                domain.append(("id", "!=", assessment._origin.id))
            assessment.previous_id = self.search(
                domain, order="date desc, id desc", limit=1
            )
            assessment.previous_overall = assessment.previous_id.overall_level

    def _comparison(self):
        self.ensure_one()
        previous = {
            line.block_id.id: line.mean_rating if line.rating_count else None
            for line in self.previous_id.line_ids
        }
        current = {
            line.block_id.id: line.mean_rating if line.rating_count else None
            for line in self.line_ids
        }
        return maturity_tools.compare(current, previous)

    @api.depends("line_ids.mean_rating", "line_ids.target_level", "previous_id", "date")
    def _compute_radar_data(self):
        for assessment in self:
            lines = assessment.line_ids.sorted(lambda line: (line.sequence, line.id))
            previous = {
                line.block_id.id: line.mean_rating if line.rating_count else None
                for line in assessment.previous_id.line_ids
            }
            assessment.radar_data = {
                "labels": [line.block_id.name for line in lines],
                "current": [
                    round(line.mean_rating, 2) if line.rating_count else None
                    for line in lines
                ],
                "target": [line.target_level or None for line in lines],
                "previous": (
                    [
                        round(previous[line.block_id.id], 2)
                        if previous.get(line.block_id.id) is not None
                        else None
                        for line in lines
                    ]
                    if assessment.previous_id
                    else []
                ),
                "current_label": _("Current (%(date)s)", date=assessment.date or ""),
                "target_label": _("Target"),
                "previous_label": (
                    _("Previous (%(date)s)", date=assessment.previous_id.date)
                    if assessment.previous_id
                    else ""
                ),
            }

    @api.depends("line_ids.mean_rating", "previous_id")
    def _compute_comparison_html(self):
        labels = {
            maturity_tools.UP: _("up"),
            maturity_tools.DOWN: _("down"),
            maturity_tools.SAME: _("unchanged"),
            maturity_tools.NEW: _("not rated before"),
            maturity_tools.UNRATED: _("not rated yet"),
        }
        blocks = self.env["crm.building.block"]
        for assessment in self:
            if not assessment.previous_id:
                assessment.comparison_html = False
                continue
            assessment.comparison_html = self.env["ir.qweb"]._render(
                "crm_csf_planning.assessment_comparison",
                {
                    "assessment": assessment,
                    "movements": [
                        {
                            "block": blocks.browse(move.key),
                            "move": move,
                            "label": labels[move.moved],
                        }
                        for move in assessment._comparison()
                    ],
                    "fmt": lambda number: "" if number is None else f"{number:.2f}",
                    "summary": _(
                        "Compared with %(name)s (%(date)s): overall %(before)s → "
                        "%(after)s.",
                        name=assessment.previous_id.display_name,
                        date=assessment.previous_id.date,
                        before=format(assessment.previous_overall, ".2f"),
                        after=format(assessment.overall_level, ".2f"),
                    ),
                },
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        assessments = super().create(vals_list)
        assessments._create_lines()
        return assessments

    def write(self, vals):
        _check_not_done(self, self, vals)
        if "state" in vals and not self.env.su:
            raise UserError(
                _(
                    "The state of the maturity assessment %(name)s changes with "
                    "its buttons (value %(value)s).",
                    name=self[:1].display_name,
                    value=vals["state"],
                )
            )
        result = super().write(vals)
        if "assessor_ids" in vals:
            self.filtered(lambda a: a.state == "in_progress")._create_ratings()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        _check_not_done(self, self, {"id": self.ids})

    def _create_lines(self):
        """A line per active building block the company can use, its target
        taken from the previous assessment (3 without one)."""
        Block = self.env["crm.building.block"]
        for assessment in self:
            blocks = (
                Block.search([("company_id", "in", [assessment.company_id.id, False])])
                - assessment.line_ids.block_id
            )
            previous_targets = {
                line.block_id.id: line.target_level
                for line in assessment.previous_id.line_ids
            }
            self.env["crm.maturity.assessment.line"].create(
                [
                    {
                        "assessment_id": assessment.id,
                        "block_id": block.id,
                        "target_level": previous_targets.get(block.id) or 3,
                    }
                    for block in blocks
                ]
            )

    def _create_ratings(self):
        """A rating per assessor and block, empty until the assessor rates."""
        Rating = self.env["crm.maturity.rating"]
        vals_list = []
        for assessment in self:
            for line in assessment.line_ids:
                have = line.rating_ids.assessor_id
                vals_list += [
                    {"line_id": line.id, "assessor_id": user.id}
                    for user in assessment.assessor_ids - have
                ]
        Rating.create(vals_list)

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def _check_manager(self):
        if not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            raise AccessError(
                _(
                    "Only a scorecard manager can start, measure or complete the "
                    "maturity assessment %(name)s.",
                    name=self[:1].display_name,
                )
            )
        self.check_access("write")

    def _check_state(self, allowed, action):
        wrong = self.filtered(lambda a: a.state not in allowed)
        if wrong:
            states = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                _(
                    "The maturity assessment %(name)s is %(state)s: it cannot be "
                    "%(action)s.",
                    name=wrong[0].display_name,
                    state=states[wrong[0].state],
                    action=action,
                )
            )

    def action_start(self):
        self._check_manager()
        self._check_state(("draft",), _("started"))
        for assessment in self:
            if not assessment.assessor_ids:
                raise UserError(
                    _(
                        "The maturity assessment %(name)s has no assessor (field "
                        "Assessors): name who rates the building blocks.",
                        name=assessment.display_name,
                    )
                )
        # sudo: the caller is a scorecard manager (checked above)
        self.sudo().write({"state": "in_progress"})
        self._create_lines()
        self._create_ratings()
        self._measure_evidence()
        for assessment in self:
            for user in assessment.assessor_ids:
                assessment.activity_schedule(
                    ACTIVITY_TYPE,
                    summary=_("Rate the building blocks of CRM"),
                    user_id=user.id,
                    date_deadline=assessment.date,
                )
        return True

    def action_measure_evidence(self):
        self._check_manager()
        self._check_state(("draft", "in_progress"), _("measured again"))
        self._measure_evidence()
        return True

    def _measure_evidence(self):
        Evidence = self.env["crm.maturity.evidence"]
        for assessment in self:
            measured = Evidence._measure(assessment.company_id)
            assessment.line_ids._store_signals(measured)
        # sudo: the caller is a scorecard manager, or this is the start
        self.sudo().write({"evidence_date": fields.Datetime.now()})

    def action_done(self):
        self._check_manager()
        self._check_state(("in_progress",), _("completed"))
        for assessment in self:
            missing = assessment.rating_ids.filtered(lambda r: not r.level)
            if missing:
                raise UserError(
                    _(
                        "The maturity assessment %(name)s is not complete: "
                        "%(assessor)s has not rated %(block)s (field Level), and "
                        "%(count)s ratings are missing in all.",
                        name=assessment.display_name,
                        assessor=missing[0].assessor_id.name,
                        block=missing[0].block_id.display_name,
                        count=len(missing),
                    )
                )
            if not assessment.rating_ids:
                raise UserError(
                    _(
                        "The maturity assessment %(name)s has no rating yet.",
                        name=assessment.display_name,
                    )
                )
        self.activity_feedback([ACTIVITY_TYPE])
        # sudo: the caller is a scorecard manager (checked above)
        self.sudo().write(
            {"state": "done", "date_done": fields.Date.context_today(self)}
        )
        return True

    def action_reset_draft(self):
        self._check_manager()
        self._check_state(("in_progress",), _("set back to draft"))
        # sudo: the caller is a scorecard manager (checked above)
        self.sudo().write({"state": "draft"})
        return True

    def action_view_ratings(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_csf_planning.crm_maturity_rating_action"
        )
        action["domain"] = [("assessment_id", "=", self.id)]
        action["context"] = {"search_default_group_block": 1}
        return action
