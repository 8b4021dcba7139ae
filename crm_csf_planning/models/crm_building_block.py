# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models

from ..tools import signals as signal_tools


class CrmBuildingBlock(models.Model):
    _name = "crm.building.block"
    _description = "Building Block of CRM"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        help="Identifies a seeded block; the evidence measured from the data "
        "follows it."
    )
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    rubric_1 = fields.Text(string="Level 1", translate=True)
    rubric_2 = fields.Text(string="Level 2", translate=True)
    rubric_3 = fields.Text(string="Level 3", translate=True)
    rubric_4 = fields.Text(string="Level 4", translate=True)
    rubric_5 = fields.Text(string="Level 5", translate=True)
    color = fields.Integer(string="Colour")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to share the block between companies.",
    )
    csf_ids = fields.Many2many(
        "crm.csf",
        "crm_csf_building_block_rel",
        "block_id",
        "csf_id",
        string="Success Factors",
    )
    signal_note = fields.Text(
        compute="_compute_signal_note",
        string="Evidence From the Data",
        help="What the database measures for this block in an assessment.",
    )

    _sql_constraints = [
        (
            "code_unique",
            "unique(code, company_id)",
            "The code of a building block is unique per company.",
        ),
    ]

    @api.depends("code")
    def _compute_signal_note(self):
        for block in self:
            codes = signal_tools.signals_of_block(block.code)
            if not codes:
                block.signal_note = _(
                    "Nothing measured: the assessors' ratings and evidence only."
                )
                continue
            # the names and explanations are extracted from tools/signals.py
            block.signal_note = "\n".join(
                "%s: %s"  # noqa: UP031
                % (
                    _(signal_tools.SIGNALS[code][3]),  # pylint: disable=translation-required
                    _(signal_tools.SIGNALS[code][4]),  # pylint: disable=translation-required
                )
                for code in codes
            )

    def _rubric(self, level):
        self.ensure_one()
        return self[f"rubric_{level}"] if 1 <= level <= 5 else False
