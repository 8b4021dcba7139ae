# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models import bsc_guards
from ..models.crm_bsc_period import PERIOD_TYPES


class CrmBscPeriodGenerate(models.TransientModel):
    _name = "crm.bsc.period.generate"
    _description = "Generate Scorecard Periods"

    period_type = fields.Selection(
        PERIOD_TYPES, string="Granularity", required=True, default="month"
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(month=1, day=1),
    )
    date_to = fields.Date(
        string="To",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(month=12, day=31),
    )

    @api.onchange("date_from")
    def _onchange_date_from(self):
        if self.date_from and (not self.date_to or self.date_to < self.date_from):
            self.date_to = self.date_from + relativedelta(years=1, days=-1)

    def action_generate(self):
        self.ensure_one()
        bsc_guards.require_group(
            self, bsc_guards.GROUP_MANAGER, action=_("Generating periods")
        )
        bsc_guards.check_companies(self, self.company_id)
        if self.date_to < self.date_from:
            raise UserError(
                _(
                    "The end %(end)s is before the start %(start)s.",
                    end=self.date_to,
                    start=self.date_from,
                )
            )
        periods = self.env["crm.bsc.period"]._generate(
            self.period_type, self.date_from, self.date_to, self.company_id
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_bsc_scorecard.crm_bsc_period_action"
        )
        action["domain"] = [("id", "in", periods.ids)]
        return action
