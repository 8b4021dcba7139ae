# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Data of the customer analytics tests: a company of its own ("CLV
Alpha") with a population of customers large enough for a fit, built with
bulk writes, and a few customers known by hand.

The hand customers of company A (days relative to today, values):

====  ==============================  =========================
name  won opportunities               notes
====  ==============================  =========================
H1    -400: 100, -300: 300, -200: 500  3 transactions, lapsed
H2    -30: 1000                        1 transaction, new
H3    -100: 0, -50: 200, -50: 100      same-day pair; a zero value
====  ==============================  =========================
"""

import datetime
import random

from odoo import fields
from odoo.tools import SQL

from odoo.addons.mail.tests.common import mail_new_test_user

from ..tools import clv
from .common import BscCommon


class AnalyticsCommon(BscCommon):
    POPULATION = 60

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.Score = env["crm.customer.score"]
        cls.today = fields.Date.context_today(cls.Score)
        Company = env["res.company"]
        cls.company_a = Company.create(
            {"name": "CLV Alpha", "bsc_clv_min_repeat_customers": 5}
        )
        cls.company_b = Company.create(
            {"name": "CLV Beta", "bsc_clv_min_repeat_customers": 5}
        )
        both = [(6, 0, (cls.company_a | cls.company_b).ids)]
        cls.seller = mail_new_test_user(
            env,
            login="clv_seller",
            name="Clara Seller",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company_a.id,
            company_ids=both,
        )
        cls.seller_2 = mail_new_test_user(
            env,
            login="clv_seller_2",
            name="Carl Seller",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company_a.id,
            company_ids=both,
        )
        cls.stage_won = env["crm.stage"].create(
            {"name": "CLV Won", "sequence": 71, "is_won": True}
        )
        cls.stage_new = env["crm.stage"].create({"name": "CLV New", "sequence": 2})
        cls.retail = cls._segment("CLV Retail", code="CLV_R", company_id=False)

        cls.h1 = cls._partner("CLV H1", email=False)
        cls.h2 = cls._partner("CLV H2", email=False, user_id=cls.seller_2.id)
        cls.h3 = cls._partner("CLV H3", email=False, customer_segment_id=cls.retail.id)
        wins = [
            (cls.h1, -400, 100),
            (cls.h1, -300, 300),
            (cls.h1, -200, 500),
            (cls.h2, -30, 1000),
            (cls.h3, -100, 0),
            (cls.h3, -50, 200),
            (cls.h3, -50, 100),
        ]
        # a population: regular buyers, some of whom stopped
        rng = random.Random(13)
        cls.population = cls.env["res.partner"].create(
            [
                {"name": f"CLV P{i:03d}", "is_company": True, "email": False}
                for i in range(cls.POPULATION)
            ]
        )
        for partner in cls.population:
            first = -rng.randint(200, 700)
            gap = rng.randint(20, 90)
            stop = rng.choice([None, None, first + rng.randint(60, 400)])
            day = first
            while day < 0 and (stop is None or day <= stop):
                wins.append((partner, day, rng.choice([50, 80, 120, 200])))
                day += max(1, int(rng.expovariate(1.0 / gap)))
        cls.leads = cls._bulk_wins(cls.company_a, wins)

    @classmethod
    def _bulk_wins(cls, company, wins, user=None):
        """Won opportunities of ``company``, (partner, day relative to today,
        value) each, created in one go and dated in SQL."""
        user = user or cls.seller
        leads = (
            cls.env["crm.lead"]
            .with_company(company)
            .create(
                [
                    {
                        "name": f"CLV win {partner.name} {day}",
                        "type": "opportunity",
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "stage_id": cls.stage_won.id,
                        "expected_revenue": value,
                        "user_id": user.id,
                    }
                    for partner, day, value in wins
                ]
            )
        )
        cls.env.flush_all()
        cls.env.cr.execute(
            SQL(
                "UPDATE crm_lead l SET date_closed = v.d FROM (VALUES %s) AS v(id, d) "
                "WHERE l.id = v.id",
                SQL(", ").join(
                    SQL(
                        "(%s, %s::timestamp)",
                        lead.id,
                        datetime.datetime.combine(cls._day(day), datetime.time(12, 0)),
                    )
                    for lead, (_p, day, _v) in zip(leads, wins, strict=True)
                ),
            )
        )
        leads.invalidate_recordset(["date_closed"])
        return leads

    @classmethod
    def _day(cls, offset):
        return cls.today + datetime.timedelta(days=offset)

    @classmethod
    def _win(cls, partner, company, day, value, user=None):
        """One won opportunity through the ORM (the hooks follow it)."""
        lead = (
            cls.env["crm.lead"]
            .with_company(company)
            .create(
                {
                    "name": f"CLV new win {partner.name}",
                    "type": "opportunity",
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "stage_id": cls.stage_new.id,
                    "expected_revenue": value,
                    "user_id": (user or cls.seller).id,
                }
            )
        )
        lead.write(
            {
                "stage_id": cls.stage_won.id,
                "date_closed": datetime.datetime.combine(
                    cls._day(day), datetime.time(12, 0)
                ),
            }
        )
        return lead

    def score_of(self, partner, company=None):
        return self.Score.search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", (company or self.company_a).id),
            ]
        )

    def model_of(self, company=None):
        return self.env["crm.customer.model"].search(
            [
                ("company_id", "=", (company or self.company_a).id),
                ("segment_id", "=", False),
            ]
        )

    def params_of(self, model):
        return clv.BgParams(model.model_type, model.r, model.alpha, model.a, model.b)
