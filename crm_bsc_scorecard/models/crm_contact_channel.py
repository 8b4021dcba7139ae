# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

CHANNEL_KINDS = [
    ("phone", "Phone"),
    ("email", "E-mail"),
    ("web", "Website / Live Chat"),
    ("social", "Social Media"),
    ("field", "In Person / Field Sales"),
    ("partner", "Partner / Reseller"),
    ("event", "Event"),
    ("other", "Other"),
]


class CrmContactChannel(models.Model):
    _name = "crm.contact.channel"
    _description = "Customer Contact Channel"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Short code of the channel, unique.")
    kind = fields.Selection(CHANNEL_KINDS, required=True, default="other")
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to share the channel between companies.",
    )
    medium_ids = fields.Many2many(
        "utm.medium",
        "crm_contact_channel_utm_medium_rel",
        "channel_id",
        "medium_id",
        string="UTM Mediums",
        help="Leads that come through one of these mediums belong to the channel.",
    )
    source_ids = fields.Many2many(
        "utm.source",
        "crm_contact_channel_utm_source_rel",
        "channel_id",
        "source_id",
        string="UTM Sources",
        help="Leads that come from one of these sources belong to the channel; "
        "a source decides before a medium.",
    )
    lead_count = fields.Integer(compute="_compute_lead_count", string="Opportunities")

    _sql_constraints = [
        (
            "code_unique",
            "unique(code)",
            "The code of a contact channel must be unique.",
        ),
    ]

    def _compute_lead_count(self):
        counts = dict(
            self.env["crm.lead"]._read_group(
                [("contact_channel_id", "in", self.ids)],
                ["contact_channel_id"],
                ["__count"],
            )
        )
        for channel in self:
            channel.lead_count = counts.get(channel, 0)

    @api.constrains("medium_ids", "source_ids", "active")
    def _check_utm_links_unique(self):
        """A medium or a source feeds one active channel at most."""
        for field, label in (("medium_ids", _("medium")), ("source_ids", _("source"))):
            channels = self.search([("active", "=", True), (field, "!=", False)])
            owner = {}
            for channel in channels:
                for utm in channel[field]:
                    if utm.id in owner and owner[utm.id] != channel:
                        raise ValidationError(
                            _(
                                "The UTM %(kind)s %(utm)s is linked to two contact "
                                "channels: %(first)s and %(second)s. Link it to one.",
                                kind=label,
                                utm=utm.display_name,
                                first=owner[utm.id].display_name,
                                second=channel.display_name,
                            )
                        )
                    owner[utm.id] = channel

    @api.model
    def _utm_map(self):
        """({source id: channel}, {medium id: channel}) of the active channels."""
        by_source, by_medium = {}, {}
        for channel in self.sudo().search([]):
            for source in channel.source_ids:
                by_source.setdefault(source.id, channel.id)
            for medium in channel.medium_ids:
                by_medium.setdefault(medium.id, channel.id)
        return by_source, by_medium

    def action_apply_to_leads(self):
        """Button: map the leads of these channels' mediums and sources again.

        Useful after changing the links: leads whose medium or source now
        points at one of these channels take it.
        """
        by_source, by_medium = self._utm_map()
        sources = [s for s, c in by_source.items() if c in self.ids]
        mediums = [m for m, c in by_medium.items() if c in self.ids]
        leads = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search(["|", ("source_id", "in", sources), ("medium_id", "in", mediums)])
        )
        updated = 0
        for channel_id, group in leads.grouped(
            lambda lead: (
                by_source.get(lead.source_id.id) or by_medium.get(lead.medium_id.id)
            )
        ).items():
            group = group.filtered(
                lambda lead, channel_id=channel_id: (
                    lead.contact_channel_id.id != channel_id
                )
            )
            group.write({"contact_channel_id": channel_id})
            updated += len(group)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": _("Contact channels"),
                "message": _("%(count)s leads now carry their channel.", count=updated),
            },
        }

    def action_view_leads(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm.crm_lead_opportunities"
        )
        action["domain"] = [("contact_channel_id", "=", self.id)]
        action["context"] = {"default_contact_channel_id": self.id}
        return action
