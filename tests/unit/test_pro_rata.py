"""Pro-rated targets of a running period (tools/pro_rata.py)."""

import datetime

import pytest

from conftest import load_pure_module

pro_rata = load_pure_module("crm_bsc_scorecard", "tools/pro_rata.py")

D = datetime.date


@pytest.mark.parametrize(
    ("computation", "code", "measure", "expected"),
    [
        ("builtin", "won_revenue", None, True),
        ("builtin", "won_deals", None, True),
        ("builtin", "new_leads", None, True),
        ("builtin", "new_customers", None, True),
        # levels and rates keep their target
        ("builtin", "active_customers", None, False),
        ("builtin", "pipeline_value", None, False),
        ("builtin", "retention_rate", None, False),
        ("builtin", "avg_deal_size", None, False),
        ("aggregate", None, "count", True),
        ("aggregate", None, "sum", True),
        ("aggregate", None, "avg", False),
        ("aggregate", None, "count_distinct", False),
        ("manual", None, None, None),
        ("formula", None, None, None),
    ],
)
def test_is_additive(computation, code, measure, expected):
    assert pro_rata.is_additive(computation, code, measure) is expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 12, 2), (2, 31)),
        (D(2026, 12, 1), (1, 31)),
        (D(2026, 12, 31), (31, 31)),
        (D(2026, 11, 30), None),
        (D(2027, 1, 1), None),
    ],
)
def test_elapsed(today, expected):
    assert pro_rata.elapsed(D(2026, 12, 1), D(2026, 12, 31), today) == expected


def test_pro_rate_scales_every_figure():
    assert pro_rata.pro_rate(0.5, 320000.0, 0.0, 288000.0, 224000.0, "higher") == (
        160000.0,
        0.0,
        144000.0,
        112000.0,
    )
    assert pro_rata.pro_rate(0.25, 10.0, 20.0, 2.0, 4.0, "range") == (
        2.5,
        5.0,
        0.5,
        1.0,
    )


@pytest.mark.parametrize("share", [0, -0.1, 1.5])
def test_pro_rate_refuses_a_share_outside_the_period(share):
    with pytest.raises(ValueError):
        pro_rata.pro_rate(share, 1.0, 0.0, 0.9, 0.7, "higher")
