# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CsfCommon


@tagged("post_install", "-at_install")
class TestHealth(CsfCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A: scored by a scorecard line (target 100, warning 90, critical 70)
        cls.ind_a = cls._manual("csf_health_a")
        # B: no scorecard line; the factor's own target 50 scores it
        cls.ind_b = cls._manual("csf_health_b", indicator_type="leading")
        # C: never has a value
        cls.ind_c = cls._manual("csf_health_c", indicator_type="leading")
        cls._scorecard(
            "Health scorecard",
            lines=[
                (
                    cls.ind_a,
                    {
                        "target": 100.0,
                        "warning_threshold": 90.0,
                        "critical_threshold": 70.0,
                    },
                )
            ],
        )
        cls.jan, cls.feb = cls._months(cls.YEAR, 1, 2)
        cls._value(cls.ind_a, cls.jan, 90.0)
        cls._value(cls.ind_a, cls.feb, 100.0)
        cls._value(cls.ind_b, cls.feb, 45.0)
        cls.enterprise = cls._csf(
            "Health enterprise", lines=[(cls.ind_a, {"weight": 1.0})]
        )
        cls.department = cls._csf(
            "Health department",
            "department",
            cls.enterprise,
            weight=2.0,
            lines=[
                (cls.ind_b, {"has_own_target": True, "own_target": 50.0}),
                (cls.ind_c, {"weight": 3.0}),
            ],
        )
        (cls.enterprise | cls.department)._refresh_health()

    def test_line_figures_from_the_stored_values(self):
        line_a = self.enterprise.indicator_line_ids
        self.assertEqual(line_a.value_period_id, self.feb)
        self.assertEqual(line_a.value, 100.0)
        self.assertEqual(line_a.previous_value, 90.0)
        self.assertEqual(line_a.target, 100.0)
        self.assertEqual(line_a.target_source, "scorecard")
        self.assertEqual(line_a.score, 100.0)
        self.assertEqual(line_a.status, "on_track")
        self.assertEqual(line_a.trend, "better")
        line_b, line_c = self.department.indicator_line_ids
        self.assertEqual(line_b.target_source, "own")
        self.assertEqual(line_b.target, 50.0)
        # 45 is at the default warning threshold of a target of 50: 70
        self.assertAlmostEqual(line_b.score, 70.0)
        # the threshold itself is still on track, as on a scorecard line
        self.assertEqual(line_b.status, "on_track")
        self.assertFalse(line_c.has_value)
        self.assertEqual(line_c.status, "no_data")

    def test_health_rolls_up_with_the_weights(self):
        # the department: B scores 70; C has no value and does not count
        self.assertAlmostEqual(self.department.health, 70.0)
        self.assertEqual(self.department.health_status, "on_track")
        # the enterprise: A (100, weight 1) and the department (70, weight 2)
        self.assertAlmostEqual(self.enterprise.health, 80.0)
        self.assertTrue(self.enterprise.health_date)

    def test_health_follows_new_values_and_weights(self):
        mar = self._months(self.YEAR, 3, 3)
        self._value(self.ind_a, mar, 70.0)  # at the critical threshold: 40
        self.env["crm.csf"]._cron_refresh_health()
        self.assertAlmostEqual(self.enterprise.health, (40.0 + 140.0) / 3, places=1)
        self.assertEqual(self.enterprise.indicator_line_ids.trend, "worse")
        # a weight 0 leaves the department out of the enterprise
        self.department.weight = 0.0
        self.assertAlmostEqual(self.enterprise.health, 40.0)
        self.assertEqual(self.enterprise.health_status, "at_risk")
        self.enterprise.indicator_line_ids.weight = 0.5
        self.assertAlmostEqual(self.enterprise.health, 40.0)

    def test_off_track_and_no_data(self):
        apr = self._months(self.YEAR, 4, 4)
        self._value(self.ind_a, apr, 0.0)
        empty = self._csf("Health nothing measured", "department", self.enterprise)
        self.enterprise._refresh_health()
        self.assertEqual(empty.health_status, "no_data")
        self.assertEqual(empty.health, 0.0)
        self.department.weight = 0.0
        self.assertEqual(self.enterprise.health_status, "off_track")

    def test_weights_below_zero_or_all_zero_are_refused(self):
        with self.assertRefused(
            ValidationError, r"Health enterprise.*csf_health_a.*weight -1.*Weight"
        ):
            self.enterprise.indicator_line_ids.weight = -1.0
        with self.assertRefused(
            ValidationError, r"Health department.*every indicator.*0"
        ):
            self.department.indicator_line_ids.write({"weight": 0.0})
        self.assertEqual(
            self.department.indicator_line_ids.mapped("weight"), [1.0, 3.0]
        )

    def test_derived_health_is_the_servers(self):
        # the ORM of the server writes it; a client's value is refused
        with self.assertRefused(Exception, r"cannot be written"):
            self.enterprise.with_user(self.user_bsc_manager).write(
                {"health": 12.0, "health_status": "off_track"}
            )
        self.assertAlmostEqual(self.enterprise.health, 80.0)


@tagged("post_install", "-at_install")
class TestMeasurementGaps(CsfCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lagging = cls._manual("csf_gap_lagging")
        cls.leading = cls._manual("csf_gap_leading", indicator_type="leading")
        cls.silent = cls._manual("csf_gap_silent", indicator_type="leading")
        cls.recent = cls._last_ended_months(2)
        for period in cls.recent:
            cls._value(cls.lagging, period, 10.0)
            cls._value(cls.leading, period, 5.0)
        # the silent indicator had values, but not in the last two periods
        cls._value(cls.silent, cls._months(cls.YEAR, 1, 1), 1.0)

    def test_a_factor_without_indicator(self):
        csf = self._csf("Gap none")
        self.assertTrue(csf.gap_no_indicator)
        self.assertTrue(csf.has_measurement_gap)
        self.assertIn("No indicator measures it.", csf.measurement_gap_note)
        self.assertIn(
            csf, self.env["crm.csf"].search([("has_measurement_gap", "=", True)])
        )

    def test_a_factor_measured_by_lagging_indicators_only(self):
        csf = self._csf("Gap lagging", lines=[(self.lagging, {})])
        self.assertTrue(csf.gap_all_lagging)
        self.assertFalse(csf.gap_stale)
        self.assertIn("All its indicators are lagging", csf.measurement_gap_note)
        # adding a driver closes the gap
        csf.write({"indicator_line_ids": [(0, 0, {"indicator_id": self.leading.id})]})
        self.assertFalse(csf.gap_all_lagging)
        self.assertFalse(csf.has_measurement_gap)

    def test_a_factor_whose_indicator_had_no_value_for_two_periods(self):
        csf = self._csf("Gap silent", lines=[(self.leading, {}), (self.silent, {})])
        self.assertTrue(csf.gap_stale)
        self.assertIn("csf_gap_silent", csf.measurement_gap_note)
        self.assertNotIn("csf_gap_leading", csf.measurement_gap_note)
        # a value in the last period is enough
        self._value(self.silent, self.recent[-1], 2.0)
        csf._refresh_health()
        self.assertFalse(csf.gap_stale)
        self.assertFalse(csf.has_measurement_gap)
