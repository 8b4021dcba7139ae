# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A fitted customer-base model of a company (or of one of its segments):
the parameters the customer scores are computed with, how well the model
predicted a holdout period, and why the last fit was refused, if it was."""

from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..tools import clv
from .res_company_analytics import CLV_MODEL_TYPES


class CrmCustomerModel(models.Model):
    _name = "crm.customer.model"
    _description = "Customer Base Model"
    _order = "company_id, segment_id desc, id"

    name = fields.Char(compute="_compute_name")
    company_id = fields.Many2one(
        "res.company", required=True, ondelete="cascade", index=True, readonly=True
    )
    segment_id = fields.Many2one(
        "crm.customer.segment",
        ondelete="cascade",
        readonly=True,
        help="Empty: the company's model, used for every customer whose "
        "segment has no model of its own.",
    )
    model_type = fields.Selection(CLV_MODEL_TYPES, readonly=True)
    state = fields.Selection(
        [("draft", "Not fitted"), ("fitted", "Fitted")],
        default="draft",
        required=True,
        readonly=True,
    )
    fitted_at = fields.Datetime(string="Fitted On", readonly=True)
    run_at = fields.Datetime(
        string="Last Run",
        readonly=True,
        help="When the company's customers were last fitted and scored "
        "(whether the fit was accepted or refused).",
    )
    customer_count = fields.Integer(string="Customers", readonly=True)
    repeat_customer_count = fields.Integer(string="Repeat Customers", readonly=True)
    r = fields.Float(digits=(16, 6), readonly=True, help="Shape of the purchase rates.")
    alpha = fields.Float(
        digits=(16, 6), readonly=True, help="Scale of the purchase rates, in weeks."
    )
    a = fields.Float(digits=(16, 6), readonly=True, help="Dropout: Beta(a, b).")
    b = fields.Float(digits=(16, 6), readonly=True, help="Dropout: Beta(a, b).")
    log_likelihood = fields.Float(digits=(16, 3), readonly=True)
    gg_p = fields.Float(string="Spend p", digits=(16, 6), readonly=True)
    gg_q = fields.Float(string="Spend q", digits=(16, 6), readonly=True)
    gg_v = fields.Float(string="Spend v", digits=(16, 6), readonly=True)
    gg_log_likelihood = fields.Float(
        string="Spend Log-Likelihood", digits=(16, 3), readonly=True
    )
    gg_customer_count = fields.Integer(string="Spend Customers", readonly=True)
    gg_error = fields.Text(
        string="Spend Model Refused",
        readonly=True,
        help="Why the spend model could not be fitted; the lifetime values "
        "then use each customer's own average transaction value.",
    )
    calibration_end = fields.Date(readonly=True)
    holdout_end = fields.Date(readonly=True)
    holdout_groups = fields.Json(string="Holdout per Group", readonly=True)
    holdout_actual = fields.Float(
        string="Holdout Transactions", digits=(16, 1), readonly=True
    )
    holdout_predicted = fields.Float(
        string="Predicted Holdout Transactions", digits=(16, 1), readonly=True
    )
    holdout_error = fields.Float(
        digits=(16, 4),
        readonly=True,
        help="How far the predicted number of holdout transactions is from "
        "the actual one, as a share of the actual one.",
    )
    holdout_mae = fields.Float(
        string="Mean Absolute Error per Customer", digits=(16, 4), readonly=True
    )
    holdout_note = fields.Char(readonly=True)
    holdout_chart = fields.Html(compute="_compute_holdout_chart", sanitize=False)
    rfm_bounds = fields.Json(
        string="RFM Quintile Bounds",
        readonly=True,
        help="The lowest recency, frequency and monetary value of each "
        "quintile at the last full scoring: customers rescored in between are "
        "ranked against them.",
    )
    last_error = fields.Text(string="Last Fit Refused", readonly=True)
    last_error_at = fields.Datetime(string="Refused On", readonly=True)
    score_count = fields.Integer(
        string="Customers Scored", compute="_compute_score_count"
    )

    def init(self):
        # one model per company, and one per segment of it
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS crm_customer_model_company_uniq
                    ON crm_customer_model (company_id) WHERE segment_id IS NULL;
                CREATE UNIQUE INDEX IF NOT EXISTS crm_customer_model_segment_uniq
                    ON crm_customer_model (company_id, segment_id)
                 WHERE segment_id IS NOT NULL;
                """
            )
        )

    @api.depends("company_id", "segment_id")
    def _compute_name(self):
        for model in self:
            model.name = (
                f"{model.company_id.name} / {model.segment_id.name}"
                if model.segment_id
                else model.company_id.name
            )

    def _compute_score_count(self):
        counts = dict(
            self.env["crm.customer.score"]._read_group(
                [("model_id", "in", self.ids)], ["model_id"], ["__count"]
            )
        )
        for model in self:
            model.score_count = counts.get(model, 0)

    def _compute_holdout_chart(self):
        for model in self:
            model.holdout_chart = self._holdout_svg(model.holdout_groups or [])

    @api.model
    def _holdout_svg(self, groups):
        """Bars of the actual and the predicted mean holdout transactions
        per calibration frequency group, as inline SVG (the numbers only come
        from the server)."""
        if not groups:
            return Markup("")
        width, height, pad = 560, 220, 30
        top = max(max(g["actual"], g["predicted"]) for g in groups) or 1.0
        step = (width - 2 * pad) / len(groups)
        bar = step * 0.35
        parts = [
            (
                f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
                f'height="{height + 40}" role="img" class="o_crm_customer_holdout">'
            )
        ]
        for i, group in enumerate(groups):
            x0 = pad + i * step + step * 0.1
            for j, (key, colour) in enumerate(
                (("actual", "#4e79a7"), ("predicted", "#f28e2b"))
            ):
                h = (height - pad) * group[key] / top
                parts.append(
                    f'<rect x="{x0 + j * bar:.1f}" y="{height - h:.1f}" '
                    f'width="{bar:.1f}" height="{h:.1f}" fill="{colour}">'
                    f"<title>{escape(group['group'])}: {group[key]:.2f}</title></rect>"
                )
            parts.append(
                f'<text x="{x0 + bar:.1f}" y="{height + 15}" font-size="11" '
                f'text-anchor="middle">{escape(group["group"])}</text>'
            )
        legend = (
            (_("Actual"), "#4e79a7", pad),
            (_("Predicted"), "#f28e2b", pad + 120),
        )
        for label, colour, x in legend:
            parts.append(
                f'<rect x="{x}" y="{height + 25}" width="10" height="10" '
                f'fill="{colour}"/><text x="{x + 14}" y="{height + 34}" '
                f'font-size="11">{escape(label)}</text>'
            )
        parts.append("</svg>")
        return Markup("".join(parts))

    def _bg_params(self):
        """The stored parameters as tools/clv.py takes them, or None."""
        self.ensure_one()
        if self.state != "fitted":
            return None
        return clv.BgParams(self.model_type, self.r, self.alpha, self.a, self.b)

    def _gg_params(self):
        self.ensure_one()
        if self.state != "fitted" or not self.gg_customer_count or self.gg_error:
            return None
        return clv.GgParams(self.gg_p, self.gg_q, self.gg_v)

    @api.model
    def _fit_error_message(self, error):
        """A translated sentence for a clv.FitError."""
        values = error.values
        if error.code == clv.FitError.TOO_FEW:
            return _(
                "%(count)s customers bought more than once; the fit needs at "
                "least %(needed)s (setting: minimum repeat customers).",
                count=values.get("count", 0),
                needed=values.get("needed", 1),
            )
        if error.code == clv.FitError.NO_CUSTOMERS:
            return _("There are no customers with transactions to fit.")
        if error.code == clv.FitError.NOT_CONVERGED:
            return _(
                "The maximum-likelihood search did not converge to finite "
                "parameters: the data do not pin the model down."
            )
        if error.code == clv.FitError.NO_MEAN:
            return _(
                "The fitted spend has no finite mean (q = %(value)s, at most 1).",
                value=round(values.get("value", 0.0), 3),
            )
        if error.code == clv.FitError.NON_FINITE:
            return _("The model gives values that are not finite.")
        return _("The data cannot be fitted: %(reason)s", reason=str(error))

    def action_view_scores(self):
        self.ensure_one()
        # the model records are for scorecard managers of their company
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_bsc_scorecard.crm_customer_score_action"
        )
        action["domain"] = [("model_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_fit(self):
        """Fit and rescore the companies of these models now."""
        if not self.env.user.has_group("crm_bsc_scorecard.group_bsc_manager"):
            raise AccessError(_("Only scorecard managers can fit customer models."))
        companies = self.company_id
        # the records were read with the caller's rules: only its companies
        self.check_access("read")
        # sudo: scores and models are derived data written by the server for
        # companies the caller may read (checked just above)
        score = self.env["crm.customer.score"].sudo()
        for company in companies:
            score._fit_and_score_company(company)
        return True
