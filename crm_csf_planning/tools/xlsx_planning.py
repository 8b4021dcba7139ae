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
"""

from . import maturity

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


PLANNING_SHEETS = (
    write_csf_register_sheet,
    write_csf_indicators_sheet,
    write_csf_actions_sheet,
    write_maturity_sheets,
)
