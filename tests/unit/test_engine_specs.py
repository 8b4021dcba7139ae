"""The built-in specs (tools/builtins.py), the engine's vocabulary
(tools/results.py), the kinds of customer groups (tools/customer_counts.py)
and the one scoring rule of breakdowns (tools/scoring.py)."""

import pytest

from conftest import load_pure_module

builtins = load_pure_module("crm_bsc_scorecard", "tools/builtins.py")
results = load_pure_module("crm_bsc_scorecard", "tools/results.py")
customer_counts = load_pure_module("crm_bsc_scorecard", "tools/customer_counts.py")
scoring = load_pure_module("crm_bsc_scorecard", "tools/scoring.py")
engine = load_pure_module("crm_bsc_scorecard", "tools/engine.py")


def test_one_spec_per_builtin():
    codes = [spec.code for spec in builtins.SPECS]
    assert len(codes) == len(set(codes)) == len(builtins.BUILTINS)
    assert [code for code, _name in builtins.builtin_selection()] == codes
    for spec in builtins.SPECS:
        assert spec.empty in (results.EMPTY_ZERO, results.EMPTY_NONE)
        assert spec.measures and spec.description and spec.name


def test_sale_order_variants_come_from_the_specs():
    sale = {spec.code for spec in builtins.SPECS if spec.sale_family}
    assert sale == {"won_deals", "won_revenue", "avg_deal_size", "sales_cycle_days"}
    assert builtins.family_of("won_deals", "sale_orders") == "orders"
    assert builtins.BUILTINS["won_deals"].dirty_families("sale_orders") == ("orders",)
    assert builtins.BUILTINS["win_rate"].dirty_families("sale_orders") == ("closed",)
    assert builtins.families_read() == {
        "closed",
        "orders",
        "created",
        "pipeline",
        "customers",
        "activities",
        "completeness",
        "customer_scores",
    }


def test_zero_when_empty_follows_the_rules():
    zero = {spec.code for spec in builtins.SPECS if spec.empty == results.EMPTY_ZERO}
    key = results.Key(1)
    for spec in builtins.SPECS:
        out = engine.rule_results(spec.rule, {}, [key], [None], [], False)
        if spec.code in zero:
            assert out[key] == (0.0, None), spec.code
        else:
            assert out[key] == (None, results.NO_BASE), spec.code


def test_keys_and_results_are_tuples():
    assert results.Key(3, 5) == (3, 5, None, None, None)
    assert results.Result(2.0) == (2.0, None)
    reason = results.NoData(results.ERROR, "the path x is broken")
    assert reason == "error: the path x is broken"
    assert (reason.code, reason.detail) == ("error", "the path x is broken")
    assert results.Result.none(results.NO_BASE) == (None, "no_base")
    assert results.NoData.of("error: boom").detail == "boom"
    assert len(results.NoData("error", "x" * 400).stored()) == results.REASON_SIZE
    missing = results.NoData.from_error(results.NoSourceError("no Sales"))
    assert missing == "no_source: no Sales"


def test_customer_kinds():
    assert customer_counts.customer_kinds(False, False) == [0]
    assert customer_counts.customer_kinds(True, True) == [0, 4, 2, 1]
    # every combination of channel, salesperson and team
    assert customer_counts.customer_kinds(True, True, True) == list(range(8))
    assert customer_counts.customer_kinds(False, True, True) == [0, 1, 2, 3]
    assert customer_counts.kind_group(6, 8, 30, 40) == (8, 30, None)
    assert customer_counts.kind_group(4, None, 30, 40) is None


@pytest.mark.parametrize(
    ("user", "team", "scored"), [(None, None, True), (7, None, False), (None, 3, False)]
)
def test_breakdowns_are_scored_per_channel_not_per_person(user, team, scored):
    def evaluate(value):
        return 100.0, scoring.ON_TRACK

    got = scoring.stored_score(5.0, 4.0, evaluate, user, team)
    if scored:
        assert got == (4.0, 100.0, scoring.ON_TRACK)
    else:
        assert got == (None, None, scoring.UNSCORED)
    # without a governing line: nothing to score against
    assert scoring.stored_score(None, None, None) == (None, None, scoring.NO_DATA)
