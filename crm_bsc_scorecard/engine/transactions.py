# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a customer transaction is, and when a customer is active: the one
definition the families, the kept customer counts and the change log read.

A transaction is a won opportunity (an active opportunity in a won stage
with a closed date, dated by that date) or, for a company that chose them,
a confirmed sale order (dated by its order date); it belongs to the
commercial entity of its partner. A customer is active on a day when one
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


def lead_transactions_sql(company_id):
    """Won opportunities of the company as customer transactions (all
    history): customer, day d, source id src, channel ch, user u, team t."""
    return SQL(
        """
        SELECT rp.commercial_partner_id AS customer, l.date_closed::date AS d,
               l.id AS src, l.contact_channel_id AS ch, l.user_id AS u,
               l.team_id AS t
          FROM crm_lead l
          JOIN crm_stage st ON st.id = l.stage_id
          JOIN res_partner rp ON rp.id = l.partner_id
         WHERE l.company_id = %s AND %s
        """,
        company_id,
        won_lead_sql(),
    )


def order_transactions_sql(env, company_id):
    """Confirmed sale orders of the company as customer transactions."""
    require_orders(env)
    return SQL(
        """
        SELECT rp.commercial_partner_id AS customer, so.date_order::date AS d,
               so.id AS src, %s AS ch, so.user_id AS u, so.team_id AS t
          FROM sale_order so
          JOIN res_partner rp ON rp.id = so.partner_id
         WHERE so.company_id = %s AND %s
        """,
        order_channel_sql(),
        company_id,
        confirmed_order_sql(),
    )


def transactions_sql(env, scope):
    """The customer transactions of the scope's company (all history)."""
    if scope.transaction_source == ORDER_SOURCE:
        return order_transactions_sql(env, scope.company_id)
    return lead_transactions_sql(scope.company_id)
