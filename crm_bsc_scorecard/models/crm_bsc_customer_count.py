# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Customer counts kept between runs, and the transaction changes not yet
applied to them: the incremental recompute of active, retained and new
customers reads only the customers that changed."""

import logging

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class CrmBscCustomerCount(models.Model):
    """Active, cohort, retained and new customers of one open period, per
    key, as the last computation (plus the changes applied since) found
    them, for one way of breaking them down."""

    _name = "crm.bsc.customer.count"
    _description = "Scorecard Customer Counts"
    _log_access = False
    _order = "period_id, id"

    company_id = fields.Many2one(
        "res.company", required=True, ondelete="cascade", index=True
    )
    period_id = fields.Many2one("crm.bsc.period", required=True, ondelete="cascade")
    by_channel = fields.Boolean(help="The counts per contact channel are kept.")
    by_user = fields.Boolean(help="The counts per salesperson and team are kept.")
    window_days = fields.Integer(required=True)
    counts = fields.Json(
        help="Per segment, channel, salesperson and team (empty: all): the "
        "active, cohort, retained and new customers."
    )
    pending = fields.Boolean(
        help="Changed since the values of its period were last computed."
    )

    def init(self):
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS crm_bsc_customer_count_period
                    ON crm_bsc_customer_count (company_id, period_id, by_channel,
                        by_user, window_days)
                """
            )
        )

    @api.model
    def _invalidate(self, company_ids=None):
        """Forget the counts (of these companies): the next computation
        reads every transaction again. For changes the pending transaction
        changes cannot describe (a stage that becomes won, a contact that
        moves to another company)."""
        self.env.cr.execute(
            SQL(
                "DELETE FROM crm_bsc_customer_count %s",
                SQL("WHERE company_id = ANY(%s)", list(company_ids))
                if company_ids is not None
                else SQL(),
            )
        )


class CrmBscTransactionChange(models.Model):
    """A customer transaction that appeared or disappeared, or a customer
    whose segment changed, since the customer counts were last brought up
    to date."""

    _name = "crm.bsc.transaction.change"
    _description = "Scorecard Pending Transaction Change"
    _log_access = False
    _order = "id"

    company_id = fields.Many2one("res.company", ondelete="cascade")
    # ids only: what is recorded stays as it was, whatever happens to them
    customer_id = fields.Integer(required=True)
    sign = fields.Integer(
        required=True,
        help="1: the transaction appeared, -1: it disappeared, "
        "0: the customer's segment changed (the segment before is kept).",
    )
    date = fields.Date()
    lead_id = fields.Integer()
    channel_id = fields.Integer()
    user_id = fields.Integer()
    team_id = fields.Integer()
    segment_id = fields.Integer()

    @api.model
    def _record_transactions(self, before, after):
        """Record the transactions that differ between two snapshots
        {lead id: (company, customer, day, lead, channel, user, team) or
        None}."""
        rows = []
        for lead_id in sorted(set(before) | set(after)):
            old, new = before.get(lead_id), after.get(lead_id)
            if old == new:
                continue
            if old:
                rows.append((-1, *old))
            if new:
                rows.append((1, *new))
        if rows:
            self.env.cr.execute(
                SQL(
                    """INSERT INTO crm_bsc_transaction_change (sign, company_id,
                           customer_id, date, lead_id, channel_id, user_id, team_id)
                       VALUES %s""",
                    SQL(", ").join(SQL("%s", row) for row in rows),
                )
            )

    @api.model
    def _record_segments(self, previous):
        """Record customers whose segment changed: {customer id: segment
        before (False for none)}."""
        if previous:
            self.env.cr.execute(
                SQL(
                    """INSERT INTO crm_bsc_transaction_change (sign, customer_id,
                           segment_id) VALUES %s""",
                    SQL(", ").join(
                        SQL("(0, %s, %s)", customer, segment or None)
                        for customer, segment in sorted(previous.items())
                    ),
                )
            )
