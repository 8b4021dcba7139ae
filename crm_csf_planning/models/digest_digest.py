# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Telling staff about the strategic goals: to each owner of success
factors, in Odoo's periodic digest, how many of theirs are at risk or off
track (their health as last refreshed, hourly), beside the scorecard's
objectives."""

from odoo import _, fields, models
from odoo.exceptions import AccessError

from ..tools import health as health_tools

USER_GROUP = "crm_bsc_scorecard.group_bsc_user"
# a factor is planned, pursued or reached, not dropped
FOLLOWED_STATES = ("draft", "submitted", "committed")


class Digest(models.Model):
    _inherit = "digest.digest"

    kpi_crm_csf_my_factors = fields.Boolean("My Success Factors Off Track")
    kpi_crm_csf_my_factors_value = fields.Integer(
        compute="_compute_kpi_crm_csf_my_factors_value"
    )

    def _compute_kpi_crm_csf_my_factors_value(self):
        """Success factors of the digest's company that the recipient owns,
        still pursued (not achieved or dropped), at risk or off track."""
        if not self.env.user.has_group(USER_GROUP):
            raise AccessError(
                _("Do not have access, skip this data for user's digest email")
            )
        count = self.env["crm.csf"].search_count(
            [
                ("company_id", "=", self.env.company.id),
                ("owner_id", "=", self.env.user.id),
                ("state", "in", FOLLOWED_STATES),
                (
                    "health_status",
                    "in",
                    (health_tools.AT_RISK, health_tools.OFF_TRACK),
                ),
            ]
        )
        for digest in self:
            digest.kpi_crm_csf_my_factors_value = count

    def _compute_kpis_actions(self, company, user):
        res = super()._compute_kpis_actions(company, user)
        menu = self.env.ref("crm_csf_planning.crm_csf_menu_root").id
        res["kpi_crm_csf_my_factors"] = (
            f"crm_csf_planning.crm_csf_action&menu_id={menu}"
        )
        return res
