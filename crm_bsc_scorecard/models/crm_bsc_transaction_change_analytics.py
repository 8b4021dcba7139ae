# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The transaction changes the incremental engine run records also queue
their customers for rescoring."""

from odoo import api, models


class CrmBscTransactionChange(models.Model):
    _inherit = "crm.bsc.transaction.change"

    @api.model
    def _record_transactions(self, before, after):
        """Also queue the customers of the changed transactions (won
        opportunities) for rescoring, in their companies."""
        result = super()._record_transactions(before, after)
        pairs = set()
        for lead_id in set(before) | set(after):
            old, new = before.get(lead_id), after.get(lead_id)
            if old == new:
                continue
            for transaction in (old, new):
                if transaction:
                    # (company, customer, day, lead, channel, user, team)
                    pairs.add((transaction[0], transaction[1]))
        # sudo: the queue is internal bookkeeping, written for any user
        # whose change of a lead the hooks follow
        self.env["crm.customer.score.pending"].sudo()._record(pairs)
        return result

    @api.model
    def _record_segments(self, previous):
        """Customers whose segment changed: rescored in every company (their
        segment is a dimension, and may pick another segment model)."""
        result = super()._record_segments(previous)
        # sudo: internal bookkeeping, as above
        self.env["crm.customer.score.pending"].sudo()._record(
            (None, customer) for customer in previous
        )
        return result
