# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    bsc_activity_window_days = fields.Integer(
        string="Customer Activity Window (days)",
        default=365,
        help="A customer is active on a date when it has a transaction in this "
        "many days up to that date.",
    )
    bsc_transaction_source = fields.Selection(
        [
            ("opportunities", "Won opportunities"),
            ("sale_orders", "Confirmed sale orders"),
        ],
        string="Customer Transactions",
        default="opportunities",
        required=True,
        help="What counts as a customer transaction for the customer indicators "
        "(active, new and retained customers, won revenue and deals). Sale "
        "orders need the Sales app.",
    )

    @api.constrains("bsc_activity_window_days")
    def _check_bsc_activity_window_days(self):
        for company in self:
            if company.bsc_activity_window_days < 1:
                raise ValidationError(
                    _(
                        "Company %(company)s: the customer activity window "
                        "%(value)s must be at least one day.",
                        company=company.name,
                        value=company.bsc_activity_window_days,
                    )
                )
