# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Open activities on leads due by the end of each period, and those of
them already overdue (due before that end and before today).

An activity counts from its deadline on, so both are running totals of the
deadlines (no activity is paired with the periods): an activity due by the
end of a period that ends before today is overdue there, and in a period
that ends later, it is overdue when its deadline is before today."""

from odoo.tools import SQL

from .. import kept, sql

MEASURES = ("present_count", "overdue_count", "due_count")


def with_due(table):
    """Every activity counted is due."""
    for values in table.values():
        values["due_count"] = values["present_count"]
    return table


def base(request, activities=None, leads=None, weight=None):
    """SQL: the activities counted, one row each: read from mail_activity
    and crm_lead, or from ``activities`` (a relation ``a`` with the columns
    of mail_activity) and ``leads`` (``l``, those of crm_lead); with a
    ``weight`` column (sql.running(weighted=True))."""
    scope = request.scope
    return SQL(
        """
        SELECT %(dims)s, a.date_deadline AS enters, NULL::date AS leaves,
               (a.date_deadline < %(today)s::date)::int AS overdue%(weight)s
          FROM %(activities)s
          JOIN %(leads)s ON l.id = a.res_id
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
        weight=SQL(", %s AS w", weight) if weight is not None else SQL(),
        activities=SQL("mail_activity a") if activities is None else activities,
        leads=SQL("crm_lead l") if leads is None else leads,
        today=scope.today,
        company=scope.company_id,
        last=scope.last_day,
    )


def queries(request):
    return [
        sql.running(
            request, base(request), ("overdue",), ("overdue_count",), post=with_due
        )
    ]


def delta(request, changes):
    """The changes of the totals since the logged states: the activities
    logged, and those of the leads logged as moved, as they are now, less as
    they were (an activity or lead not logged is as it was)."""
    columns = SQL(", ").join(
        SQL.identifier("m", name) for name in ("id", *kept.ACTIVITY_COLUMNS)
    )
    # the activities of the leads that moved (another segment, channel, team
    # or company); the other leads' activities count as they did
    of_changed_leads = SQL(
        "m.res_model = 'crm.lead' AND m.res_id = ANY(%s)",
        changes.ids(changes.moved_lead_ids),
    )
    now = SQL(
        """(SELECT %(columns)s FROM mail_activity m
             WHERE m.id = ANY(%(activities)s)
            UNION
            SELECT %(columns)s FROM mail_activity m WHERE %(of_leads)s) AS a""",
        columns=columns,
        activities=changes.ids(changes.activity_ids),
        of_leads=of_changed_leads,
    )
    lead_columns = SQL(", ").join(
        SQL.identifier("c", name)
        for name in ("id", *kept.LEAD_COLUMNS)
        if name != "is_won"
    )
    logged_lead_columns = SQL(", ").join(
        SQL.identifier("s", name)
        for name in ("id", *kept.LEAD_COLUMNS)
        if name != "is_won"
    )
    before_activities = SQL(
        """(SELECT %(logged_columns)s FROM %(logged)s AS s WHERE s.present
            UNION ALL
            SELECT %(columns)s FROM mail_activity m
             WHERE %(of_leads)s AND m.id <> ALL(%(activities)s)) AS a""",
        logged_columns=SQL(", ").join(
            SQL.identifier("s", name) for name in ("id", *kept.ACTIVITY_COLUMNS)
        ),
        logged=kept.logged_activities(),
        columns=columns,
        of_leads=of_changed_leads,
        activities=changes.ids(changes.activity_ids),
    )
    before_leads = SQL(
        """(SELECT %(logged_columns)s FROM %(logged)s AS s WHERE s.present
            UNION ALL
            SELECT %(columns)s FROM crm_lead c
             WHERE c.id = ANY(%(on)s) AND c.id <> ALL(%(leads)s)) AS l""",
        logged_columns=logged_lead_columns,
        logged=kept.logged_leads(),
        columns=lead_columns,
        on=changes.ids(changes.activity_lead_ids),
        leads=changes.ids(changes.lead_ids),
    )
    return [
        sql.running(
            request,
            SQL(
                "%s UNION ALL %s",
                base(request, activities=now, weight=1),
                base(
                    request, activities=before_activities, leads=before_leads, weight=-1
                ),
            ),
            ("overdue",),
            ("overdue_count",),
            post=with_due,
            weighted=True,
        )
    ]


FAMILY = kept.RunningFamily(
    "activities", "Activities", MEASURES, queries, delta=delta, daily=True
)
