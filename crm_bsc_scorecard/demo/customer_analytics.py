# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Demo data of customer analytics: a few customers who bought regularly
and then stopped, so that the demo shows risk bands, lapsed and lost
customers and the "Customer at risk" activities; then the first fit and
scoring of the demo company. Runs after the history (``history.py``),
whose customers the fit reads."""

import datetime

from odoo import fields
from odoo.tools import SQL

from . import common

# name, salesperson (xml id), monthly purchases, days since the last one,
# value of each
STOPPED_BUYERS = [
    ("Harbor Office Supplies", "base.user_demo", 7, 150, 6400),
    ("Summit Law Partners", "crm_bsc_scorecard.demo_user_anita", 6, 200, 9800),
    ("Birch & Co Interiors", "crm_bsc_scorecard.demo_user_chloe", 5, 260, 4200),
    ("Quarry Dental Clinic", "crm_bsc_scorecard.demo_user_bruno", 4, 420, 3100),
]


def generate_customer_analytics(env):
    """Customers who stopped buying, then the first fit and scoring of the
    demo company."""
    company = env.ref("base.main_company")
    won = env.ref("crm.stage_lead4")
    today = fields.Date.context_today(env.user)
    Partner = env["res.partner"].with_context(tracking_disable=True)
    dated = []
    for name, user_xmlid, count, silent, value in STOPPED_BUYERS:
        if Partner.search_count([("name", "=", name)]):
            continue  # loaded already
        user = env.ref(user_xmlid, raise_if_not_found=False)
        partner = Partner.create(
            {
                "name": name,
                "is_company": True,
                "user_id": user.id if user else False,
            }
        )
        last = today - datetime.timedelta(days=silent)
        for k in range(count):
            day = last - datetime.timedelta(days=30 * (count - 1 - k))
            lead = (
                env["crm.lead"]
                .with_context(tracking_disable=True, mail_create_nolog=True)
                .create(
                    {
                        "name": f"{name}: order {k + 1}",
                        "type": "opportunity",
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "user_id": user.id if user else False,
                        "stage_id": won.id,
                        "expected_revenue": value,
                    }
                )
            )
            dated.append((lead.id, datetime.datetime.combine(day, datetime.time(11))))
    if dated:
        env.flush_all()
        env.cr.execute(
            SQL(
                "UPDATE crm_lead l SET date_closed = v.d, create_date = v.d "
                "FROM (VALUES %s) AS v(id, d) WHERE l.id = v.id",
                SQL(", ").join(SQL("(%s, %s::timestamp)", i, d) for i, d in dated),
            )
        )
        env.invalidate_all()
        leads = env["crm.lead"].browse([lead_id for lead_id, _day in dated])
        common.backdate_customers(env, leads)
    env["crm.customer.score"]._fit_and_score_company(company)
    env["crm.customer.score.pending"].search([]).unlink()
