# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from dateutil.relativedelta import relativedelta
from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger
from odoo.tools.translate import code_translations

from .common import BscCommon


@tagged("post_install", "-at_install")
class TestScorecardFigures(BscCommon):
    """Figures of the period shown, roll-ups, trend and channel coverage."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.grow = cls._objective("Grow revenue", cls.perspective_financial)
        cls.keep = cls._objective("Keep customers", cls.perspective_customer)
        cls.revenue = cls._indicator(
            "t_revenue", name="Revenue", objective_id=cls.grow.id
        )
        cls.churn = cls._indicator(
            "t_churn", name="Churn", objective_id=cls.keep.id, direction="lower"
        )
        cls.nps = cls._indicator("t_nps", cls.perspective_customer, name="NPS")
        cls.training = cls._indicator(
            "t_training", cls.perspective_learning, name="Training hours"
        )
        cls.january, cls.february = cls._period(1), cls._period(2)
        cls.scorecard = cls._scorecard(
            "Company",
            period_id=cls.february.id,
            lines=[
                (
                    cls.revenue,
                    {
                        "target": 100,
                        "warning_threshold": 90,
                        "critical_threshold": 70,
                        "weight": 2,
                    },
                ),
                (
                    cls.churn,
                    {"target": 10, "warning_threshold": 12, "critical_threshold": 15},
                ),
                (cls.nps, {"target": 50}),
                (cls.training, {"target": 20, "weight": 0}),
            ],
        )
        cls.lines = {line.indicator_id: line for line in cls.scorecard.line_ids}
        for indicator, january, february in (
            (cls.revenue, 70.0, 80.0),
            (cls.churn, 12.0, 11.0),
            (cls.training, 5.0, 25.0),
        ):
            cls._value(indicator, cls.january, january)
            cls._value(indicator, cls.february, february)
        cls._value(cls.nps, cls.february, None)

    def _figures(self, indicator):
        line = self.lines[indicator]
        return (
            line.has_value,
            line.current_value,
            line.previous_value,
            line.score,
            line.status,
            line.trend,
        )

    def test_line_figures_of_the_period_shown(self):
        self.assertEqual(
            self._figures(self.revenue), (True, 80.0, 70.0, 55.0, "warning", "better")
        )
        self.assertEqual(
            self._figures(self.churn), (True, 11.0, 12.0, 85.0, "on_track", "better")
        )
        self.assertEqual(
            self._figures(self.training), (True, 25.0, 5.0, 100.0, "on_track", "better")
        )
        # a missing value has no figures, whatever the period before
        self.assertEqual(
            self._figures(self.nps), (False, 0.0, 0.0, 0.0, "no_data", False)
        )
        self.assertEqual(
            self.lines[self.revenue].value_id,
            self.env["crm.bsc.indicator.value"].search(
                [
                    ("indicator_id", "=", self.revenue.id),
                    ("period_id", "=", self.february.id),
                ]
            ),
        )

    def test_overall_score_is_the_weighted_mean_of_the_scored_lines(self):
        # (55 x 2 + 85 x 1) / 3; NPS has no data, training weighs nothing
        self.assertEqual(self.scorecard.score, 65.0)
        self.assertEqual(self.scorecard.score_status, "warning")
        self.lines[self.revenue].weight = 1
        self.assertEqual(self.scorecard.score, 70.0)
        self.assertEqual(self.scorecard.score_status, "on_track")

    def test_scores_follow_the_line_targets(self):
        self.lines[self.revenue].write(
            {"target": 80, "warning_threshold": 70, "critical_threshold": 60}
        )
        self.assertEqual(self.lines[self.revenue].score, 100.0)
        self.assertEqual(self.scorecard.score, 95.0)

    def test_rollups_per_perspective_and_objective(self):
        figures = self.scorecard._line_figures()
        rows = [
            {
                "line": line,
                "score": figures[line.id]["raw_score"],
                "weight": line.weight,
            }
            for line in self.scorecard.line_ids
        ]
        by_perspective, by_objective = self.scorecard._rollups(rows)
        self.assertEqual(
            by_perspective,
            {
                self.perspective_financial: 55.0,
                self.perspective_customer: 85.0,  # NPS has no data
                self.perspective_learning: None,  # weight 0 only: no score
            },
        )
        self.assertEqual(by_objective, {self.grow: 55.0, self.keep: 85.0})

    def test_overview_shows_scores_and_statuses(self):
        html = str(self.scorecard.overview_html)
        for text in (
            "Revenue",
            "Churn",
            "NPS",
            "Grow revenue",
            "Keep customers",
            "Financial",
        ):
            self.assertIn(text, html)
        self.assertIn(">65<", html.replace(" ", "").replace("\n", ""))
        self.assertIn(self.february.name, html)

    def test_trend_worse_and_flat(self):
        value = self.env["crm.bsc.indicator.value"].search(
            [("indicator_id", "=", self.churn.id), ("period_id", "=", self.february.id)]
        )
        value.value = 14.0
        self.scorecard.invalidate_recordset()
        self.scorecard.line_ids.invalidate_recordset()
        self.assertEqual(self.lines[self.churn].trend, "worse")
        value.value = 12.0
        self.scorecard.line_ids.invalidate_recordset()
        self.assertEqual(self.lines[self.churn].trend, "flat")

    def test_first_period_has_no_trend(self):
        self.scorecard.period_id = self.january
        self.assertEqual(
            self._figures(self.revenue), (True, 70.0, 0.0, 40.0, "warning", False)
        )
        self.assertEqual(self.scorecard.shown_period_id, self.january)

    def test_no_data_at_all(self):
        march = self._period(3)
        self.scorecard.period_id = march
        self.assertEqual(self.scorecard.score, 0.0)
        self.assertEqual(self.scorecard.score_status, "no_data")
        self.assertEqual(self.lines[self.revenue].status, "no_data")
        self.assertEqual(self.lines[self.revenue].previous_value, 80.0)

    def test_segment_scorecard_reads_only_its_segment(self):
        segment = self._segment("Key accounts")
        self._value(self.revenue, self.february, 120.0, segment_id=segment.id)
        self._value(
            self.revenue, self.february, 10.0, channel_id=self._channel("T3 Fax").id
        )
        segment_card = self._scorecard(
            "Key accounts",
            segment_id=segment.id,
            period_id=self.february.id,
            lines=[(self.revenue, {"target": 100})],
        )
        line = segment_card.line_ids
        self.assertEqual(
            (line.current_value, line.score, line.trend), (120.0, 100.0, False)
        )
        # the company scorecard still shows all customers
        self.assertEqual(self.lines[self.revenue].current_value, 80.0)

    def test_values_of_another_company_are_not_shown(self):
        # each company has its own periods: February of the second company
        february_2 = self._period(2, company_id=self.company_2.id)
        self.scorecard.write(
            {"company_id": self.company_2.id, "period_id": february_2.id}
        )
        self.assertFalse(self.lines[self.revenue].has_value)
        self.assertEqual(self.scorecard.score_status, "no_data")

    def test_last_complete_period_is_shown_by_default(self):
        today = fields.Date.context_today(self.scorecard)
        current = self.env["crm.bsc.period"]._generate("month", today, today)
        last_day = current.date_from - relativedelta(days=1)
        last = self.env["crm.bsc.period"]._generate("month", last_day, last_day)
        self.scorecard.period_id = False
        self.assertEqual(self.scorecard.shown_period_id, last)
        self.assertFalse(self.lines[self.revenue].has_value)

    def test_unwatched_channels(self):
        phone = self._channel("T3 Phone")
        web = self._channel("T3 Web")
        other_company = self._channel("T3 Telex", company_id=self.company_2.id)
        archived = self._channel("T3 Pager", active=False)
        self.revenue.channel_ids = phone
        unwatched = self.scorecard.unwatched_channel_ids
        self.assertNotIn(phone, unwatched)
        self.assertIn(web, unwatched)
        self.assertNotIn(other_company, unwatched)
        self.assertNotIn(archived, unwatched)
        self.churn.channel_ids = self.env["crm.contact.channel"].search([])
        self.assertFalse(self.scorecard.unwatched_channel_ids)

    def test_states_and_line_count(self):
        self.assertEqual(self.scorecard.line_count, 4)
        self.assertEqual(self.scorecard.state, "draft")
        self.scorecard.action_activate()
        self.assertEqual(self.scorecard.state, "active")
        self.scorecard.action_archive_scorecard()
        self.assertEqual(self.scorecard.state, "archived")
        self.scorecard.action_set_draft()
        self.assertEqual(self.scorecard.state, "draft")
        action = self.scorecard.action_view_values()
        self.assertIn(
            ("indicator_id", "in", self.scorecard.line_ids.indicator_id.ids),
            action["domain"],
        )


@tagged("post_install", "-at_install")
class TestScorecardLines(BscCommon):
    """Targets, thresholds and weights of the lines."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.revenue = cls._indicator("t_revenue", name="Revenue")
        cls.churn = cls._indicator("t_churn", name="Churn", direction="lower")
        cls.stock = cls._indicator("t_stock", name="Stock days", direction="range")
        cls.scorecard = cls._scorecard("Company")

    def _line(self, indicator, **vals):
        return self.env["crm.bsc.scorecard.line"].create(
            {"scorecard_id": self.scorecard.id, "indicator_id": indicator.id, **vals}
        )

    def test_default_thresholds_follow_the_direction(self):
        line = self._line(self.revenue, target=200)
        self.assertEqual(
            (line.warning_threshold, line.critical_threshold), (180.0, 140.0)
        )
        line = self._line(self.churn, target=10)
        self.assertEqual(
            (line.warning_threshold, line.critical_threshold), (11.0, 13.0)
        )
        line = self._line(self.stock, target=10, target_max=20)
        self.assertEqual((line.warning_threshold, line.critical_threshold), (2.0, 6.0))

    def test_given_thresholds_are_kept(self):
        line = self._line(self.revenue, target=100, warning_threshold=95)
        self.assertEqual(
            (line.warning_threshold, line.critical_threshold), (95.0, 70.0)
        )

    def test_form_proposes_thresholds(self):
        with Form(self.scorecard) as form, form.line_ids.new() as line:
            line.indicator_id = self.churn
            line.target = 20
            self.assertEqual(line.warning_threshold, 22.0)
            self.assertEqual(line.critical_threshold, 26.0)
            line.critical_threshold = 30
        saved = self.scorecard.line_ids
        self.assertEqual(
            (saved.target, saved.warning_threshold, saved.critical_threshold),
            (20.0, 22.0, 30.0),
        )

    def test_invalid_thresholds_are_refused(self):
        cases = [
            (
                self.revenue,
                {"target": 100, "warning_threshold": 110, "critical_threshold": 70},
                (
                    r"Revenue \(Higher is better, target 100.0\): Warning Threshold "
                    "110.0 is invalid: the warning threshold must not exceed the target"
                ),
            ),
            (
                self.revenue,
                {"target": 100, "warning_threshold": 90, "critical_threshold": 95},
                (
                    "Critical Threshold 95.0 is invalid: the critical threshold must "
                    "not exceed the warning threshold"
                ),
            ),
            (
                self.churn,
                {"target": 10, "warning_threshold": 8, "critical_threshold": 15},
                r"Churn \(Lower is better, target 10.0\): Warning Threshold 8.0",
            ),
            (
                self.churn,
                {"target": 10, "warning_threshold": 12, "critical_threshold": 11},
                "Critical Threshold 11.0 is invalid",
            ),
            (
                self.stock,
                {"target": 10, "target_max": 5},
                r"Target \(upper bound\) 5.0 is invalid: the upper bound of the range",
            ),
            (
                self.stock,
                {
                    "target": 10,
                    "target_max": 20,
                    "warning_threshold": -1,
                    "critical_threshold": 3,
                },
                "Warning Threshold -1.0 is invalid: a tolerance outside the range",
            ),
            (
                self.stock,
                {
                    "target": 10,
                    "target_max": 20,
                    "warning_threshold": 4,
                    "critical_threshold": 3,
                },
                "Critical Threshold 3.0 is invalid",
            ),
        ]
        for indicator, vals, message in cases:
            with (
                self.subTest(indicator=indicator.code, vals=vals),
                self.assertRefused(
                    ValidationError,
                    rf"Scorecard Company, indicator \[{indicator.code}\] .*{message}",
                ),
            ):
                self._line(indicator, **vals)
        self.assertFalse(self.scorecard.line_ids)

    def test_target_moved_past_the_thresholds_is_refused(self):
        line = self._line(self.revenue, target=100)
        with self.assertRefused(ValidationError, "Warning Threshold 90.0 is invalid"):
            line.write({"target": 80})
        self.assertEqual(line.target, 100.0)

    def test_weight_below_zero_is_refused(self):
        with self.assertRefused(
            ValidationError,
            r"Scorecard Company, indicator \[t_revenue\] Revenue: the weight -1.0 is "
            "below zero",
        ):
            self._line(self.revenue, target=100, weight=-1)
        line = self._line(self.revenue, target=100, weight=0)
        self.assertEqual(line.weight, 0.0)

    def test_one_bad_line_creates_no_scorecard(self):
        Scorecard = self.env["crm.bsc.scorecard"]
        with self.assertRefused(ValidationError, "Critical Threshold 95.0"):
            self._scorecard(
                "Half-way",
                lines=[
                    (self.revenue, {"target": 100}),
                    (
                        self.churn,
                        {
                            "target": 100,
                            "warning_threshold": 110,
                            "critical_threshold": 95,
                        },
                    ),
                ],
            )
        self.assertFalse(Scorecard.search([("name", "=", "Half-way")]))
        self.assertFalse(
            self.env["crm.bsc.scorecard.line"].search(
                [("scorecard_id.name", "=", "Half-way")]
            )
        )

    def test_indicator_once_per_scorecard(self):
        self._line(self.revenue, target=100)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError) as info:
            self._line(self.revenue, target=120)
        self.assertIn("indicator_unique", str(info.exception))


@tagged("post_install", "-at_install")
class TestScorecardTemplate(BscCommon):
    """Segment scorecards generated from a template, and kept in step."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.revenue = cls._indicator("t_revenue", name="Revenue")
        cls.churn = cls._indicator("t_churn", name="Churn", direction="lower")
        cls.nps = cls._indicator("t_nps", cls.perspective_customer, name="NPS")
        cls.segment_a = cls._segment("Key accounts")
        cls.segment_b = cls._segment("Small business")
        cls.template = cls._scorecard(
            "Template",
            state="active",
            period_type="quarter",
            lines=[
                (cls.revenue, {"target": 100, "weight": 2, "sequence": 1}),
                (cls.churn, {"target": 10, "sequence": 2}),
            ],
        )

    def _generate(self, segments, update_targets=False):
        action = self.template.action_generate_segment_scorecards()
        self.assertEqual(action["res_model"], "crm.bsc.scorecard.generate")
        with Form(
            self.env["crm.bsc.scorecard.generate"].with_context(**action["context"])
        ) as form:
            self.assertEqual(form.template_id, self.template)
            form.segment_ids.clear()
            for segment in segments:
                form.segment_ids.add(segment)
            form.update_targets = update_targets
        action = form.record.action_apply()
        Scorecard = self.env["crm.bsc.scorecard"].with_context(active_test=False)
        return Scorecard.search(action["domain"])

    def _lines(self, scorecard):
        return {
            line.indicator_id.code: (line.target, line.weight, line.sequence)
            for line in scorecard.line_ids
        }

    def test_generate_segment_scorecards(self):
        generated = self._generate(self.segment_a | self.segment_b)
        self.assertEqual(generated.segment_id, self.segment_a | self.segment_b)
        self.assertEqual(generated.template_id, self.template)
        self.assertEqual(set(generated.mapped("state")), {"active"})
        self.assertEqual(set(generated.mapped("period_type")), {"quarter"})
        self.assertIn("Key accounts", generated.mapped("name"))
        for scorecard in generated:
            self.assertEqual(
                self._lines(scorecard),
                {"t_revenue": (100.0, 2.0, 1), "t_churn": (10.0, 1.0, 2)},
            )
        self.assertEqual(self.template.generated_count, 2)
        action = self.template.action_view_generated()
        self.assertEqual(
            self.env["crm.bsc.scorecard"].search(action["domain"]), generated
        )

    def test_wizard_proposes_the_company_segments(self):
        other = self._segment("Elsewhere", company_id=self.company_2.id)
        shared = self._segment("Shared", company_id=False)
        wizard = self.env["crm.bsc.scorecard.generate"].create(
            {"template_id": self.template.id}
        )
        self.assertIn(self.segment_a, wizard.segment_ids)
        self.assertIn(shared, wizard.segment_ids)
        self.assertNotIn(other, wizard.segment_ids)
        # a template made for a segment does not propose that segment again
        self.template.segment_id = self.segment_a
        wizard = self.env["crm.bsc.scorecard.generate"].create(
            {"template_id": self.template.id}
        )
        self.assertNotIn(self.segment_a, wizard.segment_ids)
        self.assertIn(self.segment_b, wizard.segment_ids)

    def test_generated_scorecards_follow_the_template(self):
        card_a = self._generate(self.segment_a)
        card_a.line_ids.filtered(lambda line: line.indicator_id == self.revenue).write(
            {"target": 80, "warning_threshold": 75, "critical_threshold": 60}
        )
        # the template changes: a line added, one removed, a weight and a target
        self.template.write(
            {
                "line_ids": [
                    (0, 0, {"indicator_id": self.nps.id, "target": 50, "sequence": 3}),
                    (
                        2,
                        self.template.line_ids.filtered(
                            lambda line: line.indicator_id == self.churn
                        ).id,
                    ),
                ]
            }
        )
        self.template.line_ids.filtered(
            lambda line: line.indicator_id == self.revenue
        ).write(
            {
                "weight": 3,
                "sequence": 5,
                "target": 120,
                "warning_threshold": 110,
                "critical_threshold": 90,
            }
        )
        again = self._generate(self.segment_a | self.segment_b)
        self.assertIn(card_a, again)
        self.assertEqual(len(again), 2)
        # weights, order and lines follow; the segment's own target is kept
        self.assertEqual(
            self._lines(card_a), {"t_revenue": (80.0, 3.0, 5), "t_nps": (50.0, 1.0, 3)}
        )
        card_b = again - card_a
        self.assertEqual(
            self._lines(card_b), {"t_revenue": (120.0, 3.0, 5), "t_nps": (50.0, 1.0, 3)}
        )
        # with update_targets, the template's targets and thresholds win
        self._generate(self.segment_a, update_targets=True)
        revenue = card_a.line_ids.filtered(
            lambda line: line.indicator_id == self.revenue
        )
        self.assertEqual(
            (revenue.target, revenue.warning_threshold, revenue.critical_threshold),
            (120.0, 110.0, 90.0),
        )
        self.assertEqual(self.template.generated_count, 2)

    def test_archived_generated_scorecard_is_refreshed_not_duplicated(self):
        card_a = self._generate(self.segment_a)
        card_a.active = False
        again = self._generate(self.segment_a)
        self.assertEqual(again, card_a)

    def test_archived_template_generates_drafts(self):
        self.template.action_archive_scorecard()
        generated = self._generate(self.segment_a)
        self.assertEqual(generated.state, "draft")

    def test_no_segment_chosen(self):
        wizard = self.env["crm.bsc.scorecard.generate"].create(
            {"template_id": self.template.id, "segment_ids": [(5, 0, 0)]}
        )
        with self.assertRefused(UserError, "Choose at least one segment"):
            wizard.action_apply()


@tagged("post_install", "-at_install")
class TestRefusalsTranslated(BscCommon):
    """Refusals go through the addon's translations, in the user's language."""

    FRENCH = {
        "Scorecard %(scorecard)s, indicator %(indicator)s: the weight %(value)s "
        "is below zero.": "Tableau %(scorecard)s, indicateur %(indicator)s : le "
        "poids %(value)s est négatif.",
        "the warning threshold must not exceed the target when higher is "
        "better": "le seuil d'alerte ne peut dépasser la cible",
        "The period %(period)s is closed: the values of %(indicators)s in it "
        "cannot change.": "La période %(period)s est close : les valeurs de "
        "%(indicators)s n'y changent plus.",
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.revenue = cls._indicator("t_revenue", name="Revenue")
        cls.scorecard = cls._scorecard("Company")

    def test_refusals_are_translated(self):
        french = self.env(context=dict(self.env.context, lang="fr_FR"))
        Line = french["crm.bsc.scorecard.line"]
        vals = {"scorecard_id": self.scorecard.id, "indicator_id": self.revenue.id}
        period = self._period(1)
        period.action_close()
        with patch.dict(
            code_translations.python_translations,
            {("crm_bsc_scorecard", "fr_FR"): self.FRENCH},
        ):
            with self.assertRefused(
                ValidationError,
                r"Tableau Company, indicateur \[t_revenue\] Revenue : le poids -2.0 "
                "est négatif",
            ):
                Line.create({**vals, "target": 10, "weight": -2})
            with self.assertRefused(
                ValidationError, "110.0 is invalid: le seuil d'alerte ne peut dépasser"
            ):
                Line.create({**vals, "target": 100, "warning_threshold": 110})
            with self.assertRefused(
                UserError, rf"La période {self.YEAR}-01 est close : les valeurs de "
            ):
                french["crm.bsc.indicator.value"].create(
                    {"indicator_id": self.revenue.id, "period_id": period.id}
                )
