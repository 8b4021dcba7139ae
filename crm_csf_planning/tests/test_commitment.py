# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CsfCommon


@tagged("post_install", "-at_install")
class TestCommitment(CsfCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.indicator = cls._manual("csf_commit_nps")
        cls.indicator_2 = cls._manual("csf_commit_csat")
        # the owner is a scorecard user: they draft and submit their plan
        cls.csf = cls._csf(
            "Delight the key accounts",
            owner_id=cls.user_bsc.id,
            budget=1000.0,
            fte=1.5,
            lines=[(cls.indicator, {"weight": 1.0})],
        )

    def test_workflow_draft_submitted_committed_achieved(self):
        csf = self.csf.with_user(self.user_bsc)
        csf.action_submit()
        self.assertEqual(csf.state, "submitted")
        # a user cannot approve, not even their own plan
        with self.assertRefused(AccessError, r"Only a scorecard manager"):
            csf.action_commit()
        self.assertEqual(self.csf.state, "submitted")
        self.assertFalse(self.csf.approved_by_id)
        self.csf.with_user(self.user_bsc_manager).action_commit()
        self.assertEqual(self.csf.state, "committed")
        self.assertEqual(self.csf.approved_by_id, self.user_bsc_manager)
        self.assertTrue(self.csf.approved_date)
        self.assertTrue(self.csf.is_locked)
        self.assertIn(
            "approved by Max Scorecard Manager",
            " ".join(self.csf.message_ids.mapped("body")),
        )
        with self.assertRefused(AccessError, r"Only a scorecard manager"):
            csf.action_achieve()
        self.csf.with_user(self.user_bsc_manager).action_achieve()
        self.assertEqual(self.csf.state, "achieved")

    def test_only_the_owner_or_a_manager_submits(self):
        with self.assertRefused(AccessError, r"owner of the success factor"):
            self.csf.with_user(self.user_bsc_2).action_submit()
        self.assertEqual(self.csf.state, "draft")

    def test_a_plan_without_indicator_cannot_be_submitted(self):
        empty = self._csf("Nothing measured", owner_id=self.user_bsc.id)
        with self.assertRefused(UserError, r"Nothing measured.*no indicator"):
            empty.with_user(self.user_bsc).action_submit()

    def test_wrong_state_transitions_are_refused(self):
        manager = self.csf.with_user(self.user_bsc_manager)
        with self.assertRefused(UserError, r"Draft.*cannot be committed"):
            manager.action_commit()
        with self.assertRefused(UserError, r"cannot be marked achieved"):
            manager.action_achieve()

    def test_the_workflow_fields_cannot_be_written_by_a_client(self):
        with self.assertRefused(UserError, r"State.*cannot be written"):
            self.csf.with_user(self.user_bsc).write({"state": "committed"})
        with self.assertRefused(UserError, r"Approved By"):
            self.csf.with_user(self.user_bsc_manager).write(
                {"approved_by_id": self.user_bsc_manager.id}
            )
        with self.assertRefused(UserError, r"Health"):
            self.csf.with_user(self.user_bsc_manager).write({"health": 99})
        self.assertEqual(self.csf.state, "draft")

    def test_drop_needs_a_reason_and_a_manager(self):
        self.csf.with_user(self.user_bsc).action_submit()
        with self.assertRefused(AccessError, r"Only a scorecard manager"):
            self.csf.with_user(self.user_bsc).action_open_drop_wizard()
        action = self.csf.with_user(self.user_bsc_manager).action_open_drop_wizard()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.user_bsc_manager)
            .with_context(**action["context"])
            .create({"reason": "   "})
        )
        with self.assertRefused(UserError, r"Say why.*Reason"):
            wizard.action_drop()
        wizard.reason = "The key accounts asked for visits instead."
        wizard.action_drop()
        self.assertEqual(self.csf.state, "dropped")
        self.assertEqual(
            self.csf.drop_reason, "The key accounts asked for visits instead."
        )
        # back to draft clears the approval and the reason
        self.csf.with_user(self.user_bsc_manager).action_reset_draft()
        self.assertEqual(self.csf.state, "draft")
        self.assertFalse(self.csf.drop_reason)

    def _commit(self):
        self.csf.with_user(self.user_bsc).action_submit()
        self.csf.with_user(self.user_bsc_manager).action_commit()

    def test_a_committed_plan_is_locked_for_its_owner(self):
        self._commit()
        owner = self.csf.with_user(self.user_bsc)
        for vals, field in (
            ({"budget": 5000.0}, "Budget"),
            ({"fte": 3.0}, r"People \(FTE\)"),
            ({"date_target": "2030-01-01"}, "Target Date"),
        ):
            with (
                self.subTest(field=field),
                self.assertRefused(
                    UserError, rf"Delight the key accounts.*Committed.*{field}"
                ),
            ):
                owner.write(vals)
        line = self.csf.indicator_line_ids.with_user(self.user_bsc)
        with self.assertRefused(UserError, r"only a scorecard manager.*Weight.*3"):
            line.weight = 3.0
        with self.assertRefused(UserError, r"only a scorecard manager"):
            line.unlink()
        with self.assertRefused(UserError, r"only a scorecard manager"):
            self.env["crm.csf.indicator"].with_user(self.user_bsc).create(
                {"csf_id": self.csf.id, "indicator_id": self.indicator_2.id}
            )
        # nothing half-written
        self.assertEqual(self.csf.budget, 1000.0)
        self.assertEqual(self.csf.indicator_line_ids.weight, 1.0)
        self.assertEqual(len(self.csf.indicator_line_ids), 1)
        # what is not the plan stays editable by the owner
        owner.description = "<p>Visits every quarter.</p>"
        self.assertIn("Visits", self.csf.description)

    def test_a_manager_changes_a_committed_plan_with_a_trace(self):
        self._commit()
        manager_csf = self.csf.with_user(self.user_bsc_manager)
        before = len(self.csf.message_ids)
        manager_csf.write({"budget": 2500.0, "fte": 2.0})
        self.assertEqual(self.csf.budget, 2500.0)
        messages = self.csf.message_ids[: len(self.csf.message_ids) - before]
        trace = " ".join(messages.mapped("body"))
        self.assertIn("Change to the Committed plan by Max Scorecard Manager", trace)
        self.assertIn("1,000.00", trace)
        self.assertIn("2,500.00", trace)
        # an indicator added through the form (one2many command) is traced once
        before = len(self.csf.message_ids)
        manager_csf.write(
            {
                "indicator_line_ids": [
                    (0, 0, {"indicator_id": self.indicator_2.id, "weight": 2.0})
                ]
            }
        )
        new = self.csf.message_ids[: len(self.csf.message_ids) - before]
        traces = [m for m in new if "Change to the Committed plan" in (m.body or "")]
        self.assertEqual(len(traces), 1)
        self.assertIn("csf_commit_csat ×2", traces[0].body)
        # and a line changed directly by a manager too
        before = len(self.csf.message_ids)
        self.csf.indicator_line_ids[0].with_user(self.user_bsc_manager).weight = 4.0
        new = self.csf.message_ids[: len(self.csf.message_ids) - before]
        self.assertTrue(any("×4" in (m.body or "") for m in new))

    def test_a_user_cannot_change_a_factor_they_do_not_own(self):
        with self.assertRaises(AccessError):
            self.csf.with_user(self.user_bsc_2).write({"name": "Mine now"})
        self.assertEqual(self.csf.name, "Delight the key accounts")
