# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CsfCommon


@tagged("post_install", "-at_install")
class TestPlanningAccess(CsfCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.csf = cls._csf("Access factor", owner_id=cls.user_bsc.id)
        cls.csf_2 = cls._csf(
            "Second company factor",
            company_id=cls.company_2.id,
            owner_id=cls.user_manager_2.id,
        )
        cls.assessment = cls.env["crm.maturity.assessment"].create(
            {"name": "Access assessment", "date": "2003-02-01"}
        )
        cls.assessment_2 = cls.env["crm.maturity.assessment"].create(
            {
                "name": "Second assessment",
                "date": "2003-02-01",
                "company_id": cls.company_2.id,
            }
        )

    def test_employees_and_salesmen_see_nothing(self):
        for user in (self.user_employee, self.user_salesman):
            for model in (
                "crm.csf",
                "crm.csf.category",
                "crm.csf.action",
                "crm.process",
                "crm.process.question",
                "crm.building.block",
                "crm.maturity.assessment",
                "crm.maturity.rating",
                "crm.csf.contribution",
            ):
                with (
                    self.subTest(user=user.login, model=model),
                    self.assertRaises(AccessError),
                ):
                    self.env[model].with_user(user).search([])

    def test_scorecard_users_read_and_work_on_what_is_theirs(self):
        user = self.user_bsc
        for model in (
            "crm.csf",
            "crm.csf.category",
            "crm.csf.action",
            "crm.process",
            "crm.process.question",
            "crm.building.block",
            "crm.maturity.assessment",
            "crm.maturity.assessment.line",
            "crm.csf.contribution.weight",
        ):
            with self.subTest(model=model):
                self.assertTrue(
                    self.env[model].with_user(user).check_access("read") is None
                )
        # their own factor: yes; somebody else's: no
        mine = (
            self.env["crm.csf"]
            .with_user(user)
            .create({"name": "My own factor", "category_id": self.category_planning.id})
        )
        self.assertEqual(mine.owner_id, user)
        with self.assertRaises(AccessError):
            self.env["crm.csf"].with_user(user).create(
                {
                    "name": "For someone else",
                    "category_id": self.category_planning.id,
                    "owner_id": self.user_bsc_2.id,
                }
            )
        with self.assertRaises(AccessError):
            mine.unlink()
        # definitions are the managers'
        for model, vals in (
            ("crm.csf.category", {"name": "Mine"}),
            ("crm.process", {"name": "Mine"}),
            ("crm.building.block", {"name": "Mine"}),
            ("crm.maturity.assessment", {"name": "Mine"}),
        ):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(user).create(vals)
        with self.assertRaises(AccessError):
            self.assessment.with_user(user).name = "Renamed"

    def test_managers_change_everything_of_their_companies(self):
        manager = self.user_bsc_manager
        self.csf.with_user(manager).name = "Renamed by the manager"
        category = (
            self.env["crm.csf.category"].with_user(manager).create({"name": "Partners"})
        )
        self.assertEqual(category.name, "Partners")
        self.assessment.with_user(manager).write(
            {"assessor_ids": [Command.set(self.user_bsc.ids)]}
        )

    def test_multi_company(self):
        Csf = self.env["crm.csf"]
        self.assertNotIn(self.csf_2, Csf.with_user(self.user_bsc).search([]))
        self.assertNotIn(self.csf_2, Csf.with_user(self.user_bsc_manager).search([]))
        seen_2 = Csf.with_user(self.user_manager_2).search([])
        self.assertIn(self.csf_2, seen_2)
        self.assertNotIn(self.csf, seen_2)
        Assessment = self.env["crm.maturity.assessment"]
        self.assertEqual(
            Assessment.with_user(self.user_manager_2).search(
                [("id", "in", (self.assessment | self.assessment_2).ids)]
            ),
            self.assessment_2,
        )
        with self.assertRaises(AccessError):
            self.csf_2.with_user(self.user_bsc_manager).read(["name"])
        # the lines and ratings of an assessment follow its company
        lines = self.env["crm.maturity.assessment.line"].with_user(self.user_manager_2)
        self.assertEqual(lines.search([]).company_id, self.company_2)
        # shared definitions are seen by both companies
        for user in (self.user_bsc_manager, self.user_manager_2):
            self.assertEqual(
                self.env["crm.building.block"]
                .with_user(user)
                .search_count([("code", "!=", False)]),
                8,
            )

    def test_a_factor_of_another_company_cannot_be_served(self):
        with self.assertRaises(UserError):
            self._csf("Cross company", "department", self.csf_2)

    def test_a_committed_factor_cannot_be_deleted(self):
        self.csf.write({"state": "committed"})
        with self.assertRefused(
            UserError, r"Access factor is Committed.*cannot be deleted"
        ):
            self.csf.unlink()
