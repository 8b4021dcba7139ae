# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The scorecard sheets of the workbook (see ``xlsx_workbook``): one per
scorecard, with perspectives, objectives and indicators, their inputs, live
score formulas and the last twelve periods.

Each indicator row computes, in grouped calculation columns, exactly what
``scoring.evaluate`` computes: the shortfalls at the warning and critical
thresholds, the value's shortfall, the score between the anchors 100 / 70 /
40 / 0, rounded to two decimals half to even like Python's ``round``, then
kept below the band of a worse status; roll-ups (objective, perspective,
overall) are the weighted means of the line scores that exist, rounded the
same way. Each formula is written with its value (computed here with
``scoring``) so that viewers that do not recalculate show numbers.

Pure Python (no Odoo import).
"""

from . import scoring
from .xlsx_book import (
    LEVELS,
    cell,
    icon_set,
    py_round2,
    span,
    status_formula,
    status_label,
)

# ---------------------------------------------------------------------------
# The scorecard sheet's columns (0-based)
# ---------------------------------------------------------------------------
C_ITEM, C_CODE, C_UNIT, C_DIRECTION, C_WEIGHT = 0, 1, 2, 3, 4
C_ACTUAL, C_TARGET, C_TARGET_MAX, C_WARNING, C_CRITICAL = 5, 6, 7, 8, 9
C_SCORE, C_STATUS, C_TREND, C_NOTE = 10, 11, 12, 13
C_HISTORY = 14  # twelve columns of past values
HISTORY_COLUMNS = 12
C_CALC = C_HISTORY + HISTORY_COLUMNS  # the calculation columns
(
    C_DIR_KEY,
    C_GAP_W,
    C_GAP_C,
    C_VALID,
    C_GAP,
    C_RAW,
    C_RAW100,
    C_LEVEL,
    C_COUNTED_WEIGHT,
    C_WEIGHTED,
    C_LINE_LEVEL,
) = range(C_CALC, C_CALC + 11)
C_LAST = C_LINE_LEVEL

ROW_TITLE, ROW_SUBTITLE, ROW_NOTE, ROW_OVERALL, ROW_HEADER = 0, 1, 2, 3, 4
ROW_FIRST = 5


# ---------------------------------------------------------------------------
# Layout of a scorecard sheet
# ---------------------------------------------------------------------------
class Layout:
    """Rows of a scorecard sheet: each perspective's row and block of line
    rows, each objective's, each line's; computed before anything is
    written, so that the summary can refer to the cells."""

    def __init__(self, scorecard):
        self.rows = []  # (kind, payload, row)
        self.perspectives = []  # (perspective dict, row, first, last)
        self.objectives = []  # (objective dict, row, first, last)
        self.lines = []  # (line dict, row)
        row = ROW_FIRST
        for perspective in scorecard.get("perspectives", []):
            p_row = row
            row += 1
            self.rows.append(("perspective", perspective, p_row))
            first = row
            groups = list(perspective.get("objectives", []))
            if perspective.get("loose"):
                groups.append({"name": None, "lines": perspective["loose"]})
            for objective in groups:
                o_row = row
                row += 1
                self.rows.append(("objective", objective, o_row))
                o_first = row
                for line in objective.get("lines", []):
                    self.rows.append(("line", line, row))
                    self.lines.append((line, row))
                    row += 1
                if objective.get("name") is not None:
                    self.objectives.append((objective, o_row, o_first, row - 1))
            self.perspectives.append((perspective, p_row, first, row - 1))
        self.first = ROW_FIRST
        self.last = max(row - 1, ROW_FIRST)


def line_cache(line):
    """Cached values of a line's calculation cells, from scoring."""
    direction = line.get("direction") or scoring.HIGHER
    actual = line.get("actual")
    target = line.get("target") or 0.0
    target_max = line.get("target_max") or 0.0
    warning = line.get("warning") or 0.0
    critical = line.get("critical") or 0.0
    try:
        gap_w, gap_c = scoring.threshold_shortfalls(
            direction, target, warning, critical, target_max
        )
        valid = True
    except scoring.ThresholdError:
        gap_w = target - warning if direction == scoring.HIGHER else warning - target
        gap_c = target - critical if direction == scoring.HIGHER else critical - target
        if direction == scoring.RANGE:
            gap_w, gap_c = warning, critical
        valid = False
    if actual is None or not valid:
        score, status = None, scoring.NO_DATA
        gap = raw = None
    else:
        score, status = scoring.evaluate(
            direction, actual, target, warning, critical, target_max
        )
        gap = scoring.shortfall(direction, actual, target, target_max)
        raw = scoring._score_from_shortfall(gap, gap_w, gap_c)
    return {
        "gap_w": gap_w,
        "gap_c": gap_c,
        "valid": valid,
        "gap": gap,
        "raw": raw,
        "score": score,
        "status": status,
        "level": LEVELS[status],
        "weight": line.get("weight") or 0.0,
    }


def rollup_cache(lines):
    pairs = [(line_cache(line)["score"], line.get("weight") or 0.0) for line in lines]
    if any(weight < 0 for _score, weight in pairs):
        return None, None
    counted = [(s, w) for s, w in pairs if s is not None and w != 0]
    if not counted:
        return None, None
    total = weight_sum = 0.0
    for score, weight in counted:
        total += score * weight
        weight_sum += weight
    raw = total / weight_sum
    return raw, round(raw, 2)


# ---------------------------------------------------------------------------
# Sheets
# ---------------------------------------------------------------------------
def _write_rollup(book, ws, row, first, last, cached_raw, cached_score):
    """Formulas of a roll-up row over the line rows first..last."""
    weights = f"{cell(first, C_WEIGHT)}:{cell(last, C_WEIGHT)}"
    counted = f"{cell(first, C_COUNTED_WEIGHT)}:{cell(last, C_COUNTED_WEIGHT)}"
    weighted = f"{cell(first, C_WEIGHTED)}:{cell(last, C_WEIGHTED)}"
    raw = cell(row, C_RAW)
    raw100 = cell(row, C_RAW100)
    score = cell(row, C_SCORE)
    calc = book.fmt(font_color="#808080")
    ws.write_formula(
        row,
        C_RAW,
        f'=IF(COUNTIF({weights},"<0")>0,NA(),'
        f'IF(SUM({counted})=0,"",SUM({weighted})/SUM({counted})))',
        calc,
        "" if cached_raw is None else cached_raw,
    )
    ws.write_formula(
        row,
        C_RAW100,
        f'=IF({raw}="","",{raw}*100)',
        calc,
        "" if cached_raw is None else cached_raw * 100,
    )
    ws.write_formula(
        row,
        C_SCORE,
        f'=IF({raw}="","",{py_round2(raw100)})',
        book.fmt(num_format="0.00", bold=True),
        "" if cached_score is None else cached_score,
    )
    level = LEVELS[scoring.status_from_score(cached_score)]
    ws.write_formula(
        row,
        C_LEVEL,
        f'=IF({score}="",0,IF({score}>={scoring.SCORE_AT_WARNING:g},3,'
        f"IF({score}>={scoring.SCORE_AT_CRITICAL:g},2,1)))",
        calc,
        level,
    )
    ws.write_formula(
        row,
        C_STATUS,
        status_formula(book, cell(row, C_LEVEL)),
        book.fmt(bold=True),
        status_label(book, scoring.status_from_score(cached_score)),
    )


def _write_line(book, ws, row, line, periods):
    cache = line_cache(line)
    unit = line.get("unit") or "count"
    num = book.unit_fmt(unit)
    inputs = book.unit_fmt(unit, bg_color="#FFF2CC")
    calc = book.fmt(font_color="#808080")
    r = {c: cell(row, c) for c in range(C_LAST + 1)}
    ws.write_string(row, C_ITEM, "    " + (line.get("name") or ""))
    ws.write_string(row, C_CODE, line.get("code") or "")
    ws.write_string(row, C_UNIT, book.label(f"unit_{unit}"))
    direction = line.get("direction") or scoring.HIGHER
    ws.write_string(row, C_DIRECTION, book.label(f"dir_{direction}"))
    ws.write_number(
        row, C_WEIGHT, line.get("weight") or 0.0, book.fmt(bg_color="#FFF2CC")
    )
    if line.get("actual") is None:
        ws.write_blank(row, C_ACTUAL, None, inputs)
    else:
        ws.write_number(row, C_ACTUAL, line["actual"], inputs)
    for col, key in (
        (C_TARGET, "target"),
        (C_TARGET_MAX, "target_max"),
        (C_WARNING, "warning"),
        (C_CRITICAL, "critical"),
    ):
        if key == "target_max" and direction != scoring.RANGE:
            ws.write_number(row, col, line.get(key) or 0.0, num)
        else:
            ws.write_number(row, col, line.get(key) or 0.0, inputs)
    if line.get("pro_rated_of") is not None:
        ws.write_string(
            row,
            C_NOTE,
            book.label("to_date_of") % book_number(book, line["pro_rated_of"], unit),
        )
    history = list(line.get("history") or [])[-HISTORY_COLUMNS:]
    history = [None] * (HISTORY_COLUMNS - len(history)) + history
    for index, number in enumerate(history):
        if number is None:
            ws.write_blank(row, C_HISTORY + index, None, num)
        else:
            ws.write_number(row, C_HISTORY + index, number, num)
    if any(number is not None for number in history):
        ws.add_sparkline(
            row,
            C_TREND,
            {
                "range": span(row, C_HISTORY, HISTORY_COLUMNS),
                "markers": True,
                "empty_cells": "gaps",
            },
        )
    del periods
    # the calculation, column by column (scoring.evaluate)
    d, a, t, tm = r[C_DIR_KEY], r[C_ACTUAL], r[C_TARGET], r[C_TARGET_MAX]
    w, c, gw, gc = r[C_WARNING], r[C_CRITICAL], r[C_GAP_W], r[C_GAP_C]
    gap, raw, raw100, level = r[C_GAP], r[C_RAW], r[C_RAW100], r[C_LEVEL]
    ws.write_string(row, C_DIR_KEY, direction, calc)
    ws.write_formula(
        row,
        C_GAP_W,
        f'=IF({d}="higher",{t}-{w},IF({d}="lower",{w}-{t},{w}))',
        calc,
        cache["gap_w"],
    )
    ws.write_formula(
        row,
        C_GAP_C,
        f'=IF({d}="higher",{t}-{c},IF({d}="lower",{c}-{t},{c}))',
        calc,
        cache["gap_c"],
    )
    ws.write_formula(
        row,
        C_VALID,
        f'=AND({gw}>=0,{gc}>={gw},OR({d}<>"range",{tm}>={t}))',
        calc,
        cache["valid"],
    )
    ws.write_formula(
        row,
        C_GAP,
        f'=IF(ISNUMBER({a}),IF({d}="higher",MAX({t}-{a},0),'
        f'IF({d}="lower",MAX({a}-{t},0),MAX({t}-{a},{a}-{tm},0))),"")',
        calc,
        "" if cache["gap"] is None else cache["gap"],
    )
    ws.write_formula(
        row,
        C_RAW,
        f'=IF(NOT({r[C_VALID]}),NA(),IF({gap}="","",IF({gap}<=0,100,'
        f"IF({gap}<={gw},100-30*{gap}/{gw},"
        f"IF({gap}<={gc},70-30*({gap}-{gw})/({gc}-{gw}),"
        f"IF({gc}<=0,0,MAX(0,40-40*({gap}-{gc})/{gc})))))))",
        calc,
        "" if cache["raw"] is None else cache["raw"],
    )
    ws.write_formula(
        row,
        C_RAW100,
        f'=IF({raw}="","",{raw}*100)',
        calc,
        "" if cache["raw"] is None else cache["raw"] * 100,
    )
    ws.write_formula(
        row,
        C_LEVEL,
        f'=IF({gap}="",0,IF({gap}<={gw},3,IF({gap}<={gc},2,1)))',
        calc,
        cache["level"],
    )
    ws.write_formula(
        row,
        C_SCORE,
        f'=IF({level}=0,"",MIN({py_round2(raw100)},CHOOSE({level},'
        f"{scoring.SCORE_AT_CRITICAL - 0.01:g},"
        f"{scoring.SCORE_AT_WARNING - 0.01:g},100)))",
        book.score_fmt,
        "" if cache["score"] is None else cache["score"],
    )
    ws.write_formula(
        row,
        C_STATUS,
        status_formula(book, level),
        None,
        status_label(book, cache["status"]),
    )
    ws.write_formula(
        row,
        C_COUNTED_WEIGHT,
        f"=IF({level}=0,0,{r[C_WEIGHT]})",
        calc,
        0.0 if cache["score"] is None else cache["weight"],
    )
    ws.write_formula(
        row,
        C_WEIGHTED,
        f"=IF({level}=0,0,{r[C_SCORE]}*{r[C_WEIGHT]})",
        calc,
        0.0 if cache["score"] is None else cache["score"] * cache["weight"],
    )
    ws.write_formula(row, C_LINE_LEVEL, f"={level}", calc, cache["level"])
    return cache


def book_number(book, number, unit):
    """A number as text for a note, in the unit's way."""
    if unit == "percent":
        return f"{number:,.1f} %"
    if unit == "currency":
        symbol = (book.data.get("currency") or {}).get("symbol") or ""
        return f"{number:,.0f} {symbol}".strip()
    if unit == "count":
        return f"{number:,.0f}"
    return f"{number:,.2f}"


def write_scorecard_sheet(book, scorecard, sheet=None):
    """One scorecard: perspectives, objectives and indicators with their
    inputs (yellow: change them and every score moves), live scores and
    statuses, the last twelve periods and their sparkline. ``sheet``: the
    sheet's name when the summary reserved it."""
    key = scorecard["key"]
    ws = book.add_sheet(
        ("scorecard", key), sheet or scorecard.get("name"), book.label("scorecard")
    )
    layout = book.layouts.get(key) or Layout(scorecard)
    book.layouts[key] = layout
    ws.write_string(ROW_TITLE, C_ITEM, scorecard.get("name") or "", book.title)
    ws.write_string(
        ROW_SUBTITLE,
        C_ITEM,
        " · ".join(
            part
            for part in (
                scorecard.get("segment"),
                scorecard.get("period"),
                scorecard.get("company"),
            )
            if part
        ),
    )
    if scorecard.get("note"):
        ws.write_string(ROW_NOTE, C_ITEM, scorecard["note"], book.fmt(italic=True))
    headers = {
        C_ITEM: "item",
        C_CODE: "code",
        C_UNIT: "unit",
        C_DIRECTION: "direction",
        C_WEIGHT: "weight",
        C_ACTUAL: "actual",
        C_TARGET: "target",
        C_TARGET_MAX: "target_max",
        C_WARNING: "warning",
        C_CRITICAL: "critical",
        C_SCORE: "score",
        C_STATUS: "status",
        C_TREND: "trend",
        C_NOTE: "note",
    }
    for col, label in headers.items():
        ws.write_string(ROW_HEADER, col, book.label(label), book.header)
    periods = list(scorecard.get("periods") or [])[-HISTORY_COLUMNS:]
    periods = [""] * (HISTORY_COLUMNS - len(periods)) + periods
    for index, name in enumerate(periods):
        ws.write_string(ROW_HEADER, C_HISTORY + index, name or "", book.header)
    calc_headers = [
        "direction",
        "gap_w",
        "gap_c",
        "valid",
        "gap",
        "raw",
        "raw×100",
        "level",
        "counted weight",
        "weighted score",
        "line level",
    ]
    for index, name in enumerate(calc_headers):
        ws.write_string(
            ROW_HEADER,
            C_CALC + index,
            f"{book.label('calculation')}: {name}",
            book.fmt(bold=True, font_color="#808080", border=1, text_wrap=True),
        )
    for kind, payload, row in layout.rows:
        if kind == "line":
            _write_line(book, ws, row, payload, periods)
    for perspective, row, first, last in layout.perspectives:
        ws.write_string(
            row,
            C_ITEM,
            perspective.get("name") or "",
            book.fmt(bold=True, bg_color="#E2EFDA"),
        )
        raw, score = rollup_cache(lines_of(perspective))
        _write_rollup(book, ws, row, first, max(first, last), raw, score)
    for kind, payload, row in layout.rows:
        if kind == "objective":
            name = payload.get("name")
            ws.write_string(
                row,
                C_ITEM,
                "  " + (name if name is not None else book.label("no_objective")),
                book.fmt(italic=name is None, bold=name is not None),
            )
    for objective, row, first, last in layout.objectives:
        raw, score = rollup_cache(objective.get("lines", []))
        _write_rollup(book, ws, row, first, max(first, last), raw, score)
    ws.write_string(
        ROW_OVERALL, C_ITEM, book.label("overall"), book.fmt(bold=True, font_size=12)
    )
    all_lines = [line for line, _row in layout.lines]
    raw, score = rollup_cache(all_lines)
    _write_rollup(book, ws, ROW_OVERALL, layout.first, layout.last, raw, score)
    icon_set(ws, ROW_OVERALL, C_SCORE, layout.last)
    ws.freeze_panes(ROW_FIRST, 1)
    ws.set_column(C_ITEM, C_ITEM, 42)
    ws.set_column(C_CODE, C_CODE, 22)
    ws.set_column(C_UNIT, C_DIRECTION, 14)
    ws.set_column(C_WEIGHT, C_WEIGHT, 8)
    ws.set_column(C_ACTUAL, C_CRITICAL, 14)
    ws.set_column(C_SCORE, C_SCORE, 10)
    ws.set_column(C_STATUS, C_STATUS, 12)
    ws.set_column(C_TREND, C_TREND, 18)
    ws.set_column(C_NOTE, C_NOTE, 24)
    ws.set_column(C_HISTORY, C_HISTORY + HISTORY_COLUMNS - 1, 12, None, {"level": 1})
    ws.set_column(C_CALC, C_LAST, 12, None, {"level": 1, "hidden": True})
    ws.set_row(ROW_HEADER, 30)
    return ws


def lines_of(perspective):
    lines = []
    for objective in perspective.get("objectives", []):
        lines.extend(objective.get("lines", []))
    lines.extend(perspective.get("loose", []))
    return lines


def write_scorecard_sheets(book):
    """A sheet per exported scorecard (the segment scorecards among them)."""
    pending = getattr(book, "pending_scorecard_names", {})
    for scorecard in book.data.get("scorecards") or []:
        name = pending.get(scorecard["key"])
        if name:
            # reserved by the summary: added under exactly that name
            book._taken.discard(name.lower())
        write_scorecard_sheet(book, scorecard, name)
