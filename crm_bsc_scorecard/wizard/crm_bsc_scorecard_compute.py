# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, fields, models
from odoo.exceptions import UserError

from ..models import bsc_guards


class CrmBscScorecardCompute(models.TransientModel):
    _name = "crm.bsc.scorecard.compute"
    _description = "Recompute Scorecard History"

    scorecard_ids = fields.Many2many("crm.bsc.scorecard", string="Scorecards")
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(month=1, day=1),
    )
    date_to = fields.Date(
        string="To", required=True, default=lambda self: fields.Date.context_today(self)
    )

    def action_compute(self):
        self.ensure_one()
        bsc_guards.require_access(
            self.scorecard_ids,
            "write",
            bsc_guards.GROUP_MANAGER,
            action=_("Recomputing the history of a scorecard"),
        )
        if self.date_to < self.date_from:
            raise UserError(
                _(
                    "The end %(end)s is before the start %(start)s.",
                    end=self.date_to,
                    start=self.date_from,
                )
            )
        if not self.scorecard_ids:
            raise UserError(_("Choose at least one scorecard."))
        Period = self.env["crm.bsc.period"]
        periods = Period.browse()
        groups = self.scorecard_ids.grouped(lambda s: (s.company_id, s.period_type))
        for company, period_type in groups:
            periods |= Period._generate(
                period_type, self.date_from, self.date_to, company
            )
        closed = periods.filtered(lambda p: p.state == "closed")
        written = 0
        for (company, period_type), scorecards in groups.items():
            # sudo: the engine reads the CRM of the scorecards' company in SQL
            # and stores in bulk; the caller's group and access to these
            # scorecards were checked above
            scorecards = scorecards.sudo()
            scorecards._lock_group(company, period_type, wait=True)
            written += scorecards._compute_values(periods - closed)
        message = _("%(count)s values stored.", count=written)
        if closed:
            message += " " + _(
                "%(count)s closed periods were left as they are: %(names)s.",
                count=len(closed),
                names=", ".join(closed.mapped("name")),
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": _("History recomputed"),
                "message": message,
                "sticky": bool(closed),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
