# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The scorecard in Odoo's digest e-mails, checked in the digest's own
rendering."""

from freezegun import freeze_time

from odoo.tests import tagged

from ..tools import scoring
from .test_manager_view import ManagerViewCommon


@tagged("post_install", "-at_install")
class TestDigest(ManagerViewCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.grow.owner_id = cls.user_bsc
        cls.digest = cls.env["digest.digest"].create(
            {
                "name": "MV Digest",
                "kpi_crm_bsc_score": True,
                "kpi_crm_bsc_critical": True,
                "kpi_crm_bsc_my_objectives": True,
                "user_ids": [(6, 0, cls.user_bsc.ids)],
            }
        )
        # the company's other active scorecards are left out
        cls.env["crm.bsc.scorecard"].search(
            [("id", "!=", cls.scorecard.id), ("state", "=", "active")]
        ).write({"state": "draft"})

    def _kpis(self, user):
        with freeze_time(f"{self.YEAR}-11-15 10:00:00"):
            return {
                kpi["kpi_name"]: kpi
                for kpi in self.digest._compute_kpis(user.company_id, user)
            }

    def test_kpis_of_a_scorecard_user(self):
        # November runs on the 15th: revenue 260 against 310 * 15/30 = 155
        # (on track), retention 91 (on track)
        kpis = self._kpis(self.user_bsc)
        with freeze_time(f"{self.YEAR}-11-15 10:00:00"):
            history = self.scorecard._history(
                self.scorecard._history_periods(until=self.months[10])
            )
        self.assertEqual(
            kpis["kpi_crm_bsc_score"]["kpi_col1"]["value"],
            f"{history['overall'][-1]:.2f}",
        )
        # October: revenue 230 was warning, retention 88 on track; in
        # November nothing turned critical
        self.assertEqual(kpis["kpi_crm_bsc_critical"]["kpi_col1"]["value"], 0)
        self.assertEqual(kpis["kpi_crm_bsc_my_objectives"]["kpi_col1"]["value"], 0)
        # 30 days earlier (previous column): October
        self.assertIn("kpi_crm_bsc_critical", kpis)

    def test_turned_critical_and_owner_told(self):
        # July: retention 72 (critical) after 85 in June; revenue 270
        # (warning) after 240 (warning)
        with freeze_time(f"{self.YEAR}-07-31 10:00:00"):
            kpis = {
                kpi["kpi_name"]: kpi
                for kpi in self.digest._compute_kpis(self.company, self.user_bsc)
            }
            history = self.scorecard._history(
                self.scorecard._history_periods(count=2, until=self.months[6])
            )
        turned = sum(
            1
            for series in history["lines"].values()
            if series[-1][2] == scoring.CRITICAL and series[-2][2] != scoring.CRITICAL
        )
        self.assertEqual(turned, 1)
        self.assertEqual(kpis["kpi_crm_bsc_critical"]["kpi_col1"]["value"], 1)
        # the user owns "grow revenue", in warning in July
        self.assertEqual(kpis["kpi_crm_bsc_my_objectives"]["kpi_col1"]["value"], 1)
        self.keep.owner_id = self.user_bsc
        with freeze_time(f"{self.YEAR}-07-31 10:00:00"):
            kpis = {
                kpi["kpi_name"]: kpi
                for kpi in self.digest._compute_kpis(self.company, self.user_bsc)
            }
        self.assertEqual(kpis["kpi_crm_bsc_my_objectives"]["kpi_col1"]["value"], 2)
        # another owner is told of nothing of these
        self.assertEqual(
            {
                kpi["kpi_name"]: kpi
                for kpi in self.digest._compute_kpis(
                    self.company, self.user_bsc_manager
                )
            }["kpi_crm_bsc_my_objectives"]["kpi_col1"]["value"],
            0,
        )

    def test_rendered_mail(self):
        with freeze_time(f"{self.YEAR}-07-31 10:00:00"):
            self.digest._action_send_to_user(self.user_bsc)
        mail = self.env["mail.mail"].search(
            [("email_to", "ilike", self.user_bsc.email)], order="id desc", limit=1
        )
        body = str(mail.body_html)
        self.assertIn("Scorecard Overall Score", body)
        self.assertIn("Indicators Turned Critical", body)
        self.assertIn("My Objectives Off Track", body)

    def test_users_without_the_group_do_not_get_them(self):
        kpis = self._kpis(self.user_salesman)
        self.assertNotIn("kpi_crm_bsc_score", kpis)
        self.assertNotIn("kpi_crm_bsc_my_objectives", kpis)
