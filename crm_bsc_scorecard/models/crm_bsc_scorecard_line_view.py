# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmBscScorecardLine(models.Model):
    _inherit = "crm.bsc.scorecard.line"

    shown_target = fields.Float(
        compute="_compute_shown_target",
        string="Target to Date",
        help="The target the value is scored against in the period shown: "
        "while a period runs, the target of a count or sum pro-rated to the "
        "days elapsed.",
    )
    pro_rated = fields.Boolean(compute="_compute_shown_target")

    def _compute_shown_target(self):
        figures = self.scorecard_id._line_figures()
        for line in self:
            data = figures.get(line._origin.id or line.id, {})
            line.shown_target = data.get("shown_target", line.target)
            line.pro_rated = data.get("pro_rated", False)
