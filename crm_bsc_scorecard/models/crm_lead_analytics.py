# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=consider-merging-classes-inherited
# (the addon keeps each feature's extension of a model in a file of its own)
"""The scores of a lead's customer, on the lead form."""

from odoo import api, fields, models

from .crm_customer_score import LIFECYCLE_STAGES, RISK_BANDS, SCORE_GROUP


class CrmLead(models.Model):
    _inherit = "crm.lead"

    bsc_customer_score_id = fields.Many2one(
        "crm.customer.score",
        string="Customer Score",
        compute="_compute_bsc_customer_score_id",
        groups=SCORE_GROUP,
    )
    bsc_p_alive = fields.Float(
        compute="_compute_bsc_customer_score_id",
        string="Customer's Probability Alive",
        groups=SCORE_GROUP,
    )
    bsc_churn_propensity = fields.Float(
        compute="_compute_bsc_customer_score_id",
        string="Customer's Churn Propensity",
        groups=SCORE_GROUP,
    )
    bsc_risk_band = fields.Selection(
        RISK_BANDS,
        compute="_compute_bsc_customer_score_id",
        string="Customer's Risk Band",
        groups=SCORE_GROUP,
    )
    bsc_lifecycle_stage = fields.Selection(
        LIFECYCLE_STAGES,
        compute="_compute_bsc_customer_score_id",
        string="Customer's Lifecycle Stage",
        groups=SCORE_GROUP,
    )
    bsc_predicted_clv = fields.Monetary(
        compute="_compute_bsc_customer_score_id",
        string="Customer's Predicted Lifetime Value",
        currency_field="company_currency",
        groups=SCORE_GROUP,
    )
    bsc_rfm_code = fields.Char(
        compute="_compute_bsc_customer_score_id",
        string="Customer's RFM",
        groups=SCORE_GROUP,
    )

    @api.depends("partner_id.commercial_partner_id", "company_id")
    def _compute_bsc_customer_score_id(self):
        pairs = {
            (
                lead.partner_id.commercial_partner_id.id,
                (lead.company_id or self.env.company).id,
            )
            for lead in self
            if lead.partner_id
        }
        scores = self.env["crm.customer.score"].search(
            [
                ("partner_id", "in", [p for p, _c in pairs]),
                ("company_id", "in", [c for _p, c in pairs]),
            ]
        )
        by_key = {(s.partner_id.id, s.company_id.id): s for s in scores}
        empty = self.env["crm.customer.score"]
        for lead in self:
            key = (
                lead.partner_id.commercial_partner_id.id,
                (lead.company_id or self.env.company).id,
            )
            score = by_key.get(key, empty) if lead.partner_id else empty
            lead.bsc_customer_score_id = score
            lead.bsc_p_alive = score.p_alive
            lead.bsc_churn_propensity = score.churn_propensity
            lead.bsc_risk_band = score.risk_band
            lead.bsc_lifecycle_stage = score.lifecycle_stage
            lead.bsc_predicted_clv = score.predicted_clv
            lead.bsc_rfm_code = score.rfm_code
