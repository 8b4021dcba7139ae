# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Scoring of indicator values against targets, and weighted roll-ups.

Pure Python: imports nothing from Odoo, so that it is tested without a server.

A value is scored from its *shortfall*: how far it falls short of the target
in the bad direction (below the target when higher is better, above it when
lower is better, outside the band [target, target_max] for a range). The
warning and critical thresholds are turned into the shortfalls at which the
status changes, and the score falls linearly between fixed anchors:

    shortfall 0 (target met or beaten)   -> 100
    shortfall at the warning threshold   -> 70  (SCORE_AT_WARNING)
    shortfall at the critical threshold  -> 40  (SCORE_AT_CRITICAL)
    twice the critical shortfall         -> 0

So the score never divides by the target: a zero target scores like any other.
A missing value has no score (None), never 0.
"""

HIGHER = "higher"
LOWER = "lower"
RANGE = "range"
DIRECTIONS = (HIGHER, LOWER, RANGE)

ON_TRACK = "on_track"
WARNING = "warning"
CRITICAL = "critical"
NO_DATA = "no_data"
STATUSES = (ON_TRACK, WARNING, CRITICAL, NO_DATA)

SCORE_AT_WARNING = 70.0
SCORE_AT_CRITICAL = 40.0

# Default thresholds, as shares of the target's magnitude (or, for a range,
# of the larger bound's magnitude), used when a line gives none.
DEFAULT_WARNING_SHARE = 0.1
DEFAULT_CRITICAL_SHARE = 0.3


class ThresholdError(ValueError):
    """Invalid thresholds; ``field`` names the offending one."""

    def __init__(self, field, value, reason):
        super().__init__(f"{field}={value!r}: {reason}")
        self.field = field
        self.value = value
        self.reason = reason


def default_thresholds(direction, target, target_max=None):
    """Return (warning, critical) thresholds suited to a target."""
    if direction == RANGE:
        scale = max(abs(target or 0.0), abs(target_max or 0.0))
        return scale * DEFAULT_WARNING_SHARE, scale * DEFAULT_CRITICAL_SHARE
    span_w = abs(target) * DEFAULT_WARNING_SHARE
    span_c = abs(target) * DEFAULT_CRITICAL_SHARE
    if direction == HIGHER:
        return target - span_w, target - span_c
    if direction == LOWER:
        return target + span_w, target + span_c
    raise ValueError(f"unknown direction {direction!r}")


def threshold_shortfalls(direction, target, warning, critical, target_max=None):
    """Return (warning shortfall, critical shortfall) of a line.

    Raises ThresholdError when the thresholds are inconsistent for the
    direction: the warning threshold must lie between the target and the
    critical threshold.
    """
    if direction == HIGHER:
        if warning > target:
            raise ThresholdError(
                "warning_threshold", warning, "above the target, higher is better"
            )
        if critical > warning:
            raise ThresholdError(
                "critical_threshold", critical, "above the warning threshold"
            )
        return target - warning, target - critical
    if direction == LOWER:
        if warning < target:
            raise ThresholdError(
                "warning_threshold", warning, "below the target, lower is better"
            )
        if critical < warning:
            raise ThresholdError(
                "critical_threshold", critical, "below the warning threshold"
            )
        return warning - target, critical - target
    if direction == RANGE:
        if target_max is None or target_max < target:
            raise ThresholdError(
                "target_max", target_max, "the upper bound is below the target"
            )
        if warning < 0:
            raise ThresholdError(
                "warning_threshold", warning, "a range tolerance cannot be negative"
            )
        if critical < warning:
            raise ThresholdError(
                "critical_threshold", critical, "below the warning tolerance"
            )
        return warning, critical
    raise ValueError(f"unknown direction {direction!r}")


def shortfall(direction, value, target, target_max=None):
    """How far ``value`` falls short of the target; 0 when it is met."""
    if direction == HIGHER:
        return max(target - value, 0.0)
    if direction == LOWER:
        return max(value - target, 0.0)
    if direction == RANGE:
        return max(target - value, value - target_max, 0.0)
    raise ValueError(f"unknown direction {direction!r}")


def _score_from_shortfall(gap, gap_warning, gap_critical):
    if gap <= 0:
        return 100.0
    if gap <= gap_warning:
        return 100.0 - (100.0 - SCORE_AT_WARNING) * gap / gap_warning
    if gap <= gap_critical:
        return SCORE_AT_WARNING - (SCORE_AT_WARNING - SCORE_AT_CRITICAL) * (
            gap - gap_warning
        ) / (gap_critical - gap_warning)
    if gap_critical <= 0:
        return 0.0
    return max(
        0.0, SCORE_AT_CRITICAL - SCORE_AT_CRITICAL * (gap - gap_critical) / gap_critical
    )


def evaluate(direction, value, target, warning, critical, target_max=None):
    """Return (score 0-100 or None, status) of one value against its line."""
    if value is None:
        return None, NO_DATA
    gap_w, gap_c = threshold_shortfalls(
        direction, target, warning, critical, target_max
    )
    gap = shortfall(direction, value, target, target_max)
    score = round(_score_from_shortfall(gap, gap_w, gap_c), 2)
    if gap <= gap_w:
        status = ON_TRACK
    elif gap <= gap_c:
        status = WARNING
    else:
        status = CRITICAL
    # rounding must not lift the score into a better band than its status
    # (a shortfall just past the warning threshold scores 69.99, not 70)
    ceiling = {WARNING: SCORE_AT_WARNING, CRITICAL: SCORE_AT_CRITICAL}.get(status)
    if ceiling is not None and score >= ceiling:
        score = round(ceiling - 0.01, 2)
    return score, status


def status_from_score(score):
    """Status of a roll-up score, with the same bands as a single line."""
    if score is None:
        return NO_DATA
    if score >= SCORE_AT_WARNING:
        return ON_TRACK
    if score >= SCORE_AT_CRITICAL:
        return WARNING
    return CRITICAL


def weighted_mean(pairs):
    """Weighted mean of (score, weight) pairs, skipping missing scores.

    Lines without a score and lines of weight 0 do not count; None when
    nothing counts. Negative weights are refused.
    """
    total = weight_sum = 0.0
    for score, weight in pairs:
        if weight < 0:
            raise ValueError(f"negative weight {weight!r}")
        if score is None or weight == 0:
            continue
        total += score * weight
        weight_sum += weight
    if not weight_sum:
        return None
    return round(total / weight_sum, 2)


def rollup(lines, key):
    """Weighted mean score per group.

    ``lines`` is an iterable of mappings with ``score`` and ``weight``;
    ``key(line)`` gives the group (None groups are skipped). Returns
    {group: score or None}.
    """
    groups = {}
    for line in lines:
        group = key(line)
        if group is None:
            continue
        groups.setdefault(group, []).append((line["score"], line["weight"]))
    return {group: weighted_mean(pairs) for group, pairs in groups.items()}


def trend(direction, value, previous, target=None, target_max=None):
    """Compare a value with the previous period's: better, worse or flat.

    None when either value is missing. For a range the value closer to the
    band is better.
    """
    if value is None or previous is None:
        return None
    if direction == RANGE:
        now = shortfall(RANGE, value, target, target_max)
        before = shortfall(RANGE, previous, target, target_max)
        delta = before - now
    elif direction == LOWER:
        delta = previous - value
    else:
        delta = value - previous
    if abs(delta) < 1e-9:
        return "flat"
    return "better" if delta > 0 else "worse"


UNSCORED = "unscored"


def is_scored(user_id=None, team_id=None):
    """Whether a value is scored against its line's target: in total, per
    segment and per channel (a channel is a slice of the same objective),
    not per salesperson or team (their targets belong to the contribution
    report)."""
    return not user_id and not team_id


def stored_score(value, target, evaluate, user_id=None, team_id=None):
    """(target, score, status) kept with a value, computed or entered:
    scored by ``evaluate`` (value -> (score, status); None when no line
    governs it) against ``target`` when it is scored, else no target nor
    score, and no data or unscored."""
    if evaluate is not None and is_scored(user_id, team_id):
        score, status = evaluate(value)
        return target, score, status
    return None, None, NO_DATA if value is None else UNSCORED
