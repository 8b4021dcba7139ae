"""Scoring and roll-up maths of crm_bsc_scorecard (tools/scoring.py)."""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from conftest import load_pure_module

scoring = load_pure_module("crm_bsc_scorecard", "tools/scoring.py")

HIGHER, LOWER, RANGE = scoring.HIGHER, scoring.LOWER, scoring.RANGE
ON_TRACK, WARNING, CRITICAL, NO_DATA = (
    scoring.ON_TRACK,
    scoring.WARNING,
    scoring.CRITICAL,
    scoring.NO_DATA,
)

# ---------------------------------------------------------------------------
# Default thresholds
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "target", "target_max", "expected"),
    [
        (HIGHER, 100.0, None, (90.0, 70.0)),
        (HIGHER, 0.0, None, (0.0, 0.0)),
        # the spans follow the magnitude of a negative target
        (HIGHER, -100.0, None, (-110.0, -130.0)),
        (LOWER, 100.0, None, (110.0, 130.0)),
        (LOWER, 0.0, None, (0.0, 0.0)),
        (LOWER, -50.0, None, (-45.0, -35.0)),
        # a range's tolerances scale with its larger bound
        (RANGE, 10.0, 20.0, (2.0, 6.0)),
        (RANGE, -40.0, 20.0, (4.0, 12.0)),
        (RANGE, 0.0, None, (0.0, 0.0)),
    ],
)
def test_default_thresholds(direction, target, target_max, expected):
    warning, critical = scoring.default_thresholds(direction, target, target_max)
    assert warning == pytest.approx(expected[0])
    assert critical == pytest.approx(expected[1])


@pytest.mark.parametrize(
    ("direction", "target", "target_max"),
    [(HIGHER, 100.0, None), (LOWER, 3.0, None), (RANGE, 10.0, 20.0)],
)
def test_default_thresholds_are_valid_for_their_direction(
    direction, target, target_max
):
    warning, critical = scoring.default_thresholds(direction, target, target_max)
    gap_w, gap_c = scoring.threshold_shortfalls(
        direction, target, warning, critical, target_max
    )
    assert 0 < gap_w < gap_c


def test_default_thresholds_unknown_direction():
    with pytest.raises(ValueError, match="sideways"):
        scoring.default_thresholds("sideways", 1.0)


# ---------------------------------------------------------------------------
# Threshold validation
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "target", "warning", "critical", "target_max", "expected"),
    [
        (HIGHER, 100.0, 90.0, 70.0, None, (10.0, 30.0)),
        (HIGHER, 100.0, 100.0, 100.0, None, (0.0, 0.0)),
        (HIGHER, 0.0, -5.0, -10.0, None, (5.0, 10.0)),
        (LOWER, 10.0, 12.0, 15.0, None, (2.0, 5.0)),
        (LOWER, 0.0, 0.0, 0.0, None, (0.0, 0.0)),
        (RANGE, 10.0, 2.0, 6.0, 20.0, (2.0, 6.0)),
        (RANGE, 10.0, 0.0, 0.0, 10.0, (0.0, 0.0)),
    ],
)
def test_threshold_shortfalls(
    direction, target, warning, critical, target_max, expected
):
    assert scoring.threshold_shortfalls(
        direction, target, warning, critical, target_max
    ) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("direction", "target", "warning", "critical", "target_max", "field", "value"),
    [
        # higher is better: warning above the target, critical above warning
        (HIGHER, 100.0, 110.0, 70.0, None, "warning_threshold", 110.0),
        (HIGHER, 100.0, 90.0, 95.0, None, "critical_threshold", 95.0),
        (HIGHER, 0.0, 1.0, 0.0, None, "warning_threshold", 1.0),
        # lower is better: warning below the target, critical below warning
        (LOWER, 10.0, 8.0, 15.0, None, "warning_threshold", 8.0),
        (LOWER, 10.0, 12.0, 11.0, None, "critical_threshold", 11.0),
        # range: bounds reversed or missing, negative or reversed tolerances
        (RANGE, 10.0, 2.0, 6.0, None, "target_max", None),
        (RANGE, 10.0, 2.0, 6.0, 5.0, "target_max", 5.0),
        (RANGE, 10.0, -1.0, 6.0, 20.0, "warning_threshold", -1.0),
        (RANGE, 10.0, 4.0, 3.0, 20.0, "critical_threshold", 3.0),
    ],
)
def test_threshold_errors_name_field_and_value(
    direction, target, warning, critical, target_max, field, value
):
    with pytest.raises(scoring.ThresholdError) as info:
        scoring.threshold_shortfalls(direction, target, warning, critical, target_max)
    assert info.value.field == field
    assert info.value.value == value
    assert info.value.reason
    assert str(info.value).startswith(f"{field}={value!r}")


def test_threshold_error_is_a_value_error():
    assert issubclass(scoring.ThresholdError, ValueError)


@pytest.mark.parametrize(
    "function",
    [
        lambda: scoring.threshold_shortfalls("up", 1.0, 0.0, 0.0),
        lambda: scoring.shortfall("up", 1.0, 1.0),
        lambda: scoring.evaluate("up", 1.0, 1.0, 0.0, 0.0),
    ],
)
def test_unknown_direction_is_refused(function):
    with pytest.raises(ValueError, match="'up'"):
        function()


# ---------------------------------------------------------------------------
# Shortfall
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "value", "target", "target_max", "expected"),
    [
        (HIGHER, 80.0, 100.0, None, 20.0),
        (HIGHER, 120.0, 100.0, None, 0.0),
        (HIGHER, 100.0, 100.0, None, 0.0),
        (HIGHER, -3.0, 0.0, None, 3.0),
        (LOWER, 12.0, 10.0, None, 2.0),
        (LOWER, 5.0, 10.0, None, 0.0),
        (RANGE, 5.0, 10.0, 20.0, 5.0),
        (RANGE, 15.0, 10.0, 20.0, 0.0),
        (RANGE, 10.0, 10.0, 20.0, 0.0),
        (RANGE, 20.0, 10.0, 20.0, 0.0),
        (RANGE, 26.0, 10.0, 20.0, 6.0),
    ],
)
def test_shortfall(direction, value, target, target_max, expected):
    assert scoring.shortfall(direction, value, target, target_max) == pytest.approx(
        expected
    )


# ---------------------------------------------------------------------------
# Evaluation: score and status of one value
# ---------------------------------------------------------------------------

# higher is better: target 100, warning below 90, critical below 70
HIGHER_LINE = (HIGHER, 100.0, 90.0, 70.0, None)
# lower is better: target 10, warning above 12, critical above 15
LOWER_LINE = (LOWER, 10.0, 12.0, 15.0, None)
# range [10, 20], warning 2 outside, critical 6 outside
RANGE_LINE = (RANGE, 10.0, 2.0, 6.0, 20.0)


@pytest.mark.parametrize(
    ("line", "value", "score", "status"),
    [
        # higher is better
        (HIGHER_LINE, 120.0, 100.0, ON_TRACK),
        (HIGHER_LINE, 100.0, 100.0, ON_TRACK),
        (HIGHER_LINE, 95.0, 85.0, ON_TRACK),
        (HIGHER_LINE, 90.0, 70.0, ON_TRACK),  # at the warning threshold
        (HIGHER_LINE, 80.0, 55.0, WARNING),
        (HIGHER_LINE, 70.0, 40.0, WARNING),  # at the critical threshold
        (HIGHER_LINE, 55.0, 20.0, CRITICAL),
        (HIGHER_LINE, 40.0, 0.0, CRITICAL),  # twice the critical shortfall
        (HIGHER_LINE, -500.0, 0.0, CRITICAL),  # never below 0
        # lower is better
        (LOWER_LINE, 5.0, 100.0, ON_TRACK),
        (LOWER_LINE, 10.0, 100.0, ON_TRACK),
        (LOWER_LINE, 11.0, 85.0, ON_TRACK),
        (LOWER_LINE, 12.0, 70.0, ON_TRACK),
        (LOWER_LINE, 13.5, 55.0, WARNING),
        (LOWER_LINE, 15.0, 40.0, WARNING),
        (LOWER_LINE, 17.5, 20.0, CRITICAL),
        (LOWER_LINE, 20.0, 0.0, CRITICAL),
        (LOWER_LINE, 1000.0, 0.0, CRITICAL),
        # within a range: both sides of the band count
        (RANGE_LINE, 10.0, 100.0, ON_TRACK),
        (RANGE_LINE, 15.0, 100.0, ON_TRACK),
        (RANGE_LINE, 20.0, 100.0, ON_TRACK),
        (RANGE_LINE, 9.0, 85.0, ON_TRACK),
        (RANGE_LINE, 21.0, 85.0, ON_TRACK),
        (RANGE_LINE, 8.0, 70.0, ON_TRACK),
        (RANGE_LINE, 24.0, 55.0, WARNING),
        (RANGE_LINE, 6.0, 55.0, WARNING),
        (RANGE_LINE, 4.0, 40.0, WARNING),
        (RANGE_LINE, 29.0, 20.0, CRITICAL),
        (RANGE_LINE, 32.0, 0.0, CRITICAL),
        (RANGE_LINE, -2.0, 0.0, CRITICAL),
    ],
)
def test_evaluate(line, value, score, status):
    direction, target, warning, critical, target_max = line
    result = scoring.evaluate(direction, value, target, warning, critical, target_max)
    assert result == (pytest.approx(score), status)


@pytest.mark.parametrize(
    ("line", "value", "score", "status"),
    [
        # zero target with zero thresholds: met or missed, nothing in between
        ((HIGHER, 0.0, 0.0, 0.0, None), 0.0, 100.0, ON_TRACK),
        ((HIGHER, 0.0, 0.0, 0.0, None), 5.0, 100.0, ON_TRACK),
        ((HIGHER, 0.0, 0.0, 0.0, None), -1.0, 0.0, CRITICAL),
        ((LOWER, 0.0, 0.0, 0.0, None), 0.0, 100.0, ON_TRACK),
        ((LOWER, 0.0, 0.0, 0.0, None), 0.5, 0.0, CRITICAL),
        ((RANGE, 0.0, 0.0, 0.0, 0.0), 0.0, 100.0, ON_TRACK),
        ((RANGE, 0.0, 0.0, 0.0, 0.0), 0.1, 0.0, CRITICAL),
        # zero target with real thresholds scores like any other target
        ((LOWER, 0.0, 2.0, 5.0, None), 1.0, 85.0, ON_TRACK),
        ((LOWER, 0.0, 2.0, 5.0, None), 3.5, 55.0, WARNING),
        ((LOWER, 0.0, 2.0, 5.0, None), 7.5, 20.0, CRITICAL),
        ((HIGHER, 0.0, -10.0, -30.0, None), -5.0, 85.0, ON_TRACK),
        ((HIGHER, 0.0, -10.0, -30.0, None), -20.0, 55.0, WARNING),
        # warning at the target: any shortfall is at least a warning
        ((HIGHER, 100.0, 100.0, 70.0, None), 100.0, 100.0, ON_TRACK),
        ((HIGHER, 100.0, 100.0, 70.0, None), 90.0, 60.0, WARNING),
        # warning and critical equal: no warning band
        ((HIGHER, 100.0, 90.0, 90.0, None), 90.0, 70.0, ON_TRACK),
        ((HIGHER, 100.0, 90.0, 90.0, None), 85.0, 20.0, CRITICAL),
        # negative target
        ((HIGHER, -100.0, -110.0, -130.0, None), -105.0, 85.0, ON_TRACK),
        # scores are rounded to 2 decimals
        ((HIGHER, 0.0, -7.0, -14.0, None), -1.0, 95.71, ON_TRACK),
        # ... but never into a better band than the status
        (HIGHER_LINE, 89.9999, 69.99, WARNING),
        (HIGHER_LINE, 69.9999, 39.99, CRITICAL),
        (LOWER_LINE, 12.00001, 69.99, WARNING),
        ((HIGHER, 100.0, 100.0, 70.0, None), 99.9999, 69.99, WARNING),
    ],
)
def test_evaluate_edge_cases(line, value, score, status):
    direction, target, warning, critical, target_max = line
    assert scoring.evaluate(
        direction, value, target, warning, critical, target_max
    ) == (
        score,
        status,
    )


@pytest.mark.parametrize("line", [HIGHER_LINE, LOWER_LINE, RANGE_LINE])
def test_missing_value_has_no_score(line):
    direction, target, warning, critical, target_max = line
    score, status = scoring.evaluate(
        direction, None, target, warning, critical, target_max
    )
    assert score is None  # no score, not 0
    assert status == NO_DATA


def test_zero_value_is_not_missing():
    score, status = scoring.evaluate(HIGHER, 0.0, 100.0, 90.0, 70.0)
    assert score == 0.0
    assert status == CRITICAL


def test_evaluate_refuses_invalid_thresholds():
    with pytest.raises(scoring.ThresholdError) as info:
        scoring.evaluate(HIGHER, 50.0, 100.0, 110.0, 70.0)
    assert info.value.field == "warning_threshold"


# ---------------------------------------------------------------------------
# Roll-up statuses
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "status"),
    [
        (None, NO_DATA),
        (100.0, ON_TRACK),
        (70.0, ON_TRACK),
        (69.99, WARNING),
        (40.0, WARNING),
        (39.99, CRITICAL),
        (0.0, CRITICAL),  # zero is a score, not missing
    ],
)
def test_status_from_score(score, status):
    assert scoring.status_from_score(score) == status


# ---------------------------------------------------------------------------
# Weighted means and roll-ups
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([], None),
        ([(None, 1.0)], None),
        ([(80.0, 0.0)], None),  # weight 0 leaves the line out
        ([(80.0, 1.0)], 80.0),
        ([(0.0, 1.0)], 0.0),  # a zero score counts
        ([(100.0, 1.0), (40.0, 3.0)], 55.0),
        ([(80.0, 1.0), (None, 5.0)], 80.0),  # missing scores are skipped
        ([(80.0, 0.0), (40.0, 1.0)], 40.0),
        ([(100.0, 1.0), (0.0, 2.0)], 33.33),  # rounded to 2 decimals
        ([(90.0, 0.5), (60.0, 0.5), (None, 0.0)], 75.0),
    ],
)
def test_weighted_mean(pairs, expected):
    assert scoring.weighted_mean(pairs) == expected


def test_weighted_mean_accepts_a_generator():
    assert scoring.weighted_mean((s, 1.0) for s in (10.0, 20.0)) == 15.0


@pytest.mark.parametrize(
    "pairs", [[(80.0, -1.0)], [(None, -0.5)], [(80.0, 1.0), (50.0, -2.0)]]
)
def test_weighted_mean_refuses_negative_weights(pairs):
    with pytest.raises(ValueError, match="negative weight"):
        scoring.weighted_mean(pairs)


def test_rollup_groups_skips_none_groups_and_missing_scores():
    lines = [
        {"group": "financial", "score": 100.0, "weight": 1.0},
        {"group": "financial", "score": 40.0, "weight": 3.0},
        {"group": "customer", "score": None, "weight": 1.0},
        {"group": "customer", "score": 60.0, "weight": 1.0},
        {"group": "learning", "score": None, "weight": 2.0},
        {"group": None, "score": 0.0, "weight": 10.0},
    ]
    result = scoring.rollup(lines, key=lambda line: line["group"])
    assert result == {"financial": 55.0, "customer": 60.0, "learning": None}


def test_rollup_of_nothing():
    assert scoring.rollup([], key=lambda line: line["group"]) == {}


# ---------------------------------------------------------------------------
# Trend against the previous period
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "value", "previous", "target", "target_max", "expected"),
    [
        (HIGHER, 10.0, 8.0, None, None, "better"),
        (HIGHER, 8.0, 10.0, None, None, "worse"),
        (HIGHER, 8.0, 8.0, None, None, "flat"),
        (HIGHER, 0.0, 0.0, None, None, "flat"),  # zero is a value
        (HIGHER, 0.0, 5.0, None, None, "worse"),
        (LOWER, 8.0, 10.0, None, None, "better"),
        (LOWER, 10.0, 8.0, None, None, "worse"),
        (LOWER, 3.0, 3.0, None, None, "flat"),
        (RANGE, 15.0, 25.0, 10.0, 20.0, "better"),
        (RANGE, 25.0, 15.0, 10.0, 20.0, "worse"),
        (RANGE, 12.0, 18.0, 10.0, 20.0, "flat"),  # both inside the band
        (RANGE, 5.0, 30.0, 10.0, 20.0, "better"),  # 5 outside beats 10 outside
        (RANGE, 22.0, 8.0, 10.0, 20.0, "flat"),  # equally far on either side
        (HIGHER, None, 8.0, None, None, None),
        (HIGHER, 8.0, None, None, None, None),
        (LOWER, None, None, None, None, None),
    ],
)
def test_trend(direction, value, previous, target, target_max, expected):
    assert scoring.trend(direction, value, previous, target, target_max) == expected


def test_trend_ignores_float_noise():
    assert scoring.trend(HIGHER, 0.1 + 0.2, 0.3) == "flat"


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

numbers = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
spans = st.floats(min_value=0.0, max_value=1e5, allow_nan=False)


@st.composite
def lines(draw, direction=None):
    """A valid line (direction, target, warning, critical, target_max)."""
    direction = direction or draw(st.sampled_from(scoring.DIRECTIONS))
    target = draw(numbers)
    span_w = draw(spans)
    span_c = span_w + draw(spans)
    if direction == HIGHER:
        return direction, target, target - span_w, target - span_c, None
    if direction == LOWER:
        return direction, target, target + span_w, target + span_c, None
    return direction, target, span_w, span_c, target + draw(spans)


def _valid(line):
    try:
        scoring.threshold_shortfalls(line[0], line[1], line[2], line[3], line[4])
    except scoring.ThresholdError:
        return False  # float rounding of target - span can break the order
    return True


@given(lines(), numbers)
def test_score_always_within_0_and_100(line, value):
    assume(_valid(line))
    direction, target, warning, critical, target_max = line
    score, status = scoring.evaluate(
        direction, value, target, warning, critical, target_max
    )
    assert 0.0 <= score <= 100.0
    assert status in (ON_TRACK, WARNING, CRITICAL)


@given(lines(HIGHER), numbers, numbers)
def test_higher_is_better_is_monotonic(line, a, b):
    assume(_valid(line))
    low, high = sorted((a, b))
    direction, target, warning, critical, _target_max = line
    score_low, _ = scoring.evaluate(direction, low, target, warning, critical)
    score_high, _ = scoring.evaluate(direction, high, target, warning, critical)
    assert score_low <= score_high


@given(lines(LOWER), numbers, numbers)
def test_lower_is_better_is_monotonic(line, a, b):
    assume(_valid(line))
    low, high = sorted((a, b))
    direction, target, warning, critical, _target_max = line
    score_low, _ = scoring.evaluate(direction, low, target, warning, critical)
    score_high, _ = scoring.evaluate(direction, high, target, warning, critical)
    assert score_low >= score_high


@given(lines(), numbers)
def test_meeting_the_target_scores_100(line, offset):
    assume(_valid(line))
    direction, target, warning, critical, target_max = line
    if direction == HIGHER:
        value = target + abs(offset)
    elif direction == LOWER:
        value = target - abs(offset)
    else:
        value = target + (target_max - target) / 2
    assume(scoring.shortfall(direction, value, target, target_max) == 0)
    assert scoring.evaluate(
        direction, value, target, warning, critical, target_max
    ) == (100.0, ON_TRACK)


@given(lines(), numbers)
def test_status_agrees_with_score_bands(line, value):
    """The status of a value is the band of its score, so that a roll-up of
    one line has the status of that line."""
    assume(_valid(line))
    direction, target, warning, critical, target_max = line
    score, status = scoring.evaluate(
        direction, value, target, warning, critical, target_max
    )
    assert status == scoring.status_from_score(score)


@given(lines(HIGHER))
def test_status_agrees_with_score_bands_at_the_thresholds(line):
    """Just past a threshold, where rounding the score could cross the band."""
    assume(_valid(line))
    direction, target, warning, critical, _target_max = line
    for threshold in (warning, critical):
        for value in (threshold, threshold - 1e-4, threshold - 1e-9):
            score, status = scoring.evaluate(
                direction, value, target, warning, critical
            )
            assert status == scoring.status_from_score(score), (value, score, status)


@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.floats(min_value=0, max_value=100)),
            st.one_of(st.just(0.0), st.floats(min_value=1e-3, max_value=1e3)),
        ),
        max_size=20,
    )
)
def test_weighted_mean_stays_between_the_scores(pairs):
    result = scoring.weighted_mean(pairs)
    counted = [score for score, weight in pairs if score is not None and weight > 0]
    if not counted:
        assert result is None
    else:
        assert min(counted) - 0.01 <= result <= max(counted) + 0.01
