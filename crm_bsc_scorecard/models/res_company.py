# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL


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

    def write(self, vals):
        window = source = self.browse()
        if "bsc_activity_window_days" in vals:
            window = self.filtered(
                lambda c: c.bsc_activity_window_days != vals["bsc_activity_window_days"]
            )
        if "bsc_transaction_source" in vals:
            source = self.filtered(
                lambda c: c.bsc_transaction_source != vals["bsc_transaction_source"]
            )
        result = super().write(vals)
        if window - source:
            (window - source)._bsc_record_settings_changed(("customers",))
        if source:
            source._bsc_record_settings_changed(("customers", "closed", "orders"))
        return result

    def _bsc_record_settings_changed(self, families):
        """The activity window or the source of transactions changed: these
        families of built-in indicators move in every open period, and the
        customer counts kept follow the old settings."""
        # sudo: the company settings were changed with the user's rights;
        # the technical counts and change log follow them
        self.env["crm.bsc.customer.count"].sudo()._invalidate(self.ids)
        self.env.cr.execute(
            SQL("SELECT min(date_from) FROM crm_bsc_period WHERE state = 'open'")
        )
        start = self.env.cr.fetchone()[0]
        if not start:
            return
        today = fields.Date.context_today(self)
        # sudo: as above, the technical change log
        self.env["crm.bsc.dirty"].sudo()._record(
            (company.id, family, start, max(start, today))
            for company in self
            for family in families
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
