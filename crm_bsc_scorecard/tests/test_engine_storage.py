# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Storing computed values: the unique key, targets and scores, breakdowns,
no-data reasons, idempotence, stale values, closed periods."""

import datetime

import psycopg2

from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from ..tools import engine as engine_tools
from .engine_common import EngineCommon


@tagged("post_install", "-at_install")
class TestEngineStorage(EngineCommon):
    def line(self, scorecard, code):
        return scorecard.line_ids.filtered(
            lambda line: line.indicator_id == self.ind[code]
        )

    def value_record(
        self, code, period, segment=None, channel=None, user=None, team=None
    ):
        return self.env["crm.bsc.indicator.value"].search(
            [
                ("indicator_id", "=", self.ind[code].id),
                ("period_id", "=", period.id),
                ("company_id", "=", self.company_a.id),
                ("segment_id", "=", segment.id if segment else False),
                ("channel_id", "=", channel.id if channel else False),
                ("user_id", "=", user.id if user else False),
                ("team_id", "=", team.id if team else False),
            ]
        )

    def compute_a(self, periods=None):
        """Compute the monthly scorecards of company A (all, Retail,
        Wholesale) over the months of 2005."""
        scorecards = self.sc_a | self.sc_a_retail | self.sc_a_wholesale
        return scorecards._compute_values(self.months if periods is None else periods)

    def test_values_are_stored_with_target_score_and_source(self):
        written = self.compute_a()
        self.assertGreater(written, 0)
        # won revenue in January: all customers 2000 (T3), Wholesale 2000
        value = self.value_record("won_revenue", self.jan)
        self.assertEqual(len(value), 1)
        self.assertRecordValues(
            value,
            [
                {
                    "has_value": True,
                    "value": 2000.0,
                    "source": "computed",
                    "note": False,
                    "target": 10.0,
                    "set_by_id": self.env.uid,
                }
            ],
        )
        self.assertTrue(value.compute_token)
        # target and score of the governing line of its segment
        score, status = self.line(self.sc_a, "won_revenue")._evaluate(2000.0)
        self.assertEqual((value.score, value.status), (score, status))
        wholesale = self.value_record("won_revenue", self.jan, self.wholesale)
        self.assertEqual(wholesale.value, 2000.0)
        self.assertEqual(wholesale.target, 10.0)
        # Retail had nothing in January: 0 is a value, scored
        retail = self.value_record("won_revenue", self.jan, self.retail)
        self.assertEqual((retail.has_value, retail.value), (True, 0.0))
        self.assertEqual(
            (retail.score, retail.status),
            self.line(self.sc_a_retail, "won_revenue")._evaluate(0.0),
        )
        # the months given, not every open period: the scheduled action
        # still computes the scorecard
        self.assertFalse(self.sc_a.values_computed_at)

    def test_stored_values_group_by_perspective_objective_and_period(self):
        """The perspective, objective, period start and granularity the pivot
        and graph group by are read from the indicator and the period (not
        copied on each value): every value has them, breakdowns included,
        and they group, filter and sort in SQL."""
        objective = self.env["crm.bsc.objective"].create(
            {
                "name": "Grow revenue",
                "perspective_id": self.ind["won_revenue"].perspective_id.id,
            }
        )
        self.ind["won_revenue"].objective_id = objective
        self.compute_a()
        Value = self.env["crm.bsc.indicator.value"]
        values = Value.search(
            [
                ("indicator_id", "=", self.ind["won_revenue"].id),
                ("source", "=", "computed"),
            ]
        )
        self.assertGreater(len(values), 3)
        for value in values:
            self.assertEqual(
                value.perspective_id, self.ind["won_revenue"].perspective_id
            )
            self.assertEqual(value.objective_id, objective)
            self.assertEqual(value.date_from, value.period_id.date_from)
            self.assertEqual(value.period_type, value.period_id.period_type)
        groups = Value._read_group(
            [("id", "in", values.ids)], ["objective_id", "date_from:month"], ["__count"]
        )
        self.assertEqual(
            sum(count for _objective, _month, count in groups), len(values)
        )
        self.assertEqual({group[0] for group in groups}, {objective})
        by_perspective = Value._read_group(
            [("id", "in", values.ids)], ["perspective_id", "period_type"], ["__count"]
        )
        self.assertEqual(
            by_perspective,
            [(self.ind["won_revenue"].perspective_id, "month", len(values))],
        )
        february = Value.search(
            [("id", "in", values.ids), ("date_from", "=", self.feb.date_from)]
        )
        self.assertEqual(february, values.filtered(lambda v: v.period_id == self.feb))
        ordered = Value.search([("id", "in", values.ids)])
        self.assertEqual(
            ordered.mapped("date_from"),
            sorted(values.mapped("date_from"), reverse=True),
        )

    def test_breakdowns_are_scored_per_channel_not_per_person(self):
        """A per-channel value is scored against the line's target (a
        channel is a slice of the same objective); per salesperson and team
        values are not (their targets belong to the contribution report).
        (This test asserted before that channel values were unscored too,
        while the same manual values were scored: issue 12.)"""
        self.compute_a()

        def line(scorecard):
            return scorecard.line_ids.filtered(
                lambda line: line.indicator_id == self.ind["won_revenue"]
            )

        # per channel, salesperson, team and segment with one of them, with
        # the scorecard whose line scores it (None: not scored)
        expected = [
            ({"channel": self.email}, 2000.0, self.sc_a),  # T3
            ({"user": self.u2}, 2000.0, None),
            ({"team": self.team_b}, 2000.0, None),
            (
                {"segment": self.wholesale, "channel": self.email},
                2000.0,
                self.sc_a_wholesale,
            ),
            ({"segment": self.wholesale, "user": self.u2}, 2000.0, None),
            # a watched channel: always kept
            ({"channel": self.phone}, 0.0, self.sc_a),
        ]
        for dims, number, scorecard in expected:
            value = self.value_record("won_revenue", self.jan, **dims)
            self.assertEqual(len(value), 1, dims)
            self.assertEqual(value.value, number, dims)
            if scorecard:
                governing = line(scorecard)
                score, status = governing._evaluate(number)
                self.assertEqual(
                    (value.target, value.score, value.status),
                    (governing.target, score, status),
                    dims,
                )
            else:
                self.assertEqual(value.status, "unscored", dims)
                self.assertFalse(value.target, dims)
        # the customers of a salesperson: U1 in March, C1 and C3
        value = self.value_record("active_customers", self.mar, user=self.u1)
        self.assertEqual(value.value, 2.0)
        # a salesperson with nothing in a period has no value of their own
        self.assertFalse(self.value_record("won_revenue", self.may, user=self.u1))

    def test_no_data_is_stored_with_its_reason(self):
        per_deal = self._indicator(
            "eng_store_per_deal",
            computation="ratio",
            ratio_numerator_id=self.ind["won_revenue"].id,
            ratio_denominator_id=self.ind["won_deals"].id,
        )
        self.sc_a.line_ids = [(0, 0, {"indicator_id": per_deal.id, "target": 1.0})]
        self.compute_a()
        # nothing won in May: 0 / 0
        value = self.env["crm.bsc.indicator.value"].search(
            [
                ("indicator_id", "=", per_deal.id),
                ("period_id", "=", self.may.id),
                ("segment_id", "=", False),
            ]
        )
        self.assertEqual(
            self._stored(value, "has_value", "value", "status", "note"),
            (False, None, "no_data", engine_tools.DIVISION_BY_ZERO),
        )
        # March: 2000 / 2, scored against its line
        value = self.env["crm.bsc.indicator.value"].search(
            [
                ("indicator_id", "=", per_deal.id),
                ("period_id", "=", self.mar.id),
                ("segment_id", "=", False),
            ]
        )
        self.assertEqual((value.value, value.target), (1000.0, 1.0))
        # nothing won in May: no average deal size; nobody Wholesale active
        # before January: no retention
        for code, period, segment in (
            ("avg_deal_size", self.may, None),
            ("win_rate", self.jun, None),
            ("retention_rate", self.jan, self.wholesale),
            ("churn_rate", self.jan, self.wholesale),
        ):
            value = self.value_record(code, period, segment)
            self.assertEqual(len(value), 1, code)
            self.assertEqual(
                self._stored(value, "has_value", "value", "score", "status", "note"),
                (False, None, None, "no_data", engine_tools.NO_BASE),
                code,
            )

    def test_a_failing_indicator_is_stored_as_no_data(self):
        broken = self._indicator(
            "eng_store_broken",
            computation="aggregate",
            agg_model_id=self.env["ir.model"]._get_id("crm.lead"),
            agg_date_field_id=self.env["ir.model.fields"]
            ._get("crm.lead", "create_date")
            .id,
        )
        self.sc_a.line_ids = [(0, 0, {"indicator_id": broken.id, "target": 1.0})]
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE crm_bsc_indicator SET agg_domain = %s WHERE id = %s",
                "[('no_such_field', '=', 1)]",
                broken.id,
            )
        )
        self.env.invalidate_all()
        with mute_logger("odoo.addons.crm_bsc_scorecard.engine.processor"):
            self.sc_a._compute_values(self.jan)
        value = self.env["crm.bsc.indicator.value"].search(
            [("indicator_id", "=", broken.id), ("period_id", "=", self.jan.id)]
        )
        self.assertEqual(len(value), 1)
        self.assertFalse(value.has_value)
        self.assertEqual(value.status, "no_data")
        self.assertRegex(value.note, r"^error: .*no_such_field")
        # the others still computed
        self.assertEqual(self.value_record("won_revenue", self.jan).value, 2000.0)

    def test_one_value_per_key(self):
        self.compute_a()
        self.env.cr.execute(
            SQL(
                """
                SELECT indicator_id, period_id, segment_id, channel_id, user_id,
                       team_id, count(*)
                  FROM crm_bsc_indicator_value
                 WHERE company_id = %s
                 GROUP BY 1, 2, 3, 4, 5, 6 HAVING count(*) > 1
                """,
                self.company_a.id,
            )
        )
        self.assertEqual(self.env.cr.fetchall(), [])
        # the unique index refuses a second value of a key, NULLs included
        value = self.value_record("won_revenue", self.jan)
        with (
            self.assertRaises(psycopg2.IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO crm_bsc_indicator_value
                        (indicator_id, period_id, company_id, has_value, value,
                         source, status)
                    VALUES (%s, %s, %s, TRUE, 1, 'computed', 'unscored')
                    """,
                    value.indicator_id.id,
                    value.period_id.id,
                    value.company_id.id,
                )
            )

    def test_computing_twice_changes_nothing(self):
        first_written = self.compute_a()
        first = self.stored()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM crm_bsc_indicator_value "
                "WHERE company_id = %s ORDER BY id",
                self.company_a.id,
            )
        )
        ids = self.env.cr.fetchall()
        second_written = self.compute_a()
        self.assertEqual(second_written, first_written)
        self.assertEqual(self.stored(), first)
        # updated in place: the same records
        self.env.cr.execute(
            SQL(
                "SELECT id FROM crm_bsc_indicator_value "
                "WHERE company_id = %s ORDER BY id",
                self.company_a.id,
            )
        )
        self.assertEqual(self.env.cr.fetchall(), ids)

    def _versions(self):
        """{(code, period, segment, channel, user, team): (row version,
        write date, compute token)} of company A's computed values."""
        self.env.cr.execute(
            SQL(
                """
                SELECT i.code, v.period_id, v.segment_id, v.channel_id, v.user_id,
                       v.team_id, v.xmin::text, v.write_date, v.compute_token
                  FROM crm_bsc_indicator_value v
                  JOIN crm_bsc_indicator i ON i.id = v.indicator_id
                 WHERE v.company_id = %s AND v.source = 'computed'
                """,
                self.company_a.id,
            )
        )
        return {tuple(row[:6]): tuple(row[6:]) for row in self.env.cr.fetchall()}

    def test_unchanged_values_are_not_rewritten(self):
        """A value whose number, target, score, status and note are the same
        keeps its row (no new version) and its write date: the write date
        says when it last changed. A changed one is rewritten."""
        self.compute_a()
        before = self._versions()
        # T4 (won in February, no customer before) is worth 500 more
        self.t4.expected_revenue += 500
        self.env.flush_all()
        self.compute_a()
        after = self._versions()
        self.assertEqual(set(after), set(before))
        changed = {key for key in after if after[key] != before[key]}
        # T4 was open at the end of January (pipeline) and won in February
        self.assertEqual(
            {key[:2] for key in changed},
            {
                (self.ind["won_revenue"].code, self.feb.id),
                (self.ind["avg_deal_size"].code, self.feb.id),
                (self.ind["pipeline_value"].code, self.jan.id),
                (self.ind["weighted_pipeline"].code, self.jan.id),
            },
        )
        total = (self.ind["won_revenue"].code, self.feb.id, None, None, None, None)
        self.assertIn(total, changed)
        self.assertNotEqual(after[total][2], before[total][2])
        # what T4 does not count in kept its row version and write date
        for key in set(after) - changed:
            self.assertEqual(after[key], before[key], key)
        self.assertIn(
            (self.ind["won_deals"].code, self.feb.id, None, None, None, None), after
        )

    def test_a_value_changed_behind_the_engine_is_rewritten(self):
        """What is stored is compared with what is computed, column by
        column: a value, score, status, note or source changed in the
        database (by hand, say) is rewritten to the computed one."""
        self.compute_a()
        first = self.stored()
        self.env.cr.execute(
            SQL(
                """
                SELECT id, score, status FROM crm_bsc_indicator_value
                 WHERE company_id = %s AND source = 'computed' AND has_value
                   AND status IS NOT NULL
                 ORDER BY id LIMIT 4
                """,
                self.company_a.id,
            )
        )
        rows = self.env.cr.fetchall()
        self.assertEqual(len(rows), 4)
        changes = (
            SQL("value = value + 0.5"),
            SQL("score = COALESCE(score, 0) + 1"),
            SQL(
                "status = CASE WHEN status = 'critical' THEN 'on_track'"
                " ELSE 'critical' END"
            ),
            SQL("note = 'edited'"),
        )
        for (value_id, _score, _status), change in zip(rows, changes, strict=True):
            self.env.cr.execute(
                SQL(
                    "UPDATE crm_bsc_indicator_value SET %s WHERE id = %s",
                    change,
                    value_id,
                )
            )
        self.env.invalidate_all()
        self.assertNotEqual(self.stored(), first)
        self.compute_a()
        self.assertEqual(self.stored(), first)
        self.env.cr.execute(
            SQL(
                "SELECT id, score, status FROM crm_bsc_indicator_value"
                " WHERE id = ANY(%s) ORDER BY id",
                [row[0] for row in rows],
            )
        )
        self.assertEqual(self.env.cr.fetchall(), rows)

    def test_values_no_longer_produced_are_removed(self):
        self.compute_a()
        self.assertTrue(self.value_record("won_revenue", self.feb, channel=self.phone))
        self.assertTrue(self.value_record("won_revenue", self.feb, user=self.u1))
        # the indicator no longer watches the phone; T4 (Feb) goes to U2
        self.ind["won_revenue"].channel_ids = [(6, 0, self.email.ids)]
        self.t4.user_id = self.u2
        self.compute_a()
        self.assertFalse(self.value_record("won_revenue", self.feb, channel=self.phone))
        self.assertFalse(self.value_record("won_revenue", self.feb, user=self.u1))
        self.assertEqual(
            self.value_record("won_revenue", self.feb, user=self.u2).value, 3000.0
        )
        self.assertEqual(
            self.value_record("won_revenue", self.feb, channel=self.email).value, 0.0
        )

    def test_manual_values_are_left_alone(self):
        manual = self._indicator("eng_store_manual")
        self.sc_a.line_ids = [(0, 0, {"indicator_id": manual.id, "target": 5.0})]
        entered = self._value(manual, self.jan, 7.0, company_id=self.company_a.id)
        self.compute_a()
        self.assertTrue(entered.exists())
        self.assertEqual(self._stored(entered, "value", "source"), (7.0, "manual"))

    def test_closed_periods_are_never_rewritten(self):
        self.compute_a()
        before = self.stored(periods=self.feb)
        self.env.cr.execute(
            SQL(
                "SELECT id, write_date, compute_token FROM crm_bsc_indicator_value "
                "WHERE period_id = %s AND company_id = %s ORDER BY id",
                self.feb.id,
                self.company_a.id,
            )
        )
        rows = self.env.cr.fetchall()
        self.feb.action_close()
        # T4 (won in February) and T3 (January) are worth more now, and the
        # indicator stops watching the phone
        self.t4.expected_revenue = 3500
        self.t3.expected_revenue = 2500
        self.ind["won_revenue"].channel_ids = [(6, 0, self.email.ids)]
        self.compute_a()
        (self.sc_a | self.sc_a_retail | self.sc_a_wholesale)._compute_values()
        self.assertEqual(self.stored(periods=self.feb), before)
        self.env.cr.execute(
            SQL(
                "SELECT id, write_date, compute_token FROM crm_bsc_indicator_value "
                "WHERE period_id = %s AND company_id = %s ORDER BY id",
                self.feb.id,
                self.company_a.id,
            )
        )
        self.assertEqual(self.env.cr.fetchall(), rows)
        self.assertEqual(self.value_record("won_revenue", self.feb).value, 3000.0)
        # the open January moved
        self.assertEqual(self.value_record("won_revenue", self.jan).value, 2500.0)
        # the wizard says it left the closed period alone
        wizard = self.env["crm.bsc.scorecard.compute"].create(
            {
                "scorecard_ids": [(6, 0, self.sc_a.ids)],
                "date_from": datetime.date(2005, 1, 1),
                "date_to": datetime.date(2005, 3, 31),
            }
        )
        action = wizard.action_compute()
        self.assertIn("2005-02", action["params"]["message"])
        self.assertEqual(self.stored(periods=self.feb), before)

    def test_only_open_periods_that_have_started(self):
        future = self.env["crm.bsc.period"]._generate(
            "month",
            datetime.date(2091, 5, 1),
            datetime.date(2091, 5, 31),
            self.company_a,
        )
        self.sc_a._compute_values()
        values = self.env["crm.bsc.indicator.value"].search_count(
            [("company_id", "=", self.company_a.id), ("period_id", "=", future.id)]
        )
        self.assertEqual(values, 0)
        # the months of 2005 have started
        self.assertEqual(self.value_record("won_deals", self.mar).value, 2.0)

    def test_compute_now(self):
        action = self.sc_a.action_compute_now()
        self.assertEqual(action["params"]["type"], "success")
        count = self.env["crm.bsc.indicator.value"].search_count(
            [("company_id", "=", self.company_a.id)]
        )
        self.assertIn(str(count), action["params"]["message"])
        self.assertEqual(self.value_record("new_leads", self.jan).value, 5.0)
