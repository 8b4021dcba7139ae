"""The workbook's sheets from the other parts of the addons, from hand-made
data: the customers at risk (crm_bsc_scorecard tools/xlsx_customers.py),
the CSF register and the maturity assessment with its radar chart
(crm_csf_planning tools/xlsx_planning.py), written by the scorecard
workbook's builder (tools/xlsx_workbook.py).

Built with plain xlsxwriter, read back with openpyxl; LibreOffice, when
installed, opens the whole workbook and recalculates the maturity sheet's
formulas to the values of tools/maturity.py."""

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
xc = load_pure_module("crm_bsc_scorecard", "tools/xlsx_customers.py")
xp = load_pure_module("crm_csf_planning", "tools/xlsx_planning.py")
maturity = load_pure_module("crm_csf_planning", "tools/maturity.py")

needs_libreoffice = pytest.mark.skipif(
    soffice() is None,
    reason="SKIPPED: LibreOffice (soffice) is not installed, the workbook is "
    "not converted (setup/test.sh installs it as root)",
)

ALL_SHEETS = list(xw.SHEETS) + list(xc.SHEETS) + list(xp.PLANNING_SHEETS)
EURO = {"symbol": "€", "position": "after", "digits": 2}


def customer(name, **values):
    row = {
        "customer": name,
        "company": "YourCompany",
        "segment": "Retail",
        "salesperson": "Clara Seller",
        "team": "Europe",
        "risk_band": "High",
        "stage": "At risk",
        "p_alive": 20.0,
        "churn": 80.0,
        "expected_90d": 0.12,
        "predicted_clv": 1500.0,
        "total_value": 12000.0,
        "transactions": 4,
        "last_date": datetime.date(2026, 3, 1),
        "recency_days": 276,
        "rfm": "145",
        "currency": None,
    }
    row.update(values)
    return row


def block(code, ratings, target, previous=None, **extra):
    return {
        "name": code.title(),
        "code": code,
        "ratings": ratings,
        "target": target,
        "previous": previous,
        **extra,
    }


def assessment(key=1, name="CRM maturity 2026", blocks=None, assessors=None):
    return {
        "key": key,
        "name": name,
        "date": "2026-03-01",
        "company": "YourCompany",
        "state": "Done",
        "assessors": ["Ann", "Bob"] if assessors is None else assessors,
        "previous": "CRM maturity 2025 (2025-03-01)",
        "blocks": blocks
        if blocks is not None
        else [
            block("vision", [2, 4], 4, 2.0),
            block("strategy", [3, None], 3),
            block("metrics", [None, None], 5, 1.5, signal_level=2.0),
            block(
                "information",
                [3, 3],
                4,
                2.5,
                signal_level=1.0,
                signal_flag=True,
                evidence="Data completeness: 20 % (level 1)",
                actions="Clean the contacts",
            ),
        ],
    }


def register():
    return {
        "note": "Health 0-100",
        "factors": [
            {
                "depth": 0,
                "level": "Enterprise",
                "name": "Know the customer",
                "code": "CSF1",
                "health": 55.0,
                "health_status": "At Risk",
                "budget": 1000.0,
                "fte": 1.5,
                "date_target": datetime.date(2026, 12, 31),
                "indicators": 2,
                "open_actions": 1,
                "overdue_actions": 1,
                "gaps": "Only lagging indicators",
            },
            {
                "depth": 1,
                "level": "Department",
                "name": "Clean data",
                "parent": "Know the customer",
                "health": None,
                "health_status": "No Data",
                "budget": 0.0,
                "currency": {"symbol": "$", "position": "before", "digits": 2},
            },
        ],
        "indicators": [
            {
                "factor": "Know the customer",
                "indicator": "Retention",
                "code": "retention_rate",
                "value": 81.5,
                "unit": "percent",
                "target": 90.0,
                "score": 62.0,
                "status": "Warning",
            },
            {
                "factor": "Know the customer",
                "indicator": "Revenue",
                "code": "won_revenue",
                "value": 23800.0,
                "unit": "currency",
                "target": None,
                "score": None,
                "status": "No Data",
            },
        ],
        "actions": [
            {
                "factor": "Know the customer",
                "name": "Call the lapsed customers",
                "user": "Ann",
                "deadline": datetime.date(2026, 1, 15),
                "state": "To Do",
                "overdue": True,
            },
            {
                "factor": "Know the customer",
                "name": "Survey",
                "state": "Done",
                "overdue": False,
                "date_done": datetime.date(2026, 2, 1),
                "effect": "Improved",
            },
        ],
    }


def data(**extra):
    base = {"title": "T", "generated": "2026-12-02", "currency": EURO}
    base.update(extra)
    return base


def build(content_data, sheets=ALL_SHEETS):
    stream = io.BytesIO()
    workbook = xlsxwriter.Workbook(stream, {"in_memory": True})
    book = xw.build(workbook, content_data, sheets)
    workbook.close()
    return stream.getvalue(), book


def load(content, data_only=False):
    return openpyxl.load_workbook(io.BytesIO(content), data_only=data_only)


def rows_of(ws, header_row):
    """{header: column} and the data rows below ``header_row`` (1-based)."""
    headers = {
        ws.cell(header_row, col).value: col
        for col in range(1, ws.max_column + 1)
        if ws.cell(header_row, col).value
    }
    return headers


# ---------------------------------------------------------------------------
# Customers at risk
# ---------------------------------------------------------------------------
def test_customers_at_risk_sheet():
    rows = [
        customer("Acme"),
        customer("Globex", p_alive=None, churn=None, predicted_clv=None),
        customer(
            "Initech", currency={"symbol": "$", "position": "before", "digits": 2}
        ),
    ]
    content, book = build(
        data(
            customers_at_risk={
                "rows": rows,
                "note": "3 customers",
                "multi_company": False,
            }
        )
    )
    wb = load(content)
    ws = wb[book.sheets["customers_at_risk"]]
    assert ws.title == "Customers at Risk"
    assert ws["A2"].value == "3 customers"
    header_row = xc.HEADER_ROW + 1
    headers = rows_of(ws, header_row)
    # one company exported: no company column
    assert "Company" not in headers
    assert list(headers)[:4] == ["Customer", "Segment", "Salesperson", "Sales team"]
    first = header_row + 1
    assert ws.cell(first, headers["Customer"]).value == "Acme"
    assert ws.cell(first, headers["Salesperson"]).value == "Clara Seller"
    assert ws.cell(first, headers["Churn propensity"]).value == 80.0
    assert '"%"' in ws.cell(first, headers["Churn propensity"]).number_format
    assert "€" in ws.cell(first, headers["Predicted lifetime value"]).number_format
    assert ws.cell(first, headers["Last transaction"]).value == datetime.datetime(
        2026, 3, 1
    )
    # no model: no probability, a blank cell (not 0)
    assert ws.cell(first + 1, headers["Probability alive"]).value is None
    # an amount in another currency is formatted in it
    assert "$" in ws.cell(first + 2, headers["Total value"]).number_format
    assert "CustomersAtRisk" in ws.tables
    assert ws.freeze_panes == f"B{header_row + 1}"
    rules = [r for rng in ws.conditional_formatting for r in rng.rules]
    assert "colorScale" in [r.type for r in rules]


def test_customers_at_risk_of_several_companies_name_the_company():
    content, book = build(
        data(customers_at_risk={"rows": [customer("Acme")], "multi_company": True}),
        xc.SHEETS,
    )
    ws = load(content)[book.sheets["customers_at_risk"]]
    assert "Company" in rows_of(ws, xc.HEADER_ROW + 1)


def test_no_customer_at_risk_says_so():
    content, book = build(data(customers_at_risk={"rows": []}), xc.SHEETS)
    ws = load(content)[book.sheets["customers_at_risk"]]
    assert ws["A2"].value == "No customer in the high risk band."
    # no data: no sheet at all
    _content, book = build(data(), xc.SHEETS)
    assert "customers_at_risk" not in book.sheets


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------
def test_tables_have_unique_names_and_headers():
    stream = io.BytesIO()
    workbook = xlsxwriter.Workbook(stream, {"in_memory": True})
    book = xw.Book(workbook, data(labels={"a": "Name", "b": "name"}))
    ws = book.add_sheet("one", "One")
    book.write_table(
        ws, 0, [("x", "a", "text", 10), ("y", "b", "text", 10)], [{"x": 1}], name="T"
    )
    ws2 = book.add_sheet("two", "Two")
    book.write_table(ws2, 0, [("x", "a", "text", 10)], [], name="T")
    assert book.table_name("1 bad name!") == "T_1badname"
    assert book.table_name("R1C1") == "T_R1C1"
    workbook.close()
    wb = load(stream.getvalue())
    assert [c.value for c in wb["One"][1]] == ["Name", "name (2)"]
    assert list(wb["One"].tables) == ["T"]
    # "T2" would be a cell's name
    assert list(wb["Two"].tables) == ["T_2"]
    assert book.table_name("AB12") == "T_AB12"


# ---------------------------------------------------------------------------
# The CSF register
# ---------------------------------------------------------------------------
def test_csf_register_sheets():
    content, book = build(data(csf_register=register()))
    wb = load(content)
    assert [
        book.sheets[k] for k in ("csf_register", "csf_indicators", "csf_actions")
    ] == [
        "Success Factors",
        "Success Factor Indicators",
        "Action Plans",
    ]
    ws = wb["Success Factors"]
    header_row = xp.REGISTER_HEADER_ROW + 1
    headers = rows_of(ws, header_row)
    first = header_row + 1
    assert ws.cell(first, headers["Success factor"]).value == "Know the customer"
    assert ws.cell(first, headers["Health"]).value == 55.0
    # the department factor under the enterprise one, indented; no health
    assert ws.cell(first + 1, headers["Success factor"]).alignment.indent == 1
    assert ws.cell(first + 1, headers["Health"]).value is None
    assert "€" in ws.cell(first, headers["Budget"]).number_format
    assert "$" in ws.cell(first + 1, headers["Budget"]).number_format
    rules = [r for rng in ws.conditional_formatting for r in rng.rules]
    assert "iconSet" in [r.type for r in rules]
    assert "SuccessFactors" in ws.tables
    assert ws.freeze_panes == f"C{header_row + 1}"
    indicators = wb["Success Factor Indicators"]
    headers = rows_of(indicators, 1)
    assert indicators.cell(2, headers["Value"]).value == 81.5
    assert '"%"' in indicators.cell(2, headers["Value"]).number_format
    assert "€" in indicators.cell(3, headers["Value"]).number_format
    assert indicators.cell(3, headers["Score"]).value is None
    actions = wb["Action Plans"]
    headers = rows_of(actions, 1)
    assert actions.cell(2, headers["Overdue"]).value == "⚠"
    assert actions.cell(3, headers["Overdue"]).value is None
    assert actions.cell(3, headers["Did it work?"]).value == "Improved"
    rules = [r for rng in actions.conditional_formatting for r in rng.rules]
    assert [r.type for r in rules] == ["expression"]


def test_an_empty_register_says_so():
    content, book = build(data(csf_register={"factors": []}))
    wb = load(content)
    assert wb["Success Factors"]["A2"].value == "No success factor to export."
    assert "csf_actions" not in book.sheets


# ---------------------------------------------------------------------------
# The maturity assessment
# ---------------------------------------------------------------------------
def test_maturity_sheet_formulas_and_cached_values():
    content, book = build(data(assessments=[assessment()]))
    name = book.sheets[("maturity", 1)]
    assert name == "CRM maturity 2026"
    ws = load(content)[name]
    cached = load(content, data_only=True)[name]
    layout = book.maturity_layouts[1]
    assert layout.ratings_first == xp.M_RATINGS
    assert [
        ws.cell(xp.M_ROW_HEADER + 1, xp.M_RATINGS + 1 + i).value for i in (0, 1)
    ] == [
        "Ann",
        "Bob",
    ]
    for index, entry in enumerate(assessment()["blocks"]):
        row = layout.row(index) + 1
        summary = maturity.summarise(entry["ratings"])
        current = cached.cell(row, xp.M_CURRENT + 1).value
        assert ws.cell(row, xp.M_CURRENT + 1).value.startswith("=IF(COUNT(")
        assert (current if current != "" else None) == summary.mean
        gap = cached.cell(row, xp.M_GAP + 1).value
        assert (gap if gap != "" else None) == maturity.gap(
            entry["target"], summary.mean
        )
        assert cached.cell(row, xp.M_COUNT + 1).value == summary.count
        # the ratings are inputs
        assert ws.cell(row, xp.M_RATINGS + 1).fill.fgColor.rgb.endswith("FFF2CC")
    vision = layout.row(0) + 1
    assert cached.cell(vision, xp.M_CHANGE + 1).value == 1.0
    assert cached.cell(vision, xp.M_DISAGREE + 1).value == "⚠"
    metrics = layout.row(2) + 1
    # a block nobody rated: no level, and the chart does not draw it
    assert cached.cell(metrics, layout.chart_current + 1).value == "#N/A"
    information = layout.row(3) + 1
    assert cached.cell(information, xp.M_DATA_FLAG + 1).value == "⚠"
    assert "Data completeness" in cached.cell(information, xp.M_EVIDENCE + 1).value
    current, target, previous = xp.overall_cache(assessment())
    overall = xp.M_ROW_OVERALL + 1
    assert cached.cell(overall, xp.M_CURRENT + 1).value == current == (3 + 3 + 3) / 3
    assert cached.cell(overall, xp.M_TARGET + 1).value == target == 4.0
    assert cached.cell(overall, xp.M_PREVIOUS + 1).value == previous == 2.0
    # the chart's columns are grouped and hidden
    letter = xp.col_name(layout.chart_current)
    assert ws.column_dimensions[letter].hidden


def test_radar_chart_of_current_target_and_previous_levels():
    content, book = build(data(assessments=[assessment()]))
    name = book.sheets[("maturity", 1)]
    ws = load(content)[name]
    charts = ws._charts
    assert len(charts) == 1
    chart = charts[0]
    assert type(chart).__name__ == "RadarChart"
    assert chart.type == "marker"
    layout = book.maturity_layouts[1]
    quoted = f"'{name}'"
    first, last = layout.first + 1, layout.last + 1

    def ref(col):
        letter = xp.col_name(col)
        return f"{quoted}!${letter}${first}:${letter}${last}"

    assert [series.val.numRef.f for series in chart.series] == [
        ref(layout.chart_current),
        ref(xp.M_TARGET),
        ref(layout.chart_previous),
    ]
    assert [series.tx.v for series in chart.series] == ["Current", "Target", "Previous"]
    assert chart.series[0].cat.strRef.f == ref(xp.M_BLOCK)
    assert chart.y_axis.scaling.max == 5
    assert chart.y_axis.scaling.min == 0
    # the hidden columns are drawn (no "plot visible cells only")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("xl/charts/chart1.xml").decode()
    assert "<c:radarChart>" in xml
    assert "plotVisOnly" not in xml


def test_without_a_previous_assessment_the_radar_has_two_series():
    blocks = [block("vision", [2, 3], 4), block("strategy", [3, 3], 3)]
    content, book = build(data(assessments=[assessment(blocks=blocks)]))
    chart = load(content)[book.sheets[("maturity", 1)]]._charts[0]
    assert [series.tx.v for series in chart.series] == ["Current", "Target"]


def test_an_assessment_without_assessors_shows_its_stored_levels():
    blocks = [block("vision", [], 4, mean=2.5)]
    content, book = build(data(assessments=[assessment(blocks=blocks, assessors=[])]))
    cached = load(content, data_only=True)[book.sheets[("maturity", 1)]]
    row = book.maturity_layouts[1].row(0) + 1
    assert cached.cell(row, xp.M_CURRENT + 1).value == 2.5
    assert cached.cell(row, xp.M_GAP + 1).value == 1.5


def test_maturity_sheet_names_for_any_language_and_right_to_left():
    name = "ارزیابی بلوغ مدیریت ارتباط با مشتری ۱۴۰۵"
    content, book = build(
        data(
            rtl=True,
            assessments=[assessment(1, name), assessment(2, name)],
            csf_register=register(),
        )
    )
    names = [book.sheets[("maturity", 1)], book.sheets[("maturity", 2)]]
    assert names[0] == name[:31]
    assert names[1].endswith(" (2)") and len(names[1]) <= 31
    wb = load(content)
    assert names == wb.sheetnames[-2:]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for index in range(1, len(wb.sheetnames) + 1):
            sheet = archive.read(f"xl/worksheets/sheet{index}.xml").decode()
            assert 'rightToLeft="1"' in sheet


# ---------------------------------------------------------------------------
# LibreOffice
# ---------------------------------------------------------------------------
def full_data():
    return data(
        scorecards=[],
        coverage={"channels": [], "rows": []},
        links=[],
        history=[],
        customers_at_risk={"rows": [customer("Acme"), customer("Globex")]},
        csf_register=register(),
        assessments=[assessment()],
    )


@needs_libreoffice
def test_libreoffice_opens_every_sheet(tmp_path):
    content, _book = build(full_data())
    path = tmp_path / "manager.xlsx"
    path.write_bytes(content)
    converted, _output = convert(path)
    wb = openpyxl.load_workbook(converted, data_only=True)
    assert load(content).sheetnames == wb.sheetnames
    pdf, _output = convert(path, target="pdf", recalc=False)
    assert pdf.stat().st_size > 1000


def random_blocks(rng, count):
    blocks = []
    for index in range(count):
        ratings = [rng.choice([None, 1, 2, 3, 4, 5]) for _assessor in range(3)]
        target = rng.randint(1, 5)
        previous = rng.choice([None, 1.0, 2.5, 3.0, 4.5])
        blocks.append(block(f"block_{index}", ratings, target, previous))
    return blocks


@needs_libreoffice
def test_libreoffice_recalculates_the_maturity_levels(tmp_path):
    """Every level, gap, change and spread LibreOffice computes from the
    formulas equals tools/maturity's, for random ratings."""
    rng = random.Random(15)
    blocks = random_blocks(rng, 30)
    entry = assessment(blocks=blocks, assessors=["A", "B", "C"])
    content, book = build(data(assessments=[entry]), xp.PLANNING_SHEETS)
    path = tmp_path / "maturity.xlsx"
    path.write_bytes(content)
    converted, _output = convert(path)
    ws = openpyxl.load_workbook(converted, data_only=True)[book.sheets[("maturity", 1)]]
    layout = book.maturity_layouts[1]

    def value(row, col):
        got = ws.cell(row, col + 1).value
        return None if got in ("", None) else got

    for index, entry_block in enumerate(blocks):
        row = layout.row(index) + 1
        summary = maturity.summarise(entry_block["ratings"])
        assert value(row, xp.M_CURRENT) == pytest.approx(summary.mean)
        assert value(row, xp.M_GAP) == pytest.approx(
            maturity.gap(entry_block["target"], summary.mean)
        )
        assert value(row, xp.M_SPREAD) == summary.spread
        change = (
            None
            if summary.mean is None or entry_block["previous"] is None
            else summary.mean - entry_block["previous"]
        )
        assert value(row, xp.M_CHANGE) == pytest.approx(change)
        assert (value(row, xp.M_DISAGREE) is not None) == maturity.wide_spread(
            summary.spread
        )
    current, target, previous = xp.overall_cache(entry)
    overall = xp.M_ROW_OVERALL + 1
    assert value(overall, xp.M_CURRENT) == pytest.approx(current)
    assert value(overall, xp.M_TARGET) == pytest.approx(target)
    assert value(overall, xp.M_PREVIOUS) == pytest.approx(previous)


@needs_libreoffice
def test_what_if_a_changed_rating_moves_the_levels(tmp_path):
    content, book = build(data(assessments=[assessment()]), xp.PLANNING_SHEETS)
    name = book.sheets[("maturity", 1)]
    wb = load(content)
    layout = book.maturity_layouts[1]
    strategy = layout.row(1) + 1
    # Bob rates the strategy 5: its level becomes (3 + 5) / 2 = 4
    wb[name].cell(strategy, xp.M_RATINGS + 2).value = 5
    changed = io.BytesIO()
    wb.save(changed)
    path = tmp_path / "what_if.xlsx"
    path.write_bytes(changed.getvalue())
    converted, _output = convert(path)
    ws = openpyxl.load_workbook(converted, data_only=True)[name]
    assert ws.cell(strategy, xp.M_CURRENT + 1).value == 4
    assert ws.cell(strategy, xp.M_GAP + 1).value == 0
    assert ws.cell(strategy, xp.M_SPREAD + 1).value == 2
    assert ws.cell(xp.M_ROW_OVERALL + 1, xp.M_CURRENT + 1).value == pytest.approx(
        (3 + 4 + 3) / 3
    )
