# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import CsfCommon

BLOCKS = (
    "vision",
    "strategy",
    "experience",
    "collaboration",
    "processes",
    "information",
    "technology",
    "metrics",
)


@tagged("post_install", "-at_install")
class TestMaturityAssessment(CsfCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.assessors = cls.user_bsc | cls.user_bsc_2

    def _assessment(self, day, name="Assessment", **vals):
        return self.env["crm.maturity.assessment"].create(
            {
                "name": name,
                "date": day,
                "assessor_ids": [Command.set(self.assessors.ids)],
                **vals,
            }
        )

    def _rate(self, assessment, levels):
        """``levels``: {block code: (level of user_bsc, level of user_bsc_2)}."""
        for rating in assessment.rating_ids:
            pair = levels.get(rating.block_id.code, (3, 3))
            rating.level = pair[0 if rating.assessor_id == self.user_bsc else 1]

    def _line(self, assessment, code):
        return assessment.line_ids.filtered(lambda line: line.block_id.code == code)

    def test_the_eight_blocks_are_seeded_with_a_rubric(self):
        blocks = self.env["crm.building.block"].search([("code", "!=", False)])
        self.assertEqual(tuple(blocks.mapped("code")), BLOCKS)
        for block in blocks:
            for level in range(1, 6):
                self.assertTrue(block[f"rubric_{level}"], (block.code, level))
        self.assertIn("Indicators with a target", blocks[-1].signal_note)
        self.assertIn("Nothing measured", blocks[0].signal_note)

    def test_lines_ratings_and_evidence_when_started(self):
        assessment = self._assessment(datetime.date(2003, 6, 1))
        self.assertEqual(tuple(assessment.line_ids.mapped("block_id.code")), BLOCKS)
        self.assertEqual(set(assessment.line_ids.mapped("target_level")), {3})
        with self.assertRefused(AccessError, r"Only a scorecard manager"):
            assessment.with_user(self.user_bsc).action_start()
        assessment.with_user(self.user_bsc_manager).action_start()
        self.assertEqual(assessment.state, "in_progress")
        self.assertEqual(len(assessment.rating_ids), 16)
        self.assertEqual(assessment.rating_ids.assessor_id, self.assessors)
        self.assertTrue(assessment.evidence_date)
        metrics = self._line(assessment, "metrics")
        self.assertEqual(metrics.signal_ids.mapped("code"), ["metrics_targets"])
        self.assertFalse(self._line(assessment, "vision").signal_ids)
        activities = self.env["mail.activity"].search(
            [("res_model", "=", assessment._name), ("res_id", "=", assessment.id)]
        )
        self.assertEqual(activities.user_id, self.assessors)
        # an assessor added later gets their ratings
        assessment.assessor_ids = [Command.link(self.user_bsc_manager.id)]
        self.assertEqual(len(assessment.rating_ids), 24)

    def test_start_needs_an_assessor(self):
        assessment = self._assessment(datetime.date(2003, 6, 1), assessor_ids=[])
        with self.assertRefused(UserError, r"Assessment.*no assessor.*Assessors"):
            assessment.action_start()
        self.assertEqual(assessment.state, "draft")

    def test_assessors_rate_their_own_lines_from_1_to_5(self):
        assessment = self._assessment(datetime.date(2003, 6, 1))
        assessment.action_start()
        mine = assessment.rating_ids.filtered(lambda r: r.assessor_id == self.user_bsc)
        theirs = assessment.rating_ids - mine
        mine[0].with_user(self.user_bsc).level = 4
        self.assertEqual(mine[0].level, 4)
        self.assertEqual(mine[0].rubric, mine[0].block_id.rubric_4)
        with self.assertRefused(AccessError, r"belongs to Bo Second User"):
            theirs[0].with_user(self.user_bsc).level = 2
        for bad in (6, -1):
            with self.assertRefused(
                ValidationError,
                rf"Assessment, building block Vision, assessor Bea Scorecard User: "
                rf"the rating {bad} \(field Level\) is not a level from 1 to 5",
            ):
                mine[0].level = bad
        self.assertEqual(mine[0].level, 4)

    def test_spread_disagreement_gap_and_overall(self):
        assessment = self._assessment(datetime.date(2003, 6, 1))
        assessment.action_start()
        self._rate(
            assessment, {"vision": (2, 4), "metrics": (1, 1), "strategy": (5, 4)}
        )
        vision = self._line(assessment, "vision")
        self.assertEqual(vision.mean_rating, 3.0)
        self.assertEqual(vision.spread, 2)
        self.assertTrue(vision.wide_spread)
        strategy = self._line(assessment, "strategy")
        self.assertEqual(strategy.mean_rating, 4.5)
        self.assertFalse(strategy.wide_spread)
        metrics = self._line(assessment, "metrics")
        self.assertEqual(metrics.gap, 2.0)
        self.assertIn(vision, assessment.line_ids.filtered("wide_spread"))
        self.assertGreaterEqual(assessment.flag_count, 1)
        # vision 3, strategy 4.5, metrics 1, five blocks at 3
        self.assertAlmostEqual(assessment.overall_level, (3 + 4.5 + 1 + 15) / 8, 2)
        self.assertEqual(vision.rubric_current, vision.block_id.rubric_3)

    def test_a_target_below_the_current_level_is_refused(self):
        assessment = self._assessment(datetime.date(2003, 6, 1))
        assessment.action_start()
        self._rate(assessment, {"strategy": (4, 4)})
        strategy = self._line(assessment, "strategy")
        with self.assertRefused(
            ValidationError,
            r"Assessment, building block Strategy: the target 3 .*below the "
            r"current level 4",
        ):
            strategy.target_level = 3
        with self.assertRefused(
            ValidationError, r"target 7 \(field Target\) is not a level"
        ):
            strategy.target_level = 7
        strategy.target_level = 5
        self.assertEqual(strategy.gap, 1.0)

    def test_done_needs_every_rating_and_locks(self):
        assessment = self._assessment(datetime.date(2003, 6, 1))
        assessment.action_start()
        self._rate(assessment, {})
        assessment.rating_ids[0].level = 0
        with self.assertRefused(UserError, r"Bea Scorecard User has not rated Vision"):
            assessment.action_done()
        assessment.rating_ids[0].level = 3
        with self.assertRefused(AccessError, r"Only a scorecard manager"):
            assessment.with_user(self.user_bsc).action_done()
        assessment.with_user(self.user_bsc_manager).action_done()
        self.assertEqual(assessment.state, "done")
        for target, vals, pattern in (
            (assessment, {"name": "Renamed"}, r"field Name, value Renamed"),
            (assessment.line_ids[0], {"target_level": 5}, r"field Target, value 5"),
            (assessment.rating_ids[0], {"level": 1}, r"field Level, value 1"),
        ):
            with self.assertRefused(
                UserError, rf"Assessment is done: it is locked.*{pattern}"
            ):
                target.with_user(self.user_bsc_manager).write(vals)
        with self.assertRefused(UserError, r"is done: it is locked"):
            assessment.unlink()
        with self.assertRefused(UserError, r"is Done: it cannot be set back"):
            assessment.action_reset_draft()
        self.assertEqual(assessment.name, "Assessment")
        # the chatter stays open
        assessment.message_post(body="Discussed with the board.")

    def test_comparison_with_the_previous_assessment(self):
        first = self._assessment(datetime.date(2003, 1, 10), name="First")
        first.action_start()
        self._rate(first, {"vision": (2, 2), "metrics": (4, 4)})
        first.action_done()
        second = self._assessment(datetime.date(2004, 1, 10), name="Second")
        self.assertEqual(second.previous_id, first)
        # a draft assessment is no comparison
        self._assessment(datetime.date(2003, 12, 1), name="Draft in between")
        self.assertEqual(second.previous_id, first)
        second.action_start()
        self._rate(second, {"vision": (4, 3), "metrics": (3, 3)})
        vision = self._line(second, "vision")
        self.assertEqual(vision.previous_mean, 2.0)
        self.assertEqual(vision.change, 1.5)
        self.assertEqual(vision.moved, "up")
        metrics = self._line(second, "metrics")
        self.assertEqual(metrics.moved, "down")
        self.assertEqual(self._line(second, "strategy").moved, "same")
        self.assertAlmostEqual(second.previous_overall, first.overall_level)
        html = str(second.comparison_html)
        self.assertIn("First", html)
        self.assertIn("Vision", html)
        self.assertIn("1.50", html)
        radar = second.radar_data
        self.assertEqual(len(radar["labels"]), 8)
        self.assertEqual(radar["labels"][0], "Vision")
        self.assertEqual(radar["current"][0], 3.5)
        self.assertEqual(radar["previous"][0], 2.0)
        self.assertEqual(radar["target"], [3] * 8)
        self.assertTrue(radar["previous_label"])
        # the first has no previous: the radar has no previous series
        self.assertEqual(first.radar_data["previous"], [])
