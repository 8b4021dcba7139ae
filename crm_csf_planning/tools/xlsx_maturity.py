# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The maturity assessment sheets of the planning workbook (see
``xlsx_planning`` for the data): the assessors' ratings are inputs
(yellow); the current level of each block, its gap to the target, its
change since the previous assessment, the spread of the ratings and the
overall levels are formulas written with their values (tools/maturity.py),
with a radar chart of current, target and previous levels.
Pure Python (no Odoo import)."""

from . import maturity
from .xlsx_cells import _labels, cell, span

# ---------------------------------------------------------------------------
# Maturity assessments
# ---------------------------------------------------------------------------
M_BLOCK, M_CODE, M_CURRENT, M_TARGET, M_GAP, M_PREVIOUS, M_CHANGE = range(7)
M_COUNT, M_SPREAD, M_DISAGREE, M_MEASURED, M_DATA_FLAG = range(7, 12)
M_EVIDENCE, M_ACTIONS = 12, 13
M_RATINGS = 14  # one column per assessor
M_ROW_TITLE, M_ROW_SUBTITLE, M_ROW_ASSESSORS, M_ROW_PREVIOUS = 0, 1, 2, 3
M_ROW_OVERALL, M_ROW_HEADER, M_ROW_FIRST = 4, 6, 7


class MaturityLayout:
    """Where a maturity sheet's cells are: the block rows, the ratings'
    columns, the chart's hidden columns; computed before writing, so that
    tests and the chart refer to the same cells."""

    def __init__(self, assessment):
        self.blocks = list(assessment.get("blocks") or [])
        self.assessors = list(assessment.get("assessors") or [])
        self.first = M_ROW_FIRST
        self.last = M_ROW_FIRST + max(len(self.blocks), 1) - 1
        self.ratings_first = M_RATINGS
        self.ratings_last = M_RATINGS + len(self.assessors) - 1
        # the chart reads these (a level not rated is #N/A: not drawn)
        self.chart_current = M_RATINGS + len(self.assessors)
        self.chart_previous = self.chart_current + 1
        self.has_previous = any(b.get("previous") is not None for b in self.blocks)

    def row(self, index):
        return self.first + index


def block_cache(block, assessors):
    """The values of a block row's formulas, as tools/maturity computes
    them."""
    ratings = list(block.get("ratings") or [])
    if assessors:
        summary = maturity.summarise(ratings)
        mean, spread, count = summary.mean, summary.spread, summary.count
    else:
        mean = block.get("mean")
        spread, count = None, 0
    target = block.get("target") or None
    previous = block.get("previous")
    return {
        "mean": mean,
        "count": count,
        "spread": spread,
        "gap": maturity.gap(target, mean),
        "change": None if mean is None or previous is None else mean - previous,
        "wide": maturity.wide_spread(spread),
    }


def overall_cache(assessment):
    """Overall current, target and previous levels, as the addon computes
    them (the mean of what is rated; targets above 0)."""
    assessors = assessment.get("assessors") or []
    blocks = assessment.get("blocks") or []
    means = [block_cache(block, assessors)["mean"] for block in blocks]
    targets = [block.get("target") for block in blocks if block.get("target")]
    previous = [b.get("previous") for b in blocks if b.get("previous") is not None]
    return (
        maturity.overall(means),
        sum(targets) / len(targets) if targets else None,
        sum(previous) / len(previous) if previous else None,
    )


def _blank_or(value):
    return "" if value is None else value


def write_maturity_sheets(book):
    """A sheet per assessment: its blocks with their levels (formulas over
    the assessors' ratings), the evidence from the data and a radar chart of
    current, target and previous levels."""
    sheets = []
    for assessment in book.data.get("assessments") or []:
        sheets.append(write_maturity_sheet(book, assessment))
    return sheets


def write_maturity_sheet(book, assessment):
    _labels(book)
    layout = MaturityLayout(assessment)
    if not hasattr(book, "maturity_layouts"):
        book.maturity_layouts = {}  # assessment key -> MaturityLayout
    book.maturity_layouts[assessment.get("key")] = layout
    ws = book.add_sheet(
        ("maturity", assessment.get("key")),
        assessment.get("name") or book.label("maturity"),
        book.label("maturity"),
    )
    ws.write_string(M_ROW_TITLE, 0, assessment.get("name") or "", book.title)
    ws.write_string(
        M_ROW_SUBTITLE,
        0,
        " · ".join(
            str(part)
            for part in (
                assessment.get("date"),
                assessment.get("company"),
                assessment.get("state"),
            )
            if part
        ),
    )
    if layout.assessors:
        ws.write_string(
            M_ROW_ASSESSORS,
            0,
            book.label("assessors") % ", ".join(layout.assessors),
        )
    if assessment.get("previous"):
        ws.write_string(
            M_ROW_PREVIOUS, 0, book.label("compared_with") % assessment["previous"]
        )
    headers = {
        M_BLOCK: "building_block",
        M_CODE: "code",
        M_CURRENT: "current_level",
        M_TARGET: "target_level",
        M_GAP: "level_gap",
        M_PREVIOUS: "previous_level",
        M_CHANGE: "level_change",
        M_COUNT: "rating_count",
        M_SPREAD: "spread",
        M_DISAGREE: "assessors_disagree",
        M_MEASURED: "measured_level",
        M_DATA_FLAG: "data_disagrees",
        M_EVIDENCE: "evidence_from_data",
        M_ACTIONS: "closing_actions",
    }
    for col, key in headers.items():
        ws.write_string(M_ROW_HEADER, col, book.label(key), book.header)
    for index, name in enumerate(layout.assessors):
        ws.write_string(M_ROW_HEADER, M_RATINGS + index, name, book.header)
    calc_header = book.fmt(bold=True, font_color="#808080", border=1, text_wrap=True)
    ws.write_string(
        M_ROW_HEADER,
        layout.chart_current,
        f"{book.label('chart_data')}: {book.label('radar_current')}",
        calc_header,
    )
    ws.write_string(
        M_ROW_HEADER,
        layout.chart_previous,
        f"{book.label('chart_data')}: {book.label('radar_previous')}",
        calc_header,
    )
    level_fmt = book.fmt(num_format="0.00")
    level_bold = book.fmt(num_format="0.00", bold=True)
    inputs = book.fmt(num_format="0", bg_color="#FFF2CC", align="center")
    change_fmt = book.fmt(num_format="+0.00;-0.00;0.00")
    wrap = book.fmt(text_wrap=True, valign="top")
    flag = book.fmt(font_color="#9C6500", bg_color="#FFEB9C", align="center")
    calc = book.fmt(num_format="0.00", font_color="#808080")
    for index, block in enumerate(layout.blocks):
        row = layout.row(index)
        cache = block_cache(block, layout.assessors)
        r = {col: cell(row, col) for col in range(layout.chart_previous + 1)}
        ws.write_string(row, M_BLOCK, block.get("name") or "")
        ws.write_string(row, M_CODE, block.get("code") or "")
        ratings = list(block.get("ratings") or [])
        for offset in range(len(layout.assessors)):
            level = ratings[offset] if offset < len(ratings) else None
            if level:
                ws.write_number(row, M_RATINGS + offset, level, inputs)
            else:
                ws.write_blank(row, M_RATINGS + offset, None, inputs)
        if layout.assessors:
            ratings_ref = span(row, layout.ratings_first, row, layout.ratings_last)
            ws.write_formula(
                row,
                M_CURRENT,
                f'=IF(COUNT({ratings_ref})=0,"",AVERAGE({ratings_ref}))',
                level_bold,
                _blank_or(cache["mean"]),
            )
            ws.write_formula(
                row, M_COUNT, f"=COUNT({ratings_ref})", None, cache["count"]
            )
            ws.write_formula(
                row,
                M_SPREAD,
                f'=IF({r[M_COUNT]}=0,"",MAX({ratings_ref})-MIN({ratings_ref}))',
                None,
                _blank_or(cache["spread"]),
            )
            mark = book.label("flag_mark").replace('"', '""')
            ws.write_formula(
                row,
                M_DISAGREE,
                f'=IF({r[M_SPREAD]}="","",IF({r[M_SPREAD]}>={maturity.WIDE_SPREAD},'
                f'"{mark}",""))',
                flag if cache["wide"] else None,
                book.label("flag_mark") if cache["wide"] else "",
            )
        else:
            book.write_value(ws, row, M_CURRENT, "level", cache["mean"])
            ws.write_number(row, M_COUNT, 0)
            ws.write_blank(row, M_SPREAD, None)
            ws.write_blank(row, M_DISAGREE, None)
        target = block.get("target")
        if target:
            ws.write_number(row, M_TARGET, target, inputs)
        else:
            ws.write_blank(row, M_TARGET, None, inputs)
        ws.write_formula(
            row,
            M_GAP,
            f'=IF(OR({r[M_CURRENT]}="",N({r[M_TARGET]})=0),"",'
            f"MAX({r[M_TARGET]}-{r[M_CURRENT]},0))",
            level_fmt,
            _blank_or(cache["gap"]),
        )
        book.write_value(ws, row, M_PREVIOUS, "level", block.get("previous"))
        ws.write_formula(
            row,
            M_CHANGE,
            f'=IF(OR({r[M_CURRENT]}="",{r[M_PREVIOUS]}=""),"",'
            f"{r[M_CURRENT]}-{r[M_PREVIOUS]})",
            change_fmt,
            _blank_or(cache["change"]),
        )
        book.write_value(ws, row, M_MEASURED, "level", block.get("signal_level"))
        if block.get("signal_flag"):
            ws.write_string(row, M_DATA_FLAG, book.label("flag_mark"), flag)
        else:
            ws.write_blank(row, M_DATA_FLAG, None)
        ws.write_string(row, M_EVIDENCE, block.get("evidence") or "", wrap)
        ws.write_string(row, M_ACTIONS, block.get("actions") or "", wrap)
        # what the chart draws: a level that is not there is not drawn
        ws.write_formula(
            row,
            layout.chart_current,
            f'=IF({r[M_CURRENT]}="",NA(),{r[M_CURRENT]})',
            calc,
            "#N/A" if cache["mean"] is None else cache["mean"],
        )
        ws.write_formula(
            row,
            layout.chart_previous,
            f'=IF({r[M_PREVIOUS]}="",NA(),{r[M_PREVIOUS]})',
            calc,
            "#N/A" if block.get("previous") is None else block["previous"],
        )
    # the overall levels
    current, target, previous = overall_cache(assessment)
    first, last = layout.first, layout.last
    ws.write_string(
        M_ROW_OVERALL, M_BLOCK, book.label("overall_maturity"), book.fmt(bold=True)
    )
    column = {c: span(first, c, last, c) for c in (M_CURRENT, M_TARGET, M_PREVIOUS)}
    ws.write_formula(
        M_ROW_OVERALL,
        M_CURRENT,
        f'=IF(COUNT({column[M_CURRENT]})=0,"",AVERAGE({column[M_CURRENT]}))',
        level_bold,
        _blank_or(current),
    )
    ws.write_formula(
        M_ROW_OVERALL,
        M_TARGET,
        f'=IF(COUNTIF({column[M_TARGET]},">0")=0,"",'
        f'AVERAGEIF({column[M_TARGET]},">0"))',
        level_bold,
        _blank_or(target),
    )
    ws.write_formula(
        M_ROW_OVERALL,
        M_PREVIOUS,
        f'=IF(COUNT({column[M_PREVIOUS]})=0,"",AVERAGE({column[M_PREVIOUS]}))',
        level_bold,
        _blank_or(previous),
    )
    if layout.blocks:
        # a bar in the gap cells: the longer, the further from the target
        ws.conditional_format(
            first,
            M_GAP,
            last,
            M_GAP,
            {
                "type": "data_bar",
                "bar_color": "#F4B183",
                "min_type": "num",
                "min_value": 0,
                "max_type": "num",
                "max_value": maturity.MAX_LEVEL - maturity.MIN_LEVEL,
            },
        )
        _add_radar(book, ws, assessment, layout)
    ws.freeze_panes(M_ROW_HEADER + 1, 1)
    ws.set_column(M_BLOCK, M_BLOCK, 34)
    ws.set_column(M_CODE, M_CODE, 14)
    ws.set_column(M_CURRENT, M_DATA_FLAG, 11)
    ws.set_column(M_EVIDENCE, M_EVIDENCE, 48)
    ws.set_column(M_ACTIONS, M_ACTIONS, 32)
    if layout.assessors:
        ws.set_column(layout.ratings_first, layout.ratings_last, 14)
    ws.set_column(
        layout.chart_current,
        layout.chart_previous,
        12,
        None,
        {"level": 1, "hidden": True},
    )
    ws.set_row(M_ROW_HEADER, 30)
    return ws


def _add_radar(book, ws, assessment, layout):
    """The radar chart of the current, target and previous levels, under
    the table."""
    name = book.sheets[("maturity", assessment.get("key"))]
    first, last = layout.first, layout.last
    chart = book.workbook.add_chart({"type": "radar", "subtype": "marker"})
    categories = [name, first, M_BLOCK, last, M_BLOCK]
    chart.add_series(
        {
            "name": book.label("radar_current"),
            "categories": categories,
            "values": [name, first, layout.chart_current, last, layout.chart_current],
            "line": {"color": "#3B6EA5", "width": 2.25},
            "marker": {"type": "circle", "size": 6, "fill": {"color": "#3B6EA5"}},
        }
    )
    chart.add_series(
        {
            "name": book.label("radar_target"),
            "categories": categories,
            "values": [name, first, M_TARGET, last, M_TARGET],
            "line": {"color": "#6F9E4F", "width": 1.5, "dash_type": "dash"},
            "marker": {"type": "diamond", "size": 6, "fill": {"color": "#6F9E4F"}},
        }
    )
    if layout.has_previous:
        chart.add_series(
            {
                "name": book.label("radar_previous"),
                "categories": categories,
                "values": [
                    name,
                    first,
                    layout.chart_previous,
                    last,
                    layout.chart_previous,
                ],
                "line": {"color": "#A6A6A6", "width": 1.5},
                "marker": {"type": "square", "size": 5, "fill": {"color": "#A6A6A6"}},
            }
        )
    chart.set_title({"name": book.label("radar_title")})
    chart.set_y_axis(
        {
            "min": 0,
            "max": maturity.MAX_LEVEL,
            "major_unit": 1,
            "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
        }
    )
    chart.set_legend({"position": "bottom"})
    chart.show_blanks_as("gap")
    # the current and previous levels are in hidden (grouped) columns
    chart.show_hidden_data()
    chart.set_size({"width": 680, "height": 460})
    ws.insert_chart(last + 3, M_BLOCK, chart)
    return chart
