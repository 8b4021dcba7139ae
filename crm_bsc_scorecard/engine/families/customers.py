# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Active, retained and new customers.

Two implementations of one definition (``engine/transactions.py``): the
SQL here, over every transaction, and the Python counter of
``tools/customer_counts.py`` (what one customer counts), with which the
incremental run keeps the counts of the open periods up to date between
runs (``crm.bsc.customer.count``); the equivalence tests hold them equal.
"""

import logging

import psycopg2.errors

from odoo.tools import SQL

from ...tools import customer_counts as counts_tools
from ...tools import engine as engine_tools
from ...tools import engine_params
from .. import sql
from ..family import Family
from ..transactions import LEAD_SOURCE, transactions_sql

_logger = logging.getLogger(__name__)

MEASURES = counts_tools.COUNT_MEASURES
# the Python implementation of the family, for one customer
PYTHON_COUNTER = counts_tools.customer_counts


def islands_table(request):
    """Active, retained and new customers, decoded: one pass over the
    transactions.

    Each customer's transactions (in all, and per group of the breakdowns
    asked for: see customer_kinds) become islands of activity: the days
    [a, z) on which a transaction lies in the activity window before them.
    A customer is active on a day inside one of its islands, so the active
    customers on the days activity is read (the eve and the last day of
    each period) are running totals of the islands' starts and ends, and
    the customers lost in a period are those whose island around its eve
    has ended by its last day with no other one begun. No pair of a period
    and a transaction is ever formed."""
    env, scope = request.env, request.scope
    points, positions = engine_params.activity_points(scope.periods)
    kinds = counts_tools.customer_kinds(
        request.channels, request.users, request.combined
    )
    null = SQL("NULL::int")
    # one row per kind of each transaction: the group it places its customer in
    groups = SQL(", ").join(
        SQL(
            "(%s, %s, %s, %s)",
            kind,
            SQL("tx.ch") if kind & 4 else null,
            SQL("tx.u") if kind & 2 else null,
            SQL("tx.t") if kind & 1 else null,
        )
        for kind in kinds
    )
    new = sql.grouped_select(
        request,
        SQL(
            """SELECT p.id AS pid, cp.customer_segment_id AS seg,
                      %s AS ch, %s AS u, %s AS t
                 FROM (SELECT DISTINCT ON (tx.customer) tx.*
                         FROM tx ORDER BY tx.customer, tx.d, tx.src) AS n
                 JOIN %s ON n.d >= p.s AND n.d <= p.e
                 JOIN res_partner cp ON cp.id = n.customer""",
            SQL("n.ch") if request.channels else null,
            SQL("n.u") if request.users else null,
            SQL("n.t") if request.users else null,
            sql.periods_sql(scope),
        ),
        [(SQL("count(*)"), "sum")],
    )
    query = SQL(
        """
        WITH tx AS MATERIALIZED (%(tx)s),
        pts AS (SELECT p.id AS pid, p.s - 1 AS d0, p.e AS d1 FROM %(periods)s),
        txk AS (
            SELECT tx.customer, tx.d, k.kind, k.ch, k.u, k.t
              FROM tx CROSS JOIN LATERAL (VALUES %(groups)s) AS k(kind, ch, u, t)
             WHERE (k.kind & 4 = 0 OR k.ch IS NOT NULL)
               AND (k.kind & 2 = 0 OR k.u IS NOT NULL)
               AND (k.kind & 1 = 0 OR k.t IS NOT NULL)
               -- what the points read: active between the first and the last
               AND %(read)s
        ),
        marks AS (
            SELECT customer, kind, ch, u, t, d,
                   CASE WHEN d <= lag(d) OVER w + %(window)s THEN 0 ELSE 1 END
                       AS brk
              FROM txk WINDOW w AS (PARTITION BY customer, kind, ch, u, t ORDER BY d)
        ),
        islands AS MATERIALIZED (
            SELECT i.customer, cp.customer_segment_id AS seg, i.kind,
                   i.ch, i.u, i.t, i.a, i.z,
                   width_bucket(i.a - 1, %(points)s::date[]) AS js,
                   width_bucket(i.z - 1, %(points)s::date[]) AS je
              FROM (SELECT customer, kind, ch, u, t, min(d) AS a,
                           max(d) + %(window)s AS z
                      FROM (SELECT marks.*,
                                   sum(brk) OVER (PARTITION BY customer, kind,
                                                               ch, u, t
                                                  ORDER BY d
                                                  ROWS UNBOUNDED PRECEDING) AS g
                              FROM marks) AS x
                     GROUP BY customer, kind, ch, u, t, g) AS i
              JOIN res_partner cp ON cp.id = i.customer
        ),
        churned AS (
            SELECT p.pid, p.d0, i.customer
              FROM islands i
              JOIN pts p ON i.a <= p.d0 AND p.d0 < i.z AND i.z <= p.d1
             WHERE i.kind = 0
               AND NOT EXISTS (
                    SELECT 1 FROM islands o
                     WHERE o.customer = i.customer AND o.kind = 0
                       AND o.a <= p.d1 AND p.d1 < o.z)
        )
        SELECT 0, e.j, GROUPING(i.seg), i.seg, i.ch, i.u, i.t, sum(e.sign)
          FROM islands i
         CROSS JOIN LATERAL (VALUES (i.js + 1, 1), (i.je + 1, -1)) AS e(j, sign)
         WHERE i.js < i.je AND e.j <= %(count)s
         GROUP BY GROUPING SETS ((e.j, i.kind, i.ch, i.u, i.t),
                                 (e.j, i.seg, i.kind, i.ch, i.u, i.t))
        UNION ALL
        SELECT 1, c.pid, GROUPING(i.seg), i.seg, i.ch, i.u, i.t, count(*)
          FROM churned c
          JOIN islands i ON i.customer = c.customer AND i.a <= c.d0
                        AND c.d0 < i.z
         GROUP BY GROUPING SETS ((c.pid, i.kind, i.ch, i.u, i.t),
                                 (c.pid, i.seg, i.kind, i.ch, i.u, i.t))
        UNION ALL
        SELECT 2, n.* FROM (%(new)s) AS n
        """,
        tx=transactions_sql(env, scope),
        periods=sql.periods_sql(scope),
        groups=groups,
        read=SQL(
            "tx.d > %s::date - %s AND tx.d <= %s::date",
            points[0],
            scope.window_days,
            points[-1],
        ),
        window=scope.window_days,
        points=points,
        count=len(points),
        new=new,
    )
    # the islands are a CTE the planner cannot count: a nested loop over
    # them (for the customers lost) is its worst pick
    env.cr.execute(
        SQL(
            "SELECT current_setting('enable_nestloop'), "
            "set_config('enable_nestloop', 'off', true)"
        )
    )
    nestloop = env.cr.fetchone()[0]
    # (a failure rolls the savepoint back, and the setting with it)
    env.cr.execute(query)
    rows = env.cr.fetchall()
    env.cr.execute(SQL("SELECT set_config('enable_nestloop', %s, true)", nestloop))
    table = counts_tools.customers_table(
        [row[1:8] for row in rows if row[0] == 0],
        [row[1:8] for row in rows if row[0] == 1],
        positions,
        len(points),
    )
    return engine_tools.decode_rows(
        [row[1:8] for row in rows if row[0] == 2], ("new_count",), table
    )


class CustomersFamily(Family):
    """The customers family: the islands SQL, or the counts kept between
    runs when the run asks for them (only won opportunities are followed:
    with sale orders as transactions, every run reads them all)."""

    def table(self, request):
        if (
            request.counts is None
            or request.combined
            or (request.scope.transaction_source != LEAD_SOURCE)
        ):
            return islands_table(request)
        Counts = request.env["crm.bsc.customer.count"]
        scope, channels, users = request.scope, request.channels, request.users
        try:
            with request.env.cr.savepoint():
                if Counts._catch_up():
                    if request.counts == "kept":
                        table = Counts._kept_table(scope, channels, users)
                        if table is not None:
                            return table
                    table = islands_table(request)
                    Counts._keep(scope, channels, users, table)
                    return table
        except psycopg2.errors.SerializationFailure as error:
            _logger.info("Customer counts changed by another run: %s", error)
        # another run is at the counts: read every transaction
        return islands_table(request)


FAMILY = CustomersFamily("customers", "Customer activity", MEASURES)
