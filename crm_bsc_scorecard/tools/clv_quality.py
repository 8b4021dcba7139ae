# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The quality of a fit as Fader and Hardie show it: the customers'
summary (x, t_x, T, monetary value) from their transactions, the holdout
counts and the report per frequency group of a calibration and holdout
check. Pure numpy: no Odoo."""

import dataclasses

import numpy as np

from .clv_base import DAYS_PER_WEEK, _array, check_rft, group_rows
from .clv_bgnbd import expected_purchases

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
