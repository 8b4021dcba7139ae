# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The planning sheets of the workbook: the CSF register (factors with their
health, their indicators, their action plans) and maturity assessments with
a radar chart of current, target and previous levels.

Pure Python (no Odoo import). Each sheet is a writer ``writer(book)`` as
crm_bsc_scorecard's ``tools/xlsx_workbook.build`` runs them: ``book`` is its
``Book`` (the sheet names, the formats, the labels, ``write_table``), so
that the planning sheets follow the scorecard workbook's conventions
(frozen headers, widths, number formats, unique sheet names, right to left
for Persian) without importing the other addon.

The data, under ``book.data``:

- ``csf_register``: {"note", "factors": [{depth, level, name, code,
  category, parent, owner, team, state, health (None: no data),
  health_status, date_start, date_target, budget, currency, fte,
  indicators, open_actions, overdue_actions, gaps}], "indicators":
  [{factor, indicator, code, indicator_type, segment, granularity, weight,
  period, value, unit, target, target_source, score, status, trend}],
  "actions": [{factor, name, user, deadline, state, overdue (bool),
  date_done, indicators, segments, effect}]};
- ``assessments``: [{key, name, date, company, state, assessors: [names],
  previous: text or "", blocks: [{name, code, ratings: [level or None per
  assessor], mean (the stored mean, used without assessors), target,
  previous (None: not rated before), signal_level (None: nothing
  measured), signal_flag (bool), evidence, actions}]}].

In a maturity sheet the assessors' ratings are inputs (yellow) and the
current level of each block (their mean), its gap to the target, its
change since the previous assessment, the spread of the ratings and the
overall levels are formulas, written with their values (computed here as
the addon computes them, tools/maturity.py): change a rating or a target
in Excel and the levels, the gaps and the radar chart move.

The sheets live here (the CSF register) and in ``xlsx_maturity`` (the
maturity assessments), with what they share in ``xlsx_cells``; this module
is their API (``__all__``).
"""

from .xlsx_cells import LABELS, _labels, cell, col_name, span
from .xlsx_maturity import (
    M_ACTIONS,
    M_BLOCK,
    M_CHANGE,
    M_CODE,
    M_COUNT,
    M_CURRENT,
    M_DATA_FLAG,
    M_DISAGREE,
    M_EVIDENCE,
    M_GAP,
    M_MEASURED,
    M_PREVIOUS,
    M_RATINGS,
    M_ROW_FIRST,
    M_ROW_HEADER,
    M_ROW_OVERALL,
    M_SPREAD,
    M_TARGET,
    MaturityLayout,
    block_cache,
    overall_cache,
    write_maturity_sheet,
    write_maturity_sheets,
)

__all__ = [
    "LABELS",
    "M_ACTIONS",
    "M_BLOCK",
    "M_CHANGE",
    "M_CODE",
    "M_COUNT",
    "M_CURRENT",
    "M_DATA_FLAG",
    "M_DISAGREE",
    "M_EVIDENCE",
    "M_GAP",
    "M_MEASURED",
    "M_PREVIOUS",
    "M_RATINGS",
    "M_ROW_FIRST",
    "M_ROW_HEADER",
    "M_ROW_OVERALL",
    "M_SPREAD",
    "M_TARGET",
    "PLANNING_SHEETS",
    "REGISTER_HEADER_ROW",
    "MaturityLayout",
    "block_cache",
    "cell",
    "col_name",
    "overall_cache",
    "span",
    "write_csf_actions_sheet",
    "write_csf_indicators_sheet",
    "write_csf_register_sheet",
    "write_maturity_sheet",
    "write_maturity_sheets",
]


# ---------------------------------------------------------------------------
# The CSF register
# ---------------------------------------------------------------------------
REGISTER_COLUMNS = (
    ("level", "csf_level", "text", 13),
    ("name", "csf_name", "text", 40),
    ("code", "code", "text", 12),
    ("category", "category", "text", 24),
    ("parent", "serves", "text", 28),
    ("owner", "owner", "text", 20),
    ("team", "team", "text", 16),
    ("state", "state", "text", 12),
    ("health", "health", "score", 10),
    ("health_status", "health_status", "text", 12),
    ("date_start", "date_start", "date", 12),
    ("date_target", "date_target", "date", 12),
    ("budget", "budget", "currency", 14),
    ("fte", "fte", "number", 10),
    ("indicators", "indicator_count", "int", 11),
    ("open_actions", "open_actions", "int", 11),
    ("overdue_actions", "overdue_actions", "int", 11),
    ("gaps", "gaps", "long", 48),
)
REGISTER_HEADER_ROW = 3

INDICATOR_COLUMNS = (
    ("factor", "csf_name", "text", 36),
    ("indicator", "indicator", "text", 30),
    ("code", "code", "text", 20),
    ("indicator_type", "indicator_type", "text", 12),
    ("segment", "segment", "text", 16),
    ("granularity", "granularity", "text", 12),
    ("weight", "weight", "number", 8),
    ("period", "period", "text", 11),
    ("value", "value", "unit", 14),
    ("target", "target", "unit", 14),
    ("target_source", "target_source", "text", 12),
    ("score", "score", "score", 10),
    ("status", "status", "text", 12),
    ("trend", "trend", "text", 11),
)

ACTION_COLUMNS = (
    ("factor", "csf_name", "text", 36),
    ("name", "action", "text", 40),
    ("user", "who", "text", 20),
    ("deadline", "deadline", "date", 12),
    ("state", "state", "text", 12),
    ("overdue", "overdue", "text", 9),
    ("date_done", "date_done", "date", 12),
    ("indicators", "targeted_indicators", "long", 30),
    ("segments", "targeted_segments", "long", 22),
    ("effect", "action_effect", "text", 20),
)


def write_csf_register_sheet(book):
    """The success factors in their tree (a factor under the one it serves,
    indented), with their health (traffic lights), plan and gaps."""
    register = book.data.get("csf_register")
    if register is None:
        return None
    _labels(book)
    ws = book.add_sheet("csf_register", book.label("csf_register"), "Success Factors")
    ws.write_string(0, 0, book.label("csf_register"), book.title)
    factors = register.get("factors") or []
    note = register.get("note") or ("" if factors else book.label("no_factor"))
    if note:
        ws.write_string(1, 0, note, book.fmt(italic=True))
    book.write_table(
        ws,
        REGISTER_HEADER_ROW,
        REGISTER_COLUMNS,
        factors,
        name="SuccessFactors",
        freeze_cols=2,
    )
    name_col = [key for key, *_rest in REGISTER_COLUMNS].index("name")
    for offset, factor in enumerate(factors):
        depth = factor.get("depth") or 0
        if depth:
            # a factor under the one it serves
            ws.write_string(
                REGISTER_HEADER_ROW + 1 + offset,
                name_col,
                factor.get("name") or "",
                book.fmt(indent=min(depth, 15)),
            )
    return ws


def write_csf_indicators_sheet(book):
    """The indicators that measure each factor: the latest complete
    period's value, target and score."""
    register = book.data.get("csf_register")
    if register is None or not register.get("factors"):
        return None
    _labels(book)
    ws = book.add_sheet(
        "csf_indicators", book.label("csf_indicators"), "Success Factor Indicators"
    )
    book.write_table(
        ws,
        0,
        INDICATOR_COLUMNS,
        register.get("indicators") or [],
        name="SuccessFactorIndicators",
        freeze_cols=1,
    )
    return ws


def write_csf_actions_sheet(book):
    """The action plans of the factors: what, who, by when, their state and
    whether they worked; overdue actions in red."""
    register = book.data.get("csf_register")
    if register is None or not register.get("factors"):
        return None
    _labels(book)
    ws = book.add_sheet("csf_actions", book.label("csf_actions"), "Action Plans")
    actions = [
        {
            **action,
            "overdue": book.label("overdue_mark") if action.get("overdue") else "",
        }
        for action in register.get("actions") or []
    ]
    last = book.write_table(
        ws, 0, ACTION_COLUMNS, actions, name="ActionPlans", freeze_cols=1
    )
    if actions:
        overdue_col = col_name([key for key, *_rest in ACTION_COLUMNS].index("overdue"))
        ws.conditional_format(
            1,
            0,
            last,
            len(ACTION_COLUMNS) - 1,
            {
                "type": "formula",
                "criteria": f'=${overdue_col}2<>""',
                "format": book.fmt(font_color="#9C0006", bg_color="#FFC7CE"),
            },
        )
    return ws


PLANNING_SHEETS = (
    write_csf_register_sheet,
    write_csf_indicators_sheet,
    write_csf_actions_sheet,
    write_maturity_sheets,
)
