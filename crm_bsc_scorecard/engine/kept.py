# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Running totals kept between runs (``crm.bsc.running.total``).

The open pipeline and the open activities at the end of each period are
sums over every open opportunity and activity, which a few changed records
barely move. A ``RunningFamily`` keeps its totals per open period when a
run asks for it (``Request.counts``, as the customers family) and brings
them up to date from the changed records alone: the hooks log the state
each changed lead and activity had before its first change since the last
update (``crm.bsc.lead.state``, ``crm.bsc.activity.state``), and the change
of the totals is the family's own SQL read over the changed records now
(weight 1) and over their logged states (weight -1): one definition of what
counts, read from two sources."""

import logging
from dataclasses import dataclass
from typing import Any

import psycopg2.errors

from odoo.tools import SQL

from ..tools import engine_params
from .family import SqlFamily, run_query

_logger = logging.getLogger(__name__)

# the columns of a lead the running totals read, as logged
LEAD_COLUMNS = (
    "company_id",
    "type",
    "active",
    "date_closed",
    "is_won",
    "date_conversion",
    "create_date",
    "expected_revenue",
    "probability",
    "customer_segment_id",
    "contact_channel_id",
    "user_id",
    "team_id",
)
# the leads with the won flag of their stage
LEADS = SQL("crm_lead l LEFT JOIN crm_stage st ON st.id = l.stage_id")
IS_WON = SQL("COALESCE(st.is_won, FALSE)")
ACTIVITY_COLUMNS = ("res_model", "res_id", "active", "date_deadline", "user_id")


def lead_columns():
    """SQL: LEAD_COLUMNS of a lead ``l`` of LEADS."""
    return SQL(", ").join(
        IS_WON if name == "is_won" else SQL.identifier("l", name)
        for name in LEAD_COLUMNS
    )


def _earliest(table, key, columns):
    """SQL: the first state logged of each record (the one the kept totals
    count), as a relation with the record's columns and ``id``."""
    return SQL(
        "(SELECT DISTINCT ON (s.%s) s.%s AS id, s.present, %s "
        "FROM %s s ORDER BY s.%s, s.id)",
        SQL.identifier(key),
        SQL.identifier(key),
        SQL(", ").join(SQL.identifier("s", name) for name in columns),
        SQL.identifier(table),
        SQL.identifier(key),
    )


def logged_leads():
    """SQL: the first logged state of each changed lead (``present``: it
    existed)."""
    return _earliest("crm_bsc_lead_state", "lead_id", LEAD_COLUMNS)


def logged_activities():
    """SQL: the first logged state of each changed activity."""
    return _earliest("crm_bsc_activity_state", "activity_id", ACTIVITY_COLUMNS)


@dataclass(frozen=True)
class Changes:
    """The records logged since the totals were last brought up to date
    (id lists, read from the logs once: the planner then knows how many)."""

    lead_ids: list  # every lead logged
    moved_lead_ids: list  # those whose activities may count elsewhere
    activity_ids: list  # every activity logged
    activity_lead_ids: list  # the leads the logged activities were on

    @staticmethod
    def ids(ids):
        """SQL: an int[] of ``ids``, one constant."""
        return SQL("%s::int[]", engine_params.array_literal(sorted(ids)))


@dataclass(frozen=True)
class RunningFamily(SqlFamily):
    """An SQL family of running totals that can keep them between runs.

    ``delta(request, changes)`` returns the Query list of the changes of the
    totals since the states of ``changes`` (Changes) were logged
    (``sql.running(..., weighted=True)``); ``daily``: the totals are read
    against today (kept for the day they were read on).
    The first measure is the number of records counted."""

    delta: Any = None
    daily: bool = False

    def table(self, request):
        if request.counts is None or request.combined:
            return super().table(request)
        Kept = request.env["crm.bsc.running.total"]
        try:
            with request.env.cr.savepoint():
                if Kept._catch_up():
                    if request.counts == "kept":
                        table = Kept._kept_table(self, request)
                        if table is not None:
                            return table
                    table = super().table(request)
                    Kept._keep(self, request, table)
                    return table
        except psycopg2.errors.SerializationFailure as error:
            _logger.info("Running totals changed by another run: %s", error)
        # another run is at the totals: read every record
        return super().table(request)

    def delta_table(self, request, changes):
        """The changes of the totals {key: {measure: change}} since the
        logged states of the ``changes`` (Changes)."""
        table = {}
        for query in self.delta(request, changes):
            for key, values in run_query(request.env, query).items():
                table.setdefault(key, {}).update(values)
        return table
