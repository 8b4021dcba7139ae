# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Calendar periods of a granularity (month, quarter, year). Pure Python."""

import datetime

MONTH = "month"
QUARTER = "quarter"
YEAR = "year"
GRANULARITIES = (MONTH, QUARTER, YEAR)
_MONTHS = {MONTH: 1, QUARTER: 3, YEAR: 12}


def _add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def period_start(granularity, day):
    """First day of the period of ``granularity`` that contains ``day``."""
    if granularity == MONTH:
        return datetime.date(day.year, day.month, 1)
    if granularity == QUARTER:
        return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if granularity == YEAR:
        return datetime.date(day.year, 1, 1)
    raise ValueError(f"unknown granularity {granularity!r}")


def period_bounds(granularity, day):
    """(first day, last day) of the period that contains ``day``."""
    start = period_start(granularity, day)
    end = _add_months(start, _MONTHS[granularity]) - datetime.timedelta(days=1)
    return start, end


def period_code(granularity, start):
    """A short, sortable, language-neutral name: 2026-03, 2026-Q1, 2026."""
    if granularity == MONTH:
        return f"{start.year}-{start.month:02d}"
    if granularity == QUARTER:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if granularity == YEAR:
        return str(start.year)
    raise ValueError(f"unknown granularity {granularity!r}")


def periods_between(granularity, date_from, date_to):
    """The periods of ``granularity`` that overlap [date_from, date_to].

    Returns a list of (code, first day, last day), oldest first.
    """
    if date_to < date_from:
        raise ValueError(f"{date_to} is before {date_from}")
    result = []
    start = period_start(granularity, date_from)
    while start <= date_to:
        _start, end = period_bounds(granularity, start)
        result.append((period_code(granularity, start), start, end))
        start = end + datetime.timedelta(days=1)
    return result


def is_aligned(granularity, date_from, date_to):
    """True when [date_from, date_to] is exactly one calendar period."""
    return period_bounds(granularity, date_from) == (date_from, date_to)
