# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=consider-merging-classes-inherited
# (the addon keeps each feature's extension of a model in a file of its own)
"""The customer's scores on contacts: form, list, search and group-by (a
join on the scores of the current company; nothing is stored on partners),
and the contact changes that move a customer's scores."""

from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from .crm_customer_score import LIFECYCLE_STAGES, RISK_BANDS, SCORE_GROUP

# partner fields whose change moves a customer's scores or dimensions
PARTNER_SCORE_FIELDS = {"parent_id", "is_company", "active", "user_id"}


class ResPartner(models.Model):
    _inherit = "res.partner"

    bsc_score_ids = fields.One2many(
        "crm.customer.score", "partner_id", string="Customer Scores", groups=SCORE_GROUP
    )
    bsc_score_id = fields.Many2one(
        "crm.customer.score",
        string="Customer Score",
        compute="_compute_bsc_score_id",
        groups=SCORE_GROUP,
        help="The scores of the customer (its company, for a contact) in the "
        "current company.",
    )
    bsc_score_count = fields.Integer(
        string="Scores", compute="_compute_bsc_score_id", groups=SCORE_GROUP
    )
    bsc_p_alive = fields.Float(
        compute="_compute_bsc_score_id", string="Probability Alive", groups=SCORE_GROUP
    )
    bsc_churn_propensity = fields.Float(
        compute="_compute_bsc_score_id",
        string="Churn Propensity",
        groups=SCORE_GROUP,
    )
    bsc_expected_purchases_90d = fields.Float(
        compute="_compute_bsc_score_id",
        string="Expected Transactions (90 days)",
        groups=SCORE_GROUP,
    )
    bsc_predicted_clv = fields.Monetary(
        compute="_compute_bsc_score_id",
        string="Predicted Lifetime Value",
        currency_field="bsc_score_currency_id",
        groups=SCORE_GROUP,
    )
    bsc_score_currency_id = fields.Many2one(
        "res.currency",
        string="Score Currency",
        compute="_compute_bsc_score_id",
        groups=SCORE_GROUP,
    )
    bsc_rfm_code = fields.Char(
        compute="_compute_bsc_score_id", string="RFM", groups=SCORE_GROUP
    )
    bsc_last_transaction_date = fields.Date(
        compute="_compute_bsc_score_id", string="Last Transaction", groups=SCORE_GROUP
    )
    bsc_risk_band = fields.Selection(
        RISK_BANDS,
        string="Risk Band",
        compute="_compute_bsc_score_id",
        search="_search_bsc_risk_band",
        groups=SCORE_GROUP,
        help="The customer's churn risk in the current company.",
    )
    bsc_lifecycle_stage = fields.Selection(
        LIFECYCLE_STAGES,
        string="Lifecycle Stage",
        compute="_compute_bsc_score_id",
        search="_search_bsc_lifecycle_stage",
        groups=SCORE_GROUP,
    )

    @api.depends_context("company")
    @api.depends("commercial_partner_id")
    def _compute_bsc_score_id(self):
        company = self.env.company
        scores = self.env["crm.customer.score"].search(
            [
                ("partner_id", "in", self.commercial_partner_id.ids),
                ("company_id", "=", company.id),
            ]
        )
        by_partner = {score.partner_id.id: score for score in scores}
        counts = dict(
            self.env["crm.customer.score"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        empty = self.env["crm.customer.score"]
        for partner in self:
            commercial = partner.commercial_partner_id
            score = by_partner.get(commercial.id, empty)
            partner.bsc_score_id = score
            partner.bsc_score_count = counts.get(commercial, 0)
            partner.bsc_p_alive = score.p_alive
            partner.bsc_churn_propensity = score.churn_propensity
            partner.bsc_expected_purchases_90d = score.expected_purchases_90d
            partner.bsc_predicted_clv = score.predicted_clv
            partner.bsc_score_currency_id = (
                score.currency_id or self.env.company.currency_id
            )
            partner.bsc_rfm_code = score.rfm_code
            partner.bsc_last_transaction_date = score.last_date
            partner.bsc_risk_band = score.risk_band
            partner.bsc_lifecycle_stage = score.lifecycle_stage

    def _bsc_score_search(self, field, operator, value):
        """Partners whose customer's score in the current company has
        ``field`` ``operator`` ``value``."""
        if operator not in ("=", "!=", "in", "not in"):
            raise NotImplementedError(
                _("Operator %(operator)s is not supported here.", operator=operator)
            )
        values = value if isinstance(value, list | tuple) else [value]
        negative = operator in ("!=", "not in")
        wanted = [v for v in values if v]
        inner = [("company_id", "=", self.env.company.id)]
        if wanted:
            inner.append((field, "in", wanted))
        # "= False": the customers without a score in the company
        has = ("commercial_partner_id.bsc_score_ids", "any", inner)
        if not wanted:
            return [has] if negative else ["!", has]
        return ["!", has] if negative else [has]

    def _search_bsc_risk_band(self, operator, value):
        return self._bsc_score_search("risk_band", operator, value)

    def _search_bsc_lifecycle_stage(self, operator, value):
        return self._bsc_score_search("lifecycle_stage", operator, value)

    @api.model
    def _read_group_groupby(self, groupby_spec, query):
        """Group partners by the risk band or lifecycle stage of their
        customer's score in the current company (a join, nothing stored on
        partners)."""
        fname = groupby_spec.split(":")[0]
        columns = {
            "bsc_risk_band": "risk_band",
            "bsc_lifecycle_stage": "lifecycle_stage",
        }
        if fname not in columns:
            return super()._read_group_groupby(groupby_spec, query)
        if not self.env.su and not self.env.user.has_group(SCORE_GROUP):
            raise AccessError(_("Only salespeople can group contacts by their scores."))
        alias = query.make_alias(self._table, "bsc_score")
        query.add_join(
            "LEFT JOIN",
            alias,
            "crm_customer_score",
            SQL(
                "%s = %s AND %s = %s",
                SQL.identifier(alias, "partner_id"),
                SQL.identifier(self._table, "commercial_partner_id"),
                SQL.identifier(alias, "company_id"),
                self.env.company.id,
            ),
        )
        return SQL.identifier(alias, columns[fname])

    def action_view_bsc_scores(self):
        """The scores of the customer (of its company, for a contact), in
        the companies the user can see."""
        self.ensure_one()
        if not self.env.user.has_group(SCORE_GROUP):
            raise AccessError(_("Only salespeople can group contacts by their scores."))
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_bsc_scorecard.crm_customer_score_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action

    def write(self, vals):
        follow = bool(PARTNER_SCORE_FIELDS & set(vals))
        before = set(self.sudo().commercial_partner_id.ids) if follow else set()
        result = super().write(vals)
        if follow:
            after = set(self.sudo().commercial_partner_id.ids)
            # sudo: internal bookkeeping of which customers to rescore
            self.env["crm.customer.score.pending"].sudo()._record(
                (None, customer) for customer in before | after
            )
        return result
