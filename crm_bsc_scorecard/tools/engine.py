# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The database-free half of the indicator engine: from family rows to
indicator values.

PostgreSQL returns, per family of built-in indicators, a handful of measures
(counts, sums) per grouping set; this module turns those rows into indicator
values: it decodes the grouping sets into keys, fills the keys that have no
row (a count with no row is 0, an average with no row has no value), combines
measures into values by each built-in's rule (``tools/builtins.py``) and
evaluates ratio and formula indicators over the values of the indicators
they depend on. Keys, results and reasons are those of ``tools/results.py``.
"""

import itertools

from . import formula as formula_tools
from .builtins import BUILTINS, family_of  # noqa: F401 - the engine's rules
from .results import (  # noqa: F401 - the engine's vocabulary
    DIVISION_BY_ZERO,
    EMPTY_NONE,
    EMPTY_ZERO,
    ERROR,
    MISSING,
    NO_BASE,
    NO_SOURCE,
    DataError,
    Key,
    NoData,
    NoSourceError,
    Result,
    Rule,
    ratio,
)

DIMENSIONS = ("seg", "ch", "u", "t")
# GROUPING(seg, ch, u, t) gives one bit per dimension, 1 when aggregated.
DIMENSION_BITS = {"seg": 8, "ch": 4, "u": 2, "t": 1}


def grouping_sets(channels, users, combined=False):
    """The grouping sets a family query needs, as tuples of dimension names
    (the period is always grouped too).

    Values are kept per segment and one of channel, salesperson or team;
    ``combined`` adds every combination of the dimensions asked for (a
    channel with a salesperson, say), for a value computed on demand.
    """
    if combined:
        dims = (("ch",) if channels else ()) + (("u", "t") if users else ())
        return [
            prefix + combo
            for size in range(len(dims) + 1)
            for combo in itertools.combinations(dims, size)
            for prefix in ((), ("seg",))
        ]
    sets = [(), ("seg",)]
    if channels:
        sets += [("ch",), ("seg", "ch")]
    if users:
        sets += [("u",), ("seg", "u"), ("t",), ("seg", "t")]
    return sets


def decode_rows(rows, measures, table=None):
    """Turn family rows into {key: {measure: number}}.

    Each row is (period id, seg, ch, u, t, grouping mask, *measures). A
    dimension is "all" (None) when its grouping bit is set; a row whose
    grouped dimension is NULL in the data (an unsegmented lead, say) has no
    key of its own and is dropped (it still counts in "all").
    """
    table = {} if table is None else table
    for row in rows:
        period_id, mask = row[0], row[5]
        key = [period_id]
        for name, value in zip(DIMENSIONS, row[1:5], strict=True):
            if mask & DIMENSION_BITS[name]:
                key.append(None)
            elif value is None:
                break
            else:
                key.append(value)
        else:
            table.setdefault(tuple(key), {}).update(
                (name, float(number or 0.0))
                for name, number in zip(measures, row[6:], strict=True)
            )
    return table


def required_keys(period_ids, segment_ids, channel_ids):
    """The keys every computed indicator must have a result for: each period
    for each segment (None: all customers), in total and per watched channel."""
    keys = []
    for period_id in period_ids:
        for segment_id in segment_ids:
            keys.append((period_id, segment_id, None, None, None))
            for channel_id in channel_ids:
                keys.append((period_id, segment_id, channel_id, None, None))
    return keys


def wanted(key, segment_ids, channel_ids, users):
    """True when a decoded key belongs to what was asked for."""
    _period, segment, channel, user, team = key
    if segment not in segment_ids:
        return False
    if channel is not None and channel not in channel_ids:
        return False
    return users or (user is None and team is None)


def aggregate_rule(measure):
    """The rule of an ``aggregate`` indicator: its one measure is the value;
    a count or a sum over nothing is 0, an average, minimum or maximum over
    nothing has no value."""
    empty = EMPTY_ZERO if measure in ("count", "count_distinct", "sum") else EMPTY_NONE
    return Rule(("agg",), lambda m: (m["agg"], None), empty)


def builtin_results(code, table, keys, segment_ids, channel_ids, users):
    """Results of one built-in indicator from its family's decoded table."""
    return rule_results(
        BUILTINS[code].rule, table, keys, segment_ids, channel_ids, users
    )


def rule_results(rule, table, keys, segment_ids, channel_ids, users):
    """Results of an indicator computed by ``rule`` from a decoded table."""
    measures, combine, empty = rule
    zero = dict.fromkeys(measures, 0.0)
    results = {}
    for key, values in table.items():
        if wanted(key, segment_ids, channel_ids, users):
            results[key] = _safe(combine, {**zero, **values})
    if keys:
        missing = _safe(combine, zero) if empty == EMPTY_ZERO else _NO_BASE
        for key in keys:
            if key not in results:
                results[key] = missing
    return results


# (results are many: plain tuples, see tools/results.py)
_NO_BASE = Result.none(NO_BASE)
_ERROR = Result.none(ERROR)


def _safe(combine, values):
    """The Result of a rule's combination: an arithmetic failure (an
    overflow, say) is a value of its own, not a failure of the run."""
    try:
        pair = combine(values)
    except (ZeroDivisionError, OverflowError, ValueError):
        return _ERROR
    if pair[1] is None:
        return pair
    return Result.none(pair[1])


def ratio_results(numerator, denominator, scale=1.0):
    """Results of a ratio indicator over the keys both sides have."""
    results = {}
    for key in set(numerator) | set(denominator):
        num, num_reason = numerator.get(key, (None, MISSING))
        den, den_reason = denominator.get(key, (None, MISSING))
        if num is None:
            results[key] = Result.none(num_reason or MISSING)
        elif den is None:
            results[key] = Result.none(den_reason or MISSING)
        elif den == 0:
            results[key] = Result.none(DIVISION_BY_ZERO)
        else:
            results[key] = Result(scale * num / den)
    return results


def formula_results(parsed, dependencies, keys=()):
    """Results of a formula indicator.

    ``parsed`` is a formula parsed by tools.formula; ``dependencies`` maps
    each code the formula reads to that indicator's results. Every key that
    any dependency has, and every key of ``keys``, gets a result (a formula
    that reads no code is the same number for every key).
    """
    keys = set(keys)
    for results in dependencies.values():
        keys.update(results)
    out = {}
    for key in keys:
        values = {
            code: results.get(key, (None, MISSING))[0]
            for code, results in dependencies.items()
        }
        try:
            out[key] = Result(parsed.evaluate(values))
        except formula_tools.NoData as error:
            out[key] = Result.none(error.reason)
    return out


def running_totals(table, ids, presence):
    """Turn changes into totals.

    ``table`` is {(position, seg, ch, u, t): {measure: change}} as decoded
    from rows grouped by the position (1-based, in ``ids``) of the first
    period end at which a record starts or stops counting; the result is
    {(period id, seg, ch, u, t): {measure: total}} at each period end where
    the ``presence`` total (the number of records counted) is not zero
    (``presence`` None: where any total is not zero, for changes of totals)."""
    groups = {}
    for (position, *dims), changes in table.items():
        groups.setdefault(tuple(dims), {})[position] = changes
    result = {}
    for dims, by_position in groups.items():
        totals = {}
        for position, period_id in enumerate(ids, start=1):
            for measure, change in by_position.get(position, {}).items():
                totals[measure] = totals.get(measure, 0.0) + change
            if (
                round(totals.get(presence, 0.0))
                if presence is not None
                else any(round(total, 6) for total in totals.values())
            ):
                result[(period_id, *dims)] = {
                    measure: round(total, 6) for measure, total in totals.items()
                }
    return result
