# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a manager sees first: the last complete period by default, the
running one to date with its additive targets pro-rated, segment scorecards
named after their segment, the data of the dashboard and the strategy map,
and the link evidence on the objective form."""

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..tools import link_evidence, scoring
from .common import BscCommon


class ManagerViewCommon(BscCommon):
    """Two objectives (retention drives revenue), eleven months of values
    in YEAR and a running December."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.grow = cls._objective("MV Grow revenue", cls.perspective_financial)
        cls.keep = cls._objective("MV Keep customers", cls.perspective_customer)
        cls.keep.driven_objective_ids = cls.grow
        cls.revenue = cls._indicator(
            "mv_revenue",
            name="MV Revenue",
            objective_id=cls.grow.id,
            accumulates=True,
        )
        cls.retention = cls._indicator(
            "mv_retention",
            name="MV Retention",
            objective_id=cls.keep.id,
            unit="percent",
        )
        cls.months = [cls._period(month) for month in range(1, 13)]
        cls.scorecard = cls._scorecard(
            "MV Company",
            state="active",
            lines=[
                (
                    cls.revenue,
                    {
                        "target": 310.0,
                        "warning_threshold": 279.0,
                        "critical_threshold": 217.0,
                    },
                ),
                (
                    cls.retention,
                    {
                        "target": 90.0,
                        "warning_threshold": 85.0,
                        "critical_threshold": 75.0,
                    },
                ),
            ],
        )
        cls.lines = {line.indicator_id: line for line in cls.scorecard.line_ids}
        # retention drives revenue one month later, over ten months
        retention = [70, 95, 75, 90, 80, 85, 72, 93, 78, 88, 91]
        revenue = [200, 180, 300, 210, 290, 240, 270, 190, 305, 230, 260]
        for period, ret, rev in zip(cls.months, retention, revenue, strict=False):
            cls._value(cls.retention, period, float(ret))
            cls._value(cls.revenue, period, float(rev))
        # December is running: 20 of revenue after 2 of its 31 days
        cls._value(cls.revenue, cls.months[11], 20.0)
        cls._value(cls.retention, cls.months[11], 88.0)

    def _at(self, day):
        return freeze_time(f"{self.YEAR}-{day}")


@tagged("post_install", "-at_install")
class TestManagerView(ManagerViewCommon):
    # ------------------------------------------------------------------
    # The period shown
    # ------------------------------------------------------------------
    def test_default_is_the_last_complete_period(self):
        with self._at("12-02"):
            self.scorecard.invalidate_recordset()
            self.assertEqual(self.scorecard.shown_period_id, self.months[10])
            self.assertFalse(self.scorecard.period_running)
            self.assertFalse(self.scorecard.pro_rata_note)

    def test_one_click_to_the_running_period_and_back(self):
        with self._at("12-02"):
            self.scorecard.with_user(self.user_bsc_manager).action_show_running_period()
            self.assertEqual(self.scorecard.period_id, self.months[11])
            self.assertTrue(self.scorecard.period_running)
            self.assertIn("2", self.scorecard.pro_rata_note)
            self.assertIn("31", self.scorecard.pro_rata_note)
            self.scorecard.with_user(self.user_bsc_manager).action_show_last_period()
            self.assertFalse(self.scorecard.period_id)
            self.assertEqual(self.scorecard.shown_period_id, self.months[10])

    def test_no_running_period_is_a_clear_error(self):
        with (
            self._at("12-02"),
            self.assertRefused(UserError, "MV Quarterly.*covers today"),
        ):
            self._scorecard("MV Quarterly", period_type="quarter").with_context(
                tz="UTC"
            ).action_show_running_period()

    def test_running_period_pro_rates_counts_and_sums_only(self):
        with self._at("12-02"):
            self.scorecard.period_id = self.months[11]
            revenue = self.lines[self.revenue]
            retention = self.lines[self.retention]
            self.scorecard.invalidate_recordset()
            self.scorecard.line_ids.invalidate_recordset()
            # 310 a month, 2 days of 31: 20 is the target to date
            self.assertAlmostEqual(revenue.shown_target, 20.0)
            self.assertTrue(revenue.pro_rated)
            expected = scoring.evaluate("higher", 20.0, 20.0, 18.0, 14.0)
            self.assertEqual((revenue.score, revenue.status), expected)
            self.assertEqual(revenue.status, scoring.ON_TRACK)
            # a rate keeps its target
            self.assertEqual(retention.shown_target, 90.0)
            self.assertFalse(retention.pro_rated)
            self.assertEqual(
                (retention.score, retention.status),
                scoring.evaluate("higher", 88.0, 90.0, 85.0, 75.0),
            )
            html = str(self.scorecard.overview_html)
            self.assertIn("o_crm_bsc_pro_rated", html)
            self.assertIn("o_crm_bsc_pro_rata", html)
            # the same period once it has ended: the whole target
            with self._at("12-31"), freeze_time(f"{self.YEAR + 1}-01-05"):
                self.scorecard.invalidate_recordset()
                self.scorecard.line_ids.invalidate_recordset()
                self.assertEqual(revenue.shown_target, 310.0)
                self.assertEqual(revenue.status, scoring.CRITICAL)

    def test_accumulates_follows_the_definition(self):
        indicator = self._indicator(
            "mv_won", computation="builtin", builtin_code="won_revenue"
        )
        self.assertTrue(indicator.accumulates)
        indicator.builtin_code = "win_rate"
        self.assertFalse(indicator.accumulates)
        manual = self._indicator("mv_manual", accumulates=True)
        self.assertTrue(manual.accumulates)

    def test_segment_scorecards_are_named_after_the_segment(self):
        segment = self._segment("MV Enterprise")
        wizard = self.env["crm.bsc.scorecard.generate"].create(
            {"template_id": self.scorecard.id, "segment_ids": [(6, 0, segment.ids)]}
        )
        wizard.action_apply()
        generated = self.scorecard.generated_ids
        self.assertEqual(generated.mapped("name"), ["MV Enterprise"])

    # ------------------------------------------------------------------
    # Strategy map, dashboard, link evidence
    # ------------------------------------------------------------------
    def test_link_evidence_of_the_scorecard(self):
        with self._at("12-02"):
            links = self.scorecard._link_evidence()
        self.assertEqual(len(links), 1)
        cause, effect, evidence = links[0]
        self.assertEqual((cause, effect), (self.keep, self.grow))
        with self._at("12-02"):
            history = self.scorecard._history(self.scorecard._history_periods(count=24))
        expected = link_evidence.link_evidence(
            history["objectives"][self.keep], history["objectives"][self.grow]
        )
        self.assertEqual(evidence, expected)
        self.assertEqual(evidence.verdict, link_evidence.SUPPORTED)
        self.assertEqual(evidence.lag, 1)
        sentence = self.scorecard._evidence_sentence(cause, effect, evidence)
        self.assertIn("MV Keep customers", sentence)
        self.assertIn("supports", sentence)
        # the same on the objective form
        self.assertIn(sentence, str(self.keep.link_evidence_html))
        self.assertIn(sentence, str(self.grow.link_evidence_html))

    def test_link_evidence_sentence_of_an_unchanged_score(self):
        """Enough history, but a score that did not change: the sentence says
        so, not that the history is too short."""
        rising = [10, 20, 30, 40, 50, 60, 70, 80]
        cases = (
            ([50] * 8, rising, "The score of MV Keep customers did not change"),
            (rising, [70] * 8, "The score of MV Grow revenue did not change"),
            ([50] * 8, [70] * 8, "The scores of MV Keep customers and MV Grow"),
        )
        for cause_scores, effect_scores, start in cases:
            evidence = link_evidence.link_evidence(cause_scores, effect_scores)
            self.assertEqual(evidence.verdict, link_evidence.INSUFFICIENT)
            sentence = self.scorecard._evidence_sentence(self.keep, self.grow, evidence)
            self.assertTrue(sentence.startswith(start), sentence)
            self.assertIn("over 8 periods", sentence)
            self.assertNotIn("Too little history", sentence)
        # too few periods: too little history it is
        evidence = link_evidence.link_evidence([50] * 4, [70] * 4)
        sentence = self.scorecard._evidence_sentence(self.keep, self.grow, evidence)
        self.assertIn("Too little history", sentence)

    def test_strategy_map_data(self):
        with self._at("12-02"):
            data = self.scorecard.with_user(self.user_bsc).get_strategy_map_data(
                self.months[10].id
            )
        self.assertEqual(data["period"]["id"], self.months[10].id)
        objectives = {o["id"]: o for o in data["objectives"]}
        self.assertEqual(set(objectives), {self.grow.id, self.keep.id})
        retention_line = objectives[self.keep.id]["indicators"][0]
        self.assertEqual(retention_line["value"], 91.0)
        self.assertEqual(
            retention_line["score"], scoring.evaluate("higher", 91.0, 90, 85, 75)[0]
        )
        self.assertEqual(objectives[self.keep.id]["score"], retention_line["score"])
        # the last twelve periods
        self.assertEqual(len(retention_line["trend"]), 12)
        self.assertEqual(retention_line["trend"][-2:], [88.0, 91.0])
        self.assertEqual(
            [
                (link["cause"], link["effect"], link["verdict"])
                for link in data["links"]
            ],
            [(self.keep.id, self.grow.id, "supported")],
        )
        self.assertIn(self.scorecard.id, [s["id"] for s in data["scorecards"]])
        with self.assertRaises(UserError):
            self.scorecard.get_strategy_map_data(self._period(1, period_type="year").id)

    def test_dashboard_data(self):
        with self._at("12-02"):
            data = (
                self.env["crm.bsc.scorecard"]
                .with_user(self.user_bsc)
                .get_dashboard_data()
            )
        card = next(c for c in data["cards"] if c["id"] == self.scorecard.id)
        # November: revenue 260 of 310 (warning), retention 91 (on track)
        rows = self.scorecard._score_rows()[self.scorecard]
        self.assertEqual(
            card["score"],
            scoring.weighted_mean((r["score"], r["weight"]) for r in rows),
        )
        self.assertEqual(card["warning"], 1)
        self.assertEqual(card["critical"], 0)
        self.assertEqual(len(card["trend"]["scores"]), 12)
        self.assertEqual(card["trend"]["scores"][-1], card["score"])
        # revenue went from 230 (warning) to 260 (warning): not worse;
        # retention from 88 (on track) to 91: not worse either
        worse = [w for w in data["worse"] if w["scorecard_id"] == self.scorecard.id]
        self.assertEqual(worse, [])
        # October: retention 88 -> 78 in September? From September (78,
        # critical... ) the status of revenue went from on track (305) to
        # warning (230) in October
        self.scorecard.period_id = self.months[9]
        with self._at("12-02"):
            data = (
                self.env["crm.bsc.scorecard"]
                .with_user(self.user_bsc)
                .get_dashboard_data()
            )
        worse = [w for w in data["worse"] if w["scorecard_id"] == self.scorecard.id]
        self.assertEqual([w["indicator_id"] for w in worse], [self.revenue.id])

    def test_client_actions_check_the_group(self):
        with self.assertRaises(AccessError):
            self.env["crm.bsc.scorecard"].with_user(
                self.user_salesman
            ).get_dashboard_data()
        with self.assertRaises(AccessError):
            self.scorecard.with_user(self.user_employee).get_strategy_map_data()
        other = self._scorecard("MV Other company", company_id=self.company_2.id)
        with self.assertRaises(AccessError):
            other.with_user(self.user_bsc).get_strategy_map_data()
