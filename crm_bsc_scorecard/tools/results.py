# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The vocabulary of the indicator engine: keys, results and the reasons
there is no value (pure Python, no Odoo import).

A *key* names one value: (period id, segment id, channel id, user id, team
id), None in a dimension meaning "all". A *result* is (value, reason): a
number and None, or None and the reason there is no value, a ``NoData``.

``Key`` and ``Result`` are named tuples, equal (and hashing alike) to the
plain tuples of the same shape: build and read keys and results through
them where names help. The engine's inner loops (decoding rows, filling
keys, combining measures) make plain tuples of that shape instead: they
make a hundred thousand of them per run, and instances of a tuple subclass
are followed by the garbage collector where plain tuples of numbers are
not, which slowed a small computation by a third.
"""

from typing import NamedTuple

from . import formula as formula_tools

NO_BASE = "no_base"  # a rate or an average over nothing
NO_SOURCE = "no_source"  # the data the indicator reads is not available
MISSING = formula_tools.REASON_MISSING
DIVISION_BY_ZERO = formula_tools.REASON_DIVISION_BY_ZERO
ERROR = "error"

# what a key without any row of its family gets
EMPTY_ZERO = "zero"  # counts and sums: 0
EMPTY_NONE = "none"  # rates and averages: no value (NO_BASE)

# the longest reason a stored value keeps
REASON_SIZE = 250


class Key(NamedTuple):
    """The key of a value; None in a dimension means "all"."""

    period: int
    segment: int | None = None
    channel: int | None = None
    user: int | None = None
    team: int | None = None


class NoData(str):
    """Why a result has no value: a reason code (NO_BASE, MISSING, ERROR,
    NO_SOURCE, ...) and, for errors, what went wrong. It is the text
    ``"code"`` or ``"code: detail"``, so it compares with the reason codes
    and is stored as it is (cut to REASON_SIZE when stored)."""

    def __new__(cls, code, detail=""):
        detail = str(detail or "")
        text = f"{code}: {detail}" if detail else str(code)
        self = super().__new__(cls, text)
        self.code = str(code)
        self.detail = detail
        return self

    @classmethod
    def of(cls, reason):
        """A NoData from a reason (a NoData, a code, or "code: detail")."""
        if isinstance(reason, NoData):
            return reason
        known = _KNOWN.get(reason)
        if known is not None:
            return known
        code, _sep, detail = str(reason).partition(": ")
        return cls(code, detail)

    @classmethod
    def from_error(cls, error):
        """The reason of an indicator whose data could not be read."""
        if isinstance(error, NoSourceError):
            return cls(NO_SOURCE, error)
        return cls(ERROR, error)

    def stored(self):
        """The text kept on a stored value."""
        return str(self)[:REASON_SIZE]


# the reasons without detail, made once
_KNOWN = {
    code: NoData(code)
    for code in (NO_BASE, NO_SOURCE, MISSING, DIVISION_BY_ZERO, ERROR)
}


class Result(NamedTuple):
    """One result: a value, or None and the reason (a NoData)."""

    value: float | None
    reason: NoData | None = None

    @classmethod
    def none(cls, reason):
        return cls(None, NoData.of(reason))


class Rule(NamedTuple):
    """How an indicator's value is made from its family's measures."""

    measures: tuple
    combine: object  # measures -> (value, None) or (None, reason)
    empty: str  # EMPTY_ZERO or EMPTY_NONE


class DataError(Exception):
    """The data an indicator reads cannot be read as configured (a domain
    that no longer evaluates, a field that is gone): that indicator has no
    value, with this reason, and the others compute."""


class NoSourceError(Exception):
    """The data an indicator reads is not available (a module is missing)."""


def ratio(num, den, scale=1.0):
    """``scale * num / den``, no value over nothing (NO_BASE)."""
    if not den:
        return None, NO_BASE
    return scale * (num or 0.0) / den, None
