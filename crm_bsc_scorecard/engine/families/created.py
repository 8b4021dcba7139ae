# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Leads created in each period, their conversion and first response."""

from odoo.tools import SQL

from .. import sql
from ..family import Query, SqlFamily

MEASURES = ("created_count", "converted_count", "response_hours", "answered_count")


def internal_partner_ids(env):
    """The partners of the internal users, archived ones included (an
    answer is an answer): a list, so that the planner knows how many
    messages they wrote."""
    env.cr.execute(
        SQL("SELECT partner_id FROM res_users WHERE NOT share ORDER BY partner_id")
    )
    return [row[0] for row in env.cr.fetchall()]


def responses_sql(request):
    """SQL: the WITH clause of the first response (resp: lead_id,
    first_date) to each lead of the scope."""
    scope = request.scope
    return SQL(
        """
        WITH resp AS (
            SELECT m.res_id AS lead_id, min(m.date) AS first_date
              FROM mail_message m
              JOIN crm_lead l ON l.id = m.res_id
             WHERE m.model = 'crm.lead'
               AND l.company_id = %(company)s
               AND l.create_date >= %(first)s
               AND l.create_date < %(last)s::date + 1
               AND m.date >= l.create_date
               AND (m.mail_activity_type_id IS NOT NULL
                    OR (m.message_type IN ('email', 'comment')
                        AND m.subtype_id = %(comment)s))
               AND m.author_id = ANY(%(internal)s)
             GROUP BY m.res_id
        )""",
        internal=internal_partner_ids(request.env),
        company=scope.company_id,
        first=scope.first_day,
        last=scope.last_day,
        comment=request.env.ref("mail.mt_comment").id,
    )


def queries(request):
    scope = request.scope
    # the messages are read only when the first response is asked for
    with_responses = "first_response_hours" in request.codes
    base = SQL(
        """
        SELECT p.id AS pid, %(dims)s,
               (l.type = 'opportunity' OR l.date_conversion IS NOT NULL)
                   AS converted,
               EXTRACT(EPOCH FROM %(first_date)s - l.create_date) / 3600.0 AS hours
          FROM crm_lead l
          %(period)s
          %(response_join)s
         WHERE l.company_id = %(company)s
           AND l.create_date >= %(first)s AND l.create_date < %(last)s::date + 1
        """,
        dims=sql.lead_dims(request),
        first_date=SQL("r.first_date" if with_responses else "NULL::timestamp"),
        period=sql.period_join(scope, SQL("l.create_date::date")),
        response_join=SQL(
            "LEFT JOIN resp r ON r.lead_id = l.id" if with_responses else ""
        ),
        company=scope.company_id,
        first=scope.first_day,
        last=scope.last_day,
    )
    # (aggregate, how its partial results combine): see sql.grouped_select
    measures = [
        (SQL("count(*)"), "sum"),
        (SQL("count(*) FILTER (WHERE f.converted)"), "sum"),
        (SQL("COALESCE(sum(f.hours), 0)"), "sum"),
        (SQL("count(f.hours)"), "sum"),
    ]
    query = SQL(
        "%s %s",
        responses_sql(request) if with_responses else SQL(""),
        sql.grouped_select(request, base, measures),
    )
    return [Query(query, MEASURES)]


FAMILY = SqlFamily("created", "Created leads and responses", MEASURES, queries)
