# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup, escape

from odoo import _, fields, models


class CrmBscObjective(models.Model):
    _inherit = "crm.bsc.objective"

    link_evidence_html = fields.Html(
        compute="_compute_link_evidence_html",
        sanitize=False,
        string="Link Evidence",
        help="For each cause-and-effect link of this objective, what the "
        "score histories of the scorecards that follow both objectives say.",
    )

    def _compute_link_evidence_html(self):
        verdicts = self.env["crm.bsc.scorecard"]._xlsx_verdict_labels()
        badges = {
            "supported": "text-bg-success",
            "weak": "text-bg-secondary",
            "contradicted": "text-bg-danger",
            "insufficient": "text-bg-light",
        }
        for objective in self:
            if not objective.id or not (
                objective.driven_objective_ids or objective.driver_objective_ids
            ):
                objective.link_evidence_html = False
                continue
            scorecards = self.env["crm.bsc.scorecard"].search(
                [
                    ("state", "=", "active"),
                    ("line_ids.objective_id", "=", objective.id),
                ]
            )
            items = []
            for scorecard in scorecards:
                links = [
                    link
                    for link in scorecard._link_evidence()
                    if objective in (link[0], link[1])
                ]
                for cause, effect, evidence in links:
                    items.append(
                        Markup(
                            '<li class="mb-1"><span class="badge %s">%s</span> '
                            "<strong>%s</strong>: %s</li>"
                        )
                        % (
                            badges[evidence.verdict],
                            verdicts[evidence.verdict],
                            scorecard.name,
                            scorecard._evidence_sentence(cause, effect, evidence),
                        )
                    )
            objective.link_evidence_html = (
                Markup('<ul class="list-unstyled o_crm_bsc_link_evidence">%s</ul>')
                % Markup("").join(items)
                if items
                else Markup('<p class="text-muted">%s</p>')
                % escape(
                    _(
                        "No active scorecard follows both ends of this "
                        "objective's links."
                    )
                )
            )
