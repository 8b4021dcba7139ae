# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The foundation of the scorecard workbook (see ``xlsx_workbook``): sheet
names and cell references, the formats, labels and tables every sheet
shares (``Book``), statuses and traffic lights.

Pure Python (no Odoo import).
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
# Statuses and traffic lights
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
