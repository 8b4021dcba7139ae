# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Every method an RPC can reach, called as an RPC would call it (ids and
plain values, ``with_user``) by real users of each group and company: each
call is allowed or refused as decided, and a refusal is a clean AccessError,
UserError or ValidationError, never a traceback.

Who may do what (the README's roles):

- scorecard managers compute, configure and close periods, in their
  companies;
- scorecard users read, compute an indicator without storing it
  (``compute_value``) and enter the values of the manual indicators they own;
- sales administrators (and scorecard managers) manage segments and channels;
- other internal users read segments and channels; portal users nothing.
"""

import inspect
from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import BscCommon

OK, REFUSED = "ok", "refused"
USERS = (
    "portal",
    "salesman",
    "sales_admin",
    "bsc_user",
    "manager",
    "manager_2",
)


def _only(*allowed):
    """Expected outcome per user: allowed for ``allowed``, refused else."""
    return {user: OK if user in allowed else REFUSED for user in USERS}


# Methods whose module is a CRUD or framework method, not the addon's API.
FRAMEWORK = {
    "create",
    "write",
    "unlink",
    "copy",
    "init",
    "default_get",
    "name_create",
    "fields_get",
    "get_views",
    "onchange",
    "action_archive",
    "action_unarchive",
}


@tagged("post_install", "-at_install")
class TestRpcRights(BscCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        c1, c2 = cls.company.id, cls.company_2.id
        cls.users = {
            "portal": cls._user("bsc_portal", "base.group_portal", name="Pia Portal"),
            "salesman": cls.user_salesman,
            "sales_admin": cls._user(
                "bsc_sales_admin", "sales_team.group_sale_manager", name="Sal Admin"
            ),
            "bsc_user": cls.user_bsc,
            "manager": cls.user_bsc_manager,
            "manager_2": cls.user_manager_2,
        }
        cls.segment = cls._segment("RPC Key accounts", company_id=c1)
        cls.channel = cls._channel("RPC Phone", company_id=c1)
        cls.objective = cls._objective("RPC Grow", company_id=c1)
        cls.manual = cls._indicator(
            "rpc_calls", name="Calls", owner_id=cls.user_bsc.id, company_id=c1
        )
        cls.builtin = cls._indicator(
            "rpc_won",
            computation="builtin",
            builtin_code="won_deals",
        )
        cls.period = cls._period(1)
        cls.period_2 = cls._period(1, company_id=c2)
        cls.scorecard = cls._scorecard(
            "RPC One",
            company_id=c1,
            period_id=cls.period.id,
            lines=[(cls.manual, {"target": 10}), (cls.builtin, {"target": 5})],
        )
        cls.scorecard_2 = cls._scorecard(
            "RPC Two", company_id=c2, period_id=cls.period_2.id
        )
        cls.value = cls._value(cls.manual, cls.period, 4.0)
        # the running month, for the buttons that show it
        today = date.today()
        cls.env["crm.bsc.period"]._generate("month", today, today, cls.company)

    # ------------------------------------------------------------------
    # Calling as an RPC does
    # ------------------------------------------------------------------
    def rpc(self, user, model, ids, method, *args):
        """Call ``method`` of ``model`` on ``ids`` as ``user``; return OK,
        or REFUSED when a clean refusal was raised (anything else fails the
        test: it would reach the user as a traceback)."""
        records = self.env[model].with_user(self.users[user]).browse(ids)
        try:
            with self.env.cr.savepoint():
                result = getattr(records, method)(*args)
                if isinstance(result, dict) and result.get("res_model"):
                    # an action opening a wizard or records: it loads
                    self.env[result["res_model"]].with_user(self.users[user])
        except (AccessError, UserError, ValidationError):
            return REFUSED
        return OK

    def wizard_rpc(self, user, model, vals, method):
        """Create a wizard and press its button as ``user``."""
        Wizard = self.env[model].with_user(self.users[user])
        try:
            with self.env.cr.savepoint():
                wizard = Wizard.create(vals)
                getattr(wizard, method)()
        except (AccessError, UserError, ValidationError):
            return REFUSED
        return OK

    def assertDecided(self, call, expected):
        for user in USERS:
            with self.subTest(user=user):
                self.assertEqual(call(user), expected[user])

    # ------------------------------------------------------------------
    # The decisions
    # ------------------------------------------------------------------
    def decisions(self):
        sc, sc2 = self.scorecard.ids, self.scorecard_2.ids
        period = self.period.ids
        start, end = str(date(self.YEAR, 1, 1)), str(date(self.YEAR, 1, 31))
        return [
            # scorecards: managers of the scorecard's company
            ("crm.bsc.scorecard", "action_compute_now", sc, (), _only("manager")),
            ("crm.bsc.scorecard", "action_compute_now", sc2, (), _only("manager_2")),
            ("crm.bsc.scorecard", "action_compute_history", sc, (), _only("manager")),
            ("crm.bsc.scorecard", "action_activate", sc, (), _only("manager")),
            ("crm.bsc.scorecard", "action_set_draft", sc, (), _only("manager")),
            (
                "crm.bsc.scorecard",
                "action_archive_scorecard",
                sc,
                (),
                _only("manager"),
            ),
            (
                "crm.bsc.scorecard",
                "action_generate_segment_scorecards",
                sc,
                (),
                _only("manager"),
            ),
            # ...readers open what they read
            (
                "crm.bsc.scorecard",
                "action_view_values",
                sc,
                (),
                _only("bsc_user", "manager"),
            ),
            (
                "crm.bsc.scorecard",
                "action_view_generated",
                sc,
                (),
                _only("bsc_user", "manager"),
            ),
            # the manager's view: readers open, export and draw; the period
            # shown is the scorecard's, which managers change
            (
                "crm.bsc.scorecard",
                "action_export_xlsx",
                sc,
                (),
                _only("bsc_user", "manager"),
            ),
            (
                "crm.bsc.scorecard",
                "action_open_strategy_map",
                sc,
                (),
                _only("bsc_user", "manager"),
            ),
            (
                "crm.bsc.scorecard",
                "get_strategy_map_data",
                sc,
                (),
                _only("bsc_user", "manager"),
            ),
            (
                "crm.bsc.scorecard",
                "get_strategy_map_data",
                sc,
                (self.period_2.id,),
                _only(),
            ),
            (
                "crm.bsc.scorecard",
                "get_dashboard_data",
                [],
                (),
                _only("bsc_user", "manager", "manager_2"),
            ),
            (
                "crm.bsc.scorecard",
                "action_show_running_period",
                sc,
                (),
                _only("manager"),
            ),
            (
                "crm.bsc.scorecard",
                "action_show_last_period",
                sc,
                (),
                _only("manager"),
            ),
            # periods: managers of the period's company
            ("crm.bsc.period", "action_close", period, (), _only("manager")),
            ("crm.bsc.period", "action_reopen", period, (), _only("manager")),
            # indicators: scorecard users compute without storing
            (
                "crm.bsc.indicator",
                "compute_value",
                self.builtin.ids,
                (start, end),
                _only("bsc_user", "manager", "manager_2"),
            ),
            (
                "crm.bsc.indicator",
                "compute_value",
                self.manual.ids,
                (start, end),
                _only("bsc_user", "manager"),
            ),
            (
                "crm.bsc.indicator",
                "action_view_values",
                self.builtin.ids,
                (),
                _only("bsc_user", "manager", "manager_2"),
            ),
            (
                "crm.bsc.objective",
                "action_view_indicators",
                self.objective.ids,
                (),
                _only("bsc_user", "manager"),
            ),
            # segments and channels: sales administrators and managers
            (
                "crm.customer.segment",
                "action_assign_partners",
                self.segment.ids,
                (),
                _only("sales_admin", "manager"),
            ),
            (
                "crm.contact.channel",
                "action_apply_to_leads",
                self.channel.ids,
                (),
                _only("sales_admin", "manager"),
            ),
            # ...every internal user of the company reads them
            (
                "crm.customer.segment",
                "action_view_partners",
                self.segment.ids,
                (),
                _only("salesman", "sales_admin", "bsc_user", "manager"),
            ),
            (
                "crm.customer.segment",
                "action_view_leads",
                self.segment.ids,
                (),
                _only("salesman", "sales_admin", "bsc_user", "manager"),
            ),
            (
                "crm.contact.channel",
                "action_view_leads",
                self.channel.ids,
                (),
                _only("salesman", "sales_admin", "bsc_user", "manager"),
            ),
        ]

    def test_every_public_method_is_allowed_or_refused_as_decided(self):
        for model, method, ids, args, expected in self.decisions():
            with self.subTest(model=model, method=method, ids=ids):
                self.assertDecided(
                    lambda user, m=model, n=method, i=ids, a=args: self.rpc(
                        user, m, i, n, *a
                    ),
                    expected,
                )

    def test_wizards_are_for_managers(self):
        cases = [
            (
                "crm.bsc.scorecard.compute",
                {
                    "scorecard_ids": [(6, 0, self.scorecard.ids)],
                    "date_from": date(self.YEAR, 1, 1),
                    "date_to": date(self.YEAR, 1, 31),
                },
                "action_compute",
            ),
            (
                "crm.bsc.period.generate",
                {
                    "period_type": "month",
                    "date_from": date(self.YEAR, 3, 1),
                    "date_to": date(self.YEAR, 3, 31),
                },
                "action_generate",
            ),
            (
                "crm.bsc.scorecard.generate",
                {
                    "template_id": self.scorecard.id,
                    "segment_ids": [(6, 0, self.segment.ids)],
                },
                "action_apply",
            ),
        ]
        expected = {
            "crm.bsc.scorecard.compute": _only("manager"),
            # each manager generates the periods of their own company
            "crm.bsc.period.generate": _only("manager", "manager_2"),
            "crm.bsc.scorecard.generate": _only("manager"),
        }
        for model, vals, method in cases:
            with self.subTest(model=model):
                self.assertDecided(
                    lambda user, m=model, v=vals, n=method: self.wizard_rpc(
                        user, m, v, n
                    ),
                    expected[model],
                )

    def test_a_manager_cannot_work_on_another_company_through_a_wizard(self):
        self.assertEqual(
            self.wizard_rpc(
                "manager_2",
                "crm.bsc.scorecard.compute",
                {
                    "scorecard_ids": [(6, 0, self.scorecard.ids)],
                    "date_from": date(self.YEAR, 1, 1),
                    "date_to": date(self.YEAR, 1, 31),
                },
                "action_compute",
            ),
            REFUSED,
        )
        self.assertEqual(
            self.wizard_rpc(
                "manager_2",
                "crm.bsc.period.generate",
                {
                    "period_type": "month",
                    "company_id": self.company.id,
                    "date_from": date(self.YEAR, 3, 1),
                    "date_to": date(self.YEAR, 3, 31),
                },
                "action_generate",
            ),
            REFUSED,
        )

    def test_every_public_method_of_the_addon_is_decided(self):
        """A new public method must be added to the decisions above."""
        decided = {(model, method) for model, method, *_rest in self.decisions()}
        decided |= {
            ("crm.bsc.scorecard.compute", "action_compute"),
            ("crm.bsc.period.generate", "action_generate"),
            ("crm.bsc.scorecard.generate", "action_apply"),
        }
        found = set()
        for name in self.env.registry:
            for cls in type(self.env[name]).__mro__:
                if not cls.__module__.startswith("odoo.addons.crm_bsc_scorecard."):
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

    def test_the_portal_user_reaches_nothing(self):
        portal = self.users["portal"]
        for record in (
            self.scorecard,
            self.value,
            self.period,
            self.manual,
            self.objective,
            self.segment,
        ):
            with (
                self.subTest(model=record._name),
                self.assertRefused(AccessError, record._name),
            ):
                record.with_user(portal).read(["display_name"])
