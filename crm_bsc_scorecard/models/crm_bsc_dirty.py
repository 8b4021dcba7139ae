# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Pending changes: which family of indicators a change of CRM data touches,
and over which dates, so that the incremental recompute redoes only those."""

import datetime

from odoo import api, fields, models
from odoo.tools import SQL

from ..engine import families as engine_families
from ..engine import transactions

# Fields of a lead whose change moves indicator values.
LEAD_FIELDS = (
    "stage_id",
    "active",
    "probability",
    "expected_revenue",
    "date_closed",
    "date_conversion",
    "type",
    "partner_id",
    # the contact channel follows them
    "medium_id",
    "source_id",
    "user_id",
    "team_id",
    "customer_segment_id",
    "contact_channel_id",
    "company_id",
)
PARTNER_FIELDS = (
    "customer_segment_id",
    "preferred_channel_id",
    "email",
    "phone",
    "mobile",
    "user_id",
    "active",
    "parent_id",
    "is_company",
)
# Sale orders written this long before a scorecard's last full computation
# are looked at again: a transaction that started before it may have
# committed after it.
ORDERS_MARGIN = datetime.timedelta(minutes=15)
# the families of built-in indicators, as registered with the engine
FAMILIES = engine_families.selection()


class CrmBscDirty(models.Model):
    _name = "crm.bsc.dirty"
    _description = "Scorecard Pending Change"
    _log_access = False
    _order = "id"

    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    family = fields.Selection(FAMILIES, required=True)
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)

    @api.model
    def _record(self, ranges, wake=True):
        """Store pending changes: an iterable of (company id, family, first
        day, last day); duplicates are merged. Wakes the incremental cron on
        the first change, unless not ``wake``."""
        rows = {
            (company_id, family, start, end)
            for company_id, family, start, end in ranges
            if company_id and start and end
        }
        if not rows:
            return
        self.env.cr.execute(SQL("SELECT 1 FROM crm_bsc_dirty LIMIT 1"))
        first_change = not self.env.cr.fetchone()
        self.env.cr.execute(
            SQL(
                "INSERT INTO crm_bsc_dirty (company_id, family, date_from, date_to) "
                "VALUES %s",
                SQL(", ").join(
                    SQL(
                        "(%s, %s, %s, %s)",
                        company_id,
                        family,
                        start,
                        max(start, end),
                    )
                    for company_id, family, start, end in sorted(rows)
                ),
            )
        )
        if first_change and wake:
            cron = self.env.ref(
                "crm_bsc_scorecard.ir_cron_apply_changes", raise_if_not_found=False
            )
            if cron:
                # sudo: waking the addon's own scheduled action
                cron.sudo()._trigger()

    @api.model
    def _record_sale_orders(self, scorecards):
        """The addon has no hooks on sale orders (it does not depend on
        Sales): for the companies of ``scorecards`` that count confirmed
        sale orders as transactions, record the orders confirmed or
        cancelled since their scorecards were last fully computed (less
        ORDERS_MARGIN), as changes of the orders and customers families.

        A confirmed order cannot be deleted nor, in Sales' forms, moved to
        another date; the values of a change missed here (written through
        code) are set right by the next full computation."""
        if "sale.order" not in self.env:
            return
        since = {}
        # sudo: the private incremental run over every company's scorecards
        for scorecard in scorecards.sudo():
            company = scorecard.company_id
            if (
                company.bsc_transaction_source != "sale_orders"
                or not scorecard.values_computed_at
            ):
                continue  # never computed: the full computation does it all
            when = scorecard.values_computed_at - ORDERS_MARGIN
            since[company.id] = min(since.get(company.id, when), when)
        if not since:
            return
        self.env["sale.order"].flush_model(["state", "date_order", "company_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT so.company_id, min(so.date_order)::date,
                       max(so.date_order)::date
                  FROM sale_order so
                  JOIN (VALUES %s) AS s(company_id, since)
                    ON s.company_id = so.company_id
                 WHERE so.write_date >= s.since AND %s
                 GROUP BY so.company_id
                """,
                SQL(", ").join(
                    SQL("(%s, %s::timestamp)", company_id, when)
                    for company_id, when in sorted(since.items())
                ),
                transactions.order_changed_sql(),
            )
        )
        # fetched first: reading the user's time zone may run a query of its
        # own (after a savepoint rollback cleared the caches), which would
        # consume this result
        rows = self.env.cr.fetchall()
        today = fields.Date.context_today(self)
        ranges = []
        for company_id, first, last in rows:
            ranges.append((company_id, "orders", first, last))
            # the activity of the order's customer from its date onwards
            ranges.append((company_id, "customers", first, max(today, last)))
        # the run that looks at them applies them at once
        self._record(ranges, wake=False)

    # ------------------------------------------------------------------
    # What a change of each kind of record touches
    # ------------------------------------------------------------------

    @api.model
    def _drop_known_customers(self, snapshots, lead_ids):
        """A lead created or deleted changes the customers with a lead in
        its company only when it is the customer's first or last one there:
        forget the customer of the other snapshots (in place)."""
        pairs = {
            (snap["customer_id"], snap["company_id"])
            for snap in snapshots
            if snap.get("customers_created")
        }
        if not pairs:
            return
        self.env["crm.lead"].flush_model(["partner_id", "company_id"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT rp.commercial_partner_id, l.company_id
                  FROM crm_lead l JOIN res_partner rp ON rp.id = l.partner_id
                 WHERE rp.commercial_partner_id = ANY(%s)
                   AND l.company_id = ANY(%s)
                   AND l.id != ALL(%s)
                """,
                list({customer for customer, _company in pairs}),
                list({company for _customer, company in pairs}),
                list(lead_ids),
            )
        )
        known = set(self.env.cr.fetchall())
        for snap in snapshots:
            if (snap["customer_id"], snap["company_id"]) in known:
                snap["customers_created"] = []

    @api.model
    def _lead_ranges(self, snapshots):
        """Ranges touched by leads, from snapshots (dicts of the values
        before and after a change) of their dates and company. A change that
        left what places a lead among the created leads (or its activities)
        as it was does not touch that family."""
        today = fields.Date.context_today(self)
        for snap in snapshots:
            company_id = snap["company_id"]
            created = snap["create_date"]
            closed = [d for d in snap["date_closed"] if d]
            opened = [d for d in snap["date_opened"] if d] or [created]
            if created and not snap.get("same_created"):
                yield company_id, "created", created, created
            for day in closed:
                yield company_id, "closed", day, day
            yield company_id, "pipeline", min(opened), max(closed + [today])
            if closed:
                # a transaction moves the activity of its customer from its
                # date onwards (active, retained and new customers)
                yield company_id, "customers", min(closed), today
            # the lead's activities take its segment, channel, team, company
            deadlines = [d for d in snap.get("deadlines", []) if d]
            if deadlines and not snap.get("same_activities"):
                yield company_id, "activities", min(deadlines + [today]), today
            # a customer with a lead counts in the data completeness of every
            # period since its creation
            customers = [d for d in snap.get("customers_created", []) if d]
            if customers:
                yield company_id, "completeness", min(customers), today

    @api.model
    def _lead_snapshot(self, leads):
        """{lead id: snapshot} of the fields that place a lead in periods."""
        snapshots = {}
        # sudo: what places the changed leads in periods, for the change log
        for lead in leads.sudo():
            customer = lead.partner_id.commercial_partner_id
            snapshots[lead.id] = {
                "customer_id": customer.id,
                "customers_created": [
                    customer.create_date.date() if customer.create_date else None
                ]
                if customer
                else [],
                "deadlines": lead.activity_ids.mapped("date_deadline"),
                "company_id": lead.company_id.id,
                "create_date": lead.create_date and lead.create_date.date(),
                "date_closed": [lead.date_closed and lead.date_closed.date()],
                "date_opened": [
                    (lead.date_conversion or lead.create_date)
                    and (lead.date_conversion or lead.create_date).date()
                ],
                # what places the lead's activities, and the lead among the
                # created leads (converted or not, with its dimensions)
                "activity_dims": (
                    lead.customer_segment_id.id,
                    lead.contact_channel_id.id,
                    lead.team_id.id,
                    lead.company_id.id,
                ),
                "created_dims": (
                    lead.type,
                    bool(lead.date_conversion),
                    lead.user_id.id,
                ),
                "transaction": self._lead_transaction(lead, customer),
            }
        return snapshots

    @api.model
    def _lead_transaction(self, lead, customer):
        """The customer transaction a lead is, as the engine reads it
        (company, customer, day, lead, channel, user, team), or None."""
        if not (transactions.is_won_lead(lead) and lead.company_id and customer):
            return None
        return (
            lead.company_id.id,
            customer.id,
            lead.date_closed.date(),
            lead.id,
            lead.contact_channel_id.id or None,
            lead.user_id.id or None,
            lead.team_id.id or None,
        )

    @api.model
    def _record_transactions(self, before, after):
        """Record the customer transactions that changed between two sets
        of snapshots, for the kept customer counts."""
        self.env["crm.bsc.transaction.change"]._record_transactions(
            {lead_id: snap["transaction"] for lead_id, snap in before.items()},
            {lead_id: snap["transaction"] for lead_id, snap in after.items()},
        )

    @api.model
    def _merge_snapshots(self, before, after):
        merged = []
        for lead_id in set(before) | set(after):
            old, new = before.get(lead_id), after.get(lead_id)
            if old and new:
                # the customers count elsewhere only when the lead moves
                moved = (old["customer_id"], old["company_id"]) != (
                    new["customer_id"],
                    new["company_id"],
                )
                for company_id in {old["company_id"], new["company_id"]}:
                    merged.append(
                        {
                            "company_id": company_id,
                            "create_date": new["create_date"],
                            "date_closed": old["date_closed"] + new["date_closed"],
                            "date_opened": old["date_opened"] + new["date_opened"],
                            "deadlines": old["deadlines"] + new["deadlines"],
                            "customers_created": (
                                old["customers_created"] + new["customers_created"]
                                if moved
                                else []
                            ),
                            "same_activities": old["activity_dims"]
                            == new["activity_dims"],
                            "same_created": (old["activity_dims"], old["created_dims"])
                            == (new["activity_dims"], new["created_dims"]),
                        }
                    )
            else:
                merged.append(old or new)
        return merged
