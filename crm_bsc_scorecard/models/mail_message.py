# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

# Fields of a message that make it a lead's response, or not, and date it.
RESPONSE_FIELDS = (
    "model",
    "res_id",
    "date",
    "author_id",
    "message_type",
    "subtype_id",
    "mail_activity_type_id",
)


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model_create_multi
    def create(self, vals_list):
        messages = super().create(vals_list)
        self._bsc_record_responses(messages._bsc_response_leads())
        return messages

    def write(self, vals):
        if not set(RESPONSE_FIELDS) & set(vals):
            return super().write(vals)
        before = self._bsc_response_leads()
        result = super().write(vals)
        self._bsc_record_responses(before | self._bsc_response_leads())
        return result

    def unlink(self):
        self._bsc_record_responses(self._bsc_response_leads())
        return super().unlink()

    def _bsc_response_leads(self):
        """The leads these messages may answer (their first response)."""
        return {
            message.res_id
            # sudo: only the model, record and type of the user's own change
            for message in self.sudo()
            if message.model == "crm.lead"
            and message.res_id
            and (
                message.mail_activity_type_id
                or message.message_type in ("email", "comment")
            )
        }

    @api.model
    def _bsc_record_responses(self, lead_ids):
        """A response moves the first-response time of its lead, counted in
        the lead's month of creation."""
        lead_ids = list(set(lead_ids))
        if not lead_ids:
            return
        # sudo: the dates and companies of the leads a message answered,
        # for the technical change log only
        leads = (
            self.env["crm.lead"]
            .sudo()
            .with_context(active_test=False)
            .browse(lead_ids)
            .exists()
        )
        # sudo: the technical change log of the incremental run
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
