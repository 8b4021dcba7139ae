# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmBscPerspective(models.Model):
    _name = "crm.bsc.perspective"
    _description = "Balanced Scorecard Perspective"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Short technical code of the perspective, unique.",
    )
    kind = fields.Selection(
        [
            ("financial", "Financial"),
            ("customer", "Customer"),
            ("internal", "Internal Process"),
            ("learning", "Learning and Growth"),
            ("other", "Other"),
        ],
        required=True,
        default="other",
        help="The classic perspective this one stands for. Objectives of an "
        "internal-process perspective carry a CRM function (marketing, sales "
        "or service).",
    )
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of a perspective must be unique."),
    ]
