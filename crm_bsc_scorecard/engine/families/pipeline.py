# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Opportunities open on the last day of each period: from the day they
became opportunities to the day they closed.

Read in two parts: those still open (never leaving; an index-only scan
of the covering index of the open opportunities, ``crm.lead.init``) and
those closed after the first period end (the others count nowhere). Kept
between runs (``engine/kept.py``): the changed leads are read in one pass,
as they are and as they were logged."""

from odoo.tools import SQL

from ...tools import engine_params
from .. import kept, sql

MEASURES = ("present_count", "pipeline_amount", "pipeline_weighted")


def _row(request, leaves, weight):
    return SQL(
        """%(dims)s,
           COALESCE(l.date_conversion, l.create_date)::date AS enters,
           %(leaves)s AS leaves,
           COALESCE(l.expected_revenue, 0) AS amount,
           COALESCE(l.expected_revenue, 0) * COALESCE(l.probability, 0) / 100.0
               AS weighted%(weight)s""",
        dims=sql.lead_dims(request),
        leaves=leaves,
        weight=SQL(", %s AS w", weight) if weight is not None else SQL(),
    )


def base(request, leads=None, is_won=kept.IS_WON, where=None, weight=None):
    """SQL: the opportunities counted, one row each: every one, read from
    crm_lead in two parts (an index for each); or those of ``where`` in one
    pass, read from ``leads`` (a relation ``l`` with the columns of crm_lead
    and ``is_won``, the won flag of its stage; default crm_lead); with a
    ``weight`` column (sql.running(weighted=True))."""
    scope = request.scope
    ends, _ids = engine_params.period_ends(scope.periods)
    counted = SQL(
        """l.company_id = %s AND l.type = 'opportunity'
           AND COALESCE(l.date_conversion, l.create_date) < %s::date + 1""",
        scope.company_id,
        scope.last_day,
    )
    still_open = SQL("l.active AND l.date_closed IS NULL AND NOT %s", is_won)
    # (the others count nowhere)
    closed_since = SQL("l.date_closed >= %s::date + 1", ends[0])
    if where is None:
        return SQL(
            """
            SELECT %s FROM %s WHERE %s AND %s
            UNION ALL
            SELECT %s FROM crm_lead l WHERE %s AND %s
            """,
            _row(request, SQL("NULL::date"), weight),
            kept.LEADS,
            counted,
            still_open,
            # (the closed ones need no stage)
            _row(request, SQL("l.date_closed::date"), weight),
            counted,
            closed_since,
        )
    return SQL(
        "SELECT %s FROM %s WHERE %s AND (%s OR %s) AND %s",
        _row(request, SQL("l.date_closed::date"), weight),
        kept.LEADS if leads is None else leads,
        counted,
        still_open,
        closed_since,
        where,
    )


MEASURE_NAMES = (("amount", "weighted"), ("pipeline_amount", "pipeline_weighted"))


def queries(request):
    return [sql.running(request, base(request), *MEASURE_NAMES)]


def delta(request, changes):
    """The changes of the totals since the logged states of the leads: the
    changed leads as they are now, less as they were."""
    now = base(
        request,
        where=SQL("l.id = ANY(%s)", changes.ids(changes.lead_ids)),
        weight=1,
    )
    before = base(
        request,
        leads=SQL("%s AS l", kept.logged_leads()),
        is_won=SQL("l.is_won"),
        where=SQL("l.present"),
        weight=-1,
    )
    return [
        sql.running(
            request, SQL("%s UNION ALL %s", now, before), *MEASURE_NAMES, weighted=True
        )
    ]


FAMILY = kept.RunningFamily("pipeline", "Open pipeline", MEASURES, queries, delta=delta)
