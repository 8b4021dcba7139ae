# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Parameters of the engine's SQL, computed in Python (no Odoo import): the
bounds that place a day in its period with one ``width_bucket``, the days at
which running totals and customer activity are read, and array literals."""

import datetime
import decimal


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


def array_literal(items):
    """The text of a PostgreSQL array of ``items`` (``{1,NULL,"a b"}``), for
    an ``%s::int[]`` parameter: one string to send and parse, where a list
    would become an ARRAY[...] expression of as many constants. None is
    NULL; strings are quoted; booleans are t and f; dates are ISO."""
    # (the converter of each item's exact type, found once per item: a
    # stored run turns a million items into text)
    return (
        "{"
        + ",".join([_CONVERT.get(type(item), _array_item)(item) for item in items])
        + "}"
    )


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


_CONVERT = {
    type(None): lambda _item: "NULL",
    bool: lambda item: "t" if item else "f",
    int: str,
    float: str,
}
