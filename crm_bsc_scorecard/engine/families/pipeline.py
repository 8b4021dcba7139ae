# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Opportunities open on the last day of each period: from the day they
became opportunities to the day they closed.

Read in two parts: those still open (never leaving; an index-only scan
of the covering index of the open opportunities, ``crm.lead.init``) and
those closed after the first period end (the others count nowhere)."""

from odoo.tools import SQL

from ...tools import engine_params
from .. import sql
from ..family import SqlFamily

MEASURES = ("present_count", "pipeline_amount", "pipeline_weighted")


def queries(request):
    scope = request.scope
    ends, _ids = engine_params.period_ends(scope.periods)
    base = SQL(
        """
        SELECT %(dims)s,
               COALESCE(l.date_conversion, l.create_date)::date AS enters,
               NULL::date AS leaves,
               COALESCE(l.expected_revenue, 0) AS amount,
               COALESCE(l.expected_revenue, 0) * COALESCE(l.probability, 0) / 100.0
                   AS weighted
          FROM crm_lead l
          LEFT JOIN crm_stage st ON st.id = l.stage_id
         WHERE l.company_id = %(company)s
           AND l.type = 'opportunity'
           AND l.active AND l.date_closed IS NULL
           AND NOT COALESCE(st.is_won, FALSE)
           AND COALESCE(l.date_conversion, l.create_date) < %(last)s::date + 1
        UNION ALL
        SELECT %(dims)s,
               COALESCE(l.date_conversion, l.create_date)::date AS enters,
               l.date_closed::date AS leaves,
               COALESCE(l.expected_revenue, 0) AS amount,
               COALESCE(l.expected_revenue, 0) * COALESCE(l.probability, 0) / 100.0
                   AS weighted
          FROM crm_lead l
         WHERE l.company_id = %(company)s
           AND l.type = 'opportunity'
           AND l.date_closed >= %(first_end)s::date + 1
           AND COALESCE(l.date_conversion, l.create_date) < %(last)s::date + 1
        """,
        dims=sql.lead_dims(request),
        company=scope.company_id,
        first_end=ends[0],
        last=scope.last_day,
    )
    return [
        sql.running(
            request,
            base,
            ("amount", "weighted"),
            ("pipeline_amount", "pipeline_weighted"),
        )
    ]


FAMILY = SqlFamily("pipeline", "Open pipeline", MEASURES, queries)
