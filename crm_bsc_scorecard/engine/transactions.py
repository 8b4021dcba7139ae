# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a customer transaction is, and when a customer is active: the one
definition the families, the kept customer counts, the change log, the
customer scores (models/crm_customer_score.py), the cohort report
(report/crm_customer_cohort.py) and the planning addon's evidence read.

A transaction is a won opportunity (an active opportunity in a won stage
with a closed date, dated by that date, worth its expected revenue) or,
for a company that chose them, a confirmed sale order (dated by its order
date, worth its untaxed amount in the company's currency); it belongs to
the commercial entity of its partner. A customer is active on a day when one
of its transactions lies in the activity window ending on it: (day - W,
day] (the islands of ``families/customers.py`` and the Python counter of
``tools/customer_counts.py`` both follow it). ``is_won_lead`` is the
Python twin of ``won_lead_sql`` for the change log of the incremental run
(held equal to it by the equivalence tests).
"""

from odoo import _
from odoo.tools import SQL

from ..tools import engine as engine_tools
from . import sql as sql_tools

LEAD_SOURCE = "opportunities"
ORDER_SOURCE = "sale_orders"


def won_lead_sql(lead="l", stage="st"):
    """SQL: the lead ``lead`` (its stage joined as ``stage``) is won."""
    lead, stage = SQL.identifier(lead), SQL.identifier(stage)
    return SQL(
        "(%s.active AND %s.type = 'opportunity' AND COALESCE(%s.is_won, FALSE)"
        " AND %s.date_closed IS NOT NULL)",
        lead,
        lead,
        stage,
        lead,
    )


def is_won_lead(lead):
    """Python: the lead record is won (the twin of won_lead_sql)."""
    return bool(
        lead.active
        and lead.type == "opportunity"
        and lead.stage_id.is_won
        and lead.date_closed
    )


def confirmed_order_sql(order="so"):
    """SQL: the sale order ``order`` is confirmed."""
    return SQL("%s.state = 'sale'", SQL.identifier(order))


def require_orders(env):
    """Sale orders are transactions only with Sales installed."""
    if "sale.order" not in env:
        raise engine_tools.NoSourceError(
            _("confirmed sale orders were chosen, but Sales is not installed")
        )


def order_channel_sql(order="so"):
    """SQL: the contact channel of a sale order (from its UTM source and
    medium)."""
    return sql_tools.utm_channel_sql(
        SQL.identifier(order, "source_id"), SQL.identifier(order, "medium_id")
    )


def order_changed_sql(order="so"):
    """SQL: the sale order ``order`` is in a state it reaches when it
    becomes a transaction (confirmed) or stops being one (cancelled): what
    the incremental run and the customer scores look for among the orders
    written since they last looked (the addon has no hooks on sale
    orders)."""
    return SQL("%s.state IN ('sale', 'cancel')", SQL.identifier(order))


def lead_amount_sql(lead="l"):
    """SQL: the value of the won lead ``lead``: its expected revenue (0
    without one)."""
    return SQL("COALESCE(%s, 0)", SQL.identifier(lead, "expected_revenue"))


def order_amount_sql(order="so"):
    """SQL: the value of the sale order ``order``: its untaxed amount in
    the company's currency."""
    return SQL(
        "%s / COALESCE(NULLIF(%s, 0), 1)",
        SQL.identifier(order, "amount_untaxed"),
        SQL.identifier(order, "currency_rate"),
    )


def _columns(columns):
    """SQL: the extra columns ``[(name, expression)]`` of a transactions
    query, each after a comma."""
    return SQL("").join(
        SQL(", %s AS %s", expression, SQL.identifier(name))
        for name, expression in columns
    )


def _lead_transactions(companies, amount=False, company=False):
    """SQL: won opportunities as customer transactions, of the companies
    the condition ``companies`` (on ``l.company_id``) keeps; with their
    value (``amount``) and company (``company_id``) when asked."""
    columns = [("amount", lead_amount_sql())] if amount else []
    columns += [("company_id", SQL("l.company_id"))] if company else []
    return SQL(
        """
        SELECT rp.commercial_partner_id AS customer, l.date_closed::date AS d,
               l.id AS src, l.contact_channel_id AS ch, l.user_id AS u,
               l.team_id AS t%s
          FROM crm_lead l
          JOIN crm_stage st ON st.id = l.stage_id
          JOIN res_partner rp ON rp.id = l.partner_id
         WHERE %s AND %s
        """,
        _columns(columns),
        companies,
        won_lead_sql(),
    )


def _order_transactions(env, companies, amount=False, company=False):
    """SQL: confirmed sale orders as customer transactions (the columns of
    _lead_transactions, in the same order)."""
    require_orders(env)
    columns = [("amount", order_amount_sql())] if amount else []
    columns += [("company_id", SQL("so.company_id"))] if company else []
    return SQL(
        """
        SELECT rp.commercial_partner_id AS customer, so.date_order::date AS d,
               so.id AS src, %s AS ch, so.user_id AS u, so.team_id AS t%s
          FROM sale_order so
          JOIN res_partner rp ON rp.id = so.partner_id
         WHERE %s AND %s
        """,
        order_channel_sql(),
        _columns(columns),
        companies,
        confirmed_order_sql(),
    )


def lead_transactions_sql(company_id, amount=False):
    """Won opportunities of the company as customer transactions (all
    history): customer, day d, source id src, channel ch, user u, team t,
    and with ``amount`` their value (amount)."""
    return _lead_transactions(SQL("l.company_id = %s", company_id), amount)


def order_transactions_sql(env, company_id, amount=False):
    """Confirmed sale orders of the company as customer transactions (the
    columns of lead_transactions_sql)."""
    return _order_transactions(env, SQL("so.company_id = %s", company_id), amount)


def company_transactions_sql(env, company_id, source, amount=False):
    """The customer transactions of the company (all history), from the
    source it chose (``bsc_transaction_source``)."""
    if source == ORDER_SOURCE:
        return order_transactions_sql(env, company_id, amount)
    return lead_transactions_sql(company_id, amount)


def transactions_sql(env, scope):
    """The customer transactions of the scope's company (all history)."""
    return company_transactions_sql(env, scope.company_id, scope.transaction_source)


def every_company_transactions_sql(env, amount=False):
    """The customer transactions of every company, each from the source it
    chose, with their company (company_id); sale orders only with Sales
    installed."""

    def chose(column, source):
        return SQL(
            "%s IN (SELECT c.id FROM res_company c"
            " WHERE c.bsc_transaction_source = %s)",
            column,
            source,
        )

    parts = [_lead_transactions(chose(SQL("l.company_id"), LEAD_SOURCE), amount, True)]
    if "sale.order" in env:
        parts.append(
            _order_transactions(
                env, chose(SQL("so.company_id"), ORDER_SOURCE), amount, True
            )
        )
    return SQL(" UNION ALL ").join(parts)
