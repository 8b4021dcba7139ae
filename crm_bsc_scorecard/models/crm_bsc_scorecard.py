# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Balanced scorecards: the model, its fields, its figures and roll-ups,
and computing its values (each failure kept on its scorecard). The runs
(one at a time per company and granularity, the buttons, the scheduled
actions, the incremental recompute): ``crm_bsc_scorecard_runs.py``;
checks, overview and lifecycle actions: ``crm_bsc_scorecard_actions.py``."""

import logging

import psycopg2
from psycopg2 import errorcodes

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import engine as engine_tools
from ..tools import scoring
from .crm_bsc_indicator_value import STATUSES
from .crm_bsc_period import PERIOD_TYPES

_logger = logging.getLogger(__name__)


class CrmBscScorecard(models.Model):
    _name = "crm.bsc.scorecard"
    _description = "Balanced Scorecard"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    description = fields.Html(translate=True)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    segment_id = fields.Many2one(
        "crm.customer.segment",
        string="Customer Segment",
        index=True,
        tracking=True,
        ondelete="restrict",
        help="The customers this scorecard follows; empty means all customers.",
    )
    period_type = fields.Selection(
        PERIOD_TYPES,
        string="Granularity",
        required=True,
        default="month",
        tracking=True,
    )
    owner_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("active", "Active"), ("archived", "Archived")],
        required=True,
        default="draft",
        tracking=True,
    )
    line_ids = fields.One2many(
        "crm.bsc.scorecard.line", "scorecard_id", string="Lines", copy=True
    )
    line_count = fields.Integer(compute="_compute_line_count", string="Indicators")
    template_id = fields.Many2one(
        "crm.bsc.scorecard",
        string="Generated From",
        index=True,
        ondelete="set null",
        copy=False,
        help="The template scorecard this segment scorecard is kept in step with.",
    )
    generated_ids = fields.One2many(
        "crm.bsc.scorecard", "template_id", string="Segment Scorecards"
    )
    generated_count = fields.Integer(compute="_compute_generated_count")
    period_id = fields.Many2one(
        "crm.bsc.period",
        string="Period Shown",
        domain="[('period_type', '=', period_type), ('company_id', '=', company_id)]",
        copy=False,
        help="The period whose values the scorecard shows; empty shows the "
        "current period.",
    )
    shown_period_id = fields.Many2one(
        "crm.bsc.period", compute="_compute_shown_period_id", string="Period"
    )
    score = fields.Float(compute="_compute_scores", string="Overall Score")
    score_status = fields.Selection(
        STATUSES, compute="_compute_scores", string="Status"
    )
    overview_html = fields.Html(
        compute="_compute_scores", sanitize=False, string="Overview"
    )
    values_computed_at = fields.Datetime(
        readonly=True, copy=False, help="When its indicators were last computed."
    )
    compute_error = fields.Text(
        readonly=True,
        copy=False,
        help="Why the last scheduled computation of this scorecard failed; "
        "cleared by the next one that succeeds.",
    )
    compute_failed_at = fields.Datetime(readonly=True, copy=False)
    unwatched_channel_ids = fields.Many2many(
        "crm.contact.channel",
        compute="_compute_unwatched_channel_ids",
        string="Unwatched Channels",
    )

    @api.depends("line_ids")
    def _compute_line_count(self):
        for scorecard in self:
            scorecard.line_count = len(scorecard.line_ids)

    def _compute_generated_count(self):
        counts = dict(
            self.with_context(active_test=False)._read_group(
                [("template_id", "in", self.ids)], ["template_id"], ["__count"]
            )
        )
        for scorecard in self:
            scorecard.generated_count = counts.get(scorecard, 0)

    @api.depends("period_id", "period_type")
    def _compute_shown_period_id(self):
        Period = self.env["crm.bsc.period"]
        today = fields.Date.context_today(self)
        for scorecard in self:
            scorecard.shown_period_id = scorecard.period_id or Period._find(
                scorecard.period_type, today, scorecard.company_id
            )

    # ------------------------------------------------------------------
    # Figures and roll-ups
    # ------------------------------------------------------------------
    def _line_figures(self):
        """{line id: figures} for the lines of these scorecards, in the
        period each scorecard shows, from the stored values (one search)."""
        Value = self.env["crm.bsc.indicator.value"]
        shown = {sc.id: sc.shown_period_id for sc in self}
        previous = {
            sc_id: period._previous() if period else period
            for sc_id, period in shown.items()
        }
        periods = self.env["crm.bsc.period"].union(*shown.values(), *previous.values())
        lines = self.line_ids
        if not lines or not periods:
            return {}
        values = Value.search(
            [
                ("indicator_id", "in", lines.indicator_id.ids),
                ("period_id", "in", periods.ids),
                ("company_id", "in", self.company_id.ids),
                ("segment_id", "in", self.segment_id.ids + [False]),
                ("channel_id", "=", False),
                ("user_id", "=", False),
                ("team_id", "=", False),
            ]
        )
        by_key = {
            (v.indicator_id.id, v.period_id.id, v.company_id.id, v.segment_id.id): v
            for v in values
        }
        figures = {}
        for line in lines:
            scorecard = line.scorecard_id
            key = (
                line.indicator_id.id,
                None,
                scorecard.company_id.id,
                scorecard.segment_id.id,
            )
            current = by_key.get((key[0], shown[scorecard.id].id, *key[2:]))
            before = by_key.get(
                (
                    key[0],
                    previous[scorecard.id].id if previous[scorecard.id] else 0,
                    *key[2:],
                )
            )
            number = current.value if current and current.has_value else None
            previous_number = before.value if before and before.has_value else None
            score, status = line._evaluate(number)
            figures[line.id] = {
                "value_id": current.id if current else False,
                "has_value": number is not None,
                "current_value": number or 0.0,
                "previous_value": previous_number or 0.0,
                "score": score or 0.0,
                "raw_score": score,
                "status": status,
                "trend": scoring.trend(
                    line.direction or scoring.HIGHER,
                    number,
                    previous_number,
                    line.target,
                    line.target_max,
                )
                or False,
            }
        return figures

    @api.depends(
        "line_ids.weight",
        "line_ids.target",
        "line_ids.warning_threshold",
        "line_ids.critical_threshold",
        "shown_period_id",
    )
    def _compute_scores(self):
        for scorecard, rows in self._score_rows().items():
            overall = scoring.weighted_mean((r["score"], r["weight"]) for r in rows)
            scorecard.score = overall or 0.0
            scorecard.score_status = scoring.status_from_score(overall)
            scorecard.overview_html = scorecard._render_overview(rows, overall)

    def _score_rows(self):
        """{scorecard: [row per line with its score, weight and figures]}."""
        figures = self._line_figures()
        return {
            scorecard: [
                {
                    "line": line,
                    "score": figures.get(line.id, {}).get("raw_score"),
                    "weight": line.weight,
                    "figures": figures.get(line.id, {}),
                }
                for line in scorecard.line_ids
            ]
            for scorecard in self
        }

    def _summary(self):
        """Plain data for a text or mail summary of each scorecard: overall
        score and status, each perspective's score, the critical lines."""
        summaries = []
        for scorecard, rows in self._score_rows().items():
            overall = scoring.weighted_mean((r["score"], r["weight"]) for r in rows)
            by_perspective, _by_objective = scorecard._rollups(rows)
            summaries.append(
                {
                    "scorecard": scorecard,
                    "period": scorecard.shown_period_id,
                    "score": overall,
                    "status": scoring.status_from_score(overall),
                    "perspectives": [
                        (perspective, score, scoring.status_from_score(score))
                        for perspective, score in sorted(
                            by_perspective.items(), key=lambda item: item[0].sequence
                        )
                    ],
                    "critical": [
                        (r["line"], r["figures"].get("current_value"))
                        for r in rows
                        if r["figures"].get("status") == scoring.CRITICAL
                    ],
                }
            )
        return summaries

    def _rollups(self, rows):
        """Roll-up scores per perspective and per objective."""
        by_perspective = scoring.rollup(rows, lambda r: r["line"].perspective_id)
        by_objective = scoring.rollup(rows, lambda r: r["line"].objective_id or None)
        return by_perspective, by_objective

    # ------------------------------------------------------------------
    # Channel coverage
    # ------------------------------------------------------------------
    @api.depends("line_ids.indicator_id.channel_ids")
    def _compute_unwatched_channel_ids(self):
        channels = self.env["crm.contact.channel"].search([])
        for scorecard in self:
            relevant = channels.filtered(
                lambda c, sc=scorecard: (
                    not c.company_id or c.company_id == sc.company_id
                )
            )
            watched = scorecard.line_ids.indicator_id.channel_ids
            scorecard.unwatched_channel_ids = relevant - watched

    # ------------------------------------------------------------------
    # Computing the indicators
    # ------------------------------------------------------------------
    def _open_periods(self, period_type, company=None):
        """The open periods of a company (the current one by default) and
        granularity that have started."""
        company = company or self.env.company
        return self.env["crm.bsc.period"].search(
            [
                ("company_id", "=", company.id),
                ("period_type", "=", period_type),
                ("state", "=", "open"),
                ("date_from", "<=", fields.Date.context_today(self)),
            ],
            order="date_from",
        )

    def _compute_values(self, periods=None):
        """Compute and store the computed indicators of these scorecards.

        Scorecards of one company and granularity are computed together, all
        their segments (and all customers) at once. ``periods`` defaults to
        the open periods that have started (and only then is the time of
        the computation kept on the scorecards); closed periods are never
        rewritten. Returns the number of values written.
        """
        engine = self.env["crm.bsc.engine"]
        written = 0
        for (company, period_type), scorecards in self.grouped(
            lambda s: (s.company_id, s.period_type)
        ).items():
            group_periods = (
                periods.filtered(
                    lambda p, t=period_type, c=company: (
                        p.period_type == t and p.company_id == c
                    )
                )
                if periods is not None
                else self._open_periods(period_type, company)
            ).filtered(lambda p: p.state == "open")
            indicators = scorecards.line_ids.indicator_id
            segment_ids = sorted(
                {s.segment_id.id or None for s in scorecards} | {None},
                key=lambda s: s or 0,
            )
            # the closure of the indicators is computed once, with the scope
            scope = engine.with_company(company)._scope(
                company,
                [(p.id, p.date_from, p.date_to) for p in group_periods],
                segment_ids,
                indicators,
            )
            computed = [
                indicator
                for indicator in scope.ordered + list(scope.broken)
                if indicator.computation != "manual"
            ]
            if not group_periods or not computed:
                if periods is None:
                    scorecards.values_computed_at = fields.Datetime.now()
                continue
            # the customer counts are read from every transaction, and kept
            results = engine.with_company(company)._compute(
                scope, indicators, counts="compute"
            )
            written += engine._store(scope, period_type, results, computed)
            if periods is None:
                # when all the open periods were last computed (not a range
                # of history): the hourly run and the sale orders follow it
                scorecards.values_computed_at = fields.Datetime.now()
        return written

    # ------------------------------------------------------------------
    # Failures stay on the scorecard they belong to
    # ------------------------------------------------------------------
    def _compute_values_isolated(self, periods=None):
        """_compute_values, with each failure kept on its scorecard.

        The scorecards are computed together; when that fails, each one is
        computed alone, so that one broken scorecard neither stops nor
        spoils the others. A failure is recorded on the scorecard (its
        reason in a field and in the chatter) and rolled back; a success
        clears it. Concurrency errors are not failures of the scorecard:
        they reach the caller, which tries again. Returns the number of
        values written.
        """
        try:
            with self.env.cr.savepoint():
                written = self._compute_values(periods)
        except psycopg2.Error as error:
            if error.pgcode in (
                errorcodes.SERIALIZATION_FAILURE,
                errorcodes.LOCK_NOT_AVAILABLE,
                errorcodes.DEADLOCK_DETECTED,
            ):
                raise
            failure = error
        except Exception as error:  # noqa: BLE001 - recorded on the scorecard below
            failure = error
        else:
            self._record_compute_success()
            return written
        if len(self) > 1:
            return sum(
                scorecard._compute_values_isolated(periods) for scorecard in self
            )
        self._record_compute_failure(failure)
        return 0

    def _record_compute_success(self):
        failed = self.filtered("compute_error")
        if failed:
            failed.write({"compute_error": False, "compute_failed_at": False})
            for scorecard in failed:
                scorecard.message_post(
                    body=_("The indicators of this scorecard compute again.")
                )

    def _record_compute_failure(self, error):
        self.ensure_one()
        if isinstance(error, UserError | engine_tools.DataError | psycopg2.Error):
            _logger.warning("Scorecard %s could not be computed: %s", self.id, error)
        else:
            _logger.exception(
                "Scorecard %s could not be computed", self.id, exc_info=error
            )
        reason = str(error) or type(error).__name__
        previous = self.compute_error
        self.write(
            {"compute_error": reason, "compute_failed_at": fields.Datetime.now()}
        )
        if reason != previous:
            self.message_post(
                body=_(
                    "The scheduled computation of this scorecard failed; the "
                    "other scorecards were computed. Reason: %(reason)s",
                    reason=reason,
                )
            )
