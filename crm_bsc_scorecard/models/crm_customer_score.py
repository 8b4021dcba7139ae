# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Scores of every customer, per company: RFM, probability alive, churn
propensity, expected purchases, predicted lifetime value, risk band and
lifecycle stage. Read from the transactions in SQL, scored with numpy
(tools/clv.py, tools/rfm.py), written in bulk; never on res.partner."""

import datetime
import logging

import numpy as np

from odoo import _, api, fields, models
from odoo.tools import SQL, format_amount, format_date

from ..tools import clv, rfm

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
ORDINAL_EPOCH = datetime.date(1, 1, 1)  # date.toordinal() == 1
WRITE_CHUNK = 50000
# the holdout period: a third of the history, between these bounds (days)
HOLDOUT_MIN_DAYS = 28
HOLDOUT_MAX_DAYS = 364
ORDERS_MARGIN = datetime.timedelta(minutes=15)
ORDERS_CHECKED_PARAM = "crm_bsc_scorecard.customer_scores_orders_checked_at"

# columns written by the bulk upsert: (name, SQL type)
SCORE_COLUMNS = [
    ("partner_id", "int4"),
    ("model_id", "int4"),
    ("segment_id", "int4"),
    ("channel_id", "int4"),
    ("user_id", "int4"),
    ("team_id", "int4"),
    ("first_date", "int4"),
    ("last_date", "int4"),
    ("transaction_count", "int4"),
    ("average_value", "float8"),
    ("total_value", "float8"),
    ("recency_days", "int4"),
    ("rfm_r", "int4"),
    ("rfm_f", "int4"),
    ("rfm_m", "int4"),
    ("rfm_code", "varchar"),
    ("p_alive", "float8"),
    ("churn_propensity", "float8"),
    ("expected_purchases_90d", "float8"),
    ("predicted_clv", "float8"),
    ("risk_band", "varchar"),
    ("lifecycle_stage", "varchar"),
]


def _day(date):
    return date.toordinal()


def _nullable(array):
    """A float array as a list with None for NaN."""
    array = np.asarray(array, dtype=float)
    values = array.tolist()
    for index in np.flatnonzero(np.isnan(array)).tolist():
        values[index] = None
    return values


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
        """The company's customer transactions: customer (the commercial
        entity), day, value in the company's currency, channel, salesperson,
        team and source id. Won opportunities, or confirmed sale orders when
        the company says so (and Sales is installed)."""
        if company.bsc_transaction_source == "sale_orders":
            if "sale.order" not in self.env:
                raise clv.FitError(
                    clv.FitError.BAD_INPUT,
                    "confirmed sale orders were chosen, but Sales is not installed",
                    field="bsc_transaction_source",
                )
            self.env["sale.order"].flush_model()
            return SQL(
                """
                SELECT rp.commercial_partner_id AS customer, so.date_order::date AS d,
                       so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1)
                           AS amount,
                       %s AS ch, so.user_id AS u, so.team_id AS t, so.id AS src
                  FROM sale_order so
                  JOIN res_partner rp ON rp.id = so.partner_id
                 WHERE so.company_id = %s AND so.state = 'sale'
                """,
                self.env["crm.bsc.engine"]._utm_channel_sql(
                    SQL("so.source_id"), SQL("so.medium_id")
                ),
                company.id,
            )
        self.env["crm.lead"].flush_model()
        return SQL(
            """
            SELECT rp.commercial_partner_id AS customer, l.date_closed::date AS d,
                   COALESCE(l.expected_revenue, 0) AS amount,
                   l.contact_channel_id AS ch, l.user_id AS u, l.team_id AS t,
                   l.id AS src
              FROM crm_lead l
              JOIN crm_stage st ON st.id = l.stage_id AND st.is_won
              JOIN res_partner rp ON rp.id = l.partner_id
             WHERE l.company_id = %s AND l.active AND l.type = 'opportunity'
               AND l.date_closed IS NOT NULL
            """,
            company.id,
        )

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
    # Fitting
    # ------------------------------------------------------------------

    @api.model
    def _fit_scope(self, company, model_record, summary, mask, today):
        """Fit the model of one scope (the company, or a segment: ``mask``
        selects its customers) and store it on ``model_record``. A refused
        fit keeps the parameters in force and records why."""
        now = fields.Datetime.now()
        try:
            bg = clv.fit_bgnbd(
                summary.frequency[mask],
                summary.recency[mask],
                summary.T[mask],
                model=company.bsc_clv_model_type,
                min_repeat_customers=company.bsc_clv_min_repeat_customers,
            )
        except clv.FitError as error:
            model_record.write(
                {
                    "last_error": model_record._fit_error_message(error),
                    "last_error_at": now,
                }
            )
            return False
        vals = {
            "state": "fitted",
            "model_type": bg.model,
            "r": bg.r,
            "alpha": bg.alpha,
            "a": bg.a,
            "b": bg.b,
            "log_likelihood": bg.log_likelihood,
            "customer_count": bg.customers,
            "repeat_customer_count": bg.repeat_customers,
            "fitted_at": now,
            "last_error": False,
            "last_error_at": False,
        }
        try:
            gg = clv.fit_gamma_gamma(
                summary.monetary_count[mask],
                summary.monetary_value[mask],
                min_customers=company.bsc_clv_min_repeat_customers,
            )
        except clv.FitError as error:
            vals.update(
                gg_error=model_record._fit_error_message(error),
                gg_customer_count=0,
                gg_p=0,
                gg_q=0,
                gg_v=0,
                gg_log_likelihood=0,
            )
        else:
            vals.update(
                gg_error=False,
                gg_p=gg.p,
                gg_q=gg.q,
                gg_v=gg.v,
                gg_log_likelihood=gg.log_likelihood,
                gg_customer_count=gg.customers,
            )
        vals.update(self._holdout_vals(company, model_record, summary, mask, today))
        model_record.write(vals)
        return True

    @api.model
    def _holdout_vals(self, company, model_record, summary, mask, today):
        """Fit on a calibration period, predict the holdout period (the last
        third of the history, four weeks to a year): Fader and Hardie's
        check of the model, per number of calibration repeat transactions."""
        if not mask.any():
            return {}
        start = int(summary.first_day[mask].min())
        span = _day(today) - start
        holdout_days = int(min(max(span // 3, HOLDOUT_MIN_DAYS), HOLDOUT_MAX_DAYS))
        calibration_end = today - datetime.timedelta(days=holdout_days)
        empty = {
            "calibration_end": calibration_end,
            "holdout_end": today,
            "holdout_groups": [],
            "holdout_actual": 0,
            "holdout_predicted": 0,
            "holdout_error": 0,
            "holdout_mae": 0,
        }
        if span < 2 * HOLDOUT_MIN_DAYS:
            empty["holdout_note"] = _("The history is too short for a holdout check.")
            return empty
        cal, _dims = self._customer_rows(company, calibration_end)
        keep = np.isin(cal.customers, summary.customers[mask])
        try:
            bg = clv.fit_bgnbd(
                cal.frequency[keep],
                cal.recency[keep],
                cal.T[keep],
                model=company.bsc_clv_model_type,
                min_repeat_customers=company.bsc_clv_min_repeat_customers,
            )
        except clv.FitError as error:
            empty["holdout_note"] = _(
                "No holdout check: the calibration period cannot be fitted. %(reason)s",
                reason=model_record._fit_error_message(error),
            )
            return empty
        actual = self._holdout_counts(
            company, calibration_end, today, cal.customers[keep]
        )
        report = clv.holdout_report(
            bg,
            cal.frequency[keep],
            cal.recency[keep],
            cal.T[keep],
            actual,
            holdout_days / clv.DAYS_PER_WEEK,
        )
        return {
            "calibration_end": calibration_end,
            "holdout_end": today,
            "holdout_groups": report["groups"],
            "holdout_actual": report["actual_total"],
            "holdout_predicted": report["predicted_total"],
            "holdout_error": report["error"] or 0.0,
            "holdout_mae": report["mae"],
            "holdout_note": _(
                "Fitted on the transactions up to %(end)s (%(customers)s "
                "customers), predicting the %(days)s days after.",
                end=calibration_end,
                customers=int(keep.sum()),
                days=holdout_days,
            ),
        }

    @api.model
    def _models_of(self, company):
        """{segment id or 0: crm.customer.model} of the company."""
        Model = self.env["crm.customer.model"].sudo()
        return {
            m.segment_id.id or 0: m
            for m in Model.search([("company_id", "=", company.id)])
        }

    @api.model
    def _fit_and_score_company(self, company, today=None):
        """Fit the company's models (and its segments' when set) on every
        transaction up to today, then score and write every customer.
        Returns the number of customers scored."""
        today = today or fields.Date.context_today(self)
        summary, dims = self._customer_rows(company, today)
        Model = self.env["crm.customer.model"].sudo()
        models_ = self._models_of(company)
        main = models_.get(0) or Model.create({"company_id": company.id})
        main.run_at = fields.Datetime.now()
        everyone = np.ones(len(summary.customers), dtype=bool)
        self._fit_scope(company, main, summary, everyone, today)
        used = {0}
        if company.bsc_clv_segment_models:
            segments, counts = np.unique(
                dims["segment_id"][summary.frequency > 0], return_counts=True
            )
            for segment_id, count in zip(
                segments.tolist(), counts.tolist(), strict=True
            ):
                if not segment_id or count < company.bsc_clv_segment_min_customers:
                    continue
                record = models_.get(segment_id) or Model.create(
                    {"company_id": company.id, "segment_id": segment_id}
                )
                mask = dims["segment_id"] == segment_id
                if self._fit_scope(company, record, summary, mask, today) or (
                    record.state == "fitted"
                ):
                    used.add(segment_id)
        # segment models no longer wanted: their customers use the company's
        Model.browse([m.id for key, m in models_.items() if key not in used]).unlink()
        return self._score_and_write(company, summary, dims, today, full=True)

    # ------------------------------------------------------------------
    # Scoring and writing
    # ------------------------------------------------------------------

    @api.model
    def _score_summary(self, company, summary, dims, today, bounds=None):
        """Score the customers of a summary with the company's stored
        models: {name: array}, plus "model_id"."""
        settings = company._bsc_clv_settings()
        models_ = self._models_of(company)
        main = models_.get(0)
        n = len(summary.customers)
        model_ids = np.zeros(n, dtype=np.int64)
        groups = []
        if main:
            covered = np.zeros(n, dtype=bool)
            for segment_id, record in models_.items():
                if segment_id and record.state == "fitted":
                    mask = dims["segment_id"] == segment_id
                    covered |= mask
                    groups.append((record, mask))
            groups.append((main, ~covered))
        else:
            groups.append((None, np.ones(n, dtype=bool)))
        scores = rfm.score(summary, _day(today), settings=settings, bounds=bounds)
        for record, mask in groups:
            if record is None or record.state != "fitted" or not mask.any():
                continue
            part = self._subset(summary, mask)
            scored = rfm.score(
                part,
                _day(today),
                record._bg_params(),
                record._gg_params(),
                settings,
                bounds={"r": [], "f": [], "m": []},
            )
            for key in (
                "p_alive",
                "churn",
                "expected_90d",
                "clv",
                "risk_band",
                "stage",
            ):
                scores[key][mask] = scored[key]
            model_ids[mask] = record.id
        scores["model_id"] = model_ids
        return scores

    @api.model
    def _subset(self, summary, mask):
        return clv.Summary(
            **{
                name: getattr(summary, name)[mask]
                for name in clv.Summary.__dataclass_fields__
            }
        )

    @api.model
    def _score_and_write(
        self, company, summary, dims, today, full=False, follow_risk=True
    ):
        """Score the customers of ``summary`` and write them in bulk. A full
        scoring ranks the RFM quintiles among all the company's customers
        and keeps their bounds on the company's model; a partial one scores
        against those bounds. Then the risk activities follow."""
        Model = self.env["crm.customer.model"].sudo()
        main = self._models_of(company).get(0)
        bounds = None if full else ((main and main.rfm_bounds) or None)
        scores = self._score_summary(company, summary, dims, today, bounds=bounds)
        if full:
            recency = _day(today) - summary.last_day
            new_bounds = rfm.rfm_bounds(
                recency,
                summary.transactions,
                summary.average_value,
                (scores["rfm_r"], scores["rfm_f"], scores["rfm_m"]),
            )
            (main or Model.create({"company_id": company.id})).rfm_bounds = new_bounds
        before = self._bands_before(company, summary.customers)
        written = self._write_scores(company, summary, dims, scores)
        if full:
            self._delete_unscored(company, summary.customers)
        if follow_risk:
            self._follow_risk(company, summary, dims, scores, before)
        return written

    @api.model
    def _bands_before(self, company, customers):
        self.env.cr.execute(
            SQL(
                "SELECT partner_id, risk_band FROM crm_customer_score "
                "WHERE company_id = %s AND partner_id = ANY(%s)",
                company.id,
                customers.tolist(),
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _write_scores(self, company, summary, dims, scores):
        """One INSERT ... SELECT FROM unnest ... ON CONFLICT per chunk of
        customers; partners deleted since they were read are skipped."""
        n = len(summary.customers)
        if not n:
            return 0

        def ids(array):
            values = np.asarray(array).tolist()
            return [v or None for v in values]

        def texts(array):
            return [None if v is None else str(v) for v in np.asarray(array).tolist()]

        columns = {
            "partner_id": summary.customers.tolist(),
            "model_id": ids(scores["model_id"]),
            "segment_id": ids(dims["segment_id"]),
            "channel_id": ids(dims["channel_id"]),
            "user_id": ids(dims["user_id"]),
            "team_id": ids(dims["team_id"]),
            "first_date": summary.first_day.astype(int).tolist(),
            "last_date": summary.last_day.astype(int).tolist(),
            "transaction_count": summary.transactions.astype(int).tolist(),
            "average_value": summary.average_value.tolist(),
            "total_value": np.asarray(dims["total_value"], float).tolist(),
            "recency_days": scores["recency_days"].tolist(),
            "rfm_r": scores["rfm_r"].tolist(),
            "rfm_f": scores["rfm_f"].tolist(),
            "rfm_m": scores["rfm_m"].tolist(),
            "rfm_code": texts(scores["rfm_code"]),
            "p_alive": _nullable(scores["p_alive"]),
            "churn_propensity": _nullable(scores["churn"]),
            "expected_purchases_90d": _nullable(scores["expected_90d"]),
            "predicted_clv": _nullable(scores["clv"]),
            "risk_band": texts(scores["risk_band"]),
            "lifecycle_stage": texts(scores["stage"]),
        }
        names = [name for name, _type in SCORE_COLUMNS]
        select = []
        for name, _type in SCORE_COLUMNS:
            if name in ("first_date", "last_date"):
                select.append(
                    SQL("DATE '0001-01-01' + (%s - 1)", SQL.identifier("u", name))
                )
            else:
                select.append(SQL.identifier("u", name))
        now = fields.Datetime.now()
        written = 0
        for start in range(0, n, WRITE_CHUNK):
            chunk = slice(start, start + WRITE_CHUNK)
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO crm_customer_score (company_id, scored_at, %(names)s)
                    SELECT %(company)s, %(now)s, %(select)s
                      FROM unnest(%(arrays)s) AS u(%(names)s)
                      JOIN res_partner p ON p.id = u.partner_id
                    ON CONFLICT (partner_id, company_id) DO UPDATE SET
                        scored_at = EXCLUDED.scored_at, %(updates)s
                    """,
                    names=SQL(", ").join(SQL.identifier(name) for name in names),
                    company=company.id,
                    now=now,
                    select=SQL(", ").join(select),
                    arrays=SQL(", ").join(
                        SQL("%s::" + sql_type + "[]", columns[name][chunk])
                        for name, sql_type in SCORE_COLUMNS
                    ),
                    updates=SQL(", ").join(
                        SQL(
                            "%s = EXCLUDED.%s",
                            SQL.identifier(name),
                            SQL.identifier(name),
                        )
                        for name in names
                        if name != "partner_id"
                    ),
                )
            )
            written += self.env.cr.rowcount
        self.invalidate_model()
        return written

    @api.model
    def _delete_unscored(self, company, customers):
        """Scores of customers without transactions any more (their won
        opportunities lost or deleted, their orders cancelled) go."""
        self.env.cr.execute(
            SQL(
                "DELETE FROM crm_customer_score WHERE company_id = %s "
                "AND partner_id != ALL(%s)",
                company.id,
                customers.tolist(),
            )
        )
        self.invalidate_model()

    @api.model
    def _rescore_customers(self, company, customer_ids, today=None):
        """Rescore these customers of the company with the stored models
        and RFM bounds (after a transaction of theirs changed). Returns the
        number of customers written."""
        today = today or fields.Date.context_today(self)
        customer_ids = sorted(set(customer_ids))
        if not customer_ids:
            return 0
        summary, dims = self._customer_rows(company, today, customer_ids)
        gone = sorted(set(customer_ids) - set(summary.customers.tolist()))
        if gone:
            self.env.cr.execute(
                SQL(
                    "DELETE FROM crm_customer_score WHERE company_id = %s "
                    "AND partner_id = ANY(%s)",
                    company.id,
                    gone,
                )
            )
            self.invalidate_model()
        if not len(summary.customers):
            return 0
        return self._score_and_write(company, summary, dims, today)

    # ------------------------------------------------------------------
    # From score to action
    # ------------------------------------------------------------------

    @api.model
    def _follow_risk(self, company, summary, dims, scores, before):
        """A customer that enters the high risk band gets one "Customer at
        risk" activity for its salesperson (none when one is open, when the
        partner is archived, or when nobody is responsible: those are left
        to the indicators); a customer that leaves the band has its open
        activity marked done, which says so in the chatter."""
        activity_type = self.env.ref(
            "crm_bsc_scorecard.mail_activity_type_customer_at_risk",
            raise_if_not_found=False,
        )
        if not activity_type:
            return
        bands = scores["risk_band"]
        customers = summary.customers.tolist()
        entered = [
            i
            for i, customer in enumerate(customers)
            if bands[i] == rfm.RISK_HIGH and before.get(customer) != rfm.RISK_HIGH
        ]
        left = [
            customer
            for i, customer in enumerate(customers)
            if bands[i] != rfm.RISK_HIGH and before.get(customer) == rfm.RISK_HIGH
        ]
        if not entered and not left:
            return
        Activity = self.env["mail.activity"].sudo()
        open_ = Activity.search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", [customers[i] for i in entered] + left),
                ("activity_type_id", "=", activity_type.id),
            ]
        )
        has_open = set(open_.mapped("res_id"))
        partners = self.env["res.partner"].sudo().browse(customers)
        model_id = self.env["ir.model"]._get_id("res.partner")
        vals_list = []
        for i in entered:
            customer = customers[i]
            user_id = int(dims["user_id"][i])
            if customer in has_open or not dims["active"][i] or not user_id:
                continue
            partner = partners.browse(customer)
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": customer,
                    "activity_type_id": activity_type.id,
                    "user_id": user_id,
                    "summary": _("Customer at risk"),
                    "note": self._risk_note(company, partner, summary, scores, i),
                }
            )
            has_open.add(customer)
        if vals_list:
            Activity.with_context(mail_activity_quick_update=True).create(vals_list)
        for activity in open_.filtered(lambda a: a.res_id in set(left)):
            activity.action_feedback(
                feedback=_(
                    "The customer left the high risk band in %(company)s.",
                    company=company.name,
                )
            )

    @api.model
    def _risk_note(self, company, partner, summary, scores, i):
        last = ORDINAL_EPOCH + datetime.timedelta(days=int(summary.last_day[i]) - 1)
        clv_value = scores["clv"][i]
        return _(
            "%(customer)s may have stopped buying from %(company)s: probability "
            "alive %(alive)s %%, last transaction on %(last)s, predicted "
            "lifetime value at stake %(value)s.",
            customer=partner.display_name,
            company=company.name,
            alive=round(100 * float(scores["p_alive"][i]), 1),
            last=format_date(self.env, last),
            value=format_amount(
                self.env,
                float(clv_value) if np.isfinite(clv_value) else 0.0,
                company.currency_id,
            ),
        )

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
                 WHERE so.write_date >= %s AND so.company_id = ANY(%s)
                   AND so.state IN ('sale', 'cancel')
                """,
                fields.Datetime.to_datetime(since) - ORDERS_MARGIN,
                companies.ids,
            )
        )


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
                cron.sudo()._trigger()
