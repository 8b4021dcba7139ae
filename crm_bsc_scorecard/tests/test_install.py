# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_perspectives_seeded(self):
        kinds = self.env["crm.bsc.perspective"].search([]).mapped("kind")
        for kind in ("financial", "customer", "internal", "learning"):
            self.assertIn(kind, kinds)

    def test_menus_load(self):
        menu = self.env.ref("crm_bsc_scorecard.crm_bsc_perspective_menu")
        self.assertEqual(menu.action.res_model, "crm.bsc.perspective")
        # The whole menu tree of an administrator loads, ours included.
        menus = (
            self.env["ir.ui.menu"]
            .with_user(self.env.ref("base.user_admin"))
            .load_menus(debug=False)
        )
        self.assertIn(menu.id, menus)
