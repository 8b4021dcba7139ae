"""Measured signal to rubric level (crm_csf_planning tools/signals.py)."""

import pytest

from conftest import load_pure_module

signals = load_pure_module("crm_csf_planning", "tools/signals.py")


@pytest.mark.parametrize(
    ("value", "level"),
    [
        (None, None),
        (0.0, 1),
        (0.1999, 1),
        (0.2, 2),
        (0.39, 2),
        (0.4, 3),
        (0.5, 3),
        (0.6, 4),
        (0.79, 4),
        (0.8, 5),
        (1.0, 5),
        # outside 0..1 is clamped
        (-0.5, 1),
        (1.5, 5),
    ],
)
def test_default_bands(value, level):
    assert signals.level_from_bands(value) == level


@pytest.mark.parametrize(
    ("value", "level"),
    [(1.0, 5), (0.95, 4), (0.9, 4), (0.8, 3), (0.75, 3), (0.6, 2), (0.5, 2), (0.49, 1)],
)
def test_strict_bands_of_the_scheduled_actions(value, level):
    assert signals.level_of("technology_crons", value) == level


@pytest.mark.parametrize(
    ("code", "value", "level"),
    [
        # scores are 0-100
        ("experience_response", 100.0, 5),
        ("experience_response", 79.9, 4),
        ("experience_retention", 40.0, 3),
        ("experience_retention", 0.0, 1),
        ("experience_retention", None, None),
        # shares are 0..1
        ("metrics_targets", 0.25, 2),
        ("processes_questions", 0.6, 4),
        ("strategy_committed", 0.0, 1),
    ],
)
def test_level_of_each_kind(code, value, level):
    assert signals.level_of(code, value) == level


def test_every_signal_names_a_block_and_a_kind():
    blocks = {
        "vision",
        "strategy",
        "experience",
        "collaboration",
        "processes",
        "information",
        "technology",
        "metrics",
    }
    for code, (block, kind, bands, name, explanation) in signals.SIGNALS.items():
        assert block in blocks, code
        assert kind in (signals.SHARE, signals.SCORE), code
        assert [level for _b, level in bands] == [5, 4, 3, 2], code
        assert name and explanation, code
    # the database cannot speak to the vision
    assert signals.signals_of_block("vision") == []
    assert signals.signals_of_block("information") == [
        "information_customers",
        "information_completeness",
    ]


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [(1, 4, 0.25), (0, 3, 0.0), (3, 0, None), (0, 0, None)],
)
def test_share(numerator, denominator, expected):
    assert signals.share(numerator, denominator) == expected


@pytest.mark.parametrize(
    ("level", "rating", "flagged"),
    [
        (5, 3.0, True),
        (5, 3.5, False),
        (1, 3.0, True),
        (2, 3.9, False),
        (4, 4.0, False),
        (None, 3.0, False),
        (3, None, False),
    ],
)
def test_disagreement_of_two_levels_is_flagged(level, rating, flagged):
    assert signals.disagrees(level, rating) is flagged
