# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.crm_bsc_scorecard.models.crm_bsc_indicator_value import STATUSES
from odoo.addons.crm_bsc_scorecard.models.crm_bsc_period import PERIOD_TYPES
from odoo.addons.crm_bsc_scorecard.tools import scoring

from ..tools import health as health_tools
from .crm_csf import PLAN_TRACED
from .period_utils import company_period_domain

# the statuses of a value that the scorecard scored against a line's target
SCORED = (scoring.ON_TRACK, scoring.WARNING, scoring.CRITICAL)
# a line whose indicator has had no value in this many periods is stale
STALE_PERIODS = 2


class CrmCsfIndicator(models.Model):
    _name = "crm.csf.indicator"
    _description = "Indicator of a Critical Success Factor"
    _order = "csf_id, sequence, id"
    _rec_name = "indicator_id"
    _check_company_auto = True

    csf_id = fields.Many2one(
        "crm.csf",
        string="Success Factor",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="csf_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    indicator_id = fields.Many2one(
        "crm.bsc.indicator",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    indicator_type = fields.Selection(related="indicator_id.indicator_type")
    direction = fields.Selection(related="indicator_id.direction")
    unit = fields.Selection(related="indicator_id.unit")
    segment_id = fields.Many2one(
        "crm.customer.segment",
        check_company=True,
        help="Whose values measure the factor; empty: all customers.",
    )
    period_type = fields.Selection(
        PERIOD_TYPES,
        string="Granularity",
        required=True,
        default="month",
        help="The periods whose values measure the factor.",
    )
    weight = fields.Float(
        default=1.0, help="Weight of the indicator in the factor's health."
    )
    has_own_target = fields.Boolean(
        string="Use Own Target",
        help="Score the values against this target where no scorecard line "
        "gives one (the scorecard's target comes first).",
    )
    own_target = fields.Float()
    own_target_max = fields.Float(
        string="Own Target (upper bound)", help="For a range: the upper bound."
    )
    # figures of the latest period with a value (not stored)
    value_period_id = fields.Many2one(
        "crm.bsc.period", compute="_compute_figures", string="Period"
    )
    has_value = fields.Boolean(compute="_compute_figures")
    value = fields.Float(compute="_compute_figures", digits=(16, 2))
    previous_value = fields.Float(compute="_compute_figures", string="Previous")
    target = fields.Float(
        compute="_compute_figures",
        help="The target the latest value was scored against: the scorecard's, "
        "else the factor's own.",
    )
    target_source = fields.Selection(
        [
            ("scorecard", "Scorecard"),
            ("own", "Own target"),
            ("none", "None"),
        ],
        compute="_compute_figures",
    )
    score = fields.Float(compute="_compute_figures", digits=(16, 1))
    status = fields.Selection(STATUSES, compute="_compute_figures")
    trend = fields.Selection(
        [("better", "Better"), ("worse", "Worse"), ("flat", "Unchanged")],
        compute="_compute_figures",
    )

    _sql_constraints = [
        (
            "indicator_unique",
            "unique(csf_id, indicator_id, segment_id, period_type)",
            "An indicator measures a success factor once per segment and granularity.",
        ),
    ]

    # ------------------------------------------------------------------
    # Constraints and the locked plan
    # ------------------------------------------------------------------
    @api.constrains("weight", "csf_id")
    def _check_weight(self):
        for line in self:
            if line.weight < 0:
                raise ValidationError(
                    _(
                        "Success factor %(csf)s, indicator %(indicator)s: the "
                        "weight %(value)s (field Weight) is below zero.",
                        csf=line.csf_id.display_name,
                        indicator=line.indicator_id.display_name,
                        value=line.weight,
                    )
                )
        for csf in self.csf_id:
            lines = csf.indicator_line_ids
            if lines and not any(lines.mapped("weight")):
                raise ValidationError(
                    _(
                        "Success factor %(csf)s: every indicator has the weight 0 "
                        "(field Weight), so nothing would measure it. Give at "
                        "least one a weight above zero.",
                        csf=csf.display_name,
                    )
                )

    @api.constrains("has_own_target", "own_target", "own_target_max", "indicator_id")
    def _check_own_target(self):
        for line in self.filtered("has_own_target"):
            if line.direction == "range" and line.own_target_max < line.own_target:
                raise ValidationError(
                    _(
                        "Success factor %(csf)s, indicator %(indicator)s: the upper "
                        "bound %(value)s (field Own Target (upper bound)) is below "
                        "the target %(target)s.",
                        csf=line.csf_id.display_name,
                        indicator=line.indicator_id.display_name,
                        value=line.own_target_max,
                        target=line.own_target,
                    )
                )

    def _plan_label(self):
        self.ensure_one()
        label = f"{self.indicator_id.code} ×{self.weight:g}"
        if self.segment_id:
            label += f" [{self.segment_id.display_name}]"
        if self.has_own_target:
            label += _(" target %(target)s", target=format(self.own_target, "g"))
        return label

    def _check_plan_lock(self, csfs, vals=None):
        """A line of a locked plan changes: refused to non-managers; for a
        manager, return the factors whose plan is changing."""
        locked = csfs.filtered(
            lambda c: c.state in ("committed", "achieved", "dropped")
        )
        if not locked:
            return locked
        if self.env.context.get("csf_plan_traced") is PLAN_TRACED:
            # the factor's own write checked and traces this change
            return locked.browse()
        if not locked._is_manager():
            csf = locked[0]
            field_name, value = next(iter((vals or {"indicator_id": ""}).items()))
            field = self._fields.get(field_name)
            label = field._description_string(self.env) if field else field_name
            states = dict(csf._fields["state"]._description_selection(self.env))
            raise UserError(
                _(
                    "The plan of the success factor %(name)s is %(state)s: only a "
                    "scorecard manager can change its indicators (field %(field)s, "
                    "value %(value)s).",
                    name=csf.display_name,
                    state=states[csf.state],
                    field=label,
                    value=value,
                )
            )
        return locked

    @api.model_create_multi
    def create(self, vals_list):
        csfs = self.env["crm.csf"].browse(
            [vals["csf_id"] for vals in vals_list if vals.get("csf_id")]
        )
        locked = self._check_plan_lock(csfs, vals_list[0] if vals_list else None)
        before = {csf.id: csf._plan_snapshot("indicator_line_ids") for csf in locked}
        lines = super().create(vals_list)
        for csf in locked:
            csf._post_plan_change({"indicator_line_ids": before[csf.id]})
        lines.csf_id._refresh_health()
        return lines

    def write(self, vals):
        locked = self._check_plan_lock(self.csf_id, vals)
        if "csf_id" in vals:
            locked |= self._check_plan_lock(
                self.env["crm.csf"].browse(vals["csf_id"]), vals
            )
        before = {csf.id: csf._plan_snapshot("indicator_line_ids") for csf in locked}
        csfs = self.csf_id
        result = super().write(vals)
        for csf in locked:
            csf._post_plan_change({"indicator_line_ids": before[csf.id]})
        (csfs | self.csf_id)._refresh_health()
        return result

    def unlink(self):
        csfs = self.csf_id
        locked = self._check_plan_lock(
            csfs, {"indicator_id": ", ".join(self.indicator_id.mapped("code"))}
        )
        before = {csf.id: csf._plan_snapshot("indicator_line_ids") for csf in locked}
        result = super().unlink()
        csfs = csfs.exists()
        for csf in locked.exists():
            csf._post_plan_change({"indicator_line_ids": before[csf.id]})
        csfs._refresh_health()
        return result

    # ------------------------------------------------------------------
    # Figures from the scorecard's stored values
    # ------------------------------------------------------------------
    def _values_by_key(self):
        """{(indicator, company, segment or False, granularity): [values with
        data, latest period first]} of the periods that have ended: as the
        scorecard, the health reads complete periods (a running period's
        stored scores are against the whole period's target)."""
        Value = self.env["crm.bsc.indicator.value"].sudo()
        lines = self.filtered("indicator_id")
        if not lines:
            return {}
        today = fields.Date.context_today(self)
        # sudo: the values of the indicators these lines name, in the lines'
        # companies; a scorecard user reads them anyway
        values = Value.search(
            [
                ("indicator_id", "in", lines.indicator_id.ids),
                ("company_id", "in", lines.company_id.ids),
                ("segment_id", "in", lines.segment_id.ids + [False]),
                ("period_type", "in", list(set(lines.mapped("period_type")))),
                ("channel_id", "=", False),
                ("user_id", "=", False),
                ("team_id", "=", False),
                ("has_value", "=", True),
                ("period_id.date_to", "<", today),
            ],
            order="date_from desc, id",
        )
        result = defaultdict(list)
        for value in values:
            result[
                (
                    value.indicator_id.id,
                    value.company_id.id,
                    value.segment_id.id,
                    value.period_type,
                )
            ].append(value)
        return result

    def _line_key(self):
        self.ensure_one()
        return (
            self.indicator_id.id,
            self.company_id.id,
            self.segment_id.id,
            self.period_type,
        )

    def _figures(self):
        """{line id: figures} of the latest period with a value."""
        by_key = self._values_by_key()
        result = {}
        for line in self:
            values = by_key.get(line._line_key(), [])
            latest = values[0] if values else None
            previous = values[1] if len(values) > 1 else None
            number = latest.value if latest else None
            score = None
            target = 0.0
            source = "none"
            status = scoring.NO_DATA
            if latest and latest.status in SCORED:
                score, target, source, status = (
                    latest.score,
                    latest.target,
                    "scorecard",
                    latest.status,
                )
            elif latest and line.has_own_target:
                score, status = line._evaluate_own(number)
                target, source = line.own_target, "own"
            elif latest:
                status = "unscored"
            result[line.id] = {
                "value_period_id": latest.period_id.id if latest else False,
                "has_value": latest is not None,
                "value": number or 0.0,
                "previous_value": previous.value if previous else 0.0,
                "target": target,
                "target_source": source,
                "score": score,
                "status": status,
                "trend": health_tools.trend(
                    line.direction,
                    number,
                    previous.value if previous else None,
                    target if source != "none" else None,
                    (
                        line.own_target_max
                        if source == "own"
                        else (latest.target if latest else None)
                    )
                    if line.direction == "range"
                    else None,
                )
                or False,
            }
        return result

    def _evaluate_own(self, number):
        self.ensure_one()
        direction = self.direction or scoring.HIGHER
        warning, critical = scoring.default_thresholds(
            direction, self.own_target, self.own_target_max
        )
        return scoring.evaluate(
            direction, number, self.own_target, warning, critical, self.own_target_max
        )

    @api.depends(
        "indicator_id",
        "segment_id",
        "period_type",
        "has_own_target",
        "own_target",
        "own_target_max",
        "csf_id.company_id",
    )
    def _compute_figures(self):
        real = self.filtered(lambda line: line._origin.id or line.id)
        figures = real._origin._figures() if real else {}
        for line in self:
            data = figures.get(line._origin.id or line.id, {})
            line.value_period_id = data.get("value_period_id", False)
            line.has_value = data.get("has_value", False)
            line.value = data.get("value", 0.0)
            line.previous_value = data.get("previous_value", 0.0)
            line.target = data.get("target", 0.0)
            line.target_source = data.get("target_source", "none")
            line.score = data.get("score") or 0.0
            line.status = data.get("status", scoring.NO_DATA)
            line.trend = data.get("trend", False)

    def _stale_lines(self):
        """The lines whose indicator has had no value in the last two periods
        (of their granularity and company) that have ended."""
        Period = self.env["crm.bsc.period"].sudo()
        today = fields.Date.context_today(self)
        lines = self.filtered("indicator_id")
        periods_of = {}
        for company, period_type in {(l.company_id, l.period_type) for l in lines}:
            domain = [("period_type", "=", period_type), ("date_to", "<", today)]
            domain += company_period_domain(self.env, company)
            periods_of[company.id, period_type] = Period.search(
                domain, order="date_from desc", limit=STALE_PERIODS
            )
        recent = Period.union(*periods_of.values())
        if not lines or not recent:
            return self.browse()
        # sudo: whether the values these lines name exist, counted in one
        # query, for the factors' flags
        groups = (
            self.env["crm.bsc.indicator.value"]
            .sudo()
            ._read_group(
                [
                    ("indicator_id", "in", lines.indicator_id.ids),
                    ("company_id", "in", lines.company_id.ids),
                    ("period_id", "in", recent.ids),
                    ("channel_id", "=", False),
                    ("user_id", "=", False),
                    ("team_id", "=", False),
                    ("has_value", "=", True),
                ],
                ["indicator_id", "company_id", "segment_id", "period_id"],
                ["__count"],
            )
        )
        seen = {
            (indicator.id, company.id, segment.id, period.id)
            for indicator, company, segment, period, _count in groups
        }
        stale = self.browse()
        for line in lines:
            periods = periods_of[line.company_id.id, line.period_type]
            if len(periods) < STALE_PERIODS:
                continue
            key = (line.indicator_id.id, line.company_id.id, line.segment_id.id)
            if not any((*key, period.id) in seen for period in periods):
                stale |= line
        return stale
