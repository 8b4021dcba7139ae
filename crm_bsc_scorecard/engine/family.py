# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The protocol of a family of built-in indicators.

A family computes, for a ``Request`` (a scope and the breakdowns asked
for), a table {Key: {measure: number}} holding some of its declared
``measures``; the built-ins of the family (``tools/builtins.py``) combine
those measures into values. Most families are SQL (``SqlFamily``: they
declare their queries, this module runs and decodes them); any other
family implements ``table`` itself (numpy over scores, say). A family
raises ``DataError`` or ``NoSourceError`` (or lets a ``psycopg2.Error``
through) when its data cannot be read: its indicators then have no value,
with the reason. Any other exception is a programming error and fails the
run. Families are registered in ``families/__init__.py``.
"""

from dataclasses import dataclass, field
from typing import Any

from ..tools import engine as engine_tools


@dataclass
class Scope:
    """What one computation covers."""

    company_id: int
    periods: list  # [(id, date_from, date_to)]
    segment_ids: list  # segment ids; None stands for all customers
    window_days: int = 365
    transaction_source: str = "opportunities"
    today: object = None
    channel_ids: dict = field(default_factory=dict)  # indicator id -> [ids]
    users: dict = field(default_factory=dict)  # indicator id -> bool
    extra_keys: list = field(default_factory=list)  # keys to fill too
    # the indicators computed and what they read, in dependency order, and
    # {indicator on or reading a cycle: the cycle}: computed once per run
    ordered: list = field(default_factory=list)
    broken: dict = field(default_factory=dict)
    deps: dict = field(default_factory=dict)  # indicator -> what it reads

    @property
    def period_ids(self):
        return [period[0] for period in self.periods]

    @property
    def first_day(self):
        return min(period[1] for period in self.periods)

    @property
    def last_day(self):
        return max(period[2] for period in self.periods)


@dataclass(frozen=True)
class Request:
    """What a family is asked to compute."""

    env: Any
    scope: Scope
    channels: bool = False  # per contact channel too
    users: bool = False  # per salesperson and per team too
    # every combination of the breakdowns (a value computed on demand)
    combined: bool = False
    codes: frozenset = frozenset()  # the family's built-ins computed
    # the customers family and the running families (engine/kept.py): None
    # (read every record), "compute" (and keep the counts or totals) or
    # "kept" (read the kept ones when there are)
    counts: str | None = None


@dataclass(frozen=True)
class Query:
    """One SQL statement of a family: its rows are (period id, seg, ch, u,
    t, grouping mask, *names); ``names`` may be {part: names} for a UNION of
    parts whose first column says the part; ``post`` turns the decoded
    table into the family's (running totals, say)."""

    sql: Any
    names: Any
    post: Any = None


@dataclass(frozen=True)
class Family:
    """A family of built-in indicators."""

    name: str  # kept in crm.bsc.dirty.family: keep it stable
    label: str
    measures: tuple
    # request -> {Key: {measure: number}} (a non-SQL family)
    build: Any = None

    def table(self, request):
        return self.build(request)


@dataclass(frozen=True)
class SqlFamily(Family):
    """A family computed by SQL: ``build`` returns its ``Query`` list."""

    def table(self, request):
        table = {}
        for query in self.build(request):
            result = run_query(request.env, query)
            for key, values in result.items():
                table.setdefault(key, {}).update(values)
        return table


def run_query(env, query):
    """Execute a family query and decode its rows."""
    env.cr.execute(query.sql)
    rows = env.cr.fetchall()
    if isinstance(query.names, dict):
        table = {}
        for part, names in query.names.items():
            engine_tools.decode_rows(
                [row[1 : 7 + len(names)] for row in rows if row[0] == part],
                names,
                table,
            )
    else:
        table = engine_tools.decode_rows(rows, query.names)
    return query.post(table) if query.post else table
