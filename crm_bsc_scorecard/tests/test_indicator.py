# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import BscCommon


@tagged("post_install", "-at_install")
class TestIndicator(BscCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.objective = cls._objective(
            "Convert more leads", cls.perspective_internal, crm_function="sales"
        )
        cls.revenue = cls._indicator("t_won_revenue", name="Won revenue")

    # ------------------------------------------------------------------
    # Codes
    # ------------------------------------------------------------------
    def test_code_must_be_an_identifier(self):
        for code in ("9lives", "has space", "dash-code", "café", "a.b", "class"):
            with (
                self.subTest(code=code),
                self.assertRefused(
                    ValidationError,
                    f"code {re.escape(repr(code))} is not an identifier",
                ),
            ):
                self._indicator(code)
        with self.assertRefused(
            ValidationError, r"Indicator \[t_won_revenue\] Won revenue: the code 'x y'"
        ):
            self.revenue.code = "x y"
        self.assertEqual(self.revenue.code, "t_won_revenue")

    def test_code_reserved_for_formulas(self):
        for code in ("min", "round", "abs"):
            with (
                self.subTest(code=code),
                self.assertRefused(ValidationError, f"'{code}' is reserved"),
            ):
                self._indicator(code)

    def test_valid_codes(self):
        for code in ("t_a", "_private", "T2", "camelCase_9"):
            self.assertEqual(self._indicator(code).code, code)

    def test_code_already_used(self):
        with self.assertRefused(
            ValidationError,
            r"code 't_won_revenue' is already used by the indicator "
            r"\[t_won_revenue\] Won revenue",
        ):
            self._indicator("t_won_revenue", name="Revenue again")
        other = self._indicator("t_other")
        with self.assertRefused(ValidationError, "already used"):
            other.code = "t_won_revenue"
        # an archived indicator keeps its code
        self.revenue.active = False
        with self.assertRefused(ValidationError, "already used"):
            self._indicator("t_won_revenue")
        # writing its own code again is fine
        other.code = "t_other"

    def test_two_new_indicators_with_one_code(self):
        Indicator = self.env["crm.bsc.indicator"]
        vals = {"name": "Twin", "perspective_id": self.perspective_financial.id}
        with self.assertRaisesRegex(ValidationError, "'t_twin' is given to two"):
            Indicator.create([{**vals, "code": "t_twin"}, {**vals, "code": "t_twin"}])
        self.assertFalse(Indicator.search([("code", "=", "t_twin")]))

    def test_one_code_for_two_indicators(self):
        pair = self._indicator("t_one") | self._indicator("t_two")
        with self.assertRaisesRegex(ValidationError, "cannot take the same code 't_x'"):
            pair.write({"code": "t_x"})
        self.assertEqual(sorted(pair.mapped("code")), ["t_one", "t_two"])

    def test_nothing_created_when_one_code_is_bad(self):
        """The codes are checked before anything is written: even without the
        rollback of the request, no indicator of the batch exists."""
        Indicator = self.env["crm.bsc.indicator"]
        vals = {"name": "Batch", "perspective_id": self.perspective_financial.id}
        with self.assertRaisesRegex(ValidationError, "'bad code'"):
            Indicator.create([{**vals, "code": "t_good"}, {**vals, "code": "bad code"}])
        self.assertFalse(Indicator.search([("code", "=", "t_good")]))

    # ------------------------------------------------------------------
    # Perspective, objective, display
    # ------------------------------------------------------------------
    def test_perspective_follows_the_objective(self):
        indicator = self._indicator("t_conversion", objective_id=self.objective.id)
        self.assertEqual(indicator.perspective_id, self.perspective_internal)
        self.assertEqual(indicator.crm_function, "sales")
        # stored, for grouping
        self.assertEqual(
            self._stored(indicator, "perspective_id", "crm_function"),
            (self.perspective_internal.id, "sales"),
        )
        self.objective.crm_function = "marketing"
        self.assertEqual(indicator.crm_function, "marketing")

    def test_perspective_can_be_set_without_objective(self):
        indicator = self._indicator("t_training_hours", self.perspective_learning)
        self.assertEqual(indicator.perspective_id, self.perspective_learning)
        indicator.perspective_id = self.perspective_customer
        self.assertEqual(indicator.perspective_id, self.perspective_customer)

    def test_objective_of_another_perspective_is_refused(self):
        indicator = self._indicator("t_conversion", objective_id=self.objective.id)
        with self.assertRefused(
            ValidationError,
            r"\[t_conversion\].*Convert more leads.*Internal Process.*Financial",
        ):
            indicator.perspective_id = self.perspective_financial

    def test_display_name_and_search_by_code(self):
        self.assertEqual(self.revenue.display_name, "[t_won_revenue] Won revenue")
        found = self.env["crm.bsc.indicator"].name_search("t_won_rev")
        self.assertEqual([row[0] for row in found], self.revenue.ids)

    def test_value_count(self):
        period = self._period(1)
        self._value(self.revenue, period, 10.0)
        self.assertEqual(self.revenue.value_count, 1)
        action = self.revenue.action_view_values()
        self.assertEqual(action["domain"], [("indicator_id", "=", self.revenue.id)])
