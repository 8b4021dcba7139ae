# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the planning sheets share (see ``xlsx_planning``): cell references
as crm_bsc_scorecard's workbook writes them, and the default labels.
Pure Python (no Odoo import)."""


# ---------------------------------------------------------------------------
# Cell references (A1), as xlsx_workbook writes them
# ---------------------------------------------------------------------------


def col_name(index):
    """Column letters of a 0-based index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell(row, col):
    return f"{col_name(col)}{row + 1}"


def span(first_row, first_col, last_row, last_col):
    return f"{cell(first_row, first_col)}:{cell(last_row, last_col)}"


LABELS = {
    "csf_register": "Success Factors",
    "csf_indicators": "Success Factor Indicators",
    "csf_actions": "Action Plans",
    "maturity": "Maturity Assessment",
    "csf_level": "Level",
    "csf_name": "Success factor",
    "category": "Category",
    "serves": "Serves",
    "owner": "Owner",
    "state": "State",
    "health": "Health",
    "health_status": "Health status",
    "date_start": "Start",
    "date_target": "Target date",
    "budget": "Budget",
    "fte": "People (FTE)",
    "indicator_count": "Indicators",
    "open_actions": "Open actions",
    "overdue_actions": "Overdue actions",
    "gaps": "Measurement gaps",
    "indicator_type": "Leading / lagging",
    "granularity": "Granularity",
    "target_source": "Target from",
    "trend": "Trend",
    "action": "What",
    "who": "Who",
    "deadline": "By when",
    "overdue": "Overdue",
    "date_done": "Completed on",
    "targeted_indicators": "Targeted indicators",
    "targeted_segments": "Targeted segments",
    "action_effect": "Did it work?",
    "no_factor": "No success factor to export.",
    "building_block": "Building block",
    "current_level": "Current level",
    "target_level": "Target",
    "level_gap": "Gap",
    "previous_level": "Previous",
    "level_change": "Change",
    "rating_count": "Ratings",
    "spread": "Spread",
    "assessors_disagree": "Assessors disagree",
    "measured_level": "Measured level",
    "data_disagrees": "Data disagrees",
    "evidence_from_data": "Evidence from the data",
    "closing_actions": "Actions that close the gap",
    "overall_maturity": "Overall maturity",
    "assessors": "Assessors: %s",
    "compared_with": "Compared with %s",
    "radar_title": "Current, target and previous levels",
    "radar_current": "Current",
    "radar_target": "Target",
    "radar_previous": "Previous",
    "chart_data": "Chart",
    "flag_mark": "⚠",
    "overdue_mark": "⚠",
}


def _labels(book):
    for key, text in LABELS.items():
        book.labels.setdefault(key, text)
