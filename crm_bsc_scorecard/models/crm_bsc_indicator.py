# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import keyword
import re

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

CODE_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Names a formula gives a meaning of its own: an indicator cannot take them.
RESERVED_CODES = {"min", "max", "abs", "round", "if", "else", "and", "or", "not"}

UNITS = [
    ("count", "Count"),
    ("currency", "Currency"),
    ("percent", "Percent"),
    ("days", "Days"),
    ("hours", "Hours"),
    ("ratio", "Ratio"),
]
DIRECTIONS = [
    ("higher", "Higher is better"),
    ("lower", "Lower is better"),
    ("range", "Within a range"),
]
METRIC_LEVELS = [
    ("customer", "Customer"),
    ("operational", "Operational success"),
    ("process", "Process"),
    ("infrastructure", "Infrastructure"),
]


class CrmBscIndicator(models.Model):
    _name = "crm.bsc.indicator"
    _description = "Scorecard Indicator"
    _inherit = ["mail.thread"]
    _order = "perspective_sequence, sequence, code, id"
    _rec_names_search = ["name", "code"]

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(
        required=True,
        tracking=True,
        help="Unique identifier of the indicator, used in formulas: letters, "
        "digits and underscores, not starting with a digit.",
    )
    description = fields.Text(translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    perspective_id = fields.Many2one(
        "crm.bsc.perspective",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        compute="_compute_perspective_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    perspective_sequence = fields.Integer(
        related="perspective_id.sequence", store=True, string="Perspective Order"
    )
    objective_id = fields.Many2one(
        "crm.bsc.objective",
        index=True,
        ondelete="set null",
        tracking=True,
        domain="[('perspective_id', '=?', perspective_id)]",
    )
    crm_function = fields.Selection(
        related="objective_id.crm_function", store=True, string="CRM Function"
    )
    indicator_type = fields.Selection(
        [("leading", "Leading"), ("lagging", "Lagging")],
        string="Type",
        required=True,
        default="lagging",
        tracking=True,
        help="Leading indicators measure the drivers of results; lagging "
        "indicators measure the results.",
    )
    unit = fields.Selection(UNITS, required=True, default="count", tracking=True)
    direction = fields.Selection(
        DIRECTIONS, required=True, default="higher", tracking=True
    )
    metric_level = fields.Selection(
        METRIC_LEVELS,
        required=True,
        default="operational",
        tracking=True,
        help="The level of CRM metrics this indicator belongs to: customer, "
        "operational success, process or infrastructure.",
    )
    channel_ids = fields.Many2many(
        "crm.contact.channel",
        "crm_bsc_indicator_channel_rel",
        "indicator_id",
        "channel_id",
        string="Watched Channels",
        help="The contact channels this indicator watches: its values are also "
        "kept per channel.",
    )
    owner_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to share the indicator between companies.",
    )
    computation = fields.Selection(
        [("manual", "Manual")],
        string="Value From",
        required=True,
        default="manual",
        tracking=True,
        help="Manual: values are entered per period.",
    )
    value_ids = fields.One2many("crm.bsc.indicator.value", "indicator_id")
    value_count = fields.Integer(compute="_compute_value_count", string="Values")
    line_ids = fields.One2many("crm.bsc.scorecard.line", "indicator_id")

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of an indicator must be unique."),
    ]

    @api.depends("objective_id")
    def _compute_perspective_id(self):
        for indicator in self:
            if indicator.objective_id:
                indicator.perspective_id = indicator.objective_id.perspective_id
            else:
                indicator.perspective_id = indicator.perspective_id

    def _compute_value_count(self):
        counts = dict(
            self.env["crm.bsc.indicator.value"]._read_group(
                [("indicator_id", "in", self.ids)], ["indicator_id"], ["__count"]
            )
        )
        for indicator in self:
            indicator.value_count = counts.get(indicator, 0)

    @api.model
    def _check_code_value(self, code, record=None):
        """Refuse a code that is no identifier or that is taken already."""
        name = record.display_name if record else code
        if not code or not CODE_PATTERN.match(code) or keyword.iskeyword(code):
            raise ValidationError(
                _(
                    "Indicator %(name)s: the code %(code)r is not an identifier "
                    "(letters, digits and underscores, not starting with a digit).",
                    name=name,
                    code=code,
                )
            )
        if code in RESERVED_CODES:
            raise ValidationError(
                _(
                    "Indicator %(name)s: the code %(code)r is reserved for formulas.",
                    name=name,
                    code=code,
                )
            )
        domain = [("code", "=", code)]
        if record:
            domain.append(("id", "!=", record.id))
        other = self.with_context(active_test=False).sudo().search(domain, limit=1)
        if other:
            raise ValidationError(
                _(
                    "Indicator %(name)s: the code %(code)r is already used by "
                    "the indicator %(other)s.",
                    name=name,
                    code=code,
                    other=other.display_name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        codes = [vals.get("code") for vals in vals_list]
        for vals in vals_list:
            self._check_code_value(vals.get("code"))
            if codes.count(vals.get("code")) > 1:
                raise ValidationError(
                    _(
                        "The code %(code)r is given to two new indicators.",
                        code=vals["code"],
                    )
                )
        return super().create(vals_list)

    def write(self, vals):
        if "code" in vals:
            for indicator in self:
                self._check_code_value(vals["code"], indicator)
            if len(self) > 1:
                raise ValidationError(
                    _(
                        "Two indicators cannot take the same code %(code)r.",
                        code=vals["code"],
                    )
                )
        return super().write(vals)

    @api.constrains("objective_id", "perspective_id")
    def _check_objective_perspective(self):
        for indicator in self.filtered("objective_id"):
            if indicator.objective_id.perspective_id != indicator.perspective_id:
                raise ValidationError(
                    _(
                        "Indicator %(indicator)s: its objective %(objective)s belongs "
                        "to the perspective %(objective_perspective)s, not to "
                        "%(perspective)s.",
                        indicator=indicator.display_name,
                        objective=indicator.objective_id.display_name,
                        objective_perspective=indicator.objective_id.perspective_id.display_name,
                        perspective=indicator.perspective_id.display_name,
                    )
                )

    @api.depends("code", "name")
    def _compute_display_name(self):
        for indicator in self:
            indicator.display_name = (
                f"[{indicator.code}] {indicator.name}"
                if indicator.code
                else indicator.name
            )

    def action_view_values(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_bsc_scorecard.crm_bsc_indicator_value_action"
        )
        action["domain"] = [("indicator_id", "=", self.id)]
        action["context"] = {"default_indicator_id": self.id}
        return action
