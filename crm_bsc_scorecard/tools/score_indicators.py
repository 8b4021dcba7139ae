# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The scorecard's predictive indicators, from the customers scored as of
the last day of each period (customer analytics, issue 13). Pure numpy: no
Odoo.

Definitions (the contract of the ``customer_scores`` family):

- *as of*: a period's customers are scored as of its last day, or as of
  today for the running period (a later day would age every customer by
  days that have not happened), from their transactions up to then, with
  the parameters of the fitted models in force when the value is computed.
- *customers counted*: the customers active on that day, as the
  ``active_customers`` built-in counts them: a transaction in the activity
  window (W days) ending on that day, i.e. fewer than W days since the
  last one. Archived partners count, as they do there, so that archiving a
  partner today does not rewrite the history.
- *dimensions*: one per customer, those of its score: its current segment;
  the channel and the sales team of its last transaction up to that day;
  its salesperson, else the salesperson of its last transaction. So the
  values of the channels (or salespeople, or teams) add up to the total,
  minus the customers without one.
- *scored*: a customer is scored when a fitted model (its segment's or
  the company's) gives it a churn propensity; a value covers every counted
  customer of its key, so a key with a counted customer that is not scored
  has no value (never a partial sum, never NaN or infinity).
- *at risk*: in the high risk band (churn propensity at or above the
  company's high threshold); *unassigned*: at risk with no salesperson,
  the customers the follow-up activities cannot reach.

Measures per key: ``customer_count``, ``scored_count``, ``churn_sum``,
``at_risk_count``, ``unassigned_count``, ``clv_sum``, ``expected_90d_sum``.
"""

import numpy as np

from .results import NO_BASE, NO_SOURCE, NoData

MEASURES = (
    "customer_count",
    "scored_count",
    "churn_sum",
    "at_risk_count",
    "unassigned_count",
    "clv_sum",
    "expected_90d_sum",
)

# the dimensions of a key in the engine's grouping sets, and the arrays of
# a scoring (crm.customer.score._score_as_of) that hold them
DIMENSION_ARRAYS = {
    "seg": "segment_id",
    "ch": "channel_id",
    "u": "user_id",
    "t": "team_id",
}
KEY_DIMENSIONS = ("seg", "ch", "u", "t")
# the risk band of the customers at risk: rfm.RISK_HIGH (not imported: the
# specs of tools/builtins.py import this module, and rfm needs scipy)
AT_RISK_BAND = "high"


def as_of(period_end, today=None):
    """The day a period's customers are scored as of: its last day, or
    today when the period has not ended."""
    if today is not None and today < period_end:
        return today
    return period_end


def customer_measures(scores, window_days):
    """(dimensions, measures) of the customers counted in a scoring:
    ``scores`` is what ``crm.customer.score._score_as_of`` returns (arrays,
    one entry per customer); ``dimensions`` maps "segment_id",
    "channel_id", "user_id", "team_id" to int arrays (0: none) and
    ``measures`` each name of MEASURES to a float array, both for the
    customers active on the scoring day only. Every number is finite."""
    if window_days <= 0:
        raise ValueError(f"the activity window must be positive, got {window_days!r}")
    recency = np.asarray(scores["recency_days"], dtype=float)
    active = recency < window_days
    churn = np.asarray(scores["churn"], dtype=float)[active]
    clv_value = np.asarray(scores["clv"], dtype=float)[active]
    expected = np.asarray(scores["expected_90d"], dtype=float)[active]
    bands = np.asarray(scores["risk_band"], dtype=object)[active]
    dims = {
        name: np.asarray(scores[name], dtype=np.int64)[active]
        for name in DIMENSION_ARRAYS.values()
    }
    scored = np.isfinite(churn) & np.isfinite(clv_value) & np.isfinite(expected)
    at_risk = scored & (bands == AT_RISK_BAND)
    measures = {
        "customer_count": np.ones(len(churn)),
        "scored_count": scored.astype(float),
        "churn_sum": np.where(scored, churn, 0.0),
        "at_risk_count": at_risk.astype(float),
        "unassigned_count": (at_risk & (dims["user_id"] == 0)).astype(float),
        "clv_sum": np.where(scored, clv_value, 0.0),
        "expected_90d_sum": np.where(scored, expected, 0.0),
    }
    return dims, measures


def aggregate(period_id, dims, measures, grouping_sets, segment_ids=None):
    """{(period id, segment, channel, user, team): {measure: float}} (the
    engine's keys, as plain tuples: see tools/results.py): the
    measures of one period summed per grouping set (tuples of "seg", "ch",
    "u", "t"; a dimension not in the set is None, "all"). A customer
    without the grouped dimension (0: no segment, say) has no key of its
    own there; it still counts in "all". With ``segment_ids`` (None in it:
    all customers), only those segments' keys. Keys without a customer are
    left out: the indicator's rule says what they give."""
    names = MEASURES
    count = len(measures["customer_count"])
    matrix = (
        np.column_stack([np.asarray(measures[name], dtype=float) for name in names])
        if count
        else np.zeros((0, len(names)))
    )
    wanted_segments = None if segment_ids is None else set(segment_ids)
    table = {}
    for grouping in grouping_sets:
        if wanted_segments is not None:
            if "seg" not in grouping and None not in wanted_segments:
                continue
            if "seg" in grouping and not wanted_segments - {None}:
                continue
        keep = np.ones(count, dtype=bool)
        for name in grouping:
            keep &= dims[DIMENSION_ARRAYS[name]] != 0
        if "seg" in grouping and wanted_segments is not None:
            keep &= np.isin(
                dims["segment_id"],
                np.array(sorted(wanted_segments - {None}), dtype=np.int64),
            )
        if not keep.any():
            continue
        rows = matrix[keep]
        if not grouping:
            groups = [((), rows.sum(axis=0))]
        else:
            columns = np.column_stack(
                [dims[DIMENSION_ARRAYS[name]][keep] for name in grouping]
            )
            if columns.shape[1] == 1:
                uniques, inverse = np.unique(columns[:, 0], return_inverse=True)
                uniques = uniques.reshape(-1, 1)
            else:
                uniques, inverse = np.unique(columns, axis=0, return_inverse=True)
            inverse = inverse.reshape(-1)
            sums = np.column_stack(
                [
                    np.bincount(inverse, weights=rows[:, j], minlength=len(uniques))
                    for j in range(len(names))
                ]
            )
            groups = zip(
                (tuple(int(v) for v in unique) for unique in uniques),
                sums,
                strict=True,
            )
        for values, sums in groups:
            by_name = dict(zip(grouping, values, strict=True))
            key = (period_id,) + tuple(by_name.get(name) for name in KEY_DIMENSIONS)
            table[key] = {
                name: float(total) for name, total in zip(names, sums, strict=True)
            }
    return table


# ----------------------------------------------------------------------
# From the measures of a key to the value of each indicator
# ----------------------------------------------------------------------

# a key with a counted customer that no fitted model scores
NOT_SCORED = NoData(NO_SOURCE, "customers without a fitted model to score them")


def _covered(m, value):
    """``value`` when every counted customer of the key is scored."""
    if m["scored_count"] < m["customer_count"]:
        return None, NOT_SCORED
    return value, None


def _per_scored(m, total, scale=1.0):
    if not m["customer_count"]:
        return None, NO_BASE
    if m["scored_count"] < m["customer_count"]:
        return None, NOT_SCORED
    return scale * total / m["scored_count"], None


def avg_churn_propensity(m):
    """Mean churn propensity of the counted customers, in percent."""
    return _per_scored(m, m["churn_sum"], 100.0)


def customers_at_risk(m):
    return _covered(m, m["at_risk_count"])


def customers_at_risk_share(m):
    """Customers at risk, in percent of the counted customers."""
    return _per_scored(m, m["at_risk_count"], 100.0)


def customers_at_risk_unassigned(m):
    return _covered(m, m["unassigned_count"])


def predicted_clv(m):
    return _covered(m, m["clv_sum"])


def expected_purchases_90d(m):
    return _covered(m, m["expected_90d_sum"])
