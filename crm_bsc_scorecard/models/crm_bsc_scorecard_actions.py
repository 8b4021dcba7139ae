# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=consider-merging-classes-inherited
# (the model is split by concern, a file per concern)
"""Scorecards, continued (``crm_bsc_scorecard.py`` holds the model, its
fields, its scores and the computation of its values, and
``crm_bsc_scorecard_runs.py`` its runs): the company checks,
the rendering of the overview, and the lifecycle actions (activate, draft,
archive, the segment scorecards of a template and their synchronisation)."""

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import scoring
from . import bsc_guards
from .crm_bsc_indicator_value import STATUSES


class CrmBscScorecard(models.Model):
    _inherit = "crm.bsc.scorecard"

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------
    @api.constrains("period_id", "company_id")
    def _check_period_company(self):
        for scorecard in self.filtered("period_id"):
            if scorecard.period_id.company_id != scorecard.company_id:
                raise ValidationError(
                    _(
                        "Scorecard %(scorecard)s: the period %(period)s belongs to "
                        "another company.",
                        scorecard=scorecard.display_name,
                        period=scorecard.period_id.name,
                    )
                )

    @api.constrains("segment_id", "company_id")
    def _check_segment_company(self):
        for scorecard in self:
            company = scorecard.segment_id.company_id
            if company and company != scorecard.company_id:
                raise ValidationError(
                    _(
                        "Scorecard %(scorecard)s: the segment %(segment)s belongs to "
                        "the company %(segment_company)s, not to %(company)s.",
                        scorecard=scorecard.display_name,
                        segment=scorecard.segment_id.display_name,
                        segment_company=company.display_name,
                        company=scorecard.company_id.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Overview
    # ------------------------------------------------------------------
    def _render_overview(self, rows, overall):
        self.ensure_one()
        by_perspective, by_objective = self._rollups(rows)
        perspectives = []
        for perspective in self.env["crm.bsc.perspective"].search([]):
            prows = [r for r in rows if r["line"].perspective_id == perspective]
            score = by_perspective.get(perspective)
            perspectives.append(
                {
                    "record": perspective,
                    "score": score,
                    "status": scoring.status_from_score(score),
                    "rows": prows,
                }
            )
        objectives = [
            {
                "record": objective,
                "score": score,
                "status": scoring.status_from_score(score),
            }
            for objective, score in by_objective.items()
        ]
        return self.env["ir.qweb"]._render(
            "crm_bsc_scorecard.scorecard_overview",
            {
                "scorecard": self,
                "overall": overall,
                "overall_status": scoring.status_from_score(overall),
                "perspectives": perspectives,
                "objectives": objectives,
                "status_labels": dict(STATUSES),
                "function_labels": dict(
                    self.env["crm.bsc.objective"]
                    ._fields["crm_function"]
                    ._description_selection(self.env)
                ),
                "format_number": self._format_number,
            },
        )

    def _format_number(self, number, unit):
        if number is None:
            return "—"
        if unit == "percent":
            return f"{number:,.1f} %"
        if unit in ("count",):
            return f"{number:,.0f}"
        if unit == "currency":
            return f"{number:,.0f} {self.company_id.currency_id.symbol or ''}".strip()
        return f"{number:,.2f}"

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _require_manager(self, action):
        bsc_guards.require_access(
            self, "write", bsc_guards.GROUP_MANAGER, action=action
        )

    def action_activate(self):
        self._require_manager(_("Activating a scorecard"))
        self.write({"state": "active"})

    def action_set_draft(self):
        self._require_manager(_("Setting a scorecard to draft"))
        self.write({"state": "draft"})

    def action_archive_scorecard(self):
        self._require_manager(_("Archiving a scorecard"))
        self.write({"state": "archived"})

    def action_generate_segment_scorecards(self):
        self.ensure_one()
        self._require_manager(_("Creating segment scorecards"))
        return {
            "type": "ir.actions.act_window",
            "name": _("Segment Scorecards"),
            "res_model": "crm.bsc.scorecard.generate",
            "view_mode": "form",
            "target": "new",
            "context": {"default_template_id": self.id},
        }

    def action_view_generated(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_bsc_scorecard.crm_bsc_scorecard_action"
        )
        action["domain"] = [("template_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_view_values(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_bsc_scorecard.crm_bsc_indicator_value_action"
        )
        action["domain"] = [
            ("indicator_id", "in", self.line_ids.indicator_id.ids),
            ("company_id", "=", self.company_id.id),
            ("segment_id", "=", self.segment_id.id),
            ("period_type", "=", self.period_type),
        ]
        return action

    def _sync_from_template(self, template, update_targets=False):
        """Make this scorecard's lines follow the template's.

        Lines of indicators the template lacks are removed, missing ones are
        added with the template's targets, and the weights and order of the
        others follow the template (their targets too with update_targets).
        """
        self.ensure_one()
        ours = {line.indicator_id: line for line in self.line_ids}
        commands = []
        target_fields = (
            "target",
            "target_max",
            "warning_threshold",
            "critical_threshold",
        )
        for tline in template.line_ids:
            vals = {"sequence": tline.sequence, "weight": tline.weight}
            if tline.indicator_id in ours:
                if update_targets:
                    vals.update({f: tline[f] for f in target_fields})
                commands.append(
                    fields.Command.update(ours.pop(tline.indicator_id).id, vals)
                )
            else:
                vals.update({f: tline[f] for f in target_fields})
                vals["indicator_id"] = tline.indicator_id.id
                commands.append(fields.Command.create(vals))
        commands += [fields.Command.delete(line.id) for line in ours.values()]
        self.write({"line_ids": commands})
