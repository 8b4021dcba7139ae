# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Customers with a lead in the company, counted from the day they were
created, and how complete they are."""

from odoo.tools import SQL

from .. import sql
from ..family import SqlFamily

MEASURES = ("present_count", "complete_count", "customer_count")


def with_customers(table):
    """Every customer counted is one customer."""
    for values in table.values():
        values["customer_count"] = values["present_count"]
    return table


def queries(request):
    scope = request.scope
    base = SQL(
        """
        SELECT %(dims)s, cp.create_date::date AS enters, NULL::date AS leaves,
               (cp.customer_segment_id IS NOT NULL
                AND cp.preferred_channel_id IS NOT NULL
                AND COALESCE(cp.email, '') <> ''
                AND (COALESCE(cp.phone, '') <> '' OR COALESCE(cp.mobile, '') <> ''))
                   ::int AS complete
          FROM (SELECT DISTINCT rp.commercial_partner_id AS id
                  FROM crm_lead l JOIN res_partner rp ON rp.id = l.partner_id
                 WHERE l.company_id = %(company)s) c
          JOIN res_partner cp ON cp.id = c.id
         WHERE cp.active AND cp.create_date < %(last)s::date + 1
        """,
        dims=sql.dims(
            request,
            SQL("cp.customer_segment_id"),
            SQL("cp.preferred_channel_id"),
            SQL("cp.user_id"),
            SQL("NULL::int"),
        ),
        company=scope.company_id,
        last=scope.last_day,
    )
    return [
        sql.running(
            request, base, ("complete",), ("complete_count",), post=with_customers
        )
    ]


FAMILY = SqlFamily("completeness", "Customer data", MEASURES, queries)
