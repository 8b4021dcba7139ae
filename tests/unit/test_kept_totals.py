"""Running totals kept between runs (tools/kept_totals.py): their kept form,
and totals kept and brought up to date with the changes of the changed
records equal to totals read again from every record."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import load_pure_module

engine = load_pure_module("crm_bsc_scorecard", "tools/engine.py")
customer_counts = load_pure_module("crm_bsc_scorecard", "tools/customer_counts.py")
kept_totals = load_pure_module("crm_bsc_scorecard", "tools/kept_totals.py")

MEASURES = ("present_count", "amount")
DAY0 = datetime.date(2026, 1, 1)
ENDS = [DAY0 + datetime.timedelta(days=30 * (i + 1)) for i in range(4)]
IDS = [11, 12, 13, 14]


def changes(records, weight=1):
    """What sql.running computes from records (enters, leaves, seg, amount)
    before the running sums: per 1-based position of the period ends, the
    records that start and stop counting there (an oracle in Python)."""

    def bucket(day):
        return sum(1 for end in ENDS if end <= day)

    table = {}
    for enters, leaves, seg, amount in records:
        js = bucket(enters - datetime.timedelta(days=1))
        je = (
            len(ENDS) if leaves is None else bucket(leaves - datetime.timedelta(days=1))
        )
        if js >= je:
            continue
        for position, sign in ((js + 1, 1), (je + 1, -1)):
            if position <= len(ENDS):
                entry = table.setdefault((position, seg, None, None, None), {})
                entry["present_count"] = entry.get("present_count", 0) + sign * weight
                entry["amount"] = entry.get("amount", 0) + sign * weight * amount
    return table


days = st.integers(min_value=0, max_value=150).map(
    lambda n: DAY0 + datetime.timedelta(days=n)
)
records = st.lists(
    st.tuples(
        days,
        st.one_of(st.none(), days),
        st.sampled_from([1, 2, 3]),
        st.integers(min_value=0, max_value=10_000),
    ),
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(records, records, st.data())
def test_kept_totals_with_the_changes_are_the_totals_read_again(before, new, data):
    """Some records change, some go and some appear: the kept totals plus
    the running sums of the records logged as they are now, less as they
    were, equal the totals of every record now."""
    before = dict(enumerate(before))
    after = dict(before)
    logged = set()
    for index, record in enumerate(new):
        target = data.draw(st.integers(min_value=0, max_value=len(before) + 3))
        logged.add(target)
        if index % 4 == 3:
            after.pop(target, None)  # deleted
        else:
            after[target] = record  # changed, or created
    kept = engine.running_totals(changes(before.values()), IDS, "present_count")
    delta_changes = changes(after[i] for i in logged if i in after)
    customer_counts.add_counts(
        delta_changes, changes(before[i] for i in logged if i in before), sign=-1
    )
    delta = engine.running_totals(delta_changes, IDS, None)
    totals = {key: dict(values) for key, values in kept.items()}
    customer_counts.add_counts(totals, delta)
    expected = engine.running_totals(changes(after.values()), IDS, "present_count")
    assert kept_totals.checked(MEASURES, totals) == expected


def test_encode_and_decode_keep_every_key_and_measure():
    totals = {
        (7, 1, None, 3, None): {"present_count": 2.0, "amount": 150.5},
        (7, None, None, None, None): {"present_count": 5.0, "amount": 0.25},
    }
    kept = kept_totals.encode(MEASURES, totals)
    assert kept_totals.decode(MEASURES, 7, kept) == totals


def test_checked_drops_what_counts_nothing_and_refuses_negative_counts():
    assert kept_totals.checked(
        MEASURES,
        {
            (1, 1, None, None, None): {"present_count": 0.0, "amount": 1e-9},
            (1, 2, None, None, None): {"present_count": 1.0, "amount": 2.0000001},
        },
    ) == {(1, 2, None, None, None): {"present_count": 1.0, "amount": 2.0}}
    with pytest.raises(ValueError, match="below zero"):
        kept_totals.checked(
            MEASURES, {(1, 1, None, None, None): {"present_count": -1.0}}
        )


def test_running_totals_of_changes_keep_every_nonzero_total():
    """Changes of totals (presence None) are kept wherever a total moved,
    a count of zero with an amount that moved included."""
    table = {
        (1, 1, None, None, None): {"present_count": 1.0, "amount": 10.0},
        (2, 1, None, None, None): {"present_count": -1.0, "amount": -4.0},
    }
    assert engine.running_totals(table, [5, 6], None) == {
        (5, 1, None, None, None): {"present_count": 1.0, "amount": 10.0},
        (6, 1, None, None, None): {"present_count": 0.0, "amount": 6.0},
    }
