# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import CsfCommon


@tagged("post_install", "-at_install")
class TestActionPlan(CsfCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.csf = cls._csf("Actions factor", owner_id=cls.user_bsc_2.id)
        cls.today = fields.Date.today()
        cls.user_other = cls._user(
            "csf_other_user", "crm_bsc_scorecard.group_bsc_user", name="Olga Other"
        )

    def _open_activities(self, action):
        return self.env["mail.activity"].search(
            [("res_model", "=", "crm.csf.action"), ("res_id", "=", action.id)]
        )

    def test_an_overdue_action_shows_everywhere(self):
        late = self._action(
            self.csf,
            "Late action",
            user_id=self.user_bsc.id,
            date_deadline=self.today - timedelta(days=3),
        )
        on_time = self._action(
            self.csf,
            "On time",
            user_id=self.user_bsc.id,
            date_deadline=self.today + timedelta(days=3),
        )
        self.assertTrue(late.is_overdue)
        self.assertFalse(on_time.is_overdue)
        Action = self.env["crm.csf.action"]
        overdue = Action.search(
            [("csf_id", "=", self.csf.id), ("is_overdue", "=", True)]
        )
        self.assertEqual(overdue, late)
        self.assertEqual(
            Action.search([("csf_id", "=", self.csf.id), ("is_overdue", "=", False)]),
            on_time,
        )
        self.assertEqual(self.csf.overdue_action_count, 1)
        self.assertEqual(self.csf.open_action_count, 2)
        self.assertIn(
            self.csf,
            self.env["crm.csf"].search([("action_ids.is_overdue", "=", True)]),
        )
        # in the owner's activities, overdue
        activity = self._open_activities(late)
        self.assertEqual(activity.user_id, self.user_bsc)
        self.assertEqual(activity.date_deadline, late.date_deadline)
        self.assertEqual(activity.state, "overdue")
        self.assertEqual(activity.summary, "Late action")
        # done: no longer overdue, the activity is done
        late.with_user(self.user_bsc).action_done()
        self.assertFalse(late.is_overdue)
        self.assertEqual(late.date_done, self.today)
        self.assertFalse(self._open_activities(late))
        self.assertEqual(self.csf.overdue_action_count, 0)

    def test_the_activity_follows_the_person_and_the_deadline(self):
        action = self._action(
            self.csf,
            user_id=self.user_bsc.id,
            date_deadline=self.today + timedelta(days=5),
        )
        action.write(
            {
                "user_id": self.user_bsc_2.id,
                "date_deadline": self.today + timedelta(days=9),
            }
        )
        activity = self._open_activities(action)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.user_bsc_2)
        self.assertEqual(activity.date_deadline, self.today + timedelta(days=9))
        action.action_cancel()
        self.assertFalse(self._open_activities(action))
        action.action_reset()
        self.assertEqual(len(self._open_activities(action)), 1)

    def test_who_works_on_an_action(self):
        action = self._action(self.csf, user_id=self.user_bsc.id)
        # an unrelated scorecard user reads it but cannot work on it
        self.assertEqual(action.with_user(self.user_other).name, "Do it")
        with self.assertRaises(AccessError):
            action.with_user(self.user_other).action_start()
        self.assertEqual(action.state, "todo")
        action.with_user(self.user_bsc).action_start()
        self.assertEqual(action.state, "in_progress")
        # the owner of the factor too
        action.with_user(self.user_bsc_2).action_done()
        self.assertEqual(action.state, "done")
        with self.assertRefused(UserError, r"Do it.*Done.*cannot become In Progress"):
            action.action_start()

    def test_a_completion_date_in_the_future_is_refused(self):
        action = self._action(self.csf)
        with self.assertRefused(ValidationError, r"Do it.*Completed On.*future"):
            action.write({"state": "done", "date_done": self.today + timedelta(days=1)})


@tagged("post_install", "-at_install")
class TestDidTheActionWork(CsfCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.indicator = cls._manual("csf_did_csat")
        cls.targeted = cls._segment("Did Targeted")
        cls.other_1 = cls._segment("Did Other One")
        cls.other_2 = cls._segment("Did Other Two")
        cls.months = cls._months(cls.YEAR, 1, 12)
        treated = [10, 12, 11, 13, 12, 12, 15, 20, 21, 19, 22, 20]
        for period, number in zip(cls.months, treated, strict=True):
            cls._value(cls.indicator, period, number, segment_id=cls.targeted.id)
            # the others rise by 1 after the action
            after = period.date_from.month >= 8
            cls._value(
                cls.indicator,
                period,
                11.0 if after else 10.0,
                segment_id=cls.other_1.id,
            )
            cls._value(
                cls.indicator,
                period,
                21.0 if after else 20.0,
                segment_id=cls.other_2.id,
            )
        # all customers: not a segment, not in the comparison
        for period in cls.months:
            cls._value(cls.indicator, period, 500.0)
        cls.csf = cls._csf("Did factor")

    def _done_action(self, day, **vals):
        return self._action(
            self.csf,
            "Call-back rota",
            state="done",
            date_done=day,
            indicator_ids=[(6, 0, self.indicator.ids)],
            segment_ids=[(6, 0, self.targeted.ids)],
            **vals,
        )

    def test_difference_in_differences_against_the_other_segments(self):
        action = self._done_action(datetime.date(self.YEAR, 7, 15))
        (result,) = action._effect_results()
        did = result["result"]
        # the six months before (Jan-Jun), the months after (Aug-Dec): July
        # holds the completion and is in neither
        self.assertEqual(
            [
                row["period"].date_from.month
                for row in result["rows"]
                if not row["after"]
            ],
            [1, 2, 3, 4, 5, 6],
        )
        self.assertEqual(
            [
                row["period"].date_from.month
                for row in result["rows"]
                if row["after"] and row["period"].date_from.year == self.YEAR
            ],
            [8, 9, 10, 11, 12],
        )
        self.assertAlmostEqual(did.treated_before, 70 / 6)
        self.assertAlmostEqual(did.treated_after, 102 / 5)
        self.assertAlmostEqual(did.control_before, 15.0)
        self.assertAlmostEqual(did.control_after, 16.0)
        self.assertAlmostEqual(did.effect, (102 / 5 - 70 / 6) - 1.0)
        self.assertEqual(
            (
                did.n_treated_before,
                did.n_treated_after,
                did.n_control_before,
                did.n_control_after,
            ),
            (6, 5, 6, 5),
        )
        self.assertEqual(did.verdict, "improved")
        self.assertEqual(action.effect_verdict, "improved")
        self.assertIn("Improved", action.effect_html)
        self.assertIn("Did Targeted", action.segment_ids.name)

    def test_too_early_to_say(self):
        action = self._done_action(datetime.date(self.YEAR, 11, 15))
        (result,) = action._effect_results()
        self.assertEqual(result["result"].n_treated_after, 1)
        self.assertEqual(action.effect_verdict, "too_early")
        self.assertIn("Too early to say", action.effect_html)

    def test_nothing_to_compare_with(self):
        action = self._done_action(datetime.date(self.YEAR, 7, 15))
        action.segment_ids = [(6, 0, (self.targeted | self.other_1 | self.other_2).ids)]
        self.assertEqual(action.effect_verdict, "no_control")

    def test_what_an_action_needs_to_be_measured(self):
        open_action = self._action(self.csf, indicator_ids=[(6, 0, self.indicator.ids)])
        self.assertEqual(open_action.effect_verdict, "not_measured")
        self.assertIn("once the action is done", open_action.effect_html)
        no_segment = self._action(
            self.csf,
            state="done",
            date_done=datetime.date(self.YEAR, 7, 15),
            indicator_ids=[(6, 0, self.indicator.ids)],
        )
        self.assertIn("Name the segments", no_segment.effect_html)
        no_indicator = self._action(
            self.csf, state="done", date_done=datetime.date(self.YEAR, 7, 15)
        )
        self.assertIn("Name the indicators", no_indicator.effect_html)
