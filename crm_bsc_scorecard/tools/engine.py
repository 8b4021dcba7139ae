# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The database-free half of the indicator engine.

PostgreSQL returns, per family of built-in indicators, a handful of measures
(counts, sums) per grouping set; this module turns those rows into indicator
values: it decodes the grouping sets, fills the keys that have no row (a
count with no row is 0, an average with no row has no value), combines
measures into values (ratios, averages, rates) and evaluates ratio and
formula indicators over the values of the indicators they depend on.

A *key* is (period id, segment id, channel id, user id, team id); None in a
dimension means "all". A *result* is (value, reason): a float and None, or
None and the reason there is no value.
"""

import datetime
import decimal
import itertools
import json
from collections import Counter

from . import formula as formula_tools

DIMENSIONS = ("seg", "ch", "u", "t")
# GROUPING(seg, ch, u, t) gives one bit per dimension, 1 when aggregated.
DIMENSION_BITS = {"seg": 8, "ch": 4, "u": 2, "t": 1}

NO_BASE = "no_base"  # a rate or an average over nothing
NO_SOURCE = "no_source"  # the data the indicator reads is not available
MISSING = formula_tools.REASON_MISSING
DIVISION_BY_ZERO = formula_tools.REASON_DIVISION_BY_ZERO
ERROR = "error"

EMPTY_ZERO = "zero"


class DataError(Exception):
    """The data an indicator reads cannot be read as configured (a domain
    that no longer evaluates, a field that is gone): that indicator has no
    value, with this reason, and the others compute."""


class NoSourceError(Exception):
    """The data an indicator reads is not available (a module is missing)."""


EMPTY_NONE = "none"


def _ratio(num, den, scale=1.0):
    if not den:
        return None, NO_BASE
    return scale * (num or 0.0) / den, None


# code: (family, measures read, combine(measures) -> (value, reason), empty)
# "empty" says what a key without any row gets: 0 for counts and sums, no
# value for rates and averages.
BUILTIN_RULES = {
    "won_deals": (
        "closed",
        ("won_count",),
        lambda m: (m["won_count"], None),
        EMPTY_ZERO,
    ),
    "won_revenue": (
        "closed",
        ("won_amount",),
        lambda m: (m["won_amount"], None),
        EMPTY_ZERO,
    ),
    "avg_deal_size": (
        "closed",
        ("won_amount", "won_count"),
        lambda m: _ratio(m["won_amount"], m["won_count"]),
        EMPTY_NONE,
    ),
    "sales_cycle_days": (
        "closed",
        ("cycle_days", "won_count"),
        lambda m: _ratio(m["cycle_days"], m["won_count"]),
        EMPTY_NONE,
    ),
    "win_rate": (
        "closed",
        ("won_count", "lost_count"),
        lambda m: _ratio(m["won_count"], m["won_count"] + m["lost_count"], 100.0),
        EMPTY_NONE,
    ),
    "lost_rate": (
        "closed",
        ("won_count", "lost_count"),
        lambda m: _ratio(m["lost_count"], m["won_count"] + m["lost_count"], 100.0),
        EMPTY_NONE,
    ),
    "new_leads": (
        "created",
        ("created_count",),
        lambda m: (m["created_count"], None),
        EMPTY_ZERO,
    ),
    "lead_conversion_rate": (
        "created",
        ("converted_count", "created_count"),
        lambda m: _ratio(m["converted_count"], m["created_count"], 100.0),
        EMPTY_NONE,
    ),
    "first_response_hours": (
        "created",
        ("response_hours", "answered_count"),
        lambda m: _ratio(m["response_hours"], m["answered_count"]),
        EMPTY_NONE,
    ),
    "pipeline_value": (
        "pipeline",
        ("pipeline_amount",),
        lambda m: (m["pipeline_amount"], None),
        EMPTY_ZERO,
    ),
    "weighted_pipeline": (
        "pipeline",
        ("pipeline_weighted",),
        lambda m: (m["pipeline_weighted"], None),
        EMPTY_ZERO,
    ),
    "active_customers": (
        "customers",
        ("active_count",),
        lambda m: (m["active_count"], None),
        EMPTY_ZERO,
    ),
    "retention_rate": (
        "customers",
        ("retained_count", "cohort_count"),
        lambda m: _ratio(m["retained_count"], m["cohort_count"], 100.0),
        EMPTY_NONE,
    ),
    "churn_rate": (
        "customers",
        ("retained_count", "cohort_count"),
        lambda m: (
            (None, NO_BASE)
            if not m["cohort_count"]
            else (100.0 - 100.0 * m["retained_count"] / m["cohort_count"], None)
        ),
        EMPTY_NONE,
    ),
    "new_customers": (
        "customers",
        ("new_count",),
        lambda m: (m["new_count"], None),
        EMPTY_ZERO,
    ),
    "overdue_activity_share": (
        "activities",
        ("overdue_count", "due_count"),
        lambda m: _ratio(m["overdue_count"], m["due_count"], 100.0),
        EMPTY_NONE,
    ),
    "data_completeness": (
        "completeness",
        ("complete_count", "customer_count"),
        lambda m: _ratio(m["complete_count"], m["customer_count"], 100.0),
        EMPTY_NONE,
    ),
}

# When the company counts confirmed sale orders as customer transactions,
# these built-ins read the "orders" family instead of "closed".
TRANSACTION_BUILTINS = ("won_deals", "won_revenue", "avg_deal_size", "sales_cycle_days")


def family_of(code, transaction_source="opportunities"):
    if transaction_source == "sale_orders" and code in TRANSACTION_BUILTINS:
        return "orders"
    return BUILTIN_RULES[code][0]


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
    return ("aggregate", ("agg",), lambda m: (m["agg"], None), empty)


def builtin_results(code, table, keys, segment_ids, channel_ids, users):
    """Results of one built-in indicator from its family's decoded table."""
    return rule_results(
        BUILTIN_RULES[code], table, keys, segment_ids, channel_ids, users
    )


def rule_results(rule, table, keys, segment_ids, channel_ids, users):
    """Results of an indicator computed by ``rule`` from a decoded table."""
    _family, measures, combine, empty = rule
    zero = dict.fromkeys(measures, 0.0)
    results = {}
    for key, values in table.items():
        if wanted(key, segment_ids, channel_ids, users):
            results[key] = _safe(combine, {**zero, **values})
    for key in keys:
        if key not in results:
            results[key] = (
                _safe(combine, zero) if empty == EMPTY_ZERO else (None, NO_BASE)
            )
    return results


def _safe(combine, values):
    try:
        return combine(values)
    except (ZeroDivisionError, OverflowError, ValueError):
        return None, ERROR


def ratio_results(numerator, denominator, scale=1.0):
    """Results of a ratio indicator over the keys both sides have."""
    results = {}
    for key in set(numerator) | set(denominator):
        num, num_reason = numerator.get(key, (None, MISSING))
        den, den_reason = denominator.get(key, (None, MISSING))
        if num is None:
            results[key] = (None, num_reason or MISSING)
        elif den is None:
            results[key] = (None, den_reason or MISSING)
        elif den == 0:
            results[key] = (None, DIVISION_BY_ZERO)
        else:
            results[key] = (scale * num / den, None)
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
            out[key] = (parsed.evaluate(values), None)
        except formula_tools.NoData as error:
            out[key] = (None, error.reason)
    return out


def array_literal(items):
    """The text of a PostgreSQL array of ``items`` (``{1,NULL,"a b"}``), for
    an ``%s::int[]`` parameter: one string to send and parse, where a list
    would become an ARRAY[...] expression of as many constants. None is
    NULL; strings are quoted; booleans are t and f; dates are ISO."""
    return "{" + ",".join(_array_item(item) for item in items) + "}"


def _array_item(item):
    if item is None:
        return "NULL"
    if isinstance(item, bool):
        return "t" if item else "f"
    if isinstance(item, int | float | decimal.Decimal):
        return str(item)
    if hasattr(item, "isoformat"):
        return item.isoformat()
    text = str(item).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


# kinds of customer activity islands: 0 any transaction, then per channel,
# salesperson and team (the dimension of the key the island's value goes to)
ISLAND_KINDS = {0: None, 1: 2, 2: 3, 3: 4}  # kind -> index in the key


def activity_points(periods):
    """The days on which customer activity is read: the day before each
    period starts and its last day, sorted and distinct; and per period id
    the 1-based positions of those two days in that list."""
    one_day = datetime.timedelta(days=1)
    points = sorted(
        {start - one_day for _id, start, _end in periods}
        | {end for _id, _start, end in periods}
    )
    position = {day: index for index, day in enumerate(points, start=1)}
    return points, {
        pid: (position[start - one_day], position[end]) for pid, start, end in periods
    }


def customers_table(active_rows, churn_rows, positions, count, table=None):
    """Active customers, the cohort at the start and the customers retained,
    per key, from the activity islands.

    ``active_rows`` are (position, segment aggregated, segment, kind, value,
    change): the number of customers active at each point changes by
    ``change`` there (an island adds one where it starts covering points and
    removes one after the last). ``churn_rows`` are (period id, segment
    aggregated, segment, kind, value, customers active at the start of the
    period and inactive at its end). ``positions`` maps a period id to the
    positions of its two points (see activity_points), ``count`` is the
    number of points. A key gets a measure only where the count is not zero
    (as a grouped count has no row for nothing)."""
    table = {} if table is None else table
    changes = {}
    for position, seg_all, seg, kind, value, change in active_rows:
        group = _island_group(seg_all, seg, kind, value)
        if group is None:
            continue
        running = changes.setdefault(group, [0] * (count + 2))
        running[position] += int(change)
    churned = {}
    for period_id, seg_all, seg, kind, value, customers in churn_rows:
        group = _island_group(seg_all, seg, kind, value)
        if group is not None:
            churned[period_id, group] = int(customers)
    for group, running in changes.items():
        total = 0
        for position in range(count + 1):
            total += running[position]
            running[position] = total
        for period_id, (start, end) in positions.items():
            key = (period_id, *group)
            active, cohort = running[end], running[start]
            if active:
                table.setdefault(key, {})["active_count"] = float(active)
            if cohort:
                retained = cohort - churned.get((period_id, group), 0)
                table.setdefault(key, {}).update(
                    cohort_count=float(cohort), retained_count=float(retained)
                )
    return table


def _island_group(seg_all, seg, kind, value):
    """The (segment, channel, user, team) of an island group; None when its
    segment is grouped but empty (it still counts in all customers)."""
    if not seg_all and seg is None:
        return None
    group = [None if seg_all else seg, None, None, None]
    index = ISLAND_KINDS[kind]
    if index is not None:
        group[index - 1] = value
    return tuple(group)


def period_buckets(periods):
    """Thresholds and bucket ids to place a day in its period with one
    ``width_bucket``: (days, ids) where day d lies in period ids[b - 1] for
    b = width_bucket(d, days) (None in a gap between periods and outside
    them). The periods must not overlap; a ValueError says which do."""
    days, ids = [], []
    for pid, start, end in sorted(periods, key=lambda period: period[1]):
        if days and start < days[-1]:
            raise ValueError(f"period {pid} overlaps the one before it")
        if not days:
            days.append(start)
        elif start > days[-1]:
            days.append(start)
            ids.append(None)
        days.append(end + datetime.timedelta(days=1))
        ids.append(pid)
    return days, ids


def period_ends(periods):
    """The last days of the periods, sorted, and the period id at each
    1-based position: the points at which running totals are read."""
    ordered = sorted(periods, key=lambda period: period[2])
    return [end for _id, _start, end in ordered], [pid for pid, _s, _e in ordered]


def running_totals(table, ids, presence):
    """Turn changes into totals.

    ``table`` is {(position, seg, ch, u, t): {measure: change}} as decoded
    from rows grouped by the position (1-based, in ``ids``) of the first
    period end at which a record starts or stops counting; the result is
    {(period id, seg, ch, u, t): {measure: total}} at each period end where
    the ``presence`` total (the number of records counted) is not zero."""
    groups = {}
    for (position, *dims), changes in table.items():
        groups.setdefault(tuple(dims), {})[position] = changes
    result = {}
    for dims, by_position in groups.items():
        totals = {}
        for position, period_id in enumerate(ids, start=1):
            for measure, change in by_position.get(position, {}).items():
                totals[measure] = totals.get(measure, 0.0) + change
            if round(totals.get(presence, 0.0)):
                result[(period_id, *dims)] = {
                    measure: round(total, 6) for measure, total in totals.items()
                }
    return result


# ---------------------------------------------------------------------------
# Customer counts kept between runs: the incremental recompute of the
# customers family adds what changed customers count now and removes what
# they counted before, instead of reading every customer's transactions.
# ---------------------------------------------------------------------------

COUNT_MEASURES = ("active_count", "cohort_count", "retained_count", "new_count")


def _transaction_dims(transaction, channels, users):
    """The (channel, user, team) groups a transaction places its customer
    in: all, and its channel, salesperson and team when asked for and set."""
    _day, _src, channel, user, team = transaction
    groups = [(None, None, None)]
    if channels and channel is not None:
        groups.append((channel, None, None))
    if users:
        if user is not None:
            groups.append((None, user, None))
        if team is not None:
            groups.append((None, None, team))
    return groups


def customer_counts(transactions, segment, periods, window_days, channels, users):
    """What one customer counts in the customers table, by the definitions
    the SQL of the family follows: {key: {measure: count}}.

    ``transactions`` are all its transactions (day, source id, channel,
    user, team); ``segment`` its segment (None: it counts in all customers
    only); ``periods`` [(id, start, end)]. Per period and group (all, a
    channel, a salesperson, a team): *active* when a transaction of the
    group lies in the activity window ending on the period's last day,
    *cohort* when one lies in the window ending on its eve, *retained* when
    in the cohort and active at the end (any transaction), *new* in the
    period holding its first transaction ever (the groups of that one)."""
    ordered = sorted(transactions, key=lambda tx: (tx[0], tx[1]))
    if not ordered:
        return {}
    window = datetime.timedelta(days=window_days)
    one_day = datetime.timedelta(days=1)
    segments = [None] if segment is None else [None, segment]
    dims = [_transaction_dims(tx, channels, users) for tx in ordered]
    everyone = (None, None, None)

    def active(day):
        low = day - window
        groups = set()
        for tx, tx_dims in zip(ordered, dims, strict=True):
            if tx[0] > day:
                break
            if tx[0] > low:
                groups.update(tx_dims)
        return groups

    counts = {}

    def add(period_id, groups, measure):
        for group in groups:
            for seg in segments:
                entry = counts.setdefault((period_id, seg, *group), {})
                entry[measure] = entry.get(measure, 0) + 1

    first_day = ordered[0][0]
    for period_id, start, end in periods:
        if end < first_day:
            continue
        at_end = active(end)
        add(period_id, at_end, "active_count")
        cohort = active(start - one_day)
        add(period_id, cohort, "cohort_count")
        if everyone in at_end:
            add(period_id, cohort, "retained_count")
        if start <= first_day <= end:
            add(period_id, dims[0], "new_count")
    return counts


def earlier_state(transactions, segment, changes):
    """A customer's transactions and segment before ``changes``, from those
    it has now.

    ``changes`` are, in the order they happened, (sign, transaction,
    segment before): sign +1 a transaction appeared, -1 one disappeared,
    0 the segment changed from ``segment before``. A ValueError says the
    changes do not lead to what the customer has now (the counts kept
    cannot be trusted then)."""
    before = list(transactions)
    for sign, transaction, _segment in changes:
        if sign > 0:
            try:
                before.remove(tuple(transaction))
            except ValueError:
                raise ValueError(
                    f"transaction {transaction} was added but is not there"
                ) from None
        elif sign < 0:
            before.append(tuple(transaction))
    for sign, _transaction, previous in changes:
        if not sign:
            segment = previous
            break
    return before, segment


def add_counts(table, counts, sign=1):
    """Add (sign 1) or remove (sign -1) counts to a table of counts, in
    place; returns the keys touched."""
    for key, measures in counts.items():
        entry = table.setdefault(key, {})
        for measure, number in measures.items():
            entry[measure] = entry.get(measure, 0) + sign * number
    return set(counts)


def changed_from(transactions, earlier):
    """The first day on which two lists of transactions differ (None when
    they hold the same ones): periods that end before it count them alike."""
    now, then = Counter(map(tuple, transactions)), Counter(map(tuple, earlier))
    differ = (now - then) + (then - now)
    return min(tx[0] for tx in differ) if differ else None


def counts_table(counts):
    """The customers table (see customers_table) from kept counts: a key has
    a measure only where its count is not zero, and the customers retained
    wherever there is a cohort. A negative count is a ValueError."""
    table = {}
    for key, measures in counts.items():
        if any(measures.get(name, 0) < 0 for name in COUNT_MEASURES):
            raise ValueError(f"negative customer count at {key}: {measures}")
        entry = {}
        if measures.get("active_count"):
            entry["active_count"] = float(measures["active_count"])
        if measures.get("cohort_count"):
            entry["cohort_count"] = float(measures["cohort_count"])
            entry["retained_count"] = float(measures.get("retained_count", 0))
        if measures.get("new_count"):
            entry["new_count"] = float(measures["new_count"])
        if entry:
            table[key] = entry
    return table


def encode_counts(counts):
    """The kept form of one period's counts {key: measures}: a JSON list
    of [segment, channel, user, team, active, cohort, retained, new]."""
    rows = [
        [*key[1:], *(round(measures.get(name, 0)) for name in COUNT_MEASURES)]
        for key, measures in counts.items()
        if any(measures.get(name) for name in COUNT_MEASURES)
    ]
    rows.sort(key=lambda row: [-1 if item is None else item for item in row])
    return json.dumps(rows)


def decode_counts(period_id, kept):
    """{key: measures} of one period from its kept form (see encode_counts),
    text or already decoded."""
    rows = json.loads(kept) if isinstance(kept, str) else kept or []
    return {
        (period_id, *row[:4]): dict(zip(COUNT_MEASURES, row[4:], strict=True))
        for row in rows
    }
