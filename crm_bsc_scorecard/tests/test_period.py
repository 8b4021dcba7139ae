# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import BscCommon


@tagged("post_install", "-at_install")
class TestPeriod(BscCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Period = cls.env["crm.bsc.period"]
        cls.y = cls.YEAR

    def _periods(self, period_type):
        return self.Period.search(
            [
                ("period_type", "=", period_type),
                ("date_from", ">=", date(self.y, 1, 1)),
                ("date_to", "<=", date(self.y + 1, 12, 31)),
            ],
            order="date_from",
        )

    # ------------------------------------------------------------------
    # Generation
    # ------------------------------------------------------------------
    def test_generate_calendar_periods(self):
        periods = self.Period._generate(
            "month", date(self.y, 1, 15), date(self.y, 3, 2)
        )
        self.assertEqual(
            [(p.name, p.date_from, p.date_to) for p in periods],
            [
                (f"{self.y}-01", date(self.y, 1, 1), date(self.y, 1, 31)),
                (f"{self.y}-02", date(self.y, 2, 1), date(self.y, 2, 28)),
                (f"{self.y}-03", date(self.y, 3, 1), date(self.y, 3, 31)),
            ],
        )
        self.assertEqual(set(periods.mapped("state")), {"open"})

    def test_generate_keeps_existing_periods(self):
        february = self._period(2, state="closed")
        periods = self.Period._generate(
            "month", date(self.y, 1, 1), date(self.y, 4, 30)
        )
        self.assertEqual(len(periods), 4)
        self.assertIn(february, periods)
        self.assertEqual(february.state, "closed")
        again = self.Period._generate("month", date(self.y, 1, 1), date(self.y, 4, 30))
        self.assertEqual(again, periods)
        self.assertEqual(len(self._periods("month")), 4)

    def test_generate_wizard(self):
        with Form(self.env["crm.bsc.period.generate"]) as form:
            form.period_type = "quarter"
            form.date_from = date(self.y, 2, 1)
            # a start after the end moves the end a year on
            self.assertEqual(form.date_to, date(self.y + 1, 1, 31))
            form.date_to = date(self.y, 12, 31)
        action = form.record.action_generate()
        quarters = self._periods("quarter")
        self.assertEqual(
            quarters.mapped("name"), [f"{self.y}-Q{q}" for q in range(1, 5)]
        )
        self.assertEqual(action["domain"], [("id", "in", quarters.ids)])
        self.assertEqual(action["res_model"], "crm.bsc.period")

    def test_generate_wizard_refuses_reversed_dates(self):
        wizard = self.env["crm.bsc.period.generate"].create(
            {
                "period_type": "month",
                "date_from": date(self.y, 5, 1),
                "date_to": date(self.y, 4, 1),
            }
        )
        with self.assertRefused(
            UserError, f"end {self.y}-04-01 is before the start {self.y}-05-01"
        ):
            wizard.action_generate()
        self.assertFalse(self._periods("month"))

    def test_find_and_previous(self):
        january, february = self._period(1), self._period(2)
        year = self._period(1, period_type="year")
        self.assertEqual(self.Period._find("month", date(self.y, 2, 14)), february)
        self.assertEqual(self.Period._find("year", date(self.y, 2, 14)), year)
        self.assertFalse(self.Period._find("quarter", date(self.y, 2, 14)))
        self.assertEqual(february._previous(), january)
        self.assertFalse(
            year._previous().filtered(lambda p: p.date_from.year >= self.y)
        )

    # ------------------------------------------------------------------
    # Overlaps
    # ------------------------------------------------------------------
    def test_overlapping_periods_of_one_granularity_are_refused(self):
        self._period(3)
        with self.assertRefused(
            ValidationError,
            rf"Period Mid-March \({self.y}-03-10 to {self.y}-04-09\) overlaps the "
            rf"period {self.y}-03 \({self.y}-03-01 to {self.y}-03-31\) of the same "
            "granularity",
        ):
            self.Period.create(
                {
                    "name": "Mid-March",
                    "period_type": "month",
                    "date_from": date(self.y, 3, 10),
                    "date_to": date(self.y, 4, 9),
                }
            )
        self.assertEqual(len(self._periods("month")), 1)

    def test_other_granularities_and_neighbours_may_touch(self):
        self._period(3)
        self._period(4)
        self._period(1, period_type="quarter")
        self._period(1, period_type="year")
        self.assertEqual(len(self._periods("month")), 2)

    def test_moving_a_period_onto_another_is_refused(self):
        self._period(3)
        april = self._period(4)
        with self.assertRefused(ValidationError, f"{self.y}-04.*overlaps.*{self.y}-03"):
            april.date_from = date(self.y, 3, 31)
        self.assertEqual(april.date_from, date(self.y, 4, 1))

    def test_batch_with_an_overlap_creates_nothing(self):
        vals = {"period_type": "month"}
        with self.assertRefused(ValidationError, "overlaps"):
            self.Period.create(
                [
                    {
                        **vals,
                        "name": "A",
                        "date_from": date(self.y, 6, 1),
                        "date_to": date(self.y, 6, 30),
                    },
                    {
                        **vals,
                        "name": "B",
                        "date_from": date(self.y, 7, 1),
                        "date_to": date(self.y, 7, 31),
                    },
                    {
                        **vals,
                        "name": "C",
                        "date_from": date(self.y, 7, 15),
                        "date_to": date(self.y, 8, 14),
                    },
                ]
            )
        self.assertFalse(self._periods("month"))

    def test_end_before_start_is_refused(self):
        with self.assertRefused(
            ValidationError, f"end {self.y}-06-01 is before the start {self.y}-06-30"
        ):
            self.Period.create(
                {
                    "name": "Backwards",
                    "date_from": date(self.y, 6, 30),
                    "date_to": date(self.y, 6, 1),
                }
            )
        self.assertFalse(self.Period.search([("name", "=", "Backwards")]))

    # ------------------------------------------------------------------
    # Closing
    # ------------------------------------------------------------------
    def test_close_and_reopen(self):
        march = self._period(3)
        march.action_close()
        self.assertEqual(march.state, "closed")
        march.action_close()  # closing twice is harmless
        self.assertEqual(march.state, "closed")
        march.action_reopen()
        self.assertEqual(march.state, "open")

    def test_closed_period_dates_are_frozen(self):
        march = self._period(3)
        march.action_close()
        with self.assertRefused(UserError, f"closed period {self.y}-03 cannot change"):
            march.date_to = date(self.y, 3, 30)
        with self.assertRefused(UserError, "cannot change"):
            march.period_type = "quarter"
        march.name = "March"  # the name may still change
        self.assertEqual(march.name, "March")
        self.assertEqual(march.date_to, date(self.y, 3, 31))

    def test_closed_period_cannot_be_deleted(self):
        march = self._period(3)
        march.action_close()
        with self.assertRefused(
            UserError, f"closed period {self.y}-03 cannot be deleted"
        ):
            march.unlink()
        self.assertTrue(march.exists())
        march.action_reopen()
        march.unlink()
        self.assertFalse(march.exists())

    def test_period_with_values_cannot_be_deleted(self):
        march = self._period(3)
        self._value(self._indicator("t_calls"), march, 3.0)
        self.assertEqual(march.value_count, 1)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            march.unlink()
