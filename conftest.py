"""Root pytest configuration.

Under pytest-odoo (tier 2 of setup/test.sh) the plugin imports odoo.tests
before it enables test mode, and Odoo then logs an error about importing the
test framework outside test mode. Import it here first, in test mode.
"""

import sys

if "pytest_odoo" in sys.modules:
    from odoo.tools import config

    config["test_enable"] = True
    import odoo.tests  # noqa: F401

    config["test_enable"] = False
