"""Difference-in-differences of an action's effect (crm_csf_planning
tools/did.py)."""

import pytest

from conftest import load_pure_module

did = load_pure_module("crm_csf_planning", "tools/did.py")


def test_clear_improvement_against_a_flat_control():
    result = did.diff_in_diff(
        [50, 52, 51, 49], [60, 61, 59, 62], [40, 41, 39, 40], [40, 39, 41, 40]
    )
    assert result.verdict == did.IMPROVED
    assert result.reason is None
    assert result.treated_before == pytest.approx(50.5)
    assert result.treated_after == pytest.approx(60.5)
    assert result.control_before == pytest.approx(40.0)
    assert result.control_after == pytest.approx(40.0)
    assert result.effect == pytest.approx(10.0)
    assert result.improvement == pytest.approx(10.0)
    assert (
        result.n_treated_before,
        result.n_treated_after,
        result.n_control_before,
        result.n_control_after,
    ) == (4, 4, 4, 4)
    assert result.std_error > 0


def test_the_control_moved_as_much_no_effect():
    # both groups rose by 10: the action explains nothing
    result = did.diff_in_diff([50, 51, 49], [60, 61, 59], [30, 31, 29], [40, 41, 39])
    assert result.effect == pytest.approx(0.0)
    assert result.verdict == did.NO_CLEAR_EFFECT


def test_lower_is_better_a_fall_is_an_improvement():
    result = did.diff_in_diff(
        [10, 11, 10], [6, 5, 6], [10, 10, 11], [10, 11, 10], direction="lower"
    )
    assert result.effect < 0
    assert result.improvement > 0
    assert result.verdict == did.IMPROVED


def test_higher_is_better_a_fall_is_worse():
    result = did.diff_in_diff([10, 11, 10], [6, 5, 6], [10, 10, 11], [10, 11, 10])
    assert result.verdict == did.WORSENED


def test_range_has_no_better_side():
    result = did.diff_in_diff(
        [10, 11, 10], [6, 5, 6], [10, 10, 11], [10, 11, 10], direction="range"
    )
    assert result.verdict == did.CHANGED
    assert result.improvement is None


def test_noise_larger_than_the_effect():
    result = did.diff_in_diff([10, 90, 20, 80], [60, 40, 95, 5], [50, 50], [50, 51])
    assert abs(result.effect) < 2 * result.std_error
    assert result.verdict == did.NO_CLEAR_EFFECT


@pytest.mark.parametrize(
    ("cells", "verdict"),
    [
        # one period after the completion: too early
        (([1, 2, 3], [4], [1, 2], [2, 3]), did.TOO_EARLY),
        # missing values do not count as periods
        (([1, None, None], [4, 5], [1, 2], [2, 3]), did.TOO_EARLY),
        # no segment left out of the action: nothing to compare with
        (([1, 2, 3], [4, 5], [], []), did.NO_CONTROL),
        (([1, 2, 3], [4, 5], [None], [None, None]), did.NO_CONTROL),
        # the control has only periods before
        (([1, 2, 3], [4, 5], [1, 2], []), did.TOO_EARLY),
    ],
)
def test_nothing_can_be_said_yet(cells, verdict):
    result = did.diff_in_diff(*cells)
    assert result.verdict == verdict
    assert result.reason == verdict
    assert result.effect is None


def test_min_periods_is_a_parameter():
    result = did.diff_in_diff([1], [3], [1], [1], min_periods=1)
    assert result.effect == pytest.approx(2.0)
    # one period per cell: no spread, so no standard error
    assert result.std_error is None
    assert result.verdict == did.IMPROVED


def test_window_keeps_six_periods_each_side():
    series = [(f"p{i}", i >= 10, float(i)) for i in range(20)]
    before, after = did.window(series)
    assert before == [4.0, 5.0, 6.0, 7.0, 8.0, 9.0]
    assert after == [10.0, 11.0, 12.0, 13.0, 14.0, 15.0]


def test_window_drops_missing_values_after_choosing_the_periods():
    series = [("a", False, 1.0), ("b", False, None), ("c", True, None), ("d", True, 4)]
    assert did.window(series, 1, 1) == ([], [])
    assert did.window(series, 2, 2) == ([1.0], [4.0])
