# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import dataclasses
import logging
from collections import defaultdict

import psycopg2
from psycopg2 import errorcodes

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, mute_logger

from ..tools import engine as engine_tools
from ..tools import scoring
from ..tools.builtins import BUILTINS
from . import bsc_guards
from .crm_bsc_indicator_value import STATUSES
from .crm_bsc_period import PERIOD_TYPES

_logger = logging.getLogger(__name__)

# How long Compute Now waits for a run of the same scorecards to finish.
COMPUTE_LOCK_WAIT = "60s"


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

    @api.constrains("period_id", "company_id")
    def _check_period_company(self):
        for scorecard in self.filtered("period_id"):
            if scorecard.period_id.company_id != scorecard.company_id:
                raise ValidationError(
                    _(
                        "Scorecard %(scorecard)s: the period %(period)s belongs to "
                        "another company.",
                        scorecard=scorecard.display_name,
                        period=scorecard.period_id.name,
                    )
                )

    @api.constrains("segment_id", "company_id")
    def _check_segment_company(self):
        for scorecard in self:
            company = scorecard.segment_id.company_id
            if company and company != scorecard.company_id:
                raise ValidationError(
                    _(
                        "Scorecard %(scorecard)s: the segment %(segment)s belongs to "
                        "the company %(segment_company)s, not to %(company)s.",
                        scorecard=scorecard.display_name,
                        segment=scorecard.segment_id.display_name,
                        segment_company=company.display_name,
                        company=scorecard.company_id.display_name,
                    )
                )

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

    def _render_overview(self, rows, overall):
        self.ensure_one()
        by_perspective, by_objective = self._rollups(rows)
        perspectives = []
        for perspective in self.env["crm.bsc.perspective"].search([]):
            prows = [r for r in rows if r["line"].perspective_id == perspective]
            score = by_perspective.get(perspective)
            perspectives.append(
                {
                    "record": perspective,
                    "score": score,
                    "status": scoring.status_from_score(score),
                    "rows": prows,
                }
            )
        objectives = [
            {
                "record": objective,
                "score": score,
                "status": scoring.status_from_score(score),
            }
            for objective, score in by_objective.items()
        ]
        return self.env["ir.qweb"]._render(
            "crm_bsc_scorecard.scorecard_overview",
            {
                "scorecard": self,
                "overall": overall,
                "overall_status": scoring.status_from_score(overall),
                "perspectives": perspectives,
                "objectives": objectives,
                "status_labels": dict(STATUSES),
                "function_labels": dict(
                    self.env["crm.bsc.objective"]
                    ._fields["crm_function"]
                    ._description_selection(self.env)
                ),
                "format_number": self._format_number,
            },
        )

    def _format_number(self, number, unit):
        if number is None:
            return "—"
        if unit == "percent":
            return f"{number:,.1f} %"
        if unit in ("count",):
            return f"{number:,.0f}"
        if unit == "currency":
            return f"{number:,.0f} {self.company_id.currency_id.symbol or ''}".strip()
        return f"{number:,.2f}"

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
    # Actions
    # ------------------------------------------------------------------
    def _require_manager(self, action):
        bsc_guards.require_access(
            self, "write", bsc_guards.GROUP_MANAGER, action=action
        )

    def action_activate(self):
        self._require_manager(_("Activating a scorecard"))
        self.write({"state": "active"})

    def action_set_draft(self):
        self._require_manager(_("Setting a scorecard to draft"))
        self.write({"state": "draft"})

    def action_archive_scorecard(self):
        self._require_manager(_("Archiving a scorecard"))
        self.write({"state": "archived"})

    def action_generate_segment_scorecards(self):
        self.ensure_one()
        self._require_manager(_("Creating segment scorecards"))
        return {
            "type": "ir.actions.act_window",
            "name": _("Segment Scorecards"),
            "res_model": "crm.bsc.scorecard.generate",
            "view_mode": "form",
            "target": "new",
            "context": {"default_template_id": self.id},
        }

    def action_view_generated(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_bsc_scorecard.crm_bsc_scorecard_action"
        )
        action["domain"] = [("template_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_view_values(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_bsc_scorecard.crm_bsc_indicator_value_action"
        )
        action["domain"] = [
            ("indicator_id", "in", self.line_ids.indicator_id.ids),
            ("company_id", "=", self.company_id.id),
            ("segment_id", "=", self.segment_id.id),
            ("period_type", "=", self.period_type),
        ]
        return action

    def _sync_from_template(self, template, update_targets=False):
        """Make this scorecard's lines follow the template's.

        Lines of indicators the template lacks are removed, missing ones are
        added with the template's targets, and the weights and order of the
        others follow the template (their targets too with update_targets).
        """
        self.ensure_one()
        ours = {line.indicator_id: line for line in self.line_ids}
        commands = []
        target_fields = (
            "target",
            "target_max",
            "warning_threshold",
            "critical_threshold",
        )
        for tline in template.line_ids:
            vals = {"sequence": tline.sequence, "weight": tline.weight}
            if tline.indicator_id in ours:
                if update_targets:
                    vals.update({f: tline[f] for f in target_fields})
                commands.append(
                    fields.Command.update(ours.pop(tline.indicator_id).id, vals)
                )
            else:
                vals.update({f: tline[f] for f in target_fields})
                vals["indicator_id"] = tline.indicator_id.id
                commands.append(fields.Command.create(vals))
        commands += [fields.Command.delete(line.id) for line in ours.values()]
        self.write({"line_ids": commands})

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
    # One run at a time per company and granularity
    # ------------------------------------------------------------------
    @api.model
    def _group_lock_key(self, company_id, period_type):
        return f"crm_bsc_compute:{company_id}:{period_type}"

    def _lock_group(self, company, period_type, wait):
        """Take the lock of the computations of ``company``'s scorecards of
        ``period_type`` for this transaction, then lock these scorecards'
        rows. Without ``wait``, return False when another run holds the
        lock; with it, wait up to COMPUTE_LOCK_WAIT (then refuse with a
        clear message).

        Locking the rows raises a serialization failure when another run
        committed new values (and its time on the scorecards) after this
        transaction began: its snapshot is stale. The request is then
        retried by Odoo from the start (a scheduled batch leaves the group
        due for its next batch), so the two runs never fail to the user and
        the later one computes from what the earlier one wrote.
        """
        cr = self.env.cr
        key = self._group_lock_key(company.id, period_type)
        if wait:
            try:
                with cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
                    cr.execute(
                        SQL(
                            "SELECT set_config('lock_timeout', %s, true)",
                            COMPUTE_LOCK_WAIT,
                        )
                    )
                    cr.execute(SQL("SELECT pg_advisory_xact_lock(hashtext(%s))", key))
                    cr.execute(SQL("SELECT set_config('lock_timeout', '0', true)"))
            except psycopg2.errors.LockNotAvailable as error:
                raise UserError(
                    _(
                        "The scorecards of %(company)s are being computed by "
                        "another run that has not finished after %(wait)s: try "
                        "again when it is done.",
                        company=company.name,
                        wait=COMPUTE_LOCK_WAIT,
                    )
                ) from error
        else:
            cr.execute(SQL("SELECT pg_try_advisory_xact_lock(hashtext(%s))", key))
            if not cr.fetchone()[0]:
                return False
        cr.execute(
            SQL(
                "SELECT id FROM crm_bsc_scorecard WHERE id = ANY(%s) FOR NO KEY UPDATE",
                self.ids,
            )
        )
        return True

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

    # ------------------------------------------------------------------
    # Buttons and scheduled actions
    # ------------------------------------------------------------------
    def action_compute_now(self):
        self._require_manager(_("Computing a scorecard"))
        # sudo: the engine reads the CRM data of the scorecards' companies in
        # SQL and stores the values in bulk; the caller's group and access to
        # these scorecards (their companies) were checked above
        scorecards = self.sudo()
        written = 0
        for (company, period_type), group in scorecards.grouped(
            lambda s: (s.company_id, s.period_type)
        ).items():
            group._lock_group(company, period_type, wait=True)
            written += group._compute_values()
            group._record_compute_success()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": _("Indicators computed"),
                "message": _("%(count)s values stored.", count=written),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_compute_history(self):
        self._require_manager(_("Recomputing the history of a scorecard"))
        return {
            "type": "ir.actions.act_window",
            "name": _("Recompute History"),
            "res_model": "crm.bsc.scorecard.compute",
            "view_mode": "form",
            "target": "new",
            "context": {"default_scorecard_ids": self.ids},
        }

    @api.model
    def _cron_compute_values(self):
        """Scheduled action: one company and granularity per batch.

        Due are the active scorecards not computed since the previous run
        (all of them on the first run), except those whose computation
        failed since then. Another worker busy with a group holds its
        advisory lock, and this one moves on to the next group. A scorecard
        that fails is recorded as failed and the others are computed.
        """
        lastcall = self.env.context.get("lastcall")
        domain = [("state", "=", "active")]
        if lastcall:
            domain += [
                "|",
                ("values_computed_at", "=", False),
                ("values_computed_at", "<", lastcall),
                "|",
                ("compute_failed_at", "=", False),
                ("compute_failed_at", "<", lastcall),
            ]
        else:
            domain += [
                ("values_computed_at", "=", False),
                ("compute_failed_at", "=", False),
            ]
        # sudo: a scheduled action, run by the scheduler's user, over the
        # scorecards of every company
        due = self.sudo().search(domain)
        groups = list(due.grouped(lambda s: (s.company_id, s.period_type)).items())
        for index, ((company, period_type), scorecards) in enumerate(groups):
            try:
                with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                    if not scorecards._lock_group(company, period_type, wait=False):
                        continue
                    scorecards._compute_values_isolated()
            except psycopg2.errors.SerializationFailure:
                # another run committed these scorecards after this batch
                # began: the next batch, in a new transaction, takes them
                self.env["ir.cron"]._notify_progress(
                    done=0, remaining=len(groups) - index
                )
                return
            self.env["ir.cron"]._notify_progress(
                done=len(scorecards), remaining=len(groups) - index - 1
            )
            return
        self.env["ir.cron"]._notify_progress(done=0, remaining=0)

    def _compute_values_incremental(self):
        """Recompute only what the pending CRM changes touched.

        Each change recorded by the hooks on leads, activities, messages and
        customers (and sale orders confirmed or cancelled since the last
        full run, when they are the transactions) names a family of built-in
        indicators and a date range; the built-ins of that family are
        recomputed for the open periods that overlap the range, and the
        ratios and formulas that read them for the same periods. Aggregate
        indicators (any model) wait for the full run. Works on these
        scorecards, or on all active ones. A group of scorecards that
        another run is computing keeps its changes for the next run; one
        that fails is recorded as failed (the hourly run recomputes it).
        Returns the number of values written.
        """
        scorecards = self or self.search([("state", "=", "active")])
        # sudo: called by the scheduled action and by the addon's own code
        # only (private); it reads and writes every company's values
        scorecards = scorecards.sudo()
        self.env["crm.bsc.dirty"].sudo()._record_sale_orders(scorecards)
        self.env.cr.execute(SQL("SELECT max(id) FROM crm_bsc_dirty"))
        max_id = self.env.cr.fetchone()[0]
        if not max_id:
            return 0
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT company_id, family, date_from, date_to "
                "FROM crm_bsc_dirty WHERE id <= %s",
                max_id,
            )
        )
        ranges = defaultdict(list)
        for company_id, family, start, end in self.env.cr.fetchall():
            ranges[company_id, family].append((start, end))
        # the customer counts kept are brought up to date with the changed
        # customers, and read instead of every transaction
        counts_kept = self.env["crm.bsc.customer.count"]._catch_up()
        written = 0
        busy = set()
        for (company, period_type), group in scorecards.grouped(
            lambda s: (s.company_id, s.period_type)
        ).items():
            try:
                with self.env.cr.savepoint():
                    if not group._lock_group(company, period_type, wait=False):
                        busy.add(company.id)
                        continue
                    written += group._compute_group_incremental(
                        company, period_type, ranges, counts_kept
                    )
            except psycopg2.errors.SerializationFailure:
                busy.add(company.id)
            except Exception as error:  # noqa: BLE001 - recorded on the scorecards
                for scorecard in group:
                    scorecard._record_compute_failure(error)
        self.env.cr.execute(
            SQL(
                "DELETE FROM crm_bsc_dirty WHERE id <= %s AND company_id != ALL(%s)",
                max_id,
                sorted(busy),
            )
        )
        return written

    def _compute_group_incremental(self, company, period_type, ranges, counts_kept):
        """The incremental recompute of one group of scorecards (one company
        and granularity) for the pending ``ranges`` {(company id, family):
        [(start, end)]}: each built-in is recomputed for the open periods
        that its dirty families (its spec says which) touched."""
        engine = self.env["crm.bsc.engine"].with_company(company)
        Period = self.env["crm.bsc.period"]
        written = 0
        periods = self._open_periods(period_type, company)
        source = company.bsc_transaction_source or "opportunities"
        segment_ids = sorted(
            {s.segment_id.id or None for s in self} | {None}, key=lambda s: s or 0
        )
        # the channels and breakdowns of all the group's indicators (what a
        # ratio reads is kept with the ratio's channels too), and the
        # closure, computed once
        scope = engine._scope(
            company,
            [(p.id, p.date_from, p.date_to) for p in periods],
            segment_ids,
            self.line_ids.indicator_id,
        )
        closure = scope.ordered + list(scope.broken)
        pending = (
            self._pending_customer_periods(scope, closure) if counts_kept else None
        )
        affected = {}
        for indicator in closure:
            if indicator.computation == "builtin":
                spec = BUILTINS[indicator.builtin_code]
                if spec.family_for(source) == "customers" and pending is not None:
                    # exactly the periods whose counts changed
                    affected[indicator] = periods.filtered(
                        lambda p, pending=pending: p.id in pending
                    )
                    continue
                spans = [
                    span
                    for family in spec.dirty_families(source)
                    for span in ranges.get((company.id, family), [])
                ]
                affected[indicator] = periods.filtered(
                    lambda p, spans=spans: any(
                        p.date_from <= end and p.date_to >= start
                        for start, end in spans
                    )
                )
            elif indicator.computation in ("ratio", "formula"):
                affected[indicator] = Period.union(
                    *(affected.get(dep, Period) for dep in scope.deps[indicator])
                )
        by_periods = defaultdict(lambda: self.env["crm.bsc.indicator"])
        for indicator, touched in affected.items():
            if touched:
                by_periods[tuple(sorted(touched.ids))] |= indicator
        for period_ids, indicators in by_periods.items():
            touched = Period.browse(period_ids)
            part = dataclasses.replace(
                scope, periods=[(p.id, p.date_from, p.date_to) for p in touched]
            )
            results = engine._compute(part, indicators, counts="kept")
            written += engine._store(part, period_type, results, list(indicators))
        return written

    def _pending_customer_periods(self, scope, closure):
        """The open periods whose kept customer counts changed since their
        values were computed, or None when the counts are not kept for all
        of them (the dates of the changes say what to recompute then)."""
        if not scope.periods or scope.transaction_source != "opportunities":
            return None
        members = [
            indicator
            for indicator in closure
            if indicator.computation == "builtin"
            and BUILTINS[indicator.builtin_code].family == "customers"
        ]
        if not members:
            return None
        return self.env["crm.bsc.customer.count"]._pending_periods(
            scope,
            any(scope.channel_ids.get(indicator.id) for indicator in members),
            any(scope.users.get(indicator.id) for indicator in members),
        )

    @api.model
    def _cron_compute_values_incremental(self):
        """Scheduled action, woken by CRM changes: the incremental recompute."""
        self._compute_values_incremental()
