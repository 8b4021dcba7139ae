# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Customer counts kept between runs, and the transaction changes not yet
applied to them: the incremental recompute of active, retained and new
customers reads only the customers that changed (the maths is in
``tools/customer_counts.py``, the Python counter that is the customers
family's second implementation)."""

# the advisory lock of the run that brings the kept customer counts up to date
COUNTS_LOCK = 0x43524D42

import logging

import psycopg2
import psycopg2.errors

from odoo import api, fields, models
from odoo.tools import SQL

from ..engine import transactions as engine_transactions
from ..tools import customer_counts as counts_tools
from ..tools import engine_params

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

    # ------------------------------------------------------------------
    # The counts of a computation: read, kept, brought up to date
    # ------------------------------------------------------------------
    @api.model
    def _counts_where(self, company_id, channels, users, window_days, period_ids):
        return SQL(
            """company_id = %s AND by_channel = %s AND by_user = %s
               AND window_days = %s AND period_id = ANY(%s)""",
            company_id,
            bool(channels),
            bool(users),
            window_days,
            list(period_ids),
        )

    @api.model
    def _pending_periods(self, scope, channels, users):
        """The periods of the scope whose kept counts changed since their
        values were computed; None when some period has no kept counts."""
        self.env.cr.execute(
            SQL(
                "SELECT period_id, pending FROM crm_bsc_customer_count WHERE %s",
                self._counts_where(
                    scope.company_id,
                    channels,
                    users,
                    scope.window_days,
                    [pid for pid, _s, _e in scope.periods],
                ),
            )
        )
        rows = dict(self.env.cr.fetchall())
        if set(rows) != {pid for pid, _s, _e in scope.periods}:
            return None
        return {pid for pid, pending in rows.items() if pending}

    @api.model
    def _kept_table(self, scope, channels, users):
        """The customers table of the scope from the kept counts (None when
        a period has none); its periods are no longer pending. Counts of a
        segment, channel, salesperson or team deleted since are left out
        (their transactions have lost it)."""
        period_ids = [pid for pid, _s, _e in scope.periods]
        where = self._counts_where(
            scope.company_id, channels, users, scope.window_days, period_ids
        )
        self.env.cr.execute(
            SQL(
                "SELECT period_id, counts FROM crm_bsc_customer_count WHERE %s",
                where,
            )
        )
        rows = self.env.cr.fetchall()
        if {period_id for period_id, _counts in rows} != set(period_ids):
            return None
        counts = {}
        for period_id, kept in rows:
            counts.update(counts_tools.decode_counts(period_id, kept))
        existing = {}
        for index, table in enumerate(
            ("crm_customer_segment", "crm_contact_channel", "res_users", "crm_team"),
            start=1,
        ):
            ids = list({key[index] for key in counts} - {None})
            self.env.cr.execute(
                SQL("SELECT id FROM %s WHERE id = ANY(%s)", SQL.identifier(table), ids)
            )
            existing[index] = {row[0] for row in self.env.cr.fetchall()} | {None}
        self.env.cr.execute(
            SQL(
                "UPDATE crm_bsc_customer_count SET pending = false "
                "WHERE %s AND pending",
                where,
            )
        )
        return counts_tools.counts_table(
            {
                key: measures
                for key, measures in counts.items()
                if all(key[index] in existing[index] for index in existing)
            }
        )

    @api.model
    def _keep(self, scope, channels, users, table):
        """Keep the counts of a customers table computed from every
        transaction: one row per period."""
        period_ids = [pid for pid, _s, _e in scope.periods]
        self.env.cr.execute(
            SQL(
                "DELETE FROM crm_bsc_customer_count WHERE %s",
                self._counts_where(
                    scope.company_id, channels, users, scope.window_days, period_ids
                ),
            )
        )
        by_period = {period_id: {} for period_id in period_ids}
        for key, measures in table.items():
            if key[0] in by_period:
                by_period[key[0]][key] = measures
        self._insert(scope.company_id, channels, users, scope.window_days, by_period)

    def _insert(self, company_id, channels, users, window, by_period):
        """Insert the counts {period id: {key: measures}} of one breakdown."""
        if not by_period:
            return
        self.env.cr.execute(
            SQL(
                """INSERT INTO crm_bsc_customer_count (company_id, by_channel,
                       by_user, window_days, period_id, counts, pending)
                   VALUES %s""",
                SQL(", ").join(
                    SQL(
                        "(%s, %s, %s, %s, %s, %s, false)",
                        company_id,
                        bool(channels),
                        bool(users),
                        window,
                        period_id,
                        counts_tools.encode_counts(counts),
                    )
                    for period_id, counts in sorted(by_period.items())
                ),
            )
        )

    @api.model
    def _catch_up(self):
        """Apply the pending transaction changes to every kept count, then
        forget them. The counts of a company whose changes do not add up
        (a change made around the hooks) are dropped: its next run reads
        every transaction again.

        One transaction at a time works on the counts (until it ends):
        returns False, having done nothing, when another one does, or did
        since this one began."""
        cr = self.env.cr
        cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s)", COUNTS_LOCK))
        if not cr.fetchone()[0]:
            return False
        try:
            with cr.savepoint():
                self._apply_pending_changes()
        except psycopg2.errors.SerializationFailure:
            return False
        return True

    @api.model
    def _apply_pending_changes(self):
        cr = self.env.cr
        cr.execute(
            SQL(
                """SELECT id, sign, company_id, customer_id, date, lead_id,
                          channel_id, user_id, team_id, segment_id
                     FROM crm_bsc_transaction_change ORDER BY id"""
            )
        )
        changes = cr.fetchall()
        if not changes:
            return
        # the counts of closed periods are of no further use
        cr.execute(
            SQL(
                """DELETE FROM crm_bsc_customer_count c USING crm_bsc_period p
                    WHERE p.id = c.period_id AND p.state != 'open'"""
            )
        )
        cr.execute(
            SQL(
                """SELECT DISTINCT c.company_id, c.by_channel, c.by_user,
                          c.window_days, p.id, p.date_from, p.date_to
                     FROM crm_bsc_customer_count c
                     JOIN crm_bsc_period p ON p.id = c.period_id"""
            )
        )
        kept = {}
        for company_id, by_channel, by_user, window, *period in cr.fetchall():
            kept.setdefault(company_id, {}).setdefault(
                (by_channel, by_user, window), []
            ).append(tuple(period))
        for company_id, groups in kept.items():
            try:
                with cr.savepoint():
                    self._apply_transaction_changes(company_id, changes, groups)
            except psycopg2.errors.SerializationFailure:
                raise
            except (ValueError, psycopg2.Error) as error:
                _logger.info(
                    "Customer counts of company %s dropped: %s", company_id, error
                )
                self._invalidate([company_id])
        cr.execute(
            SQL(
                "DELETE FROM crm_bsc_transaction_change WHERE id = ANY(%s)",
                [change[0] for change in changes],
            )
        )

    @api.model
    def _apply_transaction_changes(self, company_id, changes, groups):
        """Add to the company's kept counts what its changed customers count
        now, and remove what they counted before the changes."""
        by_customer = {}
        for _id, sign, company, customer, day, lead, ch, u, t, segment in changes:
            if sign and company != company_id:
                continue
            by_customer.setdefault(customer, []).append(
                (sign, (day, lead, ch or None, u or None, t or None), segment or None)
            )
        if not by_customer:
            return
        customers = sorted(by_customer)
        cr = self.env.cr
        # (a join on the customers' ids, not "= ANY": the planner then
        # looks each one up in the index of the commercial partners instead
        # of reading every partner)
        cr.execute(
            SQL(
                """SELECT tx.customer, tx.d, tx.src, tx.ch, tx.u, tx.t
                     FROM (%s) AS tx
                     JOIN unnest(%s::int[]) AS c(id) ON c.id = tx.customer""",
                engine_transactions.lead_transactions_sql(company_id),
                engine_params.array_literal(customers),
            )
        )
        now = {}
        for customer, *transaction in cr.fetchall():
            now.setdefault(customer, []).append(tuple(transaction))
        cr.execute(
            SQL(
                "SELECT id, customer_segment_id FROM res_partner WHERE id = ANY(%s)",
                customers,
            )
        )
        segments = dict(cr.fetchall())
        states = []
        for customer in customers:
            transactions = now.get(customer, [])
            segment = segments.get(customer)
            before, segment_before = counts_tools.earlier_state(
                transactions, segment, by_customer[customer]
            )
            if segment_before != segment:
                start = None  # every period
            else:
                start = counts_tools.changed_from(transactions, before)
                if start is None:
                    continue
            states.append((transactions, segment, before, segment_before, start))
        if not states:
            return
        for (channels, users, window), periods in groups.items():
            delta = {}
            for transactions, segment, before, segment_before, start in states:
                touched = [p for p in periods if start is None or p[2] >= start]
                if not touched:
                    continue
                counts_tools.add_counts(
                    delta,
                    counts_tools.counts_change(
                        transactions,
                        segment,
                        before,
                        segment_before,
                        touched,
                        window,
                        channels,
                        users,
                    ),
                )
            delta = {
                key: change for key, change in delta.items() if any(change.values())
            }
            if delta:
                self._update(company_id, channels, users, window, delta)

    def _update(self, company_id, channels, users, window, delta):
        """Apply count changes {key: {measure: change}}; their periods
        become pending."""
        cr = self.env.cr
        period_ids = sorted({key[0] for key in delta})
        cr.execute(
            SQL(
                "SELECT id, period_id, counts FROM crm_bsc_customer_count WHERE %s",
                self._counts_where(company_id, channels, users, window, period_ids),
            )
        )
        for row_id, period_id, kept in cr.fetchall():
            counts = counts_tools.decode_counts(period_id, kept)
            counts_tools.add_counts(
                counts,
                {key: change for key, change in delta.items() if key[0] == period_id},
            )
            # checks that no count went below zero
            counts_tools.counts_table(counts)
            cr.execute(
                SQL(
                    "UPDATE crm_bsc_customer_count SET counts = %s, pending = true "
                    "WHERE id = %s",
                    counts_tools.encode_counts(counts),
                    row_id,
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
