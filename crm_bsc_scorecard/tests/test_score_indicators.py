# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The predictive indicators' measures: four hand customers of a company
of their own, scored as of the end of a past period and of the running
one with a model whose parameters are set by hand.

Days relative to today; the model is MBG/NBD with r = 1, alpha = 20,
a = 1, b = 3 (weeks), no spend model (each customer's mean value), risk
thresholds 0.3 and 0.45:

====  =======  ===========  ============================  =====================
name  segment  salesperson  won opportunities (channel)   churn: past / now
====  =======  ===========  ============================  =====================
K1    Key      seller       -300, -200, -120, -20 (phone)  0.193 low / 0.167 low
K2    -        -            -250, -240 (web)               0.483 high / 0.628 high
K3    Key      (lead's)     -400 (web)                     0.512 high / not active
K4    -        (lead's)     -10 (phone)                    - / 0.263 low
====  =======  ===========  ============================  =====================

The past period ends 100 days ago (K4 has not bought yet); the running
period ends in 20 days, so its customers are scored as of today (K3's last
transaction is 400 days old: no longer active, not counted).
"""

import datetime

import numpy as np

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.mail.tests.common import mail_new_test_user

from ..tools import clv, score_indicators
from ..tools import engine as engine_tools
from ..tools.builtins import BUILTINS
from .common import BscCommon

WEEK = clv.DAYS_PER_WEEK
PARAMS = clv.BgParams(clv.MBGNBD, 1.0, 20.0, 1.0, 3.0)
PAST, RUNNING = 101, 102


def churn(x, tx, T):
    """1 - P(alive) under MBG/NBD, by hand (Batislam et al. 2007)."""
    r, alpha, a, b = 1.0, 20.0, 1.0, 3.0
    return 1.0 - 1.0 / (1.0 + a / (b + x) * ((alpha + T) / (alpha + tx)) ** (r + x))


class ScoreIndicatorsCommon(BscCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.Score = env["crm.customer.score"]
        cls.today = fields.Date.context_today(cls.Score)
        cls.company_k = env["res.company"].create(
            {
                "name": "SI Kappa",
                "bsc_clv_risk_medium": 0.3,
                "bsc_clv_risk_high": 0.45,
            }
        )
        cls.seller = mail_new_test_user(
            env,
            login="si_seller",
            name="Sina Seller",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company_k.id,
            company_ids=[(6, 0, cls.company_k.ids)],
        )
        cls.team = env["crm.team"].create(
            {"name": "SI Team", "company_id": cls.company_k.id}
        )
        cls.key = cls._segment("SI Key", code="SI_KEY", company_id=False)
        cls.phone = cls._channel("SI Phone", code="SI_PHONE")
        cls.web = cls._channel("SI Web", code="SI_WEB")
        cls.stage_won = env["crm.stage"].create(
            {"name": "SI Won", "sequence": 72, "is_won": True}
        )
        cls.k1 = cls._partner(
            "SI K1", customer_segment_id=cls.key.id, user_id=cls.seller.id
        )
        cls.k2 = cls._partner("SI K2")
        cls.k3 = cls._partner("SI K3", customer_segment_id=cls.key.id)
        cls.k4 = cls._partner("SI K4")
        seller, team = cls.seller, cls.team
        cls._wins(
            [
                (cls.k1, -300, 100, cls.phone, seller, team),
                (cls.k1, -200, 100, cls.phone, seller, team),
                (cls.k1, -120, 100, cls.phone, seller, team),
                (cls.k1, -20, 100, cls.phone, seller, team),
                (cls.k2, -250, 40, cls.web, None, team),
                (cls.k2, -240, 60, cls.web, None, team),
                (cls.k3, -400, 500, cls.web, seller, None),
                (cls.k4, -10, 80, cls.phone, seller, team),
            ]
        )
        cls.model = (
            env["crm.customer.model"]
            .sudo()
            .create(
                {
                    "company_id": cls.company_k.id,
                    "state": "fitted",
                    "model_type": clv.MBGNBD,
                    "r": PARAMS.r,
                    "alpha": PARAMS.alpha,
                    "a": PARAMS.a,
                    "b": PARAMS.b,
                }
            )
        )
        cls.periods = [
            (PAST, cls._day(-130), cls._day(-100)),
            (RUNNING, cls._day(-5), cls._day(20)),
        ]

    @classmethod
    def _day(cls, offset):
        return cls.today + datetime.timedelta(days=offset)

    @classmethod
    def _wins(cls, wins):
        leads = cls.env["crm.lead"].create(
            [
                {
                    "name": f"SI win {partner.name} {day}",
                    "type": "opportunity",
                    "partner_id": partner.id,
                    "company_id": cls.company_k.id,
                    "stage_id": cls.stage_won.id,
                    "expected_revenue": value,
                    "contact_channel_id": channel.id,
                    "user_id": user.id if user else False,
                    "team_id": team.id if team else False,
                }
                for partner, day, value, channel, user, team in wins
            ]
        )
        cls.env.flush_all()
        cls.env.cr.execute(
            SQL(
                "UPDATE crm_lead l SET date_closed = v.d FROM (VALUES %s) AS v(id, d) "
                "WHERE l.id = v.id",
                SQL(", ").join(
                    SQL(
                        "(%s, %s::timestamp)",
                        lead.id,
                        datetime.datetime.combine(cls._day(win[1]), datetime.time(9)),
                    )
                    for lead, win in zip(leads, wins, strict=True)
                ),
            )
        )
        leads.invalidate_recordset(["date_closed"])

    def measures(self, **kwargs):
        kwargs.setdefault("segment_ids", [None, self.key.id])
        return self.Score._indicator_measures(
            self.company_k, self.periods, today=self.today, **kwargs
        )

    def clv_of(self, x, tx, T, value):
        company = self.company_k
        return float(
            clv.customer_lifetime_value(
                PARAMS,
                np.array([x], float),
                np.array([tx], float),
                np.array([T], float),
                np.array([value], float),
                months=company.bsc_clv_horizon_months,
                monthly_discount=company.bsc_clv_discount_rate,
                units_per_month=365.25 / 12 / WEEK,
            )[0]
        )

    def expected_of(self, x, tx, T):
        return float(
            clv.expected_purchases(
                PARAMS,
                90 / WEEK,
                np.array([x], float),
                np.array([tx], float),
                np.array([T], float),
            )[0]
        )


@tagged("post_install", "-at_install")
class TestScoreIndicators(ScoreIndicatorsCommon):
    def test_past_period_scored_as_of_its_end(self):
        total = self.measures()[(PAST, None, None, None, None)]
        # K1: 2 repeat transactions, 180 days apart, first 200 days before;
        # K2: 1 repeat, 10 days; K3: no repeat, 300 days; K4: not yet
        k1 = (2, 180 / WEEK, 200 / WEEK)
        k2 = (1, 10 / WEEK, 150 / WEEK)
        k3 = (0, 0.0, 300 / WEEK)
        self.assertEqual(total["customer_count"], 3)
        self.assertEqual(total["scored_count"], 3)
        self.assertAlmostEqual(
            total["churn_sum"], churn(*k1) + churn(*k2) + churn(*k3), places=9
        )
        self.assertAlmostEqual(churn(*k1), 0.19348, places=5)
        self.assertAlmostEqual(churn(*k2), 0.48306, places=5)
        self.assertAlmostEqual(churn(*k3), 0.51163, places=5)
        self.assertEqual(total["at_risk_count"], 2)  # K2 and K3
        self.assertEqual(total["unassigned_count"], 1)  # K2
        self.assertAlmostEqual(
            total["clv_sum"],
            self.clv_of(*k1, 100) + self.clv_of(*k2, 50) + self.clv_of(*k3, 500),
            places=6,
        )
        self.assertAlmostEqual(
            total["expected_90d_sum"],
            self.expected_of(*k1) + self.expected_of(*k2) + self.expected_of(*k3),
            places=9,
        )
        key = self.measures()[(PAST, self.key.id, None, None, None)]
        self.assertEqual(key["customer_count"], 2)  # K1 and K3
        self.assertAlmostEqual(key["churn_sum"], churn(*k1) + churn(*k3), places=9)
        self.assertEqual(
            score_indicators.avg_churn_propensity(key)[0],
            100 * key["churn_sum"] / 2,
        )

    def test_running_period_scored_as_of_today(self):
        table = self.measures()
        total = table[(RUNNING, None, None, None, None)]
        k1 = (3, 280 / WEEK, 300 / WEEK)
        k2 = (1, 10 / WEEK, 250 / WEEK)
        k4 = (0, 0.0, 10 / WEEK)
        # K3: 400 days since its only transaction, outside the window
        self.assertEqual(total["customer_count"], 3)
        self.assertAlmostEqual(
            total["churn_sum"], churn(*k1) + churn(*k2) + churn(*k4), places=9
        )
        self.assertEqual(total["at_risk_count"], 1)  # K2
        self.assertEqual(total["unassigned_count"], 1)
        self.assertEqual(score_indicators.customers_at_risk_share(total)[0], 100 / 3)
        self.assertAlmostEqual(
            total["clv_sum"],
            self.clv_of(*k1, 100) + self.clv_of(*k2, 50) + self.clv_of(*k4, 80),
            places=6,
        )
        self.assertEqual(
            table[(RUNNING, self.key.id, None, None, None)]["customer_count"], 1
        )

    def test_breakdowns(self):
        table = self.measures(channels=True, users=True)
        phone = table[(RUNNING, None, self.phone.id, None, None)]
        web = table[(RUNNING, None, self.web.id, None, None)]
        self.assertEqual(phone["customer_count"], 2)  # K1, K4
        self.assertEqual(web["customer_count"], 1)  # K2
        self.assertEqual(web["at_risk_count"], 1)
        total = table[(RUNNING, None, None, None, None)]
        self.assertAlmostEqual(phone["clv_sum"] + web["clv_sum"], total["clv_sum"])
        seller = table[(RUNNING, None, None, self.seller.id, None)]
        self.assertEqual(seller["customer_count"], 2)  # K1 (partner's), K4 (lead's)
        self.assertEqual(seller["at_risk_count"], 0)
        # at the past period's end K3 counts for the seller of its last deal
        past_seller = table[(PAST, None, None, self.seller.id, None)]
        self.assertEqual(past_seller["customer_count"], 2)  # K1, K3
        self.assertEqual(past_seller["unassigned_count"], 0)
        team = table[(PAST, None, None, None, self.team.id)]
        self.assertEqual(team["customer_count"], 2)  # K1, K2 (K3: no team)
        self.assertEqual(team["unassigned_count"], 1)
        self.assertEqual(
            table[(PAST, self.key.id, self.web.id, None, None)]["at_risk_count"], 1
        )
        # one combination per key only when combined
        self.assertNotIn((RUNNING, None, self.phone.id, self.seller.id, None), table)
        combined = self.measures(channels=True, users=True, combined=True)
        self.assertEqual(
            combined[(RUNNING, None, self.phone.id, self.seller.id, None)][
                "customer_count"
            ],
            2,
        )

    def test_only_the_segments_asked_for(self):
        table = self.measures(segment_ids=[self.key.id])
        self.assertEqual({key[1] for key in table}, {self.key.id})

    def test_a_period_before_any_customer(self):
        table = self.Score._indicator_measures(
            self.company_k,
            [(PAST, self._day(-900), self._day(-800))],
            [None],
            today=self.today,
        )
        self.assertEqual(table, {})
        zero = dict.fromkeys(score_indicators.MEASURES, 0.0)
        self.assertEqual(score_indicators.customers_at_risk(zero), (0.0, None))
        self.assertEqual(
            score_indicators.avg_churn_propensity(zero)[1], score_indicators.NO_BASE
        )

    def test_customers_without_a_model_have_no_value(self):
        # the company's model not fitted, the Key segment's model fitted:
        # K2 and K4 are not scored, the totals have no value
        self.model.write({"state": "draft"})
        self.env["crm.customer.model"].sudo().create(
            {
                "company_id": self.company_k.id,
                "segment_id": self.key.id,
                "state": "fitted",
                "model_type": clv.MBGNBD,
                "r": PARAMS.r,
                "alpha": PARAMS.alpha,
                "a": PARAMS.a,
                "b": PARAMS.b,
            }
        )
        table = self.measures()
        total = table[(RUNNING, None, None, None, None)]
        self.assertEqual((total["customer_count"], total["scored_count"]), (3, 1))
        for values in table.values():
            self.assertTrue(all(np.isfinite(list(values.values()))))
        self.assertEqual(
            score_indicators.predicted_clv(total),
            (None, score_indicators.NOT_SCORED),
        )
        key = table[(RUNNING, self.key.id, None, None, None)]
        self.assertEqual(key["scored_count"], 1)
        self.assertIsNone(score_indicators.predicted_clv(key)[1])

    def test_no_fitted_model(self):
        self.model.write({"state": "draft"})
        with self.assertRaisesRegex(engine_tools.NoSourceError, "SI Kappa"):
            self.measures()


@tagged("post_install", "-at_install")
class TestScoreIndicatorsEngine(ScoreIndicatorsCommon):
    """The predictive built-ins through the engine: the scheduled run,
    compute_value and the incremental run store and give the same values,
    those of the family's measures by the specs' rules."""

    CODES = (
        "avg_churn_propensity",
        "customers_at_risk",
        "customers_at_risk_share",
        "customers_at_risk_unassigned",
        "predicted_clv",
        "expected_purchases_90d",
    )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        start = cls._day(-400).replace(day=1)
        cls.months = cls.env["crm.bsc.period"]._generate(
            "month", start, cls.today, cls.company_k
        )
        cls.running = cls.months.filtered(
            lambda p: p.date_from <= cls.today <= p.date_to
        )
        cls.ind = {
            code: cls._indicator(
                f"si_{code}",
                cls.perspective_customer,
                computation="builtin",
                builtin_code=code,
                unit=BUILTINS[code].unit,
                direction=BUILTINS[code].direction,
                channel_ids=[(6, 0, (cls.phone | cls.web).ids)],
                breakdown_by_user=True,
            )
            for code in cls.CODES
        }
        cls.indicators = cls.env["crm.bsc.indicator"].concat(*cls.ind.values())
        cls.scorecard = cls._scorecard(
            "SI Kappa",
            [(indicator, {"target": 1.0}) for indicator in cls.indicators],
            company_id=cls.company_k.id,
            state="active",
            period_type="month",
        )

    def stored(self):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT indicator_id, period_id, segment_id, channel_id, user_id,
                       team_id, has_value, round(value::numeric, 6), note
                  FROM crm_bsc_indicator_value
                 WHERE company_id = %s AND indicator_id = ANY(%s)
                """,
                self.company_k.id,
                self.indicators.ids,
            )
        )
        return {tuple(row[:6]): row[6:] for row in self.env.cr.fetchall()}

    def expected(self):
        """What the specs make of the family's measures, per stored key."""
        periods = [(p.id, p.date_from, p.date_to) for p in self.months]
        table = self.Score._indicator_measures(
            self.company_k, periods, [None], channels=True, users=True
        )
        out = {}
        for code, indicator in self.ind.items():
            results = engine_tools.rule_results(
                BUILTINS[code].rule,
                table,
                engine_tools.required_keys(
                    [p.id for p in self.months],
                    [None],
                    (self.phone | self.web).ids,
                ),
                [None],
                (self.phone | self.web).ids,
                True,
            )
            for key, (value, _reason) in results.items():
                out[(indicator.id, *key)] = value
        return out

    def test_scheduled_run_compute_value_and_incremental_run_agree(self):
        self.scorecard._compute_values()
        stored = self.stored()
        expected = self.expected()
        self.assertTrue(stored)
        for key, value in expected.items():
            with self.subTest(key=key):
                has_value, number, _note = stored[key]
                if value is None:
                    self.assertFalse(has_value)
                else:
                    self.assertTrue(has_value)
                    self.assertAlmostEqual(float(number), value, places=5)
        # the running month, by hand: K1, K2, K4 as of today
        k1 = churn(3, 280 / WEEK, 300 / WEEK)
        k2 = churn(1, 10 / WEEK, 250 / WEEK)
        k4 = churn(0, 0.0, 10 / WEEK)
        avg = self.ind["avg_churn_propensity"]
        key = (avg.id, self.running.id, None, None, None, None)
        self.assertAlmostEqual(
            float(stored[key][1]), 100 * (k1 + k2 + k4) / 3, places=5
        )
        unassigned = self.ind["customers_at_risk_unassigned"]
        key = (unassigned.id, self.running.id, None, None, None, self.team.id)
        self.assertEqual(float(stored[key][1]), 1.0)
        # compute_value, in total and per channel, salesperson and team
        for indicator in self.indicators:
            for period in self.months[-6:]:
                for dims in (
                    {},
                    {"channel": self.phone},
                    {"user": self.seller},
                    {"team": self.team},
                ):
                    key = (
                        indicator.id,
                        period.id,
                        None,
                        dims.get("channel") and self.phone.id,
                        dims.get("user") and self.seller.id,
                        dims.get("team") and self.team.id,
                    )
                    value, _reason = indicator.with_company(
                        self.company_k
                    ).compute_value(period.date_from, period.date_to, **dims)
                    with self.subTest(code=indicator.code, key=key):
                        if stored.get(key) is None or not stored[key][0]:
                            self.assertIn(value, (None, 0.0))
                        else:
                            self.assertAlmostEqual(
                                value, float(stored[key][1]), places=5
                            )
        # the incremental run after a transaction changed
        self.env.cr.execute(
            SQL(
                "UPDATE crm_bsc_indicator_value SET value = -1 "
                "WHERE company_id = %s AND indicator_id = ANY(%s)",
                self.company_k.id,
                self.indicators.ids,
            )
        )
        self.env["crm.bsc.dirty"]._record(
            [(self.company_k.id, "customers", self._day(-400), self.today)],
            wake=False,
        )
        self.env.invalidate_all()
        self.scorecard._compute_values_incremental()
        self.assertEqual(self.stored(), stored)

    def test_without_a_fitted_model_no_value_with_the_reason(self):
        self.model.write({"state": "draft"})
        self.scorecard._compute_values()
        stored = self.stored()
        self.assertTrue(stored)
        for has_value, _value, note in stored.values():
            self.assertFalse(has_value)
            self.assertIn("no fitted customer model", note)

    def test_a_won_opportunity_makes_them_dirty(self):
        """A deal won through the ORM: the incremental run recomputes the
        predictive built-ins as a full computation would."""
        self.scorecard._compute_values()
        before = self.stored()
        lead = self.env["crm.lead"].create(
            {
                "name": "SI new win K4",
                "type": "opportunity",
                "partner_id": self.k4.id,
                "company_id": self.company_k.id,
                "expected_revenue": 90,
                "contact_channel_id": self.phone.id,
                "user_id": self.seller.id,
            }
        )
        lead.write({"stage_id": self.stage_won.id})
        self.assertEqual(lead.date_closed.date(), self.today)
        self.env.flush_all()
        self.scorecard._compute_values_incremental()
        incremental = self.stored()
        self.assertNotEqual(incremental, before)
        self.scorecard._compute_values()
        self.assertEqual(self.stored(), incremental)
        clv = self.ind["predicted_clv"]
        key = (clv.id, self.running.id, None, None, None, None)
        self.assertNotEqual(incremental[key], before[key])
