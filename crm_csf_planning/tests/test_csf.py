# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCsf(TransactionCase):
    def test_addon_installed_and_menu_loads(self):
        module = self.env["ir.module.module"].search(
            [("name", "=", "crm_csf_planning")]
        )
        self.assertEqual(module.state, "installed")
        menu = self.env.ref("crm_csf_planning.crm_csf_menu")
        menus = (
            self.env["ir.ui.menu"]
            .with_user(self.env.ref("base.user_admin"))
            .load_menus(debug=False)
        )
        self.assertIn(menu.id, menus)

    def test_seven_strategic_factors_seeded(self):
        strategic = self.env["crm.csf"].search(
            [("level", "=", "enterprise"), ("code", "!=", False)]
        )
        self.assertEqual(len(strategic), 7)
        self.assertEqual(strategic[-1].code, "contribution")

    def test_lower_level_supports_higher_level(self):
        planning = self.env.ref("crm_csf_planning.csf_planning")
        department = self.env["crm.csf"].create(
            {
                "name": "Sales plans per team",
                "level": "department",
                "parent_id": planning.id,
            }
        )
        workgroup = self.env["crm.csf"].create(
            {
                "name": "Weekly pipeline review",
                "level": "workgroup",
                "parent_id": department.id,
            }
        )
        self.assertEqual(planning.child_ids, department)
        self.assertEqual(workgroup.level_rank, 2)
        other = self.env["crm.csf"].create(
            {"name": "Unified contact", "level": "enterprise"}
        )
        with self.assertRaisesRegex(ValidationError, "lower level"):
            other.parent_id = workgroup
        with self.assertRaisesRegex(ValidationError, "cannot support itself"):
            department.parent_id = workgroup
