# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The demo's scorecards over its year: the segment scorecards generated
from the template with their targets, the calendar periods, a year of
manual values and the computed ones. Deterministic (fixed random seeds)."""

import random

from dateutil.relativedelta import relativedelta

from odoo import Command

from ..tools import scoring
from . import common
from .data import (
    ADDITIVE_CODES,
    COMPANY_WIDE_CODES,
    MODULE,
    NO_DATA,
    PER_CHANNEL_CODES,
    PROFILE_OVERRIDES,
    PROFILE_WEIGHTS,
    PROFILES,
    SEGMENT_MOOD,
    SEGMENT_PROFILES,
    SEGMENT_SCORECARDS,
    SEGMENT_TARGETS,
    TEMPLATE,
    VALUE_MONTHS,
)


def generate_periods(env):
    """Months, quarters and years from eleven months ago to today."""
    today = common.today(env)
    start = (today - relativedelta(months=VALUE_MONTHS - 1)).replace(day=1)
    Period = env["crm.bsc.period"]
    periods = Period.browse()
    for period_type in ("month", "quarter", "year"):
        periods |= Period._generate(period_type, start, today)
    return periods.ids


# ------------------------------------------------------------------
# Scorecards
# ------------------------------------------------------------------
def generate_segment_scorecards(env):
    """Create the segment scorecards of the template with the wizard, give
    them their xml ids (``SEGMENT_SCORECARDS``), order, color and owner.
    Running it again brings them in step with the template."""
    template = common.ref(env, TEMPLATE)
    segments = env["crm.customer.segment"].browse(
        [common.ref(env, xml_id).id for xml_id in SEGMENT_SCORECARDS]
    )
    wizard = env["crm.bsc.scorecard.generate"].create(
        {
            "template_id": template.id,
            "segment_ids": [Command.set(segments.ids)],
            "update_targets": False,
        }
    )
    wizard.action_apply()
    generated = (
        env["crm.bsc.scorecard"]
        .with_context(active_test=False)
        .search([("template_id", "=", template.id)])
    )
    by_segment = {scorecard.segment_id: scorecard for scorecard in generated}
    for segment_xmlid, (xmlid, sequence, color, owner) in SEGMENT_SCORECARDS.items():
        scorecard = by_segment[common.ref(env, segment_xmlid)]
        env["ir.model.data"]._update_xmlids(
            [{"xml_id": f"{MODULE}.{xmlid}", "record": scorecard, "noupdate": True}]
        )
        scorecard.write(
            {
                "sequence": sequence,
                "color": color,
                "owner_id": common.ref(env, owner).id,
            }
        )
    return generated.ids


def set_targets(env, targets=None):
    """Adjust the targets of scorecard lines.

    ``targets`` (default ``SEGMENT_TARGETS``) maps a scorecard xml id to
    {indicator code: figures}, figures being (target, warning, critical) or,
    for a range, (target, target_max, warning, critical).
    """
    for scorecard_xmlid, by_code in (targets or SEGMENT_TARGETS).items():
        scorecard = common.ref(env, scorecard_xmlid)
        lines = {line.indicator_id.code: line for line in scorecard.line_ids}
        for code, figures in by_code.items():
            if len(figures) == 4:
                target, target_max, warning, critical = figures
            else:
                (target, warning, critical), target_max = figures, 0.0
            lines[code].write(
                {
                    "target": target,
                    "target_max": target_max,
                    "warning_threshold": warning,
                    "critical_threshold": critical,
                }
            )
    return True


# ------------------------------------------------------------------
# Indicator values
# ------------------------------------------------------------------
def compute_values(env):
    """Compute the computed indicators of the active scorecards over the
    demo year (every open period that has started), as the scheduled
    action would, and forget the pending changes the demo history made."""
    scorecards = env["crm.bsc.scorecard"].search([("state", "=", "active")])
    periods = env["crm.bsc.period"].search(
        [("state", "=", "open"), ("date_from", "<=", common.today(env))]
    )
    written = scorecards._compute_values(periods)
    env["crm.bsc.dirty"].search([]).unlink()
    return written


def fill_values(env):
    """A year of values for the manual lines of the active monthly
    scorecards; values that exist already are kept."""
    today = common.today(env)
    periods = env["crm.bsc.period"].search(
        [("period_type", "=", "month"), ("date_from", "<=", today)],
        order="date_from desc",
        limit=VALUE_MONTHS,
    )
    scorecards = env["crm.bsc.scorecard"].search(
        [("state", "=", "active"), ("period_type", "=", "month")]
    )
    if not periods or not scorecards:
        return 0
    periods = periods.sorted("date_from")
    segment_xmlids = {common.ref(env, xml_id): xml_id for xml_id in SEGMENT_PROFILES}
    figures = {}  # (scorecard, line, period): (value or None, note)
    for scorecard in scorecards.filtered("segment_id"):
        segment_key = segment_xmlids.get(scorecard.segment_id, scorecard.name)
        for line in scorecard.line_ids.filtered(_is_manual):
            series = _series(line, segment_key, periods)
            for period, figure in zip(periods, series, strict=True):
                figures[scorecard, line, period] = figure
    for scorecard in scorecards - scorecards.filtered("segment_id"):
        for line in scorecard.line_ids.filtered(_is_manual):
            series = _total_series(scorecard, line, periods, figures)
            for period, figure in zip(periods, series, strict=True):
                figures[scorecard, line, period] = figure
    vals_list = _value_vals(figures)
    vals_list += _channel_value_vals(scorecards, periods, figures)
    existing = {
        value._key()
        for value in env["crm.bsc.indicator.value"].search(
            [("period_id", "in", periods.ids)]
        )
    }
    vals_list = [
        vals
        for vals in vals_list
        if (
            vals["indicator_id"],
            vals["period_id"],
            vals["company_id"],
            vals["segment_id"] or 0,
            vals["channel_id"] or 0,
            0,
            0,
        )
        not in existing
    ]
    env["crm.bsc.indicator.value"].create(vals_list)
    return len(vals_list)


def _is_manual(line):
    return line.indicator_id.computation == "manual"


def _value_vals(figures):
    vals_list = []
    for (scorecard, line, period), (value, note) in figures.items():
        vals_list.append(
            {
                "indicator_id": line.indicator_id.id,
                "period_id": period.id,
                "company_id": scorecard.company_id.id,
                "segment_id": scorecard.segment_id.id,
                "channel_id": False,
                "has_value": value is not None,
                "value": value or 0.0,
                "note": note,
            }
        )
    return vals_list


def _channel_value_vals(scorecards, periods, figures):
    """Per-channel values of a few indicators of the all-customers card."""
    vals_list = []
    for scorecard in scorecards - scorecards.filtered("segment_id"):
        for line in scorecard.line_ids.filtered(_is_manual):
            indicator = line.indicator_id
            if indicator.code not in PER_CHANNEL_CODES:
                continue
            for channel in indicator.channel_ids:
                rng = random.Random(f"{indicator.code}/{channel.code}")
                bias = rng.uniform(-0.25, 0.25)
                for period in periods:
                    value, _note = figures[scorecard, line, period]
                    if value is None:
                        continue
                    vals_list.append(
                        {
                            "indicator_id": indicator.id,
                            "period_id": period.id,
                            "company_id": scorecard.company_id.id,
                            "segment_id": False,
                            "channel_id": channel.id,
                            "value": _round_value(
                                line,
                                value * (1 + bias + rng.uniform(-0.08, 0.08)),
                            ),
                        }
                    )
    return vals_list


def _series(line, segment_key, periods):
    """[(value or None, note)] of a line over the periods."""
    code = line.indicator_id.code
    rng = random.Random(f"{segment_key}/{code}")
    profile = PROFILE_OVERRIDES.get((segment_key, code)) or common.weighted(
        rng, PROFILE_WEIGHTS
    )
    start, end, noise = PROFILES[profile]
    mood = SEGMENT_MOOD.get(segment_key, 0.0)
    start, end = start + mood, end + mood
    side = rng.choice((-1, 1))
    missing = _missing_values(segment_key, code, periods)
    series = []
    count = len(periods)
    for index, period in enumerate(periods):
        level = start + (end - start) * index / max(count - 1, 1)
        level += rng.gauss(0, noise)
        if period in missing:
            series.append((None, missing[period]))
            continue
        series.append((_value_at(line, level, side, rng), False))
    return series


def _missing_values(segment_key, code, periods):
    """{period: note} of the values of a line that have no data."""
    result = {}
    for segment, no_data_code, month, note in NO_DATA:
        if no_data_code != code or segment not in (None, segment_key):
            continue
        for offset, period in enumerate(reversed(periods)):
            if month in (-offset, f"m{period.date_from.month}"):
                result[period] = note
    return result


def _total_series(scorecard, line, periods, figures):
    """The all-customers value: the sum or the mean of the segments'."""
    code = line.indicator_id.code
    parts = [
        (sc, ln)
        for sc, ln, _period in figures
        if ln.indicator_id == line.indicator_id and sc.template_id == scorecard
    ]
    parts = list(dict.fromkeys(parts))
    if not parts or code in COMPANY_WIDE_CODES:
        return _series(line, "all", periods)
    series = []
    for period in periods:
        values = [figures[sc, ln, period] for sc, ln in parts]
        known = [value for value, _note in values if value is not None]
        if not known:
            series.append((None, values[0][1]))
        elif code in ADDITIVE_CODES:
            series.append((_round_value(line, sum(known)), False))
        else:
            series.append((_round_value(line, sum(known) / len(known)), False))
    return series


def _value_at(line, level, side, rng):
    """The value that sits ``level`` shortfall units from the target."""
    direction = line.direction or scoring.HIGHER
    target, target_max = line.target, line.target_max
    gap_warning, gap_critical = line._shortfalls()
    if level <= 1:
        gap = level * gap_warning
    else:
        gap = gap_warning + (level - 1) * (gap_critical - gap_warning)
    if direction == scoring.HIGHER:
        value = target - gap
    elif direction == scoring.LOWER:
        value = max(target + gap, target * 0.3)
    elif gap <= 0:
        value = target + (target_max - target) * rng.uniform(0.15, 0.85)
    else:
        value = target - gap if side < 0 else target_max + gap
    return _round_value(line, value)


def _round_value(line, value):
    unit = line.indicator_id.unit
    if unit == "percent":
        return round(min(max(value, 0.0), 100.0), 1)
    if unit == "count":
        # a score (NPS) goes down to -100; counts of things stop at 0
        floor = -100.0 if line.indicator_id.code == "nps" else 0.0
        return float(round(max(value, floor)))
    if unit == "currency":
        return float(round(max(value, 0.0), -2))
    if unit == "ratio":
        return round(value, 2)
    return round(max(value, 0.0), 1)
