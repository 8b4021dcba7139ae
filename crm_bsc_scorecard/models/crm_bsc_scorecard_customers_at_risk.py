# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=consider-merging-classes-inherited
"""The customers at risk in the manager's view: a sheet of the scorecards'
workbook and a list on the dashboard. Customers in the high risk band of
the customer analytics, with their salesperson, read with the user's
rights (tools/xlsx_customers.py writes the sheet)."""

from odoo import _, api, models
from odoo.osv import expression
from odoo.tools import format_amount, format_date

from ..tools import xlsx_customers

# the workbook lists at most this many customers (the most value at stake
# first), the dashboard this many
XLSX_CUSTOMERS_MAX = 5000
DASHBOARD_CUSTOMERS = 10
AT_RISK_ORDER = "predicted_clv desc nulls last, churn_propensity desc nulls last, id"


class CrmBscScorecard(models.Model):
    _inherit = "crm.bsc.scorecard"

    # ------------------------------------------------------------------
    # Which customers
    # ------------------------------------------------------------------
    def _customers_at_risk_domain(self, company=None):
        """The high-risk customers (of active contacts) of these scorecards:
        those of their segments in their companies, every customer of a
        company for a scorecard of all customers; of ``company`` for no
        scorecard (the dashboard)."""
        base = [("risk_band", "=", "high"), ("partner_active", "=", True)]
        if not self:
            company = company or self.env.company
            return base + [("company_id", "=", company.id)]
        parts = []
        for scorecard in self:
            part = [("company_id", "=", scorecard.company_id.id)]
            if scorecard.segment_id:
                part.append(("segment_id", "=", scorecard.segment_id.id))
            parts.append(part)
        return expression.AND([base, expression.OR(parts)])

    def _customers_at_risk(self, limit=None, company=None):
        """(scores, total): the customers at risk the current user can read,
        most value at stake first."""
        Score = self.env["crm.customer.score"]
        if not Score.has_access("read"):
            return Score, 0
        domain = self._customers_at_risk_domain(company)
        total = Score.search_count(domain)
        return Score.search(domain, order=AT_RISK_ORDER, limit=limit), total

    # ------------------------------------------------------------------
    # The workbook's sheet
    # ------------------------------------------------------------------
    def _xlsx_sheet_writers(self):
        return super()._xlsx_sheet_writers() + list(xlsx_customers.SHEETS)

    def _xlsx_labels(self):
        labels = super()._xlsx_labels()
        labels.update(
            {
                "customers_at_risk": _("Customers at Risk"),
                "customer": _("Customer"),
                "company": _("Company"),
                "risk_band": _("Risk band"),
                "lifecycle_stage": _("Lifecycle stage"),
                "p_alive": _("Probability alive"),
                "churn_propensity": _("Churn propensity"),
                "expected_90d": _("Expected transactions (90 days)"),
                "predicted_clv": _("Predicted lifetime value"),
                "total_value": _("Total value"),
                "transactions": _("Transactions"),
                "last_transaction": _("Last transaction"),
                "recency_days": _("Days since last transaction"),
                "rfm": _("RFM"),
                "no_customer_at_risk": _("No customer in the high risk band."),
            }
        )
        return labels

    def _xlsx_data(self):
        data = super()._xlsx_data()
        data["customers_at_risk"] = self._xlsx_customers_at_risk()
        return data

    def _xlsx_customers_at_risk(self):
        scores, total = self._customers_at_risk(limit=XLSX_CUSTOMERS_MAX)
        Score = self.env["crm.customer.score"]
        bands = dict(Score._fields["risk_band"]._description_selection(self.env))
        stages = dict(Score._fields["lifecycle_stage"]._description_selection(self.env))
        main_currency = (self[:1].company_id or self.env.company).currency_id
        Workbook = self.env["crm.bsc.workbook"]
        rows = []
        for score in scores:
            has_model = bool(score.model_id)
            currency = score.company_id.currency_id
            rows.append(
                {
                    "customer": score.partner_id.display_name,
                    "company": score.company_id.name,
                    "segment": score.segment_id.name or "",
                    "salesperson": score.user_id.name or _("(none)"),
                    "team": score.team_id.name or "",
                    "risk_band": bands.get(score.risk_band, ""),
                    "stage": stages.get(score.lifecycle_stage, ""),
                    # percent cells hold 0-100 (see Book.number_format)
                    "p_alive": 100 * score.p_alive if has_model else None,
                    "churn": 100 * score.churn_propensity if has_model else None,
                    "expected_90d": score.expected_purchases_90d if has_model else None,
                    "predicted_clv": score.predicted_clv if has_model else None,
                    "total_value": score.total_value,
                    "transactions": score.transaction_count,
                    "last_date": score.last_date or None,
                    "recency_days": score.recency_days,
                    "rfm": score.rfm_code or "",
                    "currency": Workbook._workbook_currency(currency)
                    if currency != main_currency
                    else None,
                }
            )
        if not total:
            note = ""
        elif len(rows) < total:
            note = _(
                "Customers in the high risk band: %(total)s; the %(shown)s with "
                "the most predicted lifetime value at stake are listed.",
                shown=len(rows),
                total=total,
            )
        else:
            note = _(
                "Customers in the high risk band: %(total)s, the most predicted "
                "lifetime value at stake first.",
                total=total,
            )
        return {
            "rows": rows,
            "note": note,
            "multi_company": len(self.company_id) > 1,
        }

    # ------------------------------------------------------------------
    # The dashboard's list
    # ------------------------------------------------------------------
    @api.model
    def get_dashboard_data(self):
        data = super().get_dashboard_data()
        scores, total = self.browse()._customers_at_risk(limit=DASHBOARD_CUSTOMERS)
        data["at_risk"] = {
            "company_id": self.env.company.id,
            "total": total,
            "rows": [
                {
                    "id": score.id,
                    "partner_id": score.partner_id.id,
                    "customer": score.partner_id.display_name,
                    "salesperson": score.user_id.name or "",
                    "churn": score.churn_propensity if score.model_id else None,
                    "predicted_clv": score.predicted_clv if score.model_id else None,
                    "predicted_clv_text": format_amount(
                        self.env, score.predicted_clv, score.company_id.currency_id
                    )
                    if score.model_id
                    else "",
                    "last_date": format_date(self.env, score.last_date)
                    if score.last_date
                    else "",
                }
                for score in scores
            ],
        }
        return data
