# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Aggregate, ratio and formula indicators, their errors, and the Python API
indicator.compute_value(), on the data set of engine_common."""

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from ..tools import engine as engine_tools
from ..tools import formula as formula_tools
from .engine_common import EngineCommon


@tagged("post_install", "-at_install")
class TestEngineMethods(EngineCommon):
    def aggregate(self, code, model, date_field, measure="count", field=None, **vals):
        fields_ = self.env["ir.model.fields"]
        vals.update(
            computation="aggregate",
            agg_model_id=self.env["ir.model"]._get_id(model),
            agg_date_field_id=fields_._get(model, date_field).id,
            agg_measure=measure,
        )
        if field:
            vals["agg_field_id"] = fields_._get(model, field).id
        return self._indicator(code, **vals)

    def ratio(self, code, numerator, denominator, scale=1.0, **vals):
        return self._indicator(
            code,
            computation="ratio",
            ratio_numerator_id=numerator.id,
            ratio_denominator_id=denominator.id,
            ratio_scale=scale,
            **vals,
        )

    def formula(self, code, text, **vals):
        return self._indicator(code, computation="formula", formula=text, **vals)

    def lead_paths(self, **vals):
        vals.setdefault("agg_company_path", "company_id")
        vals.setdefault("agg_segment_path", "customer_segment_id")
        vals.setdefault("agg_channel_path", "contact_channel_id")
        vals.setdefault("agg_user_path", "user_id")
        vals.setdefault("agg_team_path", "team_id")
        return vals

    # ------------------------------------------------------------------
    # Aggregate
    # ------------------------------------------------------------------
    def test_aggregate_count_with_breakdowns(self):
        indicator = self.aggregate(
            "eng_agg_opps",
            "crm.lead",
            "create_date",
            agg_domain="[('type', '=', 'opportunity')]",
            channel_ids=[(6, 0, self.phone.ids)],
            breakdown_by_user=True,
            **self.lead_paths(),
        )
        r = self.compute(indicator, segments=(None, self.retail))[indicator]
        # opportunities created (archived ones too): Jan T3, T4, L1, O1 (LD1
        # is a lead); Feb T6, L2, O2; Mar T5; Apr T7; a count of nothing is 0
        self.assertSeries(r, [4, 3, 1, 1, 0, 0])
        # Retail (lead segment): T4; O2; T5
        self.assertSeries(r, [1, 1, 1, 0, 0, 0], segment=self.retail)
        # Phone: T4, L1, O1; T5; T7
        self.assertSeries(r, [3, 0, 1, 1, 0, 0], channel=self.phone)
        # the channel not watched has no values
        self.assertNotIn(self.key(self.jan, channel=self.email), r)
        # U1: T4, L1, O1 in January; team B: T3 in Jan, T6, L2, O2 in Feb
        self.assertEqual(r[self.key(self.jan, user=self.u1)], (3.0, None))
        self.assertEqual(r[self.key(self.feb, team=self.team_b)], (3.0, None))

    def test_aggregate_sum_avg_min_max_count_distinct(self):
        domain = "[('stage_id.is_won', '=', True)]"
        paths = self.lead_paths()
        total = self.aggregate(
            "eng_agg_sum",
            "crm.lead",
            "date_closed",
            "sum",
            "expected_revenue",
            agg_domain=domain,
            **paths,
        )
        average = self.aggregate(
            "eng_agg_avg",
            "crm.lead",
            "date_closed",
            "avg",
            "expected_revenue",
            agg_domain=domain,
            **paths,
        )
        low = self.aggregate(
            "eng_agg_min",
            "crm.lead",
            "date_closed",
            "min",
            "expected_revenue",
            agg_domain=domain,
            **paths,
        )
        high = self.aggregate(
            "eng_agg_max",
            "crm.lead",
            "date_closed",
            "max",
            "expected_revenue",
            agg_domain=domain,
            **paths,
        )
        customers = self.aggregate(
            "eng_agg_distinct",
            "crm.lead",
            "date_closed",
            "count_distinct",
            "partner_id",
            agg_domain=domain,
            **paths,
        )
        r = self.compute(total | average | low | high | customers)
        # won: Jan T3 2000; Feb T4 3000; Mar T5 400, T6 1600; Apr T7 800
        self.assertSeries(r[total], [2000, 3000, 2000, 800, 0, 0])
        # an average, minimum or maximum over nothing has no value
        self.assertSeries(r[average], [2000, 3000, 1000, 800, None, None])
        self.assertSeries(r[low], [2000, 3000, 400, 800, None, None])
        self.assertSeries(r[high], [2000, 3000, 1600, 800, None, None])
        self.assertEqual(r[average][self.key(self.may)], (None, engine_tools.NO_BASE))
        # Mar: C3 (T5) and C2 (T6)
        self.assertSeries(r[customers], [1, 1, 2, 1, 0, 0])

    def test_aggregate_company_path(self):
        """Without a company path, a model that has a company counts the
        records of the computing company only (it once counted every
        company's records)."""
        opps = "[('type', '=', 'opportunity'), ('stage_id.is_won', '=', True)]"
        own = self.aggregate(
            "eng_agg_own",
            "crm.lead",
            "date_closed",
            agg_domain=opps,
            agg_company_path="company_id",
        )
        every = self.aggregate(
            "eng_agg_every", "crm.lead", "date_closed", agg_domain=opps
        )
        r = self.compute(own | every)
        self.assertSeries(r[own], [1, 1, 2, 1, 0, 0])
        # not B1 (Jan) and B2 (Feb) of company B
        self.assertSeries(r[every], [1, 1, 2, 1, 0, 0])
        r_b = self.compute(own, company=self.company_b)
        self.assertSeries(r_b[own], [1, 1, 0, 0, 0, 0])

    def test_aggregate_on_a_date_field_and_segment_path(self):
        """A date field (not datetime), and a segment reached through the
        customer: the customer's current segment."""
        activities = self.aggregate(
            "eng_agg_activities",
            "mail.activity",
            "date_deadline",
            agg_domain="[('res_model', '=', 'crm.lead')]",
            agg_user_path="user_id",
            breakdown_by_user=True,
        )
        won = self.aggregate(
            "eng_agg_won_by_customer_segment",
            "crm.lead",
            "date_closed",
            "sum",
            "expected_revenue",
            agg_domain="[('stage_id.is_won', '=', True)]",
            agg_company_path="company_id",
            agg_segment_path="partner_id.commercial_partner_id.customer_segment_id",
        )
        r = self.compute(activities | won, segments=(None, self.retail))
        # open activities on leads due: Jan 01-20 (O1) and 01-10 (BL1, company
        # B: no company path); Mar 03-10, 03-25; Jun 06-15. The activity on
        # the contact C1 is another model.
        self.assertSeries(r[activities], [2, 0, 2, 0, 0, 1])
        self.assertEqual(r[activities][self.key(self.mar, user=self.u1)], (1.0, None))
        # C2 is Retail now: T3 (Jan 2000) counts in Retail here, unlike the
        # built-in won revenue that keeps the lead's segment
        self.assertSeries(r[won], [2000, 3000, 2000, 0, 0, 0], segment=self.retail)

    def test_failing_aggregate_is_no_data_and_others_compute(self):
        bad_domain = self.aggregate(
            "eng_agg_bad_domain", "crm.lead", "create_date", **self.lead_paths()
        )
        bad_sql = self.aggregate(
            "eng_agg_bad_sql",
            "crm.lead",
            "create_date",
            "count_distinct",
            "name",
            **self.lead_paths(),
        )
        good = self.aggregate(
            "eng_agg_good", "crm.lead", "create_date", **self.lead_paths()
        )
        # broken after they were saved: a field that does not exist, and a
        # sum of text that PostgreSQL refuses
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE crm_bsc_indicator SET agg_domain = %s WHERE id = %s",
                "[('no_such_field', '=', 1)]",
                bad_domain.id,
            )
        )
        self.env.cr.execute(
            SQL(
                "UPDATE crm_bsc_indicator SET agg_measure = 'sum' WHERE id = %s",
                bad_sql.id,
            )
        )
        self.env.invalidate_all()
        with (
            self.assertLogs(
                "odoo.addons.crm_bsc_scorecard.engine.processor", "WARNING"
            ),
            mute_logger("odoo.sql_db"),
        ):
            r = self.compute(bad_domain | bad_sql | good | self.ind["won_deals"])
        for indicator in (bad_domain, bad_sql):
            for period in self.months:
                value, reason = r[indicator][self.key(period)]
                self.assertIsNone(value)
                self.assertTrue(reason.startswith(f"{engine_tools.ERROR}: "), reason)
        self.assertIn("no_such_field", r[bad_domain][self.key(self.jan)][1])
        self.assertIn("sum", r[bad_sql][self.key(self.jan)][1])
        # all leads created: Jan 5, Feb 4, Mar 1, Apr 1
        self.assertSeries(r[good], [5, 4, 1, 1, 0, 0])
        self.assertSeries(r[self.ind["won_deals"]], [1, 1, 2, 1, 0, 0])
        # the transaction is still usable
        self.assertEqual(
            self.env["crm.lead"].search_count([("id", "=", self.t1.id)]), 1
        )

    def test_aggregate_configuration_errors(self):
        with self.assertRefused(ValidationError, "choose the model"):
            self._indicator("eng_agg_x", computation="aggregate")
        with self.assertRefused(ValidationError, "stored date field"):
            self._indicator(
                "eng_agg_x",
                computation="aggregate",
                agg_model_id=self.env["ir.model"]._get_id("crm.lead"),
            )
        with self.assertRefused(ValidationError, "numeric field"):
            self.aggregate("eng_agg_x", "crm.lead", "create_date", "sum", "name")
        with self.assertRefused(ValidationError, "choose a field"):
            self.aggregate("eng_agg_x", "crm.lead", "create_date", "avg")
        with self.assertRefused(ValidationError, "Domain"):
            self.aggregate(
                "eng_agg_x", "crm.lead", "create_date", agg_domain="[('nope', '=', 1)]"
            )
        with self.assertRefused(ValidationError, "crm.customer.segment"):
            self.aggregate(
                "eng_agg_x", "crm.lead", "create_date", agg_segment_path="partner_id"
            )
        with self.assertRefused(ValidationError, "crm.contact.channel"):
            self.aggregate(
                "eng_agg_x", "crm.lead", "create_date", agg_channel_path="no.path"
            )

    # ------------------------------------------------------------------
    # Ratio
    # ------------------------------------------------------------------
    def test_ratio(self):
        per_deal = self.ratio(
            "eng_ratio_deal", self.ind["won_revenue"], self.ind["won_deals"]
        )
        per_lead = self.ratio(
            "eng_ratio_lead", self.ind["won_deals"], self.ind["new_leads"], 100.0
        )
        r = self.compute(per_deal | per_lead, segments=(None, self.wholesale))
        # won revenue / won deals: 2000 / 1, 3000 / 1, 2000 / 2, 800 / 1
        self.assertSeries(r[per_deal], [2000, 3000, 1000, 800, None, None])
        # nothing won in May: 0 / 0
        self.assertEqual(
            r[per_deal][self.key(self.may)], (None, engine_tools.DIVISION_BY_ZERO)
        )
        # 100 * won deals / new leads: 1/5, 1/4, 2/1, 1/1
        self.assertSeries(r[per_lead], [20, 25, 200, 100, None, None])
        # Wholesale: deals T3, -, T6, T7 over leads T3, T6 + L2, -, T7;
        # March divides 1 by 0
        self.assertSeries(
            r[per_lead], [100, 0, None, 100, None, None], segment=self.wholesale
        )
        self.assertEqual(
            r[per_lead][self.key(self.mar, segment=self.wholesale)],
            (None, engine_tools.DIVISION_BY_ZERO),
        )
        # the indicators a ratio reads are computed with its own channels
        self.assertNotIn(self.key(self.jan, channel=self.phone), r[per_deal])

    def test_ratio_passes_on_the_reason_of_a_missing_side(self):
        ratio = self.ratio(
            "eng_ratio_avg", self.ind["avg_deal_size"], self.ind["won_deals"]
        )
        r = self.compute(ratio)[ratio]
        # avg deal size has no value in May: its reason, not a division by 0
        self.assertEqual(r[self.key(self.may)], (None, engine_tools.NO_BASE))
        # Mar: 1000 / 2
        self.assertEqual(r[self.key(self.mar)], (500.0, None))

    def test_ratio_of_a_manual_indicator(self):
        budget = self._indicator("eng_budget")
        self._value(budget, self.jan, 4000.0, company_id=self.company_a.id)
        self._value(budget, self.feb, None, company_id=self.company_a.id, note="late")
        share = self.ratio("eng_budget_share", self.ind["won_revenue"], budget, 100.0)
        r = self.compute(share)[share]
        # Jan: 100 * 2000 / 4000
        self.assertEqual(r[self.key(self.jan)], (50.0, None))
        # Feb: the budget is stored as no data, with its note
        self.assertEqual(r[self.key(self.feb)], (None, "late"))
        # Mar: no budget value at all
        self.assertEqual(r[self.key(self.mar)], (None, engine_tools.MISSING))

    def test_ratio_configuration_errors(self):
        with self.assertRefused(ValidationError, "choose an indicator"):
            self._indicator(
                "eng_ratio_x",
                computation="ratio",
                ratio_numerator_id=self.ind["won_deals"].id,
            )
        ratio = self.ratio(
            "eng_ratio_x", self.ind["won_revenue"], self.ind["won_deals"]
        )
        with self.assertRefused(ValidationError, "cannot divide itself"):
            ratio.ratio_denominator_id = ratio
        double = self.formula("eng_formula_x", "eng_ratio_x * 2")
        with self.assertRefused(ValidationError, "circle"):
            ratio.ratio_numerator_id = double

    # ------------------------------------------------------------------
    # Formula
    # ------------------------------------------------------------------
    def test_formula(self):
        per_deal = self.formula("eng_f_deal", "eng_won_revenue / max(eng_won_deals, 1)")
        strict = self.formula("eng_f_strict", "eng_won_revenue / eng_won_deals")
        chosen = self.formula(
            "eng_f_chosen", "eng_win_rate if eng_won_deals > 0 else -1"
        )
        doubled = self.formula("eng_f_doubled", "round(eng_avg_deal_size * 2 / 3, 1)")
        r = self.compute(per_deal | strict | chosen | doubled)
        # May: 0 / max(0, 1) = 0
        self.assertSeries(r[per_deal], [2000, 3000, 1000, 800, 0, 0])
        self.assertSeries(r[strict], [2000, 3000, 1000, 800, None, None])
        self.assertEqual(
            r[strict][self.key(self.jun)],
            (None, formula_tools.REASON_DIVISION_BY_ZERO),
        )
        # the branch not taken is not read: win rate has no value in May
        self.assertSeries(r[chosen], [50, 100, 200 / 3, 100, -1, -1])
        # 2000 * 2 / 3 = 1333.3; Mar 1000 * 2 / 3 = 666.7; May: no average
        self.assertSeries(r[doubled], [1333.3, 2000, 666.7, 533.3, None, None])
        self.assertEqual(
            r[doubled][self.key(self.may)], (None, formula_tools.REASON_MISSING)
        )

    def test_formula_over_a_ratio_over_builtins(self):
        ratio = self.ratio(
            "eng_r_conv", self.ind["won_deals"], self.ind["new_leads"], 100.0
        )
        formula = self.formula("eng_f_over_ratio", "eng_r_conv - eng_win_rate")
        r = self.compute(formula)
        # Jan: 20 - 50; Feb: 25 - 100; Mar: 200 - 66.67; Apr: 100 - 100
        self.assertSeries(r[formula], [-30, -75, 200 - 200 / 3, 0, None, None])
        # what it reads is computed too
        self.assertIn(ratio, r)
        self.assertIn(self.ind["new_leads"], r)

    def test_formula_that_cannot_be_parsed_any_more(self):
        formula = self.formula("eng_f_broken", "eng_won_deals + 1")
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE crm_bsc_indicator SET formula = %s WHERE id = %s",
                "eng_won_deals +",
                formula.id,
            )
        )
        self.env.invalidate_all()
        r = self.compute(formula | self.ind["won_deals"])
        for period in self.months:
            value, reason = r[formula][self.key(period)]
            self.assertIsNone(value)
            self.assertTrue(reason.startswith(f"{engine_tools.ERROR}: "), reason)
        self.assertSeries(r[self.ind["won_deals"]], [1, 1, 2, 1, 0, 0])

    def test_formula_configuration_errors(self):
        with self.assertRefused(ValidationError, "no indicator has the code eng_nope"):
            self.formula("eng_f_x", "eng_won_deals + eng_nope")
        with self.assertRefused(ValidationError, "Formula"):
            self.formula("eng_f_x", "eng_won_deals +")
        with self.assertRefused(ValidationError, "Formula"):
            self.formula("eng_f_x", "__import__('os').system('true')")
        first = self.formula("eng_f_first", "eng_won_deals + 1")
        second = self.formula("eng_f_second", "eng_f_first * 2")
        with self.assertRefused(ValidationError, "circle"):
            first.formula = "eng_f_second - 1"
        self.assertEqual(second.dependency_ids, first)

    # ------------------------------------------------------------------
    # compute_value
    # ------------------------------------------------------------------
    def value(self, code_or_indicator, start, end, company=None, **dims):
        indicator = (
            self.ind[code_or_indicator]
            if isinstance(code_or_indicator, str)
            else code_or_indicator
        )
        return indicator.with_company(company or self.company_a).compute_value(
            start, end, **dims
        )

    def test_compute_value_of_a_period_and_of_any_range(self):
        count = self.env["crm.bsc.indicator.value"].search_count([])
        self.assertEqual(
            self.value("won_revenue", "2005-01-01", "2005-01-31"), (2000.0, None)
        )
        # no period has these dates: 01-15 to 02-14 holds T4 (02-05) only
        self.assertEqual(
            self.value("won_revenue", "2005-01-15", "2005-02-14"), (3000.0, None)
        )
        # the quarter: 2000 + 3000 + 2000
        self.assertEqual(
            self.value("won_revenue", "2005-01-01", "2005-03-31"), (7000.0, None)
        )
        self.assertEqual(
            self.value("avg_deal_size", "2005-05-01", "2005-05-31"),
            (None, engine_tools.NO_BASE),
        )
        # nothing is stored
        self.assertEqual(self.env["crm.bsc.indicator.value"].search_count([]), count)

    def test_compute_value_by_dimension(self):
        feb = ("2005-02-01", "2005-02-28")
        mar = ("2005-03-01", "2005-03-31")
        self.assertEqual(
            self.value("won_revenue", *mar, segment=self.wholesale), (1600.0, None)
        )
        self.assertEqual(
            self.value("won_revenue", *mar, channel=self.phone), (400.0, None)
        )
        self.assertEqual(self.value("won_revenue", *feb, user=self.u1), (3000.0, None))
        self.assertEqual(
            self.value("won_revenue", *mar, team=self.team_b), (1600.0, None)
        )
        self.assertEqual(
            self.value("won_revenue", *mar, segment=self.retail, user=self.u1),
            (400.0, None),
        )
        # a salesperson without deals: 0, a rate without base: no value
        self.assertEqual(self.value("won_revenue", *feb, user=self.u2), (0.0, None))
        self.assertEqual(
            self.value("win_rate", *feb, user=self.u2), (None, engine_tools.NO_BASE)
        )
        # customers of Retail by phone in April: C3 (T5 03-10)
        self.assertEqual(
            self.value(
                "active_customers",
                "2005-04-01",
                "2005-04-30",
                segment=self.retail,
                channel=self.phone,
            ),
            (1.0, None),
        )

    def test_compute_value_with_several_breakdowns_at_once(self):
        """A channel with a salesperson, a salesperson with a team: the
        values of that combination, not 0."""
        # U1 by phone in February: T4
        self.assertEqual(
            self.value(
                "won_revenue",
                "2005-02-01",
                "2005-02-28",
                channel=self.phone,
                user=self.u1,
            ),
            (3000.0, None),
        )
        # U2 in team A in April: T7
        self.assertEqual(
            self.value(
                "won_revenue",
                "2005-04-01",
                "2005-04-30",
                user=self.u2,
                team=self.team_a,
            ),
            (800.0, None),
        )
        # e-mail, team B, Wholesale, U2 in March: T6 won, L2 lost: 50 %
        self.assertEqual(
            self.value(
                "win_rate",
                "2005-03-01",
                "2005-03-31",
                segment=self.wholesale,
                channel=self.email,
                user=self.u2,
                team=self.team_b,
            ),
            (50.0, None),
        )
        # U1 by e-mail in March: nothing
        self.assertEqual(
            self.value(
                "won_revenue",
                "2005-03-01",
                "2005-03-31",
                channel=self.email,
                user=self.u1,
            ),
            (0.0, None),
        )

    def test_compute_value_of_other_methods_and_companies(self):
        ratio = self.ratio(
            "eng_cv_ratio", self.ind["won_revenue"], self.ind["won_deals"]
        )
        formula = self.formula("eng_cv_formula", "eng_won_revenue - eng_won_deals")
        mar = ("2005-03-01", "2005-03-31")
        self.assertEqual(self.value(ratio, *mar), (1000.0, None))
        self.assertEqual(self.value(formula, *mar), (1998.0, None))
        self.assertEqual(
            self.value(ratio, "2005-05-01", "2005-05-31"),
            (None, engine_tools.DIVISION_BY_ZERO),
        )
        # company B: B1 in January
        self.assertEqual(
            self.value("won_revenue", "2005-01-01", "2005-01-31", self.company_b),
            (8888.0, None),
        )
        # a manual indicator gives its stored value of the period
        budget = self._indicator("eng_cv_budget")
        self._value(budget, self.jan, 4000.0, company_id=self.company_a.id)
        self.assertEqual(self.value(budget, "2005-01-01", "2005-01-31"), (4000.0, None))
        value, _reason = self.value(budget, "2005-02-01", "2005-02-28")
        self.assertIsNone(value)

    def test_sale_orders_without_sales_give_no_data(self):
        """The company counts confirmed sale orders, but Sales is not
        installed: the indicators that read transactions have no data, with
        the reason; the others still compute."""
        if "sale.order" in self.env:
            self.skipTest("Sales is installed in this database")
        self.company_a.bsc_transaction_source = "sale_orders"
        codes = (
            "won_revenue",
            "won_deals",
            "avg_deal_size",
            "sales_cycle_days",
            "active_customers",
            "new_customers",
            "retention_rate",
            "churn_rate",
        )
        r = self.compute(self.builtins)
        for code in codes:
            for period in self.months:
                value, reason = r[self.ind[code]][self.key(period)]
                self.assertIsNone(value, code)
                self.assertEqual(
                    reason,
                    f"{engine_tools.NO_SOURCE}: confirmed sale orders were chosen, "
                    "but Sales is not installed",
                )
        # win rate reads opportunities, not transactions
        self.assertSeries(r[self.ind["win_rate"]], [50, 100, 200 / 3, 100, None, None])
        self.assertSeries(r[self.ind["new_leads"]], [5, 4, 1, 1, 0, 0])
        self.assertEqual(self.value("won_revenue", "2005-01-01", "2005-01-31")[0], None)
        # stored as no data with the reason
        self.sc_a._compute_values(self.jan)
        stored = self.stored(periods=self.jan)
        key = (self.ind["won_revenue"].id, self.jan.id, None, None, None, None)
        has_value, value, note, _source = stored[key]
        self.assertFalse(has_value)
        self.assertIsNone(value)
        self.assertIn("Sales is not installed", note)
