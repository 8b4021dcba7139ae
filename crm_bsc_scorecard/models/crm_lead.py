# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    customer_segment_id = fields.Many2one(
        "crm.customer.segment",
        compute="_compute_customer_segment_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        help="The customer's segment. Follows the customer while the lead is "
        "open; a closed lead keeps the segment it was closed in.",
    )
    contact_channel_id = fields.Many2one(
        "crm.contact.channel",
        compute="_compute_contact_channel_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        ondelete="set null",
        help="Derived from the UTM source or medium through the channels' links; "
        "can be set by hand.",
    )

    @api.depends("partner_id.commercial_partner_id.customer_segment_id")
    def _compute_customer_segment_id(self):
        for lead in self:
            segment = lead.partner_id.commercial_partner_id.customer_segment_id
            closed = lead.date_closed and lead.customer_segment_id
            if segment and not closed:
                lead.customer_segment_id = segment
            else:
                # keep a manual or historical segment
                lead.customer_segment_id = lead.customer_segment_id

    @api.depends("source_id", "medium_id")
    def _compute_contact_channel_id(self):
        by_source, by_medium = self.env["crm.contact.channel"]._utm_map()
        for lead in self:
            channel_id = by_source.get(lead.source_id.id) or by_medium.get(
                lead.medium_id.id
            )
            if channel_id:
                lead.contact_channel_id = channel_id
            else:
                lead.contact_channel_id = lead.contact_channel_id
