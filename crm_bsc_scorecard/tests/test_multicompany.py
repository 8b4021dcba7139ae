# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import BscCommon


@tagged("post_install", "-at_install")
class TestMultiCompany(BscCommon):
    """Each company sees its own records and the shared ones, nothing else."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        c1, c2 = cls.company.id, cls.company_2.id
        cls.segment_1 = cls._segment("Segment one", company_id=c1)
        cls.segment_2 = cls._segment("Segment two", company_id=c2)
        cls.segment_shared = cls._segment("Segment shared", company_id=False)
        cls.channel_1 = cls._channel("Channel one", company_id=c1)
        cls.channel_2 = cls._channel("Channel two", company_id=c2)
        cls.channel_shared = cls._channel("Channel shared")
        cls.objective_1 = cls._objective("Objective one", company_id=c1)
        cls.objective_2 = cls._objective("Objective two", company_id=c2)
        cls.indicator_1 = cls._indicator("t_one", company_id=c1)
        cls.indicator_2 = cls._indicator("t_two", company_id=c2)
        cls.indicator_shared = cls._indicator("t_shared")
        # each company has its own periods
        cls.period = cls._period(1)
        cls.period_2 = cls._period(1, company_id=c2)
        cls.scorecard_1 = cls._scorecard(
            "Scorecard one",
            company_id=c1,
            state="active",
            period_id=cls.period.id,
            lines=[(cls.indicator_shared, {"target": 100})],
        )
        cls.scorecard_2 = cls._scorecard(
            "Scorecard two",
            company_id=c2,
            state="active",
            period_id=cls.period_2.id,
            lines=[(cls.indicator_shared, {"target": 10})],
        )
        cls.value_1 = cls._value(cls.indicator_shared, cls.period, 50.0, company_id=c1)
        cls.value_2 = cls._value(
            cls.indicator_shared, cls.period_2, 50.0, company_id=c2
        )

    def _visible(self, user, model, records):
        return self.env[model].with_user(user).search([("id", "in", records.ids)])

    def test_each_company_sees_its_own_and_shared_records(self):
        for model, mine, theirs, shared in (
            (
                "crm.customer.segment",
                self.segment_1,
                self.segment_2,
                self.segment_shared,
            ),
            (
                "crm.contact.channel",
                self.channel_1,
                self.channel_2,
                self.channel_shared,
            ),
            ("crm.bsc.objective", self.objective_1, self.objective_2, None),
            (
                "crm.bsc.indicator",
                self.indicator_1,
                self.indicator_2,
                self.indicator_shared,
            ),
            ("crm.bsc.scorecard", self.scorecard_1, self.scorecard_2, None),
            ("crm.bsc.indicator.value", self.value_1, self.value_2, None),
            ("crm.bsc.period", self.period, self.period_2, None),
        ):
            records = mine | theirs | (shared or mine)
            with self.subTest(model=model):
                self.assertEqual(
                    self._visible(self.user_bsc_manager, model, records),
                    mine | (shared or mine),
                )
                self.assertEqual(
                    self._visible(self.user_manager_2, model, records),
                    theirs | (shared or theirs),
                )
                # a user of both companies sees both once he selects them
                both = self.user_bsc_manager
                both.company_ids = self.company | self.company_2
                self.assertEqual(
                    self.env[model]
                    .with_user(both)
                    .with_context(
                        allowed_company_ids=[self.company.id, self.company_2.id]
                    )
                    .search([("id", "in", records.ids)]),
                    records,
                )
                both.company_ids = self.company

    def test_other_company_records_cannot_be_read(self):
        for record in (
            self.scorecard_1,
            self.value_1,
            self.segment_1,
            self.indicator_1,
        ):
            with (
                self.subTest(model=record._name),
                self.assertRefused(AccessError, record._name),
            ):
                record.with_user(self.user_manager_2).read(["display_name"])

    def test_values_are_scored_by_their_company_scorecard(self):
        self.assertEqual((self.value_1.target, self.value_1.score), (100.0, 13.33))
        self.assertEqual((self.value_2.target, self.value_2.score), (10.0, 100.0))
        self.assertEqual(self.scorecard_1.with_user(self.user_bsc_manager).score, 13.33)
        self.assertEqual(self.scorecard_2.with_user(self.user_manager_2).score, 100.0)

    def test_new_records_belong_to_the_user_company(self):
        user = self.user_manager_2
        scorecard = (
            self.env["crm.bsc.scorecard"].with_user(user).create({"name": "Mine"})
        )
        value = (
            self.env["crm.bsc.indicator.value"]
            .with_user(user)
            .create(
                {
                    "indicator_id": self.indicator_2.id,
                    "period_id": self.period_2.id,
                    "value": 1.0,
                }
            )
        )
        segment = (
            self.env["crm.customer.segment"].with_user(user).create({"name": "Mine"})
        )
        self.assertEqual(scorecard.company_id, self.company_2)
        self.assertEqual(value.company_id, self.company_2)
        self.assertEqual(segment.company_id, self.company_2)

    def test_segment_of_another_company_is_refused(self):
        with self.assertRefused(
            ValidationError,
            "Scorecard one: the segment Segment two belongs to the company BSC Second "
            "Company, not to",
        ):
            self.scorecard_1.segment_id = self.segment_2
        self.scorecard_1.segment_id = self.segment_shared
        self.assertEqual(self.scorecard_1.segment_id, self.segment_shared)

    def test_segment_rules_stay_in_their_company(self):
        self.env["crm.customer.segment"].search([]).write({"rule_domain": False})
        self.segment_2.rule_domain = "[('city', '=', 'T3 Kharkiv')]"
        partner_1 = self._partner(
            "One Corp", city="T3 Kharkiv", company_id=self.company.id
        )
        partner_2 = self._partner(
            "Two Corp", city="T3 Kharkiv", company_id=self.company_2.id
        )
        partner_shared = self._partner(
            "Shared Corp", city="T3 Kharkiv", company_id=False
        )
        self.env["crm.customer.segment"]._assign_partners()
        self.assertFalse(partner_1.customer_segment_id)
        self.assertEqual(partner_2.customer_segment_id, self.segment_2)
        self.assertEqual(partner_shared.customer_segment_id, self.segment_2)

    def test_unwatched_channels_of_each_company(self):
        unwatched_1 = self.scorecard_1.unwatched_channel_ids
        unwatched_2 = self.scorecard_2.unwatched_channel_ids
        self.assertIn(self.channel_1, unwatched_1)
        self.assertNotIn(self.channel_2, unwatched_1)
        self.assertIn(self.channel_2, unwatched_2)
        self.assertNotIn(self.channel_1, unwatched_2)
        self.assertIn(self.channel_shared, unwatched_1 & unwatched_2)

    def test_template_proposes_segments_of_its_company(self):
        wizard = (
            self.env["crm.bsc.scorecard.generate"]
            .with_user(self.user_manager_2)
            .create({"template_id": self.scorecard_2.id})
        )
        self.assertIn(self.segment_2, wizard.segment_ids)
        self.assertIn(self.segment_shared, wizard.segment_ids)
        self.assertNotIn(self.segment_1, wizard.segment_ids)

    def test_channel_coverage_per_company(self):
        self.indicator_1.channel_ids = self.channel_1
        Coverage = self.env["crm.bsc.channel.coverage"]
        rows = Coverage.search([("indicator_id", "=", self.indicator_1.id)])
        self.assertIn(self.channel_1, rows.channel_id)
        self.assertIn(self.channel_shared, rows.channel_id)
        self.assertNotIn(self.channel_2, rows.channel_id)
        self.assertEqual(rows.filtered("is_watched").channel_id, self.channel_1)
        rows_2 = Coverage.with_user(self.user_manager_2).search([])
        self.assertNotIn(self.indicator_1, rows_2.indicator_id)

    def test_leads_take_only_channels_of_their_company(self):
        medium = self.env["utm.medium"].create({"name": "T3 Billboard"})
        self.channel_2.medium_ids = medium
        lead_2 = self._lead("Two", medium_id=medium.id, company_id=self.company_2.id)
        self.assertEqual(lead_2.contact_channel_id, self.channel_2)
        lead_1 = self._lead("One", medium_id=medium.id, company_id=self.company.id)
        self.assertFalse(lead_1.contact_channel_id)
        # company one may link the medium to a channel of its own
        self.channel_1.medium_ids = medium
        lead_1 = self._lead(
            "One again", medium_id=medium.id, company_id=self.company.id
        )
        self.assertEqual(lead_1.contact_channel_id, self.channel_1)
        lead_2 = self._lead(
            "Two again", medium_id=medium.id, company_id=self.company_2.id
        )
        self.assertEqual(lead_2.contact_channel_id, self.channel_2)
        # but not to a shared channel: it would feed both companies
        with self.assertRefused(ValidationError, "T3 Billboard"):
            self.channel_shared.medium_ids = medium
