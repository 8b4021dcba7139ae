# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Each signal of the maturity assessment measured on a small dataset of a
company of its own, against counts made by hand."""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged
from odoo.tools import SQL

from .common import CsfCommon


@tagged("post_install", "-at_install")
class TestEvidenceSignals(CsfCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.co = cls.env["res.company"].create({"name": "Signals Company"})
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=[cls.co.id])
        )
        cls.Evidence = cls.env["crm.maturity.evidence"]
        cls.last_month = cls._last_ended_months(1, company=cls.co)

    def _measure(self, code):
        return self.Evidence._measure(self.co)[code]

    def _insert_value(self, indicator, value, score=None, status="unscored"):
        """A computed value as the engine writes it (in SQL: computed
        indicators refuse values entered through the ORM)."""
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_bsc_indicator_value
                    (indicator_id, period_id, company_id, has_value, value,
                     score, target, status, source)
                VALUES (%s, %s, %s, true, %s, %s, 0, %s, 'computed')
                """,
                indicator.id,
                self.last_month.id,
                self.co.id,
                value,
                score,
                status,
            )
        )
        self.env["crm.bsc.indicator.value"].invalidate_model()

    def _builtin(self, code):
        return self.env["crm.bsc.indicator"].create(
            {
                "name": f"Signals {code}",
                "code": f"signals_{code}",
                "computation": "builtin",
                "builtin_code": code,
                "perspective_id": self.perspective_customer.id,
                "company_id": self.co.id,
            }
        )

    def test_metrics_indicators_with_a_target_and_a_value(self):
        shared = self.env["crm.bsc.indicator"].search_count(
            [("company_id", "=", False)]
        )
        mine = [
            self._manual(f"signals_metric_{n}", company_id=self.co.id) for n in range(3)
        ]
        self._scorecard(
            "Signals scorecard",
            company_id=self.co.id,
            state="active",
            lines=[(mine[0], {"target": 1.0}), (mine[1], {"target": 1.0})],
        )
        self._value(mine[0], self.last_month, 5.0, company_id=self.co.id)
        self._value(mine[1], self.last_month, None, company_id=self.co.id)
        if not self.env["crm.bsc.period"].search_count(
            [("state", "=", "closed"), ("company_id", "=", self.co.id)]
        ):
            # no period closed: the last ended period stands in, and says so
            result = self._measure("metrics_targets")
            self.assertIn("no period is closed yet", result["detail"])
            self.assertAlmostEqual(result["value"], 1 / (3 + shared))
        self.last_month.action_close()
        result = self._measure("metrics_targets")
        # on the scorecard with a value: the first only; the second has no
        # data, the third is on no scorecard
        self.assertAlmostEqual(result["value"], 1 / (3 + shared))
        self.assertIn(f"1 of {3 + shared} indicators", result["detail"])
        self.assertIn("closed period", result["detail"])

    def test_information_complete_customer_records(self):
        segment = self._segment("Signals Segment", company_id=self.co.id)
        channel = self._channel("Signals Channel", company_id=self.co.id)
        full = self._partner(
            "Signals Full",
            customer_segment_id=segment.id,
            preferred_channel_id=channel.id,
            email="full@example.com",
            phone="+1 555 0101",
            company_id=self.co.id,
        )
        contact = self._partner(
            "Signals Contact",
            is_company=False,
            parent_id=full.id,
            company_id=self.co.id,
        )
        email_only = self._partner(
            "Signals Email Only", email="e@example.com", company_id=self.co.id
        )
        no_opportunity = self._partner("Signals No Opportunity", company_id=self.co.id)
        mobile_only = self._partner(
            "Signals Lead Only", mobile="+1 555 0199", company_id=self.co.id
        )
        for partner in (full, contact, email_only):
            self._lead(f"Opp {partner.name}", partner, company_id=self.co.id)
        # a lead, not an opportunity: its customer does not count
        self._lead("A lead", mobile_only, type="lead", company_id=self.co.id)
        self.assertTrue(no_opportunity)
        result = self._measure("information_customers")
        # two customers (the contact counts as its company): 4 + 1 of 8 facts
        self.assertAlmostEqual(result["value"], 5 / 8)
        self.assertIn("5 of 8 facts recorded for 2 customers", result["detail"])

    def test_information_data_completeness_indicator(self):
        result = self._measure("information_completeness")
        self.assertIsNone(result["value"])
        indicator = self._builtin("data_completeness")
        self._insert_value(indicator, 72.5)
        result = self._measure("information_completeness")
        self.assertAlmostEqual(result["value"], 0.725)
        self.assertIn("72.5 %", result["detail"])

    def test_technology_scheduled_actions(self):
        data = self.env["ir.model.data"].search(
            [
                ("model", "=", "ir.cron"),
                ("module", "in", ("crm_bsc_scorecard", "crm_csf_planning")),
            ]
        )
        crons = self.env["ir.cron"].browse(data.mapped("res_id")).filtered("active")
        now = fields.Datetime.now()
        crons.write({"lastcall": now - timedelta(days=1), "failure_count": 0})
        self.assertEqual(self._measure("technology_crons")["value"], 1.0)
        crons[0].failure_count = 2
        crons[1].lastcall = now - timedelta(days=40)
        result = self._measure("technology_crons")
        self.assertAlmostEqual(result["value"], (len(crons) - 2) / len(crons))
        self.assertIn(
            f"{len(crons) - 2} of {len(crons)} scheduled actions", result["detail"]
        )

    def test_strategy_scorecards_and_committed_factors(self):
        followed = self._segment("Signals Followed", company_id=self.co.id)
        self._segment("Signals Not Followed", company_id=self.co.id)
        shared = self.env["crm.customer.segment"].search_count(
            [("company_id", "=", False)]
        )
        self._scorecard(
            "Signals segment scorecard",
            company_id=self.co.id,
            segment_id=followed.id,
            state="active",
        )
        self._scorecard(
            "Signals draft scorecard",
            company_id=self.co.id,
            segment_id=followed.id,
        )
        result = self._measure("strategy_scorecards")
        self.assertAlmostEqual(result["value"], 1 / (2 + shared))
        csfs = [self._csf(f"Signals CSF {n}", company_id=self.co.id) for n in range(4)]
        for csf, state in zip(
            csfs, ("committed", "achieved", "draft", "dropped"), strict=True
        ):
            csf.write({"state": state})
        result = self._measure("strategy_committed")
        self.assertAlmostEqual(result["value"], 2 / 3)
        self.assertIn("2 of 3 success factors", result["detail"])

    def test_processes_key_questions(self):
        process = self.env["crm.process"].create(
            {"name": "Signals Process", "company_id": self.co.id}
        )
        today = fields.Date.today()
        Question = self.env["crm.process.question"]
        for name, answer, review in (
            ("On time", "<p>Yes</p>", today + timedelta(days=5)),
            ("Overdue", "<p>Yes</p>", today - timedelta(days=5)),
            ("Open", False, False),
        ):
            Question.create(
                {
                    "name": name,
                    "process_id": process.id,
                    "company_id": self.co.id,
                    "answer": answer,
                    "date_review": review,
                }
            )
        result = self._measure("processes_questions")
        self.assertAlmostEqual(result["value"], 1 / 3)
        self.assertIn("1 of 3 key questions", result["detail"])

    def test_collaboration_on_won_opportunities(self):
        won_stage = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        user_a = self._user(
            "signals_a", "sales_team.group_sale_salesman", "Sig A", self.co
        )
        user_b = self._user(
            "signals_b", "sales_team.group_sale_salesman", "Sig B", self.co
        )
        now = fields.Datetime.now()
        leads = {}
        for key, closed, stage in (
            ("shared", now - timedelta(days=10), won_stage),
            ("alone", now - timedelta(days=20), won_stage),
            ("old", now - timedelta(days=400), won_stage),
            (
                "open",
                False,
                self.env["crm.stage"].search([("is_won", "=", False)], limit=1),
            ),
        ):
            lead = self._lead(
                f"Signals {key}", company_id=self.co.id, stage_id=stage.id
            )
            lead.date_closed = closed
            leads[key] = lead
        todo = self.env.ref("mail.mail_activity_data_todo")
        for key in ("shared", "alone", "old", "open"):
            self.env["mail.activity"].create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                    "res_id": leads[key].id,
                    "activity_type_id": todo.id,
                    "user_id": user_a.id,
                    "summary": "Call",
                }
            )
        # a done activity of another user: a message with its activity type
        for key in ("shared", "old"):
            self.env["mail.message"].create(
                {
                    "model": "crm.lead",
                    "res_id": leads[key].id,
                    "message_type": "notification",
                    "mail_activity_type_id": todo.id,
                    "author_id": user_b.partner_id.id,
                    "body": "Meeting done",
                }
            )
        # the same user twice is one person
        self.env["mail.message"].create(
            {
                "model": "crm.lead",
                "res_id": leads["alone"].id,
                "message_type": "notification",
                "mail_activity_type_id": todo.id,
                "author_id": user_a.partner_id.id,
                "body": "Call done",
            }
        )
        result = self._measure("collaboration_won")
        # won in the last 365 days: shared and alone; shared has two people
        self.assertAlmostEqual(result["value"], 1 / 2)
        self.assertIn("1 of 2 won opportunities", result["detail"])

    def test_experience_first_response_and_retention_scores(self):
        result = self._measure("experience_response")
        self.assertIsNone(result["value"])
        response = self._builtin("first_response_hours")
        retention = self._builtin("retention_rate")
        # an unscored value is no score against a target
        self._insert_value(response, 3.0)
        self.assertIsNone(self._measure("experience_response")["value"])
        self.env.cr.execute(
            SQL(
                "UPDATE crm_bsc_indicator_value SET score = 80, target = 4, "
                "status = 'on_track' WHERE indicator_id = %s",
                response.id,
            )
        )
        self._insert_value(retention, 81.0, score=50.0, status="warning")
        self.env["crm.bsc.indicator.value"].invalidate_model()
        measured = self.Evidence._measure(self.co)
        self.assertEqual(measured["experience_response"]["value"], 80.0)
        self.assertIn("score 80", measured["experience_response"]["detail"])
        self.assertEqual(measured["experience_retention"]["value"], 50.0)

    def test_signals_on_an_assessment_and_their_levels(self):
        process = self.env["crm.process"].create(
            {"name": "Signals Process", "company_id": self.co.id}
        )
        self.env["crm.process.question"].create(
            {
                "name": "Answered",
                "process_id": process.id,
                "company_id": self.co.id,
                "answer": "<p>Yes</p>",
            }
        )
        assessment = self.env["crm.maturity.assessment"].create(
            {
                "name": "Signals assessment",
                "date": "2003-06-01",
                "company_id": self.co.id,
                "assessor_ids": [Command.set(self.user_bsc.ids)],
            }
        )
        assessment.action_start()
        processes = assessment.line_ids.filtered(lambda l: l.block_code == "processes")
        signal = processes.signal_ids
        self.assertEqual(signal.code, "processes_questions")
        self.assertEqual(signal.value, 1.0)
        self.assertEqual(signal.level, 5)
        self.assertEqual(signal.display_value, "100.0 %")
        self.assertIn("the share that has an answer", signal.explanation)
        # rated 2: three levels below what the data shows
        processes.rating_ids.level = 2
        self.assertTrue(signal.flagged)
        self.assertTrue(processes.signal_flag)
        processes.rating_ids.level = 4
        self.assertFalse(processes.signal_flag)
        # nothing to count is not level 1
        collaboration = assessment.line_ids.filtered(
            lambda l: l.block_code == "collaboration"
        )
        self.assertFalse(collaboration.signal_ids.measured)
        self.assertEqual(collaboration.signal_ids.level, 0)
        self.assertEqual(collaboration.signal_ids.display_value, "nothing to measure")
