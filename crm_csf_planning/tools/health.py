# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Health of critical success factors, rolled up a tree of factors.

Pure Python: imports nothing from Odoo.

A factor's health (0-100) is the weighted mean of the scores of its
indicators and of the health of the factors that serve it (its children),
each with its weight. An item without a score (no data yet) is left out, and
so is an item of weight 0; a factor with nothing scored has no health (None),
never 0. The status follows the scorecard's anchors: a score of 70 is where
a scorecard line turns to warning and 40 where it turns critical.
"""

ON_TRACK = "on_track"
AT_RISK = "at_risk"
OFF_TRACK = "off_track"
NO_DATA = "no_data"

ON_TRACK_FROM = 70.0
AT_RISK_FROM = 40.0


class WeightError(ValueError):
    """Weights that cannot weigh: ``reason`` is "negative" or "all_zero"."""

    def __init__(self, reason, index=None, value=None):
        super().__init__(f"{reason}: item {index} weight {value!r}")
        self.reason = reason
        self.index = index
        self.value = value


def check_weights(weights):
    """Raise WeightError when a weight is below zero, or when there are
    weights and all of them are zero."""
    weights = list(weights)
    for index, weight in enumerate(weights):
        if weight is None or weight < 0:
            raise WeightError("negative", index, weight)
    if weights and not any(weights):
        raise WeightError("all_zero")


def weighted_mean(items):
    """Weighted mean of (score, weight) pairs; None scores and zero weights
    are left out; None when nothing is left."""
    total = weight_sum = 0.0
    for score, weight in items:
        if score is None or not weight:
            continue
        if weight < 0:
            raise WeightError("negative", value=weight)
        total += score * weight
        weight_sum += weight
    if not weight_sum:
        return None
    return total / weight_sum


def status(health, on_track_from=ON_TRACK_FROM, at_risk_from=AT_RISK_FROM):
    """on_track, at_risk, off_track, or no_data when health is None."""
    if health is None:
        return NO_DATA
    if health >= on_track_from:
        return ON_TRACK
    if health >= at_risk_from:
        return AT_RISK
    return OFF_TRACK


def rollup(nodes):
    """Health of every node of a forest of factors.

    ``nodes`` maps a node id to ``(parent id or None, weight in the parent,
    [(score or None, weight), ...] of its own indicators)``. A parent that is
    not in ``nodes`` is treated as absent (the node is a root). Returns
    {node id: health or None}. A cycle raises ValueError naming a node on it.
    """
    children = {node: [] for node in nodes}
    for node, (parent, _weight, _items) in nodes.items():
        if parent is not None and parent in nodes:
            children[parent].append(node)
    health = {}
    visiting = set()

    def visit(node):
        if node in health:
            return health[node]
        if node in visiting:
            raise ValueError(f"cycle through {node!r}")
        visiting.add(node)
        items = list(nodes[node][2])
        for child in children[node]:
            items.append((visit(child), nodes[child][1]))
        visiting.discard(node)
        health[node] = weighted_mean(items)
        return health[node]

    for node in nodes:
        visit(node)
    return health


def trend(direction, value, previous, target=None, target_max=None, tolerance=1e-9):
    """better, worse or flat: ``value`` against ``previous`` for an indicator
    whose ``direction`` is higher, lower or range. For a range, the value
    nearer the band [target, target_max] is the better one (flat when both lie
    in it, or without a band). None when either value is missing."""
    if value is None or previous is None:
        return None
    if direction == "range":
        if target is None or target_max is None:
            return "flat"

        def outside(number):
            return max(target - number, number - target_max, 0.0)

        change = outside(previous) - outside(value)
    else:
        change = value - previous
        if direction == "lower":
            change = -change
    if abs(change) <= tolerance:
        return "flat"
    return "better" if change > 0 else "worse"
