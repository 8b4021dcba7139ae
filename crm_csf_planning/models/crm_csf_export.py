# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Export to Excel from the planning screens: the CSF register (factors,
their indicators and action plans) and a maturity assessment with its radar
chart; the same sheets in the scorecards' workbook. The data is read with
the exporting user's rights and handed to the pure sheet writers
(tools/xlsx_planning.py) through the scorecard addon's workbook
(crm.bsc.workbook)."""

from odoo import _, api, models
from odoo.exceptions import AccessError
from odoo.tools import format_date

from ..tools import xlsx_planning

USER_GROUP = "crm_bsc_scorecard.group_bsc_user"
EXPORT_ROUTE = "/crm_csf_planning/export/xlsx"
# the sheets of each export
REGISTER_SHEETS = (
    xlsx_planning.write_csf_register_sheet,
    xlsx_planning.write_csf_indicators_sheet,
    xlsx_planning.write_csf_actions_sheet,
)
ASSESSMENT_SHEETS = (xlsx_planning.write_maturity_sheets,)


def _check_can_export(records):
    """Scorecard users (and managers) export what they may read."""
    if not records.env.user.has_group(USER_GROUP):
        raise AccessError(
            _(
                "Only scorecard users can export %(what)s to Excel.",
                what=records._description,
            )
        )
    records.check_access("read")


def _download(records):
    return {
        "type": "ir.actions.act_url",
        "url": f"{EXPORT_ROUTE}?model={records._name}&ids="
        + ",".join(str(record_id) for record_id in records.ids),
        "target": "download",
    }


def _selection(records, field_name):
    return dict(records._fields[field_name]._description_selection(records.env))


class CrmCsf(models.Model):
    _inherit = "crm.csf"

    def action_export_xlsx(self):
        """Download the register of these factors (the route checks the
        user's access again)."""
        _check_can_export(self)
        return _download(self)

    def _export_xlsx(self):
        """(content, file name) of the workbook of these factors, written in
        memory and read as the current user."""
        _check_can_export(self)
        Workbook = self.env["crm.bsc.workbook"]
        company = self[:1].company_id or self.env.company
        data = Workbook._workbook_frame(
            company,
            _("Critical Success Factors: %(company)s", company=company.name),
        )
        data["labels"].update(self._xlsx_planning_labels())
        data["csf_register"] = self._xlsx_register(company.currency_id)
        content = Workbook._workbook_content(data, REGISTER_SHEETS)
        name = self.name if len(self) == 1 else _("Critical Success Factors")
        return content, Workbook._workbook_filename(name)

    @api.model
    def _xlsx_planning_labels(self):
        """The planning sheets' texts in the user's language."""
        return {
            "csf_register": _("Success Factors"),
            "csf_indicators": _("Success Factor Indicators"),
            "csf_actions": _("Action Plans"),
            "maturity": _("Maturity Assessment"),
            "csf_level": _("Level"),
            "csf_name": _("Success factor"),
            "category": _("Category"),
            "serves": _("Serves"),
            "owner": _("Owner"),
            "state": _("State"),
            "health": _("Health"),
            "health_status": _("Health status"),
            "date_start": _("Start"),
            "date_target": _("Target date"),
            "budget": _("Budget"),
            "fte": _("People (FTE)"),
            "indicator_count": _("Indicators"),
            "open_actions": _("Open actions"),
            "overdue_actions": _("Overdue actions"),
            "gaps": _("Measurement gaps"),
            "indicator_type": _("Leading / lagging"),
            "granularity": _("Granularity"),
            "target_source": _("Target from"),
            "trend": _("Trend"),
            "action": _("What"),
            "who": _("Who"),
            "deadline": _("By when"),
            "overdue": _("Overdue"),
            "date_done": _("Completed on"),
            "targeted_indicators": _("Targeted indicators"),
            "targeted_segments": _("Targeted segments"),
            "action_effect": _("Did it work?"),
            "no_factor": _("No success factor to export."),
            "building_block": _("Building block"),
            "current_level": _("Current level"),
            "target_level": _("Target"),
            "level_gap": _("Gap"),
            "previous_level": _("Previous"),
            "level_change": _("Change"),
            "rating_count": _("Ratings"),
            "spread": _("Spread"),
            "assessors_disagree": _("Assessors disagree"),
            "measured_level": _("Measured level"),
            "data_disagrees": _("Data disagrees"),
            "evidence_from_data": _("Evidence from the data"),
            "closing_actions": _("Actions that close the gap"),
            "overall_maturity": _("Overall maturity"),
            "assessors": _("Assessors: %s"),
            "compared_with": _("Compared with %s"),
            "radar_title": _("Current, target and previous levels"),
            "radar_current": _("Current"),
            "radar_target": _("Target"),
            "radar_previous": _("Previous"),
            "chart_data": _("Chart"),
        }

    def _tree_order(self):
        """[(factor, depth)]: each factor under the one it serves (when that
        one is exported too), in the register's order."""
        result = []
        seen = set()

        def visit(csf, depth):
            if csf.id in seen:
                return
            seen.add(csf.id)
            result.append((csf, depth))
            for child in (csf.child_ids & self).sorted(
                lambda c: (c.level_rank, c.sequence, c.id)
            ):
                visit(child, depth + 1)

        roots = self.filtered(lambda c: c.parent_id not in self)
        for csf in roots.sorted(lambda c: (c.level_rank, c.sequence, c.id)):
            visit(csf, 0)
        return result

    def _xlsx_register(self, currency):
        """The plain data of the register sheets (see tools/xlsx_planning)."""
        Workbook = self.env["crm.bsc.workbook"]
        levels = _selection(self, "level")
        states = _selection(self, "state")
        statuses = _selection(self, "health_status")
        order = self._tree_order()
        factors = []
        for csf, depth in order:
            factors.append(
                {
                    "depth": depth,
                    "level": levels.get(csf.level, ""),
                    "name": csf.name,
                    "code": csf.code or "",
                    "category": csf.category_id.name or "",
                    "parent": csf.parent_id.display_name or "",
                    "owner": csf.owner_id.name or "",
                    "team": csf.team_id.name or "",
                    "state": states.get(csf.state, ""),
                    "health": csf.health if csf.health_status != "no_data" else None,
                    "health_status": statuses.get(csf.health_status, ""),
                    "date_start": csf.date_start or None,
                    "date_target": csf.date_target or None,
                    "budget": csf.budget,
                    "currency": Workbook._workbook_currency(csf.currency_id)
                    if csf.currency_id and csf.currency_id != currency
                    else None,
                    "fte": csf.fte,
                    "indicators": csf.indicator_count,
                    "open_actions": csf.open_action_count,
                    "overdue_actions": csf.overdue_action_count,
                    "gaps": csf.measurement_gap_note or "",
                }
            )
        return {
            "note": _(
                "Health 0-100 from the latest complete periods of their "
                "indicators: on track from 70, at risk from 40."
            )
            if factors
            else "",
            "factors": factors,
            "indicators": self._xlsx_indicators([csf for csf, _depth in order]),
            "actions": self._xlsx_actions([csf for csf, _depth in order]),
        }

    @api.model
    def _xlsx_indicators(self, factors):
        Line = self.env["crm.csf.indicator"]
        Indicator = self.env["crm.bsc.indicator"]
        types = _selection(Indicator, "indicator_type")
        granularities = _selection(Line, "period_type")
        sources = _selection(Line, "target_source")
        statuses = _selection(Line, "status")
        trends = _selection(Line, "trend")
        rows = []
        for csf in factors:
            for line in csf.indicator_line_ids:
                scored = line.status not in ("no_data", "unscored")
                rows.append(
                    {
                        "factor": csf.name,
                        "indicator": line.indicator_id.name,
                        "code": line.indicator_id.code,
                        "indicator_type": types.get(
                            line.indicator_id.indicator_type, ""
                        ),
                        "segment": line.segment_id.name or _("All customers"),
                        "granularity": granularities.get(line.period_type, ""),
                        "weight": line.weight,
                        "period": line.value_period_id.name or "",
                        "value": line.value if line.has_value else None,
                        "unit": line.unit or "count",
                        "target": line.target if line.target_source != "none" else None,
                        "target_source": sources.get(line.target_source, ""),
                        "score": line.score if scored else None,
                        "status": statuses.get(line.status, ""),
                        "trend": trends.get(line.trend, "") if line.trend else "",
                    }
                )
        return rows

    @api.model
    def _xlsx_actions(self, factors):
        Action = self.env["crm.csf.action"]
        states = _selection(Action, "state")
        verdicts = _selection(Action, "effect_verdict")
        rows = []
        for csf in factors:
            for action in csf.action_ids:
                rows.append(
                    {
                        "factor": csf.name,
                        "name": action.name,
                        "user": action.user_id.name or "",
                        "deadline": action.date_deadline or None,
                        "state": states.get(action.state, ""),
                        "overdue": action.is_overdue,
                        "date_done": action.date_done or None,
                        "indicators": ", ".join(
                            action.indicator_ids.mapped("display_name")
                        ),
                        "segments": ", ".join(action.segment_ids.mapped("name")),
                        "effect": verdicts.get(action.effect_verdict, "")
                        if action.state == "done"
                        else "",
                    }
                )
        return rows


class CrmMaturityAssessment(models.Model):
    _inherit = "crm.maturity.assessment"

    def action_export_xlsx(self):
        """Download the workbook of these assessments (the route checks the
        user's access again)."""
        _check_can_export(self)
        return _download(self)

    def _export_xlsx(self):
        """(content, file name) of the workbook of these assessments (a
        sheet and a radar chart each), read as the current user."""
        _check_can_export(self)
        Workbook = self.env["crm.bsc.workbook"]
        company = self[:1].company_id or self.env.company
        data = Workbook._workbook_frame(
            company,
            _("CRM Maturity Assessments: %(company)s", company=company.name),
        )
        data["labels"].update(self.env["crm.csf"]._xlsx_planning_labels())
        data["assessments"] = self._xlsx_assessments()
        content = Workbook._workbook_content(data, ASSESSMENT_SHEETS)
        name = self.name if len(self) == 1 else _("CRM Maturity Assessments")
        return content, Workbook._workbook_filename(name)

    def _xlsx_assessments(self):
        """The plain data of the maturity sheets (see tools/xlsx_planning)."""
        states = _selection(self, "state")
        signal_codes = _selection(self.env["crm.maturity.signal"], "code")
        result = []
        for assessment in self:
            assessors = assessment.assessor_ids.sorted(lambda u: (u.name or "", u.id))
            previous = {
                line.block_id.id: line.mean_rating if line.rating_count else None
                for line in assessment.previous_id.line_ids
            }
            blocks = []
            for line in assessment.line_ids.sorted(lambda ln: (ln.sequence, ln.id)):
                by_assessor = {r.assessor_id.id: r.level for r in line.rating_ids}
                measured = line.signal_ids.filtered(lambda s: s.measured and s.level)
                evidence = []
                for signal in line.signal_ids:
                    label = signal_codes.get(signal.code, signal.code)
                    if signal.level:
                        text = _(
                            "%(signal)s: %(value)s (level %(level)s)",
                            signal=label,
                            value=signal.display_value or "",
                            level=signal.level,
                        )
                    else:
                        # nothing measured: no level
                        text = f"{label}: {signal.display_value or ''}"
                    evidence.append(text)
                blocks.append(
                    {
                        "name": line.block_id.name,
                        "code": line.block_code or "",
                        "ratings": [
                            by_assessor.get(user.id) or None for user in assessors
                        ],
                        "mean": line.mean_rating if line.rating_count else None,
                        "target": line.target_level or None,
                        "previous": previous.get(line.block_id.id),
                        "signal_level": line.signal_level if measured else None,
                        "signal_flag": line.signal_flag,
                        "evidence": "\n".join(evidence),
                        "actions": ", ".join(line.action_ids.mapped("name")),
                    }
                )
            result.append(
                {
                    "key": assessment.id,
                    "name": assessment.name,
                    "date": format_date(self.env, assessment.date),
                    "company": assessment.company_id.name,
                    "state": states.get(assessment.state, ""),
                    "assessors": assessors.mapped("name"),
                    "previous": (
                        f"{assessment.previous_id.name} "
                        f"({format_date(self.env, assessment.previous_id.date)})"
                    )
                    if assessment.previous_id
                    else "",
                    "blocks": blocks,
                }
            )
        return result


class CrmBscScorecard(models.Model):
    """The planning sheets in the scorecards' workbook: the register of
    their companies' factors (not dropped) and each company's latest
    assessment that has started."""

    _inherit = "crm.bsc.scorecard"

    def _xlsx_sheet_writers(self):
        return super()._xlsx_sheet_writers() + list(xlsx_planning.PLANNING_SHEETS)

    def _xlsx_labels(self):
        labels = super()._xlsx_labels()
        labels.update(self.env["crm.csf"]._xlsx_planning_labels())
        return labels

    def _xlsx_data(self):
        data = super()._xlsx_data()
        companies = self.company_id or self.env.company
        Csf = self.env["crm.csf"]
        Assessment = self.env["crm.maturity.assessment"]
        if Csf.has_access("read"):
            factors = Csf.search(
                [("company_id", "in", companies.ids), ("state", "!=", "dropped")]
            )
            if factors:
                data["csf_register"] = factors._xlsx_register(
                    (self[:1].company_id or self.env.company).currency_id
                )
        if Assessment.has_access("read"):
            latest = Assessment.browse()
            for company in companies:
                latest |= Assessment.search(
                    [("company_id", "=", company.id), ("state", "!=", "draft")],
                    order="date desc, id desc",
                    limit=1,
                )
            data["assessments"] = latest._xlsx_assessments()
        return data
