# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Helpers shared by the demo generators."""

from odoo import fields
from odoo.tools import SQL

from .data import MODULE


def ref(env, xml_id):
    """The record of an xml id; without a module, one of this addon."""
    if "." not in xml_id:
        xml_id = f"{MODULE}.{xml_id}"
    return env.ref(xml_id)


def name_xmlids(env, records, prefix, keys):
    """Give ``records`` the xml ids ``<prefix>_<key>`` of this addon."""
    env["ir.model.data"]._update_xmlids(
        [
            {
                "xml_id": f"{MODULE}.{prefix}_{key}",
                "record": record,
                "noupdate": True,
            }
            for record, key in zip(records, keys, strict=True)
        ]
    )


def today(env):
    return fields.Date.context_today(env.user)


def weighted(rng, weights):
    """A key of ``weights`` drawn with its weight."""
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def backdate_customers(env, leads):
    """Date the customers of ``leads`` (their commercial partners and these
    partners' contacts) a week before their first lead, as a customer record
    exists before its first deal: otherwise they are all created today, and
    what counts customers by their creation (data completeness) has no base
    in the history. Only moves dates back, so running it again changes
    nothing."""
    env.flush_all()
    env.cr.execute(
        SQL(
            """
            WITH customer AS (
                SELECT DISTINCT rp.commercial_partner_id AS id
                  FROM crm_lead l JOIN res_partner rp ON rp.id = l.partner_id
                 WHERE l.id IN %(leads)s
            ), first_lead AS (
                SELECT c.id, MIN(l.create_date) - INTERVAL '7 days' AS created
                  FROM customer c
                  JOIN res_partner rp ON rp.commercial_partner_id = c.id
                  JOIN crm_lead l ON l.partner_id = rp.id
                 GROUP BY c.id
            )
            UPDATE res_partner p
               SET create_date = f.created
              FROM first_lead f
             WHERE (p.id = f.id OR p.parent_id = f.id)
               AND p.create_date > f.created
            """,
            leads=tuple(leads.ids) or (0,),
        )
    )
    env["res.partner"].invalidate_model(["create_date"])
