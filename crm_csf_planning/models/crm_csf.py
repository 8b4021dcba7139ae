# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

LEVELS = [
    ("enterprise", "Enterprise"),
    ("department", "Department"),
    ("workgroup", "Workgroup"),
]
LEVEL_RANK = {code: rank for rank, (code, _label) in enumerate(LEVELS)}


class CrmCsf(models.Model):
    _name = "crm.csf"
    _description = "Critical Success Factor"
    _inherit = ["mail.thread"]
    _order = "level_rank, sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char()
    level = fields.Selection(
        LEVELS,
        required=True,
        default="enterprise",
        tracking=True,
        help="Enterprise factors are strategic; departments and workgroups "
        "set their own lower-level factors that support them.",
    )
    level_rank = fields.Integer(compute="_compute_level_rank", store=True)
    sequence = fields.Integer(default=10)
    description = fields.Html(translate=True)
    parent_id = fields.Many2one(
        "crm.csf",
        string="Supports",
        index=True,
        ondelete="restrict",
        help="The higher-level success factor this one contributes to.",
    )
    child_ids = fields.One2many("crm.csf", "parent_id", string="Supported By")
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        help="The department or workgroup that owns a lower-level factor.",
    )
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, index=True
    )
    active = fields.Boolean(default=True)

    @api.depends("level")
    def _compute_level_rank(self):
        for csf in self:
            csf.level_rank = LEVEL_RANK.get(csf.level, 0)

    @api.constrains("parent_id", "level")
    def _check_parent_level(self):
        if self._has_cycle():
            raise ValidationError(
                _("A success factor cannot support itself, directly or not.")
            )
        for csf in self.filtered("parent_id"):
            if LEVEL_RANK[csf.parent_id.level] > LEVEL_RANK[csf.level]:
                raise ValidationError(
                    _(
                        "The success factor %(name)s (level %(level)s) cannot "
                        "support %(parent)s, which is at the lower level "
                        "%(parent_level)s.",
                        name=csf.display_name,
                        level=csf.level,
                        parent=csf.parent_id.display_name,
                        parent_level=csf.parent_id.level,
                    )
                )
