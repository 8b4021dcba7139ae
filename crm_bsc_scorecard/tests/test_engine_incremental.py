# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The incremental recompute stores the same values as a full recompute
after changes made through the ORM: leads written, won, lost, created and
deleted, activities, messages, a customer's segment."""

import datetime
import json
from contextlib import closing
from unittest.mock import patch

from odoo import SUPERUSER_ID, api, fields, sql_db
from odoo.tests import tagged
from odoo.tools import SQL

from ..engine.families import activities as activities_family
from ..engine.families import customers as customers_family
from ..engine.families import pipeline as pipeline_family
from ..engine.family import Request, SqlFamily
from ..engine.kept import RunningFamily
from .engine_common import EngineCommon, dt


@tagged("post_install", "-at_install")
class TestEngineIncremental(EngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the recent months, where the changes made now land
        today = fields.Date.context_today(cls.env["crm.bsc.period"])
        Period = cls.env["crm.bsc.period"]
        for company in (cls.company_a, cls.company_b):
            Period._generate(
                "month", today - datetime.timedelta(days=62), today, company
            )
            Period._generate(
                "quarter", today - datetime.timedelta(days=62), today, company
            )
        # a ratio watching the phone reads two built-ins that watch no
        # channel: they are computed (and kept) by phone for it
        (cls.ind["won_deals"] | cls.ind["new_leads"]).channel_ids = [(5, 0, 0)]
        cls.ratio = cls._indicator(
            "eng_inc_ratio",
            computation="ratio",
            ratio_numerator_id=cls.ind["won_deals"].id,
            ratio_denominator_id=cls.ind["new_leads"].id,
            ratio_scale=100.0,
            channel_ids=[(6, 0, cls.phone.ids)],
        )
        cls.formula = cls._indicator(
            "eng_inc_formula",
            computation="formula",
            formula="eng_pipeline_value - eng_won_revenue + eng_data_completeness",
        )
        cls.sc_a.line_ids = [
            (0, 0, {"indicator_id": cls.ratio.id, "target": 10.0}),
            (0, 0, {"indicator_id": cls.formula.id, "target": 10.0}),
        ]

    def full(self):
        self.scorecards._compute_values()
        return self.snapshot()

    def counts(self):
        """The customer counts kept: {(company, period, breakdown): counts}."""
        self.env.cr.execute(
            SQL(
                """
                SELECT company_id, period_id, by_channel, by_user, window_days,
                       counts
                  FROM crm_bsc_customer_count
                """
            )
        )
        return {tuple(row[:5]): row[5] for row in self.env.cr.fetchall()}

    def running(self):
        """The running totals kept: {(company, family, period, breakdown):
        totals}."""
        self.env.cr.execute(
            SQL(
                """
                SELECT company_id, family, period_id, by_channel, by_user, totals
                  FROM crm_bsc_running_total
                """
            )
        )
        return {tuple(row[:5]): row[5] for row in self.env.cr.fetchall()}

    def assertIncrementalIsFull(
        self, change, reads_transactions=False, reads_records=False
    ):
        """Compute everything, apply ``change``, recompute incrementally,
        then fully: both store the same values, and the change moved some.

        The incremental recompute reads the customer counts kept, brought
        up to date from the changed customers alone, unless
        ``reads_transactions`` (a change the hooks cannot follow): then
        every transaction is read again. Either way the counts it keeps are
        those a full recompute finds. Likewise, the open pipeline and the
        activities are the running totals kept, brought up to date from the
        changed leads and activities alone, unless ``reads_records``."""
        before = self.full()
        self.assertTrue(self.counts(), "the full recompute kept no customer counts")
        self.env.cr.execute(SQL("DELETE FROM crm_bsc_dirty"))
        change()
        self.env.flush_all()
        self.env.cr.execute(SQL("SELECT count(*) FROM crm_bsc_dirty"))
        self.assertTrue(self.env.cr.fetchone()[0], "the change left no trace")
        read_all = patch.object(
            customers_family,
            "islands_table",
            autospec=True,
            side_effect=customers_family.islands_table,
        )
        self.assertTrue(self.running(), "the full recompute kept no running totals")
        read_every = patch.object(
            SqlFamily, "table", autospec=True, side_effect=SqlFamily.table
        )
        with read_all as customers_table, read_every as family_table:
            self.scorecards._compute_values_incremental()
        self.assertEqual(customers_table.called, reads_transactions)
        # the open pipeline and activities: the kept totals and the changed
        # records alone
        read_again = [
            call.args[0].name
            for call in family_table.call_args_list
            if isinstance(call.args[0], RunningFamily)
        ]
        self.assertEqual(bool(read_again), reads_records, read_again)
        incremental = self.snapshot()
        kept = self.counts()
        running = self.running()
        self.env.cr.execute(SQL("SELECT count(*) FROM crm_bsc_dirty"))
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.env.cr.execute(SQL("SELECT count(*) FROM crm_bsc_transaction_change"))
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        for log in ("crm_bsc_lead_state", "crm_bsc_activity_state"):
            self.env.cr.execute(SQL("SELECT count(*) FROM %s", SQL.identifier(log)))
            self.assertEqual(self.env.cr.fetchone()[0], 0, f"{log} not applied")
        full = self.full()
        recounted = self.counts()
        rerun = self.running()
        if reads_records:
            rerun = {key: rerun.get(key) for key in running}
        self.assertEqual(
            running, rerun, "the running totals kept differ from a recount"
        )
        if reads_transactions:
            # the counts read again are kept for the periods recomputed only
            recounted = {key: recounted.get(key) for key in kept}
        self.assertEqual(kept, recounted, "the counts kept differ from a recount")
        self.assertNotEqual(before, full, "the change moved no value")
        names = {i.id: i.code for i in self.env["crm.bsc.indicator"].search([])}
        differences = sorted(
            (
                (names.get(key[0]), key, incremental.get(key), full.get(key))
                for key in set(incremental) | set(full)
                if incremental.get(key) != full.get(key)
            ),
            key=str,
        )
        self.assertFalse(
            differences,
            "incremental and full recompute differ (code, key, incremental, "
            "full):\n" + "\n".join(map(str, differences[:30])),
        )
        return before, full

    def test_first_change_wakes_the_scheduled_action(self):
        cron = self.env.ref("crm_bsc_scorecard.ir_cron_apply_changes")
        Trigger = self.env["ir.cron.trigger"]
        self.env.cr.execute(SQL("DELETE FROM crm_bsc_dirty"))
        triggers = Trigger.search_count([("cron_id", "=", cron.id)])
        self.o1.expected_revenue = 1500
        self.assertEqual(
            Trigger.search_count([("cron_id", "=", cron.id)]), triggers + 1
        )
        # further changes wait for the same run
        self.o2.expected_revenue = 5500
        self.assertEqual(
            Trigger.search_count([("cron_id", "=", cron.id)]), triggers + 1
        )
        self.env["crm.bsc.scorecard"]._cron_compute_values_incremental()
        self.env.cr.execute(SQL("SELECT count(*) FROM crm_bsc_dirty"))
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        # Feb on: O1 (20 %) 1500 + O2 (50 %) 5500 open, weighted 300 + 2750
        value = self.env["crm.bsc.indicator.value"].search(
            [
                ("indicator_id", "=", self.ind["weighted_pipeline"].id),
                ("period_id", "=", self.mar.id),
                ("company_id", "=", self.company_a.id),
                ("segment_id", "=", False),
                ("channel_id", "=", False),
                ("user_id", "=", False),
                ("team_id", "=", False),
            ]
        )
        self.assertEqual(value.value, 3050.0)

    # ------------------------------------------------------------------
    # Leads
    # ------------------------------------------------------------------
    def test_lead_won_now(self):
        # C5 gets its first transaction: new and active this month
        self.assertIncrementalIsFull(lambda: self.o1.action_set_won())

    def test_lead_lost_now(self):
        self.assertIncrementalIsFull(lambda: self.o2.action_set_lost())

    def test_lead_reopened(self):
        def change():
            self.l2.action_unarchive()
            self.l2.write({"probability": 30, "stage_id": self.stage_new.id})

        self.assertIncrementalIsFull(change)

    def test_lead_values_and_dates_written(self):
        def change():
            self.t5.expected_revenue = 450
            # T4 moves from February to April
            self.t4.date_closed = fields.Datetime.to_datetime("2005-04-03 10:00:00")
            self.o1.probability = 60
            self.t6.user_id = self.u1

        self.assertIncrementalIsFull(change)

    def test_lead_converted(self):
        self.assertIncrementalIsFull(
            lambda: self.ld1.convert_opportunity(self.ld1.partner_id)
        )

    def test_lead_created(self):
        def change():
            self._lead(
                "Eng new today",
                self.c3,
                company_id=self.company_a.id,
                expected_revenue=900,
                probability=40,
                user_id=self.u1.id,
                team_id=self.team_a.id,
                medium_id=self.medium_phone.id,
            )
            won = self._lead(
                "Eng won today",
                self.c2,
                company_id=self.company_b.id,
                expected_revenue=300,
                user_id=self.u2.id,
            )
            won.action_set_won()

        self.assertIncrementalIsFull(change)

    def test_lead_of_a_new_customer_created(self):
        """A first lead of a customer makes it count in the data
        completeness of every period since the customer's creation."""

        def change():
            self._lead(
                "Eng first lead of C8",
                self.c8,
                company_id=self.company_a.id,
                user_id=self.u1.id,
            )

        self.assertIncrementalIsFull(change)

    def test_lead_moved_to_another_customer(self):
        # C8 (complete, no lead) takes LD1 from C4
        self.assertIncrementalIsFull(lambda: self.ld1.write({"partner_id": self.c8.id}))

    def test_lead_channel_changed_through_its_medium(self):
        self.assertIncrementalIsFull(
            lambda: self.o1.write({"medium_id": self.medium_email.id})
        )

    def test_lead_moved_to_another_company(self):
        self.assertIncrementalIsFull(
            lambda: self.t5.write({"company_id": self.company_b.id, "team_id": False})
        )

    def test_lead_deleted(self):
        self.assertIncrementalIsFull(lambda: self.t6.unlink())

    # ------------------------------------------------------------------
    # Activities, messages, customers
    # ------------------------------------------------------------------
    def test_activities(self):
        def change():
            self._activity(self.t5, self.u2, "2005-03-01")
            self.act3.date_deadline = datetime.date(2005, 5, 2)
            self.act1.action_feedback(feedback="done")

        self.assertIncrementalIsFull(change)

    def test_message_answers_a_lead(self):
        def change():
            self.ld1.message_post(
                body="Hello",
                author_id=self.u2.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )

        self.assertIncrementalIsFull(change)

    def test_messages_deleted_and_moved(self):
        """T3's first response (6 h) is deleted: its second one (32 h) is
        the first now; O1's response moves a day later."""
        Message = self.env["mail.message"]

        def responses(lead):
            return Message.search(
                [
                    ("model", "=", "crm.lead"),
                    ("res_id", "=", lead.id),
                    ("message_type", "=", "comment"),
                ],
                order="date",
            )

        self.assertEqual(len(responses(self.t3)), 2)

        def change():
            responses(self.t3)[0].unlink()
            responses(self.o1).date = dt("2005-01-21 03:00")

        before, after = self.assertIncrementalIsFull(change)
        key = (self.ind["first_response_hours"].id, self.jan.id, self.company_a.id)
        self.assertNotEqual(
            before[(*key, None, None, None, None)],
            after[(*key, None, None, None, None)],
        )

    def test_activity_window_changed(self):
        """A company's activity window moves every customer indicator; the
        counts kept for the old window are dropped."""
        self.assertIncrementalIsFull(
            lambda: self.company_a.write({"bsc_activity_window_days": 30}),
            reads_transactions=True,
        )

    def test_source_of_transactions_changed(self):
        """Company A counts sale orders from now on (Sales is not installed
        here, or its orders are those of other tests): the transaction and
        customer indicators of every open period move."""
        self.assertIncrementalIsFull(
            lambda: self.company_a.write({"bsc_transaction_source": "sale_orders"}),
            reads_transactions=True,
        )

    def test_customer_segment_changed(self):
        """C1 moves to Wholesale: its open lead O2 (and O2's activities)
        follows, its won leads keep Retail; C5 gets a segment that its lost
        lead L1, closed without one, takes."""

        def change():
            self.c1.customer_segment_id = self.wholesale
            self.c5.customer_segment_id = self.retail

        before, after = self.assertIncrementalIsFull(change)
        self.assertNotEqual(before, after)
        self.assertEqual(self.o2.customer_segment_id, self.wholesale)
        self.assertEqual(self.t4.customer_segment_id, self.retail)

    def test_contact_moved_to_another_customer(self):
        """P1, through whom C1 won T1, joins C4: T1 is C4's transaction now."""
        self.assertIncrementalIsFull(
            lambda: self.p1.write({"parent_id": self.c4.id}), reads_transactions=True
        )

    def test_customer_data_changed(self):
        def change():
            self.c3.write(
                {"phone": "+1 555 0303", "preferred_channel_id": self.phone.id}
            )

        self.assertIncrementalIsFull(change)

    def test_changes_of_several_families_at_once(self):
        """Families touching different periods: the ratio that reads two of
        them (and watches the phone) and what it reads stay as a full
        recompute leaves them."""

        def change():
            self.o1.action_set_won()
            self.t3.message_post(
                body="Later",
                author_id=self.u1.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            self._activity(self.o2, self.u1, "2005-02-20")
            self.c7.customer_segment_id = self.retail

        self.assertIncrementalIsFull(change)

    # ------------------------------------------------------------------
    # The customer counts kept
    # ------------------------------------------------------------------
    def test_changes_that_do_not_add_up_drop_the_counts(self):
        """A change recorded for a transaction that is not there (a write
        around the hooks): the counts are dropped and read again."""

        def change():
            self.o1.action_set_won()
            self.env.cr.execute(
                SQL(
                    """INSERT INTO crm_bsc_transaction_change
                           (sign, company_id, customer_id, date, lead_id)
                       VALUES (1, %s, %s, %s, 0)""",
                    self.company_a.id,
                    self.c1.id,
                    fields.Date.context_today(self.o1),
                )
            )

        self.assertIncrementalIsFull(change, reads_transactions=True)

    def test_a_stage_that_becomes_won_drops_the_counts(self):
        self.full()
        Count = self.env["crm.bsc.customer.count"]
        self.assertTrue(Count.search_count([]))
        self.stage_new.is_won = False  # no change: the counts stay
        self.assertTrue(Count.search_count([]))
        self.stage_new.is_won = True
        self.assertFalse(Count.search_count([]))

    # ------------------------------------------------------------------
    # The running totals kept
    # ------------------------------------------------------------------
    def test_running_totals_that_do_not_add_up_are_dropped(self):
        """A lead state logged that the totals never counted (a write around
        the hooks): the company's totals are dropped and read again."""
        segment = self._segment("Eng Empty", code="ENG_E", company_id=False)

        def change():
            self.o1.expected_revenue += 100
            self.env.cr.execute(
                SQL(
                    """INSERT INTO crm_bsc_lead_state (lead_id, present,
                           company_id, type, active, is_won, create_date,
                           expected_revenue, probability, customer_segment_id)
                       VALUES (0, TRUE, %s, 'opportunity', TRUE, FALSE,
                               now() - interval '1 day', 100, 10, %s)""",
                    self.company_a.id,
                    segment.id,
                )
            )

        self.assertIncrementalIsFull(change, reads_records=True)

    def test_a_stage_that_becomes_won_drops_the_running_totals(self):
        self.full()
        Running = self.env["crm.bsc.running.total"]
        self.assertTrue(Running.search_count([]))
        self.stage_new.is_won = False  # no change: the totals stay
        self.assertTrue(Running.search_count([]))
        self.stage_new.is_won = True
        self.assertFalse(Running.search_count([]))

    def test_running_totals_of_activities_are_kept_for_their_day(self):
        """The overdue activities depend on the day: the activities' totals
        kept are not read on another day, the open pipeline's are."""
        self.full()
        self.env.cr.execute(
            SQL(
                """SELECT DISTINCT k.period_id, p.date_from, p.date_to, k.by_channel,
                          k.by_user
                     FROM crm_bsc_running_total k
                     JOIN crm_bsc_period p ON p.id = k.period_id
                    WHERE k.company_id = %s AND k.family = 'activities'
                    ORDER BY k.period_id LIMIT 1""",
                self.company_a.id,
            )
        )
        period_id, start, end, channels, users = self.env.cr.fetchone()
        engine = self.env["crm.bsc.engine"].with_company(self.company_a)
        scope = engine._scope(
            self.company_a,
            [(period_id, start, end)],
            [None],
            self.env["crm.bsc.indicator"],
        )
        Running = self.env["crm.bsc.running.total"]
        request = Request(self.env, scope, channels=channels, users=users)
        self.assertIsNotNone(Running._kept_table(activities_family.FAMILY, request))
        self.assertIsNotNone(Running._kept_table(pipeline_family.FAMILY, request))
        scope.today += datetime.timedelta(days=1)
        self.assertIsNone(Running._kept_table(activities_family.FAMILY, request))
        self.assertIsNotNone(Running._kept_table(pipeline_family.FAMILY, request))

    def test_counts_of_a_deleted_salesperson_are_left_out(self):
        """Counts kept for a salesperson deleted since (their transactions
        have lost them) are left out: no value names them."""
        self.full()
        self.env.cr.execute(
            SQL(
                """SELECT id, company_id, period_id, by_channel, by_user,
                          window_days, counts
                     FROM crm_bsc_customer_count
                    WHERE company_id = %s AND by_user
                    ORDER BY jsonb_array_length(counts) DESC, id LIMIT 1""",
                self.company_a.id,
            )
        )
        row_id, _company, period_id, channels, users, window, counts = (
            self.env.cr.fetchone()
        )
        self.env.cr.execute(SQL("SELECT max(id) + 1000 FROM res_users"))
        gone = self.env.cr.fetchone()[0]
        counts.append([None, None, gone, None, 1, 0, 0, 0])
        self.env.cr.execute(
            SQL(
                "UPDATE crm_bsc_customer_count SET counts = %s WHERE id = %s",
                json.dumps(counts),
                row_id,
            )
        )
        period = self.env["crm.bsc.period"].browse(period_id)
        engine = self.env["crm.bsc.engine"].with_company(self.company_a)
        scope = engine._scope(
            self.company_a,
            [(period.id, period.date_from, period.date_to)],
            [None],
            self.ind["active_customers"],
        )
        scope.window_days = window
        table = self.env["crm.bsc.customer.count"]._kept_table(scope, channels, users)
        self.assertTrue(table)
        self.assertEqual(
            {key for key in table if key[3] is not None},
            {(period_id, *row[:4]) for row in counts if row[2] not in (None, gone)},
        )

    def test_one_run_at_a_time_works_on_the_counts(self):
        """While one transaction works on the counts, another one neither
        applies the pending changes nor keeps counts: it reads every
        transaction."""
        self.assertTrue(self.env["crm.bsc.customer.count"]._catch_up())
        with closing(sql_db.db_connect(self.env.cr.dbname).cursor()) as other_cr:
            other = api.Environment(other_cr, SUPERUSER_ID, {})["crm.bsc.engine"]
            self.assertFalse(other.env["crm.bsc.customer.count"]._catch_up())
            other_cr.execute(SQL("SELECT count(*) FROM crm_bsc_customer_count"))
            before = other_cr.fetchone()[0]
            period = self.mar
            scope = other._scope(
                other.env.company,
                [(period.id, period.date_from, period.date_to)],
                [None],
                other.env["crm.bsc.indicator"],
            )
            customers_family.FAMILY.table(Request(other.env, scope, counts="compute"))
            other_cr.execute(SQL("SELECT count(*) FROM crm_bsc_customer_count"))
            self.assertEqual(other_cr.fetchone()[0], before)
            other_cr.rollback()
