# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models

from ..tools import signals as signal_tools
from .crm_maturity_assessment import _check_not_done


class CrmMaturitySignal(models.Model):
    _name = "crm.maturity.signal"
    _description = "Signal Measured From the Data for a Building Block"
    _order = "line_id, id"

    line_id = fields.Many2one(
        "crm.maturity.assessment.line", required=True, index=True, ondelete="cascade"
    )
    assessment_id = fields.Many2one(
        related="line_id.assessment_id", store=True, index=True
    )
    company_id = fields.Many2one(related="line_id.company_id", store=True, index=True)
    block_id = fields.Many2one(
        related="line_id.block_id", store=True, string="Building Block"
    )
    code = fields.Selection(
        [(code, spec[3]) for code, spec in signal_tools.SIGNALS.items()],
        string="Signal",
        required=True,
    )
    explanation = fields.Text(compute="_compute_explanation", string="What It Measures")
    measured = fields.Boolean(
        string="Could Be Measured",
        help="Unset when the data had nothing to measure (nothing to count).",
    )
    value = fields.Float(digits=(16, 4))
    display_value = fields.Char(compute="_compute_explanation", string="Measured")
    level = fields.Integer(help="The level 1-5 the measured value maps to.")
    detail = fields.Char(help="The counts behind the value.")
    flagged = fields.Boolean(
        compute="_compute_flagged",
        store=True,
        string="Differs From the Rating",
        help="Two levels or more away from the assessors' mean rating.",
    )

    @api.depends("code", "value", "measured")
    def _compute_explanation(self):
        for signal in self:
            spec = signal_tools.SIGNALS.get(signal.code)
            # the explanations are extracted from tools/signals.py
            signal.explanation = _(spec[4]) if spec else False  # pylint: disable=translation-required
            if not signal.measured:
                signal.display_value = _("nothing to measure")
            elif spec and spec[1] == signal_tools.SCORE:
                signal.display_value = f"{signal.value:.1f} / 100"
            else:
                signal.display_value = f"{100 * signal.value:.1f} %"

    @api.depends("level", "line_id.mean_rating", "line_id.rating_count")
    def _compute_flagged(self):
        for signal in self:
            mean = signal.line_id.mean_rating if signal.line_id.rating_count else None
            signal.flagged = signal_tools.disagrees(signal.level or None, mean)

    @api.model_create_multi
    def create(self, vals_list):
        lines = self.env["crm.maturity.assessment.line"].browse(
            [vals.get("line_id") for vals in vals_list]
        )
        _check_not_done(self, lines.assessment_id, vals_list[0] if vals_list else None)
        return super().create(vals_list)

    def write(self, vals):
        _check_not_done(self, self.assessment_id, vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        _check_not_done(self, self.assessment_id, {"id": self.ids})
