# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Open activities on leads due by the end of each period, and those of
them already overdue (due before that end and before today).

An activity counts from its deadline on, so both are running totals of the
deadlines (no activity is paired with the periods): an activity due by the
end of a period that ends before today is overdue there, and in a period
that ends later, it is overdue when its deadline is before today."""

from odoo.tools import SQL

from .. import sql
from ..family import SqlFamily

MEASURES = ("present_count", "overdue_count", "due_count")


def with_due(table):
    """Every activity counted is due."""
    for values in table.values():
        values["due_count"] = values["present_count"]
    return table


def queries(request):
    scope = request.scope
    base = SQL(
        """
        SELECT %(dims)s, a.date_deadline AS enters, NULL::date AS leaves,
               (a.date_deadline < %(today)s::date)::int AS overdue
          FROM mail_activity a
          JOIN crm_lead l ON l.id = a.res_id
         WHERE a.res_model = 'crm.lead' AND COALESCE(a.active, TRUE)
           AND l.company_id = %(company)s
           AND a.date_deadline <= %(last)s
        """,
        dims=sql.dims(
            request,
            SQL("l.customer_segment_id"),
            SQL("l.contact_channel_id"),
            SQL("a.user_id"),
            SQL("l.team_id"),
        ),
        today=scope.today,
        company=scope.company_id,
        last=scope.last_day,
    )
    return [sql.running(request, base, ("overdue",), ("overdue_count",), post=with_due)]


FAMILY = SqlFamily("activities", "Activities", MEASURES, queries)
