# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import keyword
import re
from collections import namedtuple

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import domain_guard
from ..tools import engine as engine_tools
from ..tools import formula as formula_tools
from ..tools import graph as graph_tools
from ..tools.builtins import BUILTINS, builtin_selection
from . import bsc_guards

# What compute_value returns: the value, or None and the reason there is none.
ComputedValue = namedtuple("ComputedValue", ["value", "reason"])

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

    @api.constrains("company_id", "objective_id")
    def _check_objective_company(self):
        """A shared indicator shows on every company's scorecards: its
        objective must be shared too, or the other companies could not read
        it."""
        for indicator in self.filtered("objective_id.company_id"):
            if indicator.company_id != indicator.objective_id.company_id:
                raise ValidationError(
                    _(
                        "Indicator %(indicator)s: its objective %(objective)s "
                        "belongs to %(company)s, so the indicator must belong to "
                        "that company too (a shared indicator needs a shared "
                        "objective).",
                        indicator=indicator.display_name,
                        objective=indicator.objective_id.display_name,
                        company=indicator.objective_id.company_id.name,
                    )
                )

    @api.constrains(
        "company_id",
        "computation",
        "ratio_numerator_id",
        "ratio_denominator_id",
        "formula",
    )
    def _check_dependency_companies(self):
        """An indicator reads shared indicators or those of its own company;
        a shared one reads shared ones only."""
        for indicator in self:
            for dep in indicator._dependencies():
                if dep.company_id and dep.company_id != indicator.company_id:
                    raise ValidationError(
                        _(
                            "Indicator %(indicator)s reads %(other)s, which "
                            "belongs to %(company)s only: an indicator reads "
                            "shared indicators or those of its own company.",
                            indicator=indicator.display_name,
                            other=dep.display_name,
                            company=dep.company_id.name,
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

    @api.ondelete(at_uninstall=False)
    def _unlink_except_frozen_values(self):
        self.env["crm.bsc.indicator.value"]._check_no_frozen_values(
            "indicator_id", self
        )

    def action_view_values(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_bsc_scorecard.crm_bsc_indicator_value_action"
        )
        action["domain"] = [("indicator_id", "=", self.id)]
        action["context"] = {"default_indicator_id": self.id}
        return action

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

    @api.constrains(
        "computation",
        "builtin_code",
        "agg_model_id",
        "agg_domain",
        "agg_date_field_id",
        "agg_measure",
        "agg_field_id",
        "agg_segment_path",
        "agg_channel_path",
        "agg_user_path",
        "agg_team_path",
        "agg_company_path",
        "ratio_numerator_id",
        "ratio_denominator_id",
        "formula",
        # a new code can close a cycle of formulas that read it
        "code",
    )
    def _check_computation(self):
        for indicator in self:
            check = getattr(indicator, f"_check_{indicator.computation}", None)
            if check:
                check()
        self._check_dependency_cycles()

    def _raise(self, field, value, reason):
        raise ValidationError(
            _(
                "Indicator %(indicator)s: %(field)s %(value)r is invalid: %(reason)s",
                indicator=self.display_name,
                field=self._fields[field]._description_string(self.env),
                value=value,
                reason=reason,
            )
        )

    def _check_builtin(self):
        if not self.builtin_code:
            self._raise("builtin_code", False, _("choose a built-in indicator."))

    def _check_aggregate(self):
        if not self.agg_model_id:
            self._raise("agg_model_id", False, _("choose the model to aggregate."))
        # sudo: the model's technical name; whether the user may read its
        # records is checked next, as the user
        model_name = self.agg_model_id.sudo().model
        model = self.env[model_name]
        if not model.has_access("read"):
            self._raise(
                "agg_model_id",
                model_name,
                _("you may not read the records of this model."),
            )
        if (
            not self.agg_date_field_id
            or self.agg_date_field_id.model_id != self.agg_model_id
        ):
            self._raise(
                "agg_date_field_id",
                self.agg_date_field_id.name or False,
                _("choose a stored date field of the model."),
            )
        if self.agg_measure != "count":
            field = self.agg_field_id
            if not field or field.model_id != self.agg_model_id:
                self._raise(
                    "agg_field_id",
                    field.name or False,
                    _("choose a field of the model."),
                )
            if self.agg_measure != "count_distinct" and field.ttype not in (
                "integer",
                "float",
                "monetary",
            ):
                self._raise(
                    "agg_field_id", field.name, _("this measure needs a numeric field.")
                )
        try:
            domain = bsc_guards.eval_domain(self, self.agg_domain or "[]")
            # sudo: the domain is tried on the records the engine will read
            with self.env.cr.savepoint():
                model.sudo().search_count(domain, limit=1)
        except domain_guard.DomainError as error:
            self._raise("agg_domain", self.agg_domain, error.reason)
        except Exception as error:  # noqa: BLE001 - any bad domain is refused
            self._raise("agg_domain", self.agg_domain, str(error))
        for path_field, target in PATH_TARGETS.items():
            path = self[path_field]
            if path and self._path_target(model, path) != target:
                self._raise(
                    path_field,
                    path,
                    _("this path does not lead to a %(model)s record.", model=target),
                )

    @api.model
    def _path_target(self, model, path):
        """The model a many2one path leads to, or None when it is broken."""
        for name in path.split("."):
            field = model._fields.get(name)
            if (
                not field
                or field.type != "many2one"
                or not (field.store or field.related)
            ):
                return None
            model = self.env[field.comodel_name]
        return model._name

    def _check_ratio(self):
        for name in ("ratio_numerator_id", "ratio_denominator_id"):
            if not self[name]:
                self._raise(name, False, _("choose an indicator."))
            if self[name] == self:
                self._raise(
                    name, self[name].code, _("an indicator cannot divide itself.")
                )

    def _check_formula(self):
        try:
            parsed = formula_tools.parse(self.formula or "")
            formula_tools.check_constants(parsed)
        except formula_tools.FormulaError as error:
            self._raise("formula", self.formula, error.reason)
        names = parsed.names
        known = set(
            self.with_context(active_test=False)
            .search([("code", "in", list(names))])
            .mapped("code")
        )
        unknown = sorted(set(names) - known)
        if unknown:
            self._raise(
                "formula",
                self.formula,
                _("no indicator has the code %(codes)s.", codes=", ".join(unknown)),
            )

    def _check_dependency_cycles(self):
        edges = {}
        pending = list(self)
        while pending:
            indicator = pending.pop()
            if indicator.id in edges:
                continue
            deps = indicator._dependencies()
            edges[indicator.id] = deps.ids
            pending.extend(deps)
        cycle = graph_tools.find_cycle(edges, start=self.ids)
        if cycle:
            codes = dict(self.browse(cycle).mapped(lambda i: (i.id, i.code)))
            raise ValidationError(
                _(
                    "Indicators cannot read each other in a circle: %(cycle)s.",
                    cycle=" → ".join(codes[node] for node in cycle),
                )
            )

    def compute_value(
        self, date_from, date_to, segment=None, channel=None, user=None, team=None
    ):
        """Compute this indicator over [date_from, date_to] without storing it.

        ``segment``, ``channel``, ``user`` and ``team`` are records or ids (or
        None for all). Returns ComputedValue(value, reason): the value and
        None, or None and the reason there is no value. Uses the current
        company. Reserved to scorecard users, on indicators they can read.

        (Messages use ``self.env._``: the argument ``user`` would mislead
        ``_``, which reads a local of that name as the user.)
        """
        bsc_guards.require_access(
            self,
            "read",
            bsc_guards.GROUP_USER,
            action=self.env._("Computing an indicator"),
        )
        if len(self) != 1:
            raise UserError(
                self.env._(
                    "compute_value computes one indicator at a time, not %(count)s.",
                    count=len(self),
                )
            )
        try:
            date_from = fields.Date.to_date(date_from)
            date_to = fields.Date.to_date(date_to)
        except (TypeError, ValueError) as error:
            raise UserError(
                self.env._(
                    "compute_value: the dates must be dates (%(error)s).", error=error
                )
            ) from error
        if not date_from or not date_to or date_to < date_from:
            raise UserError(
                self.env._(
                    "compute_value: %(start)s to %(end)s is no period.",
                    start=date_from,
                    end=date_to,
                )
            )
        segment = self._compute_value_record(segment, "crm.customer.segment", "segment")
        channel = self._compute_value_record(channel, "crm.contact.channel", "channel")
        user = self._compute_value_record(user, "res.users", "user")
        team = self._compute_value_record(team, "crm.team", "team")
        # sudo: the engine reads the CRM of the current company in SQL and
        # stores nothing; the caller's group and company were checked above
        indicator = self.sudo()
        engine = indicator.env["crm.bsc.engine"]
        period = indicator.env["crm.bsc.period"].search(
            [
                ("company_id", "=", self.env.company.id),
                ("date_from", "=", date_from),
                ("date_to", "=", date_to),
            ],
            limit=1,
        )
        period_id = period.id or 0
        key = (
            period_id,
            segment.id or None,
            channel.id or None,
            user.id or None,
            team.id or None,
        )
        scope = engine._scope(
            self.env.company,
            [(period_id, date_from, date_to)],
            [key[1]],
            indicator,
            extra_keys=[key],
            force_channels=[key[2]] if key[2] else [],
            force_users=bool(user or team),
        )
        # a channel with a salesperson (say) is no stored breakdown: group by
        # every combination of the dimensions asked for; the families are
        # those of the scheduled run
        results = engine._compute(scope, indicator, combined=True)
        value, reason = results[indicator].get(key, (None, engine_tools.NO_BASE))
        # (plain text: a reason travels through RPC)
        return ComputedValue(value, None if reason is None else str(reason))

    def _compute_value_record(self, value, model, argument):
        """The record of ``model`` that ``value`` (a record, an id, or None)
        names, refused when it does not exist or the user may not read it."""
        Model = self.env[model]
        if value in (None, False, 0):
            return Model
        if isinstance(value, models.BaseModel):
            if value._name != model or len(value) > 1:
                raise UserError(
                    _(
                        "compute_value: %(argument)s must be one %(model)s, not "
                        "%(value)s.",
                        argument=argument,
                        model=model,
                        value=value,
                    )
                )
            record = value.with_env(self.env)
        elif isinstance(value, int) and not isinstance(value, bool):
            record = Model.browse(value)
        else:
            raise UserError(
                _(
                    "compute_value: %(argument)s must be a record or an id of "
                    "%(model)s, not %(value)r.",
                    argument=argument,
                    model=model,
                    value=value,
                )
            )
        if not record.exists():
            raise UserError(
                _(
                    "compute_value: there is no %(model)s with the id %(id)s.",
                    model=model,
                    id=record.id,
                )
            )
        try:
            record.check_access("read")
        except AccessError as error:
            raise AccessError(
                _(
                    "compute_value: you may not read the %(model)s %(id)s.",
                    model=model,
                    id=record.id,
                )
            ) from error
        return record
