# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""SQL building blocks of the families: the periods of a scope, placing a
row in its period, the grouping sets of the breakdowns asked for, running
totals of records that count from one day to another."""

from odoo.tools import SQL

from ..tools import engine as engine_tools
from ..tools import engine_params
from .family import Query


def periods_sql(scope):
    """SQL: the scope's periods as a relation p(id, s, e)."""
    rows = SQL(", ").join(
        SQL("(%s, %s::date, %s::date)", pid, start, end)
        for pid, start, end in scope.periods
    )
    return SQL("(VALUES %s) AS p(id, s, e)", rows)


def period_join(scope, day):
    """SQL: a join that places a row in the scope's period p in which the
    date ``day`` lies (p.id; no row outside them), by an equality on the
    bucket of ``day`` among the period bounds (no range join)."""
    try:
        days, ids = engine_params.period_buckets(scope.periods)
    except ValueError:
        # periods of several granularities at once: a range join
        return SQL("JOIN %s ON %s BETWEEN p.s AND p.e", periods_sql(scope), day)
    buckets = SQL(", ").join(
        SQL("(%s, %s)", bucket, pid)
        for bucket, pid in enumerate(ids, start=1)
        if pid is not None
    )
    return SQL(
        "JOIN (VALUES %s) AS p(b, id) ON p.b = width_bucket(%s, %s::date[])",
        buckets,
        day,
        days,
    )


def grouped_select(request, base, measures):
    """Wrap ``base`` (columns pid, seg, ch, u, t and the measure inputs)
    in the grouping sets the request needs (every combination of them for
    a combined request).

    ``measures`` are SQL aggregates over ``f`` (base's rows). When every
    one is given as (aggregate, "sum", "min" or "max": how partial results
    combine), the rows are first aggregated per period and combination of
    all the dimensions, and the grouping sets combine those partial
    aggregates: a few thousand rows go through the grouping sets instead of
    one per record."""
    if measures and all(isinstance(measure, tuple) for measure in measures):
        base = SQL(
            "SELECT f.pid, f.seg, f.ch, f.u, f.t, %s FROM (%s) AS f "
            "GROUP BY f.pid, f.seg, f.ch, f.u, f.t",
            SQL(", ").join(
                SQL("%s AS %s", aggregate, SQL.identifier(f"m{index}"))
                for index, (aggregate, _outer) in enumerate(measures)
            ),
            base,
        )
        measures = [
            SQL("%s(f.%s)", SQL(outer), SQL.identifier(f"m{index}"))
            for index, (_aggregate, outer) in enumerate(measures)
        ]
    grouping = engine_tools.grouping_sets(
        request.channels, request.users, request.combined
    )
    sets = SQL(", ").join(
        SQL(
            "(%s)",
            SQL(", ").join(SQL.identifier("f", name) for name in ("pid", *dims)),
        )
        for dims in grouping
    )
    # the grouping mask: one bit per dimension, set when aggregated (a
    # dimension that no set groups by is always aggregated)
    grouped = {name for dims in grouping for name in dims}
    mask = SQL(" + ").join(
        SQL("GROUPING(%s) * %s", SQL.identifier("f", name), bit)
        if name in grouped
        else SQL("%s", bit)
        for name, bit in engine_tools.DIMENSION_BITS.items()
    )
    columns = SQL(", ").join(
        SQL.identifier("f", name) if name in grouped else SQL("NULL::int")
        for name in engine_tools.DIMENSIONS
    )
    return SQL(
        """
        SELECT f.pid, %s, %s, %s
          FROM (%s) AS f
         GROUP BY GROUPING SETS (%s)
        """,
        columns,
        mask,
        SQL(", ").join(measures),
        base,
        sets,
    )


def dims(request, seg, ch, u, t):
    """Dimension columns; those not asked for are NULL (fewer groups)."""
    null = SQL("NULL::int")
    return SQL(
        "%s AS seg, %s AS ch, %s AS u, %s AS t",
        seg,
        ch if request.channels else null,
        u if request.users else null,
        t if request.users else null,
    )


def lead_dims(request):
    """The dimensions of a lead ``l``: its segment, channel, salesperson
    and team."""
    return dims(
        request,
        SQL("l.customer_segment_id"),
        SQL("l.contact_channel_id"),
        SQL("l.user_id"),
        SQL("l.team_id"),
    )


def running(request, base, measures, names, post=None, weighted=False):
    """The Query of totals on the last day of each period of records that
    count from one day to another: ``base`` gives, per record, its
    dimensions, the days it ``enters`` (counts from) and ``leaves`` (no
    longer counts from; NULL: never) and the inputs of ``measures``.

    Each record adds its measures at the first period end it covers and
    takes them back after the last one; the totals are running sums of
    those changes, so no record is paired with a period. The records are
    first summed per first and last period end covered and dimensions (a
    few thousand groups), and those sums make the changes. ``post`` turns
    the totals into the family's table.

    ``weighted``: ``base`` also gives each record a weight ``w`` (1: it
    counts, -1: it counted before a change and is taken back), and the
    Query's table holds the changes of the totals, kept or not at zero
    (``engine/kept.py``)."""
    ends, ids = engine_params.period_ends(request.scope.periods)
    count = SQL("sum(b.w)") if weighted else SQL("count(*)")
    changes = SQL(
        """
        SELECT e.j AS pid, r.seg, r.ch, r.u, r.t, e.sign * r.n AS present,
               %(inputs)s
          FROM (SELECT b.js, b.je, b.seg, b.ch, b.u, b.t, %(n)s AS n,
                       %(sums)s
                  FROM (SELECT b.*,
                               width_bucket(b.enters - 1, %(ends)s::date[]) AS js,
                               COALESCE(width_bucket(b.leaves - 1, %(ends)s::date[]),
                                        %(count)s) AS je
                          FROM (%(base)s) AS b) AS b
                 WHERE b.js < b.je
                 GROUP BY b.js, b.je, b.seg, b.ch, b.u, b.t) AS r
         CROSS JOIN LATERAL (VALUES (r.js + 1, 1), (r.je + 1, -1)) AS e(j, sign)
         WHERE e.j <= %(count)s
        """,
        inputs=SQL(", ").join(
            SQL("e.sign * r.%s AS %s", SQL.identifier(name), SQL.identifier(name))
            for name in measures
        ),
        n=count,
        sums=SQL(", ").join(
            SQL(
                "sum(%s b.%s) AS %s",
                SQL("b.w *") if weighted else SQL(),
                SQL.identifier(name),
                SQL.identifier(name),
            )
            for name in measures
        ),
        ends=ends,
        count=len(ends),
        base=base,
    )
    query = grouped_select(
        request,
        changes,
        [(SQL("sum(f.present)"), "sum")]
        + [(SQL("sum(f.%s)", SQL.identifier(name)), "sum") for name in measures],
    )

    def totals(table):
        table = engine_tools.running_totals(
            table, ids, None if weighted else "present_count"
        )
        return post(table) if post else table

    return Query(query, ("present_count", *names), totals)


def utm_channel_sql(source, medium):
    """The contact channel of a UTM source and medium, in SQL."""
    return SQL(
        """COALESCE(
            (SELECT r.channel_id FROM crm_contact_channel_utm_source_rel r
               JOIN crm_contact_channel c ON c.id = r.channel_id AND c.active
              WHERE r.source_id = %s ORDER BY c.sequence, c.id LIMIT 1),
            (SELECT r.channel_id FROM crm_contact_channel_utm_medium_rel r
               JOIN crm_contact_channel c ON c.id = r.channel_id AND c.active
              WHERE r.medium_id = %s ORDER BY c.sequence, c.id LIMIT 1))""",
        source,
        medium,
    )
