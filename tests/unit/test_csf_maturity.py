"""Ratings, spread and comparison of maturity assessments (crm_csf_planning
tools/maturity.py)."""

import pytest

from conftest import load_pure_module

maturity = load_pure_module("crm_csf_planning", "tools/maturity.py")


@pytest.mark.parametrize(
    ("ratings", "mean", "spread", "count"),
    [
        ([], None, None, 0),
        ([0, 0], None, None, 0),
        ([3], 3.0, 0, 1),
        ([2, 4], 3.0, 2, 2),
        ([1, 5, 3], 3.0, 4, 3),
        # an assessor who has not rated yet (0) does not count
        ([4, 0, 5], 4.5, 1, 2),
    ],
)
def test_summarise(ratings, mean, spread, count):
    summary = maturity.summarise(ratings)
    assert summary.mean == mean
    assert summary.spread == spread
    assert summary.count == count


@pytest.mark.parametrize(
    ("spread", "flagged"), [(None, False), (0, False), (1, False), (2, True), (4, True)]
)
def test_wide_spread(spread, flagged):
    assert maturity.wide_spread(spread) is flagged


@pytest.mark.parametrize(
    ("level", "valid"),
    [
        (1, True),
        (5, True),
        (3, True),
        (0, False),
        (6, False),
        (-1, False),
        (2.5, False),
        (True, False),
        (None, False),
    ],
)
def test_valid_level(level, valid):
    assert maturity.valid_level(level) is valid


@pytest.mark.parametrize(
    ("target", "mean", "expected"),
    [(4, 2.5, 1.5), (3, 3.0, 0.0), (3, 4.0, 0.0), (0, 2.0, None), (4, None, None)],
)
def test_gap(target, mean, expected):
    assert maturity.gap(target, mean) == expected


def test_overall_leaves_unrated_blocks_out():
    assert maturity.overall([2.0, None, 4.0]) == 3.0
    assert maturity.overall([None]) is None
    assert maturity.overall([]) is None


def test_compare_with_the_previous_assessment():
    current = {"vision": 3.0, "strategy": 2.0, "metrics": 4.5, "new": 1.0, "x": None}
    previous = {"vision": 2.0, "strategy": 2.0, "metrics": 5.0, "x": 3.0}
    moves = {m.key: m for m in maturity.compare(current, previous)}
    assert list(moves) == ["vision", "strategy", "metrics", "new", "x"]
    assert moves["vision"].moved == maturity.UP
    assert moves["vision"].change == pytest.approx(1.0)
    assert moves["strategy"].moved == maturity.SAME
    assert moves["metrics"].moved == maturity.DOWN
    assert moves["metrics"].change == pytest.approx(-0.5)
    assert moves["new"].moved == maturity.NEW
    assert moves["new"].change is None
    assert moves["x"].moved == maturity.UNRATED
    assert moves["x"].previous == 3.0
