# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Targets of a running period, pro-rated to the days elapsed.

Pure Python (no Odoo import). An *additive* indicator counts or sums what
happens during the period (won revenue, won deals, new leads, new
customers): halfway through a month it has, on a steady course, half of the
month's figure. Comparing it with the whole month's target would call every
running period critical, so while a period runs its additive lines are
scored against the target times the share of the period's days elapsed
(today included). Rates, averages and levels measured on a day (retention,
win rate, average deal size, the open pipeline, active customers) keep their
target.
"""

# The built-in indicators that count or sum the events of the period.
ADDITIVE_BUILTINS = frozenset(
    {"new_customers", "won_revenue", "won_deals", "new_leads"}
)
# The measures of an aggregate indicator that add up over the period.
ADDITIVE_MEASURES = frozenset({"count", "sum"})


def is_additive(computation, builtin_code=None, measure=None):
    """True when an indicator computed this way adds up over its period.

    Manual, ratio and formula indicators cannot be told apart by their
    definition: None (the user says).
    """
    if computation == "builtin":
        return builtin_code in ADDITIVE_BUILTINS
    if computation == "aggregate":
        return measure in ADDITIVE_MEASURES
    return None


def elapsed(date_from, date_to, today):
    """(days elapsed, days in the period) of a period that is running on
    ``today``, today counted as elapsed; None when ``today`` is outside the
    period (a period that has ended, or has not started, is not pro-rated)."""
    if not (date_from <= today <= date_to):
        return None
    total = (date_to - date_from).days + 1
    return (today - date_from).days + 1, total


def pro_rate(share, target, target_max, warning, critical, direction):
    """Target, upper bound and thresholds scaled by ``share`` (0 < share <= 1).

    Every figure of the line is a quantity of the same additive unit, so all
    scale together: the thresholds keep their place between the target and
    the critical level (for a range, the tolerances keep their share of the
    band). ``direction`` is accepted for symmetry with the scoring functions.
    """
    if not 0 < share <= 1:
        raise ValueError(f"share {share!r} outside (0, 1]")
    del direction  # every direction scales the same way
    return (
        target * share,
        (target_max or 0.0) * share,
        warning * share,
        critical * share,
    )
