# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The scheduled computation: one company and granularity per batch with
ir.cron._notify_progress, a failing indicator isolated, idempotent, and a
group that another worker holds is skipped."""

import datetime

import psycopg2

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from .engine_common import EngineCommon


@tagged("post_install", "-at_install")
class TestEngineCron(EngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # only the scorecards of this data set are due
        cls.env["crm.bsc.scorecard"].search(
            [("id", "not in", cls.scorecards.ids)]
        ).write({"state": "draft"})
        cls.cron = cls.env.ref("crm_bsc_scorecard.ir_cron_compute_values")
        # the three groups: A monthly (all, Retail, Wholesale), A quarterly,
        # B monthly
        cls.group_a_month = cls.sc_a | cls.sc_a_retail | cls.sc_a_wholesale

    def progress(self):
        return self.env["ir.cron.progress"].create({"cron_id": self.cron.id})

    def run_batch(self, **context):
        """One call of the cron method, as the scheduler makes it; returns
        its progress (done, remaining)."""
        progress = self.progress()
        self.env["crm.bsc.scorecard"].with_context(
            ir_cron_progress_id=progress.id, **context
        )._cron_compute_values()
        return progress.done, progress.remaining

    def computed(self):
        self.scorecards.invalidate_recordset(["values_computed_at"])
        return self.scorecards.filtered("values_computed_at")

    def count_values(self, company):
        return self.env["crm.bsc.indicator.value"].search_count(
            [("company_id", "=", company.id)]
        )

    def test_one_group_per_batch(self):
        self.assertFalse(self.computed())
        # first batch: the first group, 3 scorecards; two groups remain
        self.assertEqual(self.run_batch(), (3, 2))
        self.assertEqual(self.computed(), self.group_a_month)
        monthly_a = self.count_values(self.company_a)
        self.assertGreater(monthly_a, 0)
        self.assertEqual(self.count_values(self.company_b), 0)
        # second: A quarterly
        self.assertEqual(self.run_batch(), (1, 1))
        self.assertEqual(self.computed(), self.group_a_month | self.sc_a_quarter)
        self.assertGreater(self.count_values(self.company_a), monthly_a)
        q1 = self.env["crm.bsc.indicator.value"].search(
            [
                ("indicator_id", "=", self.ind["won_revenue"].id),
                ("period_id", "=", self.q1.id),
                ("company_id", "=", self.company_a.id),
                ("segment_id", "=", False),
                ("channel_id", "=", False),
                ("user_id", "=", False),
                ("team_id", "=", False),
            ]
        )
        # Q1: 2000 + 3000 + 2000
        self.assertEqual(q1.value, 7000.0)
        # third: B, nothing remains
        self.assertEqual(self.run_batch(), (1, 0))
        self.assertEqual(self.computed(), self.scorecards)
        self.assertGreater(self.count_values(self.company_b), 0)
        # nothing due any more: fully done
        self.assertEqual(self.run_batch(), (0, 0))

    def test_scorecards_computed_since_the_last_run_are_not_due(self):
        for _batch in range(3):
            self.run_batch()
        self.assertEqual(self.computed(), self.scorecards)
        # the previous run started before they were computed: not due
        earlier = fields.Datetime.now() - datetime.timedelta(hours=1)
        self.assertEqual(self.run_batch(lastcall=earlier), (0, 0))
        # a run after they were computed finds them due again
        later = fields.Datetime.now() + datetime.timedelta(seconds=5)
        self.assertEqual(self.run_batch(lastcall=later), (3, 2))

    def test_history_recomputed_leaves_the_scorecard_due(self):
        """A range of history recomputed (not every open period) does not
        make the scheduled action skip the scorecard's open periods."""
        self.assertFalse(self.computed())
        wizard = self.env["crm.bsc.scorecard.compute"].create(
            {
                "scorecard_ids": [(6, 0, self.sc_a.ids)],
                "date_from": datetime.date(2005, 1, 1),
                "date_to": datetime.date(2005, 2, 28),
            }
        )
        wizard.action_compute()
        self.assertTrue(self.count_values(self.company_a))
        self.assertFalse(self.computed())
        self.sc_a.action_compute_now()
        self.assertEqual(self.computed(), self.sc_a)

    def test_through_the_scheduled_action(self):
        self.cron.method_direct_trigger()
        progress = self.env["ir.cron.progress"].search(
            [("cron_id", "=", self.cron.id)], order="id desc", limit=1
        )
        self.assertEqual((progress.done, progress.remaining), (3, 2))
        self.assertEqual(self.computed(), self.group_a_month)

    def test_a_failing_indicator_is_isolated(self):
        broken = self._indicator(
            "eng_cron_broken",
            computation="aggregate",
            agg_model_id=self.env["ir.model"]._get_id("crm.lead"),
            agg_date_field_id=self.env["ir.model.fields"]
            ._get("crm.lead", "create_date")
            .id,
            agg_measure="sum",
            agg_field_id=self.env["ir.model.fields"]
            ._get("crm.lead", "expected_revenue")
            .id,
        )
        self.sc_a.line_ids = [(0, 0, {"indicator_id": broken.id, "target": 1.0})]
        # PostgreSQL refuses to sum the text the field now points at
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE crm_bsc_indicator SET agg_field_id = %s WHERE id = %s",
                self.env["ir.model.fields"]._get("crm.lead", "name").id,
                broken.id,
            )
        )
        self.env.invalidate_all()
        with mute_logger(
            "odoo.addons.crm_bsc_scorecard.engine.processor", "odoo.sql_db"
        ):
            self.assertEqual(self.run_batch(), (3, 2))
        values = self.env["crm.bsc.indicator.value"].search(
            [("indicator_id", "=", broken.id), ("period_id", "in", self.months.ids)]
        )
        # one value per month and segment of the group (all, Retail,
        # Wholesale): 6 * 3, all without data, saying why
        self.assertEqual(len(values), 18)
        self.assertEqual(set(values.mapped("has_value")), {False})
        self.assertTrue(all(v.note.startswith("error: ") for v in values))
        self.assertTrue(all("sum" in v.note for v in values))
        # the others are computed: won deals in March, T5 and T6
        stored = self.stored(periods=self.mar)
        key = (self.ind["won_deals"].id, self.mar.id, None, None, None, None)
        self.assertEqual(stored[key][:2], (True, 2.0))
        # and the next batches go on
        self.assertEqual(self.run_batch(), (1, 1))
        self.assertEqual(self.run_batch(), (1, 0))

    def test_running_again_gives_the_same_values(self):
        for _batch in range(3):
            self.run_batch()
        first_a, first_b = self.stored(), self.stored(self.company_b)
        counts = (self.count_values(self.company_a), self.count_values(self.company_b))
        self.scorecards.values_computed_at = False
        self.assertEqual(self.run_batch(), (3, 2))
        self.assertEqual(self.run_batch(), (1, 1))
        self.assertEqual(self.run_batch(), (1, 0))
        self.assertEqual(self.stored(), first_a)
        self.assertEqual(self.stored(self.company_b), first_b)
        self.assertEqual(
            (self.count_values(self.company_a), self.count_values(self.company_b)),
            counts,
        )

    def test_a_group_another_worker_holds_is_skipped(self):
        lock = SQL(
            "SELECT pg_try_advisory_xact_lock(hashtext(%s))",
            f"crm_bsc_compute:{self.company_a.id}:month",
        )
        other = self.registry.cursor()
        try:
            other.execute(lock)
            self.assertTrue(other.fetchone()[0])
            # the monthly group of A is busy: this worker does A quarterly;
            # one group (B) remains after it
            self.assertEqual(self.run_batch(), (1, 1))
            self.assertEqual(self.computed(), self.sc_a_quarter)
            self.assertEqual(self.run_batch(), (1, 0))
            self.assertEqual(self.computed(), self.sc_a_quarter | self.sc_b)
            # only the busy group is left, and it is still busy
            self.assertEqual(self.run_batch(), (0, 0))
            self.assertFalse(self.group_a_month & self.computed())
        finally:
            other.rollback()
            other.close()
        # the other worker is gone: the group is computed
        self.assertEqual(self.run_batch(), (3, 0))
        self.assertEqual(self.computed(), self.scorecards)

    def test_concurrent_writers_of_one_key_wait_instead_of_duplicating(self):
        """Two workers storing the same value: the second one waits for the
        first (the unique key holds across transactions); it never inserts
        a second row."""
        other = self.registry.cursor()
        try:
            # a value committed before the test (the demo data has some)
            other.execute(
                SQL(
                    """
                    SELECT v.indicator_id, v.period_id, v.company_id, p.period_type,
                           p.date_from, p.date_to
                      FROM crm_bsc_indicator_value v
                      JOIN crm_bsc_period p ON p.id = v.period_id
                      JOIN crm_bsc_indicator i ON i.id = v.indicator_id
                     WHERE p.state = 'open' AND i.computation = 'builtin'
                       AND v.segment_id IS NULL AND v.channel_id IS NULL
                       AND v.user_id IS NULL AND v.team_id IS NULL
                     LIMIT 1
                    """
                )
            )
            row = other.fetchone()
            if not row:
                self.skipTest("no committed computed value to write concurrently")
            indicator_id, period_id, company_id, period_type, start, end = row
            indicator = self.env["crm.bsc.indicator"].browse(indicator_id)
            key = (period_id, None, None, None, None)

            def store(env, number):
                engine = env["crm.bsc.engine"]
                scope = engine._scope(
                    env["res.company"].browse(company_id),
                    [(period_id, start, end)],
                    [None],
                    env["crm.bsc.indicator"].browse(indicator_id),
                    force_channels=[],
                    force_users=False,
                )
                results = {
                    engine.env["crm.bsc.indicator"].browse(indicator_id): {
                        key: (number, None)
                    }
                }
                return engine._store(scope, period_type, results, list(results))

            # this worker stores first and holds the row
            store(self.env, 111.0)
            other.execute(SQL("SET LOCAL lock_timeout = '300ms'"))
            other_env = self.env(cr=other)
            with (
                self.assertRaises(psycopg2.errors.LockNotAvailable),
                mute_logger("odoo.sql_db"),
            ):
                store(other_env, 222.0)
        finally:
            other.rollback()
            other.close()
        self.env.cr.execute(
            SQL(
                """
                SELECT count(*), max(value) FROM crm_bsc_indicator_value
                 WHERE indicator_id = %s AND period_id = %s AND company_id = %s
                   AND segment_id IS NULL AND channel_id IS NULL
                   AND user_id IS NULL AND team_id IS NULL
                """,
                indicator.id,
                period_id,
                company_id,
            )
        )
        self.assertEqual(self.env.cr.fetchone(), (1, 111.0))
