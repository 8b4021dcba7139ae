"""The syntax check of typed domains before safe_eval (tools/domain_guard.py)."""

import ast
import datetime
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import load_pure_module

guard = load_pure_module("crm_bsc_scorecard", "tools/domain_guard.py")

TODAY = datetime.date(2026, 12, 2)

# What Odoo 18's domain editor writes (web/static/src/core/tree_editor/
# condition_tree.js), and what people type by hand.
ACCEPTED = [
    "[]",
    "[('is_company', '=', True)]",
    "['|', ('city', '=', 'Kyiv'), ('city', 'ilike', 'Львів')]",
    "[('user_id', '=', uid)]",
    "[('id', 'in', [1, 2, 3])]",
    "[('expected_revenue', '>', 1000.5 * 2)]",
    "[('probability', '>=', -10 + 20 / 2 // 1 % 7)]",
    "[('date', '>=', context_today().strftime('%Y-%m-%d'))]",
    (
        "[('date', '>=', (context_today() + relativedelta(days=-30))"
        ".strftime('%Y-%m-%d'))]"
    ),
    (
        '[("create_date", ">=", datetime.datetime.combine(context_today(), '
        'datetime.time(0, 0, 0)).to_utc().strftime("%Y-%m-%d %H:%M:%S"))]'
    ),
    (
        '[("create_date", "<", datetime.datetime.combine(context_today() + '
        "relativedelta(weeks=-1), datetime.time(0, 0, 0)).to_utc().strftime("
        '"%Y-%m-%d %H:%M:%S"))]'
    ),
    "[('date', '<', time.strftime('%Y-01-01'))]",
    (
        "[('create_date', '>', (datetime.datetime.now() - timedelta(hours=2))"
        ".isoformat())]"
    ),
    "[('name', '=', '%s-%02d' % ('a', 3))]",
    "[('company_id', 'in', company_ids)]",
    "[('company_id', '=', company_ids[0])]",
    "[('user_id', '=', user.id)]",
    "[('x', '=', 1 if uid > 2 else 0)]",
    "[('x', '!=', not True and False or None)]",
    "[('date', '>=', context_today().replace(day=1).strftime('%Y-%m-%d'))]",
]

REFUSED = [
    ("9**9**9", "power operator"),
    ("[('x', '=', 9 ** 9 ** 7)]", "power operator"),
    ("[('x', '=', 'a' * 10000000000)]", r"\* multiplies numbers"),
    ("[('x', '=', [1] * 1000000000)]", r"\* multiplies numbers"),
    ("[('x', '=', str(uid) * 100000)]", r"\* multiplies numbers"),
    ("[('x', '=', 1 << 100000000)]", "shift"),
    ("[('x', '=', '%0999999999d' % 1)]", "format width"),
    ("[('x', '=', '%*d' % (99999999, 1))]", "width"),
    ("[('x', '=', 'a'.replace('a', 'aaaa'))]", "keyword arguments only"),
    ("[('x', '=', 99999999999999999999999)]", "too large"),
    ("[('x', '=', [i for i in range(10)])]", "comprehension"),
    ("[('x', '=', (lambda: 1)())]", "only named functions"),
    ("[('x', '=', max(lambda: 1))]", "lambda"),
    ("[('x', '=', f'{1:099999999}')]", "f-string"),
    ("[('x', '=', {'a': 1})]", "dict"),
    ("[('x', '=', range(10))]", "function 'range'"),
    ("[('x', '=', __import__('os'))]", "function '__import__'"),
    ("[('x', '=', ().__class__)]", "attribute '__class__'"),
    ("[('x', '=', time.sleep(100))]", "method 'sleep'"),
    ("[('x', '=', 'abc'.format(1))]", "method 'format'"),
    ("[('x', '=', secret)]", "name 'secret'"),
    ("[('x', '=', (x := 3))]", "assignment"),
    ("[('x', '=', [*a])]", "starred"),
    ("[('x', '=', max(**a))]", r"\*\* arguments"),
    ("[('x', '=', ~1)]", "operator ~"),
    ("[('x', '=', 1 | 2)]", "bitwise"),
    ("[('x', '=', company_ids[uid])]", "constant integer index"),
    ("[('x', '=', company_ids[0:99999])]", "constant integer index"),
    ("[('x', '='", "not a valid expression"),
    ("[" * 5000 + "]" * 5000, "nested deeper|not a valid expression"),
    ("[" * 100 + "]" * 100, "nested deeper"),
    ("1 + " * 20000 + "1", "parts|nested"),
    ("b'abc'", "constant"),
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_what_the_domain_editor_writes_is_accepted(text):
    guard.check(text)


@pytest.mark.parametrize(("text", "reason"), REFUSED)
def test_hostile_domains_are_refused_quickly(text, reason):
    start = time.perf_counter()
    with pytest.raises(guard.DomainError, match=reason):
        guard.check(text)
    assert time.perf_counter() - start < 0.5


def test_refusal_is_a_value_error_with_its_reason():
    with pytest.raises(ValueError, match="power") as info:
        guard.check("2 ** 3")
    assert "power" in info.value.reason


def test_too_long_and_not_text():
    with pytest.raises(guard.DomainError, match="longer than"):
        guard.check("[" + " " * guard.MAX_LENGTH + "]")
    with pytest.raises(guard.DomainError, match="a domain is a text"):
        guard.check(None)


def _evaluate(text, tz="Europe/Kyiv"):
    """Evaluate like safe_eval would (names of the context only, no builtins
    but the allowed functions)."""
    guard.check(text)
    context = guard.eval_context(TODAY, tz, uid=7, company_ids=[3, 4])
    builtins = {
        name: __builtins__[name]
        if isinstance(__builtins__, dict)
        else getattr(__builtins__, name)
        for name in (
            "str",
            "int",
            "float",
            "bool",
            "abs",
            "min",
            "max",
            "round",
            "len",
            "__import__",
        )
    }
    code = compile(ast.parse(text, mode="eval"), "<domain>", "eval")
    return eval(code, {"__builtins__": builtins, **context})


def test_relative_dates_evaluate_in_the_user_time_zone():
    # midnight of 2 December in Kyiv (UTC+2 in winter) is 22:00 UTC the day before
    assert _evaluate(ACCEPTED[9]) == [("create_date", ">=", "2026-12-01 22:00:00")]
    assert _evaluate(ACCEPTED[10]) == [("create_date", "<", "2026-11-24 22:00:00")]
    assert _evaluate(ACCEPTED[8]) == [("date", ">=", "2026-11-02")]
    assert _evaluate(ACCEPTED[7]) == [("date", ">=", "2026-12-02")]
    assert _evaluate(ACCEPTED[11]) == [("date", "<", "2026-01-01")]
    assert _evaluate(ACCEPTED[19]) == [("date", ">=", "2026-12-01")]


def test_unknown_time_zone_falls_back_to_utc():
    assert _evaluate(ACCEPTED[9], tz="Mars/Olympus") == [
        ("create_date", ">=", "2026-12-02 00:00:00")
    ]
    assert _evaluate(ACCEPTED[9], tz=None) == [
        ("create_date", ">=", "2026-12-02 00:00:00")
    ]


def test_names_of_the_context():
    assert _evaluate("[('user_id', '=', uid)]") == [("user_id", "=", 7)]
    assert _evaluate("[('company_id', '=', company_ids[0])]") == [
        ("company_id", "=", 3)
    ]


# --- property: random nested arithmetic is accepted or refused quickly -----

_LEAVES = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(["uid", "'ab'", "[1, 2]", "context_today()", "True"]),
)
_OPS = ["+", "-", "*", "/", "//", "%", "**", "<<", "|"]


def _expressions():
    return st.recursive(
        _LEAVES,
        lambda inner: st.tuples(inner, st.sampled_from(_OPS), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        max_leaves=60,
    )


@settings(max_examples=300, deadline=None)
@given(_expressions())
def test_random_arithmetic_is_accepted_or_refused_quickly(expression):
    text = f"[('x', '=', {expression})]"
    start = time.perf_counter()
    try:
        guard.check(text)
    except guard.DomainError:
        assert time.perf_counter() - start < 0.2
        return
    assert time.perf_counter() - start < 0.2
    # what is accepted evaluates quickly too, to a value or an ordinary error
    start = time.perf_counter()
    try:
        _evaluate(text)
    except (ArithmeticError, TypeError, ValueError):
        pass
    assert time.perf_counter() - start < 0.5
