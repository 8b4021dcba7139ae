# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A computation of indicators, from a scope to results.

The lifecycle (modelled on mis_builder's AccountingExpressionProcessor):

1. ``build_scope``: the company, periods and segments, and the indicators
   with every indicator they read (the closure, computed once here), each
   with its channels and breakdowns;
2. ``IndicatorProcessor(env, scope, combined=..., counts=...)``;
3. ``run(indicators)``: one ``Request`` per family of the built-ins among
   them, each family and each aggregate in its own savepoint, then the
   ratios and formulas over those results in dependency order;
4. ``results``: {indicator: {Key: Result}};
5. ``storage.store``: the results of the indicators to keep, scored.

A family whose data cannot be read (a database or data error) leaves its
indicators without a value, with the reason; a programming error fails the
run.
"""

import logging

import psycopg2

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools import engine as engine_tools
from ..tools import formula as formula_tools
from ..tools import graph as graph_tools
from ..tools.builtins import BUILTINS
from ..tools.results import Key, NoData, Result
from . import aggregate, families
from .family import Request, Scope, run_query

_logger = logging.getLogger(__name__)

ENGINE_WORK_MEM_KB = 65536
# what a failure to read an indicator's data is (the indicator has no value,
# the others compute); anything else is a programming error and fails
DATA_ERRORS = (
    psycopg2.Error,
    engine_tools.DataError,
    engine_tools.NoSourceError,
    formula_tools.FormulaError,
    UserError,
    ValidationError,
)


# ----------------------------------------------------------------------
# 1. The scope, with the closure of the indicators
# ----------------------------------------------------------------------
def dependencies(indicators, known=None):
    """{indicator: what it reads} for the indicators and everything they
    read (extending ``known``)."""
    deps = dict(known or {})
    pending = list(indicators)
    while pending:
        indicator = pending.pop()
        if indicator in deps:
            continue
        deps[indicator] = indicator._dependencies()
        pending.extend(deps[indicator])
    return deps


def split_closure(deps):
    """(the indicators without cycles in dependency order, {indicator on or
    reading a cycle: the cycle's codes}). A cycle built after the formulas
    were saved (codes renamed) breaks only those indicators."""
    order, broken = graph_tools.split_cycles(
        {ind: list(ind_deps) for ind, ind_deps in deps.items()}
    )
    return order, {
        indicator: " → ".join(node.code for node in cycle)
        for indicator, cycle in broken.items()
    }


def build_scope(
    env,
    company,
    periods,
    segment_ids,
    indicators,
    extra_keys=(),
    force_channels=None,
    force_users=None,
):
    """The Scope of a computation of ``indicators`` (and of what they read)
    for a company, periods [(id, start, end)] and segments.

    Channels and the salesperson breakdown follow each indicator's own
    settings, and an indicator read by another one is also computed with
    the channels and breakdowns of its readers."""
    deps = dependencies(indicators)
    ordered, broken = split_closure(deps)
    closure = ordered + list(broken)
    channels, users = {}, {}
    for indicator in closure:
        channels[indicator] = set(
            force_channels
            if force_channels is not None
            else indicator.channel_ids.filtered("active").ids
        )
        users[indicator] = (
            force_users if force_users is not None else indicator.breakdown_by_user
        )
    for reader in reversed(closure):
        for dep in deps[reader]:
            channels[dep] |= channels[reader]
            users[dep] = users[dep] or users[reader]
    return Scope(
        company_id=company.id,
        periods=list(periods),
        segment_ids=list(segment_ids),
        window_days=company.bsc_activity_window_days or 365,
        transaction_source=company.bsc_transaction_source or "opportunities",
        today=fields.Date.context_today(env["crm.bsc.engine"]),
        channel_ids={ind.id: sorted(chs) for ind, chs in channels.items()},
        users={ind.id: flag for ind, flag in users.items()},
        extra_keys=list(extra_keys),
        ordered=ordered,
        broken=broken,
        deps=deps,
    )


def closure_of(scope, indicators):
    """(ordered, broken) of the closure of ``indicators`` within the
    scope's (whose closure was computed when it was built)."""
    missing = [ind for ind in indicators if ind not in scope.deps]
    if missing:
        # indicators the scope was not built for: their closure too
        scope.deps = dependencies(missing, scope.deps)
        scope.ordered, scope.broken = split_closure(scope.deps)
    wanted, pending = set(), list(indicators)
    while pending:
        indicator = pending.pop()
        if indicator not in wanted:
            wanted.add(indicator)
            pending.extend(scope.deps[indicator])
    return (
        [ind for ind in scope.ordered if ind in wanted],
        {ind: cycle for ind, cycle in scope.broken.items() if ind in wanted},
    )


# ----------------------------------------------------------------------
# 2-4. Running the families and reading the results
# ----------------------------------------------------------------------
class IndicatorProcessor:
    """Computes indicators over a scope (see the module's docstring)."""

    def __init__(self, env, scope, combined=False, counts=None):
        self.env = env
        self.scope = scope
        self.combined = combined  # every combination of the breakdowns
        self.counts = counts  # the customers family's kept counts: see Request
        self.results = {}

    def keys(self, indicator):
        """The keys every result of ``indicator`` has."""
        scope = self.scope
        keys = engine_tools.required_keys(
            scope.period_ids, scope.segment_ids, scope.channel_ids.get(indicator.id, [])
        )
        return keys + [Key(*key) for key in scope.extra_keys]

    def run(self, indicators):
        """Compute ``indicators`` and what they read; returns the results."""
        self.env.flush_all()
        cr = self.env.cr
        # a few large grouped statements: compiling them just in time costs
        # seconds and saves none, and their sorts should stay in memory
        cr.execute(
            SQL(
                """SELECT current_setting('jit'), current_setting('work_mem'),
                          set_config('jit', 'off', true),
                          set_config('work_mem', GREATEST(
                              (SELECT setting::bigint FROM pg_settings
                                WHERE name = 'work_mem'), %s)::text || 'kB', true)""",
                ENGINE_WORK_MEM_KB,
            )
        )
        jit, work_mem = cr.fetchone()[:2]
        # (a failure rolls the transaction or savepoint back, and the
        # settings with it)
        ordered, broken = closure_of(self.scope, indicators)
        tables = self.run_families(ordered)
        for indicator in ordered:
            self.results[indicator] = self.indicator_results(indicator, tables)
        for indicator, cycle in broken.items():
            self.results[indicator] = self.no_data(
                indicator,
                engine_tools.DataError(f"the formulas read each other: {cycle}"),
            )
        cr.execute(
            SQL(
                "SELECT set_config('jit', %s, true), set_config('work_mem', %s, true)",
                jit,
                work_mem,
            )
        )
        return self.results

    def run_families(self, ordered):
        """{family name: its table, or the data error it failed with}."""
        scope = self.scope
        members = {}
        for indicator in ordered:
            if indicator.computation == "builtin":
                spec = BUILTINS[indicator.builtin_code]
                members.setdefault(
                    spec.family_for(scope.transaction_source), []
                ).append(indicator)
        tables = {}
        for name, group in members.items():
            request = Request(
                env=self.env,
                scope=scope,
                channels=any(scope.channel_ids.get(ind.id) for ind in group),
                users=any(scope.users.get(ind.id) for ind in group),
                combined=self.combined,
                codes=frozenset(ind.builtin_code for ind in group),
                counts=self.counts,
            )
            tables[name] = self.isolated(families.get(name).table, request)
        return tables

    def isolated(self, function, *args):
        """Run ``function`` in a savepoint; return its result, or the data
        error it failed with (an exception instance), so the others go on.
        A programming error is no data error: it is raised."""
        try:
            with self.env.cr.savepoint():
                return function(*args)
        except engine_tools.NoSourceError as error:
            return error
        except DATA_ERRORS as error:
            _logger.warning("Indicator computation failed: %s", error)
            return error

    def no_data(self, indicator, error):
        reason = NoData.from_error(error)
        return dict.fromkeys(self.keys(indicator), Result(None, reason))

    def indicator_results(self, indicator, tables):
        scope = self.scope
        channel_ids = scope.channel_ids.get(indicator.id, [])
        users = scope.users.get(indicator.id, False)
        keys = self.keys(indicator)
        computation = indicator.computation
        if computation == "builtin":
            spec = BUILTINS[indicator.builtin_code]
            table = tables[spec.family_for(scope.transaction_source)]
            if isinstance(table, Exception):
                return self.no_data(indicator, table)
            return engine_tools.rule_results(
                spec.rule, table, keys, scope.segment_ids, channel_ids, users
            )
        if computation == "aggregate":
            request = Request(
                env=self.env,
                scope=scope,
                channels=bool(channel_ids),
                users=users,
                combined=self.combined,
            )
            table = self.isolated(
                lambda: run_query(
                    self.env, aggregate.aggregate_query(indicator, request)
                )
            )
            if isinstance(table, Exception):
                return self.no_data(indicator, table)
            return engine_tools.rule_results(
                engine_tools.aggregate_rule(indicator.agg_measure),
                table,
                keys,
                scope.segment_ids,
                channel_ids,
                users,
            )
        if computation in ("ratio", "formula"):
            return self.derived_results(indicator, keys, channel_ids, users)
        # manual: the stored values, read for the formulas and ratios
        return self.stored_results(indicator)

    def derived_results(self, indicator, keys, channel_ids, users):
        """Results of a ratio or formula over what it reads."""
        scope = self.scope
        results = self.results
        if indicator.computation == "ratio":
            out = engine_tools.ratio_results(
                results[indicator.ratio_numerator_id],
                results[indicator.ratio_denominator_id],
                indicator.ratio_scale or 1.0,
            )
        else:
            try:
                parsed = formula_tools.parse(indicator.formula or "")
            except formula_tools.FormulaError as error:
                return self.no_data(indicator, error)
            missing = indicator._missing_codes()
            if missing:
                return self.no_data(
                    indicator,
                    engine_tools.DataError(
                        "no indicator has the code " + ", ".join(missing)
                    ),
                )
            by_code = {dep.code: results[dep] for dep in scope.deps[indicator]}
            out = engine_tools.formula_results(parsed, by_code, keys)
        # what it reads may be kept per more channels or per salesperson:
        # keep only the keys of this indicator's own breakdowns
        extra = {Key(*key) for key in scope.extra_keys}
        out = {
            key: result
            for key, result in out.items()
            if key in extra
            or engine_tools.wanted(key, scope.segment_ids, channel_ids, users)
        }
        for key in keys:
            out.setdefault(key, Result.none(engine_tools.MISSING))
        return out

    def stored_results(self, indicator):
        """The stored values of a manual indicator in the scope."""
        scope = self.scope
        # sudo: the manual values of the scope's company, read for the
        # formulas and ratios that the engine computes over them
        Value = self.env["crm.bsc.indicator.value"].sudo()
        values = Value.search_read(
            [
                ("indicator_id", "=", indicator.id),
                ("company_id", "=", scope.company_id),
                ("period_id", "in", scope.period_ids),
            ],
            [
                "period_id",
                "segment_id",
                "channel_id",
                "user_id",
                "team_id",
                "has_value",
                "value",
                "note",
            ],
            load=None,
        )
        results = {}
        for row in values:
            key = Key(
                row["period_id"],
                row["segment_id"] or None,
                row["channel_id"] or None,
                row["user_id"] or None,
                row["team_id"] or None,
            )
            results[key] = (
                Result(row["value"])
                if row["has_value"]
                else Result.none(row["note"] or engine_tools.MISSING)
            )
        return results
