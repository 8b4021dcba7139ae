# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Running totals kept between runs, without the database: their kept form
(one JSON list per period) and the check of the totals once the changes of
the changed records are added (``engine/kept.py``, ``crm.bsc.running.total``)."""

import json


def encode(measures, totals):
    """The kept form of one period's totals {key: measures}: a JSON list of
    [segment, channel, user, team, *measures] (the family's measures, in
    their order)."""
    rows = [
        [*key[1:], *(values.get(name, 0.0) for name in measures)]
        for key, values in totals.items()
    ]
    rows.sort(key=lambda row: [-1 if item is None else item for item in row[:4]])
    return json.dumps(rows)


def decode(measures, period_id, kept):
    """{key: measures} of one period from its kept form (see encode)."""
    rows = json.loads(kept) if isinstance(kept, str) else kept or []
    return {
        (period_id, *row[:4]): dict(zip(measures, row[4:], strict=True)) for row in rows
    }


def checked(measures, totals):
    """The totals with the changes added: those where nothing counts any
    more are left out (a full read has no row there); a negative count
    means changes that do not add up (ValueError). The first of
    ``measures`` is the number of records counted."""
    presence = measures[0]
    result = {}
    for key, values in totals.items():
        count = round(values.get(presence, 0.0))
        if count < 0:
            raise ValueError(f"running totals below zero at {key}: {values}")
        if count:
            result[key] = {name: round(value, 6) for name, value in values.items()}
    return result
