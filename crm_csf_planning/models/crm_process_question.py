# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html2plaintext

ACTIVITY_TYPE = "mail.mail_activity_data_todo"
MANAGER_GROUP = "crm_bsc_scorecard.group_bsc_manager"


class CrmProcessQuestion(models.Model):
    _name = "crm.process.question"
    _description = "Key Question of a CRM Process"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "process_sequence, sequence, id"
    _check_company_auto = True

    name = fields.Text(string="Question", required=True, translate=True)
    code = fields.Char(help="Identifies a seeded question.", copy=True)
    process_id = fields.Many2one(
        "crm.process",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
        check_company=True,
    )
    process_sequence = fields.Integer(
        related="process_id.sequence", store=True, string="Process Order"
    )
    sequence = fields.Integer(default=10)
    weight = fields.Float(
        default=1.0, help="Weight of the question in its process's progress."
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    active = fields.Boolean(default=True)
    owner_id = fields.Many2one(
        "res.users",
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
        help="Who answers the question and reviews the answer.",
    )
    answer = fields.Html(tracking=True)
    is_answered = fields.Boolean(
        compute="_compute_is_answered", store=True, string="Answered"
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "crm_process_question_attachment_rel",
        "question_id",
        "attachment_id",
        string="Evidence",
        help="Documents that support the answer.",
    )
    indicator_ids = fields.Many2many(
        "crm.bsc.indicator",
        "crm_process_question_indicator_rel",
        "question_id",
        "indicator_id",
        string="Indicators",
        help="The scorecard indicators that answer the question.",
    )
    date_last_review = fields.Date(string="Last Reviewed", tracking=True)
    review_interval = fields.Integer(
        string="Review Every (Months)",
        default=6,
        help="How often the answer is reviewed.",
    )
    date_review = fields.Date(
        string="Review Date",
        tracking=True,
        index=True,
        compute="_compute_date_review",
        store=True,
        readonly=False,
        precompute=True,
        help="When the answer is due for review: the last review plus the "
        "interval, or set by hand.",
    )
    is_review_overdue = fields.Boolean(
        compute="_compute_is_review_overdue",
        search="_search_is_review_overdue",
        string="Review Overdue",
    )

    @api.depends("answer")
    def _compute_is_answered(self):
        for question in self:
            question.is_answered = bool(html2plaintext(question.answer or "").strip())

    @api.depends("date_last_review", "review_interval")
    def _compute_date_review(self):
        for question in self:
            if question.date_last_review and question.review_interval > 0:
                question.date_review = question.date_last_review + relativedelta(
                    months=question.review_interval
                )
            else:
                question.date_review = question.date_review

    @api.depends("date_review")
    def _compute_is_review_overdue(self):
        today = fields.Date.context_today(self)
        for question in self:
            question.is_review_overdue = bool(
                question.date_review and question.date_review < today
            )

    def _search_is_review_overdue(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(_("Review overdue can only be searched as true or false."))
        today = fields.Date.context_today(self)
        if (operator == "=") != bool(value):
            return ["|", ("date_review", "=", False), ("date_review", ">=", today)]
        return [("date_review", "<", today)]

    @api.constrains("review_interval", "weight")
    def _check_numbers(self):
        for question in self:
            if question.review_interval < 0:
                raise ValidationError(
                    _(
                        "Key question %(name)s: the review interval %(value)s "
                        "(field Review Every (Months)) is below zero.",
                        name=question.display_name,
                        value=question.review_interval,
                    )
                )
            if question.weight < 0:
                raise ValidationError(
                    _(
                        "Key question %(name)s: the weight %(value)s (field "
                        "Weight) is below zero.",
                        name=question.display_name,
                        value=question.weight,
                    )
                )

    @api.depends("name")
    def _compute_display_name(self):
        for question in self:
            text = (question.name or "").strip()
            question.display_name = text if len(text) <= 80 else text[:79] + "…"

    # ------------------------------------------------------------------
    # Reviews
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        questions = super().create(vals_list)
        questions._schedule_review_activities()
        return questions

    def write(self, vals):
        result = super().write(vals)
        if {"date_review", "owner_id", "date_last_review", "review_interval"} & set(
            vals
        ):
            self._schedule_review_activities()
        return result

    def _schedule_review_activities(self):
        """A question past its review date gives its owner an activity (one
        open at a time)."""
        today = fields.Date.context_today(self)
        activity_type = self.env.ref(ACTIVITY_TYPE)
        for question in self:
            if not (
                question.active
                and question.owner_id
                and question.date_review
                and question.date_review < today
            ):
                continue
            if question.activity_ids.filtered(
                lambda a, question=question: (
                    a.activity_type_id == activity_type
                    and a.user_id == question.owner_id
                )
            ):
                continue
            question.activity_schedule(
                ACTIVITY_TYPE,
                date_deadline=today,
                summary=_("Review the key question"),
                note=_(
                    "The answer to this key question was due for review on %(date)s.",
                    date=question.date_review,
                ),
                user_id=question.owner_id.id,
            )

    @api.model
    def _cron_review_overdue(self):
        questions = self.search(
            [
                ("date_review", "<", fields.Date.context_today(self)),
                ("owner_id", "!=", False),
            ]
        )
        questions._schedule_review_activities()
        self.env["ir.cron"]._notify_progress(done=len(questions), remaining=0)
        return True

    def action_mark_reviewed(self):
        """The owner (or a manager) confirms the answer today: the next
        review is due after the interval; the review activity is done."""
        if not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            others = self.filtered(lambda q: q.owner_id != self.env.user)
            if others:
                raise AccessError(
                    _(
                        "Only the owner of the key question %(name)s or a "
                        "scorecard manager can mark it reviewed.",
                        name=others[0].display_name,
                    )
                )
        self.check_access("write")
        unanswered = self.filtered(lambda q: not q.is_answered)
        if unanswered:
            raise UserError(
                _(
                    "The key question %(name)s has no answer (field Answer): "
                    "answer it before marking it reviewed.",
                    name=unanswered[0].display_name,
                )
            )
        today = fields.Date.context_today(self)
        for question in self:
            question.write(
                {
                    "date_last_review": today,
                    "date_review": today
                    + relativedelta(months=question.review_interval or 6),
                }
            )
        self.activity_feedback([ACTIVITY_TYPE], feedback=_("Reviewed."))
        return True
