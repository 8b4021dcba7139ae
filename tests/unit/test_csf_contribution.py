"""Contribution maths: normalising measures across people, weights, missing
values (crm_csf_planning tools/contribution.py)."""

import pytest

from conftest import load_pure_module

contribution = load_pure_module("crm_csf_planning", "tools/contribution.py")

HIGHER, LOWER = contribution.HIGHER, contribution.LOWER


@pytest.mark.parametrize(
    ("values", "direction", "expected"),
    [
        ({"a": 10.0, "b": 20.0, "c": 15.0}, HIGHER, {"a": 0.0, "b": 100.0, "c": 50.0}),
        ({"a": 10.0, "b": 20.0, "c": 15.0}, LOWER, {"a": 100.0, "b": 0.0, "c": 50.0}),
        # one person, or everybody equal: nobody is behind
        ({"a": 7.0}, HIGHER, {"a": 100.0}),
        ({"a": 3.0, "b": 3.0}, LOWER, {"a": 100.0, "b": 100.0}),
        # missing stays missing and does not move the others
        ({"a": 0.0, "b": None, "c": 4.0}, HIGHER, {"a": 0.0, "b": None, "c": 100.0}),
        ({"a": None}, HIGHER, {"a": None}),
        ({}, HIGHER, {}),
        # negative figures normalise like any other
        ({"a": -10.0, "b": 10.0}, HIGHER, {"a": 0.0, "b": 100.0}),
    ],
)
def test_normalise(values, direction, expected):
    assert contribution.normalise(values, direction) == pytest.approx(expected)


WEIGHTS = {
    "won_revenue": 2.0,
    "retention_rate": 1.0,
    "win_rate": 1.0,
    "first_response_hours": 1.0,
    "actions_done": 0.0,
}


def test_weighted_contribution_of_three_people():
    rows = {
        "ann": {
            "won_revenue": 100_000.0,
            "retention_rate": 90.0,
            "win_rate": 40.0,
            "first_response_hours": 2.0,
            "actions_done": 5,
        },
        "bob": {
            "won_revenue": 50_000.0,
            "retention_rate": 80.0,
            "win_rate": 20.0,
            "first_response_hours": 10.0,
            "actions_done": 0,
        },
        "cat": {
            "won_revenue": 0.0,
            "retention_rate": None,
            "win_rate": 30.0,
            "first_response_hours": 6.0,
            "actions_done": 1,
        },
    }
    result = contribution.contributions(rows, WEIGHTS)
    # ann is best on every weighted measure
    assert result["ann"].score == pytest.approx(100.0)
    assert result["ann"].coverage == pytest.approx(1.0)
    # bob: revenue 50 (x2), retention 0, win rate 0, response 0 -> 100 / 5
    assert result["bob"].normalised["won_revenue"] == pytest.approx(50.0)
    assert result["bob"].score == pytest.approx(20.0)
    # cat: no retention: revenue 0 (x2), win rate 50, response 50 -> 100 / 4
    assert result["cat"].normalised["retention_rate"] is None
    assert result["cat"].score == pytest.approx(25.0)
    assert result["cat"].coverage == pytest.approx(4 / 5)
    # a weight of 0 scores the measure but does not count
    assert result["bob"].normalised["actions_done"] == pytest.approx(0.0)


def test_a_person_without_any_figure_has_no_score():
    rows = {"ann": {"win_rate": 10.0}, "bob": {"win_rate": None}}
    result = contribution.contributions(rows, {"win_rate": 1.0})
    assert result["bob"].score is None
    assert result["bob"].coverage == 0.0
    assert result["ann"].score == pytest.approx(100.0)


def test_measures_without_a_weight_are_not_scored():
    rows = {"ann": {"win_rate": 10.0, "won_revenue": 5.0}}
    result = contribution.contributions(rows, {"won_revenue": 1.0})
    assert set(result["ann"].normalised) == {"won_revenue"}


@pytest.mark.parametrize(
    ("weights", "reason"),
    [
        ({"win_rate": -1.0, "won_revenue": 2.0}, "negative"),
        ({"win_rate": 0.0, "won_revenue": 0.0}, "all_zero"),
    ],
)
def test_bad_weights_are_refused(weights, reason):
    with pytest.raises(Exception) as error:
        contribution.contributions({"ann": {"win_rate": 1.0}}, weights)
    assert type(error.value).__name__ == "WeightError"
    assert error.value.reason == reason


def test_doubling_every_weight_changes_nothing():
    rows = {
        "ann": {"won_revenue": 3.0, "win_rate": 10.0},
        "bob": {"won_revenue": 1.0, "win_rate": 30.0},
    }
    single = contribution.contributions(rows, {"won_revenue": 1.0, "win_rate": 3.0})
    double = contribution.contributions(rows, {"won_revenue": 2.0, "win_rate": 6.0})
    for person in rows:
        assert single[person].score == pytest.approx(double[person].score)
