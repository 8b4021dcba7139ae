# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=consider-merging-classes-inherited
# (the model is split by concern, a file per concern)
"""Scorecards, continued (``crm_bsc_scorecard.py`` holds the model, its
fields, its scores and what computing its values is): the runs. One run at
a time per company and granularity (an advisory lock), the buttons, the
scheduled actions and the incremental recompute of what the pending CRM
changes touched."""

import dataclasses
from collections import defaultdict

import psycopg2

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import SQL, mute_logger

from ..tools import collector
from ..tools.builtins import BUILTINS

# How long Compute Now waits for a run of the same scorecards to finish.
COMPUTE_LOCK_WAIT = "60s"


class CrmBscScorecard(models.Model):
    _inherit = "crm.bsc.scorecard"

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
        with collector.paused():
            written, busy = scorecards._compute_groups_incremental(ranges)
        self.env.cr.execute(
            SQL(
                "DELETE FROM crm_bsc_dirty WHERE id <= %s AND company_id != ALL(%s)",
                max_id,
                sorted(busy),
            )
        )
        return written

    def _compute_groups_incremental(self, ranges):
        """The incremental recompute of these scorecards, group by group, for
        the pending ``ranges``: (values written, ids of the companies whose
        groups another run holds, which keep their changes)."""
        # the customer counts kept are brought up to date with the changed
        # customers, and read instead of every transaction
        counts_kept = self.env["crm.bsc.customer.count"]._catch_up()
        # and the running totals kept, with the changed leads and activities
        self.env["crm.bsc.running.total"]._catch_up()
        written = 0
        busy = set()
        for (company, period_type), group in self.grouped(
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
        return written, busy

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
