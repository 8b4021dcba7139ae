# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""RFM quintiles, risk bands and lifecycle stages of customers, and the
scores of every customer from its transaction summary and a fitted model.
Pure numpy and scipy: no Odoo."""

import dataclasses

import numpy as np
from scipy import stats

from . import clv

RISK_LOW = "low"
RISK_MEDIUM = "medium"
RISK_HIGH = "high"

STAGE_NEW = "new"
STAGE_ACTIVE = "active"
STAGE_AT_RISK = "at_risk"
STAGE_LAPSED = "lapsed"
STAGE_LOST = "lost"

HORIZON_DAYS = 90  # expected purchases "in the next 90 days"; new customers


def quintiles(values):
    """Score 1 to 5 of each value by its rank among all (5: the highest).
    Equal values get the same score; a lone customer, or customers that are
    all equal, score 3 (the middle), not 5."""
    values = np.asarray(values, dtype=float)
    if not len(values):
        return np.zeros(0, dtype=int)
    if not np.isfinite(values).all():
        raise ValueError("quintiles of values that are not finite")
    ranks = stats.rankdata(values, method="average")
    return np.clip(1 + np.floor(5 * (ranks - 0.5) / len(values)), 1, 5).astype(int)


def quintile_bounds(values, scores):
    """The lowest value that got each score: [[score, lowest value], ...],
    to score other values later the same way (:func:`apply_bounds`)."""
    values = np.asarray(values, dtype=float)
    scores = np.asarray(scores)
    return [
        [int(k), float(values[scores == k].min())]
        for k in range(1, 6)
        if (scores == k).any()
    ]


def apply_bounds(values, bounds):
    """Score values with the bounds of an earlier population: the highest
    score whose lowest value is at most the value (the lowest score below
    them all; 3 without bounds)."""
    values = np.asarray(values, dtype=float)
    if not bounds:
        return np.full(len(values), 3, dtype=int)
    bounds = sorted(bounds, key=lambda b: b[1])
    lows = np.array([b[1] for b in bounds])
    ks = np.array([b[0] for b in bounds])
    index = np.searchsorted(lows, values, side="right") - 1
    return ks[np.maximum(index, 0)].astype(int)


def _code(r, f, m):
    return np.char.add(np.char.add(r.astype(str), f.astype(str)), m.astype(str))


def rfm_scores(recency_days, transactions, average_value):
    """(R, F, M) quintiles and the three-digit code: R is 5 for the most
    recent buyers (fewest days since the last transaction), F for those with
    the most transactions, M for the highest average transaction value."""
    r = quintiles(-np.asarray(recency_days, dtype=float))
    f = quintiles(transactions)
    m = quintiles(average_value)
    return r, f, m, _code(r, f, m)


def rfm_bounds(recency_days, transactions, average_value, scores):
    """The bounds of the R, F and M quintiles of a population, from its
    values and its (R, F, M) scores: {"r": ..., "f": ..., "m": ...}."""
    r, f, m = scores[:3]
    return {
        "r": quintile_bounds(-np.asarray(recency_days, dtype=float), r),
        "f": quintile_bounds(transactions, f),
        "m": quintile_bounds(average_value, m),
    }


def rfm_scores_from_bounds(recency_days, transactions, average_value, bounds):
    """(R, F, M) and the code of customers scored against the quintile
    bounds of the population they belong to (:func:`rfm_bounds`)."""
    r = apply_bounds(-np.asarray(recency_days, dtype=float), bounds.get("r"))
    f = apply_bounds(transactions, bounds.get("f"))
    m = apply_bounds(average_value, bounds.get("m"))
    return r, f, m, _code(r, f, m)


def check_thresholds(medium, high):
    """The churn propensities where the medium and the high band start:
    0 < medium < high < 1."""
    if not 0 < medium < high < 1:
        raise ValueError(
            f"the risk thresholds must satisfy 0 < medium < high < 1, "
            f"got medium={medium!r}, high={high!r}"
        )


def risk_bands(churn, medium=0.4, high=0.7):
    """low / medium / high by churn propensity; None where it is unknown."""
    check_thresholds(medium, high)
    churn = np.asarray(churn, dtype=float)
    bands = np.where(
        churn >= high, RISK_HIGH, np.where(churn >= medium, RISK_MEDIUM, RISK_LOW)
    )
    bands = bands.astype(object)
    bands[~np.isfinite(churn)] = None
    return bands


def lifecycle_stages(
    first_age_days, recency_days, bands, window_days, new_days=HORIZON_DAYS
):
    """The stage of each customer, the first rule that holds:

    - new: its first transaction is less than ``new_days`` old;
    - lost: no transaction within the activity window (it no longer counts
      as an active customer);
    - at risk: its churn propensity is in the high band;
    - lapsed: no transaction for more than half the activity window;
    - active: the others.
    """
    first_age = np.asarray(first_age_days, dtype=float)
    recency = np.asarray(recency_days, dtype=float)
    bands = np.asarray(bands, dtype=object)
    stages = np.full(len(first_age), STAGE_ACTIVE, dtype=object)
    stages[recency > window_days / 2.0] = STAGE_LAPSED
    stages[bands == RISK_HIGH] = STAGE_AT_RISK
    stages[recency > window_days] = STAGE_LOST
    stages[first_age < new_days] = STAGE_NEW
    return stages


@dataclasses.dataclass
class Settings:
    """How a company scores: horizon in months, monthly discount rate, the
    risk thresholds, the activity window, the time unit in days."""

    horizon_months: int = 12
    monthly_discount: float = 0.01
    risk_medium: float = 0.4
    risk_high: float = 0.7
    window_days: int = 365
    unit_days: float = clv.DAYS_PER_WEEK


def score(summary, as_of_day, bg=None, gg=None, settings=None, bounds=None):
    """The scores of every customer of a :class:`clv.Summary` as of the day
    number ``as_of_day``, with the fitted BG/NBD or MBG/NBD parameters ``bg``
    and Gamma-Gamma parameters ``gg`` (either may be None: no fit yet).

    Returns a dict of arrays, one entry per customer: ``recency_days``,
    ``rfm_r``, ``rfm_f``, ``rfm_m``, ``rfm_code``, ``p_alive``, ``churn``,
    ``expected_90d``, ``clv``, ``risk_band``, ``stage``. Without ``bg`` the
    model's scores are NaN (to be stored as no value) and the band None;
    without ``gg`` the lifetime value uses each customer's own mean
    transaction value. Every number that comes out is finite or NaN where
    documented; a model output that is not finite raises
    :class:`clv.FitError`.

    The RFM quintiles rank the customers among themselves, or, with
    ``bounds`` (:func:`rfm_bounds` of an earlier population), against that
    population: for a few customers rescored between full scorings."""
    settings = settings or Settings()
    unit = settings.unit_days
    n = len(summary.customers)
    recency_days = as_of_day - summary.last_day
    first_age_days = as_of_day - summary.first_day
    if bounds is None:
        r, f, m, codes = rfm_scores(
            recency_days, summary.transactions, summary.average_value
        )
    else:
        r, f, m, codes = rfm_scores_from_bounds(
            recency_days, summary.transactions, summary.average_value, bounds
        )
    result = {
        "recency_days": recency_days.astype(int),
        "rfm_r": r,
        "rfm_f": f,
        "rfm_m": m,
        "rfm_code": codes,
        "p_alive": np.full(n, np.nan),
        "churn": np.full(n, np.nan),
        "expected_90d": np.full(n, np.nan),
        "clv": np.full(n, np.nan),
    }
    if bg is not None and n:
        x = summary.frequency
        tx = (summary.last_day - summary.first_day) / unit
        T = first_age_days / unit
        alive = clv.p_alive(bg, x, tx, T)
        expected = clv.expected_purchases(bg, HORIZON_DAYS / unit, x, tx, T)
        if gg is not None:
            value = clv.expected_average_value(
                gg, summary.monetary_count, summary.monetary_value
            )
        else:
            value = summary.average_value
        lifetime = clv.customer_lifetime_value(
            bg,
            x,
            tx,
            T,
            value,
            months=settings.horizon_months,
            monthly_discount=settings.monthly_discount,
            units_per_month=365.25 / 12 / unit,
        )
        for name, array in (
            ("p_alive", alive),
            ("expected", expected),
            ("clv", lifetime),
        ):
            if not np.isfinite(array).all():
                raise clv.FitError(
                    clv.FitError.NON_FINITE,
                    f"the model gives a {name} that is not finite",
                    field=name,
                )
        result["p_alive"] = np.clip(alive, 0.0, 1.0)
        result["churn"] = 1.0 - result["p_alive"]
        result["expected_90d"] = np.maximum(expected, 0.0)
        result["clv"] = lifetime
    result["risk_band"] = risk_bands(
        result["churn"], settings.risk_medium, settings.risk_high
    )
    result["stage"] = lifecycle_stages(
        first_age_days, recency_days, result["risk_band"], settings.window_days
    )
    return result
