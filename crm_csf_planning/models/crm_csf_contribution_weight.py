# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..tools import health as health_tools

# measure: weight field
WEIGHT_FIELDS = {
    "won_revenue": "weight_won_revenue",
    "retention_rate": "weight_retention_rate",
    "win_rate": "weight_win_rate",
    "first_response_hours": "weight_first_response_hours",
    "actions_done": "weight_actions_done",
}
DEFAULT_WEIGHTS = dict.fromkeys(WEIGHT_FIELDS, 1.0)


class CrmCsfContributionWeight(models.Model):
    _name = "crm.csf.contribution.weight"
    _description = "Weights of the Contribution Score in a Period"
    _inherit = ["mail.thread"]
    _order = "date_from desc, id desc"
    _rec_name = "period_id"
    _check_company_auto = True

    period_id = fields.Many2one(
        "crm.bsc.period",
        required=True,
        ondelete="cascade",
        check_company=True,
        domain="[('period_type', '=', 'month'), ('company_id', '=', company_id)]",
        tracking=True,
        help="The weights hold from this month on, until the month of the "
        "next weights.",
    )
    date_from = fields.Date(related="period_id.date_from", store=True, string="From")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    weight_won_revenue = fields.Float(string="Won Revenue", default=1.0, tracking=True)
    weight_retention_rate = fields.Float(
        string="Retention of Their Customers", default=1.0, tracking=True
    )
    weight_win_rate = fields.Float(string="Win Rate", default=1.0, tracking=True)
    weight_first_response_hours = fields.Float(
        string="First Response Time", default=1.0, tracking=True
    )
    weight_actions_done = fields.Float(
        string="Actions Completed on Success Factors", default=1.0, tracking=True
    )
    note = fields.Text(help="Why these weights, for this period.")

    _sql_constraints = [
        (
            "period_unique",
            "unique(company_id, period_id)",
            "A company sets one set of contribution weights per period.",
        ),
    ]

    def _weights(self):
        self.ensure_one()
        return {measure: self[name] for measure, name in WEIGHT_FIELDS.items()}

    @api.constrains(*WEIGHT_FIELDS.values())
    def _check_weights(self):
        for record in self:
            try:
                health_tools.check_weights(list(record._weights().values()))
            except health_tools.WeightError as error:
                if error.reason == "all_zero":
                    raise ValidationError(
                        _(
                            "Contribution weights of %(period)s: every weight is "
                            "0, so nothing would count. Give at least one a "
                            "weight above zero.",
                            period=record.period_id.display_name,
                        )
                    ) from error
                name = list(WEIGHT_FIELDS.values())[error.index]
                raise ValidationError(
                    _(
                        "Contribution weights of %(period)s: the weight %(value)s "
                        "(field %(field)s) is below zero.",
                        period=record.period_id.display_name,
                        value=error.value,
                        field=self._fields[name]._description_string(self.env),
                    )
                ) from error

    @api.model
    def _for_period(self, company, period):
        """The weights that hold in ``period``: those of the period, else of
        the latest earlier one, else equal weights."""
        weights = self.search(
            [
                ("company_id", "=", company.id),
                ("date_from", "<=", period.date_from),
            ],
            order="date_from desc",
            limit=1,
        )
        return weights, weights._weights() if weights else dict(DEFAULT_WEIGHTS)

    def action_compute(self):
        """Compute the contribution report of these weights' periods."""
        if not self.env.user.has_group("crm_bsc_scorecard.group_bsc_manager"):
            raise AccessError(
                _("Only a scorecard manager can compute the contribution report.")
            )
        Contribution = self.env["crm.csf.contribution"]
        for record in self:
            Contribution._compute_period(record.company_id, record.period_id)
        return Contribution.action_open_report()
