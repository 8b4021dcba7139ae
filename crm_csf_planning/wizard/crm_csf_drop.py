# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmCsfDrop(models.TransientModel):
    _name = "crm.csf.drop"
    _description = "Drop a Critical Success Factor"

    csf_ids = fields.Many2many("crm.csf", string="Success Factors", required=True)
    reason = fields.Text(required=True)

    def action_drop(self):
        self.ensure_one()
        self.csf_ids._drop(self.reason)
        return {"type": "ir.actions.act_window_close"}
