# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The upgrade from 18.0.1.0.0, where the seven strategic factors were
success factors without a category (the full upgrade of a database of that
version is tests/integration/test_csf_upgrade.py)."""

from odoo.tests import tagged
from odoo.tools import SQL

from .common import CsfCommon


@tagged("post_install", "-at_install")
class TestMigration(CsfCommon):
    def test_factors_get_the_category_of_their_code(self):
        staff = self._csf("Staff development (old)", code="staff", sequence=40)
        child = self._csf("Coaching (old)", "department", staff)
        orphan = self._csf("Something else (old)")
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE crm_csf SET category_id = NULL WHERE id IN %s",
                tuple((staff | child | orphan).ids),
            )
        )
        self.env["crm.csf"].invalidate_model()
        before = staff.read(["name", "level", "sequence", "description", "company_id"])
        migrated = self.env["crm.csf"]._migrate_categories()
        self.assertEqual(migrated, staff | child | orphan)
        self.assertEqual(
            staff.category_id, self.env.ref("crm_csf_planning.category_staff")
        )
        self.assertEqual(child.category_id, staff.category_id)
        self.assertEqual(orphan.category_id, self.category_planning)
        # nothing else changed
        self.assertEqual(
            staff.read(["name", "level", "sequence", "description", "company_id"]),
            before,
        )
        self.assertEqual(child.parent_id, staff)
        self.assertFalse(self.env["crm.csf"].search([("category_id", "=", False)]))
