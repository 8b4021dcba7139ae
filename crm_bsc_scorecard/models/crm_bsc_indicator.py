# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Indicators: the model, its fields, codes and dependencies. Computing a
value on demand (``compute_value``): ``crm_bsc_indicator_compute.py``;
the checks: ``crm_bsc_indicator_checks.py``."""

import keyword
import re

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import engine as engine_tools
from ..tools import formula as formula_tools
from ..tools.builtins import BUILTINS, builtin_selection
from . import bsc_guards

PATH_TARGETS = {
    "agg_segment_path": "crm.customer.segment",
    "agg_channel_path": "crm.contact.channel",
    "agg_user_path": "res.users",
    "agg_team_path": "crm.team",
    "agg_company_path": "res.company",
}

# An identifier a formula can name: ASCII, not a dunder-like name.
CODE_PATTERN = re.compile(r"^(?!__)[A-Za-z_][A-Za-z0-9_]*$")
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
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
        help="Leave empty to share the indicator between companies. An "
        "indicator of a company's objective belongs to that company.",
    )
    computation = fields.Selection(
        [
            ("manual", "Manual"),
            ("builtin", "Built-in CRM indicator"),
            ("aggregate", "Aggregate of records"),
            ("ratio", "Ratio of two indicators"),
            ("formula", "Formula"),
        ],
        string="Value From",
        required=True,
        default="manual",
        tracking=True,
        help="Manual: values are entered per period. The other ways compute the "
        "values from the CRM's data on a schedule.",
    )
    builtin_code = fields.Selection(
        builtin_selection(),
        string="Built-in Indicator",
        tracking=True,
        help="One of the library of CRM indicators; its description says exactly "
        "what it counts.",
    )
    builtin_description = fields.Text(
        compute="_compute_builtin_description", string="What It Counts"
    )
    breakdown_by_user = fields.Boolean(
        string="Per Salesperson and Team",
        help="Also keep the values of each salesperson and each sales team.",
    )
    # aggregate
    agg_model_id = fields.Many2one(
        "ir.model",
        string="Model",
        ondelete="cascade",
        domain="[('transient', '=', False)]",
    )
    agg_model = fields.Char(related="agg_model_id.model", string="Model Name")
    agg_domain = fields.Char(string="Domain", default="[]")
    agg_date_field_id = fields.Many2one(
        "ir.model.fields",
        string="Date Field",
        ondelete="cascade",
        domain="[('model_id', '=', agg_model_id), "
        "('ttype', 'in', ('date', 'datetime')), ('store', '=', True)]",
        help="The date that places a record in a period.",
    )
    agg_measure = fields.Selection(
        [
            ("count", "Count"),
            ("count_distinct", "Count distinct values"),
            ("sum", "Sum"),
            ("avg", "Average"),
            ("min", "Minimum"),
            ("max", "Maximum"),
        ],
        string="Measure",
        default="count",
    )
    agg_field_id = fields.Many2one(
        "ir.model.fields",
        string="Measured Field",
        ondelete="cascade",
        domain="[('model_id', '=', agg_model_id), ('store', '=', True)]",
    )
    agg_segment_path = fields.Char(
        string="Segment Path",
        help="Field path from a record to its customer segment, e.g. "
        "partner_id.customer_segment_id. Empty: no segment breakdown.",
    )
    agg_channel_path = fields.Char(
        string="Channel Path",
        help="Field path from a record to its contact channel, e.g. "
        "contact_channel_id.",
    )
    agg_user_path = fields.Char(
        string="Salesperson Path", help="Field path to the salesperson, e.g. user_id."
    )
    agg_team_path = fields.Char(
        string="Team Path", help="Field path to the sales team, e.g. team_id."
    )
    agg_company_path = fields.Char(
        string="Company Path",
        help="Field path to the company, e.g. company_id; records of other "
        "companies do not count.",
    )
    # ratio
    ratio_numerator_id = fields.Many2one(
        "crm.bsc.indicator", string="Numerator", ondelete="restrict"
    )
    ratio_denominator_id = fields.Many2one(
        "crm.bsc.indicator", string="Denominator", ondelete="restrict"
    )
    ratio_scale = fields.Float(
        string="Multiply By",
        default=1.0,
        help="100 turns the ratio into a percentage.",
    )
    # formula
    formula = fields.Char(
        help="An arithmetic expression over other indicators' codes: + - * / ** "
        "( ), numbers, min, max, abs, round and 'a if condition else b'. "
        "Example: won_revenue / max(won_deals, 1)",
    )
    dependency_ids = fields.Many2many(
        "crm.bsc.indicator",
        compute="_compute_dependency_ids",
        string="Reads Indicators",
    )
    missing_codes = fields.Char(
        compute="_compute_missing_codes",
        help="Codes the formula reads that no indicator has any more (renamed "
        "or deleted): the formula has no value until they are fixed.",
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

    @api.depends("objective_id")
    def _compute_company_id(self):
        for indicator in self:
            indicator.company_id = (
                indicator.objective_id.company_id or indicator.company_id
            )

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
        # sudo: codes are unique across companies, so the indicators of
        # every company are searched; the message names the other one only
        # when the user can read it
        other = self.with_context(active_test=False).sudo().search(domain, limit=1)
        if other:
            raise ValidationError(
                _(
                    "Indicator %(name)s: the code %(code)r is already used by "
                    "the indicator %(other)s.",
                    name=name,
                    code=code,
                    other=bsc_guards.readable_name(
                        self, other, _("of another company")
                    ),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        bsc_guards.check_numbers(self, vals_list)
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
        bsc_guards.check_numbers(self, [vals], self)
        renamed = {}
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
            renamed = {i.code: i for i in self if i.code != vals["code"]}
        result = super().write(vals)
        if renamed:
            self._notify_readers_of_lost_codes(renamed, vals["code"])
        return result

    def unlink(self):
        codes = {indicator.code: indicator for indicator in self}
        result = super().unlink()
        self.browse()._notify_readers_of_lost_codes(codes, None)
        return result

    def _readers_of_codes(self, codes):
        """The formula indicators of every company whose formula names one of
        ``codes``."""
        # sudo: a code renamed here may be read by another company's formula
        # (codes are shared); the message posted there names only the code
        formulas = (
            self.sudo()
            .with_context(active_test=False)
            .search([("computation", "=", "formula"), ("formula", "!=", False)])
        )
        readers = self.sudo().browse()  # sudo: as above
        for formula in formulas:
            try:
                names = formula_tools.names_of(formula.formula)
            except formula_tools.FormulaError:
                continue
            if names & set(codes):
                readers |= formula
        return readers

    def _notify_readers_of_lost_codes(self, old_codes, new_code):
        """Say on each formula that read one of ``old_codes`` that it now
        misses it (renamed to ``new_code``, or deleted when None)."""
        for reader in self._readers_of_codes(old_codes):
            lost = sorted(formula_tools.names_of(reader.formula) & set(old_codes))
            if new_code:
                body = _(
                    "This formula reads %(codes)s, which is now called "
                    "%(new)s: the formula has no value until it is changed.",
                    codes=", ".join(lost),
                    new=new_code,
                )
            else:
                body = _(
                    "This formula reads %(codes)s, which was deleted: the "
                    "formula has no value until it is changed.",
                    codes=", ".join(lost),
                )
            reader.message_post(body=body)

    @api.depends("code", "name")
    def _compute_display_name(self):
        for indicator in self:
            indicator.display_name = (
                f"[{indicator.code}] {indicator.name}"
                if indicator.code
                else indicator.name
            )

    # ------------------------------------------------------------------
    # Computed indicators
    # ------------------------------------------------------------------
    @api.depends("builtin_code")
    def _compute_builtin_description(self):
        for indicator in self:
            spec = BUILTINS.get(indicator.builtin_code)
            # the descriptions are extracted for translation from tools/builtins.py
            indicator.builtin_description = _(spec.description) if spec else False  # pylint: disable=translation-required

    @api.onchange("builtin_code")
    def _onchange_builtin_code(self):
        spec = BUILTINS.get(self.builtin_code)
        if not spec:
            return
        if not self.name:
            self.name = _(spec.name)  # pylint: disable=translation-required
        if not self.code:
            self.code = self.builtin_code
        self.unit = spec.unit
        self.direction = spec.direction
        self.metric_level = spec.level

    def _dependencies(self):
        """The indicators this one reads (ratio sides, formula codes)."""
        self.ensure_one()
        if self.computation == "ratio":
            return self.ratio_numerator_id | self.ratio_denominator_id
        if self.computation == "formula" and self.formula:
            try:
                names = formula_tools.names_of(self.formula)
            except formula_tools.FormulaError:
                return self.browse()
            return self.with_context(active_test=False).search(
                [("code", "in", list(names))]
            )
        return self.browse()

    @api.depends("computation", "ratio_numerator_id", "ratio_denominator_id", "formula")
    def _compute_dependency_ids(self):
        for indicator in self:
            indicator.dependency_ids = indicator._dependencies()

    def _missing_codes(self):
        """The codes this formula reads that no indicator has."""
        self.ensure_one()
        if self.computation != "formula" or not self.formula:
            return []
        try:
            names = formula_tools.names_of(self.formula)
        except formula_tools.FormulaError:
            return []
        # sudo: codes are unique across companies; only their existence is read
        known = set(
            self.sudo()
            .with_context(active_test=False)
            .search([("code", "in", list(names))])
            .mapped("code")
        )
        return sorted(set(names) - known)

    @api.depends("computation", "formula")
    def _compute_missing_codes(self):
        for indicator in self:
            indicator.missing_codes = ", ".join(indicator._missing_codes()) or False

    def _agg_domain_list(self):
        """The aggregate's domain as a list; a domain refused or failing to
        evaluate raises the engine's DataError with the reason."""
        self.ensure_one()
        try:
            return bsc_guards.eval_domain(self, self.agg_domain or "[]")
        except (ValueError, NameError, SyntaxError, TypeError) as error:
            raise engine_tools.DataError(
                _(
                    "the domain %(domain)s cannot be evaluated: %(error)s",
                    domain=self.agg_domain,
                    error=error,
                )
            ) from error

    def _agg_company_path(self):
        """The path to the company of an aggregate's records: the one given,
        else the model's own company field, so that a company-dependent
        model never counts another company's records."""
        self.ensure_one()
        if self.agg_company_path:
            return self.agg_company_path
        # sudo: the model's technical name only (ir.model is for administrators)
        model = self.env[self.agg_model_id.sudo().model]
        field = model._fields.get("company_id")
        if field and field.type == "many2one" and field.comodel_name == "res.company":
            return "company_id"
        return False
