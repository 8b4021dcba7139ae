# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Gamma-Gamma spend model (Fader, Hardie and Lee 2005) and the
customer lifetime value over a horizon (see ``clv`` for the conventions).
Pure numpy and scipy: no Odoo."""

import math

import numpy as np
from scipy import special

from .clv_base import (
    WEEKS_PER_MONTH,
    FitError,
    GgParams,
    _array,
    _Distinct,
    _first_bad,
    _minimise,
    _wsum,
    check_rft,
    group_rows,
)
from .clv_bgnbd import expected_purchases

# ----------------------------------------------------------------------
# Gamma-Gamma spend model
# ----------------------------------------------------------------------


def _check_spend(frequency, monetary_value):
    x = _array("frequency", frequency)
    m = _array("monetary_value", monetary_value)
    if len(x) != len(m):
        raise FitError(
            FitError.BAD_INPUT,
            f"frequency and monetary_value differ in length ({len(x)}, {len(m)})",
            field="monetary_value",
        )
    _first_bad("frequency", x, (x < 0) | (x != np.round(x)), "not a whole number >= 0")
    _first_bad("monetary_value", m, m < 0, "negative")
    return x, m


class _GgData:
    """Grouped customers (x, m, weight) for the spend likelihood: the terms
    of x alone once per distinct x, log(m) once."""

    def __init__(self, x, m, weights):
        self.x, self.m, self.w = x, m, weights
        self.X = _Distinct(x)
        self.x_weight = np.bincount(
            self.X.index, weights=weights, minlength=len(self.X.values)
        )
        self.log_m = np.log(m)
        self.log_x = np.log(x)
        self.total = float(weights.sum())
        self.xm = x * m


def _gg_objective(theta, data):
    """The weighted log-likelihood of the Gamma-Gamma model and its
    gradient with respect to the log-parameters (p, q, v)."""
    p, q, v = np.exp(theta)
    ux, wx = data.X.values, data.x_weight
    pux = p * ux
    x_terms = (
        special.gammaln(pux + q)
        - special.gammaln(pux)
        - special.gammaln(q)
        + q * np.log(v)
        + pux * np.log(ux)
    )
    psi_q_x = special.digamma(pux + q)
    w, x = data.w, data.x
    px = p * x
    log_xmv = np.log(data.xm + v)
    ll = _wsum(wx, x_terms) + _wsum(w, (px - 1) * data.log_m - (px + q) * log_xmv)
    d_p = _wsum(wx, ux * (psi_q_x - special.digamma(pux) + np.log(ux))) + _wsum(
        w, x * (data.log_m - log_xmv)
    )
    d_q = _wsum(wx, psi_q_x - special.digamma(q) + np.log(v)) - _wsum(w, log_xmv)
    d_v = data.total * q / v - _wsum(w, (px + q) / (data.xm + v))
    return ll, np.array([d_p * p, d_q * q, d_v * v])


def fit_gamma_gamma(frequency, monetary_value, min_customers=1, weights=None):
    """Fit the Gamma-Gamma model of the mean transaction value on the
    customers with repeat transactions of positive value (the others carry
    no information on spend and are left out). Raises :class:`FitError`
    when fewer than ``min_customers`` remain, when the search does not
    converge, or when the fitted spend has no finite mean (q <= 1)."""
    x, m = _check_spend(frequency, monetary_value)
    w_in = np.ones_like(x) if weights is None else _array("weights", weights)
    keep = (x > 0) & (m > 0) & (w_in > 0)
    count = round(float(w_in[keep].sum()))
    needed = max(int(min_customers), 1)
    if count < needed:
        raise FitError(
            FitError.TOO_FEW,
            f"{count} customers have repeat transactions of positive value, "
            f"the spend model needs {needed}",
            count=count,
            needed=needed,
        )
    (gx, gm), gw, _inverse = group_rows(x[keep], m[keep], weights=w_in[keep])
    scale = float(_wsum(gw, gm) / gw.sum())
    total = gw.sum()
    data = _GgData(gx, gm / scale, gw)

    def objective(theta):
        ll, grad = _gg_objective(theta, data)
        value = -ll / total
        if not np.isfinite(value):
            return np.inf, np.zeros_like(theta)
        return value, -grad / total

    starts = [np.log([1.0, 2.0, 1.0]), np.log([5.0, 4.0, 4.0]), np.log([0.5, 1.5, 0.5])]
    result = _minimise(objective, starts)
    if result is None:
        raise FitError(
            FitError.NOT_CONVERGED,
            "the spend model's maximum-likelihood search did not converge",
        )
    p, q, v = np.exp(result.x)
    v *= scale
    if not np.all(np.isfinite([p, q, v])):
        raise FitError(FitError.NON_FINITE, "the spend parameters are not finite")
    if q <= 1.0:
        raise FitError(
            FitError.NO_MEAN,
            f"the fitted spend has no finite mean (q = {q:.3f} <= 1)",
            value=float(q),
        )
    # back to the caller's unit: each customer's mean value density by 1/scale
    ll = -result.fun * total - total * math.log(scale)
    return GgParams(
        p=float(p),
        q=float(q),
        v=float(v),
        log_likelihood=float(ll),
        customers=count,
    )


def gg_log_likelihood(params, frequency, monetary_value):
    x, m = _check_spend(frequency, monetary_value)
    keep = (x > 0) & (m > 0)
    theta = np.log([params.p, params.q, params.v])
    ll, _grad = _gg_objective(theta, _GgData(x[keep], m[keep], np.ones(keep.sum())))
    return float(ll)


def expected_average_value(params, frequency, monetary_value):
    """The expected mean transaction value of each customer: a weighted mean
    of the population's mean and its own observed mean, the more its own the
    more transactions it has (customers without repeat transactions of
    positive value get the population's mean)."""
    x, m = _check_spend(frequency, monetary_value)
    p, q, v = params.p, params.q, params.v
    x = np.where(m > 0, x, 0.0)
    return p * (v + x * m) / (p * x + q - 1.0)


def customer_lifetime_value(
    params,
    frequency,
    recency,
    T,
    average_value,
    months=12,
    monthly_discount=0.01,
    units_per_month=WEEKS_PER_MONTH,
):
    """The discounted value of each customer's expected purchases over the
    next ``months``: for each month, the expected purchases in it times the
    expected transaction value, discounted by ``monthly_discount`` a month."""
    months = int(months)
    if months < 1:
        raise FitError(
            FitError.BAD_INPUT,
            f"the horizon {months} is not a month or more",
            field="months",
            value=months,
        )
    if not 0 <= monthly_discount < 1:
        raise FitError(
            FitError.BAD_INPUT,
            f"the monthly discount rate {monthly_discount} is not in [0, 1)",
            field="monthly_discount",
            value=monthly_discount,
        )
    x, tx, age = check_rft(frequency, recency, T)
    value = np.broadcast_to(_array("average_value", average_value), x.shape)
    total = np.zeros_like(x)
    previous = np.zeros_like(x)
    for month in range(1, months + 1):
        cumulative = expected_purchases(params, month * units_per_month, x, tx, age)
        total += (cumulative - previous) / (1.0 + monthly_discount) ** month
        previous = cumulative
    return total * value
