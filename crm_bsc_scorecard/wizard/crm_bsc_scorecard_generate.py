# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models import bsc_guards


class CrmBscScorecardGenerate(models.TransientModel):
    _name = "crm.bsc.scorecard.generate"
    _description = "Create or Refresh Segment Scorecards"

    template_id = fields.Many2one(
        "crm.bsc.scorecard", required=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="template_id.company_id")
    segment_ids = fields.Many2many(
        "crm.customer.segment",
        string="Segments",
        compute="_compute_segment_ids",
        store=True,
        readonly=False,
        domain="[('company_id', 'in', [company_id, False])]",
    )
    update_targets = fields.Boolean(
        string="Overwrite Targets",
        help="Also copy the template's targets and thresholds onto the lines "
        "the segment scorecards already have. New lines always take them.",
    )

    @api.depends("template_id")
    def _compute_segment_ids(self):
        for wizard in self:
            wizard.segment_ids = self.env["crm.customer.segment"].search(
                [
                    ("company_id", "in", [wizard.template_id.company_id.id, False]),
                    ("id", "!=", wizard.template_id.segment_id.id),
                ]
            )

    def action_apply(self):
        self.ensure_one()
        template = self.template_id
        bsc_guards.require_access(
            template,
            "write",
            bsc_guards.GROUP_MANAGER,
            action=_("Creating segment scorecards"),
        )
        if not self.segment_ids:
            raise UserError(_("Choose at least one segment."))
        Scorecard = self.env["crm.bsc.scorecard"].with_context(active_test=False)
        existing = {
            scorecard.segment_id: scorecard
            for scorecard in Scorecard.search([("template_id", "=", template.id)])
        }
        result = Scorecard.browse()
        for segment in self.segment_ids:
            scorecard = existing.get(segment)
            if scorecard:
                scorecard._sync_from_template(template, self.update_targets)
            else:
                scorecard = template.copy(
                    {
                        # named after its segment: the template is the
                        # scorecard of all customers
                        "name": segment.name,
                        "segment_id": segment.id,
                        "template_id": template.id,
                        "state": template.state
                        if template.state != "archived"
                        else "draft",
                    }
                )
            result |= scorecard
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_bsc_scorecard.crm_bsc_scorecard_action"
        )
        action["domain"] = [("id", "in", result.ids)]
        return action
