"""The scorecard workbook from hand-made data (tools/xlsx_workbook.py).

Built with plain xlsxwriter (the addon passes Odoo's), read back with
openpyxl; LibreOffice, when installed, recalculates every formula and its
results must equal the addon's scoring rule (tools/scoring.py)."""

import datetime
import io
import random
import zipfile

import openpyxl
import pytest
import xlsxwriter
from xlsx_helpers import convert, soffice

from conftest import load_pure_module

xw = load_pure_module("crm_bsc_scorecard", "tools/xlsx_workbook.py")
scoring = load_pure_module("crm_bsc_scorecard", "tools/scoring.py")

needs_libreoffice = pytest.mark.skipif(
    soffice() is None,
    reason="SKIPPED: LibreOffice (soffice) is not installed, the workbook is "
    "not converted (setup/test.sh installs it as root)",
)


def line(code, actual, target, warning, critical, direction="higher", **extra):
    return {
        "code": code,
        "name": code.replace("_", " ").title(),
        "unit": extra.pop("unit", "count"),
        "direction": direction,
        "weight": extra.pop("weight", 1.0),
        "actual": actual,
        "target": target,
        "target_max": extra.pop("target_max", 0.0),
        "warning": warning,
        "critical": critical,
        "history": extra.pop("history", [actual]),
        **extra,
    }


def sample_data(name="All customers", rtl=False, lines=None):
    lines = lines or [
        line("won_revenue", 23800.0, 320000.0, 288000.0, 224000.0, unit="currency"),
        line("won_deals", 12.0, 10.0, 9.0, 7.0, history=[8, 9, None, 11, 12]),
        line("churn", 14.0, 10.0, 12.0, 15.0, "lower", unit="percent", weight=2.0),
        line("cycle", 33.0, 20.0, 5.0, 10.0, "range", unit="days", target_max=30.0),
        line("manual_nps", None, 50.0, 45.0, 35.0, weight=0.0),
    ]
    return {
        "title": "Scorecards",
        "generated": "2026-12-02",
        "rtl": rtl,
        "currency": {"symbol": "€", "position": "after", "digits": 2},
        "scorecards": [
            {
                "key": 1,
                "name": name,
                "segment": "All customers",
                "period": "2026-11",
                "periods": [f"2026-{m:02d}" for m in range(1, 12)],
                "overall_history": [50.0, 60.0, None, 70.0],
                "perspectives": [
                    {
                        "name": "Financial",
                        "objectives": [{"name": "Grow revenue", "lines": lines[:2]}],
                        "loose": [],
                    },
                    {
                        "name": "Customer",
                        "objectives": [{"name": "Keep customers", "lines": lines[2:3]}],
                        "loose": lines[3:],
                    },
                ],
            }
        ],
        "coverage": {
            "channels": ["Phone", "E-mail"],
            "rows": [
                {
                    "indicator": "Won revenue",
                    "code": "won_revenue",
                    "cells": [True, False],
                }
            ],
        },
        "links": [
            {
                "scorecard": name,
                "cause": "Keep customers",
                "cause_perspective": "Customer",
                "effect": "Grow revenue",
                "effect_perspective": "Financial",
                "verdict": "supported",
                "verdict_label": "Supported",
                "rho": 0.8,
                "lag": 1,
                "periods": 9,
                "by_lag": {0: (0.5, 10), 1: (0.8, 9), 2: (None, 8), 3: (None, 7)},
                "sentence": "Over 9 periods ...",
            }
        ],
        "history": [
            {
                "period": "2026-11",
                "start": datetime.date(2026, 11, 1),
                "scorecard": name,
                "indicator": "Won revenue",
                "code": "won_revenue",
                "unit": "currency",
                "value": 23800.0,
                "target": 320000.0,
                "score": 0.0,
                "status_label": "Critical",
            }
        ],
    }


def build(data):
    stream = io.BytesIO()
    workbook = xlsxwriter.Workbook(stream, {"in_memory": True})
    book = xw.build(workbook, data)
    workbook.close()
    return stream.getvalue(), book


def expected(lines):
    rows = [
        {
            "score": scoring.evaluate(
                ln["direction"],
                ln["actual"],
                ln["target"],
                ln["warning"],
                ln["critical"],
                ln["target_max"],
            )[0],
            "weight": ln["weight"],
        }
        for ln in lines
    ]
    return rows, scoring.weighted_mean((r["score"], r["weight"]) for r in rows)


# ---------------------------------------------------------------------------
# Sheet names
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("wanted", "taken", "expected_name"),
    [
        ("Enterprise", set(), "Enterprise"),
        ("a/b:c*d?[e]\\f", set(), "a b c d e f"),
        ("'quoted'", set(), "quoted"),
        ("", set(), "Sheet"),
        ("History", set(), "History (2)"),
        ("enterprise", {"enterprise"}, "enterprise (2)"),
        (
            "Корпоративні клієнти: великий бізнес України",
            set(),
            "Корпоративні клієнти великий бі",
        ),
        (
            "مشتریان سازمانی بزرگ در سراسر کشور ایران",
            set(),
            "مشتریان سازمانی بزرگ در سراسر ک",
        ),
    ],
)
def test_sheet_name(wanted, taken, expected_name):
    name = xw.sheet_name(wanted, taken)
    assert name == expected_name
    assert len(name) <= 31


def test_sheet_names_unique_after_truncation():
    taken = set()
    long = "Корпоративні клієнти великого бізнесу, " * 2
    names = [xw.sheet_name(long, taken) for _ in range(12)]
    assert len({n.lower() for n in names}) == 12
    assert all(len(n) <= 31 for n in names)
    assert names[1].endswith(" (2)") and names[11].endswith(" (12)")


def test_quote_and_columns():
    assert xw.quote_sheet("Bob's") == "'Bob''s'"
    assert [xw.col_name(i) for i in (0, 25, 26, 51, 52)] == ["A", "Z", "AA", "AZ", "BA"]


# ---------------------------------------------------------------------------
# The workbook
# ---------------------------------------------------------------------------
def test_sheets_formulas_and_cached_values():
    data = sample_data()
    content, book = build(data)
    wb = openpyxl.load_workbook(io.BytesIO(content))
    assert wb.sheetnames == [
        "Summary",
        "All customers",
        "Channel Coverage",
        "Strategy Map",
        "Value History",
    ]
    ws = wb["All customers"]
    cached = openpyxl.load_workbook(io.BytesIO(content), data_only=True)[
        "All customers"
    ]
    layout = book.layouts[1]
    lines = [ln for ln, _row in layout.lines]
    rows, overall = expected(lines)
    for (ln, row), exp in zip(layout.lines, rows, strict=True):
        formula = ws.cell(row + 1, xw.C_SCORE + 1).value
        assert formula.startswith("=IF(") and "MIN(" in formula
        value = cached.cell(row + 1, xw.C_SCORE + 1).value
        assert (value if value != "" else None) == exp["score"], ln["code"]
    assert ws.cell(xw.ROW_OVERALL + 1, xw.C_SCORE + 1).value.startswith("=IF(")
    assert cached.cell(xw.ROW_OVERALL + 1, xw.C_SCORE + 1).value == overall
    # frozen header, hidden calculation columns, input widths
    assert ws.freeze_panes == "B6"
    assert ws.column_dimensions[xw.col_name(xw.C_CALC)].hidden
    # the summary links to the scorecard's overall cell
    summary = wb["Summary"]
    assert summary["D5"].value == "='All customers'!K4"
    # icon set on the scores
    rules = [r for rng in ws.conditional_formatting for r in rng.rules]
    # three traffic lights (Excel's default set, so not named in the file)
    assert any(
        r.type == "iconSet" and r.iconSet.iconSet in (None, "3TrafficLights1")
        for r in rules
    )
    assert [float(v.val) for r in rules if r.type == "iconSet" for v in r.iconSet.cfvo][
        1:
    ] == [40.0, 70.0]
    # number formats per unit
    revenue_row = layout.lines[0][1] + 1
    assert "€" in ws.cell(revenue_row, xw.C_ACTUAL + 1).number_format
    churn_row = layout.lines[2][1] + 1
    assert '"%"' in ws.cell(churn_row, xw.C_ACTUAL + 1).number_format
    # the history is an Excel table with filters
    history = wb["Value History"]
    table = history.tables["ValueHistory"]
    assert table.autoFilter is not None and table.ref == "A1:N2"


def test_sparklines_in_the_sheet_xml():
    content, book = build(sample_data())
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet1 = archive.read("xl/worksheets/sheet1.xml").decode()
        sheet2 = archive.read("xl/worksheets/sheet2.xml").decode()
    assert "x14:sparklineGroup" in sheet1 and "x14:sparklineGroup" in sheet2
    layout = book.layouts[1]
    first_row = layout.lines[0][1] + 1
    assert f"<xm:sqref>M{first_row}</xm:sqref>" in sheet2
    assert f"<xm:f>'All customers'!O{first_row}:Z{first_row}</xm:f>" in sheet2


def test_right_to_left_sheets():
    content, _book = build(sample_data(name="مشتریان سازمانی", rtl=True))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert 'rightToLeft="1"' in archive.read(name).decode()
    wb = openpyxl.load_workbook(io.BytesIO(content))
    assert wb.sheetnames[1] == "مشتریان سازمانی"


def random_lines(rng, count):
    lines = []
    for index in range(count):
        direction = rng.choice(["higher", "lower", "range"])
        target = round(rng.uniform(0, 200), rng.choice([0, 1, 2]))
        if direction == "range":
            target_max = target + round(rng.uniform(0, 50), 1)
            warning = round(rng.uniform(0, 20), 1)
            critical = warning + round(rng.uniform(0, 20), 1)
        else:
            target_max = 0.0
            spread_w = round(rng.uniform(0, 40), rng.choice([0, 1]))
            spread_c = spread_w + round(rng.uniform(0, 40), rng.choice([0, 1]))
            sign = -1 if direction == "higher" else 1
            warning = target + sign * spread_w
            critical = target + sign * spread_c
        actual = (
            None
            if rng.random() < 0.1
            else round(rng.uniform(-50, 300), rng.choice([0, 1, 2, 3]))
        )
        # values on the anchors: exactly at the thresholds and the target
        if rng.random() < 0.2:
            actual = rng.choice([target, warning, critical, target_max or target])
        lines.append(
            line(
                f"i{index}",
                actual,
                target,
                warning,
                critical,
                direction,
                target_max=target_max,
                weight=rng.choice([0.0, 0.5, 1.0, 2.0, 3.0]),
            )
        )
    return lines


def recalculated(content, tmp_path, name="book.xlsx"):
    path = tmp_path / name
    path.write_bytes(content)
    converted, _output = convert(path)
    return openpyxl.load_workbook(converted, data_only=True)


@needs_libreoffice
def test_libreoffice_opens_and_recalculates_to_the_same_scores(tmp_path):
    rng = random.Random(15)
    lines = random_lines(rng, 60)
    # ties of the rounding: 89.125 -> 89.12 (half to even), 89.375 -> 89.38
    lines += [
        line("tie_even", 95.875, 100.0, 90.0, 70.0),
        line("tie_odd", 96.4583333333333, 100.0, 90.0, 70.0),
        line("just_past_warning", 89.9999, 100.0, 90.0, 70.0),
    ]
    data = sample_data(lines=lines)
    content, book = build(data)
    wb = recalculated(content, tmp_path)
    ws = wb["All customers"]
    layout = book.layouts[1]
    mismatches = []
    for ln, row in layout.lines:
        exp = scoring.evaluate(
            ln["direction"],
            ln["actual"],
            ln["target"],
            ln["warning"],
            ln["critical"],
            ln["target_max"],
        )[0]
        got = ws.cell(row + 1, xw.C_SCORE + 1).value
        got = None if got in ("", None) else got
        if got != exp:
            mismatches.append((ln["code"], ln, got, exp))
    assert not mismatches
    _rows, overall = expected([ln for ln, _r in layout.lines])
    assert ws.cell(xw.ROW_OVERALL + 1, xw.C_SCORE + 1).value == overall
    assert wb["Summary"]["D5"].value == overall


@needs_libreoffice
def test_what_if_a_changed_actual_moves_every_score(tmp_path):
    """A manager types another actual and another weight: LibreOffice
    recomputes the line, its objective, its perspective and the overall
    score, exactly as the addon would."""
    data = sample_data()
    content, book = build(data)
    wb = openpyxl.load_workbook(io.BytesIO(content))
    ws = wb["All customers"]
    layout = book.layouts[1]
    lines = [dict(ln) for ln, _r in layout.lines]
    (_first, revenue_row) = layout.lines[0]
    ws.cell(revenue_row + 1, xw.C_ACTUAL + 1).value = 300000.0
    lines[0]["actual"] = 300000.0
    churn_row = layout.lines[2][1]
    ws.cell(churn_row + 1, xw.C_WEIGHT + 1).value = 5.0
    lines[2]["weight"] = 5.0
    changed = io.BytesIO()
    wb.save(changed)
    result = recalculated(changed.getvalue(), tmp_path, "what_if.xlsx")["All customers"]
    rows, overall = expected(lines)
    assert result.cell(revenue_row + 1, xw.C_SCORE + 1).value == rows[0]["score"]
    assert result.cell(xw.ROW_OVERALL + 1, xw.C_SCORE + 1).value == overall
    _objective, o_row, _f, _l = layout.objectives[0]
    objective_score = scoring.weighted_mean((r["score"], r["weight"]) for r in rows[:2])
    assert result.cell(o_row + 1, xw.C_SCORE + 1).value == objective_score
