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

Scores are live formulas. Each indicator row of a scorecard sheet computes,
in grouped calculation columns, exactly what ``scoring.evaluate`` computes:
the shortfalls at the warning and critical thresholds, the value's
shortfall, the score between the anchors 100 / 70 / 40 / 0, rounded to two
decimals half to even like Python's ``round``, then kept below the band of
a worse status; roll-ups (objective, perspective, overall) are the weighted
means of the line scores that exist, rounded the same way. Each formula is
written with its value (computed here with ``scoring``) so that viewers
that do not recalculate show numbers.
"""

import re

from . import scoring

# ---------------------------------------------------------------------------
# Sheet names
# ---------------------------------------------------------------------------
SHEET_NAME_MAX = 31
INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
# Excel refuses this name (it keeps it for its change history)
RESERVED_SHEET_NAMES = {"history"}


def _utf16_len(text):
    return len(text.encode("utf-16-le")) // 2


def _truncate(text, limit):
    while _utf16_len(text) > limit:
        text = text[:-1]
    return text


def sheet_name(wanted, taken, fallback="Sheet"):
    """A valid sheet name close to ``wanted``, unique among ``taken`` (a set
    of lower-cased names, updated): invalid characters removed, no
    surrounding apostrophes, at most 31 UTF-16 units, a number appended when
    the name (after truncation) is taken, case-insensitively."""
    name = INVALID_SHEET_CHARS.sub(" ", wanted or "")
    name = re.sub(r"\s+", " ", name).strip().strip("'").strip()
    if not name:
        name = fallback
    base = _truncate(name, SHEET_NAME_MAX).rstrip().rstrip("'")
    candidate = base
    number = 1
    while candidate.lower() in taken or candidate.lower() in RESERVED_SHEET_NAMES:
        number += 1
        suffix = f" ({number})"
        candidate = (
            _truncate(base, SHEET_NAME_MAX - len(suffix)).rstrip().rstrip("'") + suffix
        )
    taken.add(candidate.lower())
    return candidate


def quote_sheet(name):
    """The sheet name as a formula names it: 'Sheet''s name'."""
    return "'" + name.replace("'", "''") + "'"


def col_name(index):
    """Column letters of a 0-based index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def span(row, first_col, count, absolute=False):
    """A1 range of ``count`` cells of a row from ``first_col``."""
    return (
        f"{cell(row, first_col, absolute)}:{cell(row, first_col + count - 1, absolute)}"
    )


def cell(row, col, absolute=False):
    """A1 reference of a 0-based (row, col)."""
    if absolute:
        return f"${col_name(col)}${row + 1}"
    return f"{col_name(col)}{row + 1}"


# ---------------------------------------------------------------------------
# Python's rounding, in a formula
# ---------------------------------------------------------------------------
def py_round2(ref):
    """Excel text of round(x, 2) for x >= 0 given ``ref`` = x * 100: half to
    even, like Python's round (Excel's ROUND rounds half away from zero)."""
    frac = f"({ref}-INT({ref}))"
    return f"(INT({ref})+IF({frac}>0.5,1,IF({frac}<0.5,0,MOD(INT({ref}),2))))/100"


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

# status level of a formula: 0 no data, 1 critical, 2 warning, 3 on track
LEVELS = {
    scoring.NO_DATA: 0,
    scoring.CRITICAL: 1,
    scoring.WARNING: 2,
    scoring.ON_TRACK: 3,
}

DEFAULT_LABELS = {
    "summary": "Summary",
    "coverage": "Channel Coverage",
    "strategy_map": "Strategy Map",
    "history": "Value History",
    "scorecard": "Scorecard",
    "segment": "Segment",
    "period": "Period",
    "overall": "Overall score",
    "status": "Status",
    "warning_count": "Warning",
    "critical_count": "Critical",
    "trend": "Trend",
    "item": "Perspective / objective / indicator",
    "code": "Code",
    "unit": "Unit",
    "direction": "Direction",
    "weight": "Weight",
    "actual": "Actual",
    "target": "Target",
    "target_max": "Target (upper bound)",
    "warning": "Warning threshold",
    "critical": "Critical threshold",
    "score": "Score",
    "note": "Note",
    "calculation": "Calculation",
    "no_objective": "(no objective)",
    "on_track": "On Track",
    "warning_status": "Warning",
    "critical_status": "Critical",
    "no_data": "No Data",
    "indicator": "Indicator",
    "channels_watched": "Channels watched",
    "indicators_watching": "Indicators watching",
    "cause": "Cause",
    "cause_perspective": "Cause perspective",
    "effect": "Effect",
    "effect_perspective": "Effect perspective",
    "evidence": "Evidence",
    "rho": "Rank correlation",
    "lag": "Best lag (periods)",
    "periods": "Periods",
    "rho_at_lag": "ρ at lag %s",
    "what_was_measured": "What was measured",
    "start": "Start",
    "channel": "Channel",
    "salesperson": "Salesperson",
    "team": "Sales team",
    "value": "Value",
    "all": "All",
    "unit_count": "Count",
    "unit_currency": "Currency",
    "unit_percent": "Percent",
    "unit_days": "Days",
    "unit_hours": "Hours",
    "unit_ratio": "Ratio",
    "days_suffix": "d",
    "hours_suffix": "h",
    "dir_higher": "Higher is better",
    "dir_lower": "Lower is better",
    "dir_range": "Within a range",
    "to_date_of": "to date, of %s",
    "no_scorecard": "No scorecard to export.",
    "generated": "Exported on %s",
}


UNITS = ("count", "currency", "percent", "days", "hours", "ratio")


class Book:
    """The workbook being written, and what its sheets share: the data, the
    labels, the formats and the names of the sheets already taken."""

    def __init__(self, workbook, data):
        self.workbook = workbook
        self.data = data
        self.labels = {**DEFAULT_LABELS, **(data.get("labels") or {})}
        self.rtl = bool(data.get("rtl"))
        self._taken = set()
        self._formats = {}
        self.sheets = {}  # key -> sheet name
        self.layouts = {}  # scorecard key -> Layout
        self._tables = set()  # names of the Excel tables, lower-cased

    def label(self, key):
        return self.labels.get(key, key)

    def add_sheet(self, key, wanted, fallback="Sheet"):
        name = sheet_name(wanted, self._taken, fallback)
        worksheet = self.workbook.add_worksheet(name)
        if self.rtl:
            worksheet.right_to_left()
        self.sheets[key] = name
        return worksheet

    def fmt(self, **props):
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            if self.rtl and "align" not in props:
                props = {**props, "reading_order": 2}
            self._formats[key] = self.workbook.add_format(props)
        return self._formats[key]

    def number_format(self, unit, currency=None):
        """The Excel number format of a unit: percent values are stored as
        0-100, so a literal percent sign, not Excel's %. ``currency``: the
        {symbol, position, digits} of an amount in another currency than the
        workbook's."""
        currency = currency or self.data.get("currency") or {}
        symbol = (currency.get("symbol") or "").replace('"', "")
        digits = currency.get("digits", 2)
        decimals = "0." + "0" * digits if digits else "0"
        money = "#,##" + decimals
        if unit == "currency":
            if not symbol:
                return money
            if currency.get("position") == "before":
                return f'"{symbol}"{money}'
            return f'{money}\\ "{symbol}"'
        if unit == "percent":
            return '0.0\\ "%"'
        if unit == "days":
            return f'0.0\\ "{self.label("days_suffix")}"'
        if unit == "hours":
            return f'0.0\\ "{self.label("hours_suffix")}"'
        if unit == "count":
            return "#,##0"
        return "0.00"

    def unit_fmt(self, unit, currency=None, **props):
        return self.fmt(num_format=self.number_format(unit, currency), **props)

    # ------------------------------------------------------------------
    # What the sheets of other addons share (customers at risk, the CSF
    # register, the maturity assessment): tables and traffic lights
    # ------------------------------------------------------------------
    def table_name(self, wanted):
        """A unique name for an Excel table (letters, digits, underscores)."""
        base = re.sub(r"[^A-Za-z0-9_]", "", wanted or "") or "Table"
        if not base[0].isalpha() or re.fullmatch(
            r"[A-Za-z]{1,3}\d+|[Rr]\d*[Cc]?\d*|[Cc]\d*", base
        ):
            # a table is not named like a cell (A1, R1C1)
            base = "T_" + base
        name, number = base, 1
        while name.lower() in self._tables:
            number += 1
            name = f"{base}_{number}"
        self._tables.add(name.lower())
        return name

    def traffic_lights(self, worksheet, first_row, first_col, last_row, last_col=None):
        """Traffic lights on score cells (green from 70, amber from 40)."""
        icon_set(worksheet, first_row, first_col, last_row, last_col)

    def cell_fmt(self, kind, currency=None):
        """The format of a table cell of ``kind`` (see write_table)."""
        if kind in UNITS:
            return self.unit_fmt(kind, currency)
        return {
            "int": self.fmt(num_format="#,##0"),
            "number": self.fmt(num_format="0.00"),
            "score": self.score_fmt,
            "level": self.fmt(num_format="0.00"),
            "date": self.fmt(num_format="yyyy-mm-dd"),
            "long": self.fmt(text_wrap=True, valign="top"),
        }.get(kind)

    def write_value(self, worksheet, row, col, kind, value, currency=None):
        """One cell of a table: a number, a date or a text, or a blank cell
        (still formatted) for None."""
        fmt = self.cell_fmt(kind, currency)
        if value is None or value == "":
            worksheet.write_blank(row, col, None, fmt)
        elif kind in ("text", "long") or isinstance(value, str):
            worksheet.write_string(row, col, str(value), fmt)
        elif kind == "date":
            worksheet.write_datetime(row, col, value, fmt)
        elif isinstance(value, bool):
            worksheet.write_boolean(row, col, value, fmt)
        else:
            worksheet.write_number(row, col, value, fmt)

    def write_table(self, worksheet, row, columns, rows, name=None, freeze_cols=0):
        """A table: the header at ``row`` and a line per entry of ``rows``.

        ``columns``: [(key, label key, kind, width)]; ``kind`` is "text",
        "long" (wrapped), "int", "number", "score" (traffic lights), "level",
        "date", a unit ("count", "currency", "percent", "days", "hours",
        "ratio") or "unit" (the entry's "unit"); an entry's value None is a
        blank cell, and an entry's "currency" ({symbol, position, digits})
        formats its amounts. With
        ``name``, an Excel table with filters (the name made unique); else an
        autofilter. The header row is frozen. Returns the last row written."""
        headers = []
        seen = set()
        for _key, label, _kind, _width in columns:
            text = self.label(label) or label
            unique, number = text, 1
            # an Excel table refuses two columns of one name
            while unique.lower() in seen:
                number += 1
                unique = f"{text} ({number})"
            seen.add(unique.lower())
            headers.append(unique)
        for col, text in enumerate(headers):
            worksheet.write_string(row, col, text, self.header)
        for offset, entry in enumerate(rows):
            r = row + 1 + offset
            for col, (key, _label, kind, _width) in enumerate(columns):
                if kind == "unit":
                    # the entry's own unit (indicators of several units)
                    kind = entry.get("unit") if entry.get("unit") in UNITS else "number"
                self.write_value(
                    worksheet, r, col, kind, entry.get(key), entry.get("currency")
                )
        last = row + max(1, len(rows))
        if name:
            worksheet.add_table(
                row,
                0,
                last,
                len(columns) - 1,
                {
                    "name": self.table_name(name),
                    "columns": [{"header": text} for text in headers],
                    "autofilter": True,
                    "style": "Table Style Light 9",
                },
            )
        else:
            worksheet.autofilter(row, 0, last, len(columns) - 1)
        for col, (_key, _label, kind, _width) in enumerate(columns):
            if kind == "score" and rows:
                self.traffic_lights(worksheet, row + 1, col, last)
        for col, (_key, _label, _kind, width) in enumerate(columns):
            worksheet.set_column(col, col, width)
        worksheet.set_row(row, 30)
        worksheet.freeze_panes(row + 1, freeze_cols)
        return last

    @property
    def header(self):
        return self.fmt(bold=True, bg_color="#D9E1F2", border=1, text_wrap=True)

    @property
    def title(self):
        return self.fmt(bold=True, font_size=14)

    @property
    def score_fmt(self):
        return self.fmt(num_format="0.00")


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


def _line_cache(line):
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


def _rollup_cache(lines):
    pairs = [(_line_cache(line)["score"], line.get("weight") or 0.0) for line in lines]
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
def status_formula(book, level_ref):
    labels = [
        book.label("no_data"),
        book.label("critical_status"),
        book.label("warning_status"),
        book.label("on_track"),
    ]
    quoted = ",".join('"' + text.replace('"', '""') + '"' for text in labels)
    return f"=CHOOSE({level_ref}+1,{quoted})"


def status_label(book, status):
    return {
        scoring.ON_TRACK: book.label("on_track"),
        scoring.WARNING: book.label("warning_status"),
        scoring.CRITICAL: book.label("critical_status"),
    }.get(status, book.label("no_data"))


def icon_set(worksheet, first_row, col, last_row, last_col=None):
    """Traffic lights on score cells: green from 70, amber from 40 (the
    status bands of scoring)."""
    worksheet.conditional_format(
        first_row,
        col,
        last_row,
        col if last_col is None else last_col,
        {
            "type": "icon_set",
            "icon_style": "3_traffic_lights",
            "icons": [
                {"criteria": ">=", "type": "number", "value": scoring.SCORE_AT_WARNING},
                {
                    "criteria": ">=",
                    "type": "number",
                    "value": scoring.SCORE_AT_CRITICAL,
                },
            ],
        },
    )


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
    cache = _line_cache(line)
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
        raw, score = _rollup_cache(_lines_of(perspective))
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
        raw, score = _rollup_cache(objective.get("lines", []))
        _write_rollup(book, ws, row, first, max(first, last), raw, score)
    ws.write_string(
        ROW_OVERALL, C_ITEM, book.label("overall"), book.fmt(bold=True, font_size=12)
    )
    all_lines = [line for line, _row in layout.lines]
    raw, score = _rollup_cache(all_lines)
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


def _lines_of(perspective):
    lines = []
    for objective in perspective.get("objectives", []):
        lines.extend(objective.get("lines", []))
    lines.extend(perspective.get("loose", []))
    return lines


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
        _raw, overall = _rollup_cache([line for line, _r in layout.lines])
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
            _raw, score = _rollup_cache(_lines_of(perspective))
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
        statuses = [_line_cache(line)["status"] for line, _r in layout.lines]
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


def write_scorecard_sheets(book):
    """A sheet per exported scorecard (the segment scorecards among them)."""
    pending = getattr(book, "pending_scorecard_names", {})
    for scorecard in book.data.get("scorecards") or []:
        name = pending.get(scorecard["key"])
        if name:
            # reserved by the summary: added under exactly that name
            book._taken.discard(name.lower())
        write_scorecard_sheet(book, scorecard, name)


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
