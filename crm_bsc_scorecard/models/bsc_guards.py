# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Checks shared by the addon's models: who may call a method, numbers that
are no numbers, and domains typed by users.

Plain functions whose first argument is the model or recordset they check
(named ``self`` so that ``_()`` finds the language of its environment).
"""

import math

from odoo import _, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tools.safe_eval import safe_eval

from ..tools import domain_guard

GROUP_USER = "crm_bsc_scorecard.group_bsc_user"
GROUP_MANAGER = "crm_bsc_scorecard.group_bsc_manager"
GROUP_SALES_ADMIN = "sales_team.group_sale_manager"

# Larger numbers are no business figure and lose their digits as floats.
NUMBER_LIMIT = 1e15


def has_group(self, *groups):
    """Whether the user of ``self``'s environment (the superuser included)
    is in one of ``groups``."""
    return self.env.su or any(self.env.user.has_group(group) for group in groups)


def require_group(self, *groups, action=None):
    """Refuse (AccessError) a user who is in none of ``groups``, before
    anything is read or elevated."""
    if has_group(self, *groups):
        return
    names = [
        self.env.ref(group).sudo().full_name  # sudo: group names are public labels
        for group in groups
    ]
    raise AccessError(
        _(
            "%(action)s (%(model)s) is reserved to %(groups)s; %(user)s is not "
            "in these groups.",
            action=action or _("This action"),
            model=self._name,
            groups=_(" or ").join(names),
            user=self.env.user.name,
        )
    )


def require_access(self, operation, *groups, action=None):
    """Refuse a user who is in none of ``groups`` (when given) or may not
    ``operation`` the records of ``self`` (access rights and record rules:
    their companies included)."""
    if groups:
        require_group(self, *groups, action=action)
    self.check_access(operation)


def check_companies(self, companies):
    """Refuse companies the user has not selected (or may not access)."""
    if self.env.su:
        return
    foreign = companies - self.env.companies
    if foreign:
        raise AccessError(
            _(
                "%(user)s works in %(allowed)s, not in the company %(company)s.",
                user=self.env.user.name,
                allowed=", ".join(self.env.companies.mapped("name")),
                company=foreign[0].sudo().name,  # sudo: the id was given by the caller
            )
        )


def check_numbers(self, vals_list, records=None):
    """Refuse NaN, infinities and numbers beyond NUMBER_LIMIT in the float
    fields of ``vals_list``, naming the record, the field and the value,
    before Odoo's rounding or the database sees them."""
    float_fields = {
        name
        for name, field in self._fields.items()
        if field.type in ("float", "monetary") and not field.compute
    }
    for index, vals in enumerate(vals_list):
        for name in float_fields & set(vals):
            raw = vals[name]
            if raw is False or raw is None:
                continue
            try:
                number = float(raw)
            except (TypeError, ValueError):
                number = math.nan
            if math.isfinite(number) and abs(number) <= NUMBER_LIMIT:
                continue
            if records is not None:
                label = ", ".join(records.mapped("display_name")[:3])
            else:
                label = _("new record %(index)s", index=index + 1)
            limit = f"{NUMBER_LIMIT:.0e}"
            raise ValidationError(
                _(
                    "%(model)s %(record)s: %(field)s %(value)s is not a number "
                    "between -%(limit)s and %(limit)s.",
                    model=self._description,
                    record=label,
                    field=self._fields[name]._description_string(self.env),
                    value=raw,
                    limit=limit,
                )
            )


def eval_domain(self, text):
    """The domain list of a domain typed by a user: refused (DomainError, a
    ValueError) when it is not quick and safe to evaluate; relative dates
    (context_today(), relativedelta, datetime... to_utc()) in the user's
    time zone."""
    if not text:
        return []
    domain_guard.check(text)
    context = domain_guard.eval_context(
        fields.Date.context_today(self),
        self.env.context.get("tz") or self.env.user.tz,
        uid=self.env.uid,
        user=self.env.user,
        company_id=self.env.company.id,
        company_ids=self.env.companies.ids,
    )
    domain = safe_eval(text, context)
    if not isinstance(domain, list | tuple):
        raise domain_guard.DomainError(
            _("a domain is a list of conditions, not %(value)r", value=domain)
        )
    return list(domain)


def readable_name(self, record, fallback):
    """``record``'s name when the user may read it, else ``fallback``: error
    messages never name what the user cannot see."""
    if record and record.with_env(self.env).has_access("read"):
        return record.display_name
    return fallback
