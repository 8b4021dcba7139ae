"""The database-free half of the indicator engine (tools/engine.py): row
decoding with grouping masks, the keys to fill, empty results, ratios and
formulas over other indicators' results."""

import datetime
import decimal
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import load_pure_module

engine = load_pure_module("crm_bsc_scorecard", "tools/engine.py")
params = load_pure_module("crm_bsc_scorecard", "tools/engine_params.py")
customer_counts = load_pure_module("crm_bsc_scorecard", "tools/customer_counts.py")
formula = load_pure_module("crm_bsc_scorecard", "tools/formula.py")

ALL = 15  # GROUPING mask: seg 8 + ch 4 + u 2 + t 1, every dimension "all"
SEG = 8
CH = 4
U = 2
T = 1


def mask(*grouped):
    """The mask of a row grouped by these dimensions (others aggregated)."""
    bits = {"seg": SEG, "ch": CH, "u": U, "t": T}
    return ALL - sum(bits[name] for name in grouped)


# --- decode_rows -----------------------------------------------------------


def test_decode_rows_keys_follow_the_mask():
    rows = [
        # period 1, every dimension aggregated
        (1, None, None, None, None, mask(), 5, 100.0),
        # by segment 7
        (1, 7, None, None, None, mask("seg"), 2, 40.0),
        # by channel 3 (the segment column holds a value the mask ignores)
        (1, 99, 3, None, None, mask("ch"), 1, 10.0),
        # by segment and channel
        (1, 7, 3, None, None, mask("seg", "ch"), 1, 10.0),
        # by salesperson 11, by team 21, by segment and team
        (1, None, None, 11, None, mask("u"), 4, 90.0),
        (1, None, None, None, 21, mask("t"), 3, 60.0),
        (1, 7, None, None, 21, mask("seg", "t"), 2, 40.0),
        (2, None, None, None, None, mask(), 0, None),
    ]
    table = engine.decode_rows(rows, ("count", "amount"))
    assert table == {
        (1, None, None, None, None): {"count": 5.0, "amount": 100.0},
        (1, 7, None, None, None): {"count": 2.0, "amount": 40.0},
        (1, None, 3, None, None): {"count": 1.0, "amount": 10.0},
        (1, 7, 3, None, None): {"count": 1.0, "amount": 10.0},
        (1, None, None, 11, None): {"count": 4.0, "amount": 90.0},
        (1, None, None, None, 21): {"count": 3.0, "amount": 60.0},
        (1, 7, None, None, 21): {"count": 2.0, "amount": 40.0},
        # a NULL measure (a sum over nothing) is 0
        (2, None, None, None, None): {"count": 0.0, "amount": 0.0},
    }
    assert all(isinstance(v, float) for m in table.values() for v in m.values())


def test_decode_rows_drops_a_grouped_dimension_that_is_null():
    """Unsegmented leads form a group of their own: it has no key (they
    still count in "all")."""
    rows = [
        (1, None, None, None, None, mask("seg"), 3),
        (1, 7, None, None, None, mask("seg"), 2),
        (1, 7, None, None, None, mask("seg", "ch"), 2),  # channel NULL
        (1, None, None, None, None, mask(), 5),
    ]
    assert engine.decode_rows(rows, ("n",)) == {
        (1, 7, None, None, None): {"n": 2.0},
        (1, None, None, None, None): {"n": 5.0},
    }


def test_decode_rows_merges_measures_into_a_given_table():
    """Families made of several queries (active, retained, new customers)
    add their measures to the same keys."""
    table = engine.decode_rows([(1, None, None, None, None, ALL, 4)], ("active",))
    engine.decode_rows(
        [(1, None, None, None, None, ALL, 3, 2)], ("cohort", "kept"), table
    )
    engine.decode_rows([(1, 7, None, None, None, mask("seg"), 1)], ("new",), table)
    assert table == {
        (1, None, None, None, None): {"active": 4.0, "cohort": 3.0, "kept": 2.0},
        (1, 7, None, None, None): {"new": 1.0},
    }


def test_decode_rows_of_nothing():
    assert engine.decode_rows([], ("n",)) == {}


# --- grouping sets, keys -----------------------------------------------------


def test_grouping_sets():
    assert engine.grouping_sets(False, False) == [(), ("seg",)]
    assert engine.grouping_sets(True, False) == [(), ("seg",), ("ch",), ("seg", "ch")]
    assert engine.grouping_sets(False, True) == [
        (),
        ("seg",),
        ("u",),
        ("seg", "u"),
        ("t",),
        ("seg", "t"),
    ]
    # stored values never combine a channel with a salesperson or a team
    both = engine.grouping_sets(True, True)
    assert len(both) == 8
    assert not [s for s in both if len(set(s) - {"seg"}) > 1]


def test_combined_grouping_sets():
    """For one value computed on demand: every combination, with and
    without the segment."""
    sets = engine.grouping_sets(True, True, combined=True)
    # 2 ** 3 combinations of ch, u, t, each with and without seg
    assert len(sets) == 16 == len(set(sets))
    assert ("ch", "u") in sets
    assert ("seg", "ch", "u", "t") in sets
    assert engine.grouping_sets(False, False, combined=True) == [(), ("seg",)]
    assert sorted(engine.grouping_sets(True, False, combined=True)) == sorted(
        [(), ("seg",), ("ch",), ("seg", "ch")]
    )


def test_required_keys():
    # 2 periods * 2 segments (None: all customers) * (total + 2 channels)
    keys = engine.required_keys([1, 2], [None, 7], [3, 4])
    assert len(keys) == 2 * 2 * 3
    assert (1, None, None, None, None) in keys
    assert (2, 7, 4, None, None) in keys
    # no salesperson or team key is required
    assert all(key[3] is None and key[4] is None for key in keys)
    assert engine.required_keys([1], [None], []) == [(1, None, None, None, None)]
    assert engine.required_keys([], [None], [3]) == []


def test_wanted():
    assert engine.wanted((1, None, None, None, None), [None], [], False)
    assert engine.wanted((1, 7, 3, None, None), [None, 7], [3], False)
    # a segment no scorecard of the group follows
    assert not engine.wanted((1, 8, None, None, None), [None, 7], [], False)
    # a channel not watched
    assert not engine.wanted((1, None, 4, None, None), [None], [3], False)
    # salesperson and team keys only with the breakdown
    assert not engine.wanted((1, None, None, 11, None), [None], [], False)
    assert not engine.wanted((1, None, None, None, 21), [None], [], False)
    assert engine.wanted((1, None, None, 11, None), [None], [], True)


# --- results of built-ins ----------------------------------------------------


def test_builtin_results_of_keys_without_rows():
    """A count with no row is 0; a rate or an average has no value."""
    keys = engine.required_keys([1], [None, 7], [3])
    table = {}
    won = engine.builtin_results("won_deals", table, keys, [None, 7], [3], False)
    assert won == dict.fromkeys(keys, (0.0, None))
    rate = engine.builtin_results("win_rate", table, keys, [None, 7], [3], False)
    assert rate == dict.fromkeys(keys, (None, engine.NO_BASE))
    for code in ("avg_deal_size", "sales_cycle_days", "retention_rate", "churn_rate"):
        results = engine.builtin_results(code, table, keys, [None], [], False)
        assert set(results.values()) == {(None, engine.NO_BASE)}, code


def test_builtin_results_combine_measures():
    key = (1, None, None, None, None)
    table = {
        key: {
            "won_count": 3.0,
            "won_amount": 900.0,
            "cycle_days": 45.0,
            "lost_count": 1.0,
        }
    }

    def result(code):
        return engine.builtin_results(code, table, [key], [None], [], False)[key]

    assert result("won_deals") == (3.0, None)
    assert result("won_revenue") == (900.0, None)
    assert result("avg_deal_size") == (300.0, None)  # 900 / 3
    assert result("sales_cycle_days") == (15.0, None)  # 45 / 3
    assert result("win_rate") == (75.0, None)  # 3 / (3 + 1)
    assert result("lost_rate") == (25.0, None)  # 1 / 4


def test_retention_and_churn():
    keys = [(p, None, None, None, None) for p in (1, 2, 3)]
    table = {
        keys[0]: {"cohort_count": 3.0, "retained_count": 2.0, "active_count": 4.0},
        # kept nobody: 0 % retention, 100 % churn (values, not "no data")
        keys[1]: {"cohort_count": 2.0, "retained_count": 0.0},
        # active customers but nobody at the start: no retention, no churn
        keys[2]: {"active_count": 1.0, "new_count": 1.0},
    }
    retention = engine.builtin_results("retention_rate", table, keys, [None], [], False)
    churn = engine.builtin_results("churn_rate", table, keys, [None], [], False)
    assert retention[keys[0]][0] == pytest.approx(200 / 3)
    assert churn[keys[0]][0] == pytest.approx(100 / 3)
    assert retention[keys[1]] == (0.0, None)
    assert churn[keys[1]] == (100.0, None)
    assert retention[keys[2]] == (None, engine.NO_BASE)
    assert churn[keys[2]] == (None, engine.NO_BASE)
    # the measures a key lacks are 0: active and new customers of period 2
    active = engine.builtin_results("active_customers", table, keys, [None], [], False)
    assert active[keys[1]] == (0.0, None)
    assert active[keys[2]] == (1.0, None)


def test_builtin_results_keep_only_what_was_asked():
    table = {
        (1, None, None, None, None): {"created_count": 5.0},
        (1, 8, None, None, None): {"created_count": 2.0},  # segment not asked
        (1, None, 4, None, None): {"created_count": 1.0},  # channel not watched
        (1, None, 3, None, None): {"created_count": 4.0},
        (1, None, None, 11, None): {"created_count": 3.0},  # no breakdown
    }
    keys = engine.required_keys([1], [None], [3])
    results = engine.builtin_results("new_leads", table, keys, [None], [3], False)
    assert results == {
        (1, None, None, None, None): (5.0, None),
        (1, None, 3, None, None): (4.0, None),
    }
    with_users = engine.builtin_results("new_leads", table, keys, [None], [3], True)
    assert with_users[(1, None, None, 11, None)] == (3.0, None)


def test_aggregate_rule():
    key = (1, None, None, None, None)
    for measure, empty in (
        ("count", (0.0, None)),
        ("count_distinct", (0.0, None)),
        ("sum", (0.0, None)),
        ("avg", (None, engine.NO_BASE)),
        ("min", (None, engine.NO_BASE)),
        ("max", (None, engine.NO_BASE)),
    ):
        rule = engine.aggregate_rule(measure)
        assert engine.rule_results(rule, {}, [key], [None], [], False) == {key: empty}
        table = {key: {"agg": 7.5}}
        assert engine.rule_results(rule, table, [key], [None], [], False) == {
            key: (7.5, None)
        }


def test_a_rule_that_fails_gives_an_error_value():
    key = (1, None, None, None, None)
    rule = engine.Rule(("n",), lambda m: (1 / m["n"], None), engine.EMPTY_NONE)
    results = engine.rule_results(rule, {key: {"n": 0.0}}, [key], [None], [], False)
    assert results == {key: (None, engine.ERROR)}


def test_family_of():
    assert engine.family_of("won_deals") == "closed"
    assert engine.family_of("won_deals", "sale_orders") == "orders"
    assert engine.family_of("avg_deal_size", "sale_orders") == "orders"
    # win rate reads opportunities whatever the transactions are
    assert engine.family_of("win_rate", "sale_orders") == "closed"
    assert engine.family_of("active_customers", "sale_orders") == "customers"
    assert engine.family_of("data_completeness") == "completeness"


# --- ratio and formula ---------------------------------------------------------

K1 = (1, None, None, None, None)
K2 = (2, None, None, None, None)
K3 = (3, None, None, None, None)
K4 = (4, None, None, None, None)
K5 = (5, None, None, None, None)


def test_ratio_results():
    numerator = {
        K1: (50.0, None),
        K2: (10.0, None),
        K3: (None, engine.NO_BASE),
        K4: (3.0, None),
        K5: (0.0, None),
    }
    denominator = {
        K1: (200.0, None),
        K2: (0.0, None),
        K3: (4.0, None),
        K4: (None, "late"),
        K5: (8.0, None),
    }
    results = engine.ratio_results(numerator, denominator, 100.0)
    assert results == {
        K1: (25.0, None),  # 100 * 50 / 200
        K2: (None, engine.DIVISION_BY_ZERO),
        K3: (None, engine.NO_BASE),  # the reason of the missing side
        K4: (None, "late"),
        K5: (0.0, None),
    }


def test_ratio_of_keys_one_side_lacks():
    results = engine.ratio_results({K1: (1.0, None)}, {K2: (2.0, None)})
    assert results == {K1: (None, engine.MISSING), K2: (None, engine.MISSING)}
    assert engine.ratio_results({}, {}) == {}


def test_formula_results():
    parsed = formula.parse("won / max(deals, 1) + bonus")
    dependencies = {
        "won": {K1: (900.0, None), K2: (0.0, None), K3: (None, engine.NO_BASE)},
        "deals": {K1: (3.0, None), K2: (0.0, None), K3: (0.0, None)},
        "bonus": {K1: (1.0, None), K2: (2.0, None), K3: (0.0, None), K4: (5.0, None)},
    }
    results = engine.formula_results(parsed, dependencies)
    assert results == {
        K1: (301.0, None),  # 900 / 3 + 1
        K2: (2.0, None),  # 0 / max(0, 1) + 2
        K3: (None, formula.REASON_MISSING),  # won has no value
        K4: (None, formula.REASON_MISSING),  # won and deals have no key
    }


def test_formula_results_division_by_zero_and_untaken_branch():
    parsed = formula.parse("won / deals if deals > 0 else -1")
    dependencies = {
        "won": {K1: (None, engine.NO_BASE), K2: (6.0, None)},
        "deals": {K1: (0.0, None), K2: (3.0, None)},
    }
    # K1: the branch that reads "won" is not taken
    assert engine.formula_results(parsed, dependencies) == {
        K1: (-1.0, None),
        K2: (2.0, None),
    }
    strict = formula.parse("won / deals")
    assert engine.formula_results(
        strict, {"won": {K1: (1.0, None)}, "deals": {K1: (0.0, None)}}
    ) == {K1: (None, formula.REASON_DIVISION_BY_ZERO)}


# --- array_literal ----------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], "{}"),
        ([1, None, 3], "{1,NULL,3}"),
        ([True, False, None], "{t,f,NULL}"),
        ([0.5, -2.0, 1e-07], "{0.5,-2.0,1e-07}"),
        ([decimal.Decimal("12.50")], "{12.50}"),
        ([datetime.date(2026, 1, 31)], "{2026-01-31}"),
        (["on_track", None], '{"on_track",NULL}'),
        (
            ['no "data"', "back\\slash", "NULL", ""],
            r'{"no \"data\"","back\\slash","NULL",""}',
        ),
    ],
)
def test_array_literal(items, expected):
    assert params.array_literal(items) == expected


def test_array_literal_round_trips_through_the_postgres_grammar():
    """Parse the literal back the way PostgreSQL reads a text array: quoted
    elements keep their text, unquoted NULL is NULL."""
    texts = ["a,b", "{braces}", 'quote"inside', "back\\slash", "NULL", " spaced "]
    literal = params.array_literal(texts + [None])
    parsed, index, current, quoted, in_quotes = [], 1, "", False, False
    while index < len(literal) - 1:
        char = literal[index]
        if in_quotes:
            if char == "\\":
                index += 1
                current += literal[index]
            elif char == '"':
                in_quotes = False
            else:
                current += char
        elif char == '"':
            in_quotes = quoted = True
        elif char == ",":
            parsed.append(current if quoted or current != "NULL" else None)
            current, quoted = "", False
        else:
            current += char
        index += 1
    parsed.append(current if quoted or current != "NULL" else None)
    assert parsed == texts + [None]


# --- period placement and running totals -----------------------------------

D = datetime.date
JAN = (1, D(2026, 1, 1), D(2026, 1, 31))
FEB = (2, D(2026, 2, 1), D(2026, 2, 28))
APR = (4, D(2026, 4, 1), D(2026, 4, 30))


def test_period_buckets_consecutive_and_with_a_gap():
    days, ids = params.period_buckets([APR, FEB, JAN])
    assert days == [
        D(2026, 1, 1),
        D(2026, 2, 1),
        D(2026, 3, 1),
        D(2026, 4, 1),
        D(2026, 5, 1),
    ]
    # March is a gap: no period
    assert ids == [1, 2, None, 4]


def test_period_buckets_refuse_overlapping_periods():
    quarter = (9, D(2026, 1, 1), D(2026, 3, 31))
    with pytest.raises(ValueError, match="period 2 overlaps"):
        params.period_buckets([quarter, FEB])


def test_period_ends_sorted_with_their_ids():
    assert params.period_ends([APR, JAN, FEB]) == (
        [D(2026, 1, 31), D(2026, 2, 28), D(2026, 4, 30)],
        [1, 2, 4],
    )


def test_running_totals_carry_forward_and_drop_empty_ends():
    ids = [1, 2, 4]
    table = {
        # one record of 10 from the first end on, leaving after the second
        (1, None, None, None, None): {"present_count": 1.0, "amount": 10.0},
        (3, None, None, None, None): {"present_count": -1.0, "amount": -10.0},
        # a salesperson's record only at the last end
        (3, None, None, 7, None): {"present_count": 1.0, "amount": 2.5},
    }
    assert engine.running_totals(table, ids, "present_count") == {
        (1, None, None, None, None): {"present_count": 1.0, "amount": 10.0},
        (2, None, None, None, None): {"present_count": 1.0, "amount": 10.0},
        (4, None, None, 7, None): {"present_count": 1.0, "amount": 2.5},
    }


def test_running_totals_keep_a_zero_amount_of_present_records():
    table = {
        (1, 5, None, None, None): {"present_count": 2.0, "amount": 0.1},
        (2, 5, None, None, None): {"present_count": 0.0, "amount": 0.2},
    }
    result = engine.running_totals(table, [1, 2], "present_count")
    assert result[(2, 5, None, None, None)] == {
        "present_count": 2.0,
        "amount": pytest.approx(0.3),
    }


# --- customer activity islands ---------------------------------------------


def test_activity_points_are_eves_and_last_days():
    points, positions = params.activity_points([FEB, JAN])
    assert points == [D(2025, 12, 31), D(2026, 1, 31), D(2026, 2, 28)]
    assert positions == {1: (1, 2), 2: (2, 3)}


def test_customers_table_from_island_changes():
    positions = {1: (1, 2), 2: (2, 3)}
    active_rows = [
        # all customers (segment aggregated, every transaction): two active on the eve
        # of January, one more from January's end, one gone after it
        (1, 1, None, None, None, None, 2),
        (2, 1, None, None, None, None, 1),
        (3, 1, None, None, None, None, -1),
        # segment 5, per channel 8: one customer from January's end on
        (2, 0, 5, 8, None, None, 1),
        # an unsegmented customer grouped by segment: no key of its own
        (1, 0, None, None, None, None, 1),
    ]
    churn_rows = [(2, 1, None, None, None, None, 1)]  # one lost in February
    table = customer_counts.customers_table(active_rows, churn_rows, positions, 3)
    assert table == {
        (1, None, None, None, None): {
            "active_count": 3.0,
            "cohort_count": 2.0,
            "retained_count": 2.0,
        },
        (2, None, None, None, None): {
            "active_count": 2.0,
            "cohort_count": 3.0,
            "retained_count": 2.0,
        },
        (1, 5, 8, None, None): {"active_count": 1.0},
        (2, 5, 8, None, None): {
            "active_count": 1.0,
            "cohort_count": 1.0,
            "retained_count": 1.0,
        },
    }


def test_customers_table_kinds_go_to_their_dimension():
    positions = {1: (1, 2)}
    rows = [(2, 1, None, None, 30, None, 1), (2, 1, None, None, None, 40, 1)]
    table = customer_counts.customers_table(rows, [], positions, 2)
    assert set(table) == {(1, None, None, 30, None), (1, None, None, None, 40)}


# --- customer counts kept between runs -------------------------------------

WINDOW = 30  # days, short enough to count by hand


def test_customer_counts_follow_the_definitions():
    # transactions: 20 Dec (channel 8, user 30, team 40), 10 Feb (channel 9)
    transactions = [
        (D(2026, 2, 10), 2, 9, None, None),
        (D(2025, 12, 20), 1, 8, 30, 40),
    ]
    counts = customer_counts.customer_counts(
        transactions, 5, [JAN, FEB], WINDOW, channels=True, users=True
    )
    # January: active on its eve (20 Dec + 30 days covers 31 Dec) in every
    # group of the December transaction, gone by 31 Jan: cohort, not retained
    for seg in (None, 5):
        for group in (
            (None, None, None),
            (8, None, None),
            (None, 30, None),
            (None, None, 40),
        ):
            assert counts[(1, seg, *group)] == {"cohort_count": 1}
    # February: active at its end through channel 9 only; new in December
    # (before both periods): never new here
    for seg in (None, 5):
        assert counts[(2, seg, None, None, None)] == {"active_count": 1}
        assert counts[(2, seg, 9, None, None)] == {"active_count": 1}
    assert len(counts) == 12


def test_customer_counts_retained_and_new():
    # first transaction ever on 5 Jan, another on 20 Feb: new in January;
    # active at both ends; in February's cohort and retained
    transactions = [
        (D(2026, 1, 5), 7, None, 30, None),
        (D(2026, 2, 20), 8, None, 31, None),
    ]
    counts = customer_counts.customer_counts(
        transactions, None, [JAN, FEB], WINDOW, channels=False, users=True
    )
    assert counts[(1, None, None, None, None)] == {"active_count": 1, "new_count": 1}
    assert counts[(1, None, None, 30, None)] == {"active_count": 1, "new_count": 1}
    assert counts[(2, None, None, None, None)] == {
        "active_count": 1,
        "cohort_count": 1,
        "retained_count": 1,
    }
    # salesperson 30 sold in January only: in February's cohort, and
    # retained (the customer is active at the end, through salesperson 31)
    assert counts[(2, None, None, 30, None)] == {"cohort_count": 1, "retained_count": 1}
    assert counts[(2, None, None, 31, None)] == {"active_count": 1}
    # without a segment a customer counts in all customers only
    assert {key[1] for key in counts} == {None}


def test_customer_counts_without_breakdowns_or_transactions():
    transactions = [(D(2026, 1, 5), 7, 8, 30, 40)]
    counts = customer_counts.customer_counts(
        transactions, 5, [JAN], WINDOW, False, False
    )
    assert set(counts) == {(1, None, None, None, None), (1, 5, None, None, None)}
    assert customer_counts.customer_counts([], 5, [JAN], WINDOW, True, True) == {}


def test_earlier_state_undoes_the_changes():
    won = (D(2026, 2, 3), 11, 8, 30, None)
    lost = (D(2026, 1, 9), 12, 8, 30, None)
    moved_from = (D(2026, 1, 2), 13, None, 31, None)
    moved_to = (D(2026, 2, 2), 13, None, 31, None)
    now = [won, moved_to]
    changes = [
        (1, won, None),
        (-1, lost, None),
        (0, None, 4),  # the segment was 4 before the first segment change
        (-1, moved_from, None),
        (1, moved_to, None),
        (0, None, 6),
    ]
    before, segment = customer_counts.earlier_state(now, 5, changes)
    assert sorted(before) == sorted([lost, moved_from])
    assert segment == 4
    # no segment change: the segment stays
    assert customer_counts.earlier_state(now, 5, [(1, won, None)])[1] == 5


def test_earlier_state_refuses_changes_that_do_not_add_up():
    with pytest.raises(ValueError, match="not there"):
        customer_counts.earlier_state(
            [], None, [(1, (D(2026, 2, 3), 11, 8, 30, None), None)]
        )


def test_changed_from_is_the_first_day_that_differs():
    a = (D(2026, 1, 9), 1, None, None, None)
    b = (D(2026, 2, 3), 2, None, None, None)
    c = (D(2026, 3, 1), 3, None, None, None)
    assert customer_counts.changed_from([a, b], [b, a]) is None
    assert customer_counts.changed_from([a, b, c], [a, b]) == D(2026, 3, 1)
    assert customer_counts.changed_from([a], [a, b, c]) == D(2026, 2, 3)
    # the same transaction twice counts as a difference
    assert customer_counts.changed_from([a, a], [a]) == D(2026, 1, 9)


_TRANSACTION = st.tuples(
    st.dates(D(2025, 11, 1), D(2026, 3, 31)),
    st.integers(1, 6),
    st.sampled_from([None, 8, 9]),
    st.sampled_from([None, 30, 31]),
    st.sampled_from([None, 40]),
)


@settings(max_examples=200, deadline=None)
@given(
    now=st.lists(_TRANSACTION, max_size=5),
    before=st.lists(_TRANSACTION, max_size=5),
    segment=st.sampled_from([None, 5]),
    segment_before=st.sampled_from([None, 5, 6]),
    channels=st.booleans(),
    users=st.booleans(),
)
def test_counts_change_is_now_less_before(
    now, before, segment, segment_before, channels, users
):
    periods = [JAN, FEB, (3, D(2026, 1, 1), D(2026, 3, 31))]
    expected = customer_counts.customer_counts(
        now, segment, periods, WINDOW, channels, users
    )
    customer_counts.add_counts(
        expected,
        customer_counts.customer_counts(
            before, segment_before, periods, WINDOW, channels, users
        ),
        -1,
    )
    expected = {
        key: {measure: n for measure, n in measures.items() if n}
        for key, measures in expected.items()
    }
    expected = {key: measures for key, measures in expected.items() if measures}
    change = customer_counts.counts_change(
        now, segment, before, segment_before, periods, WINDOW, channels, users
    )
    # only where something changes: no zero in what it returns
    assert change == expected


def test_counts_table_keeps_what_a_grouped_count_would():
    counts = {
        (1, None, None, None, None): {"active_count": 2, "cohort_count": 1},
        (1, 5, None, None, None): {
            "active_count": 0,
            "cohort_count": 0,
            "new_count": 0,
        },
        (2, None, None, None, None): {
            "new_count": 1,
            "cohort_count": 2,
            "retained_count": 2,
        },
    }
    assert customer_counts.counts_table(counts) == {
        (1, None, None, None, None): {
            "active_count": 2.0,
            "cohort_count": 1.0,
            "retained_count": 0.0,
        },
        (2, None, None, None, None): {
            "cohort_count": 2.0,
            "retained_count": 2.0,
            "new_count": 1.0,
        },
    }
    with pytest.raises(ValueError, match="negative"):
        customer_counts.counts_table(
            {(1, None, None, None, None): {"active_count": -1}}
        )


def _islands(days, window):
    """[a, z) islands of activity of sorted days, as the SQL forms them: a
    day within the window of the one before continues its island."""
    width = datetime.timedelta(days=window)
    islands = []
    for day in days:
        if islands and day <= islands[-1][1]:
            islands[-1][1] = day + width
        else:
            islands.append([day, day + width])
    return islands


def _table_from_islands(customers, periods, window, channels, users):
    """The active, cohort and retained customers of customers_table, fed
    with the rows the SQL of the family would return for these customers:
    an independent way to the same counts."""
    points, positions = params.activity_points(periods)
    count = len(points)
    active_rows, churn_rows = [], []
    for transactions, segment in customers:
        # per group (channel, user, team) the transaction places it in
        kinds = {}
        for day, _src, ch, u, t in transactions:
            kinds.setdefault((None, None, None), []).append(day)
            if channels and ch is not None:
                kinds.setdefault((ch, None, None), []).append(day)
            if users and u is not None:
                kinds.setdefault((None, u, None), []).append(day)
            if users and t is not None:
                kinds.setdefault((None, None, t), []).append(day)
        islands = {kind: _islands(sorted(days), window) for kind, days in kinds.items()}
        for group, spans in islands.items():
            for a, z in spans:
                js = sum(1 for p in points if p <= a - datetime.timedelta(days=1))
                je = sum(1 for p in points if p <= z - datetime.timedelta(days=1))
                if js >= je:
                    continue
                for position, sign in ((js + 1, 1), (je + 1, -1)):
                    if position <= count:
                        active_rows.append((position, 1, None, *group, sign))
                        active_rows.append((position, 0, segment, *group, sign))
        for pid, start, end in periods:
            d0 = start - datetime.timedelta(days=1)
            everyone = islands.get((None, None, None), [])
            covering = [(a, z) for a, z in everyone if a <= d0 < z]
            lost = (
                covering
                and covering[0][1] <= end
                and not any(a <= end < z for a, z in everyone)
            )
            if lost:
                for group, spans in islands.items():
                    if any(a <= d0 < z for a, z in spans):
                        churn_rows.append((pid, 1, None, *group, 1))
                        churn_rows.append((pid, 0, segment, *group, 1))
    # the SQL counts the customers lost per group: one row each
    lost_per_group = {}
    for *group, lost in churn_rows:
        lost_per_group[tuple(group)] = lost_per_group.get(tuple(group), 0) + lost
    churn_rows = [(*group, lost) for group, lost in lost_per_group.items()]
    return customer_counts.customers_table(active_rows, churn_rows, positions, count)


TX = st.tuples(
    st.integers(min_value=0, max_value=150),
    st.sampled_from([None, 8, 9]),
    st.sampled_from([None, 30, 31]),
    st.sampled_from([None, 40]),
)


@settings(max_examples=300, deadline=None)
@given(
    customers=st.lists(
        st.tuples(st.lists(TX, max_size=5), st.sampled_from([None, 5, 6])),
        max_size=4,
    ),
    window=st.integers(min_value=1, max_value=60),
    channels=st.booleans(),
    users=st.booleans(),
)
def test_customer_counts_add_up_to_the_islands_table(
    customers, window, channels, users
):
    """Summed over customers, the counts of the kept path equal those the
    islands of the SQL path give (the new customers aside)."""
    origin = D(2025, 11, 1)
    periods = [
        (1, D(2025, 12, 1), D(2025, 12, 31)),
        (2, D(2026, 1, 1), D(2026, 1, 31)),
        (3, D(2026, 2, 1), D(2026, 2, 28)),
    ]
    src = iter(range(1, 100))
    customers = [
        (
            [
                (origin + datetime.timedelta(days=day), next(src), ch, u, t)
                for day, ch, u, t in transactions
            ],
            segment,
        )
        for transactions, segment in customers
    ]
    total = {}
    for transactions, segment in customers:
        customer_counts.add_counts(
            total,
            customer_counts.customer_counts(
                transactions, segment, periods, window, channels, users
            ),
        )
    kept = customer_counts.counts_table(
        {
            key: {name: n for name, n in measures.items() if name != "new_count"}
            for key, measures in total.items()
        }
    )
    assert kept == _table_from_islands(customers, periods, window, channels, users)


def test_kept_counts_round_trip():
    counts = {
        (3, None, None, None, None): {"active_count": 2.0, "cohort_count": 1},
        (3, 5, 8, None, None): {"new_count": 1},
        (3, 6, None, None, None): {"active_count": 0},  # nothing: not kept
    }
    kept = customer_counts.encode_counts(counts)
    assert json.loads(kept) == [
        [None, None, None, None, 2, 1, 0, 0],
        [5, 8, None, None, 0, 0, 0, 1],
    ]
    decoded = customer_counts.decode_counts(3, kept)
    assert decoded == customer_counts.decode_counts(3, json.loads(kept))
    assert customer_counts.counts_table(decoded) == customer_counts.counts_table(counts)
    assert customer_counts.decode_counts(3, None) == {}
