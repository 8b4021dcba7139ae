"""Link evidence between objectives' score histories (tools/link_evidence.py)."""

import pytest

from conftest import load_pure_module

le = load_pure_module("crm_bsc_scorecard", "tools/link_evidence.py")

RISING = [10, 20, 30, 40, 50, 60, 70, 80]
N = None


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([3, 1, 2], [3.0, 1.0, 2.0]),
        ([5, 5, 1], [2.5, 2.5, 1.0]),
        ([7, 7, 7], [2.0, 2.0, 2.0]),
        ([], []),
    ],
)
def test_ranks_average_ties(values, expected):
    assert le.ranks(values) == expected


@pytest.mark.parametrize(
    ("xs", "ys", "expected"),
    [
        ([1, 2, 3, 4], [10, 20, 30, 40], 1.0),
        ([1, 2, 3, 4], [40, 30, 20, 10], -1.0),
        # monotone but not linear: rank correlation is still 1
        ([1, 2, 3, 4], [1, 8, 27, 1000], 1.0),
        # one swap out of five: 1 - 6 * 2 / (5 * 24) = 0.9
        ([1, 2, 3, 4, 5], [1, 2, 3, 5, 4], 0.9),
        # a constant series has no correlation
        ([1, 2, 3, 4], [5, 5, 5, 5], None),
        ([1], [2], None),
    ],
)
def test_spearman(xs, ys, expected):
    rho = le.spearman(xs, ys)
    if expected is None:
        assert rho is None
    else:
        assert rho == pytest.approx(expected)


def test_spearman_refuses_lengths_that_differ():
    with pytest.raises(ValueError):
        le.pearson([1, 2], [1, 2, 3])


@pytest.mark.parametrize(
    ("cause", "effect", "verdict", "lag", "periods", "rho"),
    [
        # the effect follows the cause in the same period
        (RISING, RISING, le.SUPPORTED, 0, 8, 1.0),
        # the effect follows one period later: lag 1 beats lag 0
        (
            [50, 10, 60, 20, 70, 30, 80, 40],
            [0, 50, 10, 60, 20, 70, 30, 80],
            le.SUPPORTED,
            1,
            7,
            1.0,
        ),
        # two periods later
        (
            [50, 10, 60, 20, 70, 30, 80, 40, 90],
            [0, 0, 50, 10, 60, 20, 70, 30, 80],
            le.SUPPORTED,
            2,
            7,
            1.0,
        ),
        # the effect falls as the cause rises, at every lag
        (RISING, list(reversed(RISING)), le.CONTRADICTED, 0, 8, -1.0),
        # too few periods with both scores
        ([10, 20, 30, 40, 50], [10, 20, 30, 40, 50], le.INSUFFICIENT, None, 5, None),
        # missing scores leave too few pairs
        ([10, N, 30, N, 50, N, 70, 80], RISING, le.INSUFFICIENT, None, 5, None),
        # a constant cause says nothing
        ([50] * 8, RISING, le.INSUFFICIENT, None, 8, None),
    ],
)
def test_link_evidence_table(cause, effect, verdict, lag, periods, rho):
    evidence = le.link_evidence(cause, effect)
    assert evidence.verdict == verdict
    assert evidence.lag == lag
    assert evidence.periods == periods
    if rho is None:
        assert evidence.rho is None
    else:
        assert evidence.rho == pytest.approx(rho)


def test_weak_association():
    # positive but loose: 1 - 6 * d2 / (n (n^2 - 1)) with a shuffled effect
    cause = [1, 2, 3, 4, 5, 6, 7, 8]
    effect = [3, 1, 2, 6, 4, 8, 5, 7]
    lagged = {
        lag: le.spearman(
            [p[0] for p in le.lagged_pairs(cause, effect, lag)],
            [p[1] for p in le.lagged_pairs(cause, effect, lag)],
        )
        for lag in range(3)
    }
    evidence = le.link_evidence(cause, effect, max_lag=0)
    assert evidence.rho == pytest.approx(round(lagged[0], 4))
    assert evidence.verdict == (le.SUPPORTED if lagged[0] >= 0.3 else le.WEAK)
    # a looser one: only a small positive rank correlation
    effect = [4, 1, 8, 2, 7, 3, 6, 5]
    evidence = le.link_evidence(cause, effect, max_lag=0)
    assert 0 < evidence.rho < le.SUPPORT_RHO
    assert evidence.verdict == le.WEAK


def test_by_lag_reports_every_lag_and_its_pairs():
    evidence = le.link_evidence(RISING, RISING)
    assert sorted(evidence.by_lag) == [0, 1, 2, 3]
    assert [evidence.by_lag[lag][1] for lag in range(4)] == [8, 7, 6, 5]
    # lag 3 has only 5 pairs: not measured
    assert evidence.by_lag[3][0] is None
    assert evidence.by_lag[1][0] == pytest.approx(1.0)


def test_shorter_lag_wins_a_tie():
    assert le.link_evidence(RISING, RISING).lag == 0


def test_histories_must_cover_the_same_periods():
    with pytest.raises(ValueError):
        le.link_evidence([1, 2, 3], [1, 2])


@pytest.mark.parametrize(
    ("cause", "effect", "unchanged"),
    [
        ([50] * 8, RISING, ("cause",)),
        (RISING, [70] * 8, ("effect",)),
        ([50] * 8, [70] * 8, ("cause", "effect")),
        # too few pairs: the history is short, whether or not a score moved
        ([50] * 5, [70] * 5, ()),
        # enough varying history: not insufficient, nothing unchanged
        (RISING, RISING, ()),
    ],
)
def test_unchanged_scores_are_named(cause, effect, unchanged):
    evidence = le.link_evidence(cause, effect, min_periods=6)
    assert evidence.unchanged == unchanged
    if unchanged:
        assert evidence.verdict == le.INSUFFICIENT
