# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=consider-merging-classes-inherited
# (the model is split by concern, a file per concern)
"""Export to Excel: the workbook's data read with the exporting user's
rights, handed to the pure builder (tools/xlsx_workbook.py)."""

import io
import re

from odoo import _, fields, models
from odoo.tools.misc import xlsxwriter

from ..tools import scoring, xlsx_workbook

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CrmBscScorecard(models.Model):
    _inherit = "crm.bsc.scorecard"

    # ------------------------------------------------------------------
    # Export to Excel
    # ------------------------------------------------------------------
    def action_export_xlsx(self):
        """Download the workbook of these scorecards (the route checks the
        user's access again)."""
        self._check_can_read()
        return {
            "type": "ir.actions.act_url",
            "url": "/crm_bsc_scorecard/export/xlsx?ids="
            + ",".join(str(scorecard_id) for scorecard_id in self.ids),
            "target": "download",
        }

    # ------------------------------------------------------------------
    # The workbook
    # ------------------------------------------------------------------
    def _export_xlsx(self):
        """(content, file name) of the workbook of these scorecards, written
        in memory. Everything is read as the current user: a workbook holds
        only what they can read."""
        self._check_can_read()
        stream = io.BytesIO()
        workbook = xlsxwriter.Workbook(stream, {"in_memory": True})
        xlsx_workbook.build(workbook, self._xlsx_data(), self._xlsx_sheet_writers())
        workbook.close()
        return stream.getvalue(), self._xlsx_filename()

    def _xlsx_filename(self):
        base = self.name if len(self) == 1 else _("Scorecards")
        base = (
            re.sub(r"[\\/:*?\"<>|\x00-\x1f]+", " ", base or "").strip() or "scorecards"
        )
        period = self[:1].shown_period_id.name if self else ""
        return f"{base} {period}.xlsx".replace("  ", " ").replace(" .xlsx", ".xlsx")

    def _xlsx_sheet_writers(self):
        """The sheet functions of the workbook, in order. Another addon
        appends its own: ``super()._xlsx_sheet_writers() + [write_x]``, its
        data added under its own key by ``_xlsx_data``."""
        return list(xlsx_workbook.SHEETS)

    def _xlsx_labels(self):
        """The workbook's texts in the user's language."""
        status = dict(self._fields["score_status"]._description_selection(self.env))
        units = dict(
            self.env["crm.bsc.indicator"]
            ._fields["unit"]
            ._description_selection(self.env)
        )
        directions = dict(
            self.env["crm.bsc.indicator"]
            ._fields["direction"]
            ._description_selection(self.env)
        )
        labels = {
            "summary": _("Summary"),
            "coverage": _("Channel Coverage"),
            "strategy_map": _("Strategy Map"),
            "history": _("Value History"),
            "scorecard": _("Scorecard"),
            "segment": _("Segment"),
            "period": _("Period"),
            "overall": _("Overall score"),
            "status": _("Status"),
            "warning_count": status["warning"],
            "critical_count": status["critical"],
            "trend": _("Trend"),
            "item": _("Perspective / objective / indicator"),
            "code": _("Code"),
            "unit": _("Unit"),
            "direction": _("Direction"),
            "weight": _("Weight"),
            "actual": _("Actual"),
            "target": _("Target"),
            "target_max": _("Target (upper bound)"),
            "warning": _("Warning threshold"),
            "critical": _("Critical threshold"),
            "score": _("Score"),
            "note": _("Note"),
            "calculation": _("Calculation"),
            "no_objective": _("(no objective)"),
            "on_track": status["on_track"],
            "warning_status": status["warning"],
            "critical_status": status["critical"],
            "no_data": status["no_data"],
            "indicator": _("Indicator"),
            "channels_watched": _("Channels watched"),
            "indicators_watching": _("Indicators watching"),
            "cause": _("Cause"),
            "cause_perspective": _("Cause perspective"),
            "effect": _("Effect"),
            "effect_perspective": _("Effect perspective"),
            "evidence": _("Evidence"),
            "rho": _("Rank correlation"),
            "lag": _("Best lag (periods)"),
            "periods": _("Periods"),
            "rho_at_lag": _("ρ at lag %s"),
            "what_was_measured": _("What was measured"),
            "start": _("Start"),
            "channel": _("Channel"),
            "salesperson": _("Salesperson"),
            "team": _("Sales team"),
            "value": _("Value"),
            "all": _("All"),
            "days_suffix": _("d"),
            "hours_suffix": _("h"),
            "to_date_of": _("to date, of %s"),
            "no_scorecard": _("No scorecard to export."),
            "generated": _("Exported on %s"),
        }
        labels.update({f"unit_{key}": label for key, label in units.items()})
        labels.update({f"dir_{key}": label for key, label in directions.items()})
        return labels

    def _xlsx_verdict_labels(self):
        return {
            "supported": _("Supported"),
            "weak": _("Weak"),
            "contradicted": _("Contradicted"),
            "insufficient": _("Too little history"),
        }

    def _xlsx_data(self):
        """The plain data of the workbook (see xlsx_workbook.build)."""
        lang = self.env["res.lang"]._lang_get(self.env.lang or "en_US")
        company = self[:1].company_id or self.env.company
        currency = company.currency_id
        data = {
            "title": _("Balanced Scorecards: %(company)s", company=company.name),
            "generated": fields.Datetime.to_string(
                fields.Datetime.context_timestamp(self, fields.Datetime.now())
            )[:16],
            "rtl": bool(lang) and lang.direction == "rtl",
            "labels": self._xlsx_labels(),
            "currency": {
                "symbol": currency.symbol,
                "position": currency.position,
                "digits": currency.decimal_places,
            },
            "scorecards": [],
            "links": [],
        }
        verdicts = self._xlsx_verdict_labels()
        for scorecard, rows in self._score_rows().items():
            periods = scorecard._history_periods()
            history = scorecard._history(periods) if periods else None
            data["scorecards"].append(scorecard._xlsx_scorecard(rows, periods, history))
            evidence_periods = scorecard._history_periods(count=24)
            if not evidence_periods:
                continue
            for cause, effect, evidence in scorecard._link_evidence(
                scorecard._history(evidence_periods), evidence_periods
            ):
                data["links"].append(
                    {
                        "scorecard": scorecard.name,
                        "cause": cause.name,
                        "cause_perspective": cause.perspective_id.name,
                        "effect": effect.name,
                        "effect_perspective": effect.perspective_id.name,
                        "verdict": evidence.verdict,
                        "verdict_label": verdicts[evidence.verdict],
                        "rho": evidence.rho,
                        "lag": evidence.lag,
                        "periods": evidence.periods,
                        "by_lag": evidence.by_lag,
                        "sentence": self._evidence_sentence(cause, effect, evidence),
                    }
                )
        data["coverage"] = self._xlsx_coverage()
        data["history"] = self._xlsx_history()
        return data

    def _xlsx_scorecard(self, rows, periods, history):
        self.ensure_one()
        lines_data = {}
        for row in rows:
            line = row["line"]
            figures = row["figures"] or {}
            pro_rated = figures.get("pro_rated")
            series = history["lines"].get(line.id, []) if history else []
            lines_data[line.id] = {
                "code": line.indicator_id.code,
                "name": line.indicator_id.name,
                "unit": line.unit or "count",
                "direction": line.direction or scoring.HIGHER,
                "weight": line.weight,
                "actual": figures.get("current_value")
                if figures.get("has_value")
                else None,
                "target": figures.get("shown_target", line.target)
                if pro_rated
                else line.target,
                "target_max": figures.get("shown_target_max", line.target_max)
                if pro_rated
                else line.target_max,
                "warning": figures.get("shown_warning", line.warning_threshold)
                if pro_rated
                else line.warning_threshold,
                "critical": figures.get("shown_critical", line.critical_threshold)
                if pro_rated
                else line.critical_threshold,
                "pro_rated_of": line.target if pro_rated else None,
                "history": [entry[0] for entry in series],
            }
        perspectives = []
        for perspective in self.line_ids.perspective_id.sorted(
            lambda p: (p.sequence, p.id)
        ):
            plines = self.line_ids.filtered(
                lambda ln, p=perspective: ln.perspective_id == p
            )
            objectives = []
            for objective in plines.objective_id.sorted(lambda o: (o.sequence, o.id)):
                objectives.append(
                    {
                        "name": objective.name,
                        "lines": [
                            lines_data[ln.id]
                            for ln in plines
                            if ln.objective_id == objective
                        ],
                    }
                )
            perspectives.append(
                {
                    "name": perspective.name,
                    "objectives": objectives,
                    "loose": [
                        lines_data[ln.id] for ln in plines if not ln.objective_id
                    ],
                }
            )
        return {
            "key": self.id,
            "name": self.name,
            "segment": self.segment_id.name or _("All customers"),
            "period": self.shown_period_id.name or "",
            "company": self.company_id.name,
            "note": self.pro_rata_note or "",
            "periods": [p.name for p in periods],
            "overall_history": history["overall"] if history else [],
            "perspectives": perspectives,
        }

    def _xlsx_coverage(self):
        indicators = self.line_ids.indicator_id.sorted(
            lambda i: (i.perspective_id.sequence, i.sequence, i.code)
        )
        channels = self.env["crm.contact.channel"].search(
            [("company_id", "in", self.company_id.ids + [False])]
        )
        return {
            "channels": channels.mapped("name"),
            "rows": [
                {
                    "indicator": indicator.name,
                    "code": indicator.code,
                    "cells": [channel in indicator.channel_ids for channel in channels],
                }
                for indicator in indicators
            ],
        }

    def _xlsx_history(self):
        """Every stored value of these scorecards' indicators, granularities,
        companies and segments that the user can read."""
        Value = self.env["crm.bsc.indicator.value"]
        status = dict(Value._fields["status"]._description_selection(self.env))
        rows = []
        for scorecard in self:
            values = Value.search(
                [
                    ("indicator_id", "in", scorecard.line_ids.indicator_id.ids),
                    ("company_id", "=", scorecard.company_id.id),
                    ("segment_id", "=", scorecard.segment_id.id),
                    ("period_id.period_type", "=", scorecard.period_type),
                ],
                order="date_from, indicator_id, channel_id, user_id, team_id, id",
            )
            for value in values:
                rows.append(
                    {
                        "period": value.period_id.name,
                        "start": value.period_id.date_from,
                        "scorecard": scorecard.name,
                        "segment": value.segment_id.name,
                        "channel": value.channel_id.name,
                        "salesperson": value.user_id.name,
                        "team": value.team_id.name,
                        "indicator": value.indicator_id.name,
                        "code": value.indicator_id.code,
                        "unit": value.indicator_id.unit,
                        "value": value.value if value.has_value else None,
                        "target": value.target,
                        "score": value.score if value.has_value else None,
                        "status_label": status.get(value.status, ""),
                    }
                )
        return rows
