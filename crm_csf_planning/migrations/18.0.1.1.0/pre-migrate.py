# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""From 18.0.1.0.0: a success factor now belongs to one company (the seven
strategic factors were seeded without one). Before the schema makes the
column required, give those without a company the main company."""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            """
            UPDATE crm_csf
               SET company_id = COALESCE(
                   (SELECT res_id FROM ir_model_data
                     WHERE module = 'base' AND name = 'main_company'),
                   (SELECT min(id) FROM res_company))
             WHERE company_id IS NULL
            """
        )
    )
    if cr.rowcount:
        _logger.info(
            "%s success factors without a company given the main company",
            cr.rowcount,
        )
