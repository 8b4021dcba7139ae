"""Calendar periods of crm_bsc_scorecard (tools/periods.py)."""

import datetime
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import load_pure_module

periods = load_pure_module("crm_bsc_scorecard", "tools/periods.py")

D = datetime.date
MONTH, QUARTER, YEAR = periods.MONTH, periods.QUARTER, periods.YEAR


@pytest.mark.parametrize(
    ("granularity", "day", "bounds"),
    [
        (MONTH, D(2026, 3, 15), (D(2026, 3, 1), D(2026, 3, 31))),
        (MONTH, D(2026, 4, 1), (D(2026, 4, 1), D(2026, 4, 30))),
        (MONTH, D(2024, 2, 10), (D(2024, 2, 1), D(2024, 2, 29))),  # leap year
        (MONTH, D(2023, 2, 28), (D(2023, 2, 1), D(2023, 2, 28))),
        (MONTH, D(2100, 2, 1), (D(2100, 2, 1), D(2100, 2, 28))),  # not leap
        (MONTH, D(2025, 12, 31), (D(2025, 12, 1), D(2025, 12, 31))),  # year end
        (QUARTER, D(2026, 1, 1), (D(2026, 1, 1), D(2026, 3, 31))),
        (QUARTER, D(2026, 5, 20), (D(2026, 4, 1), D(2026, 6, 30))),
        (QUARTER, D(2026, 9, 30), (D(2026, 7, 1), D(2026, 9, 30))),
        (QUARTER, D(2026, 11, 2), (D(2026, 10, 1), D(2026, 12, 31))),
        (YEAR, D(2026, 7, 4), (D(2026, 1, 1), D(2026, 12, 31))),
        (YEAR, D(2024, 12, 31), (D(2024, 1, 1), D(2024, 12, 31))),
    ],
)
def test_period_bounds(granularity, day, bounds):
    assert periods.period_bounds(granularity, day) == bounds
    assert periods.period_start(granularity, day) == bounds[0]


@pytest.mark.parametrize(
    ("granularity", "start", "code"),
    [
        (MONTH, D(2026, 3, 1), "2026-03"),
        (MONTH, D(2026, 12, 1), "2026-12"),
        (QUARTER, D(2026, 1, 1), "2026-Q1"),
        (QUARTER, D(2026, 4, 1), "2026-Q2"),
        (QUARTER, D(2026, 10, 1), "2026-Q4"),
        (YEAR, D(2026, 1, 1), "2026"),
    ],
)
def test_period_code(granularity, start, code):
    assert periods.period_code(granularity, start) == code


@pytest.mark.parametrize(
    "function",
    [
        lambda: periods.period_start("week", D(2026, 1, 1)),
        lambda: periods.period_bounds("week", D(2026, 1, 1)),
        lambda: periods.period_code("week", D(2026, 1, 1)),
        lambda: periods.periods_between("week", D(2026, 1, 1), D(2026, 2, 1)),
    ],
)
def test_unknown_granularity_is_refused(function):
    with pytest.raises(ValueError, match="week"):
        function()


@pytest.mark.parametrize(
    ("granularity", "date_from", "date_to", "expected"),
    [
        (
            MONTH,
            D(2026, 1, 15),
            D(2026, 3, 2),
            [
                ("2026-01", D(2026, 1, 1), D(2026, 1, 31)),
                ("2026-02", D(2026, 2, 1), D(2026, 2, 28)),
                ("2026-03", D(2026, 3, 1), D(2026, 3, 31)),
            ],
        ),
        # one day: the period that contains it
        (
            MONTH,
            D(2026, 6, 6),
            D(2026, 6, 6),
            [("2026-06", D(2026, 6, 1), D(2026, 6, 30))],
        ),
        (
            QUARTER,
            D(2025, 11, 1),
            D(2026, 2, 1),
            [
                ("2025-Q4", D(2025, 10, 1), D(2025, 12, 31)),
                ("2026-Q1", D(2026, 1, 1), D(2026, 3, 31)),
            ],
        ),
        (
            YEAR,
            D(2024, 12, 31),
            D(2025, 1, 1),
            [
                ("2024", D(2024, 1, 1), D(2024, 12, 31)),
                ("2025", D(2025, 1, 1), D(2025, 12, 31)),
            ],
        ),
        (
            MONTH,
            D(2025, 12, 1),
            D(2026, 1, 31),
            [
                ("2025-12", D(2025, 12, 1), D(2025, 12, 31)),
                ("2026-01", D(2026, 1, 1), D(2026, 1, 31)),
            ],
        ),
    ],
)
def test_periods_between(granularity, date_from, date_to, expected):
    assert periods.periods_between(granularity, date_from, date_to) == expected


def test_periods_between_a_whole_year_of_months():
    result = periods.periods_between(MONTH, D(2026, 1, 1), D(2026, 12, 31))
    assert [code for code, _start, _end in result] == [
        f"2026-{month:02d}" for month in range(1, 13)
    ]


def test_periods_between_refuses_a_reversed_range():
    with pytest.raises(ValueError, match="2026-01-01 is before 2026-02-01"):
        periods.periods_between(MONTH, D(2026, 2, 1), D(2026, 1, 1))


@pytest.mark.parametrize(
    ("granularity", "date_from", "date_to", "aligned"),
    [
        (MONTH, D(2026, 2, 1), D(2026, 2, 28), True),
        (MONTH, D(2026, 2, 1), D(2026, 2, 27), False),
        (MONTH, D(2026, 2, 2), D(2026, 2, 28), False),
        (MONTH, D(2026, 1, 1), D(2026, 2, 28), False),  # two months
        (QUARTER, D(2026, 4, 1), D(2026, 6, 30), True),
        (QUARTER, D(2026, 4, 1), D(2026, 4, 30), False),
        (YEAR, D(2026, 1, 1), D(2026, 12, 31), True),
        (YEAR, D(2026, 1, 1), D(2026, 3, 31), False),
    ],
)
def test_is_aligned(granularity, date_from, date_to, aligned):
    assert periods.is_aligned(granularity, date_from, date_to) is aligned


days = st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 12, 31))


@given(st.sampled_from(periods.GRANULARITIES), days)
def test_the_period_of_a_day_contains_it(granularity, day):
    start, end = periods.period_bounds(granularity, day)
    assert start <= day <= end
    assert periods.is_aligned(granularity, start, end)
    # the day after the end starts the next period
    following = end + datetime.timedelta(days=1)
    assert periods.period_start(granularity, following) == following


@given(st.sampled_from(periods.GRANULARITIES), days, days)
def test_periods_between_tile_the_range(granularity, a, b):
    date_from, date_to = sorted((a, b))
    result = periods.periods_between(granularity, date_from, date_to)
    assert result
    assert result[0][1] <= date_from <= result[0][2]
    assert result[-1][1] <= date_to <= result[-1][2]
    for (_c1, _s1, end), (_c2, start, _e2) in itertools.pairwise(result):
        assert start == end + datetime.timedelta(days=1)  # no gap, no overlap
    codes = [code for code, _start, _end in result]
    assert len(set(codes)) == len(codes)
    for code, start, end in result:
        assert periods.is_aligned(granularity, start, end)
        assert periods.period_code(granularity, start) == code
