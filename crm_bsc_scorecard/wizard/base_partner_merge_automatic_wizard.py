# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        """A merged partner's score goes with it (its row is deleted, or
        moved to the destination when that had none); the destination
        customer is rescored in every company from the transactions it now
        has."""
        partners = self.env["res.partner"].browse(partner_ids).exists()
        result = super()._merge(partner_ids, dst_partner, extra_checks)
        survivors = partners.exists()
        # sudo: internal bookkeeping of which customers to rescore
        self.env["crm.customer.score.pending"].sudo()._record(
            (None, customer) for customer in survivors.commercial_partner_id.ids
        )
        return result
