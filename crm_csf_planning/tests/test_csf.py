# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CsfCommon


@tagged("post_install", "-at_install")
class TestCsf(CsfCommon):
    def test_menus_load(self):
        menus = (
            self.env["ir.ui.menu"]
            .with_user(self.env.ref("base.user_admin"))
            .load_menus(debug=False)
        )
        for xml_id in (
            "crm_csf_menu_root",
            "crm_csf_menu",
            "crm_csf_tree_menu",
            "crm_csf_heatmap_menu",
            "crm_csf_action_menu",
            "crm_process_menu",
            "crm_process_question_menu",
            "crm_building_block_menu",
            "crm_maturity_assessment_menu",
            "crm_csf_contribution_menu",
        ):
            self.assertIn(self.env.ref(f"crm_csf_planning.{xml_id}").id, menus, xml_id)
        # a scorecard user sees the planning menu, an employee does not
        user_menus = self.env["ir.ui.menu"].with_user(self.user_bsc).load_menus(False)
        self.assertIn(self.env.ref("crm_csf_planning.crm_csf_menu").id, user_menus)
        employee_menus = (
            self.env["ir.ui.menu"].with_user(self.user_employee).load_menus(False)
        )
        self.assertNotIn(
            self.env.ref("crm_csf_planning.crm_csf_menu_root").id, employee_menus
        )

    def test_seven_strategic_categories_seeded(self):
        categories = self.env["crm.csf.category"].search([("code", "!=", False)])
        self.assertEqual(
            categories.mapped("code"),
            [
                "planning",
                "communications",
                "technology",
                "staff",
                "protection",
                "development",
                "contribution",
            ],
        )
        self.assertTrue(all(categories.mapped("description")))
        self.assertFalse(categories.company_id, "shared between companies")

    def test_demo_has_an_enterprise_factor_per_category(self):
        if not self.env.ref("crm_csf_planning.csf_planning", raise_if_not_found=False):
            self.skipTest("without demo data")
        enterprise = self.env["crm.csf"].search([("level", "=", "enterprise")])
        self.assertLessEqual(
            self.env["crm.csf.category"].search([("code", "!=", False)]),
            enterprise.category_id,
        )
        self.assertEqual(
            self.env.ref("crm_csf_planning.csf_contribution").category_id.code,
            "contribution",
        )

    def test_lower_level_serves_higher_level(self):
        planning = self._csf("Plan")
        department = self._csf("Sales plans per team", "department", planning)
        workgroup = self._csf("Weekly pipeline review", "workgroup", department)
        self.assertEqual(planning.child_ids, department)
        self.assertEqual(workgroup.level_rank, 2)
        # the category follows the factor served
        self.assertEqual(workgroup.category_id, self.category_planning)
        # a workgroup may serve the enterprise directly
        direct = self._csf("Direct", "workgroup", planning)
        self.assertEqual(direct.parent_id, planning)

    def test_levels_must_descend(self):
        planning = self._csf("Plan")
        department = self._csf("Dept", "department", planning)
        workgroup = self._csf("Group", "workgroup", department)
        other = self._csf("Unified contact")
        with self.assertRefused(
            ValidationError, r"Unified contact.*Group.*lower level"
        ):
            other.parent_id = workgroup
        self.assertFalse(other.parent_id, "nothing written")
        # same level: refused
        with self.assertRefused(ValidationError, r"Dept2.*Department.*Dept"):
            self._csf("Dept2", "department", department)
        # an enterprise factor cannot serve another enterprise factor
        with self.assertRefused(ValidationError, r"Enterprise"):
            other.parent_id = planning
        # raising the level of a factor with children breaks their order
        with self.assertRefused(ValidationError, r"Group.*Dept"):
            department.level = "workgroup"
        self.assertEqual(department.level, "department")

    def test_a_cycle_is_refused(self):
        a = self._csf("A", "department")
        b = self._csf("B", "workgroup", a)
        with self.assertRefused(ValidationError, r"cannot serve itself|higher level"):
            a.write({"parent_id": b.id, "level": "workgroup"})
        self.assertFalse(a.parent_id)

    def test_category_is_required_and_weights_not_negative(self):
        with self.assertRefused(ValidationError, r"no category.*Category"):
            self.env["crm.csf"].create({"name": "Nameless", "category_id": False})
        csf = self._csf("Plan")
        with self.assertRefused(ValidationError, r"Plan.*weight -1.*Weight"):
            csf.weight = -1
        with self.assertRefused(ValidationError, r"Plan.*People \(FTE\) -2"):
            csf.fte = -2
        with self.assertRefused(ValidationError, r"Plan.*target date .* before"):
            csf.write({"date_start": "2003-05-01", "date_target": "2003-01-01"})

    def test_create_enterprise_factors_from_categories(self):
        company = self.env["res.company"].create({"name": "CSF Fresh Company"})
        categories = self.env["crm.csf.category"].search([("code", "!=", False)])
        Category = categories.with_company(company).with_context(
            allowed_company_ids=company.ids
        )
        action = Category.action_create_enterprise_csfs()
        created = self.env["crm.csf"].search(action["domain"])
        self.assertEqual(len(created), 7)
        self.assertEqual(created.company_id, company)
        self.assertEqual(set(created.mapped("level")), {"enterprise"})
        # twice: nothing more
        again = Category.action_create_enterprise_csfs()
        self.assertEqual(len(self.env["crm.csf"].search(again["domain"])), 7)
        with self.assertRefused(Exception, r"scorecard manager"):
            categories.with_user(self.user_bsc).action_create_enterprise_csfs()
