# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Contribution to the enterprise: a weighted score per person (or team) from
measures of different units.

Pure Python: imports nothing from Odoo.

Each measure is normalised across the people of one period to 0-100: the
best value scores 100 and the worst 0, linearly in between (for a measure
where lower is better, the lowest value is the best). When everybody has the
same value, everybody scores 100: nobody is behind. A person without a
value of a measure is not scored on it: the weights of the measures they
have are used, and their *coverage* says which share of the total weight
that is. Nobody scores 0 for a missing figure.
"""

from collections import namedtuple

from .health import check_weights

HIGHER = "higher"
LOWER = "lower"

# code: direction. The order is the order of the report's columns.
MEASURES = {
    "won_revenue": HIGHER,
    "retention_rate": HIGHER,
    "win_rate": HIGHER,
    "first_response_hours": LOWER,
    "actions_done": HIGHER,
}

# score: 0-100 or None; coverage: 0..1 share of the weight behind the score;
# normalised: {measure: 0-100 or None}
Contribution = namedtuple("Contribution", ["score", "coverage", "normalised"])


def normalise(values, direction=HIGHER):
    """{key: value or None} to {key: 0-100 or None}, min-max across keys."""
    present = [v for v in values.values() if v is not None]
    if not present:
        return dict.fromkeys(values)
    low, high = min(present), max(present)
    result = {}
    for key, value in values.items():
        if value is None:
            result[key] = None
        elif high == low:
            result[key] = 100.0
        elif direction == LOWER:
            result[key] = 100.0 * (high - value) / (high - low)
        else:
            result[key] = 100.0 * (value - low) / (high - low)
    return result


def contributions(rows, weights, directions=None):
    """Contribution of each person.

    ``rows``: {person: {measure: value or None}}; ``weights``: {measure:
    weight >= 0}, not all zero (WeightError otherwise); ``directions``:
    {measure: higher or lower}, MEASURES by default. Returns {person:
    Contribution}.
    """
    directions = directions or MEASURES
    check_weights(weights.values())
    measures = [m for m in directions if m in weights]
    normalised = {
        measure: normalise(
            {person: row.get(measure) for person, row in rows.items()},
            directions[measure],
        )
        for measure in measures
    }
    total_weight = sum(weights[m] for m in measures)
    result = {}
    for person in rows:
        scores = {m: normalised[m][person] for m in measures}
        used = [(scores[m], weights[m]) for m in measures if scores[m] is not None]
        weight = sum(w for _s, w in used)
        if not weight:
            result[person] = Contribution(None, 0.0, scores)
            continue
        score = sum(s * w for s, w in used) / weight
        result[person] = Contribution(score, weight / total_weight, scores)
    return result
