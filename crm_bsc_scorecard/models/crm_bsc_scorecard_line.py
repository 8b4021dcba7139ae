# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import scoring
from . import bsc_guards
from .crm_bsc_indicator_value import STATUSES


class CrmBscScorecardLine(models.Model):
    _name = "crm.bsc.scorecard.line"
    _description = "Scorecard Line"
    _order = "scorecard_id, perspective_sequence, sequence, id"
    _rec_name = "indicator_id"

    scorecard_id = fields.Many2one(
        "crm.bsc.scorecard", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    indicator_id = fields.Many2one(
        "crm.bsc.indicator", required=True, index=True, ondelete="restrict"
    )
    perspective_id = fields.Many2one(
        related="indicator_id.perspective_id", store=True, string="Perspective"
    )
    perspective_sequence = fields.Integer(
        related="indicator_id.perspective_id.sequence",
        store=True,
        string="Perspective Order",
    )
    objective_id = fields.Many2one(
        related="indicator_id.objective_id", store=True, string="Objective"
    )
    crm_function = fields.Selection(related="indicator_id.crm_function")
    indicator_type = fields.Selection(related="indicator_id.indicator_type")
    unit = fields.Selection(related="indicator_id.unit")
    direction = fields.Selection(related="indicator_id.direction")
    company_id = fields.Many2one(
        related="scorecard_id.company_id", store=True, index=True, string="Company"
    )
    segment_id = fields.Many2one(
        related="scorecard_id.segment_id", store=True, string="Segment"
    )
    period_type = fields.Selection(related="scorecard_id.period_type")
    weight = fields.Float(
        default=1.0,
        help="Weight of the line in the roll-ups of its objective, its "
        "perspective and the scorecard. 0 leaves it out.",
    )
    target = fields.Float(
        required=True,
        help="The value to reach. For a range, the lower bound of the band.",
    )
    target_max = fields.Float(
        string="Target (upper bound)",
        help="For a range: the upper bound of the band of good values.",
    )
    warning_threshold = fields.Float(
        help="Higher is better: below this value the line is in warning. "
        "Lower is better: above it. Range: how far outside the band.",
    )
    critical_threshold = fields.Float(
        help="Higher is better: below this value the line is critical. "
        "Lower is better: above it. Range: how far outside the band.",
    )
    # Figures of the period the scorecard shows (not stored)
    value_id = fields.Many2one(
        "crm.bsc.indicator.value", compute="_compute_figures", string="Value Record"
    )
    has_value = fields.Boolean(compute="_compute_figures")
    current_value = fields.Float(compute="_compute_figures", string="Value")
    previous_value = fields.Float(compute="_compute_figures", string="Previous")
    score = fields.Float(compute="_compute_figures")
    status = fields.Selection(STATUSES, compute="_compute_figures")
    trend = fields.Selection(
        [("better", "Better"), ("worse", "Worse"), ("flat", "Unchanged")],
        compute="_compute_figures",
    )

    _sql_constraints = [
        (
            "indicator_unique",
            "unique(scorecard_id, indicator_id)",
            "An indicator appears once per scorecard.",
        ),
    ]

    # ------------------------------------------------------------------
    # Thresholds and weights
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        bsc_guards.check_numbers(self, vals_list)
        Indicator = self.env["crm.bsc.indicator"]
        for vals in vals_list:
            if "warning_threshold" in vals and "critical_threshold" in vals:
                continue
            indicator = Indicator.browse(vals.get("indicator_id"))
            direction = indicator.direction or scoring.HIGHER
            warning, critical = scoring.default_thresholds(
                direction, vals.get("target", 0.0), vals.get("target_max", 0.0)
            )
            vals.setdefault("warning_threshold", warning)
            vals.setdefault("critical_threshold", critical)
        return super().create(vals_list)

    def write(self, vals):
        bsc_guards.check_numbers(self, [vals], self)
        return super().write(vals)

    @api.constrains("indicator_id", "scorecard_id")
    def _check_indicator_company(self):
        for line in self:
            company = line.indicator_id.company_id
            if company and company != line.scorecard_id.company_id:
                raise ValidationError(
                    _(
                        "Scorecard %(scorecard)s: the indicator %(indicator)s "
                        "belongs to another company.",
                        scorecard=line.scorecard_id.display_name,
                        indicator=line.indicator_id.display_name,
                    )
                )

    @api.onchange("target", "target_max", "indicator_id")
    def _onchange_target_defaults(self):
        for line in self:
            line.warning_threshold, line.critical_threshold = (
                scoring.default_thresholds(
                    line.direction or scoring.HIGHER, line.target, line.target_max
                )
            )

    @api.constrains("weight")
    def _check_weight(self):
        for line in self:
            if line.weight < 0:
                raise ValidationError(
                    _(
                        "Scorecard %(scorecard)s, indicator %(indicator)s: the "
                        "weight %(value)s is below zero.",
                        scorecard=line.scorecard_id.display_name,
                        indicator=line.indicator_id.display_name,
                        value=line.weight,
                    )
                )

    @api.constrains(
        "target",
        "target_max",
        "warning_threshold",
        "critical_threshold",
        "indicator_id",
    )
    def _check_thresholds(self):
        for line in self:
            try:
                line._shortfalls()
            except scoring.ThresholdError as error:
                field = self._fields[error.field]
                raise ValidationError(
                    _(
                        "Scorecard %(scorecard)s, indicator %(indicator)s "
                        "(%(direction)s, target %(target)s): %(field)s %(value)s "
                        "is invalid: %(reason)s.",
                        scorecard=line.scorecard_id.display_name,
                        indicator=line.indicator_id.display_name,
                        direction=dict(
                            line.indicator_id._fields[
                                "direction"
                            ]._description_selection(self.env)
                        ).get(line.direction),
                        target=line.target,
                        field=field._description_string(self.env),
                        value=error.value,
                        reason=self._threshold_reason(error),
                    )
                ) from error

    def _threshold_reason(self, error):
        reasons = {
            "above the target, higher is better": _(
                "the warning threshold must not exceed the target when higher is better"
            ),
            "above the warning threshold": _(
                "the critical threshold must not exceed the warning threshold "
                "when higher is better"
            ),
            "below the target, lower is better": _(
                "the warning threshold must not be below the target when lower "
                "is better"
            ),
            "below the warning threshold": _(
                "the critical threshold must not be below the warning threshold "
                "when lower is better"
            ),
            "the upper bound is below the target": _(
                "the upper bound of the range is below its lower bound"
            ),
            "a range tolerance cannot be negative": _(
                "a tolerance outside the range cannot be negative"
            ),
            "below the warning tolerance": _(
                "the critical tolerance must not be below the warning tolerance"
            ),
        }
        return reasons.get(error.reason, error.reason)

    def _shortfalls(self):
        self.ensure_one()
        return scoring.threshold_shortfalls(
            self.direction or scoring.HIGHER,
            self.target,
            self.warning_threshold,
            self.critical_threshold,
            self.target_max,
        )

    def _evaluate(self, value):
        """(score, status) of ``value`` (None: no data) against this line."""
        self.ensure_one()
        return scoring.evaluate(
            self.direction or scoring.HIGHER,
            value,
            self.target,
            self.warning_threshold,
            self.critical_threshold,
            self.target_max,
        )

    # ------------------------------------------------------------------
    # Lookups
    # ------------------------------------------------------------------
    @api.model
    def _governing_lines(self, keys):
        """Map (company id, segment id or False, granularity, indicator id)
        to the line that sets the target: that of the company's active
        scorecard for the segment and granularity, else of a draft one."""
        keys = set(keys)
        if not keys:
            return {}
        # sudo: the target of a value is its company's, whoever stores it
        # (the keys name the values' own companies)
        lines = self.sudo().search(
            [
                ("indicator_id", "in", list({key[3] for key in keys})),
                ("company_id", "in", list({key[0] for key in keys})),
                ("scorecard_id.state", "in", ("active", "draft")),
            ]
        )
        result = {}
        rank = {"active": 0, "draft": 1}
        for line in lines.sorted(
            lambda ln: (rank[ln.scorecard_id.state], ln.scorecard_id.sequence, ln.id)
        ):
            key = (
                line.company_id.id,
                line.segment_id.id,
                line.scorecard_id.period_type,
                line.indicator_id.id,
            )
            if key in keys:
                result.setdefault(key, line)
        return result

    # ------------------------------------------------------------------
    # Figures of the period shown
    # ------------------------------------------------------------------
    def _compute_figures(self):
        figures = self.scorecard_id._line_figures()
        empty = {
            "value_id": False,
            "has_value": False,
            "current_value": 0.0,
            "previous_value": 0.0,
            "score": 0.0,
            "status": scoring.NO_DATA,
            "trend": False,
        }
        for line in self:
            data = figures.get(line._origin.id or line.id, {})
            for name, default in empty.items():
                line[name] = data.get(name, default)
