# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The maths of the customers family (active, retained and new customers),
no Odoo import: decoding the activity islands the SQL returns, the Python
counter that is the family's second implementation (what one customer
counts, used by the incremental run and checked against the SQL), and the
counts kept between runs with their codec."""

import datetime
import functools
import json
from collections import Counter

# The groups a customer's activity is counted in: a *kind* is a set of the
# breakdowns (channel, salesperson, team) grouped, as bits; kind 0 is every
# transaction. A transaction places its customer in the group of each kind
# whose breakdowns it has.


def customer_kinds(channels, users, combined=False):
    """The kinds a computation counts customers in: every transaction, per
    channel when ``channels``, per salesperson and per team when ``users``;
    ``combined`` adds every combination of those (a channel with a
    salesperson, say), for a value computed on demand."""
    bits = ([4] if channels else []) + ([2, 1] if users else [])
    if not combined:
        return [0, *bits]
    kinds = {0}
    for bit in bits:
        kinds |= {kind | bit for kind in kinds}
    return sorted(kinds)


def kind_group(kind, channel, user, team):
    """The (channel, user, team) group of a transaction for one kind (None
    in what the kind does not group by); None when the transaction lacks a
    breakdown the kind groups by."""
    if (
        (kind & 4 and channel is None)
        or (kind & 2 and user is None)
        or (kind & 1 and team is None)
    ):
        return None
    return (
        channel if kind & 4 else None,
        user if kind & 2 else None,
        team if kind & 1 else None,
    )


def customers_table(active_rows, churn_rows, positions, count, table=None):
    """Active customers, the cohort at the start and the customers retained,
    per key, from the activity islands.

    ``active_rows`` are (position, segment aggregated, segment, channel,
    user, team, change): the number of customers active at each point
    changes by ``change`` there (an island adds one where it starts covering
    points and removes one after the last). ``churn_rows`` are (period id,
    segment aggregated, segment, channel, user, team, customers active at
    the start of the period and inactive at its end). ``positions`` maps a
    period id to the positions of its two points (see activity_points),
    ``count`` is the number of points. A key gets a measure only where the
    count is not zero (as a grouped count has no row for nothing)."""
    table = {} if table is None else table
    changes = {}
    for position, seg_all, seg, ch, u, t, change in active_rows:
        group = _island_group(seg_all, seg, ch, u, t)
        if group is None:
            continue
        running = changes.setdefault(group, [0] * (count + 2))
        running[position] += int(change)
    churned = {}
    for period_id, seg_all, seg, ch, u, t, customers in churn_rows:
        group = _island_group(seg_all, seg, ch, u, t)
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


def _island_group(seg_all, seg, ch, u, t):
    """The (segment, channel, user, team) of an island group; None when its
    segment is grouped but empty (it still counts in all customers)."""
    if not seg_all and seg is None:
        return None
    return (None if seg_all else seg, ch, u, t)


# ---------------------------------------------------------------------------
# Customer counts kept between runs: the incremental recompute of the
# customers family adds what changed customers count now and removes what
# they counted before, instead of reading every customer's transactions.
# ---------------------------------------------------------------------------

COUNT_MEASURES = ("active_count", "cohort_count", "retained_count", "new_count")


def _transaction_dims(transaction, kinds):
    """The (channel, user, team) groups a transaction places its customer
    in, one per kind whose breakdowns it has (see customer_kinds)."""
    _day, _src, channel, user, team = transaction
    return _groups(tuple(kinds), channel, user, team)


@functools.lru_cache(maxsize=65536)
def _groups(kinds, channel, user, team):
    # (cached: a catch-up places thousands of transactions that share their
    # few channels, salespeople and teams)
    groups = [kind_group(kind, channel, user, team) for kind in kinds]
    return tuple(group for group in groups if group is not None)


def customer_counts(
    transactions, segment, periods, window_days, channels, users, combined=False
):
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
    customer = _Customer(transactions, segment, window_days, channels, users, combined)
    counts = {}
    for period in periods:
        for key, measure in customer.items(period):
            entry = counts.setdefault(key, {})
            entry[measure] = entry.get(measure, 0) + 1
    return counts


def counts_change(
    transactions,
    segment,
    before,
    segment_before,
    periods,
    window_days,
    channels,
    users,
):
    """How a customer's counts change from ``before`` (its transactions and
    segment then) to now: {key: {measure: change}}, only where one does
    (``customer_counts`` now less ``customer_counts`` before, period by
    period without building either)."""
    now = _Customer(transactions, segment, window_days, channels, users)
    then = _Customer(before, segment_before, window_days, channels, users)
    change = {}
    for period in periods:
        items_now, items_then = now.items(period), then.items(period)
        if items_now == items_then:
            continue
        for items, sign in ((items_now - items_then, 1), (items_then - items_now, -1)):
            for key, measure in items:
                entry = change.setdefault(key, {})
                entry[measure] = entry.get(measure, 0) + sign
    return change


class _Customer:
    """One customer's transactions, ordered, with the groups each places it
    in: what it counts in one period (see customer_counts)."""

    __slots__ = ("dims", "first_day", "ordered", "segments", "window")

    def __init__(
        self, transactions, segment, window_days, channels, users, combined=False
    ):
        self.ordered = sorted(transactions, key=lambda tx: (tx[0], tx[1]))
        kinds = customer_kinds(channels, users, combined)
        self.dims = [_transaction_dims(tx, kinds) for tx in self.ordered]
        self.segments = [None] if segment is None else [None, segment]
        self.window = datetime.timedelta(days=window_days)
        self.first_day = self.ordered[0][0] if self.ordered else None

    def _active(self, day):
        low = day - self.window
        groups = set()
        for tx, tx_dims in zip(self.ordered, self.dims, strict=True):
            if tx[0] > day:
                break
            if tx[0] > low:
                groups.update(tx_dims)
        return groups

    def items(self, period):
        """The set of (key, measure) the customer counts one in for the
        period (id, start, end)."""
        period_id, start, end = period
        if self.first_day is None or end < self.first_day:
            return set()
        at_end = self._active(end)
        cohort = self._active(start - datetime.timedelta(days=1))
        measures = [(at_end, "active_count"), (cohort, "cohort_count")]
        if (None, None, None) in at_end:
            measures.append((cohort, "retained_count"))
        if start <= self.first_day <= end:
            measures.append((self.dims[0], "new_count"))
        # (plain tuples as keys: see tools/results.py)
        return {
            ((period_id, seg, *group), measure)
            for groups, measure in measures
            for group in groups
            for seg in self.segments
        }


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
