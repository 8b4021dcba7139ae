# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from . import bsc_guards

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

    @api.constrains("medium_ids", "source_ids", "active", "company_id")
    def _check_utm_links_unique(self):
        """A medium or a source feeds one active channel per company at most;
        a shared channel counts for every company."""
        for field, label in (("medium_ids", _("medium")), ("source_ids", _("source"))):
            # all companies: a shared channel meets the channels of every one
            channels = self.sudo().search([("active", "=", True), (field, "!=", False)])
            owners = {}
            for channel in channels:
                for utm in channel[field]:
                    for other in owners.get(utm.id, []):
                        if (
                            other.company_id
                            and channel.company_id
                            and other.company_id != channel.company_id
                        ):
                            continue
                        raise ValidationError(
                            _(
                                "The UTM %(kind)s %(utm)s is linked to two contact "
                                "channels: %(first)s and %(second)s. Link it to one.",
                                kind=label,
                                utm=utm.display_name,
                                first=other.display_name,
                                second=channel.display_name,
                            )
                        )
                    owners.setdefault(utm.id, []).append(channel)

    @api.model
    def _utm_map(self, company=None):
        """({source id: channel}, {medium id: channel}) of the active channels;
        with ``company``, of its own channels and the shared ones only."""
        domain = []
        if company is not None:
            domain = [("company_id", "in", [company.id, False])]
        by_source, by_medium = {}, {}
        # sudo: the UTM links of the channels of the given company (and the
        # shared ones), to place leads; nothing is returned to the user
        for channel in self.sudo().search(domain):
            for source in channel.source_ids:
                by_source.setdefault(source.id, channel.id)
            for medium in channel.medium_ids:
                by_medium.setdefault(medium.id, channel.id)
        return by_source, by_medium

    def action_apply_to_leads(self):
        """Button: map the leads of these channels' mediums and sources again.

        Useful after changing the links: leads whose medium or source now
        points at one of these channels take it. Reserved to those who
        manage channels, on the leads they may change.
        """
        bsc_guards.require_access(
            self,
            "write",
            bsc_guards.GROUP_MANAGER,
            bsc_guards.GROUP_SALES_ADMIN,
            action=_("Applying contact channels to leads"),
        )
        leads = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search(
                [
                    "|",
                    ("source_id", "in", self.source_ids.ids),
                    ("medium_id", "in", self.medium_ids.ids),
                ]
            )
        )
        maps = {}

        def channel_of(lead):
            # each lead follows the channels of its own company
            if lead.company_id not in maps:
                maps[lead.company_id] = self._utm_map(lead.company_id)
            by_source, by_medium = maps[lead.company_id]
            return by_source.get(lead.source_id.id) or by_medium.get(lead.medium_id.id)

        updated = 0
        for channel_id, group in leads.grouped(channel_of).items():
            if not channel_id:
                continue
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

    @api.ondelete(at_uninstall=False)
    def _unlink_except_frozen_values(self):
        self.env["crm.bsc.indicator.value"]._check_no_frozen_values("channel_id", self)

    def action_view_leads(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm.crm_lead_opportunities"
        )
        action["domain"] = [("contact_channel_id", "=", self.id)]
        action["context"] = {"default_contact_channel_id": self.id}
        return action
