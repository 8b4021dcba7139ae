# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=consider-merging-classes-inherited
# (the model is split by concern, a file per concern)
"""Customer scores, continued (``crm_customer_score.py`` holds the model, its
fields, how it reads the transactions and its scheduled actions): fitting
the models of a company, scoring its customers and writing the scores in
bulk, and what a score triggers (the "Customer at risk" activities)."""

import datetime

import numpy as np

from odoo import _, api, fields, models
from odoo.tools import SQL, format_amount, format_date

from ..tools import clv, rfm
from .crm_customer_score import _day

ORDINAL_EPOCH = datetime.date(1, 1, 1)  # date.toordinal() == 1
WRITE_CHUNK = 50000
# the holdout period: a third of the history, between these bounds (days)
HOLDOUT_MIN_DAYS = 28
HOLDOUT_MAX_DAYS = 364

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


def _nullable(array):
    """A float array as a list with None for NaN."""
    array = np.asarray(array, dtype=float)
    values = array.tolist()
    for index in np.flatnonzero(np.isnan(array)).tolist():
        values[index] = None
    return values


class CrmCustomerScore(models.Model):
    _inherit = "crm.customer.score"

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
        # sudo: private, reached from the scheduled actions and from
        # action_fit, which checks the manager group and the company first
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
        # sudo: the models are derived data the server writes; private,
        # reached from the scheduled action and from action_fit (checked)
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
        # sudo: private; the scores and the model's bounds are derived data
        # written by the server for a company its callers checked
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
        # sudo: the addon's own "Customer at risk" activities, looked up and
        # created for the salespeople responsible, whoever triggered the scoring
        Activity = self.env["mail.activity"].sudo()
        open_ = Activity.search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", [customers[i] for i in entered] + left),
                ("activity_type_id", "=", activity_type.id),
            ]
        )
        has_open = set(open_.mapped("res_id"))
        # sudo: the customers just scored, read for their salesperson and
        # name only (the activity's assignee and note)
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
