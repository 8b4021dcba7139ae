# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a manager sees first: the last complete period, the running one to
date with its additive targets pro-rated, the data of the dashboard and
the strategy map (client actions). Export to Excel:
``crm_bsc_scorecard_xlsx.py``."""

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import link_evidence as evidence_tools
from ..tools import pro_rata, scoring

HISTORY_PERIODS = 12


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
        if evidence.verdict == evidence_tools.INSUFFICIENT and evidence.unchanged:
            # enough history, but a score that did not move tells nothing
            texts = {
                ("cause",): _(
                    "The score of %(cause)s did not change over %(periods)s "
                    "periods: nothing shows whether it drives %(effect)s."
                ),
                ("effect",): _(
                    "The score of %(effect)s did not change over %(periods)s "
                    "periods: nothing shows whether %(cause)s drives it."
                ),
                ("cause", "effect"): _(
                    "The scores of %(cause)s and %(effect)s did not change over "
                    "%(periods)s periods: nothing shows whether one drives the "
                    "other."
                ),
            }
            return texts[tuple(evidence.unchanged)] % {
                "cause": cause.display_name,
                "effect": effect.display_name,
                "periods": evidence.periods,
            }
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
