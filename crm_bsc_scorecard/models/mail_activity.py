# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _bsc_record_changes(self):
        """Activities on leads moved: the overdue share from their deadline on."""
        activities = self.filtered(lambda a: a.res_model == "crm.lead" and a.res_id)
        if not activities:
            return
        today = fields.Date.context_today(self)
        # sudo: the companies of the leads whose activities the user changed
        leads = self.env["crm.lead"].sudo().browse(activities.mapped("res_id")).exists()
        company = {lead.id: lead.company_id.id for lead in leads}
        self.env["crm.bsc.dirty"].sudo()._record(
            (company.get(a.res_id), "activities", min(a.date_deadline, today), today)
            for a in activities
            if a.date_deadline
        )

    def _bsc_log_states(self, present=True, every=False):
        """Log what these activities (those on leads, or ``every`` one) are
        before a change, or that they did not exist, for the kept running
        totals (crm.bsc.activity.state)."""
        activities = (
            self if every else self.filtered(lambda a: a.res_model == "crm.lead")
        )
        if not activities.ids:
            return
        if present:
            activities.flush_recordset()
        # sudo: the caller checked that the user may make the change (or the
        # activities were just created with their rights); the hook only logs
        # what they were, in the addon's technical log
        self.env["crm.bsc.activity.state"].sudo()._log(activities.ids, present)

    @api.model_create_multi
    def create(self, vals_list):
        activities = super().create(vals_list)
        activities._bsc_log_states(present=False)
        activities._bsc_record_changes()
        return activities

    def write(self, vals):
        if {"date_deadline", "user_id", "active", "res_id", "res_model_id"} & set(vals):
            self.check_access("write")
            self._bsc_log_states(every="res_model_id" in vals)
            self._bsc_record_changes()
            result = super().write(vals)
            self._bsc_record_changes()
            return result
        return super().write(vals)

    def unlink(self):
        self.check_access("unlink")
        self._bsc_log_states()
        self._bsc_record_changes()
        return super().unlink()
