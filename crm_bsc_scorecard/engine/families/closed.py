# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Opportunities won or lost in each period."""

from odoo.tools import SQL

from .. import sql
from ..family import Query, SqlFamily
from ..transactions import lead_amount_sql, won_lead_sql

MEASURES = ("won_count", "won_amount", "cycle_days", "lost_count")


def queries(request):
    scope = request.scope
    base = SQL(
        """
        SELECT p.id AS pid, %(dims)s,
               %(won)s AS won,
               (NOT l.active AND COALESCE(l.probability, 0) = 0) AS lost,
               %(amount)s AS amount,
               EXTRACT(EPOCH FROM l.date_closed - l.create_date) / 86400.0 AS cycle
          FROM crm_lead l
          LEFT JOIN crm_stage st ON st.id = l.stage_id
          %(period)s
         WHERE l.company_id = %(company)s
           AND l.type = 'opportunity'
           AND l.date_closed >= %(first)s AND l.date_closed < %(last)s::date + 1
        """,
        dims=sql.lead_dims(request),
        won=won_lead_sql(),
        amount=lead_amount_sql(),
        period=sql.period_join(scope, SQL("l.date_closed::date")),
        company=scope.company_id,
        first=scope.first_day,
        last=scope.last_day,
    )
    # (aggregate, how its partial results combine): see sql.grouped_select
    measures = [
        (SQL("count(*) FILTER (WHERE f.won)"), "sum"),
        (SQL("COALESCE(sum(f.amount) FILTER (WHERE f.won), 0)"), "sum"),
        (SQL("COALESCE(sum(f.cycle) FILTER (WHERE f.won), 0)"), "sum"),
        (SQL("count(*) FILTER (WHERE f.lost)"), "sum"),
    ]
    return [Query(sql.grouped_select(request, base, measures), MEASURES)]


FAMILY = SqlFamily("closed", "Won and lost opportunities", MEASURES, queries)
