# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a manager sees first: the last complete period, the running one to
date with its additive targets pro-rated, the data of the dashboard and
the strategy map (client actions), and Export to Excel: the workbook's data
read with the exporting user's rights, handed to the pure builder
(tools/xlsx_workbook.py)."""

import io
import re

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import xlsxwriter

from ..tools import link_evidence as evidence_tools
from ..tools import pro_rata, scoring, xlsx_workbook

HISTORY_PERIODS = 12
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CrmBscScorecard(models.Model):
    _inherit = "crm.bsc.scorecard"

    period_running = fields.Boolean(
        compute="_compute_period_running",
        help="The period shown has not ended: its figures are to date.",
    )
    pro_rata_note = fields.Char(
        compute="_compute_period_running",
        help="How the targets of the running period are pro-rated.",
    )

    # ------------------------------------------------------------------
    # Periods
    # ------------------------------------------------------------------
    def _period_domain(self):
        self.ensure_one()
        domain = [("period_type", "=", self.period_type)]
        Period = self.env["crm.bsc.period"]
        if "company_id" in Period._fields:
            # periods per company (the periods' own model decides the rest)
            domain.append(("company_id", "=", self.company_id.id))
        return domain

    def _running_period(self):
        """The period of this scorecard's granularity that contains today."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        return self.env["crm.bsc.period"].search(
            self._period_domain()
            + [("date_from", "<=", today), ("date_to", ">=", today)],
            limit=1,
        )

    def _last_complete_period(self):
        """The latest period of this scorecard's granularity that has ended."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        return self.env["crm.bsc.period"].search(
            self._period_domain() + [("date_to", "<", today)],
            order="date_from desc",
            limit=1,
        )

    @api.depends("period_id", "period_type")
    def _compute_shown_period_id(self):
        # the last period that has ended; the running one when none has
        for scorecard in self:
            scorecard.shown_period_id = (
                scorecard.period_id
                or scorecard._last_complete_period()
                or scorecard._running_period()
            )

    @api.depends("shown_period_id")
    def _compute_period_running(self):
        today = fields.Date.context_today(self)
        for scorecard in self:
            period = scorecard.shown_period_id
            days = (
                pro_rata.elapsed(period.date_from, period.date_to, today)
                if period
                else None
            )
            scorecard.period_running = bool(days)
            scorecard.pro_rata_note = (
                _(
                    "To date: day %(elapsed)s of %(total)s. The targets of "
                    "counts and sums are pro-rated to the days elapsed; rates "
                    "and averages keep their target.",
                    elapsed=days[0],
                    total=days[1],
                )
                if days and days[0] < days[1]
                else False
            )

    def action_show_running_period(self):
        """Show the running period, to date."""
        for scorecard in self:
            period = scorecard._running_period()
            if not period:
                raise UserError(
                    _(
                        "Scorecard %(scorecard)s: no %(granularity)s period "
                        "covers today; generate the periods first.",
                        scorecard=scorecard.display_name,
                        granularity=dict(
                            self._fields["period_type"]._description_selection(self.env)
                        )[scorecard.period_type],
                    )
                )
            scorecard.period_id = period

    def action_show_last_period(self):
        """Back to the default: the last complete period."""
        self.write({"period_id": False})

    # ------------------------------------------------------------------
    # Figures of a running period: additive targets pro-rated
    # ------------------------------------------------------------------
    def _line_figures(self):
        figures = super()._line_figures()
        today = fields.Date.context_today(self)
        for scorecard in self:
            period = scorecard.shown_period_id
            days = (
                pro_rata.elapsed(period.date_from, period.date_to, today)
                if period
                else None
            )
            for line in scorecard.line_ids:
                data = figures.get(line.id)
                if data is None:
                    continue
                data.update(
                    shown_target=line.target,
                    shown_target_max=line.target_max,
                    pro_rated=False,
                )
                if not days or days[0] >= days[1] or not line.indicator_id.accumulates:
                    continue
                number = data["current_value"] if data["has_value"] else None
                score, status, shown = self._evaluate_to_date(
                    line, number, days[0] / days[1]
                )
                data.update(
                    score=score or 0.0,
                    raw_score=score,
                    status=status,
                    shown_target=shown[0],
                    shown_target_max=shown[1],
                    shown_warning=shown[2],
                    shown_critical=shown[3],
                    pro_rated=True,
                )
        return figures

    @api.model
    def _evaluate_to_date(self, line, number, share):
        """(score, status, (target, upper bound, warning, critical)) of
        ``number`` against the line, its additive targets pro-rated by
        ``share`` (None: not)."""
        if not share or not line.indicator_id.accumulates:
            score, status = line._evaluate(number)
            return (
                score,
                status,
                (
                    line.target,
                    line.target_max,
                    line.warning_threshold,
                    line.critical_threshold,
                ),
            )
        direction = line.direction or scoring.HIGHER
        target, target_max, warning, critical = pro_rata.pro_rate(
            share,
            line.target,
            line.target_max,
            line.warning_threshold,
            line.critical_threshold,
            direction,
        )
        score, status = scoring.evaluate(
            direction, number, target, warning, critical, target_max
        )
        return score, status, (target, target_max, warning, critical)

    # ------------------------------------------------------------------
    # Score histories (dashboard, strategy map, workbook)
    # ------------------------------------------------------------------
    def _history_periods(self, count=HISTORY_PERIODS, until=None):
        """The last ``count`` periods of this scorecard's granularity up to
        the period shown (or ``until``), oldest first."""
        self.ensure_one()
        last = until or self.shown_period_id
        if not last:
            return self.env["crm.bsc.period"]
        return self.env["crm.bsc.period"].search(
            self._period_domain() + [("date_from", "<=", last.date_from)],
            order="date_from desc",
            limit=count,
        )[::-1]

    def _history(self, periods):
        """Scores of this scorecard over ``periods`` (oldest first), from the
        stored values evaluated against the lines' current targets:
        {"lines": {line id: [(value or None, score or None, status)]},
         "objectives": {objective: [score or None]},
         "perspectives": {perspective: [score or None]},
         "overall": [score or None]}."""
        self.ensure_one()
        lines = self.line_ids
        values = self.env["crm.bsc.indicator.value"].search(
            [
                ("indicator_id", "in", lines.indicator_id.ids),
                ("period_id", "in", periods.ids),
                ("company_id", "=", self.company_id.id),
                ("segment_id", "=", self.segment_id.id),
                ("channel_id", "=", False),
                ("user_id", "=", False),
                ("team_id", "=", False),
            ]
        )
        by_key = {(v.indicator_id.id, v.period_id.id): v for v in values}
        result = {"lines": {}, "objectives": {}, "perspectives": {}, "overall": []}
        per_period_rows = []
        today = fields.Date.context_today(self)
        shares = {}
        for period in periods:
            days = pro_rata.elapsed(period.date_from, period.date_to, today)
            if days and days[0] < days[1]:
                shares[period.id] = days[0] / days[1]
        for line in lines:
            series = []
            for period in periods:
                value = by_key.get((line.indicator_id.id, period.id))
                number = value.value if value and value.has_value else None
                score, status, _target = self._evaluate_to_date(
                    line, number, shares.get(period.id)
                )
                series.append((number, score, status))
            result["lines"][line.id] = series
        for index, _period in enumerate(periods):
            rows = [
                {
                    "line": line,
                    "score": result["lines"][line.id][index][1],
                    "weight": line.weight,
                }
                for line in lines
            ]
            per_period_rows.append(rows)
            result["overall"].append(
                scoring.weighted_mean((r["score"], r["weight"]) for r in rows)
            )
            by_perspective, by_objective = self._rollups(rows)
            for key, target in (
                (by_perspective, result["perspectives"]),
                (by_objective, result["objectives"]),
            ):
                for record, score in key.items():
                    target.setdefault(record, [None] * len(periods))[index] = score
        return result

    def _link_evidence(self, history=None, periods=None):
        """[(cause, effect, Evidence)] for the cause-and-effect links between
        the objectives of this scorecard, from their score histories."""
        self.ensure_one()
        if history is None:
            periods = self._history_periods(count=24)
            history = self._history(periods)
        objectives = self.line_ids.objective_id
        length = len(history["overall"])
        result = []
        for cause in objectives:
            for effect in cause.driven_objective_ids & objectives:
                result.append(
                    (
                        cause,
                        effect,
                        evidence_tools.link_evidence(
                            history["objectives"].get(cause, [None] * length),
                            history["objectives"].get(effect, [None] * length),
                        ),
                    )
                )
        return result

    @api.model
    def _evidence_sentence(self, cause, effect, evidence):
        """One sentence saying what was measured for a link."""
        if evidence.verdict == evidence_tools.INSUFFICIENT:
            return _(
                "Too little history to test that %(cause)s drives %(effect)s: "
                "%(periods)s periods with both scores, %(needed)s needed.",
                cause=cause.display_name,
                effect=effect.display_name,
                periods=evidence.periods,
                needed=evidence_tools.MIN_PERIODS,
            )
        messages = {
            evidence_tools.SUPPORTED: _(
                "Over %(periods)s periods, the score of %(effect)s followed "
                "that of %(cause)s %(lag)s period(s) later (rank correlation "
                "%(rho)s): the history supports this link."
            ),
            evidence_tools.WEAK: _(
                "Over %(periods)s periods, the score of %(effect)s followed "
                "that of %(cause)s only loosely (best rank correlation "
                "%(rho)s, %(lag)s period(s) later): weak support."
            ),
            evidence_tools.CONTRADICTED: _(
                "Over %(periods)s periods, the score of %(effect)s did not "
                "rise with that of %(cause)s at any lag up to %(max_lag)s "
                "(best rank correlation %(rho)s): the history contradicts "
                "this link."
            ),
        }
        return messages[evidence.verdict] % {
            "periods": evidence.periods,
            "effect": effect.display_name,
            "cause": cause.display_name,
            "lag": evidence.lag,
            "rho": f"{evidence.rho:+.2f}",
            "max_lag": evidence_tools.MAX_LAG,
        }

    # ------------------------------------------------------------------
    # Client actions: the dashboard and the strategy map
    # ------------------------------------------------------------------
    def _check_can_read(self):
        if not self.env.user.has_group("crm_bsc_scorecard.group_bsc_user"):
            raise AccessError(_("Only scorecard users can open scorecards."))
        self.check_access("read")

    @api.model
    def get_dashboard_data(self):
        """The scorecards of the user's current company as cards: overall and
        perspective scores, warning and critical counts, the overall score
        over the last twelve periods, and the indicators whose status got
        worse since the previous period."""
        self._check_can_read()
        scorecards = self.search(
            [("company_id", "=", self.env.company.id), ("state", "=", "active")]
        )
        status_labels = dict(
            self._fields["score_status"]._description_selection(self.env)
        )
        rank = {
            scoring.ON_TRACK: 3,
            scoring.WARNING: 2,
            scoring.CRITICAL: 1,
        }
        cards = []
        worse = []
        for scorecard, rows in scorecards._score_rows().items():
            overall = scoring.weighted_mean((r["score"], r["weight"]) for r in rows)
            by_perspective, _by_objective = scorecard._rollups(rows)
            periods = scorecard._history_periods()
            history = scorecard._history(periods)
            statuses = [r["figures"].get("status") for r in rows]
            cards.append(
                {
                    "id": scorecard.id,
                    "name": scorecard.name,
                    "segment": scorecard.segment_id.name or _("All customers"),
                    "period": scorecard.shown_period_id.name or "",
                    "running": scorecard.period_running,
                    "score": overall,
                    "status": scoring.status_from_score(overall),
                    "status_label": status_labels.get(
                        scoring.status_from_score(overall)
                    ),
                    "perspectives": [
                        {
                            "id": perspective.id,
                            "name": perspective.name,
                            "score": score,
                            "status": scoring.status_from_score(score),
                        }
                        for perspective, score in sorted(
                            by_perspective.items(), key=lambda item: item[0].sequence
                        )
                    ],
                    "warning": statuses.count(scoring.WARNING),
                    "critical": statuses.count(scoring.CRITICAL),
                    "trend": {
                        "labels": periods.mapped("name"),
                        "scores": history["overall"],
                    },
                }
            )
            for row in rows:
                line = row["line"]
                series = history["lines"].get(line.id) or []
                status = row["figures"].get("status")
                if len(series) < 2 or status not in rank:
                    continue
                before = series[-2][2]
                if before in rank and rank[status] < rank[before]:
                    worse.append(
                        {
                            "scorecard_id": scorecard.id,
                            "scorecard": scorecard.name,
                            "line_id": line.id,
                            "indicator_id": line.indicator_id.id,
                            "indicator": line.indicator_id.name,
                            "value_id": row["figures"].get("value_id") or False,
                            "before": status_labels.get(before),
                            "now": status_labels.get(status),
                            "status": status,
                        }
                    )
        return {"cards": cards, "worse": worse}

    def get_strategy_map_data(self, period_id=None):
        """Everything the strategy map draws for this scorecard and period:
        perspectives in their order, objectives with score and status,
        links with their evidence, each objective's indicators and their
        trend, the periods to choose from and the sibling scorecards (the
        segment switcher)."""
        self.ensure_one()
        self._check_can_read()
        shown = self.shown_period_id
        if period_id:
            shown = self.env["crm.bsc.period"].browse(int(period_id)).exists()
            if shown.period_type != self.period_type or (
                shown.company_id != self.company_id
            ):
                raise UserError(
                    _(
                        "Scorecard %(scorecard)s: the period %(period)s is not "
                        "one of its company and granularity.",
                        scorecard=self.display_name,
                        period=shown.display_name or period_id,
                    )
                )
        periods = self._history_periods(count=24, until=shown) if shown else []
        history = self._history(periods) if periods else None
        status_labels = dict(
            self._fields["score_status"]._description_selection(self.env)
        )
        index = len(periods) - 1
        objectives = self.line_ids.objective_id.sorted(
            lambda o: (o.perspective_id.sequence, o.sequence, o.id)
        )
        perspectives = self.env["crm.bsc.perspective"].search([])
        objective_data = []
        for objective in objectives:
            series = history["objectives"].get(objective, []) if history else []
            score = series[index] if series else None
            indicators = []
            for line in self.line_ids.filtered(
                lambda ln, o=objective: ln.objective_id == o
            ):
                line_series = history["lines"].get(line.id, []) if history else []
                value, line_score, status = (
                    line_series[index] if line_series else (None, None, "no_data")
                )
                indicators.append(
                    {
                        "id": line.indicator_id.id,
                        "line_id": line.id,
                        "name": line.indicator_id.name,
                        "code": line.indicator_id.code,
                        "unit": line.unit,
                        "value": value,
                        "target": line.target,
                        "score": line_score,
                        "status": status,
                        "status_label": status_labels.get(status),
                        "trend": [s[0] for s in line_series[-12:]],
                        "score_trend": [s[1] for s in line_series[-12:]],
                    }
                )
            objective_data.append(
                {
                    "id": objective.id,
                    "name": objective.name,
                    "perspective_id": objective.perspective_id.id,
                    "owner": objective.owner_id.name or "",
                    "trend": series[-12:],
                    "score": score,
                    "status": scoring.status_from_score(score),
                    "status_label": status_labels.get(scoring.status_from_score(score)),
                    "indicators": indicators,
                }
            )
        links = []
        if history:
            for cause, effect, evidence in self._link_evidence(history, periods):
                links.append(
                    {
                        "cause": cause.id,
                        "effect": effect.id,
                        "verdict": evidence.verdict,
                        "rho": evidence.rho,
                        "lag": evidence.lag,
                        "periods": evidence.periods,
                        "sentence": self._evidence_sentence(cause, effect, evidence),
                    }
                )
        siblings = self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("period_type", "=", self.period_type),
                ("state", "!=", "archived"),
            ]
        )
        all_periods = self.env["crm.bsc.period"].search(
            self._period_domain()
            + [("date_from", "<=", fields.Date.context_today(self))],
            order="date_from desc",
            limit=36,
        )
        return {
            "scorecard": {"id": self.id, "name": self.name},
            "period": {"id": shown.id, "name": shown.name} if shown else False,
            "trend_labels": [p.name for p in periods][-12:],
            "perspectives": [
                {"id": p.id, "name": p.name, "sequence": p.sequence}
                for p in perspectives
            ],
            "objectives": objective_data,
            "links": links,
            "periods": [{"id": p.id, "name": p.name} for p in all_periods],
            "scorecards": [
                {"id": s.id, "name": s.name, "segment": s.segment_id.name or ""}
                for s in siblings
            ],
        }

    def action_open_strategy_map(self):
        self.ensure_one()
        self._check_can_read()
        return {
            "type": "ir.actions.client",
            "tag": "crm_bsc_strategy_map",
            "name": _("Strategy Map: %(scorecard)s", scorecard=self.name),
            "params": {
                "scorecard_id": self.id,
                "period_id": self.shown_period_id.id or False,
            },
        }

    # ------------------------------------------------------------------
    # Export to Excel
    # ------------------------------------------------------------------
    def action_export_xlsx(self):
        """Download the workbook of these scorecards (the route checks the
        user's access again)."""
        self._check_can_read()
        return {
            "type": "ir.actions.act_url",
            "url": "/crm_bsc_scorecard/export/xlsx?ids="
            + ",".join(str(scorecard_id) for scorecard_id in self.ids),
            "target": "download",
        }

    # ------------------------------------------------------------------
    # The workbook
    # ------------------------------------------------------------------
    def _export_xlsx(self):
        """(content, file name) of the workbook of these scorecards, written
        in memory. Everything is read as the current user: a workbook holds
        only what they can read."""
        self._check_can_read()
        stream = io.BytesIO()
        workbook = xlsxwriter.Workbook(stream, {"in_memory": True})
        xlsx_workbook.build(workbook, self._xlsx_data(), self._xlsx_sheet_writers())
        workbook.close()
        return stream.getvalue(), self._xlsx_filename()

    def _xlsx_filename(self):
        base = self.name if len(self) == 1 else _("Scorecards")
        base = (
            re.sub(r"[\\/:*?\"<>|\x00-\x1f]+", " ", base or "").strip() or "scorecards"
        )
        period = self[:1].shown_period_id.name if self else ""
        return f"{base} {period}.xlsx".replace("  ", " ").replace(" .xlsx", ".xlsx")

    def _xlsx_sheet_writers(self):
        """The sheet functions of the workbook, in order. Another addon
        appends its own: ``super()._xlsx_sheet_writers() + [write_x]``, its
        data added under its own key by ``_xlsx_data``."""
        return list(xlsx_workbook.SHEETS)

    def _xlsx_labels(self):
        """The workbook's texts in the user's language."""
        status = dict(self._fields["score_status"]._description_selection(self.env))
        units = dict(
            self.env["crm.bsc.indicator"]
            ._fields["unit"]
            ._description_selection(self.env)
        )
        directions = dict(
            self.env["crm.bsc.indicator"]
            ._fields["direction"]
            ._description_selection(self.env)
        )
        labels = {
            "summary": _("Summary"),
            "coverage": _("Channel Coverage"),
            "strategy_map": _("Strategy Map"),
            "history": _("Value History"),
            "scorecard": _("Scorecard"),
            "segment": _("Segment"),
            "period": _("Period"),
            "overall": _("Overall score"),
            "status": _("Status"),
            "warning_count": status["warning"],
            "critical_count": status["critical"],
            "trend": _("Trend"),
            "item": _("Perspective / objective / indicator"),
            "code": _("Code"),
            "unit": _("Unit"),
            "direction": _("Direction"),
            "weight": _("Weight"),
            "actual": _("Actual"),
            "target": _("Target"),
            "target_max": _("Target (upper bound)"),
            "warning": _("Warning threshold"),
            "critical": _("Critical threshold"),
            "score": _("Score"),
            "note": _("Note"),
            "calculation": _("Calculation"),
            "no_objective": _("(no objective)"),
            "on_track": status["on_track"],
            "warning_status": status["warning"],
            "critical_status": status["critical"],
            "no_data": status["no_data"],
            "indicator": _("Indicator"),
            "channels_watched": _("Channels watched"),
            "indicators_watching": _("Indicators watching"),
            "cause": _("Cause"),
            "cause_perspective": _("Cause perspective"),
            "effect": _("Effect"),
            "effect_perspective": _("Effect perspective"),
            "evidence": _("Evidence"),
            "rho": _("Rank correlation"),
            "lag": _("Best lag (periods)"),
            "periods": _("Periods"),
            "rho_at_lag": _("ρ at lag %s"),
            "what_was_measured": _("What was measured"),
            "start": _("Start"),
            "channel": _("Channel"),
            "salesperson": _("Salesperson"),
            "team": _("Sales team"),
            "value": _("Value"),
            "all": _("All"),
            "days_suffix": _("d"),
            "hours_suffix": _("h"),
            "to_date_of": _("to date, of %s"),
            "no_scorecard": _("No scorecard to export."),
            "generated": _("Exported on %s"),
        }
        labels.update({f"unit_{key}": label for key, label in units.items()})
        labels.update({f"dir_{key}": label for key, label in directions.items()})
        return labels

    def _xlsx_verdict_labels(self):
        return {
            "supported": _("Supported"),
            "weak": _("Weak"),
            "contradicted": _("Contradicted"),
            "insufficient": _("Too little history"),
        }

    def _xlsx_data(self):
        """The plain data of the workbook (see xlsx_workbook.build)."""
        lang = self.env["res.lang"]._lang_get(self.env.lang or "en_US")
        company = self[:1].company_id or self.env.company
        currency = company.currency_id
        data = {
            "title": _("Balanced Scorecards: %(company)s", company=company.name),
            "generated": fields.Datetime.to_string(
                fields.Datetime.context_timestamp(self, fields.Datetime.now())
            )[:16],
            "rtl": bool(lang) and lang.direction == "rtl",
            "labels": self._xlsx_labels(),
            "currency": {
                "symbol": currency.symbol,
                "position": currency.position,
                "digits": currency.decimal_places,
            },
            "scorecards": [],
            "links": [],
        }
        verdicts = self._xlsx_verdict_labels()
        for scorecard, rows in self._score_rows().items():
            periods = scorecard._history_periods()
            history = scorecard._history(periods) if periods else None
            data["scorecards"].append(scorecard._xlsx_scorecard(rows, periods, history))
            evidence_periods = scorecard._history_periods(count=24)
            if not evidence_periods:
                continue
            for cause, effect, evidence in scorecard._link_evidence(
                scorecard._history(evidence_periods), evidence_periods
            ):
                data["links"].append(
                    {
                        "scorecard": scorecard.name,
                        "cause": cause.name,
                        "cause_perspective": cause.perspective_id.name,
                        "effect": effect.name,
                        "effect_perspective": effect.perspective_id.name,
                        "verdict": evidence.verdict,
                        "verdict_label": verdicts[evidence.verdict],
                        "rho": evidence.rho,
                        "lag": evidence.lag,
                        "periods": evidence.periods,
                        "by_lag": evidence.by_lag,
                        "sentence": self._evidence_sentence(cause, effect, evidence),
                    }
                )
        data["coverage"] = self._xlsx_coverage()
        data["history"] = self._xlsx_history()
        return data

    def _xlsx_scorecard(self, rows, periods, history):
        self.ensure_one()
        lines_data = {}
        for row in rows:
            line = row["line"]
            figures = row["figures"] or {}
            pro_rated = figures.get("pro_rated")
            series = history["lines"].get(line.id, []) if history else []
            lines_data[line.id] = {
                "code": line.indicator_id.code,
                "name": line.indicator_id.name,
                "unit": line.unit or "count",
                "direction": line.direction or scoring.HIGHER,
                "weight": line.weight,
                "actual": figures.get("current_value")
                if figures.get("has_value")
                else None,
                "target": figures.get("shown_target", line.target)
                if pro_rated
                else line.target,
                "target_max": figures.get("shown_target_max", line.target_max)
                if pro_rated
                else line.target_max,
                "warning": figures.get("shown_warning", line.warning_threshold)
                if pro_rated
                else line.warning_threshold,
                "critical": figures.get("shown_critical", line.critical_threshold)
                if pro_rated
                else line.critical_threshold,
                "pro_rated_of": line.target if pro_rated else None,
                "history": [entry[0] for entry in series],
            }
        perspectives = []
        for perspective in self.line_ids.perspective_id.sorted(
            lambda p: (p.sequence, p.id)
        ):
            plines = self.line_ids.filtered(
                lambda ln, p=perspective: ln.perspective_id == p
            )
            objectives = []
            for objective in plines.objective_id.sorted(lambda o: (o.sequence, o.id)):
                objectives.append(
                    {
                        "name": objective.name,
                        "lines": [
                            lines_data[ln.id]
                            for ln in plines
                            if ln.objective_id == objective
                        ],
                    }
                )
            perspectives.append(
                {
                    "name": perspective.name,
                    "objectives": objectives,
                    "loose": [
                        lines_data[ln.id] for ln in plines if not ln.objective_id
                    ],
                }
            )
        return {
            "key": self.id,
            "name": self.name,
            "segment": self.segment_id.name or _("All customers"),
            "period": self.shown_period_id.name or "",
            "company": self.company_id.name,
            "note": self.pro_rata_note or "",
            "periods": [p.name for p in periods],
            "overall_history": history["overall"] if history else [],
            "perspectives": perspectives,
        }

    def _xlsx_coverage(self):
        indicators = self.line_ids.indicator_id.sorted(
            lambda i: (i.perspective_id.sequence, i.sequence, i.code)
        )
        channels = self.env["crm.contact.channel"].search(
            [("company_id", "in", self.company_id.ids + [False])]
        )
        return {
            "channels": channels.mapped("name"),
            "rows": [
                {
                    "indicator": indicator.name,
                    "code": indicator.code,
                    "cells": [channel in indicator.channel_ids for channel in channels],
                }
                for indicator in indicators
            ],
        }

    def _xlsx_history(self):
        """Every stored value of these scorecards' indicators, granularities,
        companies and segments that the user can read."""
        Value = self.env["crm.bsc.indicator.value"]
        status = dict(Value._fields["status"]._description_selection(self.env))
        rows = []
        for scorecard in self:
            values = Value.search(
                [
                    ("indicator_id", "in", scorecard.line_ids.indicator_id.ids),
                    ("company_id", "=", scorecard.company_id.id),
                    ("segment_id", "=", scorecard.segment_id.id),
                    ("period_id.period_type", "=", scorecard.period_type),
                ],
                order="date_from, indicator_id, channel_id, user_id, team_id, id",
            )
            for value in values:
                rows.append(
                    {
                        "period": value.period_id.name,
                        "start": value.period_id.date_from,
                        "scorecard": scorecard.name,
                        "segment": value.segment_id.name,
                        "channel": value.channel_id.name,
                        "salesperson": value.user_id.name,
                        "team": value.team_id.name,
                        "indicator": value.indicator_id.name,
                        "code": value.indicator_id.code,
                        "unit": value.indicator_id.unit,
                        "value": value.value if value.has_value else None,
                        "target": value.target,
                        "score": value.score if value.has_value else None,
                        "status_label": status.get(value.status, ""),
                    }
                )
        return rows
