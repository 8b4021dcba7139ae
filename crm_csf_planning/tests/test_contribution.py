# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The contribution report against the values the scorecard stores per
salesperson and team, in a company of its own."""

import datetime

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import SQL

from .common import CsfCommon

GROUP_USER = "crm_bsc_scorecard.group_bsc_user"


@tagged("post_install", "-at_install")
class TestContribution(CsfCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.co = cls.env["res.company"].create({"name": "Contribution Company"})
        cls.ann = cls._user("contrib_ann", GROUP_USER, "Ann Contrib", cls.co)
        cls.bob = cls._user("contrib_bob", GROUP_USER, "Bob Contrib", cls.co)
        cls.cat = cls._user("contrib_cat", GROUP_USER, "Cat Contrib", cls.co)
        Team = cls.env["crm.team"]
        cls.team_1 = Team.create(
            {
                "name": "Contrib Team One",
                "company_id": cls.co.id,
                "member_ids": [(6, 0, (cls.ann | cls.bob).ids)],
            }
        )
        cls.team_2 = Team.create(
            {
                "name": "Contrib Team Two",
                "company_id": cls.co.id,
                "member_ids": [(6, 0, cls.cat.ids)],
            }
        )
        cls.period = cls._months(cls.YEAR, 3, 3, company=cls.co)
        cls.indicators = {
            code: cls.env["crm.bsc.indicator"].create(
                {
                    "name": f"Contrib {code}",
                    "code": f"contrib_{code}",
                    "computation": "builtin",
                    "builtin_code": code,
                    "breakdown_by_user": True,
                    "perspective_id": cls.perspective_financial.id,
                    "company_id": cls.co.id,
                }
            )
            for code in (
                "won_revenue",
                "retention_rate",
                "win_rate",
                "first_response_hours",
            )
        }
        figures = {
            "won_revenue": {cls.ann: 100.0, cls.bob: 50.0, cls.cat: 0.0},
            "retention_rate": {cls.ann: 90.0, cls.bob: 80.0},
            "win_rate": {cls.ann: 40.0, cls.bob: 20.0, cls.cat: 30.0},
            "first_response_hours": {cls.ann: 2.0, cls.bob: 10.0, cls.cat: 6.0},
        }
        for code, by_user in figures.items():
            for user, value in by_user.items():
                cls._insert(cls.indicators[code], value, user=user)
        cls._insert(cls.indicators["won_revenue"], 150.0, team=cls.team_1)
        cls._insert(cls.indicators["won_revenue"], 0.0, team=cls.team_2)
        # the company total is no one's contribution
        cls._insert(cls.indicators["won_revenue"], 150.0)
        csf = cls._csf("Contrib factor", company_id=cls.co.id)
        for user, count in ((cls.ann, 2), (cls.cat, 1)):
            for index in range(count):
                cls._action(
                    csf,
                    f"Done {user.name} {index}",
                    user_id=user.id,
                    state="done",
                    date_done=datetime.date(cls.YEAR, 3, 10 + index),
                )
        # done in another month: not counted
        cls._action(
            csf,
            "Done later",
            user_id=cls.bob.id,
            state="done",
            date_done=datetime.date(cls.YEAR, 4, 2),
        )
        cls.weights = cls.env["crm.csf.contribution.weight"].create(
            {
                "company_id": cls.co.id,
                "period_id": cls.period.id,
                "weight_won_revenue": 2.0,
                "weight_actions_done": 0.0,
            }
        )
        cls.Contribution = cls.env["crm.csf.contribution"]
        cls.rows = cls.Contribution._compute_period(cls.co, cls.period)

    @classmethod
    def _insert(cls, indicator, value, user=None, team=None):
        """A value as the engine stores it (computed indicators refuse
        values entered through the ORM)."""
        cls.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_bsc_indicator_value
                    (indicator_id, period_id, company_id, user_id, team_id,
                     has_value, value, status, source)
                VALUES (%s, %s, %s, %s, %s, true, %s, 'unscored', 'computed')
                """,
                indicator.id,
                cls.period.id,
                cls.co.id,
                user.id if user else None,
                team.id if team else None,
                value,
            )
        )

    def _row(self, who):
        field = "user_id" if who._name == "res.users" else "team_id"
        return self.rows.filtered(lambda r, w=who, f=field: r[f] == w)

    def test_the_figures_are_the_stored_values(self):
        ann = self._row(self.ann)
        self.assertEqual(ann.kind, "salesperson")
        self.assertEqual(
            (
                ann.won_revenue,
                ann.retention_rate,
                ann.win_rate,
                ann.first_response_hours,
            ),
            (100.0, 90.0, 40.0, 2.0),
        )
        self.assertEqual(ann.actions_done, 2)
        cat = self._row(self.cat)
        self.assertFalse(cat.has_retention_rate)
        self.assertTrue(cat.has_won_revenue)
        self.assertEqual(cat.actions_done, 1)
        self.assertEqual(self._row(self.bob).actions_done, 0)
        self.assertEqual(len(self.rows.filtered(lambda r: r.kind == "salesperson")), 3)

    def test_the_weighted_normalised_score(self):
        ann, bob, cat = self._row(self.ann), self._row(self.bob), self._row(self.cat)
        self.assertAlmostEqual(ann.score, 100.0)
        self.assertAlmostEqual(ann.coverage, 1.0)
        # bob: revenue 50 (weight 2), the rest 0: 100 / 5
        self.assertAlmostEqual(bob.score_won_revenue, 50.0)
        self.assertAlmostEqual(bob.score, 20.0)
        # cat: no retention; revenue 0 (x2), win rate 50, response 50: 100 / 4
        self.assertAlmostEqual(cat.score_win_rate, 50.0)
        self.assertAlmostEqual(cat.score_first_response_hours, 50.0)
        self.assertAlmostEqual(cat.score, 25.0)
        self.assertAlmostEqual(cat.coverage, 0.8)
        self.assertEqual((ann.rank, cat.rank, bob.rank), (1, 2, 3))
        self.assertEqual(ann.weight_id, self.weights)

    def test_teams(self):
        one, two = self._row(self.team_1), self._row(self.team_2)
        self.assertEqual((one.won_revenue, two.won_revenue), (150.0, 0.0))
        self.assertEqual((one.actions_done, two.actions_done), (2, 1))
        self.assertAlmostEqual(one.score, 100.0)
        self.assertAlmostEqual(two.score, 0.0)
        self.assertAlmostEqual(two.coverage, 2 / 5)

    def test_later_months_keep_the_weights_until_new_ones(self):
        april = self._months(self.YEAR, 4, 4, company=self.co)
        Weight = self.env["crm.csf.contribution.weight"]
        record, weights = Weight._for_period(self.co, april)
        self.assertEqual(record, self.weights)
        self.assertEqual(weights["won_revenue"], 2.0)
        record, weights = Weight._for_period(
            self.co, self._months(self.YEAR, 1, 1, company=self.co)
        )
        self.assertFalse(record)
        self.assertEqual(set(weights.values()), {1.0})
        # recomputing replaces the month's rows
        again = self.Contribution._compute_period(self.co, self.period)
        self.assertEqual(len(again), len(self.rows))
        self.assertFalse(self.rows.exists())

    def test_bad_weights_are_refused(self):
        with self.assertRefused(
            ValidationError, r"2003-03.*weight -1.0 \(field Win Rate\)"
        ):
            self.weights.weight_win_rate = -1.0
        with self.assertRefused(ValidationError, r"2003-03.*every weight is 0"):
            self.weights.write(
                {
                    "weight_won_revenue": 0.0,
                    "weight_retention_rate": 0.0,
                    "weight_win_rate": 0.0,
                    "weight_first_response_hours": 0.0,
                }
            )
        self.assertEqual(self.weights.weight_won_revenue, 2.0)

    def test_each_person_sees_their_own_line(self):
        rows = self.Contribution.with_user(self.ann).with_company(self.co).search([])
        self.assertEqual(rows.user_id, self.ann)
        self.assertEqual(set(rows.mapped("kind")), {"salesperson"})
        manager = self._user(
            "contrib_manager",
            "crm_bsc_scorecard.group_bsc_manager",
            "Max Contrib",
            self.co,
        )
        everything = (
            self.Contribution.with_user(manager).with_company(self.co).search([])
        )
        self.assertEqual(everything, self.rows)
        # the first company's manager sees none of them
        self.assertFalse(
            self.Contribution.with_user(self.user_bsc_manager).search(
                [("id", "in", self.rows.ids)]
            )
        )

    def test_a_user_cannot_compute_the_report(self):
        with self.assertRefused(Exception, r"Only a scorecard manager"):
            self.Contribution.with_user(self.ann).action_compute_current()
        with self.assertRefused(Exception, r"Only a scorecard manager"):
            self.weights.with_user(self.ann).action_compute()
