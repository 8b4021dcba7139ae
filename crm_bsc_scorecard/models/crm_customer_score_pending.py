# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL


class CrmCustomerScorePending(models.Model):
    """A customer whose transactions changed since it was last scored
    (company empty: in every company)."""

    _name = "crm.customer.score.pending"
    _description = "Customer Score Pending Rescoring"
    _log_access = False
    _order = "id"

    company_id = fields.Many2one("res.company", ondelete="cascade")
    # an id only: the customer may be deleted meanwhile
    customer_id = fields.Integer(required=True)

    @api.model
    def _record(self, pairs):
        """Record (company id or None, customer id) pairs and wake the
        rescoring on the first one."""
        pairs = sorted({(c or None, p) for c, p in pairs if p}, key=str)
        if not pairs:
            return
        self.env.cr.execute(SQL("SELECT 1 FROM crm_customer_score_pending LIMIT 1"))
        first = not self.env.cr.fetchone()
        self.env.cr.execute(
            SQL(
                "INSERT INTO crm_customer_score_pending (company_id, customer_id) "
                "VALUES %s",
                SQL(", ").join(SQL("(%s, %s)", c, p) for c, p in pairs),
            )
        )
        if first:
            cron = self.env.ref(
                "crm_bsc_scorecard.ir_cron_customer_rescore", raise_if_not_found=False
            )
            if cron:
                # sudo: wakes the addon's own rescoring job; any user whose
                # change queued a customer may, and it runs as the scheduler
                cron.sudo()._trigger()
