# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the customer models of ``clv`` share: the model names and bounds,
the project's error of a fit that the data cannot support, the parameter
records, the checks of the inputs, the grouping of identical customers and
the optimiser. Pure numpy and scipy: no Odoo."""

import dataclasses

import numpy as np
from scipy import optimize

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
