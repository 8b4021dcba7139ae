# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Nobody bends a number: what the owner of a value may write, the
companies of periods, indicators and objectives, what error messages name,
aggregates of company-dependent models, and who may define aggregates."""

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import BscCommon


@tagged("post_install", "-at_install")
class TestValueOwner(BscCommon):
    """A value's owner enters a number and a note, nothing else."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own = cls._indicator("tr_calls", name="Calls", owner_id=cls.user_bsc.id)
        cls.other = cls._indicator("tr_visits", owner_id=cls.user_bsc_manager.id)
        cls.period = cls._period(1)
        cls.february = cls._period(2)
        cls.period_2 = cls._period(1, company_id=cls.company_2.id)
        cls.scorecard = cls._scorecard(
            "Trust",
            state="active",
            lines=[(cls.own, {"target": 10}), (cls.other, {"target": 10})],
        )
        cls.Value = cls.env["crm.bsc.indicator.value"].with_user(cls.user_bsc)

    def test_derived_fields_are_derived_whatever_the_client_sends(self):
        forged = {
            "score": 100.0,
            "status": "on_track",
            "target": 1.0,
            "source": "computed",
            "compute_token": "forged",
            "set_by_id": self.user_bsc_manager.id,
        }
        value = self.Value.create(
            {
                "indicator_id": self.own.id,
                "period_id": self.period.id,
                "value": 1.0,
                **forged,
            }
        )
        self.assertRecordValues(
            value,
            [
                {
                    "target": 10.0,
                    "status": "critical",
                    "source": "manual",
                    "compute_token": False,
                    "set_by_id": self.user_bsc.id,
                }
            ],
        )
        self.assertLess(value.score, 40.0)
        value.write({"value": 2.0, **forged})
        self.assertRecordValues(
            value,
            [
                {
                    "value": 2.0,
                    "target": 10.0,
                    "status": "critical",
                    "source": "manual",
                    "compute_token": False,
                    "set_by_id": self.user_bsc.id,
                }
            ],
        )
        self.assertEqual(
            self._stored(value, "score", "source", "compute_token"),
            (value.score, "manual", None),
        )
        # a manager cannot forge them either
        value.with_user(self.user_bsc_manager).write({"score": 100.0, "note": "x"})
        self.assertLess(value.score, 40.0)
        self.assertEqual(value.note, "x")

    def test_the_owner_cannot_move_a_value(self):
        value = self.Value.create(
            {"indicator_id": self.own.id, "period_id": self.period.id, "value": 5.0}
        )
        for vals in (
            {"indicator_id": self.other.id},
            {"period_id": self.february.id},
            {"company_id": self.company_2.id},
            {"period_id": self.period_2.id, "company_id": self.company_2.id},
            {"segment_id": self._segment("Tr segment").id},
        ):
            with (
                self.subTest(vals=vals),
                self.assertRefused(AccessError, "Only a scorecard manager can move"),
            ):
                value.write(vals)
        self.assertRecordValues(
            value,
            [
                {
                    "indicator_id": self.own.id,
                    "period_id": self.period.id,
                    "company_id": self.company.id,
                    "segment_id": False,
                }
            ],
        )
        # a manager may move it, within the period's company
        value.with_user(self.user_bsc_manager).period_id = self.february
        self.assertEqual(value.period_id, self.february)
        # (the manager of the first company cannot even read the second)
        with self.assertRaises(UserError):
            value.with_user(self.user_bsc_manager).company_id = self.company_2

    def test_the_owner_cannot_create_in_another_company(self):
        with self.assertRefused(AccessError, r"crm\.bsc\.period|Scorecard Period"):
            self.Value.create(
                {
                    "indicator_id": self.own.id,
                    "period_id": self.period_2.id,
                    "value": 5.0,
                }
            )
        with self.assertRefused(ValidationError, "belongs to YourCompany"):
            self.Value.create(
                {
                    "indicator_id": self.own.id,
                    "period_id": self.period.id,
                    "company_id": self.company_2.id,
                    "value": 5.0,
                }
            )

    def test_fields_read_from_elsewhere_cannot_be_written(self):
        value = self.Value.create(
            {"indicator_id": self.own.id, "period_id": self.period.id, "value": 5.0}
        )
        for name in ("date_from", "period_type", "perspective_id", "unit"):
            with (
                self.subTest(field=name),
                self.assertRefused(UserError, "cannot be set"),
            ):
                value.write({name: False})
        self.assertEqual(self.period.period_type, "month")

    def test_the_owner_enters_a_number_and_a_note(self):
        value = self.Value.create(
            {"indicator_id": self.own.id, "period_id": self.period.id, "value": 5.0}
        )
        value.write({"value": 10.0, "note": "counted by hand"})
        self.assertRecordValues(
            value, [{"value": 10.0, "note": "counted by hand", "status": "on_track"}]
        )
        value.write({"has_value": False, "note": "the phone log is lost"})
        self.assertEqual(value.status, "no_data")


@tagged("post_install", "-at_install")
class TestCompanies(BscCommon):
    """Periods, indicators and objectives keep to their companies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.period = cls._period(1)
        cls.period_2 = cls._period(1, company_id=cls.company_2.id)

    def test_a_manager_cannot_touch_another_company_periods(self):
        manager_2 = self.user_manager_2
        period = self.period.with_user(manager_2)
        for action in (
            lambda: period.action_close(),
            lambda: period.action_reopen(),
            lambda: period.write({"name": "Mine"}),
            lambda: period.unlink(),
            lambda: period.read(["name"]),
        ):
            with self.assertRefused(AccessError, "crm.bsc.period"):
                action()
        self.assertEqual((self.period.name, self.period.state), ("2091-01", "open"))
        # the same month of their own company is theirs
        self.period_2.with_user(manager_2).action_close()
        self.assertEqual(self.period_2.state, "closed")
        self.assertEqual(self.period.state, "open")

    def test_periods_of_two_companies_do_not_overlap_each_other(self):
        generated = self.env["crm.bsc.period"]._generate(
            "month", self.period.date_from, self.period.date_to, self.company_2
        )
        self.assertEqual(generated, self.period_2)
        with self.assertRefused(ValidationError, "overlaps"):
            self._period(1, company_id=self.company_2.id)

    def test_shared_indicator_needs_a_shared_objective(self):
        objective = self._objective("Tr grow", company_id=self.company.id)
        with self.assertRefused(ValidationError, "a shared indicator needs a shared"):
            self._indicator("tr_shared", objective_id=objective.id, company_id=False)
        # by default the indicator takes its objective's company
        indicator = self._indicator("tr_follows", objective_id=objective.id)
        self.assertEqual(indicator.company_id, self.company)
        with self.assertRefused(ValidationError, "a shared indicator needs a shared"):
            indicator.company_id = False
        with self.assertRefused(ValidationError, "cannot belong to"):
            shared_objective = self._objective("Tr shared objective")
            self._indicator("tr_on_shared", objective_id=shared_objective.id)
            shared_objective.company_id = self.company

    def test_the_scorecard_of_the_second_company_shows_shared_indicators(self):
        shared_objective = self._objective("Tr shared")
        indicator = self._indicator("tr_both", objective_id=shared_objective.id)
        scorecard = self._scorecard(
            "Second",
            company_id=self.company_2.id,
            period_id=self.period_2.id,
            lines=[(indicator, {"target": 10})],
        )
        scorecard = scorecard.with_user(self.user_manager_2)
        self.assertIn("Tr shared", scorecard.overview_html)
        with self.assertRefused(ValidationError, "belongs to another company"):
            own = self._indicator("tr_own_1", company_id=self.company.id)
            scorecard.sudo().line_ids = [(0, 0, {"indicator_id": own.id, "target": 1})]

    def test_messages_never_name_what_the_user_cannot_read(self):
        self._indicator("tr_secret", name="Secret margin", company_id=self.company.id)
        Indicator = self.env["crm.bsc.indicator"].with_user(self.user_manager_2)
        with self.assertRaises(ValidationError) as info:
            Indicator.create(
                {
                    "name": "Mine",
                    "code": "tr_secret",
                    "perspective_id": self.perspective_financial.id,
                }
            )
        self.assertNotIn("Secret margin", str(info.exception))
        self.assertIn("of another company", str(info.exception))
        # the manager of the first company is told which indicator it is
        with self.assertRaises(ValidationError) as info:
            self.env["crm.bsc.indicator"].with_user(self.user_bsc_manager).create(
                {
                    "name": "Mine",
                    "code": "tr_secret",
                    "perspective_id": self.perspective_financial.id,
                }
            )
        self.assertIn("Secret margin", str(info.exception))

    def test_a_manager_who_is_no_administrator_defines_aggregates(self):
        manager = self.user_bsc_manager
        self.assertFalse(manager.has_group("base.group_erp_manager"))
        Indicator = self.env["crm.bsc.indicator"].with_user(manager)
        fields_ = self.env["ir.model.fields"]
        indicator = Indicator.create(
            {
                "name": "Leads",
                "code": "tr_agg_leads",
                "perspective_id": self.perspective_internal.id,
                "computation": "aggregate",
                "agg_model_id": self.env["ir.model"]._get_id("crm.lead"),
                "agg_date_field_id": fields_._get("crm.lead", "create_date").id,
                "agg_domain": "[('create_date', '>=', (context_today() "
                "+ relativedelta(days=-30)).strftime('%Y-%m-%d'))]",
            }
        )
        self.assertEqual(indicator.agg_model, "crm.lead")
        # crm.lead has a company: without a path, its company restricts
        self.assertEqual(indicator._agg_company_path(), "company_id")
        # a model the manager may not read is refused
        with self.assertRefused(ValidationError, "may not read the records"):
            Indicator.create(
                {
                    "name": "Parameters",
                    "code": "tr_agg_params",
                    "perspective_id": self.perspective_internal.id,
                    "computation": "aggregate",
                    "agg_model_id": self.env["ir.model"]._get_id("ir.config_parameter"),
                    "agg_date_field_id": fields_._get(
                        "ir.config_parameter", "create_date"
                    ).id,
                }
            )
