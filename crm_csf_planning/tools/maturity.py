# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Maturity assessment arithmetic: ratings of several assessors per building
block, their spread, the gap to the target and the comparison with the
previous assessment.

Pure Python: imports nothing from Odoo.
"""

from collections import namedtuple

MIN_LEVEL = 1
MAX_LEVEL = 5
# assessors disagree when their ratings of one block are this far apart
WIDE_SPREAD = 2

# mean: mean rating; spread: highest less lowest; count: ratings given
RatingSummary = namedtuple("RatingSummary", ["mean", "spread", "count"])
# one block in the comparison with the previous assessment
Movement = namedtuple("Movement", ["key", "previous", "current", "change", "moved"])

UP = "up"
DOWN = "down"
SAME = "same"
NEW = "new"
UNRATED = "unrated"


def valid_level(level):
    """True when ``level`` is a whole level of the rubric (1-5)."""
    return (
        isinstance(level, int)
        and not isinstance(level, bool)
        and MIN_LEVEL <= level <= MAX_LEVEL
    )


def summarise(ratings):
    """Mean, spread and count of the ratings given (None: not rated yet)."""
    given = [r for r in ratings if r]
    if not given:
        return RatingSummary(None, None, 0)
    return RatingSummary(sum(given) / len(given), max(given) - min(given), len(given))


def wide_spread(spread, threshold=WIDE_SPREAD):
    """True when the assessors disagree: the spread reaches ``threshold``."""
    return spread is not None and spread >= threshold


def gap(target, mean):
    """Levels left to reach the target (0 when reached); None unrated."""
    if mean is None or not target:
        return None
    return max(target - mean, 0.0)


def overall(means):
    """Overall maturity: the mean of the blocks' mean ratings (unrated
    blocks left out); None when nothing is rated."""
    rated = [m for m in means if m is not None]
    if not rated:
        return None
    return sum(rated) / len(rated)


def compare(current, previous, tolerance=1e-9):
    """Compare {key: mean} of this assessment with the previous one.

    Returns a Movement per key of ``current``, in its order: the change and
    whether the block moved up, down, stayed the same, is new (not rated
    before) or is not rated now.
    """
    movements = []
    for key, mean in current.items():
        before = previous.get(key)
        if mean is None:
            movements.append(Movement(key, before, None, None, UNRATED))
        elif before is None:
            movements.append(Movement(key, None, mean, None, NEW))
        else:
            change = mean - before
            if abs(change) <= tolerance:
                moved = SAME
            else:
                moved = UP if change > 0 else DOWN
            movements.append(Movement(key, before, mean, change, moved))
    return movements
