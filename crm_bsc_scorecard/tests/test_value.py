# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import BscCommon


@tagged("post_install", "-at_install")
class TestValue(BscCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.segment = cls._segment("Key accounts")
        cls.channel = cls._channel("T3 Phone")
        cls.revenue = cls._indicator("t_revenue", name="Revenue")
        cls.churn = cls._indicator(
            "t_churn", cls.perspective_customer, name="Churn", direction="lower"
        )
        cls.january = cls._period(1)
        cls.february = cls._period(2)
        cls.quarter = cls._period(1, period_type="quarter")
        # all customers, monthly: revenue >= 100 (warning 90, critical 70)
        cls.scorecard = cls._scorecard(
            "Company",
            state="active",
            lines=[
                (
                    cls.revenue,
                    {"target": 100, "warning_threshold": 90, "critical_threshold": 70},
                ),
                (
                    cls.churn,
                    {"target": 10, "warning_threshold": 12, "critical_threshold": 15},
                ),
            ],
        )
        cls.line_revenue = cls.scorecard.line_ids.filtered(
            lambda line: line.indicator_id == cls.revenue
        )

    def _status(self, value):
        return self._stored(value, "value", "target", "score", "status")

    # ------------------------------------------------------------------
    # Target and score at the time the value is set
    # ------------------------------------------------------------------
    def test_value_is_scored_against_the_governing_line(self):
        value = self._value(self.revenue, self.january, 80.0)
        self.assertEqual(self._status(value), (80.0, 100.0, 55.0, "warning"))
        self.assertEqual(
            (value.target, value.score, value.status), (100.0, 55.0, "warning")
        )
        churn = self._value(self.churn, self.january, 9.0)
        self.assertEqual(self._status(churn), (9.0, 10.0, 100.0, "on_track"))

    def test_missing_value_is_stored_as_null(self):
        value = self._value(self.revenue, self.january, None, note="CRM down")
        self.assertEqual(self._status(value), (None, 100.0, None, "no_data"))
        self.assertFalse(value.has_value)

    def test_zero_is_a_value(self):
        value = self._value(self.revenue, self.january, 0.0)
        self.assertEqual(self._status(value), (0.0, 100.0, 0.0, "critical"))

    def test_clearing_a_value_stores_null(self):
        value = self._value(self.revenue, self.january, 80.0)
        value.write({"has_value": False, "value": 7.0})
        self.assertEqual(self._status(value), (None, 100.0, None, "no_data"))
        value.write({"has_value": True, "value": 120.0})
        self.assertEqual(self._status(value), (120.0, 100.0, 100.0, "on_track"))

    def test_value_keeps_the_target_of_its_time(self):
        value = self._value(self.revenue, self.january, 80.0)
        self.line_revenue.write(
            {"target": 80, "warning_threshold": 70, "critical_threshold": 50}
        )
        self.assertEqual(self._status(value), (80.0, 100.0, 55.0, "warning"))
        # a note is no new value: the snapshot stays
        value.note = "checked by finance"
        self.assertEqual(self._status(value), (80.0, 100.0, 55.0, "warning"))
        # setting the value again scores it against today's target
        value.value = 75.0
        self.assertEqual(self._status(value), (75.0, 80.0, 85.0, "on_track"))

    def test_set_by_and_date(self):
        value = self._value(self.revenue, self.january, 80.0)
        self.assertEqual(value.set_by_id, self.env.user)
        self.assertTrue(value.set_date)
        self.assertEqual(value.source, "manual")

    def test_without_a_line_the_value_is_not_scored(self):
        other = self._indicator("t_unused")
        value = self._value(other, self.january, 5.0)
        self.assertEqual(self._status(value), (5.0, None, None, "unscored"))
        missing = self._value(other, self.february, None)
        self.assertEqual(self._status(missing), (None, None, None, "no_data"))

    def test_values_per_salesperson_are_not_scored(self):
        value = self._value(self.revenue, self.january, 80.0, user_id=self.user_bsc.id)
        self.assertEqual(self._status(value), (80.0, None, None, "unscored"))
        team = self.env["crm.team"].create({"name": "T3 Team"})
        value = self._value(self.revenue, self.january, 80.0, team_id=team.id)
        self.assertEqual(self._status(value)[3], "unscored")

    def test_values_per_channel_are_scored_against_the_line(self):
        """A channel is a slice of the same objective: a manual value per
        channel is scored like a computed one (engine/storage.line_score)."""
        value = self._value(
            self.revenue, self.january, 80.0, channel_id=self.channel.id
        )
        self.assertEqual(self._status(value), (80.0, 100.0, 55.0, "warning"))
        missing = self._value(
            self.revenue, self.february, None, channel_id=self.channel.id
        )
        self.assertEqual(self._status(missing)[1:], (100.0, None, "no_data"))
        # a channel with a salesperson is the salesperson's: not scored
        value = self._value(
            self.revenue,
            self.february,
            80.0,
            channel_id=self.channel.id,
            user_id=self.user_bsc.id,
        )
        self.assertEqual(self._status(value), (80.0, None, None, "unscored"))

    def test_granularity_must_match(self):
        value = self._value(self.revenue, self.quarter, 80.0)
        self.assertEqual(self._status(value), (80.0, None, None, "unscored"))

    def test_segment_value_uses_the_segment_scorecard(self):
        segment_value = self._value(
            self.revenue, self.january, 80.0, segment_id=self.segment.id
        )
        # no scorecard for the segment yet
        self.assertEqual(self._status(segment_value)[3], "unscored")
        self._scorecard(
            "Key accounts",
            segment_id=self.segment.id,
            state="active",
            lines=[(self.revenue, {"target": 50})],
        )
        segment_value = self._value(
            self.revenue, self.february, 80.0, segment_id=self.segment.id
        )
        self.assertEqual(self._status(segment_value), (80.0, 50.0, 100.0, "on_track"))
        # the value of all customers still follows the company scorecard
        value = self._value(self.revenue, self.february, 80.0)
        self.assertEqual(self._status(value)[1], 100.0)

    def test_active_scorecard_governs_before_a_draft(self):
        draft = self._scorecard("Draft", lines=[(self.revenue, {"target": 60})])
        value = self._value(self.revenue, self.january, 80.0)
        self.assertEqual(self._status(value)[1], 100.0)
        self.scorecard.action_archive_scorecard()
        value = self._value(self.revenue, self.february, 80.0)
        self.assertEqual(self._status(value)[1], 60.0)
        draft.action_archive_scorecard()
        value.value = 81.0
        self.assertEqual(self._status(value), (81.0, None, None, "unscored"))

    # ------------------------------------------------------------------
    # One value per key
    # ------------------------------------------------------------------
    def test_one_value_per_key(self):
        self._value(self.revenue, self.january, 80.0)
        with self.assertRefused(
            ValidationError,
            r"\[t_revenue\] Revenue already has a value for the period "
            rf"{self.YEAR}-01 with these dimensions \(segment all, channel all\)",
        ):
            self._value(self.revenue, self.january, 90.0)

    def test_other_dimensions_make_other_keys(self):
        values = (
            self._value(self.revenue, self.january, 80.0)
            | self._value(self.revenue, self.january, 20.0, segment_id=self.segment.id)
            | self._value(self.revenue, self.january, 30.0, channel_id=self.channel.id)
            | self._value(self.revenue, self.january, 40.0, user_id=self.user_bsc.id)
            | self._value(self.revenue, self.february, 80.0)
            | self._value(self.churn, self.january, 8.0)
        )
        self.assertEqual(len(values), 6)
        with self.assertRefused(
            ValidationError, "segment Key accounts, channel T3 Phone"
        ):
            self._value(
                self.revenue,
                self.january,
                1.0,
                segment_id=self.segment.id,
                channel_id=self.channel.id,
            ) | self._value(
                self.revenue,
                self.january,
                2.0,
                segment_id=self.segment.id,
                channel_id=self.channel.id,
            )

    def test_two_values_with_one_key_in_one_create(self):
        """The key is checked before anything is written: even without the
        rollback of the request, no value of the batch exists."""
        Value = self.env["crm.bsc.indicator.value"]
        vals = {"indicator_id": self.revenue.id, "period_id": self.january.id}
        with self.assertRaisesRegex(
            ValidationError,
            rf"Two values of \[t_revenue\] Revenue for the period {self.YEAR}-01 have "
            r"the same dimensions \(segment all, channel all\)",
        ):
            Value.create([{**vals, "value": 1.0}, {**vals, "value": 2.0}])
        self.assertFalse(Value.search([("indicator_id", "=", self.revenue.id)]))

    def test_write_onto_an_existing_key_is_refused(self):
        self._value(self.revenue, self.january, 80.0)
        february = self._value(self.revenue, self.february, 70.0)
        with self.assertRefused(ValidationError, f"period {self.YEAR}-01"):
            february.period_id = self.january
        self.assertEqual(february.period_id, self.february)
        # two values moved onto one key
        march = self._period(3)
        with self.assertRefused(
            ValidationError, f"Two values .* period {self.YEAR}-03"
        ):
            (
                february
                | self._value(
                    self.revenue, self.january, 1.0, channel_id=self.channel.id
                )
            ).write({"period_id": march.id, "channel_id": self.channel.id})
        # a write that keeps the key is no conflict with itself
        february.write({"period_id": self.february.id, "value": 71.0})
        self.assertEqual(february.value, 71.0)

    # ------------------------------------------------------------------
    # Closed periods are frozen
    # ------------------------------------------------------------------
    def test_no_value_created_in_a_closed_period(self):
        self.january.action_close()
        Value = self.env["crm.bsc.indicator.value"]
        with self.assertRaisesRegex(
            UserError,
            rf"period {self.YEAR}-01 is closed: the values of \[t_revenue\] Revenue",
        ):
            Value.create(
                [
                    {
                        "indicator_id": self.revenue.id,
                        "period_id": self.february.id,
                        "value": 1.0,
                    },
                    {
                        "indicator_id": self.revenue.id,
                        "period_id": self.january.id,
                        "value": 2.0,
                    },
                ]
            )
        # checked before anything is written: not even the open period's value
        self.assertFalse(Value.search([("indicator_id", "=", self.revenue.id)]))

    def test_values_of_a_closed_period_are_frozen(self):
        value = self._value(self.revenue, self.january, 80.0)
        self.january.action_close()
        with self.assertRefused(UserError, f"{self.YEAR}-01 is closed"):
            value.value = 90.0
        with self.assertRefused(UserError, f"{self.YEAR}-01 is closed"):
            value.note = "late comment"
        with self.assertRefused(UserError, f"{self.YEAR}-01 is closed"):
            value.period_id = self.february
        with self.assertRefused(UserError, f"{self.YEAR}-01 is closed"):
            value.unlink()
        self.assertEqual(self._status(value), (80.0, 100.0, 55.0, "warning"))
        # reopened, it can change again
        self.january.action_reopen()
        value.value = 90.0
        self.assertEqual(value.value, 90.0)

    def test_value_cannot_move_into_a_closed_period(self):
        value = self._value(self.revenue, self.february, 80.0)
        self.january.action_close()
        with self.assertRefused(UserError, f"{self.YEAR}-01 is closed"):
            value.period_id = self.january
        self.assertEqual(value.period_id, self.february)

    def test_closing_keeps_the_snapshot(self):
        value = self._value(self.revenue, self.january, 80.0)
        self.january.action_close()
        self.line_revenue.write(
            {"target": 50, "warning_threshold": 40, "critical_threshold": 30}
        )
        self.assertEqual(self._status(value), (80.0, 100.0, 55.0, "warning"))

    def test_deleting_what_frozen_values_point_at_is_refused(self):
        """The database would delete the values with their indicator, segment
        or channel: a closed period's values keep them alive."""
        indicator = self._indicator("t_unused", name="Unused")
        segment = self._segment("Gone")
        self._value(indicator, self.january, 5.0)
        self._value(self.revenue, self.january, 5.0, segment_id=segment.id)
        self._value(self.revenue, self.january, 5.0, channel_id=self.channel.id)
        self.january.action_close()
        for record in (indicator, segment, self.channel):
            with (
                self.subTest(model=record._name),
                self.assertRefused(
                    UserError,
                    rf"{re.escape(record.display_name)} has values in the closed "
                    rf"period {self.YEAR}-01: it cannot be deleted",
                ),
            ):
                record.unlink()
        self.assertEqual(
            self.env["crm.bsc.indicator.value"].search_count(
                [("period_id", "=", self.january.id)]
            ),
            3,
        )
        # in an open period they go with it
        self.january.action_reopen()
        indicator.unlink()
        segment.unlink()
        self.channel.unlink()
        self.assertEqual(
            self.env["crm.bsc.indicator.value"].search_count(
                [("period_id", "=", self.january.id)]
            ),
            0,
        )
