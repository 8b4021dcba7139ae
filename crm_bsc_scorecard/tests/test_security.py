# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import BscCommon


@tagged("post_install", "-at_install")
class TestSecurity(BscCommon):
    """Access rights of each group, exercised by real users of that group."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.segment = cls._segment("Key accounts")
        cls.channel = cls._channel("T3 Phone")
        cls.objective = cls._objective("Grow revenue")
        cls.own = cls._indicator("t_calls", name="Calls", owner_id=cls.user_bsc.id)
        cls.foreign = cls._indicator(
            "t_revenue", name="Revenue", owner_id=cls.user_bsc_manager.id
        )
        cls.period = cls._period(1)
        cls.scorecard = cls._scorecard(
            "Company",
            period_id=cls.period.id,
            lines=[(cls.own, {"target": 10}), (cls.foreign, {"target": 100})],
        )
        cls.foreign_value = cls._value(cls.foreign, cls.period, 80.0)

    def _as(self, user, model):
        return self.env[model].with_user(user)

    # ------------------------------------------------------------------
    # Scorecard user
    # ------------------------------------------------------------------
    def test_user_reads_the_scorecards(self):
        user = self.user_bsc
        scorecard = self.scorecard.with_user(user)
        self.assertEqual(scorecard.line_count, 2)
        self.assertEqual(scorecard.line_ids.indicator_id, self.own | self.foreign)
        self.assertEqual(scorecard.score, 55.0)
        self.assertTrue(scorecard.overview_html)
        self.assertEqual(
            self._as(user, "crm.bsc.objective").search(
                [("id", "=", self.objective.id)]
            ),
            self.objective,
        )
        self.assertEqual(self.foreign_value.with_user(user).value, 80.0)
        self.assertTrue(self._as(user, "crm.bsc.period").search_count([]))
        self.assertTrue(self._as(user, "crm.bsc.channel.coverage").search_count([]))

    def test_user_cannot_change_definitions(self):
        user = self.user_bsc
        checks = [
            (
                "crm.bsc.scorecard",
                lambda: self.scorecard.with_user(user).write({"name": "Mine"}),
            ),
            (
                "crm.bsc.scorecard.line",
                lambda: self.scorecard.line_ids[0].with_user(user).write({"target": 1}),
            ),
            (
                "crm.bsc.indicator",
                lambda: self._as(user, "crm.bsc.indicator").create(
                    {
                        "name": "New",
                        "code": "t_new",
                        "perspective_id": self.perspective_financial.id,
                    }
                ),
            ),
            (
                "crm.bsc.objective",
                lambda: self.objective.with_user(user).write({"name": "Mine"}),
            ),
            (
                "crm.customer.segment",
                lambda: self.segment.with_user(user).write({"name": "Mine"}),
            ),
            (
                "crm.contact.channel",
                lambda: self._as(user, "crm.contact.channel").create({"name": "Mine"}),
            ),
            (
                "crm.bsc.perspective",
                lambda: self.perspective_customer.with_user(user).unlink(),
            ),
            ("crm.bsc.period", lambda: self.period.with_user(user).action_close()),
            (
                "crm.bsc.period.generate",
                lambda: self._as(user, "crm.bsc.period.generate").create({}),
            ),
            (
                "crm.bsc.scorecard.generate",
                lambda: self._as(user, "crm.bsc.scorecard.generate").create(
                    {"template_id": self.scorecard.id}
                ),
            ),
        ]
        for model, call in checks:
            with (
                self.subTest(model=model),
                self.assertRefused(AccessError, rf"\({model}\)"),
            ):
                call()
        self.assertEqual(self.period.state, "open")

    def test_user_enters_values_of_own_indicators(self):
        Value = self._as(self.user_bsc, "crm.bsc.indicator.value")
        value = Value.create(
            {"indicator_id": self.own.id, "period_id": self.period.id, "value": 12.0}
        )
        self.assertEqual(
            (value.score, value.status, value.set_by_id),
            (100.0, "on_track", self.user_bsc),
        )
        value.write({"value": 8.0})
        self.assertEqual(value.status, "warning")
        with self.assertRefused(AccessError, r"crm\.bsc\.indicator\.value"):
            value.unlink()

    def test_user_cannot_enter_values_of_others(self):
        Value = self._as(self.user_bsc, "crm.bsc.indicator.value")
        with self.assertRefused(AccessError, "Scorecard Indicator Value"):
            Value.create(
                {
                    "indicator_id": self.foreign.id,
                    "period_id": self.period.id,
                    "value": 1.0,
                    "channel_id": self.channel.id,
                }
            )
        with self.assertRefused(AccessError, "Scorecard Indicator Value"):
            self.foreign_value.with_user(self.user_bsc).write({"value": 100.0})
        self.assertEqual(self.foreign_value.value, 80.0)

    # ------------------------------------------------------------------
    # Scorecard manager
    # ------------------------------------------------------------------
    def test_manager_changes_everything(self):
        user = self.user_bsc_manager
        self.scorecard.with_user(user).write({"name": "Renamed", "state": "active"})
        self.scorecard.line_ids[0].with_user(user).write({"weight": 3})
        indicator = self._as(user, "crm.bsc.indicator").create(
            {
                "name": "New",
                "code": "t_new",
                "perspective_id": self.perspective_financial.id,
            }
        )
        self._as(user, "crm.customer.segment").create({"name": "New segment"})
        self._as(user, "crm.contact.channel").create({"name": "New channel"})
        wizard = self._as(user, "crm.bsc.period.generate").create(
            {
                "period_type": "month",
                "date_from": date(self.YEAR, 2, 1),
                "date_to": date(self.YEAR, 3, 31),
            }
        )
        wizard.action_generate()
        value = self._as(user, "crm.bsc.indicator.value").create(
            {"indicator_id": self.own.id, "period_id": self.period.id, "value": 3.0}
        )
        self.foreign_value.with_user(user).value = 90.0
        self.period.with_user(user).action_close()
        self.assertEqual(self.period.state, "closed")
        self.period.with_user(user).action_reopen()
        value.with_user(user).unlink()
        indicator.with_user(user).unlink()
        self.assertEqual(self.scorecard.name, "Renamed")
        self.assertEqual(self.foreign_value.value, 90.0)
        self.assertFalse(value.exists())

    def test_manager_generates_segment_scorecards(self):
        wizard = self._as(self.user_bsc_manager, "crm.bsc.scorecard.generate").create(
            {
                "template_id": self.scorecard.id,
                "segment_ids": [(6, 0, self.segment.ids)],
            }
        )
        action = wizard.action_apply()
        generated = self.env["crm.bsc.scorecard"].search(action["domain"])
        self.assertEqual(generated.segment_id, self.segment)

    def test_managers_of_the_group(self):
        manager_group = self.env.ref("crm_bsc_scorecard.group_bsc_manager")
        self.assertIn(self.env.ref("base.user_admin"), manager_group.users)
        self.assertTrue(
            self.user_bsc_manager.has_group("crm_bsc_scorecard.group_bsc_user")
        )
        self.assertTrue(
            self.user_bsc_manager.has_group("sales_team.group_sale_manager")
        )
        self.assertTrue(self.user_bsc.has_group("sales_team.group_sale_salesman"))
        self.assertFalse(self.user_bsc.has_group("crm_bsc_scorecard.group_bsc_manager"))

    # ------------------------------------------------------------------
    # Users outside the scorecard groups
    # ------------------------------------------------------------------
    def test_salesman_sees_segments_but_no_scorecard(self):
        user = self.user_salesman
        self.assertEqual(self.segment.with_user(user).name, "Key accounts")
        partner = self._partner("Acme", customer_segment_id=self.segment.id)
        lead = self._lead("Deal", partner=partner, user_id=user.id)
        self.assertEqual(lead.with_user(user).customer_segment_id, self.segment)
        for model, record in (
            ("crm.bsc.scorecard", self.scorecard),
            ("crm.bsc.indicator", self.own),
            ("crm.bsc.indicator.value", self.foreign_value),
            ("crm.bsc.objective", self.objective),
        ):
            with (
                self.subTest(model=model),
                self.assertRefused(AccessError, rf"\({model}\)"),
            ):
                record.with_user(user).read(["display_name"])

    def test_employee_reads_reference_data_only(self):
        user = self.user_employee
        self.assertEqual(self.segment.with_user(user).name, "Key accounts")
        self.assertEqual(self.channel.with_user(user).name, "T3 Phone")
        self.assertTrue(self._as(user, "crm.bsc.perspective").search_count([]))
        with self.assertRefused(AccessError, r"\(crm\.bsc\.period\)"):
            self.period.with_user(user).read(["name"])
        with self.assertRefused(AccessError, r"\(crm\.customer\.segment\)"):
            self._as(user, "crm.customer.segment").create({"name": "Mine"})
