# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Export to Excel in a real browser (headless Chromium): the CSF register
from its list, an assessment from its form."""

import time
from unittest.mock import patch

from odoo import Command, http
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPlanningExportTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # manifests read in one thread (see the scorecard's test_ui)
        cls.statics = http.root.statics
        env = cls.env
        cls.csf = env["crm.csf"].create(
            {
                "name": "Tour Export Factor",
                "category_id": env.ref("crm_csf_planning.category_planning").id,
            }
        )
        cls.assessment = env["crm.maturity.assessment"].create(
            {
                "name": "Tour Export Assessment",
                "date": "2003-10-01",
                "assessor_ids": [Command.set(env.ref("base.user_admin").ids)],
            }
        )
        cls.assessment.action_start()
        cls.assessment.rating_ids.level = 2

    def test_export_tour(self):
        exported = []

        def spy(model):
            original = self.registry[model]._export_xlsx

            def export(records):
                result = original(records)
                exported.append((records._name, records.ids, len(result[0])))
                return result

            return patch.object(self.registry[model], "_export_xlsx", export)

        with spy("crm.csf"), spy("crm.maturity.assessment"):
            self.start_tour(
                "/odoo/action-crm_csf_planning.crm_csf_action?view_type=list",
                "crm_csf_export_tour",
                login="admin",
            )
            # the downloads are requests of their own: wait for them
            deadline = time.monotonic() + 20
            while len(exported) < 2 and time.monotonic() < deadline:
                time.sleep(0.2)
        self.assertEqual(
            sorted((model, ids) for model, ids, _size in exported),
            [
                ("crm.csf", self.csf.ids),
                ("crm.maturity.assessment", self.assessment.ids),
            ],
        )
        self.assertTrue(all(size > 3000 for _model, _ids, size in exported))
