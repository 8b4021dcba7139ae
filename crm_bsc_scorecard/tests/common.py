# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Shared base class of the scorecard tests: users of each group, a second
company and factory helpers for every model of the addon."""

import datetime
from contextlib import contextmanager

from odoo.tests import TransactionCase
from odoo.tools import SQL

from odoo.addons.mail.tests.common import mail_new_test_user

from ..tools import periods as period_tools

GROUP_USER = "crm_bsc_scorecard.group_bsc_user"
GROUP_MANAGER = "crm_bsc_scorecard.group_bsc_manager"


class BscCommon(TransactionCase):
    """Data of the scorecard tests.

    Users: ``user_bsc`` (Scorecard user), ``user_bsc_manager`` (Scorecard
    manager), ``user_salesman`` (Sales only), ``user_employee`` (internal user
    only), all of the main company; ``user_manager_2``, Scorecard manager of the
    second company only. Periods are created in years far from today, so that
    they never meet the periods of other data.
    """

    YEAR = 2091

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                tracking_disable=True,
                mail_create_nolog=True,
                no_reset_password=True,
            )
        )
        cls.company = cls.env.ref("base.main_company")
        cls.company_2 = cls.env["res.company"].create({"name": "BSC Second Company"})

        cls.perspective_financial = cls.env.ref(
            "crm_bsc_scorecard.perspective_financial"
        )
        cls.perspective_customer = cls.env.ref("crm_bsc_scorecard.perspective_customer")
        cls.perspective_internal = cls.env.ref("crm_bsc_scorecard.perspective_internal")
        cls.perspective_learning = cls.env.ref("crm_bsc_scorecard.perspective_learning")

        cls.user_bsc = cls._user("bsc_user", GROUP_USER, name="Bea Scorecard User")
        cls.user_bsc_manager = cls._user(
            "bsc_manager", GROUP_MANAGER, name="Max Scorecard Manager"
        )
        cls.user_salesman = cls._user(
            "bsc_salesman", "sales_team.group_sale_salesman", name="Sam Salesman"
        )
        cls.user_employee = cls._user(
            "bsc_employee", "base.group_user", name="Emma Employee"
        )
        cls.user_manager_2 = cls._user(
            "bsc_manager_2",
            GROUP_MANAGER,
            name="Mia Manager Two",
            company=cls.company_2,
        )

    # ------------------------------------------------------------------
    # Factories
    # ------------------------------------------------------------------
    @classmethod
    def _user(cls, login, groups, name, company=None):
        company = company or cls.company
        return mail_new_test_user(
            cls.env,
            login=login,
            groups=groups,
            name=name,
            company_id=company.id,
            company_ids=[(6, 0, company.ids)],
        )

    @classmethod
    def _segment(cls, name, **vals):
        return cls.env["crm.customer.segment"].create({"name": name, **vals})

    @classmethod
    def _channel(cls, name, **vals):
        return cls.env["crm.contact.channel"].create({"name": name, **vals})

    @classmethod
    def _partner(cls, name, **vals):
        vals.setdefault("is_company", True)
        return cls.env["res.partner"].create({"name": name, **vals})

    @classmethod
    def _lead(cls, name, partner=None, **vals):
        vals.setdefault("type", "opportunity")
        if partner:
            vals["partner_id"] = partner.id
        return cls.env["crm.lead"].create({"name": name, **vals})

    @classmethod
    def _objective(cls, name, perspective=None, **vals):
        """An objective; shared between companies unless ``company_id`` is
        given, like the indicators the factory below makes."""
        vals.setdefault("company_id", False)
        perspective = perspective or cls.perspective_financial
        if perspective.kind == "internal":
            vals.setdefault("crm_function", "sales")
        return cls.env["crm.bsc.objective"].create(
            {"name": name, "perspective_id": perspective.id, **vals}
        )

    @classmethod
    def _indicator(cls, code, perspective=None, **vals):
        vals.setdefault("name", code.replace("_", " ").capitalize())
        if "objective_id" not in vals:
            vals["perspective_id"] = (perspective or cls.perspective_financial).id
        return cls.env["crm.bsc.indicator"].create({"code": code, **vals})

    @classmethod
    def _period(cls, month=1, year=None, period_type="month", **vals):
        """The calendar period of ``period_type`` containing the first day of
        ``month`` of ``year`` (YEAR by default), of the current company
        unless ``company_id`` is given."""
        day = datetime.date(year or cls.YEAR, month, 1)
        start, end = period_tools.period_bounds(period_type, day)
        return cls.env["crm.bsc.period"].create(
            {
                "name": period_tools.period_code(period_type, start),
                "period_type": period_type,
                "date_from": start,
                "date_to": end,
                **vals,
            }
        )

    @classmethod
    def _scorecard(cls, name, lines=(), **vals):
        """A scorecard; ``lines`` are (indicator, {line values}) pairs."""
        vals["line_ids"] = [
            (0, 0, {"indicator_id": indicator.id, **line_vals})
            for indicator, line_vals in lines
        ]
        return cls.env["crm.bsc.scorecard"].create({"name": name, **vals})

    @classmethod
    def _value(cls, indicator, period, value=None, **vals):
        """A value; ``value=None`` records a missing value (no data)."""
        if value is None:
            vals.setdefault("has_value", False)
        else:
            vals["value"] = value
        return cls.env["crm.bsc.indicator.value"].create(
            {"indicator_id": indicator.id, "period_id": period.id, **vals}
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    @contextmanager
    def assertRefused(self, exception, pattern):
        """Expect ``exception`` with a message matching ``pattern``.

        Unlike assertRaisesRegex, the block runs in a savepoint rolled back on
        the error, as the request that made the call is rolled back: what the
        block wrote before the error does not survive it.
        """
        with self.assertRaises(exception) as info:
            yield info
        self.assertRegex(str(info.exception), pattern)

    def _stored(self, record, *columns):
        """The raw database values of ``columns`` of one record (NULL: None)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM %s WHERE id = %s",
                SQL(", ").join(SQL.identifier(column) for column in columns),
                SQL.identifier(record._table),
                record.id,
            )
        )
        return self.env.cr.fetchone()
