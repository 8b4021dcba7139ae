# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Success factor owners told in Odoo's digest how many of theirs are at
risk or off track, checked in the digest's own rendering."""

from lxml import html

from odoo.tests import tagged

from .common import CsfCommon

KPI = "kpi_crm_csf_my_factors"


@tagged("post_install", "-at_install")
class TestPlanningDigest(CsfCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        thresholds = {
            "target": 100.0,
            "warning_threshold": 90.0,
            "critical_threshold": 70.0,
        }
        indicators = {
            name: cls._manual(f"csf_digest_{name}")
            for name in ("off", "risk", "on", "dropped")
        }
        cls._scorecard(
            "Digest scorecard",
            lines=[(indicator, dict(thresholds)) for indicator in indicators.values()],
        )
        (month,) = cls._months(cls.YEAR, 2, 2)
        # 30: score 0 (off track); 80: 55 (at risk); 100: on track
        for name, value in (
            ("off", 30.0),
            ("risk", 80.0),
            ("on", 100.0),
            ("dropped", 30.0),
        ):
            cls._value(indicators[name], month, value)
        owner = {"owner_id": cls.user_bsc.id}
        cls.off = cls._csf("Digest off track", lines=[(indicators["off"], {})], **owner)
        cls.risk = cls._csf("Digest at risk", lines=[(indicators["risk"], {})], **owner)
        cls.on = cls._csf("Digest on track", lines=[(indicators["on"], {})], **owner)
        cls.dropped = cls._csf(
            "Digest dropped", lines=[(indicators["dropped"], {})], **owner
        )
        cls.dropped.sudo().write({"state": "dropped", "drop_reason": "No"})
        cls.others = cls._csf(
            "Digest someone else's",
            lines=[(indicators["off"], {})],
            owner_id=cls.user_bsc_2.id,
        )
        cls.digest = cls.env["digest.digest"].create(
            {
                "name": "Planning digest",
                KPI: True,
                "kpi_crm_bsc_my_objectives": True,
                "user_ids": [(6, 0, (cls.user_bsc | cls.user_bsc_2).ids)],
            }
        )

    def _kpis(self, user):
        return {
            kpi["kpi_name"]: kpi
            for kpi in self.digest._compute_kpis(user.company_id, user)
        }

    def test_the_healths_behind_the_count(self):
        self.assertEqual(
            (self.off | self.risk | self.on | self.dropped).mapped("health_status"),
            ["off_track", "at_risk", "on_track", "off_track"],
        )

    def test_owners_get_the_status_of_what_they_own(self):
        # off track and at risk; not the factor on track nor the dropped one
        kpi = self._kpis(self.user_bsc)[KPI]
        self.assertEqual(kpi["kpi_col1"]["value"], 2)
        self.assertEqual(kpi["kpi_fullname"], "My Success Factors Off Track")
        self.assertIn("crm_csf_planning.crm_csf_action", kpi["kpi_action"])
        self.assertEqual(self._kpis(self.user_bsc_2)[KPI]["kpi_col1"]["value"], 1)
        self.risk.owner_id = self.user_bsc_2
        self.assertEqual(self._kpis(self.user_bsc)[KPI]["kpi_col1"]["value"], 1)
        self.assertEqual(self._kpis(self.user_bsc_2)[KPI]["kpi_col1"]["value"], 2)
        # an achieved factor is no longer followed
        self.off.sudo().write({"state": "achieved"})
        self.assertEqual(self._kpis(self.user_bsc)[KPI]["kpi_col1"]["value"], 0)

    def test_rendered_mail(self):
        self.digest._action_send_to_user(self.user_bsc)
        mail = self.env["mail.mail"].search(
            [("email_to", "ilike", self.user_bsc.email)], order="id desc", limit=1
        )
        body = html.fromstring(str(mail.body_html))
        (table,) = body.xpath(f"//table[@data-field='{KPI}']")
        self.assertIn("My Success Factors Off Track", table.text_content())
        values = table.xpath(
            ".//span[contains(concat(' ', normalize-space(@class), ' '),"
            " ' kpi_value ')]"
        )
        self.assertEqual(values[0].text_content().strip(), "2")
        # beside the objectives the user owns
        self.assertTrue(body.xpath("//table[@data-field='kpi_crm_bsc_my_objectives']"))

    def test_users_without_the_group_do_not_get_it(self):
        self.assertNotIn(KPI, self._kpis(self.user_salesman))
