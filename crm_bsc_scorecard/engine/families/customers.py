# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Active, retained and new customers.

Two implementations of one definition (``engine/transactions.py``): the
SQL here, over every transaction, and the Python counter of
``tools/customer_counts.py`` (what one customer counts), with which the
incremental run keeps the counts of the open periods up to date between
runs (``crm.bsc.customer.count``); the equivalence tests hold them equal.
"""

import dataclasses
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


# the points one statement reads: each group's points are the bits of a
# bigint, and the bit after the last one marks where activity stops
MAX_POINTS = 62


def islands_table(request):
    """Active, retained and new customers, decoded: one pass over the
    transactions (one per run of MAX_POINTS points of a longer scope)."""
    scope = request.scope
    periods = sorted(scope.periods, key=lambda period: (period[1], period[2]))
    chunks, chunk = [], []
    for period in periods:
        points, _positions = engine_params.activity_points([*chunk, period])
        if chunk and len(points) > MAX_POINTS:
            chunks.append(chunk)
            chunk = []
        chunk.append(period)
    chunks.append(chunk)
    if len(chunks) == 1:
        return _islands_table(request)
    table = {}
    for chunk in chunks:
        part = dataclasses.replace(
            request, scope=dataclasses.replace(scope, periods=chunk)
        )
        table.update(_islands_table(part))
    return table


def _islands_table(request):
    """The points at which activity is read are the eve and the last day of
    each period (at most MAX_POINTS). A transaction makes its customer
    active at the points that lie in its activity window [d, d + W): a run
    of bits of a bigint (bit b for the (b + 1)-th point). OR-ed per customer,
    in all and per group of the breakdowns asked for (see customer_kinds),
    they are the points at which the customer is active in that group: its
    islands of activity, in points. The active customers at each point are
    then running totals of the islands' first bits and of the bits after
    their last (counted once per distinct set of bits), and the customers
    lost in a period are active at its eve and not at its last day. No pair
    of a period and a transaction is ever formed."""
    env, scope = request.env, request.scope
    points, positions = engine_params.activity_points(scope.periods)
    kinds = counts_tools.customer_kinds(
        request.channels, request.users, request.combined
    )
    dims = [
        (bit, SQL.identifier("tx", name))
        for bit, name in ((4, "ch"), (2, "u"), (1, "t"))
        if any(kind & bit for kind in kinds)
    ]
    null = SQL("NULL::int")
    # one grouping set per kind: the customer and the breakdowns it groups by
    sets = SQL(", ").join(
        SQL(
            "(%s)",
            SQL(", ").join(
                [SQL("tx.customer")] + [col for bit, col in dims if kind & bit]
            ),
        )
        for kind in kinds
    )
    kind = SQL(" + ").join(
        [SQL("0")] + [SQL("%s * (1 - GROUPING(%s))", bit, col) for bit, col in dims]
    )
    columns = SQL(", ").join(dict(dims).get(bit, null) for bit in (4, 2, 1))
    # a group lacking a breakdown it groups by counts in none
    having = SQL(" AND ").join(
        [SQL("TRUE")]
        + [SQL("(GROUPING(%s) = 1 OR %s IS NOT NULL)", col, col) for _bit, col in dims]
    )
    lost_bits = SQL(", ").join(
        SQL("(%s, %s, %s)", pid, start - 1, end - 1)
        for pid, (start, end) in sorted(positions.items())
    )
    new = sql.grouped_select(
        request,
        SQL(
            """SELECT p.id AS pid, cp.customer_segment_id AS seg,
                      %s AS ch, %s AS u, %s AS t
                 FROM (SELECT DISTINCT ON (tx.customer) tx.*
                         FROM tx ORDER BY tx.customer, tx.d, tx.src) AS n
                 %s
                 JOIN res_partner cp ON cp.id = n.customer""",
            SQL("n.ch") if request.channels else null,
            SQL("n.u") if request.users else null,
            SQL("n.t") if request.users else null,
            sql.period_join(scope, SQL("n.d")),
        ),
        [(SQL("count(*)"), "sum")],
    )
    query = SQL(
        """
        WITH tx AS MATERIALIZED (%(tx)s),
        groups AS MATERIALIZED (
            SELECT g.*, cp.customer_segment_id AS seg
              FROM (SELECT tx.customer, %(kind)s AS kind, %(columns)s,
                           bit_or((1::bigint << width_bucket(
                                       tx.d + %(window)s - 1, %(points)s::date[]))
                                  - (1::bigint << width_bucket(
                                       tx.d - 1, %(points)s::date[]))) AS m
                      FROM tx
                     -- what the points read: active between the first and the last
                     WHERE tx.d > %(first)s::date - %(window)s
                       AND tx.d <= %(last)s::date
                     GROUP BY GROUPING SETS (%(sets)s)
                    HAVING %(having)s) AS g(customer, kind, ch, u, t, m)
              JOIN res_partner cp ON cp.id = g.customer
             WHERE g.m <> 0
        ),
        edges AS (
            -- the first bit of each island, and the bit after its last
            SELECT seg, kind, ch, u, t, m & ~(m << 1) AS up,
                   (m << 1) & ~m AS down, count(*) AS customers
              FROM groups GROUP BY seg, kind, ch, u, t, m
        ),
        lost_at AS MATERIALIZED (
            -- the sets of points that are active at a period's eve and not
            -- at its last day (bit positions of the two points)
            SELECT x.m, p.pid, p.eve
              FROM (SELECT DISTINCT m FROM groups WHERE kind = 0) AS x
              JOIN (VALUES %(lost_bits)s) AS p(pid, eve, last)
                ON (x.m >> p.eve) & 1 = 1 AND (x.m >> p.last) & 1 = 0
        ),
        churned AS (
            SELECT g.customer, l.pid, l.eve
              FROM groups g JOIN lost_at l ON l.m = g.m
             WHERE g.kind = 0
        )
        SELECT 0, b + 1, GROUPING(e.seg), e.seg, e.ch, e.u, e.t,
               sum(e.customers * (((e.up >> b) & 1) - ((e.down >> b) & 1)))
          FROM edges e CROSS JOIN generate_series(0, %(count)s - 1) AS b
         WHERE ((e.up | e.down) >> b) & 1 = 1
         GROUP BY GROUPING SETS ((b, e.kind, e.ch, e.u, e.t),
                                 (b, e.seg, e.kind, e.ch, e.u, e.t))
        UNION ALL
        -- the customers lost, in the groups they were active in at the eve
        SELECT 1, c.pid, GROUPING(g.seg), g.seg, g.ch, g.u, g.t, count(*)
          FROM churned c
          JOIN groups g ON g.customer = c.customer AND (g.m >> c.eve) & 1 = 1
         GROUP BY GROUPING SETS ((c.pid, g.kind, g.ch, g.u, g.t),
                                 (c.pid, g.seg, g.kind, g.ch, g.u, g.t))
        UNION ALL
        SELECT 2, n.* FROM (%(new)s) AS n
        """,
        tx=transactions_sql(env, scope),
        kind=kind,
        columns=columns,
        sets=sets,
        having=having,
        lost_bits=lost_bits,
        window=scope.window_days,
        points=points,
        first=points[0],
        last=points[-1],
        count=len(points),
        new=new,
    )
    # the groups are CTEs the planner cannot count: a nested loop over
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
