"""The customer-base models of tools/clv.py and the scores of tools/rfm.py:
pinned to the published estimates on the CDNOW sample, to values computed
by hand, on degenerate inputs, and by properties over random inputs."""

import csv
import dataclasses
import datetime
import math
import pathlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import special

from conftest import load_pure_module

clv = load_pure_module("crm_bsc_scorecard", "tools/clv.py")
# the closed forms and quadratures behind expected_purchases
clv_bgnbd = load_pure_module("crm_bsc_scorecard", "tools/clv_bgnbd.py")
rfm = load_pure_module("crm_bsc_scorecard", "tools/rfm.py")

DATA = pathlib.Path(__file__).parent / "data" / "cdnow_sample.csv"
START = datetime.date(1997, 1, 1)
CALIBRATION_END = (datetime.date(1997, 9, 30) - START).days  # 39 weeks
HOLDOUT_END = (datetime.date(1998, 6, 30) - START).days  # 39 weeks more


def _cdnow():
    """The CDNOW sample (2,357 customers who first bought in the first
    quarter of 1997; 6,919 transactions to mid-1998) as (customer, day
    number since 1997-01-01, dollar value) arrays."""
    customers, days, values = [], [], []
    with DATA.open(newline="") as handle:
        for row in csv.DictReader(handle):
            stamp = row["date"]
            day = datetime.date(int(stamp[:4]), int(stamp[4:6]), int(stamp[6:]))
            customers.append(int(row["customer"]))
            days.append((day - START).days)
            values.append(float(row["amount"]))
    return np.array(customers), np.array(days, float), np.array(values)


CDNOW = _cdnow()


@pytest.fixture(scope="module")
def cdnow():
    return clv.summarize(*CDNOW, CALIBRATION_END)


@pytest.fixture(scope="module")
def bg(cdnow):
    return clv.fit_bgnbd(cdnow.frequency, cdnow.recency, cdnow.T, model="bgnbd")


@pytest.fixture(scope="module")
def mbg(cdnow):
    return clv.fit_bgnbd(cdnow.frequency, cdnow.recency, cdnow.T, model="mbgnbd")


# --- the data, as the papers describe it ------------------------------------


def test_cdnow_summary_matches_the_papers(cdnow):
    # Fader, Hardie and Lee (2005): 2,357 customers, 1,411 of whom made no
    # repeat purchase in the 39 calibration weeks, 2,457 repeat purchases
    assert len(cdnow.customers) == 2357
    assert int((cdnow.frequency == 0).sum()) == 1411
    assert int(cdnow.frequency.sum()) == 2457
    assert cdnow.T.max() == pytest.approx(38.857, abs=1e-3)
    # customer 1: x = 2, t_x = 30.43, T = 38.86, mean repeat spend 22.35
    first = int(np.flatnonzero(cdnow.customers == 1)[0])
    assert cdnow.frequency[first] == 2
    assert cdnow.recency[first] == pytest.approx(30.43, abs=0.005)
    assert cdnow.T[first] == pytest.approx(38.86, abs=0.005)
    assert cdnow.monetary_value[first] == pytest.approx((29.73 + 14.96) / 2)


def test_same_day_transactions_count_once():
    summary = clv.summarize([1, 1, 1, 2], [0, 0, 14, 7], [10, 5, 30, 8], 28)
    assert summary.customers.tolist() == [1, 2]
    assert summary.frequency.tolist() == [1, 0]
    assert summary.transactions.tolist() == [2, 1]
    assert summary.recency.tolist() == [2.0, 0.0]
    assert summary.T.tolist() == [4.0, 3.0]
    assert summary.monetary_value.tolist() == [30.0, 0.0]
    assert summary.average_value.tolist() == [22.5, 8.0]


def test_summary_as_of_a_date_leaves_later_transactions_out():
    summary = clv.summarize([1, 1, 2], [0, 21, 30], [10, 20, 5], 14)
    assert summary.customers.tolist() == [1]
    assert summary.frequency.tolist() == [0]
    assert summary.T.tolist() == [2.0]


def test_zero_value_transactions_are_left_out_of_the_spend():
    summary = clv.summarize([1, 1, 1], [0, 7, 14], [10, 0, 30], 14)
    assert summary.frequency.tolist() == [2]
    assert summary.monetary_count.tolist() == [1]
    assert summary.monetary_value.tolist() == [30.0]


# --- the published estimates ------------------------------------------------


def test_bgnbd_published_estimates(bg):
    # Fader, Hardie and Lee (2005), "Counting your customers the easy way",
    # CDNOW sample: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426,
    # LL = -9582.4
    assert bg.model == "bgnbd"
    assert bg.r == pytest.approx(0.243, abs=5e-4)
    assert bg.alpha == pytest.approx(4.414, abs=5e-4)
    assert bg.a == pytest.approx(0.793, abs=5e-4)
    assert bg.b == pytest.approx(2.426, abs=5e-4)
    assert bg.log_likelihood == pytest.approx(-9582.4, abs=0.05)
    assert bg.customers == 2357
    assert bg.repeat_customers == 946


def test_mbgnbd_published_estimates(mbg):
    # MBG/NBD on the CDNOW sample as the R package BTYDplus estimates it
    # (the figures the lifetimes package tests against): r = 0.525,
    # alpha = 6.183, a = 0.891, b = 1.614
    assert mbg.r == pytest.approx(0.525, abs=5e-4)
    assert mbg.alpha == pytest.approx(6.183, abs=5e-4)
    assert mbg.a == pytest.approx(0.891, abs=5e-4)
    assert mbg.b == pytest.approx(1.614, abs=5e-4)
    # MBG/NBD fits these data about as well as BG/NBD
    assert mbg.log_likelihood == pytest.approx(-9582.1, abs=0.05)


def test_gamma_gamma_published_estimates(cdnow):
    # Fader, Hardie and Lee (2005), "RFM and CLV", and Fader and Hardie
    # (2013), "The Gamma-Gamma model of monetary value": p = 6.25,
    # q = 3.74, gamma = 15.44 on the 946 repeat customers
    gg = clv.fit_gamma_gamma(cdnow.monetary_count, cdnow.monetary_value)
    assert gg.customers == 946
    assert gg.p == pytest.approx(6.25, abs=0.005)
    assert gg.q == pytest.approx(3.74, abs=0.005)
    assert gg.v == pytest.approx(15.44, abs=0.01)
    assert gg.log_likelihood == pytest.approx(
        clv.gg_log_likelihood(gg, cdnow.monetary_count, cdnow.monetary_value)
    )


def test_published_conditional_expectation(bg):
    # Fader, Hardie and Lee (2005): a customer with x = 2, t_x = 30.43 and
    # T = 38.86 is expected to make 1.226 purchases in the next 39 weeks
    expected = clv.expected_purchases(bg, 39, [2], [30.43], [38.86])
    assert expected[0] == pytest.approx(1.226, abs=5e-4)


def test_log_likelihood_is_the_maximum(bg, cdnow):
    at = clv.bg_log_likelihood(bg, cdnow.frequency, cdnow.recency, cdnow.T)
    assert at == pytest.approx(bg.log_likelihood, abs=1e-6)
    for name in ("r", "alpha", "a", "b"):
        moved = dataclasses.replace(bg, **{name: getattr(bg, name) * 1.01})
        assert (
            clv.bg_log_likelihood(moved, cdnow.frequency, cdnow.recency, cdnow.T) < at
        )


# --- values by hand ---------------------------------------------------------

HAND = [
    (0, 0.0, 38.86),
    (2, 30.43, 38.86),
    (7, 35.0, 38.86),
    (1, 2.0, 38.86),
    (3, 5.0, 20.0),
]


def _hand_p_alive(model, r, alpha, a, b, x, tx, T):
    if model == "bgnbd":
        if x == 0:
            return 1.0
        return 1.0 / (1.0 + a / (b + x - 1) * ((alpha + T) / (alpha + tx)) ** (r + x))
    return 1.0 / (1.0 + a / (b + x) * ((alpha + T) / (alpha + tx)) ** (r + x))


def _hand_expected(model, r, alpha, a, b, t, x, tx, T):
    """Equation (10) of Fader, Hardie and Lee (2005) and its MBG/NBD
    counterpart (Batislam et al. 2007), term by term."""
    if model == "bgnbd":
        head = (a + b + x - 1) / (a - 1)
        hyp = special.hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t))
    else:
        head = (a + b + x) / (a - 1)
        hyp = special.hyp2f1(r + x, b + x + 1, a + b + x, t / (alpha + T + t))
    body = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp
    return head * body * _hand_p_alive(model, r, alpha, a, b, x, tx, T)


@pytest.mark.parametrize("model", ["bgnbd", "mbgnbd"])
def test_p_alive_and_expected_purchases_by_hand(model):
    params = clv.BgParams(model, r=0.243, alpha=4.414, a=0.793, b=2.426)
    x, tx, T = (np.array(column, float) for column in zip(*HAND, strict=True))
    alive = clv.p_alive(params, x, tx, T)
    expected = clv.expected_purchases(params, 39, x, tx, T)
    for i, (xi, txi, Ti) in enumerate(HAND):
        args = (model, 0.243, 4.414, 0.793, 2.426)
        assert alive[i] == pytest.approx(_hand_p_alive(*args, xi, txi, Ti), rel=1e-12)
        assert expected[i] == pytest.approx(
            _hand_expected(*args, 39, xi, txi, Ti), rel=1e-9
        )


def test_bgnbd_one_time_buyers_are_always_alive_mbgnbd_not(bg, mbg):
    assert clv.p_alive(bg, [0, 0], [0, 0], [1, 100]).tolist() == [1.0, 1.0]
    alive = clv.p_alive(mbg, [0, 0], [0, 0], [1, 100])
    assert 0 < alive[1] < alive[0] < 1


def test_a_customer_silent_longer_is_less_alive(mbg):
    alive = clv.p_alive(mbg, [3, 3, 3], [10, 10, 10], [12, 30, 90])
    assert alive[0] > alive[1] > alive[2]


def test_closed_form_agrees_with_numerical_integration(bg, mbg):
    for params in (bg, mbg):
        for x, T, t in [
            (0, 38.86, 39.0),
            (2, 38.86, 12.0),
            (7, 38.86, 52.0),
            (40, 200.0, 52.0),
        ]:
            closed = clv_bgnbd._expected_alive(
                params, np.array([t]), np.array([float(x)]), np.array([T])
            )
            numeric = clv_bgnbd._expected_alive_quad(params, t, float(x), T)
            assert closed[0] == pytest.approx(numeric, rel=1e-7)


def test_a_equal_to_one_is_the_limit():
    near = clv.BgParams("bgnbd", 0.5, 5.0, 1.0 + 1e-4, 2.0)
    at = clv.BgParams("bgnbd", 0.5, 5.0, 1.0, 2.0)
    x, tx, T = [2.0, 0.0], [10.0, 0.0], [20.0, 20.0]
    assert clv.expected_purchases(at, 10, x, tx, T) == pytest.approx(
        clv.expected_purchases(near, 10, x, tx, T), rel=1e-3
    )


def test_expected_average_value_by_hand():
    gg = clv.GgParams(p=6.25, q=3.74, v=15.44)
    values = clv.expected_average_value(gg, [0, 2, 10], [0.0, 22.35, 40.0])
    assert values[0] == pytest.approx(6.25 * 15.44 / 2.74)
    assert values[1] == pytest.approx(6.25 * (15.44 + 2 * 22.35) / (6.25 * 2 + 2.74))
    assert values[2] == pytest.approx(6.25 * (15.44 + 400) / (62.5 + 2.74))
    # more transactions: nearer the customer's own mean
    assert abs(values[2] - 40) < abs(
        clv.expected_average_value(gg, [1], [40.0])[0] - 40
    )


def test_lifetime_value_by_hand(bg):
    # one month, no discount: the expected purchases in a month times value
    month = 365.25 / 12 / 7
    value = clv.customer_lifetime_value(
        bg, [2], [30.43], [38.86], [20.0], months=1, monthly_discount=0
    )
    assert value[0] == pytest.approx(
        20 * clv.expected_purchases(bg, month, [2], [30.43], [38.86])[0]
    )
    # two months at 1 %: the second month's purchases discounted twice
    two = clv.customer_lifetime_value(
        bg, [2], [30.43], [38.86], [20.0], months=2, monthly_discount=0.01
    )
    first = clv.expected_purchases(bg, month, [2], [30.43], [38.86])[0]
    both = clv.expected_purchases(bg, 2 * month, [2], [30.43], [38.86])[0]
    assert two[0] == pytest.approx(20 * (first / 1.01 + (both - first) / 1.01**2))


@pytest.mark.parametrize(("months", "discount"), [(0, 0.01), (12, -0.1), (12, 1.0)])
def test_lifetime_value_refuses_bad_settings(bg, months, discount):
    with pytest.raises(clv.FitError) as caught:
        clv.customer_lifetime_value(
            bg, [1], [1], [2], [5], months=months, monthly_discount=discount
        )
    assert caught.value.code == clv.FitError.BAD_INPUT


# --- calibration and holdout ------------------------------------------------


def test_holdout_report_on_cdnow(bg, cdnow):
    actual = clv.holdout_counts(
        CDNOW[0], CDNOW[1], CALIBRATION_END, HOLDOUT_END, cdnow.customers
    )
    # transactions in weeks 40 to 78 (same-day ones once)
    assert actual.sum() == 1882
    report = clv.holdout_report(bg, cdnow.frequency, cdnow.recency, cdnow.T, actual, 39)
    groups = {g["group"]: g for g in report["groups"]}
    assert list(groups) == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    assert sum(g["customers"] for g in groups.values()) == 2357
    assert groups["0"]["customers"] == 1411
    # the more a customer bought, the more it buys (actual and predicted)
    means = [g["predicted"] for g in report["groups"]]
    assert means == sorted(means)
    assert report["actual_total"] == 1882
    assert report["predicted_total"] == pytest.approx(1653.4, abs=0.5)
    assert report["error"] == pytest.approx((1653.4 - 1882) / 1882, abs=1e-3)
    assert 0 < report["mae"] < 1.5


# --- degenerate input -------------------------------------------------------


def test_no_repeat_customer_is_refused():
    with pytest.raises(clv.FitError) as caught:
        clv.fit_bgnbd([0, 0, 0], [0, 0, 0], [5, 6, 7])
    assert caught.value.code == clv.FitError.TOO_FEW
    assert caught.value.values == {"count": 0, "needed": 1}


def test_no_customer_is_refused():
    with pytest.raises(clv.FitError) as caught:
        clv.fit_bgnbd([], [], [])
    assert caught.value.code == clv.FitError.NO_CUSTOMERS


def test_too_few_repeat_customers_for_the_setting(cdnow):
    with pytest.raises(clv.FitError) as caught:
        clv.fit_bgnbd(
            cdnow.frequency, cdnow.recency, cdnow.T, min_repeat_customers=1000
        )
    assert caught.value.values == {"count": 946, "needed": 1000}


@pytest.mark.parametrize("model", ["bgnbd", "mbgnbd"])
def test_one_customer_or_identical_customers_fit_or_refuse(model):
    """A fit that the data cannot pin down is refused, never NaN."""
    for data in ([[3], [10.0], [20.0]], [[2] * 50, [5.0] * 50, [9.0] * 50]):
        try:
            params = clv.fit_bgnbd(*data, model=model)
        except clv.FitError as error:
            assert error.code in (clv.FitError.NOT_CONVERGED, clv.FitError.NON_FINITE)
        else:
            assert all(
                math.isfinite(v) and v > 0
                for v in (params.r, params.alpha, params.a, params.b)
            )


def test_gamma_gamma_needs_positive_repeat_spend():
    with pytest.raises(clv.FitError) as caught:
        clv.fit_gamma_gamma([0, 1, 2], [0.0, 0.0, 0.0])
    assert caught.value.code == clv.FitError.TOO_FEW
    with pytest.raises(clv.FitError) as caught:
        clv.fit_gamma_gamma([1, 2], [5.0, -1.0])
    assert caught.value.code == clv.FitError.BAD_INPUT
    assert caught.value.values["field"] == "monetary_value"


@pytest.mark.parametrize(
    ("x", "tx", "T", "field"),
    [
        ([-1], [0], [3], "frequency"),
        ([1.5], [1], [3], "frequency"),
        ([1], [4], [3], "recency"),
        ([0], [1], [3], "recency"),
        ([1], [-1], [3], "recency"),
        ([1], [float("nan")], [3], "recency"),
        ([1, 2], [1], [3], "frequency"),
    ],
)
def test_bad_input_names_the_field(x, tx, T, field):
    with pytest.raises(clv.FitError) as caught:
        clv.fit_bgnbd(x, tx, T)
    assert caught.value.code == clv.FitError.BAD_INPUT
    assert caught.value.values["field"] == field


def test_unknown_model_is_refused():
    with pytest.raises(clv.FitError):
        clv.fit_bgnbd([1], [1], [2], model="pareto")


@pytest.mark.parametrize("model", ["bgnbd", "mbgnbd"])
def test_unit_change_scales_alpha_only(cdnow, model):
    weeks = clv.fit_bgnbd(cdnow.frequency, cdnow.recency, cdnow.T, model=model)
    days = clv.fit_bgnbd(cdnow.frequency, cdnow.recency * 7, cdnow.T * 7, model=model)
    assert days.r == pytest.approx(weeks.r, rel=1e-5)
    assert days.a == pytest.approx(weeks.a, rel=1e-5)
    assert days.b == pytest.approx(weeks.b, rel=1e-5)
    assert days.alpha == pytest.approx(7 * weeks.alpha, rel=1e-5)
    # each repeat purchase's density is in "per day" instead of "per week"
    assert days.log_likelihood == pytest.approx(
        weeks.log_likelihood - cdnow.frequency.sum() * math.log(7), abs=1e-3
    )
    # and a customer's scores do not depend on the unit
    assert clv.p_alive(days, [2], [7 * 30.43], [7 * 38.86]) == pytest.approx(
        clv.p_alive(weeks, [2], [30.43], [38.86]), rel=1e-5
    )


def test_grouping_does_not_change_the_fit(cdnow):
    (gx, gtx, gT), weights, _inverse = clv.group_rows(
        cdnow.frequency, cdnow.recency, cdnow.T
    )
    assert len(gx) < len(cdnow.frequency)
    grouped = clv.fit_bgnbd(gx, gtx, gT, weights=weights, model="bgnbd")
    plain = clv.fit_bgnbd(cdnow.frequency, cdnow.recency, cdnow.T, model="bgnbd")
    assert grouped.r == pytest.approx(plain.r, rel=1e-6)
    assert grouped.log_likelihood == pytest.approx(plain.log_likelihood, abs=1e-6)


# --- properties -------------------------------------------------------------

customers = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=60),
        st.floats(min_value=0, max_value=1, allow_nan=False),
        st.floats(min_value=0.01, max_value=500, allow_nan=False),
    ),
    min_size=1,
    max_size=30,
)
positive = st.floats(min_value=0.01, max_value=50, allow_nan=False)


def _rft(rows):
    x = np.array([r[0] for r in rows], float)
    T = np.array([r[2] for r in rows], float)
    tx = np.where(x > 0, np.array([r[1] for r in rows]) * T, 0.0)
    return x, tx, T


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    customers,
    positive,
    positive,
    positive,
    positive,
    st.sampled_from(["bgnbd", "mbgnbd"]),
    st.floats(min_value=0, max_value=200, allow_nan=False),
)
def test_scores_are_probabilities_and_non_negative(rows, r, alpha, a, b, model, t):
    params = clv.BgParams(model, r, alpha, a, b)
    x, tx, T = _rft(rows)
    alive = clv.p_alive(params, x, tx, T)
    expected = clv.expected_purchases(params, t, x, tx, T)
    assert np.isfinite(alive).all() and ((alive >= 0) & (alive <= 1)).all()
    assert np.isfinite(expected).all() and (expected >= 0).all()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(customers, st.sampled_from(["bgnbd", "mbgnbd"]))
def test_a_fit_is_finite_or_refused(rows, model):
    x, tx, T = _rft(rows)
    try:
        params = clv.fit_bgnbd(x, tx, T, model=model)
    except clv.FitError as error:
        assert error.code in (
            clv.FitError.TOO_FEW,
            clv.FitError.NOT_CONVERGED,
            clv.FitError.NON_FINITE,
        )
        return
    values = np.array([params.r, params.alpha, params.a, params.b])
    assert np.isfinite(values).all() and (values > 0).all()
    assert math.isfinite(params.log_likelihood)
    assert np.isfinite(clv.expected_purchases(params, 13, x, tx, T)).all()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 30), st.floats(0, 1000, allow_nan=False)),
        min_size=1,
        max_size=30,
    )
)
def test_a_spend_fit_is_finite_or_refused(rows):
    x = [r[0] for r in rows]
    m = [r[1] if r[0] else 0.0 for r in rows]
    try:
        gg = clv.fit_gamma_gamma(x, m)
    except clv.FitError as error:
        assert error.code in (
            clv.FitError.TOO_FEW,
            clv.FitError.NOT_CONVERGED,
            clv.FitError.NON_FINITE,
            clv.FitError.NO_MEAN,
        )
        return
    values = clv.expected_average_value(gg, x, m)
    assert np.isfinite(values).all() and (values >= 0).all()


# --- RFM, bands and stages (tools/rfm.py) ------------------------------------


def test_quintiles():
    assert rfm.quintiles(range(10)).tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert rfm.quintiles([7]).tolist() == [3]
    assert rfm.quintiles([4, 4, 4]).tolist() == [3, 3, 3]
    assert rfm.quintiles([1, 1, 9, 9]).tolist() == [2, 2, 4, 4]


@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=60))
def test_quintiles_keep_the_order(values):
    scores = rfm.quintiles(values)
    assert ((scores >= 1) & (scores <= 5)).all()
    order = np.argsort(values, kind="stable")
    assert (np.diff(scores[order]) >= 0).all()


def test_rfm_codes():
    r, f, m, codes = rfm.rfm_scores(
        [1, 400, 30, 90, 10], [9, 1, 3, 2, 5], [50, 10, 20, 30, 40]
    )
    assert r.tolist() == [5, 1, 3, 2, 4]
    assert f.tolist() == [5, 1, 3, 2, 4]
    assert m.tolist() == [5, 1, 2, 3, 4]
    assert codes.tolist() == ["555", "111", "332", "223", "444"]


def test_risk_bands_and_thresholds():
    bands = rfm.risk_bands([0.1, 0.4, 0.69, 0.7, float("nan")], 0.4, 0.7)
    assert bands.tolist() == ["low", "medium", "medium", "high", None]
    for medium, high in [(0.7, 0.4), (0, 0.5), (0.5, 1), (0.5, 0.5)]:
        with pytest.raises(ValueError):
            rfm.check_thresholds(medium, high)


def test_lifecycle_stages():
    stages = rfm.lifecycle_stages(
        first_age_days=[10, 400, 400, 400, 400, 30],
        recency_days=[10, 20, 20, 200, 380, 400],
        bands=["high", "low", "high", "low", "high", None],
        window_days=365,
    )
    assert stages.tolist() == ["new", "active", "at_risk", "lapsed", "lost", "new"]


def test_score_with_and_without_a_model(mbg):
    summary = clv.summarize(
        [1, 1, 1, 2, 3], [0, 30, 60, 10, 200], [10, 20, 30, 5, 0], 300
    )
    without = rfm.score(summary, 300)
    assert np.isnan(without["p_alive"]).all()
    assert without["risk_band"].tolist() == [None, None, None]
    # R from 240, 290, 100 days; F from 3, 1, 1 days; M from 20, 5, 0
    assert without["rfm_code"].tolist() == ["355", "123", "521"]
    gg = clv.GgParams(6.25, 3.74, 15.44)
    scores = rfm.score(summary, 300, mbg, gg, rfm.Settings(window_days=365))
    assert ((scores["p_alive"] >= 0) & (scores["p_alive"] <= 1)).all()
    assert np.allclose(scores["churn"], 1 - scores["p_alive"])
    assert (scores["expected_90d"] >= 0).all() and (scores["clv"] >= 0).all()
    assert scores["recency_days"].tolist() == [240, 290, 100]
    # a buyer of three silent for eight months is the least likely alive;
    # the one-time buyer of little, silent the longest, is worth least
    assert scores["p_alive"][0] == scores["p_alive"].min()
    assert scores["clv"][1] == scores["clv"].min()


@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=60))
def test_bounds_score_the_population_as_its_quintiles(values):
    scores = rfm.quintiles(values)
    bounds = rfm.quintile_bounds(values, scores)
    assert rfm.apply_bounds(values, bounds).tolist() == scores.tolist()


def test_bounds_score_newcomers_between_and_beyond():
    values = list(range(10))
    bounds = rfm.quintile_bounds(values, rfm.quintiles(values))
    assert rfm.apply_bounds([-5, 2.5, 100], bounds).tolist() == [1, 2, 5]
    assert rfm.apply_bounds([1.0], []).tolist() == [3]


def test_score_against_bounds_matches_full_scoring():
    summary = clv.summarize(
        [1, 1, 2, 3, 3, 3], [0, 30, 10, 5, 50, 90], [10, 20, 5, 8, 9, 7], 120
    )
    full = rfm.score(summary, 120)
    recency = 120 - summary.last_day
    bounds = rfm.rfm_bounds(
        recency,
        summary.transactions,
        summary.average_value,
        (full["rfm_r"], full["rfm_f"], full["rfm_m"]),
    )
    again = rfm.score(summary, 120, bounds=bounds)
    assert again["rfm_code"].tolist() == full["rfm_code"].tolist()


def test_score_with_bounds_of_a_larger_population():
    """Rescoring a few customers ranks them against the full population's
    bounds, not among themselves."""
    summary = clv.summarize(
        list(range(10)), list(range(10)), [10 * (i + 1) for i in range(10)], 20
    )
    full = rfm.score(summary, 20)
    bounds = rfm.rfm_bounds(
        20 - summary.last_day,
        summary.transactions,
        summary.average_value,
        (full["rfm_r"], full["rfm_f"], full["rfm_m"]),
    )
    few = clv.summarize([0, 9], [0, 9], [10, 100], 20)
    alone = rfm.score(few, 20)
    against = rfm.score(few, 20, bounds=bounds)
    assert alone["rfm_m"].tolist() == [2, 4]
    assert against["rfm_m"].tolist() == [1, 5]
    assert against["rfm_r"].tolist() == [1, 5]


@pytest.mark.parametrize("model", ["bgnbd", "mbgnbd"])
def test_quadrature_agrees_with_the_closed_form(bg, mbg, model):
    params = bg if model == "bgnbd" else mbg
    x = np.array([0, 1, 2, 7, 20], float)
    T = np.array([38.86, 30, 38.86, 50, 120])
    t = np.array([12.9, 39, 5, 52, 13])
    closed = clv_bgnbd._expected_alive(params, t, x, T)
    gauss = clv_bgnbd._expected_alive_gauss(params, t, x, T)
    assert gauss == pytest.approx(closed, rel=1e-6)


def test_degenerate_parameters_score_finitely():
    """A fit on customers whose rates and dropout barely vary runs the
    parameters off together (r, alpha, a, b all huge): the closed form
    fails there, the scores do not."""
    params = clv.BgParams("mbgnbd", r=4.09e7, alpha=9.92e8, a=9.2e4, b=1.32e6)
    x = np.array([0, 1, 3, 9], float)
    tx = np.array([0, 10, 30, 90.0])
    T = np.full(4, 100.0)
    expected = clv.expected_purchases(params, 90 / 7, x, tx, T)
    rate, dropout = params.r / params.alpha, params.a / (params.a + params.b)
    alive = clv.p_alive(params, x, tx, T)
    # the limit: a constant rate, a constant dropout probability
    limit = alive * (1 - np.exp(-rate * dropout * 90 / 7)) / dropout
    assert expected == pytest.approx(limit, rel=1e-3)
    assert np.isfinite(clv.customer_lifetime_value(params, x, tx, T, [10.0] * 4)).all()
