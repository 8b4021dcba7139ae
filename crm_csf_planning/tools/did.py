# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Did the action work? A difference-in-differences over indicator values.

Pure Python: imports nothing from Odoo.

An action targets some customer segments. Its effect on an indicator is the
change of the indicator in the targeted segments between the periods before
the action's completion and the periods after it, less the change over the
same periods in the segments it did not target (the control): what moved in
the targeted segments and not elsewhere. Each side uses at most
``MAX_PERIODS`` periods before and after; a side needs at least
``MIN_PERIODS`` periods with a value in each group before anything is said.

The noise of the estimate is its standard error, from the spread of the
values of each group and side (each period taken as one observation): an
effect smaller than twice the standard error is "no clear effect".
"""

import math
from collections import namedtuple

MAX_PERIODS = 6
MIN_PERIODS = 2

IMPROVED = "improved"
WORSENED = "worsened"
NO_CLEAR_EFFECT = "no_clear_effect"
TOO_EARLY = "too_early"
NO_CONTROL = "no_control"
CHANGED = "changed"

# verdict: one of the constants above; reason: why nothing can be said
# (None when an effect was measured); the means and period counts of the four
# cells; effect: the raw difference-in-differences (None when not measured);
# improvement: the effect signed so that positive is better for the
# indicator's direction (None for a range); std_error: its standard error
# (None below two periods per cell).
DidResult = namedtuple(
    "DidResult",
    [
        "verdict",
        "reason",
        "treated_before",
        "treated_after",
        "control_before",
        "control_after",
        "n_treated_before",
        "n_treated_after",
        "n_control_before",
        "n_control_after",
        "effect",
        "improvement",
        "std_error",
    ],
)


def _clean(values):
    return [float(v) for v in values if v is not None]


def _mean(values):
    return sum(values) / len(values) if values else None


def _variance(values):
    if len(values) < 2:
        return None
    mean = _mean(values)
    return sum((v - mean) ** 2 for v in values) / (len(values) - 1)


def window(series, before_count=MAX_PERIODS, after_count=MAX_PERIODS):
    """Split an ordered series of (period key, is after the completion,
    value) into the values of the last ``before_count`` periods before and of
    the first ``after_count`` periods after, missing values left out."""
    before = [value for _key, after, value in series if not after]
    after = [value for _key, is_after, value in series if is_after]
    return _clean(before[-before_count:] if before_count else []), _clean(
        after[:after_count]
    )


def diff_in_diff(
    treated_before,
    treated_after,
    control_before,
    control_after,
    direction="higher",
    min_periods=MIN_PERIODS,
):
    """Difference-in-differences of four lists of period values (None for a
    period without a value). ``direction`` (higher, lower, range) says which
    sign of the effect is an improvement; a range has no better side, so a
    clear effect on it is only "changed"."""
    tb, ta = _clean(treated_before), _clean(treated_after)
    cb, ca = _clean(control_before), _clean(control_after)
    counts = (len(tb), len(ta), len(cb), len(ca))
    means = (_mean(tb), _mean(ta), _mean(cb), _mean(ca))
    if not cb and not ca:
        return DidResult(NO_CONTROL, NO_CONTROL, *means, *counts, None, None, None)
    if min(counts) < min_periods:
        return DidResult(TOO_EARLY, TOO_EARLY, *means, *counts, None, None, None)
    effect = (means[1] - means[0]) - (means[3] - means[2])
    improvement = None
    if direction == "higher":
        improvement = effect
    elif direction == "lower":
        improvement = -effect
    variances = [_variance(cell) for cell in (tb, ta, cb, ca)]
    if any(v is None for v in variances):
        std_error = None
    else:
        std_error = math.sqrt(
            sum(v / n for v, n in zip(variances, counts, strict=True))
        )
    if std_error is not None and abs(effect) < 2 * std_error or abs(effect) < 1e-9:
        verdict = NO_CLEAR_EFFECT
    elif improvement is None:
        verdict = CHANGED
    else:
        verdict = IMPROVED if improvement > 0 else WORSENED
    return DidResult(verdict, None, *means, *counts, effect, improvement, std_error)
