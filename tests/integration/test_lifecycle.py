"""Install, upgrade and uninstall both addons with a clean Odoo log."""

import os
import subprocess

import pytest

from conftest import ADDONS, bad_lines, dropdb

UNINSTALL = """
modules = env["ir.module.module"].search(
    [("name", "in", ["crm_csf_planning", "crm_bsc_scorecard"])]
)
modules.button_immediate_uninstall()
env.cr.commit()
states = env["ir.module.module"].search(
    [("name", "in", ["crm_csf_planning", "crm_bsc_scorecard"])]
).mapped("state")
print("STATES", sorted(set(states)))
print("LEAD_FIELDS", sorted(
    f for f in env["crm.lead"]._fields
    if f.startswith(("customer_segment", "contact_channel"))
))
"""


def test_install_log_with_demo_is_clean():
    """setup/test.sh installs crm and both addons with demo data; its log."""
    path = os.environ.get("CRM_BSC_INSTALL_LOG")
    if not path or not os.path.exists(path):
        pytest.skip("the test database was reused, so there is no install log")
    with open(path) as handle:
        log = handle.read()
    assert "Modules loaded." in log
    assert "loading crm_bsc_scorecard/" in log
    assert "loading crm_csf_planning/" in log
    assert not bad_lines(log), "\n".join(bad_lines(log))


def test_without_demo_install_upgrade_uninstall(odoo_run):
    # next to the test database, so that two checkouts can test at once
    db = os.environ.get("CRM_BSC_TEST_DB", "crm_bsc_test") + "_lifecycle"
    dropdb(db)
    try:
        rc, log = odoo_run(
            db, "-i", f"crm,{ADDONS}", "--without-demo=all", "--stop-after-init"
        )
        assert rc == 0, log[-3000:]
        assert not bad_lines(log), "\n".join(bad_lines(log))
        demo = subprocess.run(
            [
                "psql",
                "-X",
                "-d",
                db,
                "-tAc",
                "SELECT count(*) FROM ir_module_module WHERE demo",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        assert demo == "0", "demo data was loaded"
        generated = subprocess.run(
            [
                "psql",
                "-X",
                "-d",
                db,
                "-tAc",
                (
                    "SELECT (SELECT count(*) FROM ir_model WHERE model LIKE "
                    "'crm.%.demo'), (SELECT count(*) FROM ir_model_data WHERE "
                    "name LIKE 'demo\\_%' AND module LIKE 'crm\\_%')"
                ),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        # the demo generators are no models, and did not run without demo
        assert generated == "0|0", generated

        rc, log = odoo_run(db, "-u", ADDONS, "--stop-after-init")
        assert rc == 0, log[-3000:]
        assert not bad_lines(log), "\n".join(bad_lines(log))

        rc, log = odoo_run(db, stdin=UNINSTALL, command="shell")
        assert rc == 0, log[-3000:]
        assert not bad_lines(log), "\n".join(bad_lines(log))
        assert "STATES ['uninstalled']" in log, log[-3000:]
        assert "LEAD_FIELDS []" in log, log[-3000:]
        tables = subprocess.run(
            [
                "psql",
                "-X",
                "-d",
                db,
                "-tAc",
                (
                    "SELECT count(*) FROM pg_tables WHERE tablename LIKE "
                    "'crm\\_bsc\\_%' OR tablename LIKE 'crm\\_csf%'"
                ),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        assert tables == "0", "tables left after uninstall"
    finally:
        dropdb(db)
