# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError


class CrmProcess(models.Model):
    _name = "crm.process"
    _description = "Cross-functional CRM Process"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(help="Identifies a seeded process.")
    sequence = fields.Integer(default=10)
    description = fields.Html(translate=True)
    weight = fields.Float(
        default=1.0,
        tracking=True,
        help="How much this process weighs for the company: every company "
        "weighs the five processes differently.",
    )
    is_standard = fields.Boolean(
        string="Standard Process",
        readonly=True,
        help="One of the five cross-functional processes of Payne and Frow; "
        "the others are the company's own key processes.",
    )
    color = fields.Integer(string="Colour")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to share the process between companies.",
    )
    question_ids = fields.One2many(
        "crm.process.question", "process_id", string="Key Questions"
    )
    csf_ids = fields.Many2many(
        "crm.csf",
        "crm_csf_process_rel",
        "process_id",
        "csf_id",
        string="Success Factors",
    )
    question_count = fields.Integer(compute="_compute_progress", string="Questions")
    answered_count = fields.Integer(compute="_compute_progress", string="Answered")
    on_time_count = fields.Integer(
        compute="_compute_progress", string="Reviewed On Time"
    )
    overdue_count = fields.Integer(compute="_compute_progress", string="Review Overdue")
    progress = fields.Float(
        compute="_compute_progress",
        string="Answered and On Time",
        help="The weighted share of its key questions that are answered and "
        "not past their review date.",
    )

    _sql_constraints = [
        (
            "weight_not_negative",
            "CHECK (weight >= 0)",
            "The weight of a CRM process cannot be below zero.",
        ),
    ]

    @api.constrains("weight")
    def _check_weight(self):
        for process in self:
            if process.weight < 0:
                raise ValidationError(
                    _(
                        "CRM process %(name)s: the weight %(value)s (field Weight) "
                        "is below zero.",
                        name=process.display_name,
                        value=process.weight,
                    )
                )

    @api.depends(
        "question_ids.is_answered",
        "question_ids.date_review",
        "question_ids.weight",
        "question_ids.active",
    )
    def _compute_progress(self):
        today = fields.Date.context_today(self)
        for process in self:
            # the questions of the user's companies (record rules apply)
            questions = process.question_ids
            answered = questions.filtered("is_answered")
            on_time = questions.filtered(
                lambda q: not q.date_review or q.date_review >= today
            )
            good = answered & on_time
            process.question_count = len(questions)
            process.answered_count = len(answered)
            process.on_time_count = len(on_time)
            process.overdue_count = len(questions) - len(on_time)
            total = sum(questions.mapped("weight"))
            process.progress = (
                100.0 * sum(good.mapped("weight")) / total if total else 0.0
            )

    def action_add_standard_questions(self):
        """Give the current company the seeded key questions of these
        processes that it lacks (another company's are copied, with their
        translations, unanswered)."""
        if not self.env.user.has_group("crm_bsc_scorecard.group_bsc_manager"):
            raise AccessError(
                _("Only a scorecard manager can add key questions to a process.")
            )
        Question = self.env["crm.process.question"]
        company = self.env.company
        # sudo: the seeded questions of every company, read to copy their
        # texts; the copies belong to the current company only
        standard = (
            Question.sudo()
            .with_context(active_test=False)
            .search([("process_id", "in", self.ids), ("code", "!=", False)])
        )
        have = set(standard.filtered(lambda q: q.company_id == company).mapped("code"))
        created = Question.browse()
        for code in dict.fromkeys(standard.mapped("code")):
            if code in have:
                continue
            source = standard.filtered(lambda q, code=code: q.code == code)[0]
            created |= source.copy(
                {
                    "company_id": company.id,
                    "owner_id": False,
                    "answer": False,
                    "date_last_review": False,
                    "date_review": False,
                    "indicator_ids": [fields.Command.clear()],
                    "attachment_ids": [fields.Command.clear()],
                    "active": True,
                }
            ).sudo(False)
        return {
            "type": "ir.actions.act_window",
            "name": _("Key Questions"),
            "res_model": "crm.process.question",
            "view_mode": "list,form",
            "domain": [("process_id", "in", self.ids)],
        }
