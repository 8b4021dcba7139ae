# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields, http
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestScorecardUi(HttpCase):
    """The scorecard screens in a real browser (headless Chromium)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Read every addon's manifest now, in one thread: left to the first
        # requests of the browser, several server threads parse them at
        # once, and Python 3.11's ast module is not safe for that
        # (cpython#106905: "AST constructor recursion depth mismatch").
        cls.statics = http.root.statics

    def test_scorecard_tour(self):
        Period = self.env["crm.bsc.period"]
        today = fields.Date.today()
        current = Period._generate("month", today, today)
        last_month = current.date_from - timedelta(days=1)
        previous = Period._generate("month", last_month, last_month)
        self.env["crm.contact.channel"].create(
            {"name": "Tour Unwatched", "code": "tour_unwatched"}
        )
        indicator = self.env["crm.bsc.indicator"].create(
            {
                "name": "Tour retention",
                "code": "tour_retention",
                "unit": "percent",
                "perspective_id": self.env.ref(
                    "crm_bsc_scorecard.perspective_customer"
                ).id,
            }
        )
        self.env["crm.bsc.scorecard"].create(
            {
                "name": "Tour Scorecard",
                "state": "active",
                "line_ids": [
                    fields.Command.create(
                        {"indicator_id": indicator.id, "target": 90.0}
                    )
                ],
            }
        )
        Value = self.env["crm.bsc.indicator.value"]
        for period, number in ((previous, 80.0), (current, 85.0)):
            Value.create(
                {"indicator_id": indicator.id, "period_id": period.id, "value": number}
            )
        self.start_tour(
            "/odoo/action-crm_bsc_scorecard.crm_bsc_scorecard_action",
            "crm_bsc_scorecard_tour",
            login="admin",
        )
