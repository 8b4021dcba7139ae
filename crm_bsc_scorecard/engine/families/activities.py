# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Open activities on leads due by the end of each period."""

from odoo.tools import SQL

from .. import sql
from ..family import Query, SqlFamily

MEASURES = ("overdue_count", "due_count")


def queries(request):
    scope = request.scope
    base = SQL(
        """
        SELECT p.id AS pid, %(dims)s,
               a.date_deadline < LEAST(p.e + 1, %(today)s::date) AS overdue
          FROM mail_activity a
          JOIN crm_lead l ON l.id = a.res_id
          JOIN %(periods)s ON a.date_deadline <= p.e
         WHERE a.res_model = 'crm.lead' AND COALESCE(a.active, TRUE)
           AND l.company_id = %(company)s
        """,
        dims=sql.dims(
            request,
            SQL("l.customer_segment_id"),
            SQL("l.contact_channel_id"),
            SQL("a.user_id"),
            SQL("l.team_id"),
        ),
        today=scope.today,
        periods=sql.periods_sql(scope),
        company=scope.company_id,
    )
    measures = [SQL("count(*) FILTER (WHERE f.overdue)"), SQL("count(*)")]
    return [Query(sql.grouped_select(request, base, measures), MEASURES)]


FAMILY = SqlFamily("activities", "Activities", MEASURES, queries)
