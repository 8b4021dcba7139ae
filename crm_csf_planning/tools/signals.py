# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Evidence from the data for the maturity assessment: which signals the
database measures for which building block, and how a measured signal maps
to a level 1-5 of the rubric.

Pure Python: imports nothing from Odoo. The measuring itself (SQL) is in
``models/crm_maturity_evidence.py``; this module holds the mapping, which
tables of tests pin down.

A signal is measured either as a *share* (0..1: of the indicators, of the
customers, ...) or as a *score* (0-100 against a target, as the scorecard
scores). Both map to a level through bands: a list of (lower bound, level),
highest bound first; the first band whose bound the value reaches gives the
level, and a value below every bound is level 1.
"""

SHARE = "share"
SCORE = "score"

# the usual bands: a fifth of the way per level
DEFAULT_BANDS = ((0.8, 5), (0.6, 4), (0.4, 3), (0.2, 2))
# a scheduled action that fails is a problem at once: all healthy is 5,
# one in ten failing already 4
STRICT_BANDS = ((1.0, 5), (0.9, 4), (0.75, 3), (0.5, 2))

# A signal assessors should look at: the signal's level and the mean rating
# differ by this much or more.
DISAGREEMENT = 2


def _(source):
    """Mark a text for translation (Odoo's extractor collects the texts of
    ``_()`` calls of the addon's Python files; the model translates them)."""
    return source


# code: (building block code, kind, bands, name, what it measures)
SIGNALS = {
    "metrics_targets": (
        "metrics",
        SHARE,
        DEFAULT_BANDS,
        _("Indicators with a target and a value"),
        _(
            "Of the active indicators the company can use, the share that has "
            "a target on an active scorecard and a value in that scorecard's "
            "last closed period (the last period that ended, while none is "
            "closed)."
        ),
    ),
    "information_customers": (
        "information",
        SHARE,
        DEFAULT_BANDS,
        _("Complete customer records"),
        _(
            "Of the customers (companies and individuals with an opportunity), "
            "the share of four facts recorded: segment, preferred contact "
            "channel, e-mail and phone."
        ),
    ),
    "information_completeness": (
        "information",
        SHARE,
        DEFAULT_BANDS,
        _("Data completeness indicator"),
        _(
            "The value of the scorecard's data completeness indicator for all "
            "customers, in the latest period that ended with one, as a share."
        ),
    ),
    "technology_crons": (
        "technology",
        SHARE,
        STRICT_BANDS,
        _("Scheduled actions running without errors"),
        _(
            "Of the active scheduled actions of the scorecard and planning "
            "addons, the share that ran in the last 30 days and is not failing."
        ),
    ),
    "strategy_scorecards": (
        "strategy",
        SHARE,
        DEFAULT_BANDS,
        _("Segments with an active scorecard"),
        _(
            "Of the company's active customer segments, the share followed by "
            "an active scorecard."
        ),
    ),
    "strategy_committed": (
        "strategy",
        SHARE,
        DEFAULT_BANDS,
        _("Critical success factors committed"),
        _(
            "Of the company's critical success factors that are not dropped, "
            "the share committed to or achieved."
        ),
    ),
    "processes_questions": (
        "processes",
        SHARE,
        DEFAULT_BANDS,
        _("Key questions answered and reviewed on time"),
        _(
            "Of the company's key questions of the CRM processes, the share "
            "that has an answer and is not past its review date."
        ),
    ),
    "collaboration_won": (
        "collaboration",
        SHARE,
        DEFAULT_BANDS,
        _("Won opportunities worked on by several people"),
        _(
            "Of the opportunities won in the last 365 days, the share with "
            "activities (planned or done) of more than one user."
        ),
    ),
    "experience_response": (
        "experience",
        SCORE,
        DEFAULT_BANDS,
        _("First response time against target"),
        _(
            "The score (0-100 against its target) of the first response time "
            "indicator for all customers, in the latest period that ended with one."
        ),
    ),
    "experience_retention": (
        "experience",
        SCORE,
        DEFAULT_BANDS,
        _("Customer retention against target"),
        _(
            "The score (0-100 against its target) of the customer retention "
            "rate indicator for all customers, in the latest period that ended "
            "with one."
        ),
    ),
}


def signals_of_block(block_code):
    """Codes of the signals measured for a building block, in table order."""
    return [code for code, spec in SIGNALS.items() if spec[0] == block_code]


def level_from_bands(value, bands=DEFAULT_BANDS):
    """Level 1-5 of a value on 0..1 through ``bands``; None stays None."""
    if value is None:
        return None
    value = min(max(float(value), 0.0), 1.0)
    for bound, level in bands:
        if value >= bound - 1e-12:
            return level
    return 1


def level_of(code, value):
    """Level of the measured ``value`` of signal ``code``: a share (0..1) or
    a score (0-100)."""
    _block, kind, bands, _name, _help = SIGNALS[code]
    if value is None:
        return None
    if kind == SCORE:
        value = float(value) / 100.0
    return level_from_bands(value, bands)


def share(numerator, denominator):
    """numerator / denominator, None when there is nothing to count."""
    if not denominator:
        return None
    return numerator / denominator


def disagrees(signal_level, rating, threshold=DISAGREEMENT):
    """True when a signal's level and a (mean) rating differ by ``threshold``
    or more; False when either is missing."""
    if signal_level is None or rating is None:
        return False
    return abs(signal_level - rating) >= threshold - 1e-9
