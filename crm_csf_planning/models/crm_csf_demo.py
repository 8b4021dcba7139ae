# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Demo data that XML cannot express compactly: the maturity assessments
with their ratings, the contribution weights and report, the health of the
success factors. Called from ``demo/crm_csf_demo.xml``; each function is
safe to run twice."""

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models

from .period_utils import find_period

MODULE = "crm_csf_planning"
SCORECARD = "crm_bsc_scorecard"

# block code: ((admin, anita) ratings a year ago, (admin, anita) now,
# target now)
RATINGS = {
    "vision": ((2, 2), (3, 3), 4),
    "strategy": ((2, 1), (3, 3), 4),
    "experience": ((2, 2), (3, 2), 4),
    # the assessors disagree on collaboration this year
    "collaboration": ((2, 1), (4, 2), 4),
    "processes": ((1, 1), (3, 2), 3),
    "information": ((2, 2), (3, 3), 4),
    "technology": ((2, 3), (3, 4), 4),
    "metrics": ((1, 2), (2, 2), 4),
}
# the actions of the demo that close the gap of a block this year
GAP_ACTIONS = {
    "collaboration": ["action_restore_training"],
    "information": ["action_privacy_rules", "action_fill_channels"],
    "experience": ["action_publish_targets", "action_callback_rota"],
    "strategy": ["action_deputies"],
}


class CrmCsfDemo(models.AbstractModel):
    _name = "crm.csf.demo"
    _description = "Success Factor Planning Demo Data Generator"

    def _ref(self, xml_id):
        if "." not in xml_id:
            xml_id = f"{MODULE}.{xml_id}"
        return self.env.ref(xml_id)

    @api.model
    def _demo_assessments(self):
        """Two maturity assessments a year apart by two assessors: last
        year's done, this year's in progress with every rating given."""
        if self.env.ref(f"{MODULE}.assessment_last_year", raise_if_not_found=False):
            return False
        today = fields.Date.context_today(self)
        assessors = self._ref("base.user_admin") | self._ref(
            f"{SCORECARD}.demo_user_anita"
        )
        Assessment = self.env["crm.maturity.assessment"].with_context(
            tracking_disable=True, mail_create_nolog=True
        )
        company = self._ref("base.main_company")
        last = Assessment.create(
            {
                "name": "CRM maturity, last year",
                "date": today - relativedelta(years=1),
                "company_id": company.id,
                "responsible_id": self._ref("base.user_admin").id,
                "assessor_ids": [Command.set(assessors.ids)],
                "note": "<p>Our first assessment, before the CRM programme.</p>",
            }
        )
        # a year ago the evidence from the data did not exist: rated only
        last.write({"state": "in_progress"})
        last._create_ratings()
        self._demo_rate(last, assessors, 0)
        last.write({"state": "done", "date_done": last.date})
        current = Assessment.create(
            {
                "name": "CRM maturity, this year",
                "date": today - relativedelta(days=7),
                "company_id": company.id,
                "responsible_id": self._ref("base.user_admin").id,
                "assessor_ids": [Command.set(assessors.ids)],
                "note": "<p>One year into the programme: the assessors rated, "
                "the data speaks; to discuss before completing.</p>",
            }
        )
        for line in current.line_ids:
            line.target_level = RATINGS[line.block_id.code][2]
            actions = GAP_ACTIONS.get(line.block_id.code)
            if actions:
                line.action_ids = [
                    Command.set([self._ref(xml_id).id for xml_id in actions])
                ]
        current.action_start()
        self._demo_rate(current, assessors, 1)
        self.env["ir.model.data"]._update_xmlids(
            [
                {
                    "xml_id": f"{MODULE}.assessment_last_year",
                    "record": last,
                    "noupdate": True,
                },
                {
                    "xml_id": f"{MODULE}.assessment_this_year",
                    "record": current,
                    "noupdate": True,
                },
            ]
        )
        return True

    def _demo_rate(self, assessment, assessors, index):
        for rating in assessment.rating_ids:
            pair = RATINGS[rating.block_id.code][index]
            rating.level = pair[list(assessors).index(rating.assessor_id)]

    @api.model
    def _demo_contribution(self):
        """Equal weights from six months ago, won revenue counting double from
        two months ago; the report of the last twelve months."""
        company = self._ref("base.main_company")
        Weight = self.env["crm.csf.contribution.weight"]
        today = fields.Date.context_today(self)
        for months, vals in (
            (6, {"note": "Every measure counts the same."}),
            (
                2,
                {
                    "weight_won_revenue": 2.0,
                    "note": "Agreed with the sales teams: won revenue counts "
                    "double, the other measures once.",
                },
            ),
        ):
            period = find_period(
                self.env, company, "month", today - relativedelta(months=months)
            )
            if not period or Weight.search(
                [("company_id", "=", company.id), ("period_id", "=", period.id)]
            ):
                continue
            Weight.create(dict(vals, company_id=company.id, period_id=period.id))
        Contribution = self.env["crm.csf.contribution"]
        for period in Contribution._report_periods(company, months=12):
            Contribution._compute_period(company, period)
        return True

    @api.model
    def _demo_refresh_health(self):
        self.env["crm.csf"].search([])._refresh_health()
        return True
