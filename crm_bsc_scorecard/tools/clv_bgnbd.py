# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""BG/NBD (Fader, Hardie and Lee 2005) and MBG/NBD (Batislam, Denizel and
Filiztekin 2007): the likelihood and its fit, the probability that a
customer is alive and the expected number of purchases (see ``clv`` for
the conventions). Pure numpy and scipy: no Odoo."""

import dataclasses
import math

import numpy as np
from scipy import integrate, special

from .clv_base import (
    BGNBD,
    MBGNBD,
    MODELS,
    BgParams,
    FitError,
    _array,
    _Distinct,
    _first_bad,
    _minimise,
    _wsum,
    check_rft,
    group_rows,
)


class _BgData:
    """Grouped customers (x, t_x, T, weight) prepared for the likelihood:
    the terms that depend on x alone are computed per distinct x and
    weighted by the total weight of its customers."""

    def __init__(self, x, tx, T, weights):
        self.x, self.tx, self.T, self.w = x, tx, T, weights
        self.X = _Distinct(x)
        self.x_weight = np.bincount(
            self.X.index, weights=weights, minlength=len(self.X.values)
        )
        self.TX = _Distinct(tx)
        self.AGE = _Distinct(T)
        self.total = float(weights.sum())


# ----------------------------------------------------------------------
# BG/NBD and MBG/NBD
# ----------------------------------------------------------------------


def _check_model(model):
    if model not in MODELS:
        raise FitError(
            FitError.BAD_INPUT,
            f"unknown model {model!r}: one of {', '.join(MODELS)}",
            field="model",
        )


def _bg_objective(theta, data, model):
    """The weighted log-likelihood of grouped customers (a :class:`_BgData`)
    and its gradient with respect to the log-parameters (r, alpha, a, b)."""
    r, alpha, a, b = np.exp(theta)
    shift = 1.0 if model == MBGNBD else 0.0
    ux, wx = data.X.values, data.x_weight
    # terms of x alone, once per distinct x
    a12 = (
        special.gammaln(r + ux)
        - special.gammaln(r)
        + r * np.log(alpha)
        + special.gammaln(a + b)
        + special.gammaln(b + ux + shift)
        - special.gammaln(b)
        - special.gammaln(a + b + ux + shift)
    )
    psi_ab = special.digamma(a + b)
    psi_abx = special.digamma(a + b + ux + shift)
    d_r_x = special.digamma(r + ux) - special.digamma(r) + np.log(alpha)
    d_a_x = psi_ab - psi_abx
    d_b_x = psi_ab + special.digamma(b + ux + shift) - special.digamma(b) - psi_abx
    # terms of each group
    x, w = data.x, data.w
    log_at = data.AGE.map(lambda v: np.log(alpha + v))
    log_atx = data.TX.map(lambda v: np.log(alpha + v))
    rx = r + x
    a3 = -rx * log_at
    if model == MBGNBD:
        dead = None
        denominator = data.X.map(lambda v: b + v)
    else:
        dead = x > 0
        denominator = data.X.map(lambda v: b + np.maximum(v, 1) - 1)
    a4 = np.log(a) - np.log(denominator) - rx * log_atx
    # log(exp(a3) + exp(a4)) and the share of the "died after the last
    # purchase" term; exponents kept above -700, where exp() would give
    # subnormal numbers (slow, and nothing a weight needs)
    high = np.maximum(a3, a4)
    gap = np.maximum(-np.abs(a3 - a4), -700.0)
    spread = np.exp(gap)
    top = high + np.log1p(spread)
    w4 = np.where(a4 >= a3, 1.0, spread) / (1.0 + spread)
    if dead is not None:
        w4 = np.where(dead, w4, 0.0)
        top = np.where(dead, top, a3)
    w3 = 1.0 - w4
    ll = _wsum(wx, a12) + _wsum(w, top)
    d_r = _wsum(wx, d_r_x) - _wsum(w, w3 * log_at + w4 * log_atx)
    inv_at = data.AGE.map(lambda v: 1.0 / (alpha + v))
    inv_atx = data.TX.map(lambda v: 1.0 / (alpha + v))
    d_alpha = data.total * r / alpha - _wsum(w, rx * (w3 * inv_at + w4 * inv_atx))
    d_a = _wsum(wx, d_a_x) + _wsum(w, w4) / a
    d_b = _wsum(wx, d_b_x) - _wsum(w, w4 / denominator)
    grad = np.array([d_r * r, d_alpha * alpha, d_a * a, d_b * b])
    return ll, grad


def bg_log_likelihood(params, frequency, recency, T, weights=None):
    """The total log-likelihood of customers under fitted parameters."""
    x, tx, age = check_rft(frequency, recency, T)
    theta = np.log([params.r, params.alpha, params.a, params.b])
    w = np.ones_like(x) if weights is None else np.asarray(weights, float)
    ll, _grad = _bg_objective(theta, _BgData(x, tx, age, w), params.model)
    return float(ll)


def _starts(x, tx, T, w):
    """Starting points (log-parameters, in the scaled time unit): the
    purchase rate of the repeat customers, dropout around one in four."""
    mean_rate = _wsum(w, x) / max(_wsum(w, T), 1e-12) or 1.0
    yield np.log([1.0, 1.0 / mean_rate, 1.0, 3.0])
    yield np.log([0.5, 0.5 / mean_rate, 0.5, 1.5])
    yield np.log([0.1, 0.1, 0.1, 0.1])
    yield np.log([2.0, 10.0, 2.0, 6.0])


def fit_bgnbd(
    frequency,
    recency,
    T,
    model=MBGNBD,
    min_repeat_customers=1,
    weights=None,
):
    """Fit BG/NBD (``model="bgnbd"``) or MBG/NBD (``"mbgnbd"``) by maximum
    likelihood. Returns :class:`BgParams` with the log-likelihood; raises
    :class:`FitError` when the data cannot support a fit: no customers,
    fewer repeat customers than ``min_repeat_customers`` (at least one), an
    optimiser that does not converge or parameters that are not finite."""
    _check_model(model)
    x, tx, age = check_rft(frequency, recency, T)
    w_in = np.ones_like(x) if weights is None else _array("weights", weights)
    if len(w_in) != len(x) or (w_in < 0).any():
        raise FitError(FitError.BAD_INPUT, "weights do not fit", field="weights")
    customers = round(float(w_in.sum()))
    if not customers:
        raise FitError(FitError.NO_CUSTOMERS, "there are no customers to fit")
    repeat = round(float(w_in[x > 0].sum()))
    needed = max(int(min_repeat_customers), 1)
    if repeat < needed:
        raise FitError(
            FitError.TOO_FEW,
            f"{repeat} customers bought more than once, the fit needs {needed}",
            count=repeat,
            needed=needed,
        )
    if not (age > 0).any():
        raise FitError(
            FitError.TOO_FEW, "no customer has been observed for any time", count=0
        )
    (gx, gtx, gT), gw, _inverse = group_rows(x, tx, age, weights=w_in)
    scale = float(gT.max()) / 10.0
    stx, sT = gtx / scale, gT / scale
    total = gw.sum()
    data = _BgData(gx, stx, sT, gw)

    def objective(theta):
        ll, grad = _bg_objective(theta, data, model)
        value = -ll / total
        if not np.isfinite(value):
            return np.inf, np.zeros_like(theta)
        return value, -grad / total

    result = _minimise(objective, _starts(gx, stx, sT, gw))
    if result is None:
        raise FitError(
            FitError.NOT_CONVERGED,
            "the maximum-likelihood search did not converge to finite "
            "parameters inside the search space",
        )
    r, alpha, a, b = np.exp(result.x)
    alpha *= scale
    values = np.array([r, alpha, a, b])
    if not np.all(np.isfinite(values)) or (values <= 0).any():
        raise FitError(
            FitError.NON_FINITE, f"the parameters are not finite: {values!r}"
        )
    # back to the caller's unit: each repeat purchase's density scales by 1/scale
    ll = -result.fun * total - _wsum(gw, gx) * math.log(scale)
    return BgParams(
        model=model,
        r=float(r),
        alpha=float(alpha),
        a=float(a),
        b=float(b),
        log_likelihood=float(ll),
        customers=customers,
        repeat_customers=repeat,
    )


def _unpack(params):
    _check_model(params.model)
    return params.r, params.alpha, params.a, params.b


def p_alive(params, frequency, recency, T):
    """The probability that each customer is still alive at T: under BG/NBD
    1 for a customer without repeat purchases, under MBG/NBD less."""
    r, alpha, a, b = _unpack(params)
    x, tx, age = check_rft(frequency, recency, T)
    base = b + x if params.model == MBGNBD else b + np.maximum(x, 1) - 1
    # log((alpha + T) / (alpha + t_x)), precise when alpha dwarfs the ages
    z = np.log(a) - np.log(base) + (r + x) * np.log1p((age - tx) / (alpha + tx))
    alive = special.expit(-z)
    if params.model == BGNBD:
        alive = np.where(x > 0, alive, 1.0)
    return alive


def _posterior_b(params, x):
    return params.b + x + (1.0 if params.model == MBGNBD else 0.0)


def _expected_alive(params, t, x, age):
    """Expected purchases in (T, T + t] of a customer alive at T, by the
    Gaussian hypergeometric function (the closed form of both papers)."""
    r, alpha, a, _b = _unpack(params)
    bx = _posterior_b(params, x)
    z = t / (alpha + age + t)
    with np.errstate(all="ignore"):
        hyp = special.hyp2f1(r + x, bx, a + bx - 1.0, z)
        tail = 1.0 - hyp * ((alpha + age) / (alpha + age + t)) ** (r + x)
        value = (a + bx - 1.0) / (a - 1.0) * tail
    return value


def _expected_alive_quad(params, t, x, age):
    """The same expectation by numerical integration over the dropout
    probability p ~ Beta(a, b'), for the rare customers where the closed form
    loses precision: E[(1 - ((alpha+T)/(alpha+T+p t))^(r+x)) / p]."""
    r, alpha, a, _b = _unpack(params)
    bx = _posterior_b(params, x)
    log_beta = special.betaln(a, bx)

    def integrand(p):
        if p <= 0.0:
            return 0.0
        growth = -(r + x) * math.log1p(p * t / (alpha + age))
        return (
            -math.expm1(growth)
            / p
            * math.exp((a - 1) * math.log(p) + (bx - 1) * math.log1p(-p) - log_beta)
        )

    value, _error = integrate.quad(integrand, 0.0, 1.0, limit=200)
    return value


# Beyond this a + b, the quadrature takes Beta(a, b) as a point mass at its
# mean (its standard deviation is then below 1.6 %; Gauss-Jacobi weights
# overflow soon after)
POINT_MASS = 1000.0
GAUSS_NODES = 48


def _expected_alive_gauss(params, t, x, age):
    """Expected purchases in (T, T + t] of a customer alive at T, as
    E[(1 - ((alpha+T)/(alpha+T+p t))^(r+x)) / p] over the posterior
    dropout probability p ~ Beta(a, b'), by Gauss-Jacobi quadrature (nodes
    per distinct b'), or at its mean when Beta(a, b') is a point mass. The
    Gamma part stays closed-form and stable for any r and alpha."""
    r, alpha, a, _b = _unpack(params)
    bx = _posterior_b(params, x)
    rate = t / (alpha + age)  # c: p t / (alpha + T) = c p
    result = np.empty(len(x))
    point = a + bx > POINT_MASS
    if point.any():
        mean = a / (a + bx[point])
        result[point] = -np.expm1(-(r + x[point]) * np.log1p(rate[point] * mean)) / mean
    for value in np.unique(bx[~point]):
        rows = (~point) & (bx == value)
        # weight (1 - u)^(b'-1) (1 + u)^(a-1) on [-1, 1], p = (1 + u) / 2
        nodes, weights = special.roots_jacobi(GAUSS_NODES, value - 1.0, a - 1.0)
        p = (1.0 + nodes) / 2.0
        weights = weights / weights.sum()
        k = (r + x[rows])[:, None]
        c = rate[rows][:, None]
        result[rows] = (-np.expm1(-k * np.log1p(c * p[None, :])) / p[None, :]) @ weights
    return result


def expected_purchases(params, t, frequency, recency, T):
    """The expected number of purchases of each customer in the next ``t``
    time units, given its history (x, t_x, T)."""
    x, tx, age = check_rft(frequency, recency, T)
    t_arr = np.broadcast_to(_array("t", t), x.shape).astype(float)
    _first_bad("t", t_arr, t_arr < 0, "negative")
    if not len(x):
        return np.zeros(0)
    a = params.a
    if abs(a - 1.0) < 1e-7:
        # the closed form divides by a - 1: the limit, from either side
        lower = dataclasses.replace(params, a=1.0 - 1e-6)
        upper = dataclasses.replace(params, a=1.0 + 1e-6)
        return 0.5 * (
            expected_purchases(lower, t, x, tx, age)
            + expected_purchases(upper, t, x, tx, age)
        )
    alive = _expected_alive(params, t_arr, x, age)
    # where the closed form fails (parameters so large that the rates or the
    # dropout probabilities hardly vary between customers), by quadrature
    bad = ~np.isfinite(alive) | (alive < 0)
    if bad.any():
        alive[bad] = _expected_alive_gauss(params, t_arr[bad], x[bad], age[bad])
    alive = np.where(t_arr > 0, np.maximum(alive, 0.0), 0.0)
    return p_alive(params, x, tx, age) * alive
