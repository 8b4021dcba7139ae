# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Contribution to the enterprise (the closing success factor): a weighted
score per salesperson and per sales team and month, from the values the
scorecard stores per salesperson and team, and the actions they completed
on success factors."""

import logging
from collections import defaultdict

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import contribution as contribution_tools
from .period_utils import company_period_domain

_logger = logging.getLogger(__name__)

# measure: the built-in indicator it reads
BUILTIN_OF = {
    "won_revenue": "won_revenue",
    "retention_rate": "retention_rate",
    "win_rate": "win_rate",
    "first_response_hours": "first_response_hours",
}
MANAGER_GROUP = "crm_bsc_scorecard.group_bsc_manager"
# months of the report the scheduled action keeps up to date
CRON_MONTHS = 13


class CrmCsfContribution(models.Model):
    _name = "crm.csf.contribution"
    _description = "Contribution to the Enterprise"
    _order = "date_from desc, kind, score desc, id"
    _rec_name = "name"

    name = fields.Char(compute="_compute_name")
    period_id = fields.Many2one(
        "crm.bsc.period", required=True, index=True, ondelete="cascade"
    )
    date_from = fields.Date(related="period_id.date_from", store=True, string="Month")
    company_id = fields.Many2one("res.company", required=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    kind = fields.Selection(
        [("salesperson", "Salesperson"), ("team", "Sales Team")],
        required=True,
        index=True,
    )
    user_id = fields.Many2one("res.users", string="Salesperson", index=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True)
    weight_id = fields.Many2one(
        "crm.csf.contribution.weight", string="Weights", ondelete="set null"
    )
    # the measures, as stored by the scorecard
    won_revenue = fields.Monetary(currency_field="currency_id", aggregator="sum")
    retention_rate = fields.Float(aggregator="avg", digits=(16, 2))
    win_rate = fields.Float(aggregator="avg", digits=(16, 2))
    first_response_hours = fields.Float(
        string="First Response (Hours)", aggregator="avg", digits=(16, 2)
    )
    actions_done = fields.Integer(string="Actions Completed", aggregator="sum")
    has_won_revenue = fields.Boolean()
    has_retention_rate = fields.Boolean()
    has_win_rate = fields.Boolean()
    has_first_response_hours = fields.Boolean()
    # normalised 0-100 across the people (or teams) of the month
    score_won_revenue = fields.Float(string="Won Revenue Score", aggregator="avg")
    score_retention_rate = fields.Float(string="Retention Score", aggregator="avg")
    score_win_rate = fields.Float(string="Win Rate Score", aggregator="avg")
    score_first_response_hours = fields.Float(
        string="First Response Score", aggregator="avg"
    )
    score_actions_done = fields.Float(string="Actions Score", aggregator="avg")
    score = fields.Float(
        string="Contribution",
        aggregator="avg",
        digits=(16, 1),
        help="0-100: the weighted mean of the normalised measures it has.",
    )
    has_score = fields.Boolean()
    coverage = fields.Float(
        aggregator="avg",
        digits=(16, 2),
        help="The share of the total weight behind the score: measures without "
        "a value are left out, not counted as 0.",
    )
    rank = fields.Integer(aggregator="min", help="1 is the highest contribution.")

    @api.depends("kind", "user_id", "team_id", "period_id")
    def _compute_name(self):
        for row in self:
            who = row.user_id if row.kind == "salesperson" else row.team_id
            row.name = f"{who.display_name or ''} · {row.period_id.name or ''}"

    # ------------------------------------------------------------------
    # Computation
    # ------------------------------------------------------------------
    @api.model
    def _indicators(self, company):
        """{measure: indicator} of the built-in indicators kept per
        salesperson and team that the company can use."""
        found = {}
        indicators = self.env["crm.bsc.indicator"].search(
            [
                ("computation", "=", "builtin"),
                ("builtin_code", "in", list(BUILTIN_OF.values())),
                ("breakdown_by_user", "=", True),
                ("company_id", "in", [company.id, False]),
            ],
            order="company_id, id",
        )
        for measure, code in BUILTIN_OF.items():
            match = indicators.filtered(lambda i, code=code: i.builtin_code == code)
            if match:
                found[measure] = match[0]
        return found

    @api.model
    def _measures(self, company, period, indicators):
        """{(kind, id): {measure: value or None}} of the salespeople and teams
        with a value in the period, read from the stored values."""
        rows = defaultdict(dict)
        by_indicator = {ind.id: measure for measure, ind in indicators.items()}
        if by_indicator:
            groups = self.env["crm.bsc.indicator.value"]._read_group(
                [
                    ("indicator_id", "in", list(by_indicator)),
                    ("period_id", "=", period.id),
                    ("company_id", "=", company.id),
                    ("segment_id", "=", False),
                    ("channel_id", "=", False),
                    ("has_value", "=", True),
                    "|",
                    ("user_id", "!=", False),
                    ("team_id", "!=", False),
                ],
                ["indicator_id", "user_id", "team_id"],
                ["value:sum"],
            )
            for indicator, user, team, value in groups:
                measure = by_indicator[indicator.id]
                if user and not team:
                    rows["salesperson", user.id][measure] = value
                elif team and not user:
                    rows["team", team.id][measure] = value
        # actions completed on success factors in the period, by whom
        actions = self.env["crm.csf.action"]._read_group(
            [
                ("company_id", "=", company.id),
                ("state", "=", "done"),
                ("date_done", ">=", period.date_from),
                ("date_done", "<=", period.date_to),
                ("user_id", "!=", False),
            ],
            ["user_id"],
            ["__count"],
        )
        team_actions = defaultdict(int)
        for user, count in actions:
            rows["salesperson", user.id]["actions_done"] = count
            team = user.with_company(company).sale_team_id
            if team:
                team_actions[team.id] += count
        for team_id, count in team_actions.items():
            rows["team", team_id]["actions_done"] = count
        # somebody with values and no completed action completed 0 actions
        for row in rows.values():
            row.setdefault("actions_done", 0)
        return rows

    @api.model
    def _compute_period(self, company, period):
        """(Re)compute the report rows of ``company`` in the month ``period``."""
        if period.period_type != "month":
            raise UserError(
                _(
                    "The contribution report is kept per month: %(period)s is a "
                    "%(granularity)s (field Period).",
                    period=period.display_name,
                    granularity=dict(
                        period._fields["period_type"]._description_selection(self.env)
                    )[period.period_type],
                )
            )
        # sudo: the report rows are derived by the server (callers are checked
        # by the buttons; the scheduled action runs as the superuser)
        rows_model = self.sudo()
        weight_record, weights = rows_model.env[
            "crm.csf.contribution.weight"
        ]._for_period(company, period)
        indicators = rows_model._indicators(company)
        rows = rows_model._measures(company, period, indicators)
        vals_list = []
        for kind in ("salesperson", "team"):
            people = {key: row for key, row in rows.items() if key[0] == kind}
            if not people:
                continue
            results = contribution_tools.contributions(
                {key: dict.fromkeys(weights) | row for key, row in people.items()},
                weights,
            )
            ranked = sorted(
                (key for key in people if results[key].score is not None),
                key=lambda key: -results[key].score,
            )
            for key, row in people.items():
                result = results[key]
                vals = {
                    "period_id": period.id,
                    "company_id": company.id,
                    "kind": kind,
                    "user_id": key[1] if kind == "salesperson" else False,
                    "team_id": key[1] if kind == "team" else False,
                    "weight_id": weight_record.id,
                    "score": result.score or 0.0,
                    "has_score": result.score is not None,
                    "coverage": result.coverage,
                    "rank": ranked.index(key) + 1 if key in ranked else 0,
                    "actions_done": row.get("actions_done") or 0,
                    "score_actions_done": result.normalised.get("actions_done") or 0.0,
                }
                for measure in BUILTIN_OF:
                    value = row.get(measure)
                    vals[measure] = value or 0.0
                    vals[f"has_{measure}"] = value is not None
                    vals[f"score_{measure}"] = result.normalised.get(measure) or 0.0
                vals_list.append(vals)
        rows_model.search(
            [("company_id", "=", company.id), ("period_id", "=", period.id)]
        ).unlink()
        return rows_model.create(vals_list)

    @api.model
    def _report_periods(self, company, months=CRON_MONTHS):
        Period = self.env["crm.bsc.period"].sudo()
        domain = [
            ("period_type", "=", "month"),
            ("date_from", "<=", fields.Date.context_today(self)),
        ]
        domain += company_period_domain(self.env, company)
        return Period.search(domain, order="date_from desc", limit=months)

    @api.model
    def _cron_compute(self):
        """Keep the report of the last months of every company up to date; a
        company whose computation fails is logged, the others go on."""
        companies = self.env["res.company"].search([])
        for company in companies:
            try:
                with self.env.cr.savepoint():
                    for period in self._report_periods(company):
                        self._compute_period(company, period)
            except (UserError, ValidationError, ValueError, psycopg2.Error) as error:
                _logger.warning(
                    "Contribution report of %s not computed: %s", company.name, error
                )
        self.env["ir.cron"]._notify_progress(done=len(companies), remaining=0)
        return True

    @api.model
    def action_compute_current(self):
        """Recompute the report of the current company's last months."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                _("Only a scorecard manager can compute the contribution report.")
            )
        company = self.env.company
        for period in self._report_periods(company):
            self._compute_period(company, period)
        return self.action_open_report()

    @api.model
    def action_open_report(self):
        self.check_access("read")
        return self.env["ir.actions.act_window"]._for_xml_id(
            "crm_csf_planning.crm_csf_contribution_action"
        )
