# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..tools import maturity as maturity_tools
from .crm_maturity_assessment import MANAGER_GROUP, _check_not_done


class CrmMaturityRating(models.Model):
    _name = "crm.maturity.rating"
    _description = "Assessor's Rating of a Building Block"
    _order = "assessment_id, block_sequence, assessor_id, id"
    _rec_name = "block_id"

    line_id = fields.Many2one(
        "crm.maturity.assessment.line", required=True, index=True, ondelete="cascade"
    )
    assessment_id = fields.Many2one(
        related="line_id.assessment_id", store=True, index=True
    )
    company_id = fields.Many2one(related="line_id.company_id", store=True, index=True)
    state = fields.Selection(related="assessment_id.state")
    block_id = fields.Many2one(
        related="line_id.block_id", store=True, string="Building Block"
    )
    block_sequence = fields.Integer(related="line_id.sequence", store=True)
    assessor_id = fields.Many2one(
        "res.users", required=True, index=True, ondelete="cascade"
    )
    level = fields.Integer(
        help="1 to 5, against the block's rubric; 0 while not rated."
    )
    comment = fields.Text()
    rubric = fields.Text(compute="_compute_rubric", string="This Level Looks Like")

    _sql_constraints = [
        (
            "assessor_unique",
            "unique(line_id, assessor_id)",
            "An assessor rates a building block once per assessment.",
        ),
    ]

    @api.depends("level", "block_id")
    def _compute_rubric(self):
        for rating in self:
            rating.rubric = (
                rating.block_id._rubric(rating.level) if rating.level else False
            )

    @api.constrains("level")
    def _check_level(self):
        for rating in self:
            if rating.level and not maturity_tools.valid_level(rating.level):
                raise ValidationError(
                    _(
                        "Maturity assessment %(assessment)s, building block "
                        "%(block)s, assessor %(assessor)s: the rating %(value)s "
                        "(field Level) is not a level from 1 to 5.",
                        assessment=rating.assessment_id.display_name,
                        block=rating.block_id.display_name,
                        assessor=rating.assessor_id.name,
                        value=rating.level,
                    )
                )
            if rating.level < 0:
                raise ValidationError(
                    _(
                        "Maturity assessment %(assessment)s, building block "
                        "%(block)s, assessor %(assessor)s: the rating %(value)s "
                        "(field Level) is not a level from 1 to 5.",
                        assessment=rating.assessment_id.display_name,
                        block=rating.block_id.display_name,
                        assessor=rating.assessor_id.name,
                        value=rating.level,
                    )
                )

    def _check_assessor(self):
        """An assessor rates only their own lines; a manager any."""
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):
            return
        others = self.filtered(lambda r: r.assessor_id != self.env.user)
        if others:
            raise AccessError(
                _(
                    "The rating of %(block)s in %(assessment)s belongs to "
                    "%(assessor)s: only they or a scorecard manager can change it.",
                    block=others[0].block_id.display_name,
                    assessment=others[0].assessment_id.display_name,
                    assessor=others[0].assessor_id.name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        lines = self.env["crm.maturity.assessment.line"].browse(
            [vals.get("line_id") for vals in vals_list]
        )
        _check_not_done(self, lines.assessment_id, vals_list[0] if vals_list else None)
        return super().create(vals_list)

    def write(self, vals):
        _check_not_done(self, self.assessment_id, vals)
        self._check_assessor()
        if {"line_id", "assessor_id"} & set(vals) and not (
            self.env.su or self.env.user.has_group(MANAGER_GROUP)
        ):
            raise AccessError(
                _("Only a scorecard manager can move a rating to another assessor.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        _check_not_done(self, self.assessment_id, {"id": self.ids})
