# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=consider-merging-classes-inherited
# (the model is split by concern, a file per concern)
from odoo import api, fields, models

from ..tools import pro_rata


class CrmBscIndicator(models.Model):
    _inherit = "crm.bsc.indicator"

    accumulates = fields.Boolean(
        string="Adds Up Over the Period",
        compute="_compute_accumulates",
        store=True,
        readonly=False,
        precompute=True,
        help="Counts and sums of what happens during the period (won revenue, "
        "won deals, new leads): while a period runs, they are scored against "
        "the target pro-rated to the days elapsed. Rates, averages and levels "
        "keep their target. Set from the built-in or the measure; choose it "
        "for manual, ratio and formula indicators.",
    )

    @api.depends("computation", "builtin_code", "agg_measure")
    def _compute_accumulates(self):
        for indicator in self:
            additive = pro_rata.is_additive(
                indicator.computation, indicator.builtin_code, indicator.agg_measure
            )
            if additive is not None:
                indicator.accumulates = additive
            elif not indicator.accumulates:
                indicator.accumulates = False
