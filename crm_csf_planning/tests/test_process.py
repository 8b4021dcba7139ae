# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import CsfCommon


@tagged("post_install", "-at_install")
class TestProcesses(CsfCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.billing = cls.env["crm.process"].create({"name": "Billing", "weight": 0.5})
        Question = cls.env["crm.process.question"]
        cls.answered = Question.create(
            {
                "process_id": cls.billing.id,
                "name": "Are invoices right the first time?",
                "answer": "<p>98 % of them.</p>",
                "date_review": cls.today + timedelta(days=30),
                "owner_id": cls.user_bsc.id,
            }
        )
        cls.overdue = Question.create(
            {
                "process_id": cls.billing.id,
                "name": "Who answers billing questions?",
                "answer": "<p>The service desk.</p>",
                "date_review": cls.today - timedelta(days=2),
                "owner_id": cls.user_bsc.id,
            }
        )
        cls.unanswered = Question.create(
            {
                "process_id": cls.billing.id,
                "name": "How do customers pay?",
                "answer": "<p><br></p>",
                "weight": 2.0,
            }
        )

    def test_the_five_processes_are_seeded_with_key_questions(self):
        standard = self.env["crm.process"].search([("is_standard", "=", True)])
        self.assertEqual(
            standard.mapped("code"),
            ["strategy", "value", "multichannel", "information", "performance"],
        )
        for process in standard:
            questions = process.question_ids.filtered(
                lambda q: q.company_id == self.company and q.code
            )
            self.assertGreaterEqual(len(questions), 3, process.name)
        self.assertIn(
            "Which customers do we want",
            " ".join(
                self.env.ref("crm_csf_planning.process_strategy").question_ids.mapped(
                    "name"
                )
            ),
        )
        # a company's own key process sits next to them
        self.assertFalse(self.billing.is_standard)

    def test_progress_counts_answered_and_on_time(self):
        self.assertEqual(self.billing.question_count, 3)
        self.assertFalse(self.unanswered.is_answered, "an empty paragraph is no answer")
        self.assertEqual(self.billing.answered_count, 2)
        self.assertEqual(self.billing.on_time_count, 2)
        self.assertEqual(self.billing.overdue_count, 1)
        # weights 1 + 1 + 2; only the first is answered and on time
        self.assertAlmostEqual(self.billing.progress, 25.0)
        self.assertTrue(self.overdue.is_review_overdue)
        Question = self.env["crm.process.question"]
        self.assertEqual(
            Question.search(
                [("process_id", "=", self.billing.id), ("is_review_overdue", "=", True)]
            ),
            self.overdue,
        )
        self.assertEqual(
            Question.search(
                [
                    ("process_id", "=", self.billing.id),
                    ("is_review_overdue", "=", False),
                ]
            ),
            self.answered | self.unanswered,
        )

    def _review_activities(self, question):
        return self.env["mail.activity"].search(
            [("res_model", "=", question._name), ("res_id", "=", question.id)]
        )

    def test_a_question_past_its_review_date_gives_its_owner_an_activity(self):
        activity = self._review_activities(self.overdue)
        self.assertEqual(activity.user_id, self.user_bsc)
        self.assertEqual(activity.summary, "Review the key question")
        self.assertFalse(self._review_activities(self.answered))
        # the daily run does not add a second one
        self.env["crm.process.question"]._cron_review_overdue()
        self.assertEqual(len(self._review_activities(self.overdue)), 1)
        # a question that falls due gets one from the daily run
        self.answered.write({"date_review": self.today - timedelta(days=1)})
        self.env["crm.process.question"]._cron_review_overdue()
        self.assertEqual(len(self._review_activities(self.answered)), 1)

    def test_the_owner_marks_the_answer_reviewed(self):
        self.overdue.review_interval = 3
        self.overdue.with_user(self.user_bsc).action_mark_reviewed()
        self.assertEqual(self.overdue.date_last_review, self.today)
        self.assertEqual(self.overdue.date_review, self.today + relativedelta(months=3))
        self.assertFalse(self.overdue.is_review_overdue)
        self.assertFalse(self._review_activities(self.overdue))
        with self.assertRefused(AccessError, r"owner of the key question"):
            self.answered.with_user(self.user_bsc_2).action_mark_reviewed()
        with self.assertRefused(UserError, r"How do customers pay.*no answer"):
            self.unanswered.action_mark_reviewed()

    def test_users_answer_their_own_questions(self):
        self.answered.with_user(self.user_bsc).answer = "<p>99 % now.</p>"
        self.assertIn("99", self.answered.answer)
        with self.assertRaises(AccessError):
            self.answered.with_user(self.user_bsc_2).answer = "<p>Mine</p>"
        with self.assertRaises(AccessError):
            self.billing.with_user(self.user_bsc).weight = 2.0

    def test_bad_numbers_are_refused(self):
        with self.assertRefused(ValidationError, r"Review Every \(Months\)"):
            self.answered.review_interval = -1
        with self.assertRefused(ValidationError, r"Billing.*weight -1"):
            self.billing.weight = -1

    def test_another_company_gets_the_standard_questions(self):
        standard = self.env["crm.process"].search([("is_standard", "=", True)])
        manager = self.user_manager_2
        Process = standard.with_user(manager).with_company(self.company_2)
        Process.action_add_standard_questions()
        Question = self.env["crm.process.question"]
        copies = Question.search([("company_id", "=", self.company_2.id)])
        seeded = Question.search(
            [("company_id", "=", self.company.id), ("code", "!=", False)]
        )
        self.assertEqual(sorted(copies.mapped("code")), sorted(seeded.mapped("code")))
        self.assertFalse(any(copies.mapped("is_answered")))
        self.assertFalse(copies.owner_id)
        Process.action_add_standard_questions()
        self.assertEqual(
            Question.search_count([("company_id", "=", self.company_2.id)]),
            len(copies),
        )
        # the second company's manager does not see the first company's
        visible = Question.with_user(manager).with_company(self.company_2).search([])
        self.assertEqual(visible.company_id, self.company_2)
