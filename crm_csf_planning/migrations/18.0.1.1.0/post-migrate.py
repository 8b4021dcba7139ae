# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""From 18.0.1.0.0: the seven strategic factors become the categories of
the success factors; each existing factor gets its category."""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    # the new owner field took the default of the upgrading user, the
    # superuser: the factors had no owner
    cr.execute(
        SQL("UPDATE crm_csf SET owner_id = NULL WHERE owner_id = %s", SUPERUSER_ID)
    )
    env["crm.csf"].invalidate_model(["owner_id"])
    csfs = env["crm.csf"]._migrate_categories()
    csfs._refresh_health()
