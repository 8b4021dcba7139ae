# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression

from ..tools import domain_guard
from . import bsc_guards


class CrmCustomerSegment(models.Model):
    _name = "crm.customer.segment"
    _description = "Customer Segment"
    _inherit = ["mail.thread"]
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(
        tracking=True, help="Short code of the segment, unique within a company."
    )
    description = fields.Text(translate=True)
    color = fields.Integer()
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env.company,
        help="Leave empty to share the segment between companies.",
    )
    rule_domain = fields.Char(
        string="Assignment Rule",
        tracking=True,
        help="Customers that match this rule are assigned to the segment by the "
        "assignment action, unless their segment is locked. Leave empty to "
        "assign customers by hand only.",
    )
    priority = fields.Integer(
        default=10,
        tracking=True,
        help="Rules are tried by ascending priority: a customer goes to the first "
        "segment whose rule matches.",
    )
    partner_ids = fields.One2many(
        "res.partner", "customer_segment_id", string="Segment Members", readonly=True
    )
    partner_count = fields.Integer(compute="_compute_counts", string="Customers")
    lead_count = fields.Integer(compute="_compute_counts", string="Opportunities")

    _sql_constraints = [
        (
            "code_company_unique",
            "unique(code, company_id)",
            "The code of a segment must be unique within a company.",
        ),
    ]

    @api.constrains("code", "company_id")
    def _check_code_unique(self):
        """Codes are unique within a company, shared segments included (the
        SQL constraint cannot see two shared segments: NULL is distinct)."""
        for segment in self.filtered("code"):
            domain = [
                ("id", "!=", segment.id),
                ("code", "=", segment.code),
            ]
            if segment.company_id:
                domain.append(("company_id", "in", [segment.company_id.id, False]))
            # sudo: a shared segment's code is unique across every company;
            # the other segment is named only when the user can read it
            other = self.with_context(active_test=False).sudo().search(domain, limit=1)
            if other:
                raise ValidationError(
                    _(
                        "Segment %(segment)s: the code %(code)r is already used by "
                        "the segment %(other)s.",
                        segment=segment.display_name,
                        code=segment.code,
                        other=bsc_guards.readable_name(
                            self, other, _("of another company")
                        ),
                    )
                )

    def _compute_counts(self):
        partners = dict(
            self.env["res.partner"]._read_group(
                [
                    ("customer_segment_id", "in", self.ids),
                    ("is_company", "=", True),
                ],
                ["customer_segment_id"],
                ["__count"],
            )
        )
        individuals = dict(
            self.env["res.partner"]._read_group(
                [
                    ("customer_segment_id", "in", self.ids),
                    ("is_company", "=", False),
                    ("parent_id", "=", False),
                ],
                ["customer_segment_id"],
                ["__count"],
            )
        )
        leads = dict(
            self.env["crm.lead"]._read_group(
                [("customer_segment_id", "in", self.ids)],
                ["customer_segment_id"],
                ["__count"],
            )
        )
        for segment in self:
            segment.partner_count = partners.get(segment, 0) + individuals.get(
                segment, 0
            )
            segment.lead_count = leads.get(segment, 0)

    def _rule(self):
        """The assignment rule as a domain list ([] when none)."""
        self.ensure_one()
        if not self.rule_domain:
            return []
        return bsc_guards.eval_domain(self, self.rule_domain)

    @api.constrains("rule_domain")
    def _check_rule_domain(self):
        for segment in self.filtered("rule_domain"):
            try:
                domain = segment._rule()
                with self.env.cr.savepoint():
                    self.env["res.partner"].search_count(domain, limit=1)
            except domain_guard.DomainError as error:
                raise ValidationError(
                    _(
                        "The assignment rule of segment %(segment)s is not a "
                        "valid domain on customers: %(value)s (%(error)s)",
                        segment=segment.display_name,
                        value=segment.rule_domain,
                        error=error.reason,
                    )
                ) from error
            except Exception as error:
                raise ValidationError(
                    _(
                        "The assignment rule of segment %(segment)s is not a "
                        "valid domain on customers: %(value)s (%(error)s)",
                        segment=segment.display_name,
                        value=segment.rule_domain,
                        error=error,
                    )
                ) from error

    @api.model
    def _assignable_partner_domain(self):
        """Commercial entities whose segment is not locked."""
        return [
            ("customer_segment_locked", "=", False),
            "|",
            ("is_company", "=", True),
            ("parent_id", "=", False),
        ]

    @api.model
    def _assign_partners(self, segments=None):
        """Assign unlocked customers to the first segment whose rule matches.

        Segments are tried by ascending priority; customers that match no
        rule keep their segment. A segment whose rule fails is skipped (the
        others still apply) and the error is posted on it. Returns
        (number of customers whose segment changed, {segment: error}).
        """
        if segments is None:
            segments = self.search([("rule_domain", "!=", False)])
        segments = segments.filtered("rule_domain").sorted(
            lambda s: (s.priority, s.sequence, s.id)
        )
        Partner = self.env["res.partner"].with_context(active_test=False)
        base = self._assignable_partner_domain()
        earlier = []
        changed = 0
        errors = {}
        for segment in segments:
            try:
                with self.env.cr.savepoint():
                    rule = segment._rule()
                    domain = expression.AND([base, rule])
                    if segment.company_id:
                        domain = expression.AND(
                            [
                                domain,
                                [("company_id", "in", [segment.company_id.id, False])],
                            ]
                        )
                    if earlier:
                        domain = expression.AND(
                            [domain, ["!", *expression.OR(earlier)]]
                        )
                    to_change = Partner.search(
                        expression.AND(
                            [domain, [("customer_segment_id", "!=", segment.id)]]
                        )
                    )
                    to_change.write({"customer_segment_id": segment.id})
            except Exception as error:  # noqa: BLE001 - one bad rule, reported below
                errors[segment] = str(error)
                continue
            earlier.append(rule)
            changed += len(to_change)
        for segment, error in errors.items():
            segment.message_post(
                body=_(
                    "The assignment rule %(rule)s of this segment failed and was "
                    "skipped: %(error)s",
                    rule=segment.rule_domain,
                    error=error,
                )
            )
        return changed, errors

    def action_assign_partners(self):
        """Button: apply the assignment rules of the segments the user may
        manage (those of the companies selected, and the shared ones), with
        the user's own rights on customers."""
        bsc_guards.require_access(
            self,
            "write",
            bsc_guards.GROUP_MANAGER,
            bsc_guards.GROUP_SALES_ADMIN,
            action=_("Assigning customers to segments"),
        )
        changed, errors = self._assign_partners()
        if errors:
            message = _(
                "%(count)s customers moved to a new segment; the rules of "
                "%(segments)s failed (see their chatter).",
                count=changed,
                segments=", ".join(s.display_name for s in errors),
            )
        else:
            message = _("%(count)s customers moved to a new segment.", count=changed)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if errors else "success",
                "title": _("Segment assignment"),
                "message": message,
                "sticky": bool(errors),
            },
        }

    @api.model
    def _cron_assign_partners(self):
        """Scheduled action: apply the rules of every company's segments."""
        # sudo: a scheduled action, over every company's segments and customers
        self.sudo()._assign_partners()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_frozen_values(self):
        self.env["crm.bsc.indicator.value"]._check_no_frozen_values("segment_id", self)

    def action_view_partners(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "base.action_partner_form"
        )
        action["domain"] = [("customer_segment_id", "=", self.id)]
        action["context"] = {"default_customer_segment_id": self.id}
        return action

    def action_view_leads(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("crm.crm_lead_all_leads")
        action["domain"] = [("customer_segment_id", "=", self.id)]
        action["context"] = {"default_customer_segment_id": self.id}
        return action
