# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Confirmed sale orders as customer transactions (Sales installed): the
family the won deals, revenue, deal size and sales cycle read when a
company counts sale orders as its transactions."""

from odoo.tools import SQL

from .. import sql
from ..family import Query, SqlFamily
from ..transactions import (
    confirmed_order_sql,
    order_amount_sql,
    order_channel_sql,
    require_orders,
)

MEASURES = ("won_count", "won_amount", "cycle_days", "lost_count")


def queries(request):
    require_orders(request.env)
    scope = request.scope
    base = SQL(
        """
        SELECT p.id AS pid, %(dims)s,
               %(amount)s AS amount,
               EXTRACT(EPOCH FROM so.date_order - so.create_date) / 86400.0 AS cycle
          FROM sale_order so
          JOIN res_partner rp ON rp.id = so.partner_id
          JOIN res_partner cp ON cp.id = rp.commercial_partner_id
          JOIN %(periods)s ON so.date_order >= p.s AND so.date_order < p.e + 1
         WHERE so.company_id = %(company)s AND %(confirmed)s
           AND so.date_order >= %(first)s AND so.date_order < %(last)s::date + 1
        """,
        dims=sql.dims(
            request,
            SQL("cp.customer_segment_id"),
            order_channel_sql(),
            SQL("so.user_id"),
            SQL("so.team_id"),
        ),
        periods=sql.periods_sql(scope),
        company=scope.company_id,
        confirmed=confirmed_order_sql(),
        amount=order_amount_sql(),
        first=scope.first_day,
        last=scope.last_day,
    )
    # (aggregate, how its partial results combine): see sql.grouped_select
    measures = [
        (SQL("count(*)"), "sum"),
        (SQL("COALESCE(sum(f.amount), 0)"), "sum"),
        (SQL("COALESCE(sum(f.cycle), 0)"), "sum"),
        (SQL("0"), "max"),
    ]
    return [Query(sql.grouped_select(request, base, measures), MEASURES)]


FAMILY = SqlFamily("orders", "Sale orders", MEASURES, queries)
