# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class CrmCsfCategory(models.Model):
    _name = "crm.csf.category"
    _description = "Critical Success Factor Category"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        help="Identifies a seeded category (the seven strategic success factors)."
    )
    sequence = fields.Integer(default=10)
    description = fields.Html(translate=True)
    color = fields.Integer(string="Colour")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to share the category between companies.",
    )
    csf_ids = fields.One2many("crm.csf", "category_id", string="Success Factors")
    csf_count = fields.Integer(compute="_compute_csf_count", string="Factors")

    _sql_constraints = [
        (
            "code_unique",
            "unique(code, company_id)",
            "The code of a success factor category is unique per company.",
        ),
    ]

    def _compute_csf_count(self):
        counts = dict(
            self.env["crm.csf"]._read_group(
                [("category_id", "in", self.ids)], ["category_id"], ["__count"]
            )
        )
        for category in self:
            category.csf_count = counts.get(category, 0)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        used = (
            self.env["crm.csf"]
            .with_context(active_test=False)
            .search([("category_id", "in", self.ids)], limit=1)
        )
        if used:
            raise UserError(
                _(
                    "The category %(category)s is used by the success factor "
                    "%(csf)s: it cannot be deleted. Archive it instead.",
                    category=used.category_id.display_name,
                    csf=used.display_name,
                )
            )

    def action_create_enterprise_csfs(self):
        """Create, for the current company, the enterprise success factor of
        each of these categories that has none yet. Returns the factors."""
        if not self.env.user.has_group("crm_bsc_scorecard.group_bsc_manager"):
            raise AccessError(_("Only a scorecard manager can create success factors."))
        company = self.env.company
        Csf = self.env["crm.csf"]
        existing = Csf.with_context(active_test=False).search(
            [
                ("company_id", "=", company.id),
                ("level", "=", "enterprise"),
                ("category_id", "in", self.ids),
            ]
        )
        vals_list = []
        for category in self - existing.category_id:
            vals_list.append(
                {
                    "name": category.name,
                    "category_id": category.id,
                    "level": "enterprise",
                    "sequence": category.sequence,
                    "description": category.description,
                    "company_id": company.id,
                }
            )
        created = Csf.create(vals_list)
        # the names and descriptions in the other languages too
        for category, csf in zip(self - existing.category_id, created, strict=True):
            for name in ("name", "description"):
                csf._copy_translations_of(category, name)
        return {
            "type": "ir.actions.act_window",
            "name": _("Critical Success Factors"),
            "res_model": "crm.csf",
            "view_mode": "list,form",
            "domain": [("id", "in", (existing | created).ids)],
        }
