# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    customer_segment_id = fields.Many2one(
        "crm.customer.segment",
        index=True,
        tracking=True,
        ondelete="restrict",
        help="Set on the company (the commercial entity); its contacts show it.",
    )
    customer_segment_locked = fields.Boolean(
        string="Lock Segment",
        tracking=True,
        help="Keep this segment: the assignment rules do not change it.",
    )
    preferred_channel_id = fields.Many2one(
        "crm.contact.channel",
        string="Preferred Contact Channel",
        ondelete="set null",
    )

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + [
            "customer_segment_id",
            "customer_segment_locked",
        ]
