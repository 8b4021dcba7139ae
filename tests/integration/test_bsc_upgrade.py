"""Upgrade of crm_bsc_scorecard from 18.0.1.1.0 on a database that still has
what earlier versions stored on each indicator value (a NOT NULL copy of the
granularity, a foreign key to the perspective, full indexes where they are
now partial or none): the migration to 18.0.1.2.0 drops them, Odoo then
creates the partial indexes, and values can be written again."""

import os
import subprocess

from conftest import bad_lines, dropdb

OLD_SCHEMA = """
ALTER TABLE crm_bsc_indicator_value
    ADD COLUMN period_type varchar NOT NULL DEFAULT 'month',
    ADD COLUMN perspective_id integer REFERENCES crm_bsc_perspective (id);
ALTER TABLE crm_bsc_indicator_value ALTER COLUMN period_type DROP DEFAULT;
DROP INDEX crm_bsc_indicator_value__segment_id_index;
CREATE INDEX crm_bsc_indicator_value__segment_id_index
    ON crm_bsc_indicator_value (segment_id);
CREATE INDEX crm_bsc_indicator_value__indicator_id_index
    ON crm_bsc_indicator_value (indicator_id);
UPDATE ir_module_module SET latest_version = '18.0.1.1.0'
 WHERE name = 'crm_bsc_scorecard';
"""

CHECK = """
today = env.cr.now().date()
indicator = env["crm.bsc.indicator"].create({
    "name": "Upgrade check",
    "code": "upgrade_check",
    "perspective_id": env.ref("crm_bsc_scorecard.perspective_financial").id,
})
period = env["crm.bsc.period"]._generate("month", today, today)[:1]
value = env["crm.bsc.indicator.value"].create(
    {"indicator_id": indicator.id, "period_id": period.id, "value": 3.0}
)
value.flush_recordset()
print("VALUE", value.value)
print("VERSION", env["ir.module.module"].search(
    [("name", "=", "crm_bsc_scorecard")]).latest_version)
env.cr.rollback()
"""


def psql(db, query):
    return subprocess.run(
        ["psql", "-X", "-v", "ON_ERROR_STOP=1", "-d", db, "-tAc", query],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_upgrade_from_18_0_1_1_0_drops_the_old_columns_and_indexes(odoo_run):
    db = os.environ.get("CRM_BSC_TEST_DB", "crm_bsc_test") + "_bsc_upgrade"
    dropdb(db)
    try:
        rc, log = odoo_run(
            db, "-i", "crm,crm_bsc_scorecard", "--without-demo=all", "--stop-after-init"
        )
        assert rc == 0, log[-3000:]
        subprocess.run(
            ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db],
            input=OLD_SCHEMA,
            text=True,
            check=True,
        )
        rc, log = odoo_run(db, "-u", "crm_bsc_scorecard", "--stop-after-init")
        assert rc == 0, log[-3000:]
        assert not bad_lines(log), "\n".join(bad_lines(log))
        columns = psql(
            db,
            "SELECT count(*) FROM information_schema.columns WHERE table_name = "
            "'crm_bsc_indicator_value' AND column_name IN "
            "('period_type', 'perspective_id')",
        )
        assert columns == "0", "the old columns are still there"
        indexes = dict(
            line.split("|", 1)
            for line in psql(
                db,
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE tablename = 'crm_bsc_indicator_value'",
            ).splitlines()
        )
        assert "crm_bsc_indicator_value__indicator_id_index" not in indexes
        assert "WHERE" in indexes["crm_bsc_indicator_value__segment_id_index"]
        assert "crm_bsc_indicator_value_key" in indexes
        rc, out = odoo_run(db, stdin=CHECK, command="shell")
        assert rc == 0, out[-3000:]
        assert "VALUE 3.0" in out, out[-3000:]
        assert "VERSION 18.0.1.2.0" in out, out[-3000:]
    finally:
        dropdb(db)
