# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import demo


def post_init_hook(env):
    """Generate the demo's history and values when the module was installed
    with its demo data (Odoo calls the hook after the data and demo files
    are loaded, and sets the module's ``demo`` flag only when its demo
    data loaded)."""
    module = env["ir.module.module"].search([("name", "=", "crm_bsc_scorecard")])
    if module.demo:
        demo.generate(env)
