# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The customers at risk in the manager's view: the workbook's sheet and
the dashboard's list, against the stored scores, with the user's rights."""

import io

import openpyxl
from freezegun import freeze_time

from odoo.tests import tagged

from ..tools import xlsx_customers
from .test_manager_view import ManagerViewCommon

HUGE = 1e12  # predicted lifetime values above any other customer's


@tagged("post_install", "-at_install")
class TestCustomersAtRiskView(ManagerViewCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key_accounts = cls._segment("MV Key accounts")
        Model = cls.env["crm.customer.model"]
        cls.model = Model.search(
            [("company_id", "=", cls.company.id), ("segment_id", "=", False)], limit=1
        ) or Model.create({"company_id": cls.company.id})
        cls.model_2 = Model.create({"company_id": cls.company_2.id})
        cls.big = cls._partner("MV Big at risk", user_id=cls.user_salesman.id)
        cls.small = cls._partner("MV Small at risk")
        cls.medium = cls._partner("MV Medium risk")
        cls.archived = cls._partner("MV Archived at risk")
        cls.elsewhere = cls._partner("MV At risk elsewhere")
        cls.hidden = cls._partner("MV Hidden contact", company_id=cls.company_2.id)
        cls.scores = {}
        for partner, band, clv, company, segment in (
            (cls.big, "high", 3 * HUGE, cls.company, cls.key_accounts),
            (cls.small, "high", 2 * HUGE, cls.company, None),
            (cls.medium, "medium", 4 * HUGE, cls.company, None),
            (cls.archived, "high", 5 * HUGE, cls.company, None),
            (cls.elsewhere, "high", 6 * HUGE, cls.company_2, None),
            # a contact of the other company scored in this one: the user
            # cannot read the contact, nor its score
            (cls.hidden, "high", 7 * HUGE, cls.company, None),
        ):
            cls.scores[partner] = cls.env["crm.customer.score"].create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "model_id": (
                        cls.model if company == cls.company else cls.model_2
                    ).id,
                    "segment_id": segment.id if segment else False,
                    "user_id": partner.user_id.id,
                    "risk_band": band,
                    "lifecycle_stage": "at_risk",
                    "p_alive": 0.18,
                    "churn_propensity": 0.82,
                    "expected_purchases_90d": 0.05,
                    "predicted_clv": clv,
                    "total_value": 4200.0,
                    "transaction_count": 5,
                    "last_date": f"{cls.YEAR}-03-01",
                    "recency_days": 276,
                    "rfm_code": "145",
                }
            )
        cls.archived.active = False

    def _sheet(self, scorecards, user=None):
        user = user or self.user_bsc
        with freeze_time(f"{self.YEAR}-12-02"):
            content, _name = (
                scorecards.with_user(user).with_context(lang=user.lang)._export_xlsx()
            )
        book = openpyxl.load_workbook(io.BytesIO(content))
        ws = book["Customers at Risk"]
        header_row = xlsx_customers.HEADER_ROW + 1
        headers = {
            ws.cell(header_row, col).value: col
            for col in range(1, ws.max_column + 1)
            if ws.cell(header_row, col).value
        }
        rows = [
            {name: ws.cell(row, col).value for name, col in headers.items()}
            for row in range(header_row + 1, ws.max_row + 1)
            if ws.cell(row, 1).value
        ]
        return ws, rows

    def test_the_sheet_lists_what_the_user_reads_most_value_first(self):
        _ws, rows = self._sheet(self.scorecard)
        Score = self.env["crm.customer.score"].with_user(self.user_bsc)
        expected = Score.search(
            [
                ("risk_band", "=", "high"),
                ("partner_active", "=", True),
                ("company_id", "=", self.company.id),
            ],
            order="predicted_clv desc nulls last, churn_propensity desc nulls last, id",
        )
        self.assertEqual(
            [row["Customer"] for row in rows],
            expected.partner_id.mapped("display_name"),
        )
        names = [row["Customer"] for row in rows]
        # the two customers at risk, most predicted lifetime value first
        self.assertEqual(names[:2], ["MV Big at risk", "MV Small at risk"])
        # not the medium band, an archived contact, another company's, nor a
        # contact the user cannot read
        for partner in (self.medium, self.archived, self.elsewhere, self.hidden):
            self.assertNotIn(partner.name, names)
        big = rows[0]
        score = self.scores[self.big]
        self.assertEqual(big["Salesperson"], self.user_salesman.name)
        self.assertEqual(big["Segment"], "MV Key accounts")
        self.assertAlmostEqual(big["Churn propensity"], 100 * score.churn_propensity)
        self.assertAlmostEqual(big["Probability alive"], 100 * score.p_alive)
        self.assertEqual(big["Predicted lifetime value"], score.predicted_clv)
        self.assertEqual(big["Transactions"], 5)
        self.assertEqual(big["Last transaction"].date(), score.last_date)
        self.assertEqual(big["RFM"], "145")
        self.assertEqual(rows[1]["Salesperson"], "(none)")

    def test_a_segment_scorecard_lists_its_segment(self):
        segment_card = self._scorecard(
            "MV Key accounts card", segment_id=self.key_accounts.id, state="active"
        )
        ws, rows = self._sheet(segment_card)
        self.assertEqual([row["Customer"] for row in rows], ["MV Big at risk"])
        self.assertIn("high risk band: 1,", ws["A2"].value)

    def test_the_other_company_sees_its_own(self):
        card_2 = self._scorecard("MV Second card", company_id=self.company_2.id)
        _ws, rows = self._sheet(card_2, self.user_manager_2)
        names = [row["Customer"] for row in rows]
        self.assertEqual(names, ["MV At risk elsewhere"])

    def test_the_dashboard_lists_them_with_their_salesperson(self):
        with freeze_time(f"{self.YEAR}-12-02"):
            data = (
                self.env["crm.bsc.scorecard"]
                .with_user(self.user_bsc)
                .get_dashboard_data()
            )
        at_risk = data["at_risk"]
        Score = self.env["crm.customer.score"].with_user(self.user_bsc)
        total = Score.search_count(
            [
                ("risk_band", "=", "high"),
                ("partner_active", "=", True),
                ("company_id", "=", self.company.id),
            ]
        )
        self.assertEqual(at_risk["total"], total)
        self.assertLessEqual(len(at_risk["rows"]), 10)
        first, second = at_risk["rows"][:2]
        self.assertEqual(first["id"], self.scores[self.big].id)
        self.assertEqual(first["customer"], "MV Big at risk")
        self.assertEqual(first["salesperson"], self.user_salesman.name)
        self.assertAlmostEqual(first["churn"], 0.82)
        self.assertEqual(second["id"], self.scores[self.small].id)
        self.assertNotIn(
            self.scores[self.hidden].id, [row["id"] for row in at_risk["rows"]]
        )
        # the row opens a record the user reads
        self.env["crm.customer.score"].with_user(self.user_bsc).browse(
            first["id"]
        ).check_access("read")
        with freeze_time(f"{self.YEAR}-12-02"):
            data_2 = (
                self.env["crm.bsc.scorecard"]
                .with_user(self.user_manager_2)
                .get_dashboard_data()
            )
        self.assertEqual(
            [row["customer"] for row in data_2["at_risk"]["rows"]],
            ["MV At risk elsewhere"],
        )
