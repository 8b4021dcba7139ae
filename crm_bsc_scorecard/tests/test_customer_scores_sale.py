# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Customer scores from confirmed sale orders (Sales installed; skipped
elsewhere): a confirmed order scores its customer, a cancelled one is taken
back, both within one run of the rescoring action."""

import datetime
import unittest

from odoo.modules.registry import Registry
from odoo.tests import get_db_name, tagged
from odoo.tools import SQL

from .analytics_common import AnalyticsCommon


@tagged("post_install", "-at_install")
class TestCustomerScoresSaleOrders(AnalyticsCommon):
    POPULATION = 0

    @classmethod
    def setUpClass(cls):
        if "sale.order" not in Registry(get_db_name()):
            raise unittest.SkipTest("Sales is not installed in this database")
        super().setUpClass()
        cls.company_b.bsc_transaction_source = "sale_orders"
        cls.product = cls.env["product.product"].create(
            {"name": "CLV service", "type": "service", "list_price": 1.0}
        )
        cls.buyer = cls._partner("CLV buyer", email=False)
        cls.o1 = cls._order(cls.buyer, 100, -60)
        cls.o2 = cls._order(cls.buyer, 300, -20)

    @classmethod
    def _order(cls, partner, amount, day, confirm=True):
        order = (
            cls.env["sale.order"]
            .with_company(cls.company_b)
            .create(
                {
                    "company_id": cls.company_b.id,
                    "partner_id": partner.id,
                    "user_id": cls.seller.id,
                    "order_line": [
                        (
                            0,
                            0,
                            {
                                "product_id": cls.product.id,
                                "product_uom_qty": 1,
                                "price_unit": amount,
                                "tax_id": [(5, 0, 0)],
                            },
                        )
                    ],
                }
            )
        )
        if confirm:
            order.action_confirm()
        cls.env.flush_all()
        cls.env.cr.execute(
            SQL(
                "UPDATE sale_order SET date_order = %s WHERE id = %s",
                datetime.datetime.combine(cls._day(day), datetime.time(10, 0)),
                order.id,
            )
        )
        order.invalidate_recordset(["date_order"])
        return order

    def test_orders_are_the_transactions(self):
        self.Score._fit_and_score_company(self.company_b)
        score = self.score_of(self.buyer, self.company_b)
        self.assertEqual(score.transaction_count, 2)
        self.assertAlmostEqual(score.total_value, 400.0)
        self.assertEqual(score.last_date, self._day(-20))
        # the won opportunities of company A are not company B's transactions
        self.assertFalse(self.score_of(self.h1, self.company_b))

    def test_rescored_after_a_confirmed_and_a_cancelled_order(self):
        self.Score._fit_and_score_company(self.company_b)
        # the first look only notes the time: the full run took every order
        self.Score._cron_rescore_changed()
        newcomer = self._partner("CLV newcomer", email=False)
        self._order(newcomer, 50, 0)
        self.o2._action_cancel()
        self.env.flush_all()
        self.Score._cron_rescore_changed()
        score = self.score_of(self.buyer, self.company_b)
        self.assertEqual(score.transaction_count, 1)
        self.assertAlmostEqual(score.total_value, 100.0)
        self.assertEqual(self.score_of(newcomer, self.company_b).transaction_count, 1)
        # a quotation is no transaction
        quote = self._partner("CLV quote", email=False)
        self._order(quote, 70, 0, confirm=False)
        self.Score._cron_rescore_changed()
        self.assertFalse(self.score_of(quote, self.company_b))
