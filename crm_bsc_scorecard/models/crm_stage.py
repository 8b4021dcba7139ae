# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class CrmStage(models.Model):
    _inherit = "crm.stage"

    def write(self, vals):
        if "is_won" in vals and any(stage.is_won != vals["is_won"] for stage in self):
            # every opportunity of the stage becomes (or stops being) a
            # customer transaction: the kept customer counts are rebuilt
            self.env["crm.bsc.customer.count"].sudo()._invalidate()
            # and the open pipeline's kept running totals (sudo, as above:
            # dropping technical totals, for a stage the user may edit, which
            # super().write checks)
            self.env["crm.bsc.running.total"].sudo()._invalidate()
        return super().write(vals)
