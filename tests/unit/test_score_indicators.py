# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The predictive indicators' maths: which customers count, the sums per
grouping set and the rules from measures to values (no Odoo)."""

import datetime
import math

import numpy as np
import pytest

from conftest import load_pure_module

si = load_pure_module("crm_bsc_scorecard", "tools/score_indicators.py")

NAN = float("nan")
WINDOW = 365

# six customers as _score_as_of returns them; segment 7 and 8, channel 3
# and 4, salesperson 5 (0: none), team 9 (0: none)
SCORES = {
    "customer": np.array([11, 12, 13, 14, 15, 16]),
    "segment_id": np.array([7, 7, 8, 0, 7, 8]),
    "channel_id": np.array([3, 4, 3, 3, 0, 4]),
    "user_id": np.array([5, 0, 5, 0, 5, 5]),
    "team_id": np.array([9, 9, 0, 9, 9, 9]),
    "active": np.array([True, True, False, True, True, True]),
    "recency_days": np.array([10, 200, 364, 30, 365, 400]),
    "churn": np.array([0.1, 0.8, 0.75, 0.3, 0.9, 0.95]),
    "clv": np.array([100.0, 20.0, 30.0, 50.0, 5.0, 1.0]),
    "expected_90d": np.array([1.5, 0.1, 0.2, 0.5, 0.05, 0.01]),
    "risk_band": np.array(["low", "high", "high", "low", "high", "high"], dtype=object),
}
# counted: 11, 12, 13, 14 (15 and 16: 365 and 400 days since the last
# transaction, outside the window); at risk: 12 (no salesperson), 13


def measures_of(scores=SCORES, window=WINDOW):
    return si.customer_measures(scores, window)


def test_as_of_is_the_period_end_or_today():
    end = datetime.date(2026, 11, 30)
    assert si.as_of(end, datetime.date(2026, 12, 3)) == end
    assert si.as_of(end, datetime.date(2026, 11, 15)) == datetime.date(2026, 11, 15)
    assert si.as_of(end, None) == end


def test_customers_counted_are_those_active_in_the_window():
    dims, measures = measures_of()
    assert dims["segment_id"].tolist() == [7, 7, 8, 0]
    assert measures["customer_count"].tolist() == [1, 1, 1, 1]
    assert measures["at_risk_count"].tolist() == [0, 1, 1, 0]
    assert measures["unassigned_count"].tolist() == [0, 1, 0, 0]
    assert measures["churn_sum"].tolist() == [0.1, 0.8, 0.75, 0.3]


def test_totals_and_segments():
    dims, measures = measures_of()
    table = si.aggregate(1, dims, measures, [(), ("seg",)])
    assert set(table) == {
        (1, None, None, None, None),
        (1, 7, None, None, None),
        (1, 8, None, None, None),
    }
    total = table[(1, None, None, None, None)]
    assert total["customer_count"] == 4
    assert total["scored_count"] == 4
    assert total["at_risk_count"] == 2
    assert total["unassigned_count"] == 1
    assert total["churn_sum"] == pytest.approx(1.95)
    assert total["clv_sum"] == pytest.approx(200.0)
    assert total["expected_90d_sum"] == pytest.approx(2.3)
    seg7 = table[(1, 7, None, None, None)]
    assert seg7["customer_count"] == 2
    assert seg7["clv_sum"] == pytest.approx(120.0)
    assert table[(1, 8, None, None, None)]["at_risk_count"] == 1


def test_breakdowns_partition_the_customers():
    dims, measures = measures_of()
    sets = [
        (),
        ("seg",),
        ("ch",),
        ("seg", "ch"),
        ("u",),
        ("seg", "u"),
        ("t",),
        ("seg", "t"),
    ]
    table = si.aggregate(2, dims, measures, sets)
    assert table[(2, None, 3, None, None)]["customer_count"] == 3
    assert table[(2, None, 4, None, None)]["customer_count"] == 1
    assert table[(2, 7, 3, None, None)]["clv_sum"] == pytest.approx(100.0)
    # salesperson 5: customers 11 and 13; nobody's customers have no key
    assert table[(2, None, None, 5, None)]["customer_count"] == 2
    assert table[(2, None, None, 5, None)]["unassigned_count"] == 0
    assert (2, None, None, 0, None) not in table
    assert table[(2, None, None, None, 9)]["unassigned_count"] == 1
    assert table[(2, None, None, None, 9)]["customer_count"] == 3
    # the channels add up to the total (every counted customer has one)
    assert sum(
        values["clv_sum"]
        for key, values in table.items()
        if key[1] is None and key[2] is not None
    ) == pytest.approx(table[(2, None, None, None, None)]["clv_sum"])


def test_combined_grouping_sets():
    dims, measures = measures_of()
    table = si.aggregate(3, dims, measures, [("ch", "u"), ("seg", "ch", "t")])
    assert table[(3, None, 3, 5, None)]["customer_count"] == 2
    assert table[(3, 7, 4, None, 9)]["at_risk_count"] == 1
    assert (3, None, None, None, None) not in table


def test_only_the_segments_asked_for():
    dims, measures = measures_of()
    table = si.aggregate(1, dims, measures, [(), ("seg",)], segment_ids=[8])
    assert set(table) == {(1, 8, None, None, None)}
    table = si.aggregate(1, dims, measures, [(), ("seg",)], segment_ids=[None])
    assert set(table) == {(1, None, None, None, None)}


def test_unscored_customers_count_but_have_no_value():
    scores = dict(SCORES)
    for name in ("churn", "clv", "expected_90d"):
        scores[name] = SCORES[name].copy()
        scores[name][3] = NAN  # customer 14, unsegmented, has no model
    scores["risk_band"] = SCORES["risk_band"].copy()
    scores["risk_band"][3] = None
    dims, measures = measures_of(scores)
    table = si.aggregate(1, dims, measures, [(), ("seg",)])
    total = table[(1, None, None, None, None)]
    assert (total["customer_count"], total["scored_count"]) == (4, 3)
    for values in table.values():
        assert all(math.isfinite(v) for v in values.values())
    assert si.predicted_clv(total) == (None, si.NOT_SCORED)
    assert si.avg_churn_propensity(total) == (None, si.NOT_SCORED)
    assert si.customers_at_risk(total) == (None, si.NOT_SCORED)
    # segment 7 is fully scored
    seg7 = table[(1, 7, None, None, None)]
    assert si.customers_at_risk(seg7) == (1.0, None)
    assert si.avg_churn_propensity(seg7)[0] == pytest.approx(45.0)


def test_rules():
    m = {
        "customer_count": 4.0,
        "scored_count": 4.0,
        "churn_sum": 1.95,
        "at_risk_count": 2.0,
        "unassigned_count": 1.0,
        "clv_sum": 200.0,
        "expected_90d_sum": 2.3,
    }
    assert si.avg_churn_propensity(m)[0] == pytest.approx(48.75)
    assert si.customers_at_risk(m) == (2.0, None)
    assert si.customers_at_risk_share(m) == (50.0, None)
    assert si.customers_at_risk_unassigned(m) == (1.0, None)
    assert si.predicted_clv(m) == (200.0, None)
    assert si.expected_purchases_90d(m) == (2.3, None)


def test_a_key_without_customers():
    zero = dict.fromkeys(si.MEASURES, 0.0)
    assert si.customers_at_risk(zero) == (0.0, None)
    assert si.customers_at_risk_unassigned(zero) == (0.0, None)
    assert si.predicted_clv(zero) == (0.0, None)
    assert si.expected_purchases_90d(zero) == (0.0, None)
    assert si.avg_churn_propensity(zero) == (None, si.NO_BASE)
    assert si.customers_at_risk_share(zero) == (None, si.NO_BASE)


def test_no_customers_at_all():
    empty = {name: np.zeros(0) for name in SCORES}
    empty["risk_band"] = np.zeros(0, dtype=object)
    dims, measures = measures_of(empty)
    assert si.aggregate(1, dims, measures, [(), ("seg",), ("ch",)]) == {}


def test_a_window_must_be_positive():
    with pytest.raises(ValueError, match="window"):
        measures_of(window=0)
