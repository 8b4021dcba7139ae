# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Shared base class of the planning tests: the scorecard tests' users and
factories, and factories for success factors, actions and assessments.

Periods are created in years long past (2001-2005), so that they never meet
the demo data's periods."""

import datetime

from odoo import fields

from odoo.addons.crm_bsc_scorecard.tests.common import BscCommon
from odoo.addons.crm_bsc_scorecard.tools import periods as period_tools


class CsfCommon(BscCommon):
    YEAR = 2003

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category_planning = cls.env.ref("crm_csf_planning.category_planning")
        cls.category_communications = cls.env.ref(
            "crm_csf_planning.category_communications"
        )
        cls.user_bsc_2 = cls._user(
            "bsc_user_2", "crm_bsc_scorecard.group_bsc_user", name="Bo Second User"
        )

    # ------------------------------------------------------------------
    # Factories
    # ------------------------------------------------------------------
    @classmethod
    def _csf(cls, name, level="enterprise", parent=None, lines=(), **vals):
        """A success factor; ``lines`` are (indicator, {line values})."""
        vals.setdefault(
            "category_id", (parent.category_id if parent else cls.category_planning).id
        )
        if parent:
            vals["parent_id"] = parent.id
        vals["indicator_line_ids"] = [
            (0, 0, {"indicator_id": indicator.id, **line_vals})
            for indicator, line_vals in lines
        ]
        return cls.env["crm.csf"].create({"name": name, "level": level, **vals})

    @classmethod
    def _manual(cls, code, **vals):
        """A manual indicator of the customer perspective."""
        vals.setdefault("perspective_id", cls.perspective_customer.id)
        return cls._indicator(code, **vals)

    @classmethod
    def _find_or_make_period(cls, day, period_type="month", company=None):
        """The period of ``company`` (the main one by default) containing
        ``day``, created when missing: each company has its own periods."""
        company = company or cls.company
        Period = cls.env["crm.bsc.period"]
        start, end = period_tools.period_bounds(period_type, day)
        period = Period.search(
            [
                ("period_type", "=", period_type),
                ("date_from", "=", start),
                ("company_id", "=", company.id),
            ],
            limit=1,
        )
        return period or Period.create(
            {
                "name": period_tools.period_code(period_type, start),
                "period_type": period_type,
                "date_from": start,
                "date_to": end,
                "company_id": company.id,
            }
        )

    @classmethod
    def _months(cls, year, first, last, company=None):
        return cls.env["crm.bsc.period"].concat(
            *(
                cls._find_or_make_period(datetime.date(year, month, 1), company=company)
                for month in range(first, last + 1)
            )
        )

    @classmethod
    def _last_ended_months(cls, count, company=None):
        """The last ``count`` months that have ended, oldest first."""
        today = fields.Date.today()
        day = today.replace(day=1) - datetime.timedelta(days=1)
        periods = []
        for _index in range(count):
            periods.append(cls._find_or_make_period(day, company=company))
            day = day.replace(day=1) - datetime.timedelta(days=1)
        return cls.env["crm.bsc.period"].concat(*reversed(periods))

    @classmethod
    def _action(cls, csf, name="Do it", **vals):
        return cls.env["crm.csf.action"].create(
            {"name": name, "csf_id": csf.id, **vals}
        )
