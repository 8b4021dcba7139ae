# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The scorecard's periods as the planning addon reads them."""


def company_period_domain(env, company):
    """The part of a period domain that keeps the periods of ``company``,
    when the scorecard keeps its periods per company (shared periods, without
    a company, match every company)."""
    if "company_id" in env["crm.bsc.period"]._fields:
        return [("company_id", "in", [company.id, False])]
    return []


def find_period(env, company, period_type, day):
    """The period of ``company`` and ``period_type`` that contains ``day``."""
    return env["crm.bsc.period"].search(
        [
            ("period_type", "=", period_type),
            ("date_from", "<=", day),
            ("date_to", ">=", day),
        ]
        + company_period_domain(env, company),
        limit=1,
    )
