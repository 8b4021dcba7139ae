# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import maturity as maturity_tools
from ..tools import signals as signal_tools
from .crm_maturity_assessment import _check_not_done

MOVES = [
    (maturity_tools.UP, "Up"),
    (maturity_tools.DOWN, "Down"),
    (maturity_tools.SAME, "Unchanged"),
    (maturity_tools.NEW, "Not rated before"),
    (maturity_tools.UNRATED, "Not rated yet"),
]


class CrmMaturityAssessmentLine(models.Model):
    _name = "crm.maturity.assessment.line"
    _description = "Building Block in a Maturity Assessment"
    _order = "assessment_id, sequence, id"
    _rec_name = "block_id"
    _check_company_auto = True

    assessment_id = fields.Many2one(
        "crm.maturity.assessment", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="assessment_id.company_id", store=True, index=True
    )
    state = fields.Selection(related="assessment_id.state")
    date = fields.Date(related="assessment_id.date", store=True)
    block_id = fields.Many2one(
        "crm.building.block",
        string="Building Block",
        required=True,
        ondelete="restrict",
        check_company=True,
    )
    block_code = fields.Char(related="block_id.code")
    sequence = fields.Integer(related="block_id.sequence", store=True)
    target_level = fields.Integer(
        string="Target", default=3, help="The level 1-5 the company wants to reach."
    )
    rating_ids = fields.One2many("crm.maturity.rating", "line_id", string="Ratings")
    mean_rating = fields.Float(
        compute="_compute_ratings",
        store=True,
        digits=(16, 2),
        aggregator="avg",
    )
    spread = fields.Integer(
        compute="_compute_ratings",
        store=True,
        help="The highest rating less the lowest: how far the assessors are apart.",
    )
    rating_count = fields.Integer(
        compute="_compute_ratings", store=True, string="Rated"
    )
    wide_spread = fields.Boolean(
        compute="_compute_ratings",
        store=True,
        string="Assessors Disagree",
        help="The ratings are two levels or more apart: discuss before completing.",
    )
    gap = fields.Float(
        compute="_compute_ratings",
        store=True,
        digits=(16, 2),
        help="Levels left between the mean rating and the target.",
    )
    evidence = fields.Html(help="What the assessors saw.")
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "crm_maturity_line_attachment_rel",
        "line_id",
        "attachment_id",
        string="Evidence Files",
    )
    action_ids = fields.Many2many(
        "crm.csf.action",
        "crm_maturity_line_action_rel",
        "line_id",
        "action_id",
        string="Actions That Close the Gap",
        check_company=True,
    )
    signal_ids = fields.One2many(
        "crm.maturity.signal", "line_id", string="Evidence From the Data"
    )
    signal_level = fields.Float(
        compute="_compute_signal_flag",
        store=True,
        digits=(16, 1),
        string="Measured Level",
        help="The mean level of the signals measured from the data.",
    )
    signal_flag = fields.Boolean(
        compute="_compute_signal_flag",
        store=True,
        string="Data Disagrees",
        help="A signal measured from the data is two levels or more away from "
        "the mean rating.",
    )
    previous_mean = fields.Float(
        compute="_compute_previous", digits=(16, 2), string="Previous Rating"
    )
    change = fields.Float(compute="_compute_previous", digits=(16, 2))
    moved = fields.Selection(MOVES, compute="_compute_previous")
    rubric_target = fields.Text(compute="_compute_rubrics", string="Target Looks Like")
    rubric_current = fields.Text(
        compute="_compute_rubrics", string="Current Level Looks Like"
    )

    _sql_constraints = [
        (
            "block_unique",
            "unique(assessment_id, block_id)",
            "A building block appears once per assessment.",
        ),
    ]

    @api.depends("rating_ids.level", "target_level")
    def _compute_ratings(self):
        for line in self:
            summary = maturity_tools.summarise(line.rating_ids.mapped("level"))
            line.mean_rating = summary.mean or 0.0
            line.spread = summary.spread or 0
            line.rating_count = summary.count
            line.wide_spread = maturity_tools.wide_spread(summary.spread)
            line.gap = maturity_tools.gap(line.target_level, summary.mean) or 0.0

    @api.depends("signal_ids.level", "mean_rating", "rating_count")
    def _compute_signal_flag(self):
        for line in self:
            levels = [s.level for s in line.signal_ids if s.level]
            line.signal_level = sum(levels) / len(levels) if levels else 0.0
            mean = line.mean_rating if line.rating_count else None
            line.signal_flag = any(
                signal_tools.disagrees(level, mean) for level in levels
            )

    @api.depends("assessment_id.previous_id", "mean_rating", "rating_count")
    def _compute_previous(self):
        for line in self:
            previous = line.assessment_id.previous_id.line_ids.filtered(
                lambda p, line=line: p.block_id == line.block_id
            )[:1]
            move = maturity_tools.compare(
                {line.block_id.id: line.mean_rating if line.rating_count else None},
                {
                    line.block_id.id: previous.mean_rating
                    if previous.rating_count
                    else None
                },
            )[0]
            line.previous_mean = move.previous or 0.0
            line.change = move.change or 0.0
            line.moved = move.moved if previous else False

    @api.depends("target_level", "mean_rating", "block_id")
    def _compute_rubrics(self):
        for line in self:
            line.rubric_target = line.block_id._rubric(line.target_level) or False
            current = round(line.mean_rating) if line.rating_count else 0
            line.rubric_current = (
                line.block_id._rubric(int(current)) if current else False
            )

    @api.constrains("target_level")
    def _check_target_level(self):
        for line in self:
            if not maturity_tools.valid_level(line.target_level):
                raise ValidationError(
                    _(
                        "Maturity assessment %(assessment)s, building block "
                        "%(block)s: the target %(value)s (field Target) is not a "
                        "level from 1 to 5.",
                        assessment=line.assessment_id.display_name,
                        block=line.block_id.display_name,
                        value=line.target_level,
                    )
                )
            if line.rating_count and line.target_level < line.mean_rating - 1e-9:
                raise ValidationError(
                    _(
                        "Maturity assessment %(assessment)s, building block "
                        "%(block)s: the target %(value)s (field Target) is below "
                        "the current level %(current)s.",
                        assessment=line.assessment_id.display_name,
                        block=line.block_id.display_name,
                        value=line.target_level,
                        current=round(line.mean_rating, 2),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        assessments = self.env["crm.maturity.assessment"].browse(
            [vals.get("assessment_id") for vals in vals_list]
        )
        _check_not_done(self, assessments, vals_list[0] if vals_list else None)
        return super().create(vals_list)

    def write(self, vals):
        _check_not_done(self, self.assessment_id, vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        _check_not_done(self, self.assessment_id, {"id": self.ids})

    def _store_signals(self, measured):
        """Replace the lines' signals with ``measured`` ({code: measurement})."""
        Signal = self.env["crm.maturity.signal"]
        # sudo: the signals are measured by the server for a manager (the
        # assessment's workflow checked the caller)
        self.sudo().signal_ids.unlink()
        vals_list = []
        for line in self:
            for code in signal_tools.signals_of_block(line.block_id.code):
                found = measured.get(code)
                if not found:
                    continue
                vals_list.append(
                    {
                        "line_id": line.id,
                        "code": code,
                        "value": found["value"] if found["value"] is not None else 0.0,
                        "measured": found["value"] is not None,
                        "level": signal_tools.level_of(code, found["value"]) or 0,
                        "detail": found["detail"],
                    }
                )
        Signal.sudo().create(vals_list)

    def action_open_line(self):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.block_id.display_name,
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }
