# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Confirmed sale orders as customer transactions (Sales installed).

Runs on a database where ``sale`` is installed (``setup/test.sh`` makes one
next to the database without it); skipped elsewhere. Company A counts
confirmed sale orders instead of won opportunities; on top of the hand-built
CRM of ``engine_common`` it has these orders (untaxed amounts; the order
currency's rate to the company currency; the order is dated by its order
date, and its cycle runs from its creation):

====  ====  =================  ===========  ======  ====  =====  ===  =====
name  cust  state              order date   amount  rate  cycle  ch   u/t
====  ====  =================  ===========  ======  ====  =====  ===  =====
S0    C3    confirmed          2004-12-01   100     1     1      P    U1/TA
S1    C1    confirmed          2005-01-15   1000    1     10     P    U1/TA
S2    C2    confirmed          2005-02-10   4000    2     9      E    U2/TB
S3    C3    confirmed          2005-04-20   500     1     0      -    U1/TB
S4    C1    confirmed          2005-03-01   300     1     9      P    U2/TA
S5    C7    confirmed          05-05 12:00  700     1     5.5    P    U2/TA
Q1    C8    quotation          2005-03-01   900     1                 U1/TA
X1    C8    cancelled          2005-02-01   800     1                 U1/TA
B1    C1    confirmed, co. B   2005-01-20   4444    1                 U1
====  ====  =================  ===========  ======  ====  =====  ===  =====

An order carries its customer's current segment (an order has none of its
own): C1, C2 (moved to Retail) and C3 are Retail, C7 is Wholesale. With the
activity window of company A (60 days), the customers active at the end of
each month are C1 | C1 C2 | C2 C1 | C3 (C1's order of 03-01 is just out) |
C3 C7 | C7.
"""

import datetime
import unittest

from odoo import fields
from odoo.modules.registry import Registry
from odoo.tests import get_db_name, tagged
from odoo.tools import SQL

from ..engine import transactions
from .engine_common import EngineCommon, dt


@tagged("post_install", "-at_install")
class TestEngineSaleOrders(EngineCommon):
    @classmethod
    def setUpClass(cls):
        if "sale.order" not in Registry(get_db_name()):
            raise unittest.SkipTest("Sales is not installed in this database")
        super().setUpClass()
        cls.company_a.bsc_transaction_source = "sale_orders"
        cls.product = cls.env["product.product"].create(
            {"name": "Eng service", "type": "service", "list_price": 1.0}
        )
        cls._order_dates = {}
        order = cls._order
        a, b = cls.company_a, cls.company_b
        cls.s0 = order("S0", a, cls.c3, 100, "2004-11-30", "2004-12-01", cls.u1)
        cls.s1 = order("S1", a, cls.c1, 1000, "2005-01-05", "2005-01-15", cls.u1)
        cls.s2 = order(
            "S2",
            a,
            cls.c2,
            4000,
            "2005-02-01",
            "2005-02-10",
            cls.u2,
            cls.team_b,
            cls.medium_email,
            rate=2.0,
        )
        cls.s3 = order(
            "S3", a, cls.c3, 500, "2005-04-20", "2005-04-20", cls.u1, cls.team_b, False
        )
        cls.s4 = order("S4", a, cls.c1, 300, "2005-02-20", "2005-03-01", cls.u2)
        cls.s5 = order("S5", a, cls.c7, 700, "2005-04-30", "2005-05-05 12:00", cls.u2)
        cls.q1 = order(
            "Q1", a, cls.c8, 900, "2005-03-01", "2005-03-01", cls.u1, state="draft"
        )
        cls.x1 = order(
            "X1", a, cls.c8, 800, "2005-02-01", "2005-02-01", cls.u1, state="cancel"
        )
        cls.b1 = order("B1", b, cls.c1, 4444, "2005-01-20", "2005-01-20", cls.u1, False)
        cls._apply_order_dates()

    @classmethod
    def _order(
        cls,
        name,
        company,
        customer,
        amount,
        created,
        ordered,
        user,
        team=None,
        medium=None,
        rate=1.0,
        state="sale",
    ):
        """A sale order of one service line without tax; its dates (and
        currency rate) are written in the database at the end of the set-up."""
        team = cls.team_a if team is None else team
        medium = cls.medium_phone if medium is None else medium
        order = (
            cls.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "name": f"Eng {name}",
                    "company_id": company.id,
                    "partner_id": customer.id,
                    "user_id": user.id,
                    "team_id": team.id if team else False,
                    "medium_id": medium.id if medium else False,
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
        if state == "sale":
            order.action_confirm()
        elif state == "cancel":
            order._action_cancel()
        cls._order_dates[order] = (dt(created), dt(ordered), rate)
        return order

    @classmethod
    def _apply_order_dates(cls):
        cls.env.flush_all()
        for order, (created, ordered, rate) in cls._order_dates.items():
            cls.env.cr.execute(
                SQL(
                    "UPDATE sale_order SET create_date = %s, date_order = %s, "
                    "currency_rate = %s WHERE id = %s",
                    created,
                    ordered,
                    rate,
                    order.id,
                )
            )
        cls.env.invalidate_all()

    def test_set_up(self):
        self.assertEqual(
            (self.s1 | self.s2 | self.q1 | self.x1).mapped("state"),
            ["sale", "sale", "draft", "cancel"],
        )
        self.assertEqual(self.s2.amount_untaxed, 4000.0)
        self.assertEqual(self.s3.medium_id, self.env["utm.medium"])

    def test_transactions_are_confirmed_orders(self):
        r = self.compute(self.builtins)
        ind = self.ind
        self.assertSeries(r[ind["won_deals"]], [1, 1, 1, 1, 1, 0])
        # S2: 4000 in a currency worth half the company's
        self.assertSeries(r[ind["won_revenue"]], [1000, 2000, 300, 500, 700, 0])
        self.assertSeries(r[ind["avg_deal_size"]], [1000, 2000, 300, 500, 700, None])
        self.assertSeries(r[ind["sales_cycle_days"]], [10, 9, 9, 0, 5.5, None])
        self.assertSeries(r[ind["active_customers"]], [1, 2, 2, 1, 2, 1])
        self.assertSeries(r[ind["new_customers"]], [1, 1, 0, 0, 1, 0])
        # January: C3 (S0) was active on 12-31, no longer on 01-31; June: C3
        # and C7 were active on 05-31, C7 still is on 06-30
        self.assertSeries(r[ind["retention_rate"]], [0, 100, 100, 0, 100, 50])
        self.assertSeries(r[ind["churn_rate"]], [100, 0, 0, 100, 0, 50])
        # opportunities still make the win rate and the new leads
        self.assertSeries(r[ind["win_rate"]], [50, 100, 200 / 3, 100, None, None])
        self.assertSeries(r[ind["new_leads"]], [5, 4, 1, 1, 0, 0])

    def test_dimensions_of_orders(self):
        ind = self.ind
        r = self.compute(self.builtins, segments=(None, self.retail, self.wholesale))
        deals, active = r[ind["won_deals"]], r[ind["active_customers"]]
        retention = r[ind["retention_rate"]]
        # segments: the customer's current one
        self.assertSeries(deals, [1, 1, 1, 1, 0, 0], segment=self.retail)
        self.assertSeries(deals, [0, 0, 0, 0, 1, 0], segment=self.wholesale)
        self.assertSeries(active, [1, 2, 2, 1, 1, 0], segment=self.retail)
        self.assertSeries(active, [0, 0, 0, 0, 1, 1], segment=self.wholesale)
        self.assertSeries(retention, [0, 100, 100, 0, 100, 0], segment=self.retail)
        self.assertSeries(
            retention, [None, None, None, None, None, 100], segment=self.wholesale
        )
        # channels: through the order's UTM medium (S3 has none)
        self.assertSeries(deals, [1, 0, 1, 0, 1, 0], channel=self.phone)
        self.assertSeries(deals, [0, 1, 0, 0, 0, 0], channel=self.email)
        revenue = r[ind["won_revenue"]]
        self.assertSeries(revenue, [1000, 0, 300, 0, 700, 0], channel=self.phone)
        # salespeople and teams (one with nothing in a period has no key)
        self.assertEqual(
            self.present(revenue, user=self.u1), [1000, None, None, 500, None, None]
        )
        self.assertEqual(
            self.present(revenue, user=self.u2), [None, 2000, 300, None, 700, None]
        )
        self.assertEqual(
            self.present(revenue, team=self.team_a), [1000, None, 300, None, 700, None]
        )
        self.assertEqual(
            self.present(revenue, team=self.team_b), [None, 2000, None, 500, None, None]
        )
        # the active customers of a salesperson: those of their orders in
        # the window (U1: S1 in January and February, S3 in April and May)
        self.assertEqual(self.present(active, user=self.u1), [1, 1, 0, 1, 1, 0])

    def present(self, results, **dims):
        """The values of one breakdown over the months, None where it has no
        key."""
        return [
            results.get(self.key(period, **dims), (None, None))[0]
            for period in self.months
        ]

    def test_each_company_its_own_transactions(self):
        """Company B still counts won opportunities, and its order is not
        one of company A's."""
        r = self.compute(self.builtins, company=self.company_b)
        self.assertSeries(r[self.ind["won_revenue"]], [8888, 9999, 0, 0, 0, 0])
        r = self.compute(self.builtins)
        self.assertSeries(r[self.ind["won_revenue"]], [1000, 2000, 300, 500, 700, 0])
        self.assertEqual(
            transactions.transactions_sql(
                self.env,
                self.engine._scope(
                    self.company_b,
                    [(p.id, p.date_from, p.date_to) for p in self.months],
                    [None],
                    self.builtins,
                ),
            ),
            transactions.lead_transactions_sql(self.company_b.id),
        )

    def test_computed_on_demand_and_stored(self):
        won = self.ind["won_revenue"]
        value = won.with_company(self.company_a).compute_value(
            fields.Date.to_date("2005-01-01"),
            fields.Date.to_date("2005-03-31"),
            segment=self.retail,
        )
        self.assertEqual(value, (3300.0, None))
        # a combination no stored value has: the phone orders of U2
        value = won.with_company(self.company_a).compute_value(
            "2005-01-01", "2005-06-30", channel=self.phone, user=self.u2
        )
        self.assertEqual(value, (1000.0, None))
        self.sc_a._compute_values(self.months)
        stored = self.stored(periods=self.months)
        for code, expected in (
            ("won_revenue", [1000, 2000, 300, 500, 700, 0]),
            ("active_customers", [1, 2, 2, 1, 2, 1]),
        ):
            got = [
                stored[(self.ind[code].id, period.id, None, None, None, None)][1]
                for period in self.months
            ]
            self.assertEqual(got, expected, code)
        # the customer counts are not kept for sale orders
        self.env.cr.execute(
            SQL(
                "SELECT count(*) FROM crm_bsc_customer_count WHERE company_id = %s",
                self.company_a.id,
            )
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    # ------------------------------------------------------------------
    # The incremental recompute
    # ------------------------------------------------------------------
    def assertIncrementalIsFull(self, change):
        """Compute everything, apply ``change``, recompute incrementally,
        then fully: both store the same values, and the change moved some."""
        today = fields.Date.context_today(self.env["crm.bsc.period"])
        self.env["crm.bsc.period"]._generate(
            "month", today - datetime.timedelta(days=62), today, self.company_a
        )
        scorecards = self.sc_a | self.sc_a_retail | self.sc_a_wholesale
        scorecards._compute_values()
        before = self.snapshot()
        self.env.cr.execute(SQL("DELETE FROM crm_bsc_dirty"))
        change()
        scorecards._compute_values_incremental()
        incremental = self.snapshot()
        self.env.cr.execute(SQL("SELECT count(*) FROM crm_bsc_dirty"))
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        scorecards._compute_values()
        full = self.snapshot()
        self.assertNotEqual(before, full, "the change moved no value")
        differences = sorted(
            (key, incremental.get(key), full.get(key))
            for key in set(incremental) | set(full)
            if incremental.get(key) != full.get(key)
        )
        self.assertFalse(differences, "\n".join(map(str, differences[:20])))
        return full

    def test_incremental_follows_confirmed_orders(self):
        """An order confirmed now, one cancelled: the incremental recompute
        finds them (no hook on sale orders) and stores what a full recompute
        stores."""
        today = fields.Date.context_today(self.env["crm.bsc.period"])
        this_month = self.env["crm.bsc.period"]._generate(
            "month", today, today, self.company_a
        )

        def change():
            order = (
                self.env["sale.order"]
                .with_company(self.company_a)
                .create(
                    {
                        "company_id": self.company_a.id,
                        "partner_id": self.c8.id,
                        "user_id": self.u1.id,
                        "team_id": self.team_a.id,
                        "order_line": [
                            (
                                0,
                                0,
                                {
                                    "product_id": self.product.id,
                                    "price_unit": 1234.0,
                                    "tax_id": [(5, 0, 0)],
                                },
                            )
                        ],
                    }
                )
            )
            order.action_confirm()

        full = self.assertIncrementalIsFull(change)
        won = (
            self.ind["won_revenue"].id,
            this_month.id,
            self.company_a.id,
            None,
            None,
            None,
            None,
        )
        self.assertEqual(full[won], (True, 1234.0, None))

        def cancel():
            self.env["sale.order"].search(
                [("partner_id", "=", self.c8.id), ("state", "=", "sale")]
            )._action_cancel()

        full = self.assertIncrementalIsFull(cancel)
        self.assertEqual(full[won][1], 0.0)

    def test_incremental_follows_segment_of_orders(self):
        """Orders take their customer's current segment: a customer moved
        to another segment moves its orders' revenue too."""
        # C7's order, dated today and written long ago: only the hook on
        # partners tells the incremental recompute
        self.env.cr.execute(
            SQL(
                "UPDATE sale_order SET date_order = %s, write_date = %s WHERE id = %s",
                fields.Datetime.now(),
                dt("2005-05-05"),
                self.s5.id,
            )
        )
        self.env.invalidate_all()

        def change():
            self.c7.customer_segment_id = self.retail

        self.assertIncrementalIsFull(change)
