# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Customer scores: fitted models, scores against hand values, rescoring
after a transaction, risk activities, scores as of a date, cohorts,
multi-company, access and bad input."""

import math

import numpy as np

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import SQL, format_date, mute_logger

from ..tools import clv
from .analytics_common import AnalyticsCommon


@tagged("post_install", "-at_install")
class TestCustomerScores(AnalyticsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Score._fit_and_score_company(cls.company_a)

    def test_model_is_fitted_and_stored(self):
        model = self.model_of()
        self.assertEqual(model.state, "fitted")
        self.assertEqual(model.model_type, "mbgnbd")
        self.assertEqual(model.customer_count, self.POPULATION + 3)
        self.assertFalse(model.last_error)
        for name in ("r", "alpha", "a", "b"):
            self.assertTrue(math.isfinite(model[name]) and model[name] > 0, name)
        self.assertLess(model.log_likelihood, 0)
        self.assertTrue(model.gg_customer_count and not model.gg_error)
        # the holdout check: groups by calibration frequency, a chart
        self.assertTrue(model.holdout_groups)
        self.assertEqual(
            sum(g["customers"] for g in model.holdout_groups),
            int(model.holdout_note.split("(")[1].split()[0]),
        )
        self.assertIn("<svg", model.holdout_chart)
        self.assertEqual(model.score_count, self.POPULATION + 3)

    def test_hand_customers(self):
        h1, h2, h3 = (self.score_of(p) for p in (self.h1, self.h2, self.h3))
        self.assertEqual(
            (h1.first_date, h1.last_date, h1.transaction_count),
            (self._day(-400), self._day(-200), 3),
        )
        self.assertAlmostEqual(h1.average_value, 300.0)
        self.assertAlmostEqual(h1.total_value, 900.0)
        self.assertEqual(h1.recency_days, 200)
        # the same-day pair is one transaction of 300
        self.assertEqual(h3.transaction_count, 2)
        self.assertAlmostEqual(h3.average_value, 150.0)
        self.assertEqual(h3.segment_id, self.retail)
        # the partner's salesperson, else that of the last transaction
        self.assertEqual(h2.user_id, self.seller_2)
        self.assertEqual(h1.user_id, self.seller)
        # p_alive and expected purchases from the stored parameters, by hand
        params = self.params_of(self.model_of())
        r, alpha, a, b = params.r, params.alpha, params.a, params.b
        x, tx, T = 2, 200 / 7, 400 / 7
        alive = 1 / (1 + a / (b + x) * ((alpha + T) / (alpha + tx)) ** (r + x))
        self.assertAlmostEqual(h1.p_alive, alive, places=4)
        self.assertAlmostEqual(h1.churn_propensity, 1 - alive, places=4)
        expected = clv.expected_purchases(params, 90 / 7, [x], [tx], [T])[0]
        self.assertAlmostEqual(h1.expected_purchases_90d, expected, places=2)
        # the lifetime value: the company's horizon and discount rate
        model = self.model_of()
        gg = clv.GgParams(model.gg_p, model.gg_q, model.gg_v)
        value = clv.expected_average_value(gg, [2], [400.0])
        lifetime = clv.customer_lifetime_value(
            params, [x], [tx], [T], value, 12, 0.01, 365.25 / 12 / 7
        )[0]
        self.assertAlmostEqual(h1.predicted_clv, lifetime, places=2)
        # stages: H2's first transaction is 30 days old; H1 silent 200 days
        self.assertEqual(h2.lifecycle_stage, "new")
        self.assertIn(h1.lifecycle_stage, ("lapsed", "at_risk"))

    def test_every_score_is_finite_and_consistent(self):
        scores = self.Score.search([("company_id", "=", self.company_a.id)])
        self.assertEqual(len(scores), self.POPULATION + 3)
        medium, high = (
            self.company_a.bsc_clv_risk_medium,
            self.company_a.bsc_clv_risk_high,
        )
        for score in scores:
            self.assertTrue(0 <= score.p_alive <= 1)
            self.assertAlmostEqual(
                score.p_alive + score.churn_propensity, 1.0, places=6
            )
            self.assertGreaterEqual(score.expected_purchases_90d, 0)
            self.assertGreaterEqual(score.predicted_clv, 0)
            self.assertEqual(len(score.rfm_code), 3)
            self.assertEqual(score.rfm_code, f"{score.rfm_r}{score.rfm_f}{score.rfm_m}")
            band = (
                "high"
                if score.churn_propensity >= high
                else "medium"
                if score.churn_propensity >= medium
                else "low"
            )
            self.assertEqual(score.risk_band, band)
        self.env.cr.execute(
            SQL(
                "SELECT count(*) FROM crm_customer_score WHERE company_id = %s AND "
                "('NaN'::float8 IN (p_alive, churn_propensity, predicted_clv, "
                "expected_purchases_90d) OR p_alive IS NULL)",
                self.company_a.id,
            )
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        # the quintiles are spread over the population
        self.assertEqual(set(scores.mapped("rfm_r")), {1, 2, 3, 4, 5})

    def test_scoring_never_writes_partners(self):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT max(write_date) FROM res_partner WHERE id = ANY(%s)",
                self.population.ids,
            )
        )
        before = self.env.cr.fetchone()[0]
        self.env.cr.execute(SQL("DELETE FROM crm_bsc_dirty"))
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET write_date = '2000-01-01' WHERE id = ANY(%s)",
                self.population.ids,
            )
        )
        self.Score._fit_and_score_company(self.company_a)
        self.env.cr.execute(
            SQL(
                "SELECT max(write_date) FROM res_partner WHERE id = ANY(%s)",
                self.population.ids,
            )
        )
        self.assertEqual(str(self.env.cr.fetchone()[0]), "2000-01-01 00:00:00")
        self.assertTrue(before)
        # and no change for the incremental engine run either
        self.env.cr.execute(SQL("SELECT count(*) FROM crm_bsc_dirty"))
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    def test_rescore_after_a_won_deal(self):
        h2 = self.score_of(self.h2)
        other = self.score_of(self.h1)
        other_scored = other.scored_at
        self.env.cr.execute(SQL("DELETE FROM crm_customer_score_pending"))
        self._win(self.h2, self.company_a, 0, 500)
        # the change tracking queued the customer and woke the rescoring
        pending = self.env["crm.customer.score.pending"].search([])
        self.assertIn(self.h2.id, pending.mapped("customer_id"))
        self.assertEqual(set(pending.company_id.ids), {self.company_a.id})
        self.assertEqual(self.Score._cron_rescore_changed(), 1)
        self.assertFalse(self.env["crm.customer.score.pending"].search([]))
        h2.invalidate_recordset()
        self.assertEqual(h2.transaction_count, 2)
        self.assertEqual(h2.last_date, self.today)
        self.assertAlmostEqual(h2.total_value, 1500.0)
        self.assertEqual(h2.recency_days, 0)
        # with the stored parameters: the same as the pure computation
        params = self.params_of(self.model_of())
        self.assertAlmostEqual(
            h2.p_alive, clv.p_alive(params, [1], [30 / 7], [30 / 7])[0], places=6
        )
        other.invalidate_recordset()
        self.assertEqual(other.scored_at, other_scored)

    def test_rescore_after_a_lost_deal(self):
        lead = self.leads.filtered(lambda l: l.partner_id == self.h1)[-1]
        self.env.cr.execute(SQL("DELETE FROM crm_customer_score_pending"))
        lead.action_set_lost()
        self.Score._cron_rescore_changed()
        self.assertEqual(self.score_of(self.h1).transaction_count, 2)
        # a customer without any transaction left has no score
        for lead in self.leads.filtered(lambda l: l.partner_id == self.h1):
            lead.active = False
        self.Score._cron_rescore_changed()
        self.assertFalse(self.score_of(self.h1))

    def test_segment_change_rescores(self):
        self.env.cr.execute(SQL("DELETE FROM crm_customer_score_pending"))
        self.h1.customer_segment_id = self.retail
        self.Score._cron_rescore_changed()
        self.assertEqual(self.score_of(self.h1).segment_id, self.retail)

    def test_rescoring_uses_the_full_run_quintiles(self):
        model = self.model_of()
        self.assertEqual(set(model.rfm_bounds), {"r", "f", "m"})
        before = {
            s.partner_id: s.rfm_code
            for s in self.Score.search([("company_id", "=", self.company_a.id)])
        }
        self.Score._rescore_customers(self.company_a, self.population[:5].ids)
        for partner in self.population[:5]:
            score = self.score_of(partner)
            self.assertEqual(score.rfm_code, before[partner])

    def test_score_as_of_a_past_date(self):
        as_of = self._day(-250)
        result = self.Score._score_as_of(self.company_a, as_of)
        customers = result["customer"].tolist()
        # H1 had bought twice by then; H2 and H3 not yet
        self.assertIn(self.h1.id, customers)
        self.assertNotIn(self.h2.id, customers)
        self.assertNotIn(self.h3.id, customers)
        i = customers.index(self.h1.id)
        self.assertEqual(result["recency_days"][i], 50)
        params = self.params_of(self.model_of())
        self.assertAlmostEqual(
            result["p_alive"][i], clv.p_alive(params, [1], [100 / 7], [150 / 7])[0]
        )
        self.assertEqual(result["user_id"][i], self.seller.id)
        self.assertEqual(result["segment_id"][i], 0)
        for key in (
            "channel_id",
            "team_id",
            "active",
            "churn",
            "expected_90d",
            "clv",
            "risk_band",
            "stage",
        ):
            self.assertEqual(len(result[key]), len(customers), key)
        self.assertTrue(np.isfinite(result["clv"]).all())
        # the dimension of a segmented customer
        now = self.Score._score_as_of(self.company_a, self.today)
        j = now["customer"].tolist().index(self.h3.id)
        self.assertEqual(now["segment_id"][j], self.retail.id)
        # nothing written
        self.assertEqual(self.score_of(self.h1).recency_days, 200)

    def test_partner_views_fields_search_and_group_by(self):
        Partner = (
            self.env["res.partner"].with_company(self.company_a).with_user(self.seller)
        )
        h1 = Partner.browse(self.h1.id)
        score = self.score_of(self.h1)
        self.assertEqual(h1.bsc_score_id, score)
        self.assertAlmostEqual(h1.bsc_p_alive, score.p_alive)
        self.assertEqual(h1.bsc_risk_band, score.risk_band)
        # a contact shows its company's scores
        contact = self.env["res.partner"].create(
            {"name": "CLV contact", "parent_id": self.h1.id}
        )
        self.assertEqual(Partner.browse(contact.id).bsc_score_id, score)
        band = score.risk_band
        found = Partner.search(
            [
                ("bsc_risk_band", "=", band),
                ("id", "in", self.population.ids + self.h1.ids),
            ]
        )
        self.assertIn(self.h1.id, found.ids)
        in_band = self.Score.search(
            [
                ("company_id", "=", self.company_a.id),
                ("risk_band", "=", band),
                ("partner_id", "in", self.population.ids + self.h1.ids),
            ]
        )
        self.assertEqual(set(found.ids), set(in_band.partner_id.ids))
        lapsed = Partner.search([("bsc_lifecycle_stage", "=", "lapsed")])
        self.assertEqual(
            set(lapsed.ids) & set(self.population.ids),
            {
                s.partner_id.id
                for s in self.Score.search(
                    [
                        ("company_id", "=", self.company_a.id),
                        ("lifecycle_stage", "=", "lapsed"),
                    ]
                )
            }
            & set(self.population.ids),
        )
        groups = Partner._read_group(
            [("id", "in", self.population.ids)], ["bsc_risk_band"], ["__count"]
        )
        counts = dict(groups)
        expected = {}
        for s in self.Score.search(
            [
                ("partner_id", "in", self.population.ids),
                ("company_id", "=", self.company_a.id),
            ]
        ):
            expected[s.risk_band] = expected.get(s.risk_band, 0) + 1
        self.assertEqual(counts, expected)
        self.assertTrue(
            Partner.fields_get(["bsc_lifecycle_stage"], ["groupable"])[
                "bsc_lifecycle_stage"
            ]["groupable"]
        )

    def test_lead_shows_its_customer_score(self):
        lead = self.leads.filtered(lambda l: l.partner_id == self.h1)[0]
        score = self.score_of(self.h1)
        self.assertEqual(lead.bsc_customer_score_id, score)
        self.assertAlmostEqual(lead.bsc_p_alive, score.p_alive)
        self.assertEqual(lead.bsc_lifecycle_stage, score.lifecycle_stage)

    def test_deleted_partner_loses_its_score(self):
        partner = self.population[0]
        self.assertTrue(self.score_of(partner))
        self.env["crm.lead"].with_context(active_test=False).search(
            [("partner_id", "=", partner.id)]
        ).unlink()
        partner.unlink()
        self.assertFalse(self.Score.search([("partner_id", "=", partner.id)]))

    def test_merged_partner(self):
        src, dst = self.population[1], self.population[2]
        counts = (
            self.score_of(src).transaction_count + self.score_of(dst).transaction_count
        )
        self.env.cr.execute(SQL("DELETE FROM crm_customer_score_pending"))
        wizard = self.env["base.partner.merge.automatic.wizard"]
        wizard._merge((src | dst).ids, dst, extra_checks=False)
        self.assertFalse(self.Score.search([("partner_id", "=", src.id)]))
        self.Score._cron_rescore_changed()
        self.assertEqual(self.score_of(dst).transaction_count, counts)

    def test_cron_fits_each_company_in_a_batch(self):
        cron = self.env.ref("crm_bsc_scorecard.ir_cron_customer_scores")
        self.assertTrue(cron.active)
        progress = []
        cron_model = type(self.env["ir.cron"])
        original = cron_model._notify_progress

        def notify(self_, *, done, remaining, deactivate=False):
            progress.append((done, remaining))

        cron_model._notify_progress = notify
        try:
            self.Score._cron_fit_and_score()
        finally:
            cron_model._notify_progress = original
        self.assertEqual(progress[0][0], 1)
        self.assertTrue(
            self.model_of(
                self.env["res.company"].search([], order="id", limit=1)
            ).run_at
        )


@tagged("post_install", "-at_install")
class TestCustomerScoreRules(AnalyticsCommon):
    """Refused fits, risk activities, multi-company, access, settings."""

    POPULATION = 40

    def test_refused_fit_keeps_scores_without_model(self):
        lonely = self._partner("CLV lonely", email=False)
        self._bulk_wins(self.company_b, [(lonely, -10, 50)])
        self.Score._fit_and_score_company(self.company_b)
        model = self.model_of(self.company_b)
        self.assertEqual(model.state, "draft")
        self.assertIn("0 customers bought more than once", model.last_error)
        score = self.score_of(lonely, self.company_b)
        self.assertEqual(score.transaction_count, 1)
        self.assertEqual(score.rfm_code, "333")
        self.assertEqual(
            self._stored(score, "p_alive", "predicted_clv", "risk_band"),
            (None, None, None),
        )
        self.assertEqual(score.lifecycle_stage, "new")

    def test_refused_fit_keeps_the_parameters_in_force(self):
        self.Score._fit_and_score_company(self.company_a)
        model = self.model_of()
        fitted = (model.r, model.alpha, model.fitted_at)
        self.company_a.bsc_clv_min_repeat_customers = 100000
        self.Score._fit_and_score_company(self.company_a)
        self.assertEqual((model.r, model.alpha, model.fitted_at), fitted)
        self.assertIn("100000", model.last_error)
        self.assertEqual(model.state, "fitted")
        self.assertTrue(self.score_of(self.h1).p_alive)

    def test_risk_activities(self):
        activity_type = self.env.ref(
            "crm_bsc_scorecard.mail_activity_type_customer_at_risk"
        )
        archived = self.population[3]
        archived.active = False
        nobody = self.population[4]
        self.env.cr.execute(
            SQL("UPDATE crm_lead SET user_id = NULL WHERE partner_id = %s", nobody.id)
        )
        self.env["crm.lead"].invalidate_model(["user_id"])
        # everyone but the surest customers in the high band
        self.company_a.write({"bsc_clv_risk_medium": 0.001, "bsc_clv_risk_high": 0.002})
        self.Score._fit_and_score_company(self.company_a)
        high = self.Score.search(
            [("company_id", "=", self.company_a.id), ("risk_band", "=", "high")]
        )
        self.assertGreater(len(high), 10)

        ours = self.population | self.h1 | self.h2 | self.h3

        def activities(partners=None):
            # this company's customers only (the demo has its own activities)
            partners = ours if partners is None else partners
            domain = [
                ("activity_type_id", "=", activity_type.id),
                ("res_model", "=", "res.partner"),
                ("res_id", "in", partners.ids),
            ]
            return self.env["mail.activity"].search(domain)

        expected = high.filtered(lambda s: s.partner_id.active and s.user_id).partner_id
        self.assertEqual(set(activities().mapped("res_id")), set(expected.ids))
        self.assertFalse(activities(archived))
        self.assertFalse(activities(nobody))
        first = activities(self.h1)
        self.assertEqual(len(first), 1)
        self.assertEqual(first.user_id, self.seller)
        self.assertIn("probability alive", first.note)
        self.assertIn(
            format_date(self.env, self.score_of(self.h1).last_date), first.note
        )
        # once: scoring again creates none, nor does a rescoring
        count = len(activities())
        self.Score._fit_and_score_company(self.company_a)
        self.Score._rescore_customers(self.company_a, expected.ids)
        self.assertEqual(len(activities()), count)
        # leaving the band: the open activity is done, and says so
        self.company_a.write({"bsc_clv_risk_medium": 0.998, "bsc_clv_risk_high": 0.999})
        self.Score._fit_and_score_company(self.company_a)
        self.assertFalse(activities())
        message = self.h1.message_ids.filtered(
            lambda m: "left the high risk band" in (m.body or "")
        )
        self.assertTrue(message)

    def test_a_partner_scored_in_two_companies(self):
        both = self._partner("CLV both", email=False)
        self._bulk_wins(
            self.company_a, [(both, -90, 10), (both, -60, 10), (both, -10, 10)]
        )
        self._bulk_wins(self.company_b, [(both, -300, 999)])
        self.Score._fit_and_score_company(self.company_a)
        self.Score._fit_and_score_company(self.company_b)
        in_a, in_b = self.score_of(both), self.score_of(both, self.company_b)
        self.assertEqual((in_a.transaction_count, in_b.transaction_count), (3, 1))
        self.assertAlmostEqual(in_b.average_value, 999.0)
        # the partner form shows the current company's
        partner = both.with_user(self.seller).with_context(
            allowed_company_ids=(self.company_a | self.company_b).ids
        )
        self.assertEqual(partner.with_company(self.company_a).bsc_score_id, in_a)
        self.assertEqual(partner.with_company(self.company_b).bsc_score_id, in_b)
        self.assertEqual(partner.with_company(self.company_a).bsc_score_count, 2)
        # a user of company A only sees A's
        user_a = self._user(
            "clv_only_a", "sales_team.group_sale_salesman", "Ola Only A", self.company_a
        )
        only_a = self.Score.with_user(user_a).search([("partner_id", "=", both.id)])
        self.assertEqual(only_a, in_a)

    def test_access(self):
        self.Score._fit_and_score_company(self.company_a)
        score = self.score_of(self.h1)
        # salespeople read the scores of the partners they see
        self.assertEqual(score.with_user(self.seller).p_alive, score.p_alive)
        hidden = self._partner("CLV hidden", email=False)
        self._bulk_wins(self.company_a, [(hidden, -20, 10)])
        # the contact then moves to company B: salespeople of A no longer see it
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET company_id = %s WHERE id = %s",
                self.company_b.id,
                hidden.id,
            )
        )
        hidden.invalidate_recordset(["company_id"])
        self.Score._rescore_customers(self.company_a, hidden.ids)
        self.assertTrue(self.score_of(hidden))
        solo = self.user_salesman
        solo.company_ids = [(4, self.company_a.id)]
        visible = (
            self.Score.with_user(solo)
            .with_context(allowed_company_ids=self.company_a.ids)
            .search([("company_id", "=", self.company_a.id)])
        )
        self.assertIn(score, visible)
        self.assertNotIn(self.score_of(hidden), visible)
        # nobody writes scores but the server
        with self.assertRaises(AccessError):
            score.with_user(self.user_bsc_manager).write({"p_alive": 0.5})
        with self.assertRaises(AccessError):
            self.Score.with_user(self.seller).create(
                {"partner_id": self.h1.id, "company_id": self.company_a.id}
            )
        # only scorecard managers see the model records
        model = self.model_of()
        for user in (self.seller, self.user_bsc):
            with self.assertRaises(AccessError):
                model.with_user(user).read(["r"])
            with self.assertRaises(AccessError):
                model.with_user(user).action_fit()
        manager = self.user_bsc_manager
        manager.company_ids = [(4, self.company_a.id)]
        self.assertEqual(
            model.with_user(manager)
            .with_context(allowed_company_ids=self.company_a.ids)
            .read(["r"])[0]["r"],
            model.r,
        )
        # and only those of their companies
        with self.assertRaises(AccessError):
            model.with_user(self.user_manager_2).read(["r"])
        # employees without sales rights see no scores on partners
        with self.assertRaises(AccessError):
            self.Score.with_user(self.user_employee).search([])

    def test_settings_out_of_range(self):
        cases = [
            ({"bsc_clv_horizon_months": 0}, "horizon of 0 months"),
            ({"bsc_clv_discount_rate": 1.5}, "discount rate 1.5"),
            ({"bsc_clv_discount_rate": -0.1}, "discount rate -0.1"),
            (
                {"bsc_clv_risk_medium": 0.8, "bsc_clv_risk_high": 0.5},
                "medium \\(0.8\\) < high \\(0.5\\)",
            ),
            (
                {"bsc_clv_min_repeat_customers": 0},
                "Minimum Repeat Customers must be at least 1",
            ),
        ]
        for vals, pattern in cases:
            with (
                self.subTest(vals=vals),
                self.assertRefused(ValidationError, "CLV Alpha.*" + pattern),
                self.env.cr.savepoint(),
            ):
                self.company_a.write(vals)

    def test_transactions_of_zero_or_negative_value(self):
        odd = self._partner("CLV odd", email=False)
        self._bulk_wins(
            self.company_a,
            [(odd, -90, 100), (odd, -60, 0), (odd, -30, -50), (odd, -10, 40)],
        )
        self.Score._fit_and_score_company(self.company_a)
        score = self.score_of(odd)
        # every one counts as a transaction, the spend model takes the positive
        self.assertEqual(score.transaction_count, 4)
        self.assertAlmostEqual(score.total_value, 90.0)
        summary, _dims = self.Score._customer_rows(self.company_a, self.today, odd.ids)
        self.assertEqual(summary.monetary_count.tolist(), [1])
        self.assertEqual(summary.monetary_value.tolist(), [40.0])

    def test_segment_models(self):
        self.company_a.write(
            {"bsc_clv_segment_models": True, "bsc_clv_segment_min_customers": 5}
        )
        segmented = self.population[:25]
        segmented.customer_segment_id = self.retail
        self.Score._fit_and_score_company(self.company_a)
        models = self.env["crm.customer.model"].search(
            [("company_id", "=", self.company_a.id)]
        )
        segment_model = models.filtered("segment_id")
        self.assertEqual(segment_model.segment_id, self.retail)
        self.assertEqual(segment_model.state, "fitted")
        self.assertEqual(self.score_of(self.population[0]).model_id, segment_model)
        self.assertEqual(self.score_of(self.population[30]).model_id, self.model_of())
        # setting off: the segment model goes, its customers use the company's
        self.company_a.bsc_clv_segment_models = False
        self.Score._fit_and_score_company(self.company_a)
        self.assertFalse(segment_model.exists())
        self.assertEqual(self.score_of(self.population[0]).model_id, self.model_of())

    def test_bgnbd_setting(self):
        self.company_a.bsc_clv_model_type = "bgnbd"
        self.Score._fit_and_score_company(self.company_a)
        self.assertEqual(self.model_of().model_type, "bgnbd")
        one_timer = self.Score.search(
            [("company_id", "=", self.company_a.id), ("transaction_count", "=", 1)],
            limit=1,
        )
        if one_timer:
            self.assertEqual(one_timer.p_alive, 1.0)

    @mute_logger("odoo.addons.crm_bsc_scorecard.models.crm_customer_score")
    def test_a_failing_company_does_not_stop_the_cron(self):
        def boom(*args, **kwargs):
            raise ValueError("boom")

        cls = type(self.Score)
        original = cls._fit_and_score_company
        cls._fit_and_score_company = boom
        try:
            self.Score._cron_fit_and_score()
        finally:
            cls._fit_and_score_company = original
        first = self.env["res.company"].search([], order="id", limit=1)
        self.assertIn("boom", self.model_of(first).last_error)


@tagged("post_install", "-at_install")
class TestCustomerCohorts(AnalyticsCommon):
    POPULATION = 0

    def test_cohorts_by_hand(self):
        Cohort = self.env["crm.customer.cohort"]
        rows = Cohort.search(
            [("company_id", "=", self.company_a.id), ("granularity", "=", "month")]
        )
        h1 = rows.filtered(lambda r: r.partner_id == self.h1)
        start = self._day(-400).replace(day=1)
        self.assertEqual(set(h1.mapped("cohort_date")), {start})
        months = (self.today.year - start.year) * 12 + self.today.month - start.month
        self.assertEqual(sorted(h1.mapped("age")), list(range(months + 1)))
        bought = sorted(r.age for r in h1 if r.retention == 100)
        expected = sorted(
            {
                (d.year - start.year) * 12 + d.month - start.month
                for d in (self._day(-400), self._day(-300), self._day(-200))
            }
        )
        self.assertEqual(bought, expected)
        # the cohort of H2 (one customer): 100 % at age 0
        groups = Cohort._read_group(
            [
                ("company_id", "=", self.company_a.id),
                ("granularity", "=", "month"),
                ("age", "=", 0),
            ],
            ["cohort_date:month"],
            ["retention:avg", "cohort_size:sum"],
        )
        self.assertTrue(all(retention == 100 for _c, retention, _s in groups))
        self.assertEqual(sum(size for _c, _r, size in groups), 3)
        quarterly = Cohort.search(
            [
                ("company_id", "=", self.company_a.id),
                ("granularity", "=", "quarter"),
                ("partner_id", "=", self.h3.id),
            ]
        )
        self.assertEqual(quarterly.filtered(lambda r: r.age == 0).retention, 100)
        # the heat table
        table = (
            self.env["crm.customer.cohort.table"]
            .with_company(self.company_a)
            .with_context(allowed_company_ids=self.company_a.ids)
            .create({"granularity": "month"})
        )
        self.assertIn("hsl(140", table.table_html)
        self.assertIn(start.strftime("%Y-%m"), table.table_html)

    def test_cohort_access(self):
        self.assertTrue(
            self.env["crm.customer.cohort"].with_user(self.user_bsc).search_count([])
            >= 0
        )
        with self.assertRaises(AccessError):
            self.env["crm.customer.cohort"].with_user(self.user_employee).search([])


@tagged("post_install", "-at_install")
class TestCustomerAnalyticsViews(AnalyticsCommon):
    POPULATION = 0

    def test_views_load_for_each_group(self):
        cases = [
            ("res.partner", ["form", "list", "search"], self.seller),
            ("res.partner", ["form", "list", "search"], self.user_employee),
            ("crm.lead", ["form"], self.seller),
            (
                "crm.customer.score",
                ["list", "form", "pivot", "graph", "search"],
                self.user_bsc_manager,
            ),
            ("crm.customer.model", ["list", "form", "search"], self.user_bsc_manager),
            (
                "crm.customer.cohort",
                ["pivot", "graph", "list", "search"],
                self.user_bsc,
            ),
            ("crm.customer.cohort.table", ["form"], self.user_bsc),
            ("res.config.settings", ["form"], self.env.ref("base.user_admin")),
        ]
        for model, views, user in cases:
            with self.subTest(model=model, user=user.login):
                result = (
                    self.env[model]
                    .with_user(user)
                    .get_views([(False, view) for view in views])
                )
                self.assertEqual(set(result["views"]), set(views))
        form = (
            self.env["res.partner"]
            .with_user(self.seller)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn("bsc_analytics", form)
        plain = (
            self.env["res.partner"]
            .with_user(self.user_employee)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertNotIn("bsc_analytics", plain)

    def test_partner_form_of_an_employee_without_sales_rights(self):
        """The score fields are for salespeople: reading a contact as a
        plain employee does not touch them."""
        partner = self.h1.with_user(self.user_employee)
        self.assertEqual(partner.read(["name"])[0]["name"], "CLV H1")
