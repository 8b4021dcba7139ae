"""Health of critical success factors and its roll-up (crm_csf_planning
tools/health.py)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import load_pure_module

health = load_pure_module("crm_csf_planning", "tools/health.py")


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], None),
        ([(80.0, 1.0)], 80.0),
        ([(80.0, 1.0), (40.0, 1.0)], 60.0),
        ([(80.0, 3.0), (40.0, 1.0)], 70.0),
        # no data is left out, not counted as 0
        ([(80.0, 1.0), (None, 5.0)], 80.0),
        # a weight of 0 leaves the item out
        ([(80.0, 1.0), (0.0, 0.0)], 80.0),
        ([(None, 1.0), (None, 2.0)], None),
        ([(50.0, 0.0)], None),
        ([(0.0, 1.0), (100.0, 1.0)], 50.0),
    ],
)
def test_weighted_mean(items, expected):
    result = health.weighted_mean(items)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


def test_weighted_mean_refuses_negative_weights():
    with pytest.raises(health.WeightError) as error:
        health.weighted_mean([(50.0, -1.0)])
    assert error.value.reason == "negative"


@pytest.mark.parametrize(
    ("weights", "reason"),
    [
        ([1.0, -0.5], "negative"),
        ([0.0, 0.0], "all_zero"),
        ([0.0], "all_zero"),
        ([None], "negative"),
    ],
)
def test_check_weights_refuses(weights, reason):
    with pytest.raises(health.WeightError) as error:
        health.check_weights(weights)
    assert error.value.reason == reason


@pytest.mark.parametrize("weights", [[], [1.0], [0.0, 2.0], [0.5, 0.5]])
def test_check_weights_accepts(weights):
    health.check_weights(weights)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, health.NO_DATA),
        (100.0, health.ON_TRACK),
        (70.0, health.ON_TRACK),
        (69.99, health.AT_RISK),
        (40.0, health.AT_RISK),
        (39.99, health.OFF_TRACK),
        (0.0, health.OFF_TRACK),
    ],
)
def test_status_thresholds(value, expected):
    assert health.status(value) == expected


def test_rollup_workgroup_department_enterprise():
    nodes = {
        "enterprise": (None, 1.0, [(90.0, 1.0)]),
        "dept_a": ("enterprise", 2.0, [(60.0, 1.0)]),
        "dept_b": ("enterprise", 1.0, []),
        "wg_1": ("dept_a", 1.0, [(30.0, 1.0), (50.0, 1.0)]),
        "wg_2": ("dept_b", 1.0, [(None, 1.0)]),
    }
    result = health.rollup(nodes)
    # wg_1: mean of its two indicators
    assert result["wg_1"] == pytest.approx(40.0)
    # dept_a: its indicator (60, weight 1) and wg_1 (40, weight 1)
    assert result["dept_a"] == pytest.approx(50.0)
    # nothing scored below dept_b
    assert result["wg_2"] is None
    assert result["dept_b"] is None
    # enterprise: its indicator (90, 1), dept_a (50, 2), dept_b left out
    assert result["enterprise"] == pytest.approx((90.0 + 100.0) / 3)


def test_rollup_child_weight_zero_is_left_out():
    nodes = {
        "root": (None, 1.0, [(80.0, 1.0)]),
        "child": ("root", 0.0, [(0.0, 1.0)]),
    }
    assert health.rollup(nodes)["root"] == pytest.approx(80.0)


def test_rollup_parent_outside_the_set_is_a_root():
    nodes = {"child": ("elsewhere", 1.0, [(20.0, 1.0)])}
    assert health.rollup(nodes) == {"child": 20.0}


def test_rollup_refuses_a_cycle():
    nodes = {"a": ("b", 1.0, []), "b": ("a", 1.0, [])}
    with pytest.raises(ValueError, match="cycle"):
        health.rollup(nodes)


@given(
    st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=100),
            st.floats(min_value=0.01, max_value=10),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_weighted_mean_stays_between_the_scores(items):
    result = health.weighted_mean(items)
    scores = [s for s, _w in items]
    assert min(scores) - 1e-6 <= result <= max(scores) + 1e-6


@pytest.mark.parametrize(
    ("direction", "value", "previous", "band", "expected"),
    [
        ("higher", 10.0, 8.0, (None, None), "better"),
        ("higher", 8.0, 10.0, (None, None), "worse"),
        ("higher", 8.0, 8.0, (None, None), "flat"),
        ("lower", 8.0, 10.0, (None, None), "better"),
        ("lower", 12.0, 10.0, (None, None), "worse"),
        ("higher", None, 10.0, (None, None), None),
        ("higher", 10.0, None, (None, None), None),
        # a range: nearer the band is better; both inside is flat
        ("range", 12.0, 15.0, (5.0, 10.0), "better"),
        ("range", 3.0, 4.0, (5.0, 10.0), "worse"),
        ("range", 6.0, 9.0, (5.0, 10.0), "flat"),
        ("range", 6.0, 9.0, (None, None), "flat"),
    ],
)
def test_trend(direction, value, previous, band, expected):
    assert health.trend(direction, value, previous, *band) == expected
