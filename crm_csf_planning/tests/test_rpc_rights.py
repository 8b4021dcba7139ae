# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Every method of the planning addon an RPC can reach, called as an RPC
would call it by users of each group and company: allowed or refused as
decided, and a refusal is a clean AccessError, UserError or ValidationError.
Each call runs in a savepoint rolled back afterwards, so that the calls do
not see each other's effects."""

import inspect
from contextlib import closing

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import CsfCommon

OK, REFUSED = "ok", "refused"
USERS = ("portal", "employee", "owner", "other_user", "manager", "manager_2")
FRAMEWORK = {
    "create",
    "write",
    "unlink",
    "copy",
    "init",
    "default_get",
    "fields_get",
    "get_views",
    "onchange",
    "action_archive",
    "action_unarchive",
}


def _only(*allowed):
    return {user: OK if user in allowed else REFUSED for user in USERS}


READERS = _only("owner", "other_user", "manager")


@tagged("post_install", "-at_install")
class TestPlanningRpcRights(CsfCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            "portal": cls._user("csf_portal", "base.group_portal", name="Pia Portal"),
            "employee": cls.user_employee,
            "owner": cls.user_bsc,
            "other_user": cls.user_bsc_2,
            "manager": cls.user_bsc_manager,
            "manager_2": cls.user_manager_2,
        }
        indicator = cls._manual("csf_rpc_nps")
        line = [(indicator, {})]
        owner = {"owner_id": cls.user_bsc.id}
        cls.draft = cls._csf("RPC draft", lines=line, **owner)
        cls.submitted = cls._csf("RPC submitted", lines=line, **owner)
        cls.submitted.write({"state": "submitted"})
        cls.committed = cls._csf("RPC committed", lines=line, **owner)
        cls.committed.write({"state": "committed"})
        cls.action = cls._action(cls.draft, "RPC action", user_id=cls.user_bsc.id)
        cls.done_action = cls._action(
            cls.draft, "RPC done", user_id=cls.user_bsc.id, state="done"
        )
        cls.process = cls.env.ref("crm_csf_planning.process_strategy")
        cls.question = cls.env["crm.process.question"].create(
            {
                "name": "RPC question?",
                "process_id": cls.process.id,
                "answer": "<p>Yes</p>",
                "owner_id": cls.user_bsc.id,
            }
        )
        Assessment = cls.env["crm.maturity.assessment"]
        assessors = [Command.set(cls.user_bsc.ids)]
        cls.assessment_draft = Assessment.create(
            {
                "name": "RPC draft assessment",
                "date": "2003-03-01",
                "assessor_ids": assessors,
            }
        )
        cls.assessment_running = Assessment.create(
            {
                "name": "RPC running assessment",
                "date": "2003-04-01",
                "assessor_ids": assessors,
            }
        )
        cls.assessment_running.action_start()
        cls.assessment_running.rating_ids.level = 3
        cls.period = cls._months(cls.YEAR, 5, 5)
        cls.weights = cls.env["crm.csf.contribution.weight"].create(
            {"period_id": cls.period.id}
        )

    def rpc(self, user, model, ids, method, *args):
        records = self.env[model].with_user(self.users[user]).browse(ids)
        try:
            with closing(self.env.cr.savepoint()):
                result = getattr(records, method)(*args)
                if isinstance(result, dict) and result.get("res_model"):
                    self.env[result["res_model"]].with_user(self.users[user])
        except (AccessError, UserError, ValidationError):
            return REFUSED
        finally:
            self.env.invalidate_all()
        return OK

    def decisions(self):
        csf, action, assessment = "crm.csf", "crm.csf.action", "crm.maturity.assessment"
        return [
            (csf, "action_submit", self.draft.ids, _only("owner", "manager")),
            (csf, "action_commit", self.submitted.ids, _only("manager")),
            (csf, "action_achieve", self.committed.ids, _only("manager")),
            (csf, "action_reset_draft", self.submitted.ids, _only("owner", "manager")),
            (csf, "action_reset_draft", self.committed.ids, _only("manager")),
            (csf, "action_open_drop_wizard", self.submitted.ids, _only("manager")),
            (csf, "action_refresh_health", self.draft.ids, READERS),
            (csf, "action_view_actions", self.draft.ids, READERS),
            # Export to Excel: the readers of the factors' company
            (csf, "action_export_xlsx", (self.draft | self.committed).ids, READERS),
            (
                csf,
                "get_heatmap_data",
                [],
                _only("owner", "other_user", "manager", "manager_2"),
            ),
            (
                "crm.csf.category",
                "action_create_enterprise_csfs",
                self.category_planning.ids,
                _only("manager", "manager_2"),
            ),
            (action, "action_start", self.action.ids, _only("owner", "manager")),
            (action, "action_done", self.action.ids, _only("owner", "manager")),
            (action, "action_cancel", self.action.ids, _only("owner", "manager")),
            (action, "action_reset", self.done_action.ids, _only("owner", "manager")),
            (
                "crm.process",
                "action_add_standard_questions",
                self.process.ids,
                _only("manager", "manager_2"),
            ),
            (
                "crm.process.question",
                "action_mark_reviewed",
                self.question.ids,
                _only("owner", "manager"),
            ),
            (assessment, "action_start", self.assessment_draft.ids, _only("manager")),
            (
                assessment,
                "action_measure_evidence",
                self.assessment_draft.ids,
                _only("manager"),
            ),
            (assessment, "action_done", self.assessment_running.ids, _only("manager")),
            (
                assessment,
                "action_reset_draft",
                self.assessment_running.ids,
                _only("manager"),
            ),
            (assessment, "action_view_ratings", self.assessment_running.ids, READERS),
            (assessment, "action_export_xlsx", self.assessment_running.ids, READERS),
            (
                "crm.maturity.assessment.line",
                "action_open_line",
                self.assessment_running.line_ids[:1].ids,
                READERS,
            ),
            (
                "crm.csf.contribution.weight",
                "action_compute",
                self.weights.ids,
                _only("manager"),
            ),
            (
                "crm.csf.contribution",
                "action_compute_current",
                [],
                _only("manager", "manager_2"),
            ),
            (
                "crm.csf.contribution",
                "action_open_report",
                [],
                _only("owner", "other_user", "manager", "manager_2"),
            ),
        ]

    def test_every_public_method_is_allowed_or_refused_as_decided(self):
        for model, method, ids, expected in self.decisions():
            for user in USERS:
                with self.subTest(model=model, method=method, ids=ids, user=user):
                    self.assertEqual(self.rpc(user, model, ids, method), expected[user])

    def test_the_drop_wizard_is_for_managers(self):
        for user in USERS:
            with self.subTest(user=user):
                try:
                    with closing(self.env.cr.savepoint()):
                        wizard = (
                            self.env["crm.csf.drop"]
                            .with_user(self.users[user])
                            .create(
                                {
                                    "csf_ids": [Command.set(self.submitted.ids)],
                                    "reason": "No",
                                }
                            )
                        )
                        wizard.action_drop()
                    outcome = OK
                except (AccessError, UserError, ValidationError):
                    outcome = REFUSED
                finally:
                    self.env.invalidate_all()
                self.assertEqual(outcome, _only("manager")[user])

    def test_every_public_method_of_the_addon_is_decided(self):
        decided = {(model, method) for model, method, *_rest in self.decisions()}
        decided.add(("crm.csf.drop", "action_drop"))
        found = set()
        for name in self.env.registry:
            for cls in type(self.env[name]).__mro__:
                if not cls.__module__.startswith("odoo.addons.crm_csf_planning."):
                    continue
                for attr, member in vars(cls).items():
                    if (
                        attr.startswith("_")
                        or attr in FRAMEWORK
                        or not inspect.isfunction(member)
                        or getattr(member, "_api_private", False)
                    ):
                        continue
                    found.add((name, attr))
        self.assertEqual(sorted(found - decided), [])
