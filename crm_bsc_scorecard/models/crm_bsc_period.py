# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import periods as period_tools
from . import bsc_guards

PERIOD_TYPES = [
    ("month", "Month"),
    ("quarter", "Quarter"),
    ("year", "Year"),
]


class CrmBscPeriod(models.Model):
    _name = "crm.bsc.period"
    _description = "Scorecard Period"
    _inherit = ["mail.thread"]
    _order = "period_type, date_from desc, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="Each company has its own periods, and closes them on its own.",
    )
    period_type = fields.Selection(
        PERIOD_TYPES, string="Granularity", required=True, default="month"
    )
    date_from = fields.Date(string="Start", required=True, index=True)
    date_to = fields.Date(string="End", required=True, index=True)
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")],
        required=True,
        default="open",
        tracking=True,
        help="The values of a closed period are frozen.",
    )
    value_count = fields.Integer(compute="_compute_value_count", string="Values")

    def _compute_value_count(self):
        counts = dict(
            self.env["crm.bsc.indicator.value"]._read_group(
                [("period_id", "in", self.ids)], ["period_id"], ["__count"]
            )
        )
        for period in self:
            period.value_count = counts.get(period, 0)

    @api.constrains("date_from", "date_to", "period_type", "company_id")
    def _check_overlap(self):
        for period in self:
            if period.date_to < period.date_from:
                raise ValidationError(
                    _(
                        "Period %(name)s: the end %(end)s is before the start "
                        "%(start)s.",
                        name=period.name,
                        end=period.date_to,
                        start=period.date_from,
                    )
                )
            # sudo: the overlap is checked in the period's company, which
            # the user may have left; only that company's periods are read
            other = self.sudo().search(
                [
                    ("id", "!=", period.id),
                    ("company_id", "=", period.company_id.id),
                    ("period_type", "=", period.period_type),
                    ("date_from", "<=", period.date_to),
                    ("date_to", ">=", period.date_from),
                ],
                limit=1,
            )
            if other:
                raise ValidationError(
                    _(
                        "Period %(name)s (%(start)s to %(end)s) overlaps the "
                        "period %(other)s (%(other_start)s to %(other_end)s) of "
                        "the same granularity.",
                        name=period.name,
                        start=period.date_from,
                        end=period.date_to,
                        other=other.name,
                        other_start=other.date_from,
                        other_end=other.date_to,
                    )
                )

    def write(self, vals):
        if "company_id" in vals and any(
            period.company_id.id != vals["company_id"] for period in self
        ):
            used = self.filtered("value_count")
            if used:
                raise UserError(
                    _(
                        "The period %(name)s has values of its company: it cannot "
                        "move to another company.",
                        name=used[0].name,
                    )
                )
        frozen_keys = {"date_from", "date_to", "period_type"} & set(vals)
        if frozen_keys and self.filtered(lambda p: p.state == "closed"):
            raise UserError(
                _(
                    "The dates of the closed period %(name)s cannot change.",
                    name=self.filtered(lambda p: p.state == "closed")[:1].name,
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed_or_used(self):
        for period in self:
            if period.state == "closed":
                raise UserError(
                    _("The closed period %(name)s cannot be deleted.", name=period.name)
                )

    @api.model
    def _generate(self, period_type, date_from, date_to, company=None):
        """Return the periods of ``period_type`` of ``company`` (the current
        one by default) covering [date_from, date_to], creating the missing
        calendar periods."""
        company = company or self.env.company
        wanted = period_tools.periods_between(period_type, date_from, date_to)
        existing = self.search(
            [
                ("company_id", "=", company.id),
                ("period_type", "=", period_type),
                ("date_from", "<=", date_to),
                ("date_to", ">=", date_from),
            ]
        )
        known = {period.date_from for period in existing}
        to_create = [
            {
                "name": code,
                "company_id": company.id,
                "period_type": period_type,
                "date_from": start,
                "date_to": end,
            }
            for code, start, end in wanted
            if start not in known
        ]
        created = self.create(to_create) if to_create else self.browse()
        return (existing | created).sorted("date_from")

    @api.model
    def _find(self, period_type, day, company=None):
        """The period of ``period_type`` of ``company`` (the current one by
        default) that contains ``day``, if any."""
        company = company or self.env.company
        return self.search(
            [
                ("company_id", "=", company.id),
                ("period_type", "=", period_type),
                ("date_from", "<=", day),
                ("date_to", ">=", day),
            ],
            limit=1,
        )

    def _previous(self):
        """The period of the same company and granularity just before this one."""
        self.ensure_one()
        return self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("period_type", "=", self.period_type),
                ("date_to", "<", self.date_from),
            ],
            order="date_from desc",
            limit=1,
        )

    def action_close(self):
        bsc_guards.require_access(
            self, "write", bsc_guards.GROUP_MANAGER, action=_("Closing a period")
        )
        self.filtered(lambda p: p.state == "open").write({"state": "closed"})

    def action_reopen(self):
        bsc_guards.require_access(
            self, "write", bsc_guards.GROUP_MANAGER, action=_("Reopening a period")
        )
        self.filtered(lambda p: p.state == "closed").write({"state": "open"})
