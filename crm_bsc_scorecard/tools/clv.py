# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
""" "Buy till you die" models of customers who buy when they like: BG/NBD
(Fader, Hardie and Lee 2005), MBG/NBD (Batislam, Denizel and Filiztekin
2007) and the Gamma-Gamma spend model (Fader, Hardie and Lee 2005), fitted
by maximum likelihood, with the customer lifetime value and the calibration
and holdout check of a fit. Pure numpy and scipy: no Odoo.

Conventions of the literature: ``frequency`` (x) is the number of repeat
transactions (transactions on the same day count as one), ``recency`` (t_x)
the customer's age at its last transaction, ``T`` its age at the end of
observation, in a time unit the caller chooses (weeks by default);
``monetary_value`` is the mean value of the repeat transactions.

Identical customers are grouped with weights before fitting, so that the
likelihood is evaluated once per distinct (x, t_x, T) triple. The time axis
(and the spend axis) are scaled internally, so that the optimiser sees the
same problem whatever the unit; the parameters come back in the caller's
unit.
"""

import dataclasses
import math

import numpy as np
from scipy import integrate, optimize, special

BGNBD = "bgnbd"
MBGNBD = "mbgnbd"
MODELS = (BGNBD, MBGNBD)

# Bounds of the log-parameters the optimiser searches: a parameter that runs
# to one of them means the data do not pin it down.
LOG_BOUND = 18.0
# the largest gradient (of the mean log-likelihood per customer, in the
# log-parameters) accepted when the optimiser stops without converging
GRADIENT_TOLERANCE = 1e-4
DAYS_PER_WEEK = 7.0
WEEKS_PER_MONTH = 365.25 / 12 / 7


class FitError(ValueError):
    """The data cannot support the fit, or the input is not valid.

    ``code`` says why (one of the ``FitError.*`` constants), ``values`` holds
    the figures a message names; ``str()`` is an English sentence. Callers
    that show it to users translate from the code and values."""

    BAD_INPUT = "bad_input"
    NO_CUSTOMERS = "no_customers"
    TOO_FEW = "too_few"
    NOT_CONVERGED = "not_converged"
    NON_FINITE = "non_finite"
    NO_MEAN = "no_mean"

    def __init__(self, code, message, **values):
        super().__init__(message)
        self.code = code
        self.values = values


@dataclasses.dataclass(frozen=True)
class BgParams:
    """Parameters of a fitted BG/NBD or MBG/NBD model, in the caller's time
    unit: purchase rates are Gamma(r, alpha), dropout probabilities
    Beta(a, b)."""

    model: str
    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float = float("nan")
    customers: int = 0
    repeat_customers: int = 0

    def as_dict(self):
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class GgParams:
    """Parameters of a fitted Gamma-Gamma spend model."""

    p: float
    q: float
    v: float
    log_likelihood: float = float("nan")
    customers: int = 0

    def as_dict(self):
        return dataclasses.asdict(self)


# ----------------------------------------------------------------------
# Input checks and grouping
# ----------------------------------------------------------------------


def _array(name, values):
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as error:
        raise FitError(
            FitError.BAD_INPUT, f"{name} is not numeric: {error}", field=name
        ) from None
    if array.ndim == 0:
        array = array.reshape(1)
    if array.ndim != 1:
        raise FitError(
            FitError.BAD_INPUT, f"{name} must be one-dimensional", field=name
        )
    bad = ~np.isfinite(array)
    if bad.any():
        raise FitError(
            FitError.BAD_INPUT,
            f"{name} holds a value that is not finite: {array[bad][0]!r}",
            field=name,
            value=float(array[bad][0]),
        )
    return array


def _first_bad(name, array, mask, rule):
    if mask.any():
        index = int(np.flatnonzero(mask)[0])
        raise FitError(
            FitError.BAD_INPUT,
            f"{name} of customer #{index} is {array[index]!r}: {rule}",
            field=name,
            value=float(array[index]),
            index=index,
        )


def check_rft(frequency, recency, T):
    """The three arrays as floats, checked: same length, x a non-negative
    integer, 0 <= t_x <= T, t_x = 0 when x = 0."""
    x = _array("frequency", frequency)
    tx = _array("recency", recency)
    age = _array("T", T)
    if not (len(x) == len(tx) == len(age)):
        raise FitError(
            FitError.BAD_INPUT,
            f"frequency, recency and T differ in length "
            f"({len(x)}, {len(tx)}, {len(age)})",
            field="frequency",
        )
    _first_bad("frequency", x, (x < 0) | (x != np.round(x)), "not a whole number >= 0")
    _first_bad("recency", tx, tx < 0, "negative")
    _first_bad("recency", tx, tx > age, "later than the end of observation T")
    _first_bad("recency", tx, (x == 0) & (tx != 0), "not 0 without repeat purchases")
    return x, tx, age


def group_rows(*columns, weights=None):
    """Distinct rows of the columns and the weight of each (the number of
    customers that share it, or the sum of ``weights``); also the index that
    maps every input row to its group."""
    columns = [np.asarray(column, dtype=float) for column in columns]
    n = len(columns[0])
    if not n:
        return [column[:0] for column in columns], np.zeros(0), np.zeros(0, int)
    order = np.lexsort(columns[::-1])
    ordered = [column[order] for column in columns]
    new = np.ones(n, dtype=bool)
    new[1:] = np.any([c[1:] != c[:-1] for c in ordered], axis=0)
    group_of_sorted = np.cumsum(new) - 1
    inverse = np.empty(n, dtype=int)
    inverse[order] = group_of_sorted
    unique = [c[new] for c in ordered]
    w = np.ones(n) if weights is None else np.asarray(weights, float)
    counts = np.bincount(inverse, weights=w, minlength=len(unique[0]))
    return unique, counts, inverse


def _wsum(weights, values):
    """sum(weights * values), in numpy rather than BLAS: a BLAS dot product
    may wake a pool of threads for every call, which costs more than the
    sum on a machine whose cores are busy."""
    return float(np.add.reduce(np.multiply(weights, values)))


class _Distinct:
    """The distinct values of an array and where each element's is: a
    function of the values is computed once per distinct value."""

    __slots__ = ("index", "values")

    def __init__(self, array):
        self.values, self.index = np.unique(array, return_inverse=True)
        self.index = self.index.reshape(-1)

    def map(self, function):
        return function(self.values)[self.index]


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


def _minimise(objective, starts, bound=LOG_BOUND):
    """L-BFGS-B from each start until one converges inside the bounds:
    (log-parameters, value) or None."""
    tolerable = None  # inside the bounds, with a small enough gradient
    for start in starts:
        with np.errstate(all="ignore"):
            result = optimize.minimize(
                objective,
                start,
                jac=True,
                method="L-BFGS-B",
                bounds=[(-bound, bound)] * len(start),
                options={"maxiter": 2000, "ftol": 1e-14, "gtol": 1e-9},
            )
        inside = np.all(np.abs(result.x) < bound - 1e-3)
        if not (np.all(np.isfinite(result.x)) and np.isfinite(result.fun) and inside):
            continue
        if result.success:
            return result
        # the line search gave up: on a flat ridge (two parameters running
        # off together, a distribution that collapses to a point) the point
        # reached is as good as the data can tell
        if np.linalg.norm(result.jac, np.inf) < GRADIENT_TOLERANCE and (
            tolerable is None or result.fun < tolerable.fun
        ):
            tolerable = result
    return tolerable


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


# ----------------------------------------------------------------------
# From transactions to (x, t_x, T), and the calibration / holdout check
# ----------------------------------------------------------------------


@dataclasses.dataclass
class Summary:
    """Per customer (in the order of ``customers``): x, t_x, T in the unit,
    the first and last transaction day, the number of transaction days, the
    mean value of the repeat transactions of positive value and their
    number, the mean value of all transactions."""

    customers: np.ndarray
    frequency: np.ndarray
    recency: np.ndarray
    T: np.ndarray
    first_day: np.ndarray
    last_day: np.ndarray
    transactions: np.ndarray
    monetary_value: np.ndarray
    monetary_count: np.ndarray
    average_value: np.ndarray


def summarize(customers, days, values, end_day, unit_days=DAYS_PER_WEEK):
    """Reduce transactions (customer, day number, value) to a
    :class:`Summary` as of ``end_day`` (transactions after it are left out;
    customers whose first one is after it are not there). Transactions of a
    customer on the same day count as one, of their summed value."""
    cust = np.asarray(customers)
    day = _array("days", days)
    value = _array("values", values)
    keep = day <= end_day
    cust, day, value = cust[keep], day[keep], value[keep]
    if not len(cust):
        empty = np.zeros(0)
        return Summary(np.zeros(0, cust.dtype), *([empty] * 9))
    # one row per customer and day
    (gc, gd), _weights, inverse = group_rows(cust, day)
    day_value = np.bincount(inverse, weights=value, minlength=len(gc))
    order = np.lexsort((gd, gc))
    gc, gd, day_value = gc[order], gd[order], day_value[order]
    starts = np.flatnonzero(np.r_[True, gc[1:] != gc[:-1]])
    n_days = np.diff(np.r_[starts, len(gc)])
    first = gd[starts]
    last = gd[np.r_[starts[1:], len(gc)] - 1]
    is_first = np.zeros(len(gc), bool)
    is_first[starts] = True
    repeat_positive = (~is_first) & (day_value > 0)
    owner = np.repeat(np.arange(len(starts)), n_days)
    m_count = np.bincount(owner, weights=repeat_positive, minlength=len(starts))
    m_sum = np.bincount(
        owner, weights=np.where(repeat_positive, day_value, 0.0), minlength=len(starts)
    )
    all_sum = np.bincount(owner, weights=day_value, minlength=len(starts))
    with np.errstate(invalid="ignore", divide="ignore"):
        monetary = np.where(m_count > 0, m_sum / np.maximum(m_count, 1), 0.0)
    return Summary(
        customers=gc[starts],
        frequency=(n_days - 1).astype(float),
        recency=(last - first) / unit_days,
        T=(end_day - first) / unit_days,
        first_day=first,
        last_day=last,
        transactions=n_days.astype(float),
        monetary_value=monetary,
        monetary_count=m_count,
        average_value=all_sum / n_days,
    )


def holdout_counts(customers, days, calibration_end, holdout_end, of_customers):
    """The number of transaction days of each of ``of_customers`` in
    (calibration_end, holdout_end]."""
    cust = np.asarray(customers)
    day = _array("days", days)
    keep = (day > calibration_end) & (day <= holdout_end)
    pairs = np.unique(np.column_stack([cust[keep], day[keep]]), axis=0)
    ids, counts = np.unique(pairs[:, 0], return_counts=True) if len(pairs) else ([], [])
    lookup = dict(
        zip(np.asarray(ids).tolist(), np.asarray(counts).tolist(), strict=True)
    )
    return np.array(
        [lookup.get(c, 0) for c in np.asarray(of_customers).tolist()], float
    )


def holdout_report(params, frequency, recency, T, holdout_frequency, duration, top=7):
    """Fader and Hardie's check of a fit: customers grouped by their number
    of repeat transactions in the calibration period (0, 1, ... ``top``+),
    the actual and the predicted mean number of transactions in the holdout
    period of length ``duration``. Returns {"groups": [{"group", "customers",
    "actual", "predicted"}], "actual_total", "predicted_total", "mae",
    "error"} where ``mae`` is the mean absolute error per customer and
    ``error`` the relative error of the total."""
    x, tx, age = check_rft(frequency, recency, T)
    actual = _array("holdout_frequency", holdout_frequency)
    predicted = expected_purchases(params, duration, x, tx, age)
    groups = []
    bucket = np.minimum(x, top).astype(int)
    for g in range(top + 1):
        mask = bucket == g
        if not mask.any():
            continue
        groups.append(
            {
                "group": f"{g}+" if g == top else str(g),
                "customers": int(mask.sum()),
                "actual": float(actual[mask].mean()),
                "predicted": float(predicted[mask].mean()),
            }
        )
    actual_total = float(actual.sum())
    predicted_total = float(predicted.sum())
    return {
        "groups": groups,
        "actual_total": actual_total,
        "predicted_total": predicted_total,
        "mae": float(np.abs(actual - predicted).mean()) if len(x) else 0.0,
        "error": (predicted_total - actual_total) / actual_total
        if actual_total
        else None,
    }
