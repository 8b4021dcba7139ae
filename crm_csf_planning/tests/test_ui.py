# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime

from odoo import Command, http
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPlanningUi(HttpCase):
    """The CSF tree, an assessment's radar and the heatmap in a real browser
    (headless Chromium)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # read every addon's manifest now, in one thread (see the scorecard's
        # test_ui: Python 3.11's ast module is not thread-safe)
        cls.statics = http.root.statics

    def _period(self, month):
        Period = self.env["crm.bsc.period"]
        start = datetime.date(2003, month, 1)
        end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(
            days=1
        )
        return Period.search(
            [("period_type", "=", "month"), ("date_from", "=", start)]
        ) or Period.create(
            {
                "name": f"2003-{month:02d}",
                "period_type": "month",
                "date_from": start,
                "date_to": end,
            }
        )

    def test_planning_tour(self):
        env = self.env
        category = env["crm.csf.category"].create({"name": "Tour Category"})
        perspective = env.ref("crm_bsc_scorecard.perspective_customer")
        Indicator = env["crm.bsc.indicator"]
        results = Indicator.create(
            {
                "name": "Tour conversion",
                "code": "tour_conversion",
                "perspective_id": perspective.id,
            }
        )
        driver = Indicator.create(
            {
                "name": "Tour visits",
                "code": "tour_visits",
                "indicator_type": "leading",
                "perspective_id": perspective.id,
            }
        )
        period = self._period(5)
        Value = env["crm.bsc.indicator.value"]
        Value.create(
            {"indicator_id": results.id, "period_id": period.id, "value": 30.0}
        )
        Value.create(
            {"indicator_id": driver.id, "period_id": period.id, "value": 100.0}
        )
        own = {"has_own_target": True, "own_target": 100.0}
        enterprise = env["crm.csf"].create(
            {
                "name": "Tour Enterprise Factor",
                "category_id": category.id,
                "indicator_line_ids": [
                    Command.create({"indicator_id": driver.id, **own})
                ],
            }
        )
        env["crm.csf"].create(
            {
                "name": "Tour Department Factor",
                "level": "department",
                "parent_id": enterprise.id,
                "indicator_line_ids": [
                    Command.create({"indicator_id": results.id, **own})
                ],
            }
        )
        self.assertEqual(enterprise.health_status, "at_risk")
        assessors = env.ref("base.user_admin") | env.ref("base.user_demo")
        Assessment = env["crm.maturity.assessment"]
        previous = Assessment.create(
            {
                "name": "Tour Previous",
                "date": "2003-01-15",
                "assessor_ids": [Command.set(assessors.ids)],
            }
        )
        previous.action_start()
        previous.rating_ids.level = 2
        previous.action_done()
        current = Assessment.create(
            {
                "name": "Tour Assessment",
                "date": "2003-09-15",
                "assessor_ids": [Command.set(assessors.ids)],
            }
        )
        current.action_start()
        current.rating_ids.level = 3
        # the assessors disagree on one block
        current.rating_ids[0].level = 5
        self.start_tour(
            "/odoo/action-crm_csf_planning.crm_csf_tree_action",
            "crm_csf_planning_tour",
            login="admin",
        )
