# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=consider-merging-classes-inherited
# (the addon keeps each feature's extension of a model in a file of its own)
"""The settings of customer analytics, per company."""

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import rfm

CLV_MODEL_TYPES = [
    ("mbgnbd", "MBG/NBD"),
    ("bgnbd", "BG/NBD"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    bsc_clv_model_type = fields.Selection(
        CLV_MODEL_TYPES,
        string="Customer Model",
        default="mbgnbd",
        required=True,
        help="How the probability that a customer still buys is estimated. "
        "MBG/NBD lets a customer who bought once stop buying; under BG/NBD "
        "such a customer is always alive.",
    )
    bsc_clv_horizon_months = fields.Integer(
        string="Lifetime Value Horizon (months)",
        default=12,
        help="The predicted lifetime value sums the expected purchases of "
        "this many months ahead.",
    )
    bsc_clv_discount_rate = fields.Float(
        string="Monthly Discount Rate",
        default=0.01,
        digits=(16, 4),
        help="Each month of future purchases is worth this much less than "
        "the month before (0.01: 1 % a month).",
    )
    bsc_clv_risk_medium = fields.Float(
        string="Medium Risk From",
        default=0.4,
        digits=(16, 4),
        help="A customer whose churn propensity is at least this is in the "
        "medium risk band.",
    )
    bsc_clv_risk_high = fields.Float(
        string="High Risk From",
        default=0.7,
        digits=(16, 4),
        help="A customer whose churn propensity is at least this is in the "
        "high risk band, and its salesperson gets a 'Customer at risk' "
        "activity.",
    )
    bsc_clv_min_repeat_customers = fields.Integer(
        string="Minimum Repeat Customers",
        default=20,
        help="A model is fitted only on data with at least this many "
        "customers who bought more than once; with fewer the fit is "
        "refused and the scores that need it stay empty.",
    )
    bsc_clv_segment_models = fields.Boolean(
        string="A Model per Segment",
        help="Fit a model of its own for every customer segment with at "
        "least the minimum number of repeat customers of a segment model; "
        "the other segments use the company's model.",
    )
    bsc_clv_segment_min_customers = fields.Integer(
        string="Minimum Repeat Customers of a Segment Model",
        default=200,
    )

    @api.constrains(
        "bsc_clv_horizon_months",
        "bsc_clv_discount_rate",
        "bsc_clv_risk_medium",
        "bsc_clv_risk_high",
        "bsc_clv_min_repeat_customers",
        "bsc_clv_segment_min_customers",
    )
    def _check_bsc_clv_settings(self):
        for company in self:
            if not 1 <= company.bsc_clv_horizon_months <= 120:
                raise ValidationError(
                    _(
                        "Company %(company)s: the lifetime value horizon of "
                        "%(value)s months must be between 1 and 120 months.",
                        company=company.name,
                        value=company.bsc_clv_horizon_months,
                    )
                )
            if not 0 <= company.bsc_clv_discount_rate < 1:
                raise ValidationError(
                    _(
                        "Company %(company)s: the monthly discount rate %(value)s "
                        "must be at least 0 and below 1 (100 %%).",
                        company=company.name,
                        value=company.bsc_clv_discount_rate,
                    )
                )
            medium, high = company.bsc_clv_risk_medium, company.bsc_clv_risk_high
            if not 0 < medium < high < 1:
                raise ValidationError(
                    _(
                        "Company %(company)s: the risk thresholds must be in "
                        "order, 0 < medium (%(medium)s) < high (%(high)s) < 1.",
                        company=company.name,
                        medium=medium,
                        high=high,
                    )
                )
            for field, value in (
                ("bsc_clv_min_repeat_customers", company.bsc_clv_min_repeat_customers),
                (
                    "bsc_clv_segment_min_customers",
                    company.bsc_clv_segment_min_customers,
                ),
            ):
                if value < 1:
                    raise ValidationError(
                        _(
                            "Company %(company)s: %(field)s must be at least 1, "
                            "not %(value)s.",
                            company=company.name,
                            field=self._fields[field].get_description(self.env)[
                                "string"
                            ],
                            value=value,
                        )
                    )

    def _bsc_clv_settings(self):
        """The scoring settings of the company, for tools/rfm.py."""
        self.ensure_one()
        return rfm.Settings(
            horizon_months=self.bsc_clv_horizon_months,
            monthly_discount=self.bsc_clv_discount_rate,
            risk_medium=self.bsc_clv_risk_medium,
            risk_high=self.bsc_clv_risk_high,
            window_days=self.bsc_activity_window_days,
        )
