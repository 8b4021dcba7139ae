# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Evidence for a cause-and-effect link between two strategic objectives.

Pure Python (no Odoo import). A strategy map claims that moving one
objective (the cause) moves another (the effect), possibly some periods
later. Given both objectives' score histories over the same consecutive
periods, this measures whether the history bears the claim out: the
Spearman rank correlation between the cause's score in period t and the
effect's score in period t + lag, for lags 0 to MAX_LAG, each over the
periods where both scores exist. The best lag is the one with the highest
correlation (the shorter lag on a tie).

Verdicts:

- ``insufficient``: no lag has MIN_PERIODS pairs of scores that both vary
  (drawn dashed); ``unchanged`` then names the objectives whose score did
  not change over pairs enough ("cause", "effect"), if any: too little
  history is not the reason then;
- ``supported``: the best correlation is at least SUPPORT_RHO (drawn solid);
- ``weak``: positive but below SUPPORT_RHO (drawn solid, thin);
- ``contradicted``: no lag shows a positive association (best correlation
  at or below 0; drawn red).
"""

from collections import namedtuple

MAX_LAG = 3
MIN_PERIODS = 6
SUPPORT_RHO = 0.3

INSUFFICIENT = "insufficient"
SUPPORTED = "supported"
WEAK = "weak"
CONTRADICTED = "contradicted"
VERDICTS = (SUPPORTED, WEAK, CONTRADICTED, INSUFFICIENT)

# rho: the best correlation (None when insufficient); lag: its lag in
# periods; periods: the number of pairs behind it; by_lag: {lag: (rho or
# None, pairs)} for every lag measured; unchanged: when insufficient with
# enough pairs, the sides ("cause", "effect") whose score did not change.
Evidence = namedtuple(
    "Evidence",
    ["verdict", "rho", "lag", "periods", "by_lag", "unchanged"],
    defaults=((),),
)


def ranks(values):
    """Ranks 1..n of ``values``, ties sharing their average rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        average = (i + j) / 2.0 + 1.0
        for k in range(i, j + 1):
            result[order[k]] = average
        i = j + 1
    return result


def pearson(xs, ys):
    """Pearson correlation of two equal-length sequences; None when either
    does not vary (or fewer than two points)."""
    n = len(xs)
    if n != len(ys):
        raise ValueError("sequences of different lengths")
    if n < 2:
        return None
    mx = sum(xs) / n
    my = sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 0 or syy <= 0:
        return None
    return max(-1.0, min(1.0, sxy / (sxx * syy) ** 0.5))


def spearman(xs, ys):
    """Spearman rank correlation (ties averaged); None when either series is
    constant."""
    return pearson(ranks(list(xs)), ranks(list(ys)))


def lagged_pairs(cause, effect, lag):
    """Pairs (cause[t], effect[t + lag]) where both exist."""
    return [
        (cause[t], effect[t + lag])
        for t in range(len(cause))
        if t + lag < len(effect)
        and cause[t] is not None
        and effect[t + lag] is not None
    ]


def link_evidence(cause, effect, max_lag=MAX_LAG, min_periods=MIN_PERIODS):
    """Evidence that the cause's score history leads the effect's.

    ``cause`` and ``effect`` are score histories over the same consecutive
    periods, oldest first, None where a period has no score.
    """
    if len(cause) != len(effect):
        raise ValueError("the histories must cover the same periods")
    by_lag = {}
    best = None
    unchanged = None  # the flat sides of the lag with the most pairs
    for lag in range(max_lag + 1):
        pairs = lagged_pairs(cause, effect, lag)
        rho = None
        if len(pairs) >= min_periods:
            rho = spearman([p[0] for p in pairs], [p[1] for p in pairs])
            if rho is None and (unchanged is None or len(pairs) > unchanged[0]):
                flat = tuple(
                    side
                    for side, index in (("cause", 0), ("effect", 1))
                    if len({p[index] for p in pairs}) == 1
                )
                unchanged = (len(pairs), flat)
        by_lag[lag] = (None if rho is None else round(rho, 4), len(pairs))
        if rho is not None and (best is None or rho > best[0] + 1e-12):
            best = (rho, lag, len(pairs))
    if best is None:
        periods = max((count for _rho, count in by_lag.values()), default=0)
        flat = unchanged[1] if unchanged else ()
        return Evidence(INSUFFICIENT, None, None, periods, by_lag, flat)
    rho, lag, periods = best
    if rho >= SUPPORT_RHO:
        verdict = SUPPORTED
    elif rho > 0:
        verdict = WEAK
    else:
        verdict = CONTRADICTED
    return Evidence(verdict, round(rho, 4), lag, periods, by_lag)
