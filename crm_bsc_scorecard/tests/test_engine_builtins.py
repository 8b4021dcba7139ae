# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Each built-in indicator against values computed by hand on the data set of
engine_common (see its docstring for the leads, customers and dates).

Periods are the months January to June 2005; company A counts a customer as
active on day d when it has a won opportunity in (d - 60, d]. The windows:
end of Dec 2004: (11-01, 12-31]; Jan 31: (12-02, 01-31]; Feb 28: (12-30,
02-28]; Mar 31: (01-30, 03-31]; Apr 30: (03-01, 04-30]; May 31: (04-01,
05-31]; Jun 30: (05-01, 06-30].
"""

import datetime

from odoo.tests import tagged

from ..tools import engine as engine_tools
from .engine_common import EngineCommon

THIRD = 100.0 / 3  # 33.333...
TWO_THIRDS = 200.0 / 3  # 66.666...


@tagged("post_install", "-at_install")
class TestEngineBuiltins(EngineCommon):
    def family(self, *codes, **kwargs):
        indicators = self.env["crm.bsc.indicator"].concat(
            *(self.ind[code] for code in codes)
        )
        results = self.compute(
            indicators, segments=(None, self.retail, self.wholesale), **kwargs
        )
        return {code: results[self.ind[code]] for code in codes}

    # ------------------------------------------------------------------
    # Won and lost opportunities
    # ------------------------------------------------------------------
    def test_won_deals_revenue_and_average(self):
        r = self.family("won_deals", "won_revenue", "avg_deal_size")
        # won: Jan T3; Feb T4; Mar T5, T6; Apr T7 (T1, T2 are of 2004)
        self.assertSeries(r["won_deals"], [1, 1, 2, 1, 0, 0])
        # Jan 2000; Feb 3000; Mar 400 + 1600 = 2000; Apr 800
        self.assertSeries(r["won_revenue"], [2000, 3000, 2000, 800, 0, 0])
        # Mar 2000 / 2 = 1000; no deal in May and June: no average (not 0)
        self.assertSeries(r["avg_deal_size"], [2000, 3000, 1000, 800, None, None])
        self.assertEqual(
            r["avg_deal_size"][self.key(self.may)], (None, engine_tools.NO_BASE)
        )
        # the company's other leads (B1 8888, B2 9999) do not count
        self.assertNotIn(8888.0, self.series(r["won_revenue"]))

    def test_won_by_segment_follows_the_lead_not_the_customer(self):
        """C2 moved from Wholesale to Retail after T3 and T6 were won: the
        transactions keep the segment they were closed in."""
        r = self.family("won_revenue", "won_deals")
        self.assertEqual(self.t3.customer_segment_id, self.wholesale)
        self.assertEqual(self.c2.customer_segment_id, self.retail)
        # Retail: T4 (Feb 3000), T5 (Mar 400)
        self.assertSeries(
            r["won_revenue"], [0, 3000, 400, 0, 0, 0], segment=self.retail
        )
        # Wholesale: T3 (Jan 2000), T6 (Mar 1600), T7 (Apr 800)
        self.assertSeries(
            r["won_revenue"], [2000, 0, 1600, 800, 0, 0], segment=self.wholesale
        )
        self.assertSeries(r["won_deals"], [1, 0, 1, 1, 0, 0], segment=self.wholesale)

    def test_won_by_channel_salesperson_and_team(self):
        r = self.family("won_revenue")["won_revenue"]
        # Phone: T4 Feb 3000, T5 Mar 400, T7 Apr 800; E-mail: T3 Jan, T6 Mar
        self.assertSeries(r, [0, 3000, 400, 800, 0, 0], channel=self.phone)
        self.assertSeries(r, [2000, 0, 1600, 0, 0, 0], channel=self.email)
        # Retail by phone: T4, T5
        self.assertSeries(
            r, [0, 3000, 400, 0, 0, 0], segment=self.retail, channel=self.phone
        )
        # salespeople: U1 won T4 (Feb) and T5 (Mar); U2 T3, T6, T7
        self.assertEqual(r[self.key(self.feb, user=self.u1)], (3000.0, None))
        self.assertEqual(r[self.key(self.mar, user=self.u1)], (400.0, None))
        self.assertEqual(r[self.key(self.jan, user=self.u2)], (2000.0, None))
        self.assertEqual(r[self.key(self.mar, user=self.u2)], (1600.0, None))
        self.assertEqual(r[self.key(self.apr, user=self.u2)], (800.0, None))
        # teams: TA has T4, T5, T7; TB T3, T6
        self.assertEqual(r[self.key(self.apr, team=self.team_a)], (800.0, None))
        self.assertEqual(r[self.key(self.mar, team=self.team_b)], (1600.0, None))
        # Wholesale by U2 in March: T6
        self.assertEqual(
            r[self.key(self.mar, segment=self.wholesale, user=self.u2)], (1600.0, None)
        )
        # a salesperson with nothing in a period has no key of their own
        self.assertNotIn(self.key(self.may, user=self.u1), r)

    def test_sales_cycle_days(self):
        r = self.family("sales_cycle_days")["sales_cycle_days"]
        # T3 01-01 -> 01-10: 9 days; T4 01-06 -> 02-05: 30 days;
        # Mar: T5 9 days and T6 02-18 -> 03-20 30 days: (9 + 30) / 2 = 19.5;
        # T7 04-02 12:00 -> 04-12 00:00: 9.5 days
        self.assertSeries(r, [9, 30, 19.5, 9.5, None, None])
        self.assertSeries(r, [None, 30, 9, None, None, None], segment=self.retail)

    def test_win_and_lost_rates(self):
        r = self.family("win_rate", "lost_rate")
        # Jan: won T3, lost L1: 1 / 2; Feb: T4 only; Mar: T5, T6 won, L2 lost
        self.assertSeries(r["win_rate"], [50, 100, TWO_THIRDS, 100, None, None])
        self.assertSeries(r["lost_rate"], [50, 0, THIRD, 0, None, None])
        # by phone: Jan only L1 lost: 0 %; by e-mail Mar: T6 won, L2 lost
        self.assertSeries(
            r["win_rate"], [0, 100, 100, 100, None, None], channel=self.phone
        )
        self.assertSeries(
            r["win_rate"], [100, None, 50, None, None, None], channel=self.email
        )
        # Retail: L1 has no segment (C5 has none): Jan has nothing to rate
        self.assertSeries(
            r["win_rate"], [None, 100, 100, None, None, None], segment=self.retail
        )

    # ------------------------------------------------------------------
    # Created leads, conversion, first response
    # ------------------------------------------------------------------
    def test_new_leads_and_conversion(self):
        r = self.family("new_leads", "lead_conversion_rate")
        # Jan: T3, T4, L1, O1, LD1; Feb: T6, L2, O2, LD2 (archived counts);
        # Mar: T5; Apr: T7
        self.assertSeries(r["new_leads"], [5, 4, 1, 1, 0, 0])
        # Jan 4 opportunities / 5 (LD1 is a lead) = 80 %; Feb 3 / 4 = 75 %
        self.assertSeries(r["lead_conversion_rate"], [80, 75, 100, 100, None, None])
        # Retail: T4, O2, T5; Wholesale: T3, T6 + L2, T7
        self.assertSeries(r["new_leads"], [1, 1, 1, 0, 0, 0], segment=self.retail)
        self.assertSeries(r["new_leads"], [1, 2, 0, 1, 0, 0], segment=self.wholesale)
        # Phone in January: T4, L1, O1 and the lead LD1: 3 / 4 = 75 %
        self.assertSeries(r["new_leads"], [4, 0, 1, 1, 0, 0], channel=self.phone)
        self.assertEqual(
            r["lead_conversion_rate"][self.key(self.jan, channel=self.phone)],
            (75.0, None),
        )

    def test_first_response_hours(self):
        r = self.family("first_response_hours")["first_response_hours"]
        # Jan: T3 6 h, T4 36 h (activity done), O1 3 h: 45 / 3 = 15 h; L1 has
        # only an internal note and the customer's e-mail: not answered.
        # Feb: O2 10 h. Mar: T5's only comment is older than T5: no value.
        self.assertSeries(r, [15, 10, None, None, None, None])
        # Phone in January: T4 36 h, O1 3 h: 19.5 h; e-mail: T3 6 h
        self.assertSeries(r, [19.5, None, None, None, None, None], channel=self.phone)
        self.assertSeries(r, [6, 10, None, None, None, None], channel=self.email)
        self.assertEqual(r[self.key(self.jan, user=self.u1)], (19.5, None))
        self.assertEqual(r[self.key(self.jan, user=self.u2)], (6.0, None))

    # ------------------------------------------------------------------
    # Pipeline
    # ------------------------------------------------------------------
    def test_pipeline(self):
        r = self.family("pipeline_value", "weighted_pipeline")
        # open on Jan 31: T4 (won 02-05) 3000, weighted at its 100 %;
        # O1 converted only on 02-10. Feb 28: T6 1600, L2 1200 (lost 03-05,
        # probability 0), O1 1000 (20 %), O2 5000 (50 %). Then O1 and O2.
        self.assertSeries(r["pipeline_value"], [3000, 8800, 6000, 6000, 6000, 6000])
        # Feb: 1600 + 0 + 200 + 2500 = 4300; then 200 + 2500 = 2700
        self.assertSeries(r["weighted_pipeline"], [3000, 4300, 2700, 2700, 2700, 2700])
        # Retail: T4, then O2; Wholesale: T6 + L2 in Feb only
        self.assertSeries(
            r["pipeline_value"],
            [3000, 5000, 5000, 5000, 5000, 5000],
            segment=self.retail,
        )
        self.assertSeries(
            r["pipeline_value"], [0, 2800, 0, 0, 0, 0], segment=self.wholesale
        )
        # e-mail: T6 + L2 + O2 in Feb, O2 afterwards
        self.assertSeries(
            r["pipeline_value"],
            [0, 7800, 5000, 5000, 5000, 5000],
            channel=self.email,
        )

    # ------------------------------------------------------------------
    # Customers: active, new, retention, churn
    # ------------------------------------------------------------------
    def test_active_and_new_customers(self):
        r = self.family("active_customers", "new_customers")
        # Jan 31: C1 (T1 12-20), C2 (T3); Feb 28: C1 (T4), C2 (T3 01-10);
        # Mar 31: C1 (T4 02-05), C2 (T6), C3 (T5: reactivated, its T2 of
        # 2004-10-15 was out of every window); Apr 30: C2, C3, C7 (T7);
        # May 31: C7; Jun 30: nobody
        self.assertSeries(r["active_customers"], [2, 2, 3, 3, 1, 0])
        # first transaction ever: C2 in January, C7 in April; C1 (2004-12)
        # and the reactivated C3 (2004-10) are not new
        self.assertSeries(r["new_customers"], [1, 0, 0, 1, 0, 0])

    def test_customers_use_the_current_segment(self):
        r = self.family("active_customers", "new_customers")
        # C2 is Retail now (its won leads stay Wholesale): Retail = C1, C2, C3
        self.assertSeries(
            r["active_customers"], [2, 2, 3, 2, 0, 0], segment=self.retail
        )
        self.assertSeries(
            r["active_customers"], [0, 0, 0, 1, 1, 0], segment=self.wholesale
        )
        self.assertSeries(r["new_customers"], [1, 0, 0, 0, 0, 0], segment=self.retail)
        self.assertSeries(
            r["new_customers"], [0, 0, 0, 1, 0, 0], segment=self.wholesale
        )

    def test_retention_and_churn(self):
        r = self.family("retention_rate", "churn_rate")
        # active the day before / at the end:
        # Jan {C1} -> C1 kept: 100; Feb {C1, C2} -> both: 100; Mar {C1, C2}
        # -> both: 100; Apr {C1, C2, C3} -> C2, C3: 2 / 3; May {C2, C3, C7}
        # -> C7: 1 / 3; Jun {C7} -> nobody: 0 (a value, not "no data")
        self.assertSeries(r["retention_rate"], [100, 100, 100, TWO_THIRDS, THIRD, 0])
        self.assertSeries(r["churn_rate"], [0, 0, 0, THIRD, TWO_THIRDS, 100])
        # Retail (C1, C2, C3): May {C2, C3} -> nobody: 0; June nobody at the
        # start: no value, and churn has none either
        self.assertSeries(
            r["retention_rate"],
            [100, 100, 100, TWO_THIRDS, 0, None],
            segment=self.retail,
        )
        self.assertSeries(
            r["churn_rate"], [0, 0, 0, THIRD, 100, None], segment=self.retail
        )
        # Wholesale (C7): nobody at the start until May; May {C7} kept
        self.assertSeries(
            r["retention_rate"],
            [None, None, None, None, 100, 0],
            segment=self.wholesale,
        )
        self.assertSeries(
            r["churn_rate"], [None, None, None, None, 0, 100], segment=self.wholesale
        )
        for code in ("retention_rate", "churn_rate"):
            self.assertEqual(
                r[code][self.key(self.jan, segment=self.wholesale)],
                (None, engine_tools.NO_BASE),
            )

    def test_customers_by_channel_and_salesperson(self):
        r = self.family("active_customers", "retention_rate", "new_customers")
        # the channel of the transactions in the window
        # Phone: Jan C1 (T1); Feb C1 (T4); Mar C1 (T4), C3 (T5); Apr C3, C7;
        # May C7. E-mail: C2 through T3 then T6 until April.
        self.assertSeries(r["active_customers"], [1, 1, 2, 2, 1, 0], channel=self.phone)
        self.assertSeries(r["active_customers"], [1, 1, 1, 1, 0, 0], channel=self.email)
        # Phone cohorts: Apr {C1, C3} -> C3: 50; May {C3, C7} -> C7: 50;
        # Jun {C7} -> 0. E-mail: Jan nobody; May {C2} -> 0; Jun nobody.
        self.assertSeries(
            r["retention_rate"], [100, 100, 100, 50, 50, 0], channel=self.phone
        )
        self.assertSeries(
            r["retention_rate"], [None, 100, 100, 100, 0, None], channel=self.email
        )
        # the channel of the first transaction: C2 by e-mail, C7 by phone
        self.assertSeries(r["new_customers"], [0, 0, 0, 1, 0, 0], channel=self.phone)
        self.assertSeries(r["new_customers"], [1, 0, 0, 0, 0, 0], channel=self.email)
        # salespeople: U1 has T1, T4, T5: Mar C1 and C3; U2 T3, T6, T7: Apr C2, C7
        self.assertEqual(
            r["active_customers"][self.key(self.mar, user=self.u1)], (2.0, None)
        )
        self.assertEqual(
            r["active_customers"][self.key(self.apr, user=self.u2)], (2.0, None)
        )
        self.assertEqual(
            r["active_customers"][self.key(self.apr, team=self.team_a)], (2.0, None)
        )

    def test_no_customers_at_the_start_gives_no_value(self):
        """In 2004-06 nobody of company A was active yet: no retention, no
        churn (not 0 %, not 100 %, no crash)."""
        for code in ("retention_rate", "churn_rate"):
            result = (
                self.ind[code]
                .with_company(self.company_a)
                .compute_value("2004-06-01", "2004-06-30")
            )
            self.assertEqual(result, (None, engine_tools.NO_BASE))
        active = (
            self.ind["active_customers"]
            .with_company(self.company_a)
            .compute_value("2004-06-01", "2004-06-30")
        )
        self.assertEqual(active, (0.0, None))

    # ------------------------------------------------------------------
    # Activities and data completeness
    # ------------------------------------------------------------------
    def test_overdue_activity_share(self):
        r = self.family("overdue_activity_share", today=datetime.date(2005, 3, 15))
        r = r["overdue_activity_share"]
        # today 2005-03-15. Due by Jan 31 and Feb 28: O1's (01-20), overdue.
        # Due by Mar 31: 01-20, 03-10, 03-25; overdue (before 03-15): 2 / 3.
        # June adds LD1's (06-15): 2 / 4. The activity done on T4 is no
        # longer open; those of company B and on a contact do not count.
        self.assertSeries(r, [100, 100, TWO_THIRDS, TWO_THIRDS, TWO_THIRDS, 50])
        # O2 is Retail: its 03-10 (overdue) and 03-25 (not yet)
        self.assertSeries(r, [None, None, 50, 50, 50, 50], segment=self.retail)
        # the salesperson of the activity: U1 has 01-20, 03-25 and 06-15
        self.assertEqual(r[self.key(self.mar, user=self.u1)], (50.0, None))
        self.assertEqual(r[self.key(self.mar, user=self.u2)], (100.0, None))
        # Phone (O1, LD1): Jun 01-20 overdue, 06-15 not yet: 1 / 2
        self.assertSeries(r, [100, 100, 100, 100, 100, 50], channel=self.phone)

    def test_overdue_activities_of_past_periods_are_all_overdue(self):
        r = self.family("overdue_activity_share")["overdue_activity_share"]
        # today is long after June 2005: every open activity due by the end
        # of a period of 2005 was overdue at that end
        self.assertSeries(r, [100, 100, 100, 100, 100, 100])

    def test_data_completeness(self):
        r = self.family("data_completeness")["data_completeness"]
        # customers with a lead in A: C1 (via P1 too), C2, C3, C5; C4 from
        # 02-10; C7 from 03-15 (their creation). Complete: C1, C2 (mobile
        # only), C7. C8 has no lead, C6 only one in company B.
        # Jan 2 / 4 = 50; Feb 2 / 5 = 40; Mar on 3 / 6 = 50
        self.assertSeries(r, [50, 40, 50, 50, 50, 50])
        # Retail: C1, C2, C3: 2 / 3; Wholesale: C7 from March
        self.assertSeries(r, [TWO_THIRDS] * 6, segment=self.retail)
        self.assertSeries(r, [None, None, 100, 100, 100, 100], segment=self.wholesale)
        # by preferred channel: Phone C1 (and C7), E-mail C2: all complete
        self.assertSeries(r, [100] * 6, channel=self.phone)
        self.assertSeries(r, [100] * 6, channel=self.email)

    # ------------------------------------------------------------------
    # Multi-company
    # ------------------------------------------------------------------
    def test_second_company_counts_its_own_data_only(self):
        codes = (
            "won_revenue",
            "new_customers",
            "active_customers",
            "retention_rate",
            "data_completeness",
            "new_leads",
        )
        indicators = self.env["crm.bsc.indicator"].concat(
            *(self.ind[code] for code in codes)
        )
        r = self.compute(indicators, company=self.company_b)
        r = {code: r[self.ind[code]] for code in codes}
        # B1 (C1, Jan 8888), B2 (C6, Feb 9999)
        self.assertSeries(r["won_revenue"], [8888, 9999, 0, 0, 0, 0])
        # C1 won in A since 2004, but its first transaction in B is B1
        self.assertSeries(r["new_customers"], [1, 1, 0, 0, 0, 0])
        # window of 365 days: C1 from Jan, C6 from Feb
        self.assertSeries(r["active_customers"], [1, 2, 2, 2, 2, 2])
        # nobody active in B before January; Feb {C1} kept; then {C1, C6}
        self.assertSeries(r["retention_rate"], [None, 100, 100, 100, 100, 100])
        # C1 and C2 complete, C6 not: 2 / 3 (the lead BL1 makes C2 count)
        self.assertSeries(r["data_completeness"], [TWO_THIRDS] * 6)
        # B1 (01-02), BL1 (01-03); B2 (02-01)
        self.assertSeries(r["new_leads"], [2, 1, 0, 0, 0, 0])
