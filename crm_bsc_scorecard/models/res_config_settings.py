# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    bsc_activity_window_days = fields.Integer(
        related="company_id.bsc_activity_window_days", readonly=False
    )
    bsc_transaction_source = fields.Selection(
        related="company_id.bsc_transaction_source", readonly=False
    )
