# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=consider-merging-classes-inherited
# (the addon keeps each feature's extension of a model in a file of its own)
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    bsc_clv_model_type = fields.Selection(
        related="company_id.bsc_clv_model_type", readonly=False
    )
    bsc_clv_horizon_months = fields.Integer(
        related="company_id.bsc_clv_horizon_months", readonly=False
    )
    bsc_clv_discount_rate = fields.Float(
        related="company_id.bsc_clv_discount_rate", readonly=False
    )
    bsc_clv_risk_medium = fields.Float(
        related="company_id.bsc_clv_risk_medium", readonly=False
    )
    bsc_clv_risk_high = fields.Float(
        related="company_id.bsc_clv_risk_high", readonly=False
    )
    bsc_clv_min_repeat_customers = fields.Integer(
        related="company_id.bsc_clv_min_repeat_customers", readonly=False
    )
    bsc_clv_segment_models = fields.Boolean(
        related="company_id.bsc_clv_segment_models", readonly=False
    )
    bsc_clv_segment_min_customers = fields.Integer(
        related="company_id.bsc_clv_segment_min_customers", readonly=False
    )
