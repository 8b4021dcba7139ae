# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model_create_multi
    def create(self, vals_list):
        messages = super().create(vals_list)
        on_leads = [
            vals["res_id"]
            for vals in vals_list
            if vals.get("model") == "crm.lead"
            and vals.get("res_id")
            and (
                vals.get("mail_activity_type_id")
                or vals.get("message_type") in ("email", "comment")
            )
        ]
        if on_leads:
            # a response moves the first-response time of the lead's month
            leads = self.env["crm.lead"].sudo().browse(on_leads).exists()
            self.env["crm.bsc.dirty"].sudo()._record(
                (
                    lead.company_id.id,
                    "created",
                    lead.create_date.date(),
                    lead.create_date.date(),
                )
                for lead in leads
                if lead.create_date
            )
        return messages
