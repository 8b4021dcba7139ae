# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .crm_bsc_dirty import PARTNER_FIELDS


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

    def write(self, vals):
        segments = commercial = None
        if "customer_segment_id" in vals:
            # the segment a customer (a commercial entity) had
            # sudo (here and below): the segments and commercial entities of
            # the partners the user is changing with their own rights, read
            # for the technical change log and customer counts only
            segments = {
                partner.id: partner.customer_segment_id.id
                for partner in self.sudo()
                if partner.commercial_partner_id == partner
            }
        if {"parent_id", "is_company"} & set(vals):
            commercial = {p.id: p.commercial_partner_id.id for p in self.sudo()}
        if {"customer_segment_id", "parent_id", "is_company"} & set(vals):
            # the leads of these customers may take another segment (not
            # through crm.lead.write): their states, for the running totals.
            # sudo: once the user may write these partners, every lead naming
            # them is logged (ids and columns, in the technical log)
            self.check_access("write")
            self.env["crm.lead"].sudo().with_context(active_test=False).search(
                [
                    (
                        "partner_id",
                        "child_of",
                        (self.sudo() | self.sudo().commercial_partner_id).ids,
                    )
                ]
            )._bsc_log_states(moves_activities=True)
        result = super().write(vals)
        moved = commercial is not None and any(
            partner.commercial_partner_id.id != commercial[partner.id]
            for partner in self.sudo()
        )
        if segments:
            self.env["crm.bsc.transaction.change"].sudo()._record_segments(
                {
                    partner.id: segments[partner.id]
                    for partner in self.sudo()
                    if partner.id in segments
                    and partner.customer_segment_id.id != segments[partner.id]
                }
            )
        if moved and self._bsc_has_leads():
            # their won opportunities now belong to another customer
            self.env["crm.bsc.customer.count"].sudo()._invalidate()
        if set(vals) & set(PARTNER_FIELDS):
            self._bsc_record_changes(
                segment_changed="customer_segment_id" in vals or moved
            )
        return result

    def unlink(self):
        if self._bsc_has_leads():
            # their leads lose their customer without a write
            self.env["crm.bsc.customer.count"].sudo()._invalidate()
        return super().unlink()

    def _bsc_has_leads(self):
        # sudo: whether any lead of any company names these partners (a yes
        # or no that drops the technical counts)
        return bool(
            self.env["crm.lead"]
            .sudo()
            .with_context(active_test=False)
            .search_count([("partner_id", "child_of", self.ids)], limit=1)
        )

    def _bsc_record_changes(self, segment_changed=False):
        """Customer data moved: completeness (and, when the segment moved,
        the customer indicators) need recomputing from the partner's creation."""
        today = fields.Date.context_today(self)
        all_companies = None
        ranges = []
        for partner in self:
            if partner.company_id:
                company_ids = partner.company_id.ids
            else:
                if all_companies is None:
                    # sudo: a shared partner counts in every company
                    all_companies = self.env["res.company"].sudo().search([]).ids
                company_ids = all_companies
            start = partner.create_date.date() if partner.create_date else today
            for company_id in company_ids:
                ranges.append((company_id, "completeness", start, today))
                if segment_changed:
                    ranges.append((company_id, "customers", start, today))
                    # sale orders take their customer's current segment
                    ranges.append((company_id, "orders", start, today))
        Dirty = self.env["crm.bsc.dirty"].sudo()
        if segment_changed:
            # the open leads of these customers (and the closed ones without a
            # segment) take the new segment, with their activities: not
            # through crm.lead.write, so their dates are recorded here
            leads = (
                self.env["crm.lead"]
                .sudo()
                .with_context(active_test=False)
                .search([("partner_id", "child_of", self.commercial_partner_id.ids)])
            )
            ranges += Dirty._lead_ranges(Dirty._lead_snapshot(leads).values())
        Dirty._record(ranges)
