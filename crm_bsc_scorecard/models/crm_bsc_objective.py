# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools.graph import find_cycle

CRM_FUNCTIONS = [
    ("marketing", "Marketing"),
    ("sales", "Sales"),
    ("service", "Service"),
]


class CrmBscObjective(models.Model):
    _name = "crm.bsc.objective"
    _description = "Strategic Objective"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "perspective_sequence, sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    description = fields.Html(translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    perspective_id = fields.Many2one(
        "crm.bsc.perspective",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    perspective_kind = fields.Selection(related="perspective_id.kind")
    perspective_sequence = fields.Integer(
        related="perspective_id.sequence", store=True, string="Perspective Order"
    )
    crm_function = fields.Selection(
        CRM_FUNCTIONS,
        string="CRM Function",
        tracking=True,
        help="Internal-process objectives serve one CRM function: marketing, "
        "sales or service.",
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
        default=lambda self: self.env.company,
        help="Leave empty to share the objective between companies.",
    )
    driven_objective_ids = fields.Many2many(
        "crm.bsc.objective",
        "crm_bsc_objective_cause_rel",
        "cause_id",
        "effect_id",
        string="Drives",
        help="Cause and effect: the objectives this one drives.",
    )
    driver_objective_ids = fields.Many2many(
        "crm.bsc.objective",
        "crm_bsc_objective_cause_rel",
        "effect_id",
        "cause_id",
        string="Driven By",
        help="The objectives that drive this one.",
    )
    indicator_ids = fields.One2many(
        "crm.bsc.indicator", "objective_id", string="Indicators"
    )
    indicator_count = fields.Integer(compute="_compute_indicator_count")

    @api.depends("indicator_ids")
    def _compute_indicator_count(self):
        for objective in self:
            objective.indicator_count = len(objective.indicator_ids)

    @api.constrains("crm_function", "perspective_id")
    def _check_crm_function(self):
        for objective in self:
            if (
                objective.perspective_id.kind == "internal"
                and not objective.crm_function
            ):
                raise ValidationError(
                    _(
                        "The objective %(objective)s belongs to the internal-process "
                        "perspective %(perspective)s: set its CRM function "
                        "(marketing, sales or service).",
                        objective=objective.display_name,
                        perspective=objective.perspective_id.display_name,
                    )
                )

    @api.constrains("company_id")
    def _check_indicator_companies(self):
        """An objective of one company cannot hold shared indicators (the
        other companies' scorecards would show an objective they cannot
        read) nor those of another company."""
        for objective in self.filtered("company_id"):
            # sudo: indicators of every company count; only their number and
            # the objective's own name are shown
            foreign = (
                objective.sudo()
                .with_context(active_test=False)
                .indicator_ids.filtered(
                    lambda i, o=objective: i.company_id != o.company_id
                )
            )
            if foreign:
                raise ValidationError(
                    _(
                        "The objective %(objective)s cannot belong to %(company)s "
                        "only: %(count)s indicators of other companies or shared "
                        "between companies measure it.",
                        objective=objective.display_name,
                        company=objective.company_id.name,
                        count=len(foreign),
                    )
                )

    @api.constrains("driven_objective_ids", "driver_objective_ids")
    def _check_no_cause_cycle(self):
        edges = {}
        pending = list(self)
        seen = set()
        # walk the whole "drives" graph reachable from the changed objectives
        while pending:
            objective = pending.pop()
            if objective.id in seen:
                continue
            seen.add(objective.id)
            effects = objective.with_context(active_test=False).driven_objective_ids
            edges[objective.id] = effects.ids
            pending.extend(effects)
        cycle = find_cycle(edges, start=self.ids)
        if cycle:
            names = dict(self.browse(cycle).mapped(lambda o: (o.id, o.display_name)))
            raise ValidationError(
                _(
                    "Cause-and-effect links cannot go round in a circle: "
                    "%(cycle)s. Remove one of these links.",
                    cycle=" → ".join(names[node] for node in cycle),
                )
            )

    def action_view_indicators(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_bsc_scorecard.crm_bsc_indicator_action"
        )
        action["domain"] = [("objective_id", "=", self.id)]
        action["context"] = {
            "default_objective_id": self.id,
            "default_perspective_id": self.perspective_id.id,
        }
        return action
