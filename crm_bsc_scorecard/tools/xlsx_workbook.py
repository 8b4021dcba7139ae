# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The scorecard workbook: sheets written with xlsxwriter from plain data.

Pure Python (no Odoo import): the model collects what the exporting user
may read into the plain structure described in ``build``'s docstring, opens
an in-memory xlsxwriter workbook (Odoo's, ``odoo.tools.misc.xlsxwriter``)
and hands both to ``build``. Tier 1 tests build workbooks from hand-made
data with plain xlsxwriter.

Every sheet is one function ``writer(book)`` taking a ``Book``; ``build``
runs the default ones (``SHEETS``) and any others it is given, so that
another addon adds its sheet (customers at risk, the CSF register, a
maturity assessment) by appending one function.

Scores are live formulas, written with their values (see
``xlsx_scorecard_sheet``).

The workbook's parts: ``xlsx_book`` (sheet names, cell references, the
``Book`` every sheet writes through), ``xlsx_scorecard_sheet`` (a sheet per
scorecard, with its live score formulas) and, here, the summary, coverage,
strategy map and history sheets and ``build``. The names other modules use
are imported from here (``__all__``).
"""

from . import scoring
from .xlsx_book import (
    DEFAULT_LABELS,
    LEVELS,
    UNITS,
    Book,
    cell,
    col_name,
    icon_set,
    quote_sheet,
    sheet_name,
    span,
    status_formula,
    status_label,
)
from .xlsx_scorecard_sheet import (
    C_ACTUAL,
    C_CALC,
    C_CODE,
    C_LINE_LEVEL,
    C_NOTE,
    C_SCORE,
    C_STATUS,
    C_TARGET,
    C_WEIGHT,
    HISTORY_COLUMNS,
    ROW_FIRST,
    ROW_NOTE,
    ROW_OVERALL,
    Layout,
    line_cache,
    lines_of,
    rollup_cache,
    write_scorecard_sheet,
    write_scorecard_sheets,
)

__all__ = [
    "C_ACTUAL",
    "C_CALC",
    "C_CODE",
    "C_NOTE",
    "C_SCORE",
    "C_TARGET",
    "C_WEIGHT",
    "DEFAULT_LABELS",
    "LEVELS",
    "ROW_FIRST",
    "ROW_NOTE",
    "ROW_OVERALL",
    "SHEETS",
    "UNITS",
    "Book",
    "build",
    "col_name",
    "quote_sheet",
    "sheet_name",
    "status_formula",
    "write_coverage_sheet",
    "write_history_sheet",
    "write_scorecard_sheet",
    "write_scorecard_sheets",
    "write_strategy_map_sheet",
    "write_summary_sheet",
]


def write_summary_sheet(book):
    """The scorecards side by side: overall and perspective scores (linked to
    their sheets, so they move with them), warning and critical counts, and
    the overall score over the last twelve periods with its sparkline."""
    scorecards = book.data.get("scorecards") or []
    ws = book.add_sheet("summary", book.label("summary"), "Summary")
    ws.write_string(0, 0, book.data.get("title") or book.label("summary"), book.title)
    if book.data.get("generated"):
        ws.write_string(1, 0, book.label("generated") % book.data["generated"])
    if not scorecards:
        ws.write_string(3, 0, book.label("no_scorecard"))
        return ws
    # the sheet names of the scorecards are taken now, in the tab order
    # the workbook will show (after this one)
    perspective_names = []
    for scorecard in scorecards:
        book.layouts[scorecard["key"]] = Layout(scorecard)
        for perspective in scorecard.get("perspectives", []):
            if perspective.get("name") not in perspective_names:
                perspective_names.append(perspective.get("name"))
    header_row = 3
    cols = ["scorecard", "segment", "period", "overall", "status"]
    c_persp = len(cols)
    c_warning = c_persp + len(perspective_names)
    c_critical = c_warning + 1
    c_trend = c_critical + 1
    c_hist = c_trend + 1
    for col, key in enumerate(cols):
        ws.write_string(header_row, col, book.label(key), book.header)
    for index, name in enumerate(perspective_names):
        ws.write_string(header_row, c_persp + index, name or "", book.header)
    ws.write_string(header_row, c_warning, book.label("warning_count"), book.header)
    ws.write_string(header_row, c_critical, book.label("critical_count"), book.header)
    ws.write_string(header_row, c_trend, book.label("trend"), book.header)
    # the scorecards' sheets must exist to be named in formulas: reserve
    # their names now (they are added right after this sheet)
    book.pending_scorecard_names = {}
    for scorecard in scorecards:
        book.pending_scorecard_names[scorecard["key"]] = sheet_name(
            scorecard.get("name"), set(book._taken), book.label("scorecard")
        )
        book._taken.add(book.pending_scorecard_names[scorecard["key"]].lower())
    periods_header = None
    for offset, scorecard in enumerate(scorecards):
        row = header_row + 1 + offset
        layout = book.layouts[scorecard["key"]]
        target = quote_sheet(book.pending_scorecard_names[scorecard["key"]])
        ws.write_string(row, 0, scorecard.get("name") or "")
        ws.write_string(row, 1, scorecard.get("segment") or "")
        ws.write_string(row, 2, scorecard.get("period") or "")
        _raw, overall = rollup_cache([line for line, _r in layout.lines])
        ws.write_formula(
            row,
            3,
            f"={target}!{cell(ROW_OVERALL, C_SCORE)}",
            book.fmt(num_format="0.00", bold=True),
            "" if overall is None else overall,
        )
        ws.write_formula(
            row,
            4,
            f"={target}!{cell(ROW_OVERALL, C_STATUS)}",
            None,
            status_label(book, scoring.status_from_score(overall)),
        )
        rows_by_name = {p.get("name"): (p, r) for p, r, _f, _l in layout.perspectives}
        for index, name in enumerate(perspective_names):
            if name not in rows_by_name:
                ws.write_blank(row, c_persp + index, None)
                continue
            perspective, p_row = rows_by_name[name]
            _raw, score = rollup_cache(lines_of(perspective))
            ws.write_formula(
                row,
                c_persp + index,
                f"={target}!{cell(p_row, C_SCORE)}",
                book.score_fmt,
                "" if score is None else score,
            )
        levels = (
            f"{target}!{cell(layout.first, C_LINE_LEVEL, True)}:"
            f"{cell(layout.last, C_LINE_LEVEL, True)}"
        )
        statuses = [line_cache(line)["status"] for line, _r in layout.lines]
        ws.write_formula(
            row,
            c_warning,
            f"=COUNTIF({levels},2)",
            None,
            statuses.count(scoring.WARNING),
        )
        ws.write_formula(
            row,
            c_critical,
            f"=COUNTIF({levels},1)",
            None,
            statuses.count(scoring.CRITICAL),
        )
        _write_summary_trend(book, ws, row, c_trend, c_hist, scorecard)
        if periods_header is None and scorecard.get("periods"):
            periods_header = list(scorecard["periods"])[-HISTORY_COLUMNS:]
    periods_header = periods_header or []
    periods_header = [""] * (HISTORY_COLUMNS - len(periods_header)) + periods_header
    for index, name in enumerate(periods_header):
        ws.write_string(header_row, c_hist + index, name, book.header)
    last = header_row + len(scorecards)
    icon_set(ws, header_row + 1, 3, last)
    if perspective_names:
        icon_set(ws, header_row + 1, c_persp, last, c_warning - 1)
    ws.freeze_panes(header_row + 1, 1)
    ws.set_column(0, 0, 32)
    ws.set_column(1, 2, 16)
    ws.set_column(3, c_critical, 13)
    ws.set_column(c_trend, c_trend, 20)
    ws.set_column(c_hist, c_hist + HISTORY_COLUMNS - 1, 10, None, {"level": 1})
    ws.set_row(header_row, 30)
    return ws


def _write_summary_trend(book, ws, row, c_trend, c_hist, scorecard):
    """The overall score of the last twelve periods and its sparkline."""
    history = list(scorecard.get("overall_history") or [])[-HISTORY_COLUMNS:]
    history = [None] * (HISTORY_COLUMNS - len(history)) + history
    for index, score in enumerate(history):
        if score is None:
            ws.write_blank(row, c_hist + index, None)
        else:
            ws.write_number(row, c_hist + index, score, book.score_fmt)
    if any(score is not None for score in history):
        ws.add_sparkline(
            row,
            c_trend,
            {
                "range": span(row, c_hist, HISTORY_COLUMNS),
                "markers": True,
                "empty_cells": "gaps",
            },
        )


def write_coverage_sheet(book):
    """Indicators × contact channels: which channel each indicator watches,
    and how many indicators watch each channel (0: nothing watches it)."""
    coverage = book.data.get("coverage")
    if not coverage:
        return None
    ws = book.add_sheet("coverage", book.label("coverage"), "Coverage")
    channels = coverage.get("channels", [])
    rows = coverage.get("rows", [])
    ws.write_string(0, 0, book.label("coverage"), book.title)
    ws.write_string(2, 0, book.label("indicator"), book.header)
    ws.write_string(2, 1, book.label("code"), book.header)
    for index, name in enumerate(channels):
        ws.write_string(2, 2 + index, name, book.header)
    c_count = 2 + len(channels)
    ws.write_string(2, c_count, book.label("channels_watched"), book.header)
    mark = book.fmt(align="center")
    for offset, row_data in enumerate(rows):
        row = 3 + offset
        ws.write_string(row, 0, row_data.get("indicator") or "")
        ws.write_string(row, 1, row_data.get("code") or "")
        cells = row_data.get("cells", [])
        for index, watched in enumerate(cells):
            if watched:
                ws.write_string(row, 2 + index, "●", mark)
            else:
                ws.write_blank(row, 2 + index, None, mark)
        if channels:
            ws.write_formula(
                row,
                c_count,
                f'=COUNTIF({cell(row, 2)}:{cell(row, c_count - 1)},"●")',
                None,
                sum(1 for watched in cells if watched),
            )
    total_row = 3 + len(rows)
    ws.write_string(
        total_row, 0, book.label("indicators_watching"), book.fmt(bold=True)
    )
    for index in range(len(channels)):
        col = 2 + index
        count = sum(
            1 for r in rows if index < len(r.get("cells", [])) and r["cells"][index]
        )
        ref = f"{cell(3, col)}:{cell(max(3, total_row - 1), col)}"
        ws.write_formula(
            total_row,
            col,
            f'=COUNTIF({ref},"●")',
            book.fmt(bold=True, align="center"),
            count,
        )
    if channels:
        ws.conditional_format(
            total_row,
            2,
            total_row,
            1 + len(channels),
            {
                "type": "cell",
                "criteria": "==",
                "value": 0,
                "format": book.fmt(bg_color="#F8CBAD", font_color="#9C0006"),
            },
        )
    ws.freeze_panes(3, 2)
    ws.set_column(0, 0, 36)
    ws.set_column(1, 1, 22)
    ws.set_column(2, 1 + max(1, len(channels)), 14)
    ws.set_column(c_count, c_count, 16)
    ws.set_row(2, 30)
    return ws


def write_strategy_map_sheet(book):
    """The cause-and-effect links between objectives, with their evidence."""
    links = book.data.get("links")
    if links is None:
        return None
    ws = book.add_sheet("strategy_map", book.label("strategy_map"), "Strategy Map")
    ws.write_string(0, 0, book.label("strategy_map"), book.title)
    headers = [
        "scorecard",
        "cause",
        "cause_perspective",
        "effect",
        "effect_perspective",
        "evidence",
        "rho",
        "lag",
        "periods",
    ]
    row = 2
    for col, key in enumerate(headers):
        ws.write_string(row, col, book.label(key), book.header)
    c_lags = len(headers)
    for lag in range(4):
        ws.write_string(row, c_lags + lag, book.label("rho_at_lag") % lag, book.header)
    c_sentence = c_lags + 4
    ws.write_string(row, c_sentence, book.label("what_was_measured"), book.header)
    verdict_formats = {
        "supported": book.fmt(font_color="#006100", bg_color="#C6EFCE"),
        "weak": book.fmt(font_color="#595959"),
        "contradicted": book.fmt(font_color="#9C0006", bg_color="#FFC7CE"),
        "insufficient": book.fmt(italic=True, font_color="#7F7F7F"),
    }
    rho_fmt = book.fmt(num_format="+0.00;-0.00;0.00")
    for offset, link in enumerate(links):
        r = row + 1 + offset
        ws.write_string(r, 0, link.get("scorecard") or "")
        ws.write_string(r, 1, link.get("cause") or "")
        ws.write_string(r, 2, link.get("cause_perspective") or "")
        ws.write_string(r, 3, link.get("effect") or "")
        ws.write_string(r, 4, link.get("effect_perspective") or "")
        ws.write_string(
            r,
            5,
            link.get("verdict_label") or "",
            verdict_formats.get(link.get("verdict")),
        )
        for col, key, fmt in (
            (6, "rho", rho_fmt),
            (7, "lag", None),
            (8, "periods", None),
        ):
            if link.get(key) is None:
                ws.write_blank(r, col, None, fmt)
            else:
                ws.write_number(r, col, link[key], fmt)
        by_lag = link.get("by_lag") or {}
        for lag in range(4):
            rho = (by_lag.get(lag) or (None, 0))[0]
            if rho is None:
                ws.write_blank(r, c_lags + lag, None, rho_fmt)
            else:
                ws.write_number(r, c_lags + lag, rho, rho_fmt)
        ws.write_string(
            r, c_sentence, link.get("sentence") or "", book.fmt(text_wrap=True)
        )
    if links:
        ws.conditional_format(
            row + 1,
            c_lags,
            row + len(links),
            c_lags + 3,
            {
                "type": "3_color_scale",
                "min_type": "num",
                "min_value": -1,
                "mid_type": "num",
                "mid_value": 0,
                "max_type": "num",
                "max_value": 1,
                "min_color": "#F8696B",
                "mid_color": "#FFFFFF",
                "max_color": "#63BE7B",
            },
        )
    ws.freeze_panes(row + 1, 0)
    ws.set_column(0, 0, 24)
    ws.set_column(1, 4, 26)
    ws.set_column(5, 5, 16)
    ws.set_column(6, c_lags + 3, 11)
    ws.set_column(c_sentence, c_sentence, 80)
    ws.set_row(row, 30)
    return ws


HISTORY_HEADERS = (
    "period",
    "start",
    "scorecard",
    "segment",
    "channel",
    "salesperson",
    "team",
    "indicator",
    "code",
    "unit",
    "value",
    "target",
    "score",
    "status",
)


def write_history_sheet(book):
    """Every stored value of the exported scorecards' indicators, as an
    Excel table with filters."""
    history = book.data.get("history")
    if history is None:
        return None
    ws = book.add_sheet("history", book.label("history"), "Values")
    columns = [{"header": book.label(key)} for key in HISTORY_HEADERS]
    date_fmt = book.fmt(num_format="yyyy-mm-dd")
    rows = history or []
    for offset, value in enumerate(rows):
        r = 1 + offset
        unit = value.get("unit") or "count"
        ws.write_string(r, 0, value.get("period") or "")
        if value.get("start"):
            ws.write_datetime(r, 1, value["start"], date_fmt)
        else:
            ws.write_blank(r, 1, None, date_fmt)
        for col, key in (
            (2, "scorecard"),
            (3, "segment"),
            (4, "channel"),
            (5, "salesperson"),
            (6, "team"),
        ):
            ws.write_string(r, col, value.get(key) or book.label("all"))
        ws.write_string(r, 7, value.get("indicator") or "")
        ws.write_string(r, 8, value.get("code") or "")
        ws.write_string(r, 9, book.label(f"unit_{unit}"))
        for col, key, fmt in (
            (10, "value", book.unit_fmt(unit)),
            (11, "target", book.unit_fmt(unit)),
            (12, "score", book.score_fmt),
        ):
            if value.get(key) is None:
                ws.write_blank(r, col, None, fmt)
            else:
                ws.write_number(r, col, value[key], fmt)
        ws.write_string(r, 13, value.get("status_label") or "")
    last = max(1, len(rows))
    ws.add_table(
        0,
        0,
        last,
        len(HISTORY_HEADERS) - 1,
        {
            "name": book.table_name("ValueHistory"),
            "columns": columns,
            "autofilter": True,
            "style": "Table Style Light 9",
        },
    )
    ws.freeze_panes(1, 0)
    widths = (12, 11, 24, 16, 16, 18, 16, 32, 22, 10, 14, 14, 9, 12)
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    return ws


# The default sheets, in their order. Another addon passes its own writers
# to ``build`` (see crm.bsc.scorecard._xlsx_sheet_writers).
SHEETS = (
    write_summary_sheet,
    write_scorecard_sheets,
    write_coverage_sheet,
    write_strategy_map_sheet,
    write_history_sheet,
)


def build(workbook, data, sheets=SHEETS):
    """Write the workbook's sheets from ``data``:

    - ``title``, ``generated`` (text), ``rtl`` (bool), ``labels`` (the
      translated texts, see DEFAULT_LABELS), ``currency`` ({symbol,
      position: "before"/"after", digits});
    - ``scorecards``: [{key, name, segment, period, company, note,
      periods: [names, oldest first], overall_history: [score or None],
      perspectives: [{name, objectives: [{name, lines}], loose: [lines]}]}],
      a line being {code, name, unit, direction, weight, actual (None: no
      data), target, target_max, warning, critical, pro_rated_of (the full
      target when the others are pro-rated), history: [value or None]};
    - ``coverage``: {channels: [names], rows: [{indicator, code, cells:
      [bool per channel]}]};
    - ``links``: [{scorecard, cause, cause_perspective, effect,
      effect_perspective, verdict, verdict_label, rho, lag, periods,
      by_lag, sentence}];
    - ``history``: [{period, start (date), scorecard, segment, channel,
      salesperson, team, indicator, code, unit, value, target, score,
      status_label}].

    Returns the Book (its ``sheets`` maps each sheet's key to its name).
    """
    book = Book(workbook, data)
    for writer in sheets:
        writer(book)
    return book
