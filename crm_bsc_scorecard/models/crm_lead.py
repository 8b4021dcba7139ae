# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

from .crm_bsc_dirty import LEAD_FIELDS


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
    # the indicator engine reads the opportunities won and lost in its
    # periods, and the incremental run those of the last days
    date_closed = fields.Datetime(index=True)

    def init(self):
        result = super().init()
        # covering indexes of what the indicator engine reads of the leads,
        # so that it reads them without visiting the table: the open
        # opportunities of the open pipeline (engine/families/pipeline.py),
        # and the dimensions of each lead for its activities
        # (engine/families/activities.py)
        self.env.cr.execute(
            SQL(
                """
                CREATE INDEX IF NOT EXISTS crm_lead_bsc_open_pipeline_index
                    ON crm_lead (company_id)
                    INCLUDE (stage_id, date_conversion, create_date,
                             expected_revenue, probability, customer_segment_id,
                             contact_channel_id, user_id, team_id)
                 WHERE type = 'opportunity' AND active AND date_closed IS NULL
                """
            )
        )
        self.env.cr.execute(
            SQL(
                """
                CREATE INDEX IF NOT EXISTS crm_lead_bsc_dimensions_index
                    ON crm_lead (id)
                    INCLUDE (company_id, customer_segment_id, contact_channel_id,
                             team_id)
                """
            )
        )
        return result

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
        # the channels of the lead's company (and the shared ones) only; the
        # company is no dependency (a precomputed field cannot depend on it,
        # it is not precomputed): a lead that changes company keeps its channel
        Channel = self.env["crm.contact.channel"]
        maps = {}
        for lead in self:
            if lead.company_id not in maps:
                maps[lead.company_id] = Channel._utm_map(lead.company_id)
            by_source, by_medium = maps[lead.company_id]
            channel_id = by_source.get(lead.source_id.id) or by_medium.get(
                lead.medium_id.id
            )
            if channel_id:
                lead.contact_channel_id = channel_id
            else:
                lead.contact_channel_id = lead.contact_channel_id

    # ------------------------------------------------------------------
    # Pending changes for the incremental recompute of indicators
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        # sudo: the user changed these leads with their own rights; the hook
        # only records what the change moves, in the addon's technical log
        Dirty = self.env["crm.bsc.dirty"].sudo()
        # the kept running totals count them from the next update on (sudo:
        # the leads were created with the user's rights; only their ids go to
        # the technical log)
        self.env["crm.bsc.lead.state"].sudo()._log(leads.ids, present=False)
        after = Dirty._lead_snapshot(leads)
        Dirty._record_transactions({}, after)
        snapshots = list(after.values())
        Dirty._drop_known_customers(snapshots, leads.ids)
        Dirty._record(Dirty._lead_ranges(snapshots))
        return leads

    def write(self, vals):
        if not set(vals) & set(LEAD_FIELDS):
            return super().write(vals)
        # sudo: as in create, the change itself passed the user's rights
        Dirty = self.env["crm.bsc.dirty"].sudo()
        self._bsc_log_states(operation="write")
        before = Dirty._lead_snapshot(self)
        result = super().write(vals)
        after = Dirty._lead_snapshot(self)
        # sudo: the write passed the user's rights; this flags the technical
        # log rows of these leads only
        self.env["crm.bsc.lead.state"].sudo()._moved_activities(
            [
                lead_id
                for lead_id, snap in after.items()
                if lead_id not in before
                or before[lead_id]["activity_dims"] != snap["activity_dims"]
            ]
        )
        Dirty._record_transactions(before, after)
        Dirty._record(Dirty._lead_ranges(Dirty._merge_snapshots(before, after)))
        return result

    def unlink(self):
        # sudo: as in create, the deletion itself checks the user's rights
        Dirty = self.env["crm.bsc.dirty"].sudo()
        self._bsc_log_states(operation="unlink", moves_activities=True)
        before = Dirty._lead_snapshot(self)
        snapshots = list(before.values())
        Dirty._drop_known_customers(snapshots, self.ids)
        result = super().unlink()
        Dirty._record_transactions(before, {})
        Dirty._record(Dirty._lead_ranges(snapshots))
        return result

    def _bsc_log_states(self, operation=None, moves_activities=False):
        """Log what these leads are before a change (``operation``: the one
        the user must be allowed, checked first), for the kept running
        totals (crm.bsc.lead.state); ``moves_activities``: the change may
        place their activities elsewhere."""
        if not self.ids:
            return
        if operation:
            self.check_access(operation)
        self.flush_recordset()
        self.env["crm.stage"].flush_model(["is_won"])
        # sudo: the user may make the change (checked above, or by the
        # caller); the log holds the leads' ids and columns only
        self.env["crm.bsc.lead.state"].sudo()._log(
            self.ids, moves_activities=moves_activities
        )
