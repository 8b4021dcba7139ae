# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=consider-merging-classes-inherited
# (the model is split by concern, a file per concern)
"""Indicators, continued (``crm_bsc_indicator.py`` holds the model, its
fields, codes and dependencies, ``crm_bsc_indicator_compute.py`` the
computation of a value): the checks of an indicator's objective, company
and computation, the deletion guard and the action that shows its
values."""

from odoo import _, api, models
from odoo.exceptions import ValidationError

from ..tools import domain_guard
from ..tools import formula as formula_tools
from ..tools import graph as graph_tools
from . import bsc_guards
from .crm_bsc_indicator import PATH_TARGETS


class CrmBscIndicator(models.Model):
    _inherit = "crm.bsc.indicator"

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------
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

    # ------------------------------------------------------------------
    # Deletion and values
    # ------------------------------------------------------------------
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
