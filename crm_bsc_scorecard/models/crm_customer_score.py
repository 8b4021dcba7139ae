# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Scores of every customer, per company: RFM, probability alive, churn
propensity, expected purchases, predicted lifetime value, risk band and
lifecycle stage. Read from the transactions in SQL, scored with numpy
(tools/clv.py, tools/rfm.py), written in bulk; never on res.partner.

This file: the model, its fields, reading the transactions and the
scheduled actions; fitting, scoring, writing and the follow-up of a risk:
``crm_customer_score_scoring.py``."""

import datetime
import logging

import numpy as np

from odoo import _, api, fields, models
from odoo.tools import SQL

from ..engine import transactions
from ..tools import clv, rfm
from ..tools import engine as engine_tools

_logger = logging.getLogger(__name__)

RISK_BANDS = [
    (rfm.RISK_LOW, "Low"),
    (rfm.RISK_MEDIUM, "Medium"),
    (rfm.RISK_HIGH, "High"),
]
LIFECYCLE_STAGES = [
    (rfm.STAGE_NEW, "New"),
    (rfm.STAGE_ACTIVE, "Active"),
    (rfm.STAGE_AT_RISK, "At risk"),
    (rfm.STAGE_LAPSED, "Lapsed"),
    (rfm.STAGE_LOST, "Lost"),
]
SCORE_GROUP = "sales_team.group_sale_salesman"  # who reads scores on partners, leads
ORDERS_MARGIN = datetime.timedelta(minutes=15)
ORDERS_CHECKED_PARAM = "crm_bsc_scorecard.customer_scores_orders_checked_at"


def _day(date):
    return date.toordinal()


class CrmCustomerScore(models.Model):
    _name = "crm.customer.score"
    _description = "Customer Score"
    _order = "churn_propensity desc nulls last, id"
    _rec_name = "partner_id"
    _log_access = False

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, ondelete="cascade", index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    model_id = fields.Many2one(
        "crm.customer.model",
        readonly=True,
        ondelete="set null",
        help="The fitted model the probabilities and values come from.",
    )
    segment_id = fields.Many2one(
        "crm.customer.segment", readonly=True, ondelete="set null"
    )
    channel_id = fields.Many2one(
        "crm.contact.channel",
        readonly=True,
        ondelete="set null",
        help="The contact channel of the customer's last transaction.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        readonly=True,
        ondelete="set null",
        help="The customer's salesperson, else the salesperson of its last "
        "transaction.",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        readonly=True,
        ondelete="set null",
        help="The sales team of the customer's last transaction.",
    )
    first_date = fields.Date(string="First Transaction", readonly=True)
    last_date = fields.Date(string="Last Transaction", readonly=True)
    transaction_count = fields.Integer(
        string="Transactions",
        readonly=True,
        help="Days with a transaction (several on one day count as one).",
    )
    average_value = fields.Monetary(
        string="Average Transaction Value", readonly=True, aggregator="avg"
    )
    total_value = fields.Monetary(readonly=True)
    recency_days = fields.Integer(
        string="Days Since Last Transaction", readonly=True, aggregator="avg"
    )
    rfm_r = fields.Integer(
        string="Recency Score",
        readonly=True,
        aggregator="avg",
        help="1 to 5: 5 for the fifth of customers who bought most recently.",
    )
    rfm_f = fields.Integer(
        string="Frequency Score",
        readonly=True,
        aggregator="avg",
        help="1 to 5: 5 for the fifth of customers with the most transactions.",
    )
    rfm_m = fields.Integer(
        string="Monetary Score",
        readonly=True,
        aggregator="avg",
        help="1 to 5: 5 for the fifth of customers with the highest average "
        "transaction value.",
    )
    rfm_code = fields.Char(
        string="RFM",
        readonly=True,
        help="The recency, frequency and monetary scores together: 555 is a "
        "recent, frequent, high-value customer, 111 the opposite.",
    )
    p_alive = fields.Float(
        string="Probability Alive",
        readonly=True,
        digits=(16, 4),
        aggregator="avg",
        help="The probability that the customer still buys from us, from its "
        "number of transactions and the time since the last one.",
    )
    churn_propensity = fields.Float(
        readonly=True,
        digits=(16, 4),
        aggregator="avg",
        help="1 - probability alive: the probability that the customer has "
        "stopped buying from us.",
    )
    expected_purchases_90d = fields.Float(
        string="Expected Transactions (90 days)",
        readonly=True,
        digits=(16, 2),
        help="How many transactions the customer is expected to make in the "
        "next 90 days.",
    )
    predicted_clv = fields.Monetary(
        string="Predicted Lifetime Value",
        readonly=True,
        help="The discounted value of the customer's expected transactions "
        "over the horizon set in the settings (12 months by default).",
    )
    risk_band = fields.Selection(
        RISK_BANDS,
        readonly=True,
        help="By churn propensity, with the thresholds of the settings.",
    )
    lifecycle_stage = fields.Selection(
        LIFECYCLE_STAGES,
        readonly=True,
        help="The first rule that holds: New: first transaction less than 90 "
        "days ago. Lost: no transaction within the customer activity window "
        "(365 days by default). At risk: churn propensity in the high band. "
        "Lapsed: no transaction for more than half the activity window. "
        "Active: the others.",
    )
    scored_at = fields.Datetime(string="Scored On", readonly=True)
    partner_active = fields.Boolean(related="partner_id.active", string="Active")

    _sql_constraints = [
        (
            "partner_company_uniq",
            "unique(partner_id, company_id)",
            "A customer has one score per company.",
        )
    ]

    # ------------------------------------------------------------------
    # Reading the transactions
    # ------------------------------------------------------------------

    @api.model
    def _transactions_sql(self, company):
        """The company's customer transactions, with their value in the
        company's currency (amount): the one definition of
        engine/transactions.py. Raises a FitError when the company chose
        sale orders and Sales is not installed."""
        if company.bsc_transaction_source == transactions.ORDER_SOURCE:
            if "sale.order" in self.env:
                self.env["sale.order"].flush_model()
        else:
            self.env["crm.lead"].flush_model()
        try:
            return transactions.company_transactions_sql(
                self.env, company.id, company.bsc_transaction_source, amount=True
            )
        except engine_tools.NoSourceError as error:
            raise clv.FitError(
                clv.FitError.BAD_INPUT, str(error), field="bsc_transaction_source"
            ) from error

    @api.model
    def _customer_rows(self, company, as_of, customer_ids=None):
        """Per customer with a transaction up to ``as_of`` (a date): the
        summary the models need and its dimensions, as numpy arrays.
        Transactions on the same day count as one of their summed value;
        transactions of zero or negative value count as transactions but
        are left out of the spend model (the mean value of repeat
        transactions)."""
        self.env["res.partner"].flush_model(
            ["commercial_partner_id", "customer_segment_id", "user_id", "active"]
        )
        only = (
            SQL("AND tx.customer = ANY(%s)", list(customer_ids))
            if customer_ids is not None
            else SQL()
        )
        self.env.cr.execute(
            SQL(
                """
                WITH tx AS (
                    SELECT tx.* FROM (%(transactions)s) tx
                     WHERE tx.d <= %(as_of)s %(only)s
                ), days AS (
                    SELECT customer, d, sum(amount) AS amount
                      FROM tx GROUP BY customer, d
                ), per AS (
                    SELECT customer, min(d) AS first, max(d) AS last,
                           count(*) AS n, sum(amount) AS total
                      FROM days GROUP BY customer
                ), rep AS (
                    SELECT dd.customer, count(*) AS mc, sum(dd.amount) AS ms
                      FROM days dd JOIN per p ON p.customer = dd.customer
                     WHERE dd.d > p.first AND dd.amount > 0
                     GROUP BY dd.customer
                ), last AS (
                    SELECT DISTINCT ON (customer) customer, ch, u, t
                      FROM tx ORDER BY customer, d DESC, src DESC
                )
                SELECT per.customer,
                       per.first - DATE '0001-01-01' + 1,
                       per.last - DATE '0001-01-01' + 1,
                       per.n, per.total, COALESCE(rep.mc, 0), COALESCE(rep.ms, 0),
                       COALESCE(cp.customer_segment_id, 0),
                       COALESCE(last.ch, 0),
                       COALESCE(cp.user_id, last.u, 0),
                       COALESCE(last.t, 0),
                       cp.active
                  FROM per
                  JOIN res_partner cp ON cp.id = per.customer
                  LEFT JOIN rep ON rep.customer = per.customer
                  LEFT JOIN last ON last.customer = per.customer
                 ORDER BY per.customer
                """,
                transactions=self._transactions_sql(company),
                as_of=as_of,
                only=only,
            )
        )
        rows = self.env.cr.fetchall()
        columns = list(zip(*rows, strict=True)) if rows else [()] * 12
        ints = [np.array(c, dtype=np.int64) for c in columns[:4]]
        customers, first, last, n = ints
        total = np.array(columns[4], dtype=float)
        m_count = np.array(columns[5], dtype=float)
        m_sum = np.array(columns[6], dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            monetary = np.where(m_count > 0, m_sum / np.maximum(m_count, 1), 0.0)
            average = np.where(n > 0, total / np.maximum(n, 1), 0.0)
        end = _day(as_of)
        summary = clv.Summary(
            customers=customers,
            frequency=(n - 1).astype(float),
            recency=(last - first) / clv.DAYS_PER_WEEK,
            T=(end - first) / clv.DAYS_PER_WEEK,
            first_day=first.astype(float),
            last_day=last.astype(float),
            transactions=n.astype(float),
            monetary_value=monetary,
            monetary_count=m_count,
            average_value=average,
        )
        dims = {
            "segment_id": np.array(columns[7], dtype=np.int64),
            "channel_id": np.array(columns[8], dtype=np.int64),
            "user_id": np.array(columns[9], dtype=np.int64),
            "team_id": np.array(columns[10], dtype=np.int64),
            "active": np.array(columns[11], dtype=bool),
            "total_value": total,
        }
        return summary, dims

    @api.model
    def _holdout_counts(self, company, calibration_end, holdout_end, customers):
        """Transaction days of each customer in (calibration_end, holdout_end]."""
        self.env.cr.execute(
            SQL(
                """
                SELECT tx.customer, count(DISTINCT tx.d) FROM (%s) tx
                 WHERE tx.d > %s AND tx.d <= %s GROUP BY tx.customer
                """,
                self._transactions_sql(company),
                calibration_end,
                holdout_end,
            )
        )
        counts = dict(self.env.cr.fetchall())
        return np.array([counts.get(c, 0) for c in customers.tolist()], dtype=float)

    # ------------------------------------------------------------------
    # As of a date, for indicators
    # ------------------------------------------------------------------

    @api.model
    def _score_as_of(self, company, as_of):
        """Every customer of the company scored as of ``as_of`` (a date)
        from its transactions up to then, with the stored parameters of the
        company's (and its segments') models; nothing is written.

        Returns a dict of numpy arrays, one entry per customer: "customer",
        the dimensions "segment_id", "channel_id", "user_id", "team_id" (0
        for none), "active" (the partner is not archived), "model_id" (0:
        no fitted model), and the scores "recency_days", "rfm_r", "rfm_f",
        "rfm_m", "rfm_code", "p_alive", "churn", "expected_90d", "clv"
        (NaN without a model), "risk_band", "stage". The RFM quintiles rank
        the customers of that date among themselves."""
        summary, dims = self._customer_rows(company, as_of)
        scores = self._score_summary(company, summary, dims, as_of, bounds=None)
        result = {"customer": summary.customers}
        result.update(
            {
                key: dims[key]
                for key in ("segment_id", "channel_id", "user_id", "team_id", "active")
            }
        )
        result.update(scores)
        return result

    # ------------------------------------------------------------------
    # Scheduled actions
    # ------------------------------------------------------------------

    @api.model
    def _cron_fit_and_score(self):
        """Scheduled action: fit and rescore one company per batch, each in
        a savepoint (a company that fails is logged and the others go on)."""
        lastcall = self.env.context.get("lastcall")
        # sudo: a scheduled action over every company's derived scores
        companies = self.env["res.company"].sudo().search([], order="id")
        Model = self.env["crm.customer.model"].sudo()
        done = set()
        if lastcall:
            done = set(
                Model.search(
                    [("segment_id", "=", False), ("run_at", ">=", lastcall)]
                ).company_id.ids
            )
        due = companies.filtered(lambda c: c.id not in done)
        if not due:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return
        company = due[0]
        try:
            with self.env.cr.savepoint():
                self._fit_and_score_company(company)
        except Exception as error:  # pylint: disable=broad-except
            # isolate the company: the savepoint undid its half-written
            # work; the error is logged and kept on its model record
            _logger.exception("Customer scores of %s failed", company.name)
            main = self._models_of(company).get(0) or Model.create(
                {"company_id": company.id}
            )
            main.write(
                {
                    "last_error": _("Scoring failed: %(error)s", error=str(error)),
                    "last_error_at": fields.Datetime.now(),
                    "run_at": fields.Datetime.now(),
                }
            )
        self.env["ir.cron"]._notify_progress(done=1, remaining=len(due) - 1)

    @api.model
    def _cron_rescore_changed(self):
        """Scheduled action, woken by the change tracking: rescore the
        customers whose transactions changed, with the stored parameters;
        when sale orders are the transactions, those of the orders
        confirmed or cancelled since the last look."""
        # sudo: a scheduled action; the queue and the scores it feeds are
        # derived data of every company
        Pending = self.env["crm.customer.score.pending"].sudo()
        self._pending_sale_orders()
        self.env.cr.execute(
            SQL("SELECT id, company_id, customer_id FROM crm_customer_score_pending")
        )
        rows = self.env.cr.fetchall()
        if not rows:
            return 0
        companies = self.env["res.company"].sudo().search([])
        by_company = {}
        for _id, company_id, customer_id in rows:
            for company in companies:
                if company_id in (company.id, None):
                    by_company.setdefault(company, set()).add(customer_id)
        written = 0
        for company, customers in by_company.items():
            try:
                with self.env.cr.savepoint():
                    written += self._rescore_customers(company, customers)
            except Exception:  # pylint: disable=broad-except
                # logged; the daily full run scores these customers again
                _logger.exception("Rescoring customers of %s failed", company.name)
        Pending.browse([row[0] for row in rows]).unlink()
        return written

    @api.model
    def _pending_sale_orders(self):
        """Record the customers of the sale orders confirmed or cancelled
        since the last look (less a margin), in the companies that count
        sale orders as transactions. The addon has no hooks on sale orders
        (it does not depend on Sales)."""
        # sudo: called by the scheduled rescoring only, over every company
        companies = (
            self.env["res.company"]
            .sudo()
            .search([("bsc_transaction_source", "=", "sale_orders")])
        )
        if "sale.order" not in self.env or not companies:
            return
        params = self.env["ir.config_parameter"].sudo()
        now = fields.Datetime.now()
        since = params.get_param(ORDERS_CHECKED_PARAM)
        params.set_param(ORDERS_CHECKED_PARAM, fields.Datetime.to_string(now))
        if not since:
            return  # the full run scores them all
        self.env["sale.order"].flush_model(["state", "partner_id", "company_id"])
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_customer_score_pending (company_id, customer_id)
                SELECT DISTINCT so.company_id, rp.commercial_partner_id
                  FROM sale_order so JOIN res_partner rp ON rp.id = so.partner_id
                 WHERE so.write_date >= %s AND so.company_id = ANY(%s) AND %s
                """,
                fields.Datetime.to_datetime(since) - ORDERS_MARGIN,
                companies.ids,
                transactions.order_changed_sql(),
            )
        )
