# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Success factors: the model, its fields, constraints and the tracking of
its plan; the commitment workflow, health and screens are in
``crm_csf_workflow.py``."""

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import health as health_tools

LEVELS = [
    ("enterprise", "Enterprise"),
    ("department", "Department"),
    ("workgroup", "Workgroup"),
]
LEVEL_RANK = {code: rank for rank, (code, _label) in enumerate(LEVELS)}
STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("committed", "Committed"),
    ("achieved", "Achieved"),
    ("dropped", "Dropped"),
]
# the states in which the plan is locked: changes need a manager
LOCKED_STATES = ("committed", "achieved", "dropped")
# the plan: its target, its indicators and its resources
LOCKED_FIELDS = ("date_target", "indicator_line_ids", "budget", "fte")
# derived on the server: written only by the workflow and the refresh
WORKFLOW_FIELDS = ("state", "approved_by_id", "approved_date", "drop_reason")
DERIVED_FIELDS = (
    "health",
    "health_status",
    "health_date",
    "gap_no_indicator",
    "gap_stale",
    "gap_all_lagging",
    "has_measurement_gap",
    "measurement_gap_note",
)
HEALTH_STATUSES = [
    (health_tools.ON_TRACK, "On Track"),
    (health_tools.AT_RISK, "At Risk"),
    (health_tools.OFF_TRACK, "Off Track"),
    (health_tools.NO_DATA, "No Data"),
]
# set in the context while a factor's own write traces its plan change, so
# that its indicator lines do not trace it twice (an object no client sends)
PLAN_TRACED = object()
MANAGER_GROUP = "crm_bsc_scorecard.group_bsc_manager"
USER_GROUP = "crm_bsc_scorecard.group_bsc_user"


class CrmCsf(models.Model):
    _name = "crm.csf"
    _description = "Critical Success Factor"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "level_rank, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char()
    level = fields.Selection(
        LEVELS,
        required=True,
        default="enterprise",
        tracking=True,
        help="Enterprise factors are strategic; departments and workgroups "
        "set their own lower-level factors that serve them.",
    )
    level_rank = fields.Integer(compute="_compute_level_rank", store=True)
    sequence = fields.Integer(default=10)
    category_id = fields.Many2one(
        "crm.csf.category",
        index=True,
        ondelete="restrict",
        tracking=True,
        help="Which of the strategic success factors this one belongs to; a "
        "lower-level factor takes the category of the factor it serves by "
        "default.",
    )
    description = fields.Html(translate=True)
    parent_id = fields.Many2one(
        "crm.csf",
        string="Serves",
        index=True,
        ondelete="restrict",
        tracking=True,
        check_company=True,
        help="The higher-level success factor this one contributes to: a "
        "workgroup factor serves a department or enterprise factor, a "
        "department factor an enterprise one.",
    )
    child_ids = fields.One2many("crm.csf", "parent_id", string="Served By")
    weight = fields.Float(
        default=1.0,
        tracking=True,
        help="Weight of this factor's health in the health of the factor it "
        "serves. 0 leaves it out.",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        check_company=True,
        tracking=True,
        help="The department or workgroup that owns a lower-level factor.",
    )
    owner_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    active = fields.Boolean(default=True)
    color = fields.Integer(compute="_compute_color", string="Colour")
    date_start = fields.Date(string="Start", tracking=True)
    date_target = fields.Date(string="Target Date", tracking=True)
    process_ids = fields.Many2many(
        "crm.process",
        "crm_csf_process_rel",
        "csf_id",
        "process_id",
        string="CRM Processes",
        help="The cross-functional CRM processes this factor serves.",
    )
    building_block_ids = fields.Many2many(
        "crm.building.block",
        "crm_csf_building_block_rel",
        "csf_id",
        "block_id",
        string="Building Blocks",
        help="The building blocks of CRM this factor develops.",
    )
    budget = fields.Monetary(
        currency_field="currency_id",
        tracking=True,
        help="The budget allocated to this factor, in the company's currency.",
    )
    fte = fields.Float(
        string="People (FTE)",
        digits=(16, 2),
        tracking=True,
        help="The people allocated to this factor, as full-time equivalents.",
    )
    indicator_line_ids = fields.One2many(
        "crm.csf.indicator",
        "csf_id",
        string="Indicators",
        copy=True,
        help="The scorecard indicators that measure this factor.",
    )
    indicator_count = fields.Integer(compute="_compute_counts")
    action_ids = fields.One2many("crm.csf.action", "csf_id", string="Action Plan")
    action_count = fields.Integer(compute="_compute_counts", string="Actions")
    overdue_action_count = fields.Integer(
        compute="_compute_counts", string="Overdue Actions"
    )
    open_action_count = fields.Integer(compute="_compute_counts", string="Open Actions")
    # commitment
    state = fields.Selection(
        STATES, required=True, default="draft", tracking=True, copy=False
    )
    approved_by_id = fields.Many2one(
        "res.users", readonly=True, copy=False, tracking=True
    )
    approved_date = fields.Datetime(
        string="Approved On", readonly=True, copy=False, tracking=True
    )
    drop_reason = fields.Text(readonly=True, copy=False, tracking=True)
    is_locked = fields.Boolean(
        compute="_compute_is_locked",
        string="Plan Locked",
        help="A committed plan: changing its target, indicators or resources "
        "needs a scorecard manager and leaves a trace in the chatter.",
    )
    plan_editable = fields.Boolean(
        compute="_compute_is_locked",
        help="The plan is not locked, or the user is a scorecard manager.",
    )
    # health, refreshed from the scorecard's stored values
    health = fields.Float(
        readonly=True,
        copy=False,
        aggregator="avg",
        digits=(16, 1),
        help="0-100: the weighted mean of the latest scores of its indicators "
        "and of the health of the factors that serve it.",
    )
    health_status = fields.Selection(
        HEALTH_STATUSES,
        readonly=True,
        copy=False,
        default=health_tools.NO_DATA,
    )
    health_date = fields.Datetime(
        string="Health Refreshed On", readonly=True, copy=False
    )
    # measurement gaps, refreshed with the health
    gap_no_indicator = fields.Boolean(string="No Indicator", readonly=True, copy=False)
    gap_stale = fields.Boolean(
        string="Indicators Without Values",
        readonly=True,
        copy=False,
        help="An indicator of this factor has had no value in the last two periods.",
    )
    gap_all_lagging = fields.Boolean(
        string="Only Lagging Indicators",
        readonly=True,
        copy=False,
        help="All its indicators measure results; none measures a driver.",
    )
    has_measurement_gap = fields.Boolean(
        string="Measurement Gap", readonly=True, copy=False, index=True
    )
    measurement_gap_note = fields.Text(
        string="Measurement Gaps", readonly=True, copy=False
    )

    _sql_constraints = [
        (
            "weight_not_negative",
            "CHECK (weight >= 0)",
            "The weight of a success factor cannot be below zero.",
        ),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("level")
    def _compute_level_rank(self):
        for csf in self:
            csf.level_rank = LEVEL_RANK.get(csf.level, 0)

    @api.onchange("parent_id")
    def _onchange_parent_category(self):
        for csf in self:
            if csf.parent_id.category_id:
                csf.category_id = csf.parent_id.category_id

    @api.depends("health_status")
    def _compute_color(self):
        colours = {
            health_tools.ON_TRACK: 10,
            health_tools.AT_RISK: 3,
            health_tools.OFF_TRACK: 1,
        }
        for csf in self:
            csf.color = colours.get(csf.health_status, 0)

    @api.depends("state")
    @api.depends_context("uid")
    def _compute_is_locked(self):
        manager = self._is_manager()
        for csf in self:
            csf.is_locked = csf.state in LOCKED_STATES
            csf.plan_editable = not csf.is_locked or manager

    @api.depends("indicator_line_ids", "action_ids.state", "action_ids.date_deadline")
    def _compute_counts(self):
        today = fields.Date.context_today(self)
        for csf in self:
            actions = csf.action_ids
            csf.indicator_count = len(csf.indicator_line_ids)
            csf.action_count = len(actions)
            open_actions = actions.filtered(
                lambda a: a.state in ("todo", "in_progress")
            )
            csf.open_action_count = len(open_actions)
            csf.overdue_action_count = len(
                open_actions.filtered(
                    lambda a: a.date_deadline and a.date_deadline < today
                )
            )

    def _copy_translations_of(self, source, name):
        """Give field ``name`` of this factor the translations it has on the
        record ``source`` (the same text in the source language)."""
        self.ensure_one()
        field = source._fields[name]
        stored = field._get_stored_translations(source) or {}
        others = {
            lang: text
            for lang, text in stored.items()
            if lang != "en_US" and not lang.startswith("_") and text
        }
        if not others:
            return
        if callable(field.translate):
            # term by term, as Odoo keeps the translations of HTML
            terms = field.get_translation_dictionary(stored.get("en_US"), others)
            translations = {
                lang: {
                    term: values[lang]
                    for term, values in terms.items()
                    if lang in values
                }
                for lang in others
            }
        else:
            translations = others
        self.update_field_translations(name, translations)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    def _level_label(self, level):
        return dict(self._fields["level"]._description_selection(self.env)).get(
            level, level
        )

    @api.constrains("parent_id", "level")
    def _check_parent_level(self):
        if self._has_cycle():
            csf = self.filtered("parent_id")[:1] or self[:1]
            raise ValidationError(
                _(
                    "The success factor %(name)s cannot serve %(parent)s (field "
                    "Serves): a success factor cannot serve itself, directly "
                    "or not.",
                    name=csf.display_name,
                    parent=csf.parent_id.display_name,
                )
            )
        for csf in self:
            pairs = [(csf, csf.parent_id)] if csf.parent_id else []
            pairs += [(child, csf) for child in csf.child_ids]
            for child, parent in pairs:
                if LEVEL_RANK[parent.level] >= LEVEL_RANK[child.level]:
                    raise ValidationError(
                        _(
                            "The success factor %(name)s (level %(level)s) cannot "
                            "serve %(parent)s (field Serves): %(parent)s is at the "
                            "level %(parent_level)s, and a factor serves only a "
                            "factor of a higher level (a workgroup a department "
                            "or the enterprise, a department the enterprise); "
                            "it is not at a lower level.",
                            name=child.display_name,
                            level=self._level_label(child.level),
                            parent=parent.display_name,
                            parent_level=self._level_label(parent.level),
                        )
                    )

    @api.constrains("category_id", "level")
    def _check_category(self):
        for csf in self:
            if not csf.category_id:
                raise ValidationError(
                    _(
                        "The success factor %(name)s has no category (field "
                        "Category): choose the strategic factor it belongs to.",
                        name=csf.display_name,
                    )
                )

    @api.constrains("weight")
    def _check_weight(self):
        for csf in self:
            if csf.weight < 0:
                raise ValidationError(
                    _(
                        "The success factor %(name)s: the weight %(value)s (field "
                        "Weight) is below zero.",
                        name=csf.display_name,
                        value=csf.weight,
                    )
                )

    @api.constrains("budget", "fte")
    def _check_resources(self):
        for csf in self:
            for field_name in ("budget", "fte"):
                if csf[field_name] < 0:
                    raise ValidationError(
                        _(
                            "The success factor %(name)s: %(field)s %(value)s is "
                            "below zero.",
                            name=csf.display_name,
                            field=self._fields[field_name]._description_string(
                                self.env
                            ),
                            value=csf[field_name],
                        )
                    )

    @api.constrains("date_start", "date_target")
    def _check_dates(self):
        for csf in self:
            if csf.date_start and csf.date_target and csf.date_target < csf.date_start:
                raise ValidationError(
                    _(
                        "The success factor %(name)s: the target date %(target)s "
                        "(field Target Date) is before its start %(start)s.",
                        name=csf.display_name,
                        target=csf.date_target,
                        start=csf.date_start,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD: the locked plan, the derived fields
    # ------------------------------------------------------------------
    def _is_manager(self):
        return self.env.su or self.env.user.has_group(MANAGER_GROUP)

    def _check_protected_vals(self, vals):
        """Workflow and derived fields are the server's: refused from a client
        (the workflow buttons and the refresh write them as superuser)."""
        if self.env.su:
            return
        protected = (set(WORKFLOW_FIELDS) | set(DERIVED_FIELDS)) & set(vals)
        if protected:
            field_name = min(protected)
            raise UserError(
                _(
                    "The field %(field)s of a success factor is set by its "
                    "workflow buttons or computed from the scorecard; it cannot "
                    "be written (value %(value)s).",
                    field=self._fields[field_name]._description_string(self.env),
                    value=vals[field_name],
                )
            )

    def _check_locked_plan(self, vals):
        """Refuse a non-manager's change of a locked plan; return the locked
        factors a manager is changing (for the trace in the chatter)."""
        changed = [name for name in LOCKED_FIELDS if name in vals]
        locked = self.filtered(lambda c: c.state in LOCKED_STATES)
        if not changed or not locked:
            return self.browse()
        if not self._is_manager():
            csf = locked[0]
            raise UserError(
                _(
                    "The plan of the success factor %(name)s is %(state)s: only a "
                    "scorecard manager can change its %(field)s (new value "
                    "%(value)s).",
                    name=csf.display_name,
                    state=dict(self._fields["state"]._description_selection(self.env))[
                        csf.state
                    ],
                    field=self._fields[changed[0]]._description_string(self.env),
                    value=vals[changed[0]],
                )
            )
        return locked

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_protected_vals(vals)
            if not vals.get("category_id") and vals.get("parent_id"):
                # a lower-level factor takes the category of the one it serves
                vals["category_id"] = self.browse(vals["parent_id"]).category_id.id
        records = super().create(vals_list)
        records._refresh_health()
        return records

    def write(self, vals):
        self._check_protected_vals(vals)
        locked = self._check_locked_plan(vals)
        before = {
            csf.id: {name: csf._plan_snapshot(name) for name in LOCKED_FIELDS}
            for csf in locked
        }
        target = self.with_context(csf_plan_traced=PLAN_TRACED) if locked else self
        result = super(CrmCsf, target).write(vals)
        for csf in locked:
            csf._post_plan_change(before[csf.id])
        if {"parent_id", "weight", "indicator_line_ids", "active", "company_id"} & set(
            vals
        ):
            self._refresh_health()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_committed(self):
        for csf in self:
            if csf.state in ("committed", "achieved"):
                raise UserError(
                    _(
                        "The success factor %(name)s is %(state)s: it cannot be "
                        "deleted. Drop or archive it instead.",
                        name=csf.display_name,
                        state=dict(
                            self._fields["state"]._description_selection(self.env)
                        )[csf.state],
                    )
                )

    def _plan_snapshot(self, name):
        self.ensure_one()
        if name == "indicator_line_ids":
            return ", ".join(
                line._plan_label() for line in self.indicator_line_ids
            ) or _("none")
        if name == "budget":
            return f"{self.budget:,.2f} {self.currency_id.name or ''}".strip()
        return str(self[name] or _("none"))

    def _post_plan_change(self, before, what=None):
        """Trace, in the chatter, a change of a locked plan."""
        self.ensure_one()
        changes = []
        for name, old in before.items():
            new = self._plan_snapshot(name)
            if new != old:
                changes.append(
                    _(
                        "%(field)s: %(old)s → %(new)s",
                        field=self._fields[name]._description_string(self.env),
                        old=old,
                        new=new,
                    )
                )
        if what:
            changes.append(what)
        if not changes:
            return
        body = _(
            "Change to the %(state)s plan by %(user)s: %(changes)s",
            state=dict(self._fields["state"]._description_selection(self.env))[
                self.state
            ],
            user=self.env.user.name,
            changes="; ".join(changes),
        )
        self.message_post(
            body=body, message_type="comment", subtype_xmlid="mail.mt_note"
        )

    def _write_unchecked(self, vals):
        """Write ``vals`` past this class's write (the lock and the
        protection of derived fields): for the derived fields themselves
        and the upgrade's category. The mail thread's write still runs."""
        return super().write(vals)

    # ------------------------------------------------------------------
    # Upgrade
    # ------------------------------------------------------------------
    @api.model
    def _migrate_categories(self):
        """Give every factor without a category one (the upgrade from
        18.0.1.0.0, where the seven strategic factors were factors of their
        own): the category of its code, else of the factor it serves, else
        the planning category. Nothing else of the factor changes."""
        Category = self.env["crm.csf.category"].with_context(active_test=False)
        by_code = {category.code: category for category in Category.search([])}
        fallback = self.env.ref(
            "crm_csf_planning.category_planning", raise_if_not_found=False
        ) or next(iter(by_code.values()), Category)
        csfs = (
            self.with_context(active_test=False)
            .search([("category_id", "=", False)])
            .sorted("level_rank")
        )
        for csf in csfs:
            category = by_code.get(csf.code) or csf.parent_id.category_id or fallback
            # bypass the workflow checks of write: only the category is set
            csf.with_context(tracking_disable=True)._write_unchecked(
                {"category_id": category.id}
            )
        return csfs
