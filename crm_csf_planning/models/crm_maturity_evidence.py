# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Evidence for the maturity assessment, measured from the database: the
signals of tools/signals.py, each counted in PostgreSQL or from the
scorecard's stored values."""

from datetime import timedelta

from odoo import _, api, fields, models
from odoo.tools import SQL

from odoo.addons.crm_bsc_scorecard.engine.transactions import won_lead_sql

from ..tools import signals as signal_tools
from .period_utils import company_period_domain

# the statuses of a value that the scorecard scored against a target
SCORED = ("on_track", "warning", "critical")
CRON_DAYS = 30
WON_DAYS = 365


class CrmMaturityEvidence(models.AbstractModel):
    _name = "crm.maturity.evidence"
    _description = "Maturity Assessment Evidence From the Data"

    @api.model
    def _measure(self, company):
        """{signal code: {"value": share 0..1, score 0-100 or None,
        "detail": the counts behind it}} for ``company``."""
        # sudo: counting the company's records for a scorecard manager's
        # assessment (the caller was checked); nothing is returned but counts
        evidence = self.sudo()
        return {
            "metrics_targets": evidence._measure_metrics_targets(company),
            "information_customers": evidence._measure_customer_records(company),
            "information_completeness": evidence._measure_latest_value(
                company, "data_completeness", as_share=True
            ),
            "technology_crons": evidence._measure_crons(),
            "strategy_scorecards": evidence._measure_segment_scorecards(company),
            "strategy_committed": evidence._measure_committed(company),
            "processes_questions": evidence._measure_questions(company),
            "collaboration_won": evidence._measure_collaboration(company),
            "experience_response": evidence._measure_latest_value(
                company, "first_response_hours"
            ),
            "experience_retention": evidence._measure_latest_value(
                company, "retention_rate"
            ),
        }

    def _result(self, numerator, denominator, detail):
        return {
            "value": signal_tools.share(numerator, denominator),
            "detail": detail,
        }

    # ------------------------------------------------------------------
    # Metrics
    # ------------------------------------------------------------------
    def _last_closed_period(self, company, period_type):
        """The last closed period of the granularity; where no period is
        closed yet, the last one that has ended (and False: not closed)."""
        Period = self.env["crm.bsc.period"]
        domain = [("period_type", "=", period_type)]
        domain += company_period_domain(self.env, company)
        closed = Period.search(
            domain + [("state", "=", "closed")], order="date_to desc", limit=1
        )
        if closed:
            return closed, True
        ended = Period.search(
            domain + [("date_to", "<", fields.Date.context_today(self))],
            order="date_to desc",
            limit=1,
        )
        return ended, False

    def _measure_metrics_targets(self, company):
        indicators = self.env["crm.bsc.indicator"].search(
            [("company_id", "in", [company.id, False])]
        )
        scorecards = self.env["crm.bsc.scorecard"].search(
            [("company_id", "=", company.id), ("state", "=", "active")]
        )
        Value = self.env["crm.bsc.indicator.value"]
        measured = set()
        used = self.env["crm.bsc.period"]
        all_closed = True
        for scorecard in scorecards:
            period, closed = self._last_closed_period(company, scorecard.period_type)
            if not period:
                continue
            used |= period
            all_closed = all_closed and closed
            values = Value.search(
                [
                    ("indicator_id", "in", scorecard.line_ids.indicator_id.ids),
                    ("period_id", "=", period.id),
                    ("company_id", "=", company.id),
                    ("segment_id", "=", scorecard.segment_id.id),
                    ("channel_id", "=", False),
                    ("user_id", "=", False),
                    ("team_id", "=", False),
                    ("has_value", "=", True),
                ]
            )
            measured |= set(values.indicator_id.ids)
        if scorecards and not used:
            return {
                "value": None,
                "detail": _("No period of the active scorecards has ended yet."),
            }
        count = len(measured & set(indicators.ids))
        periods = ", ".join(used.mapped("name"))
        return self._result(
            count,
            len(indicators),
            _(
                "%(count)s of %(total)s indicators (closed period %(periods)s)",
                count=count,
                total=len(indicators),
                periods=periods,
            )
            if all_closed
            else _(
                "%(count)s of %(total)s indicators (no period is closed yet: "
                "the last period that ended, %(periods)s)",
                count=count,
                total=len(indicators),
                periods=periods,
            ),
        )

    # ------------------------------------------------------------------
    # Information
    # ------------------------------------------------------------------
    def _measure_customer_records(self, company):
        self.env["crm.lead"].flush_model(["partner_id", "company_id", "type"])
        self.env["res.partner"].flush_model(
            [
                "commercial_partner_id",
                "customer_segment_id",
                "preferred_channel_id",
                "email",
                "phone",
                "mobile",
            ]
        )
        self.env.cr.execute(
            SQL(
                """
                WITH customers AS (
                    SELECT DISTINCT p.commercial_partner_id AS id
                      FROM crm_lead l
                      JOIN res_partner p ON p.id = l.partner_id
                     WHERE l.company_id = %(company)s
                       AND l.type = 'opportunity'
                )
                SELECT count(*),
                       COALESCE(sum(
                           (cp.customer_segment_id IS NOT NULL)::int
                           + (cp.preferred_channel_id IS NOT NULL)::int
                           + (COALESCE(cp.email, '') <> '')::int
                           + (COALESCE(cp.phone, '') <> ''
                              OR COALESCE(cp.mobile, '') <> '')::int
                       ), 0)
                  FROM customers c
                  JOIN res_partner cp ON cp.id = c.id
                """,
                company=company.id,
            )
        )
        customers, facts = self.env.cr.fetchone()
        return self._result(
            facts,
            4 * customers,
            _(
                "%(facts)s of %(total)s facts recorded for %(customers)s customers",
                facts=facts,
                total=4 * customers,
                customers=customers,
            ),
        )

    def _latest_value(self, company, builtin_code, scored=False):
        indicators = self.env["crm.bsc.indicator"].search(
            [
                ("computation", "=", "builtin"),
                ("builtin_code", "=", builtin_code),
                ("company_id", "in", [company.id, False]),
            ]
        )
        if not indicators:
            return None, indicators
        domain = [
            ("indicator_id", "in", indicators.ids),
            ("company_id", "=", company.id),
            ("segment_id", "=", False),
            ("channel_id", "=", False),
            ("user_id", "=", False),
            ("team_id", "=", False),
            ("has_value", "=", True),
            ("period_id.date_to", "<", fields.Date.context_today(self)),
        ]
        if scored:
            domain.append(("status", "in", SCORED))
        values = self.env["crm.bsc.indicator.value"].search(domain)
        rank = {"month": 0, "quarter": 1, "year": 2}
        latest = values.sorted(
            lambda v: (v.date_from, -rank.get(v.period_type, 3)), reverse=True
        )[:1]
        return latest, indicators

    def _measure_latest_value(self, company, builtin_code, as_share=False):
        latest, indicators = self._latest_value(
            company, builtin_code, scored=not as_share
        )
        if not indicators:
            return {
                "value": None,
                "detail": _("No indicator computes %(code)s.", code=builtin_code),
            }
        if not latest:
            return {
                "value": None,
                "detail": _(
                    "%(indicator)s has no value yet.",
                    indicator=indicators[0].display_name,
                )
                if as_share
                else _(
                    "%(indicator)s has no value scored against a target yet.",
                    indicator=indicators[0].display_name,
                ),
            }
        if as_share:
            return {
                "value": latest.value / 100.0,
                "detail": _(
                    "%(indicator)s: %(value)s %% in %(period)s",
                    indicator=latest.indicator_id.display_name,
                    value=round(latest.value, 1),
                    period=latest.period_id.name,
                ),
            }
        return {
            "value": latest.score,
            "detail": _(
                "%(indicator)s: %(value)s against the target %(target)s in "
                "%(period)s, score %(score)s",
                indicator=latest.indicator_id.display_name,
                value=round(latest.value, 2),
                target=round(latest.target, 2),
                period=latest.period_id.name,
                score=round(latest.score, 1),
            ),
        }

    # ------------------------------------------------------------------
    # Technology
    # ------------------------------------------------------------------
    def _measure_crons(self):
        data = self.env["ir.model.data"].search(
            [
                ("model", "=", "ir.cron"),
                ("module", "in", ("crm_bsc_scorecard", "crm_csf_planning")),
            ]
        )
        crons = self.env["ir.cron"].browse(data.mapped("res_id")).exists()
        crons = crons.filtered("active")
        since = fields.Datetime.now() - timedelta(days=CRON_DAYS)
        healthy = crons.filtered(
            lambda c: c.lastcall and c.lastcall >= since and not c.failure_count
        )
        return self._result(
            len(healthy),
            len(crons),
            _(
                "%(count)s of %(total)s scheduled actions",
                count=len(healthy),
                total=len(crons),
            ),
        )

    # ------------------------------------------------------------------
    # Strategy
    # ------------------------------------------------------------------
    def _measure_segment_scorecards(self, company):
        segments = self.env["crm.customer.segment"].search(
            [("company_id", "in", [company.id, False])]
        )
        followed = (
            self.env["crm.bsc.scorecard"]
            .search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "active"),
                    ("segment_id", "in", segments.ids),
                ]
            )
            .segment_id
        )
        return self._result(
            len(followed),
            len(segments),
            _(
                "%(count)s of %(total)s segments",
                count=len(followed),
                total=len(segments),
            ),
        )

    def _measure_committed(self, company):
        csfs = self.env["crm.csf"].search(
            [("company_id", "=", company.id), ("state", "!=", "dropped")]
        )
        committed = csfs.filtered(lambda c: c.state in ("committed", "achieved"))
        return self._result(
            len(committed),
            len(csfs),
            _(
                "%(count)s of %(total)s success factors",
                count=len(committed),
                total=len(csfs),
            ),
        )

    # ------------------------------------------------------------------
    # Processes
    # ------------------------------------------------------------------
    def _measure_questions(self, company):
        today = fields.Date.context_today(self)
        questions = self.env["crm.process.question"].search(
            [("company_id", "=", company.id)]
        )
        good = questions.filtered(
            lambda q: q.is_answered and (not q.date_review or q.date_review >= today)
        )
        return self._result(
            len(good),
            len(questions),
            _(
                "%(count)s of %(total)s key questions",
                count=len(good),
                total=len(questions),
            ),
        )

    # ------------------------------------------------------------------
    # Organisational collaboration
    # ------------------------------------------------------------------
    def _measure_collaboration(self, company):
        for model, names in (
            ("crm.lead", ["company_id", "stage_id", "date_closed", "type", "active"]),
            ("mail.activity", ["res_model", "res_id", "user_id"]),
            ("mail.message", ["model", "res_id", "mail_activity_type_id", "author_id"]),
        ):
            self.env[model].flush_model(names)
        since = fields.Datetime.now() - timedelta(days=WON_DAYS)
        self.env.cr.execute(
            SQL(
                """
                WITH won AS (
                    SELECT l.id
                      FROM crm_lead l
                      JOIN crm_stage s ON s.id = l.stage_id
                     WHERE l.company_id = %(company)s
                       AND %(won)s
                       AND l.date_closed >= %(since)s
                ), people AS (
                    SELECT a.res_id AS lead_id, u.partner_id
                      FROM mail_activity a
                      JOIN res_users u ON u.id = a.user_id
                     WHERE a.res_model = 'crm.lead'
                       AND a.res_id IN (SELECT id FROM won)
                    UNION
                    SELECT m.res_id, m.author_id
                      FROM mail_message m
                     WHERE m.model = 'crm.lead'
                       AND m.res_id IN (SELECT id FROM won)
                       AND m.mail_activity_type_id IS NOT NULL
                       AND m.author_id IS NOT NULL
                )
                SELECT (SELECT count(*) FROM won),
                       (SELECT count(*) FROM (
                            SELECT lead_id FROM people
                             GROUP BY lead_id
                            HAVING count(DISTINCT partner_id) > 1) AS shared)
                """,
                company=company.id,
                won=won_lead_sql("l", "s"),
                since=since,
            )
        )
        won, shared = self.env.cr.fetchone()
        return self._result(
            shared,
            won,
            _(
                "%(count)s of %(total)s won opportunities",
                count=shared,
                total=won,
            ),
        )
