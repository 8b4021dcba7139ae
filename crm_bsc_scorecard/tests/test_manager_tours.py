# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The manager's view in a real browser (headless Chromium): the dashboard
and a customer at risk, a scorecard, its strategy map, an objective,
another period and back; an export from the scorecard list."""

import time
from datetime import timedelta
from unittest.mock import patch

from odoo import fields, http
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestManagerTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # manifests read in one thread (see test_ui)
        cls.statics = http.root.statics
        Period = cls.env["crm.bsc.period"]
        today = fields.Date.today()
        months = []
        day = today
        for _index in range(8):
            months.append(Period._generate("month", day, day))
            day = months[-1].date_from - timedelta(days=1)
        months.reverse()
        customer = cls.env.ref("crm_bsc_scorecard.perspective_customer")
        financial = cls.env.ref("crm_bsc_scorecard.perspective_financial")
        Objective = cls.env["crm.bsc.objective"]
        keep = Objective.create(
            {"name": "Tour Keep customers", "perspective_id": customer.id}
        )
        grow = Objective.create(
            {
                "name": "Tour Grow revenue",
                "perspective_id": financial.id,
                "driver_objective_ids": [(6, 0, keep.ids)],
            }
        )
        Indicator = cls.env["crm.bsc.indicator"]
        retention = Indicator.create(
            {
                "name": "Tour map retention",
                "code": "tour_map_retention",
                "unit": "percent",
                "objective_id": keep.id,
            }
        )
        revenue = Indicator.create(
            {
                "name": "Tour map revenue",
                "code": "tour_map_revenue",
                "objective_id": grow.id,
            }
        )
        cls.scorecard = cls.env["crm.bsc.scorecard"].create(
            {
                "name": "Tour Map Scorecard",
                "state": "active",
                "line_ids": [
                    fields.Command.create(
                        {"indicator_id": retention.id, "target": 90.0}
                    ),
                    fields.Command.create(
                        {"indicator_id": revenue.id, "target": 100.0}
                    ),
                ],
            }
        )
        # a customer at risk, with its salesperson, on the dashboard
        seller = cls.env["res.users"].create(
            {
                "name": "Tour Seller",
                "login": "tour_seller",
                "groups_id": [
                    (6, 0, [cls.env.ref("sales_team.group_sale_salesman").id])
                ],
            }
        )
        company = cls.env.ref("base.main_company")
        customer = cls.env["res.partner"].create(
            {"name": "Tour Customer at risk", "is_company": True, "user_id": seller.id}
        )
        Model = cls.env["crm.customer.model"]
        model = Model.search(
            [("company_id", "=", company.id), ("segment_id", "=", False)], limit=1
        ) or Model.create({"company_id": company.id})
        cls.at_risk = cls.env["crm.customer.score"].create(
            {
                "partner_id": customer.id,
                "company_id": company.id,
                "model_id": model.id,
                "user_id": seller.id,
                "risk_band": "high",
                "lifecycle_stage": "at_risk",
                "p_alive": 0.1,
                "churn_propensity": 0.9,
                # above any demo customer's: first in the list
                "predicted_clv": 1e12,
                "total_value": 5000.0,
                "transaction_count": 3,
                "last_date": today - timedelta(days=200),
            }
        )
        Value = cls.env["crm.bsc.indicator.value"]
        for index, period in enumerate(months):
            Value.create(
                {
                    "indicator_id": retention.id,
                    "period_id": period.id,
                    "value": 80.0 + index,
                }
            )
            Value.create(
                {
                    "indicator_id": revenue.id,
                    "period_id": period.id,
                    "value": 70.0 + 3 * index,
                }
            )

    def test_strategy_map_tour(self):
        self.start_tour(
            "/odoo/action-crm_bsc_scorecard.crm_bsc_dashboard_action",
            "crm_bsc_strategy_map_tour",
            login="admin",
        )

    def test_export_tour(self):
        Scorecard = self.registry["crm.bsc.scorecard"]
        original = Scorecard._export_xlsx
        exported = []

        def spy(records):
            result = original(records)
            exported.append((records.ids, len(result[0])))
            return result

        with patch.object(Scorecard, "_export_xlsx", spy):
            self.start_tour(
                "/odoo/action-crm_bsc_scorecard.crm_bsc_scorecard_action?view_type=list",
                "crm_bsc_export_tour",
                login="admin",
            )
            # the download is a request of its own: wait for it
            deadline = time.monotonic() + 20
            while not exported and time.monotonic() < deadline:
                time.sleep(0.2)
        self.assertEqual([ids for ids, _size in exported], [self.scorecard.ids])
        self.assertGreater(exported[0][1], 5000)
