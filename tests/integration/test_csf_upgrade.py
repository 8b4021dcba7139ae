"""Upgrade of crm_csf_planning from 18.0.1.0.0 (one model, the seven
strategic factors seeded as factors): the seven survive, with their names,
translations and ids, and become factors of the matching categories."""

import os
import shutil
import subprocess

import pytest

from conftest import bad_lines, dropdb

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OLD_VERSION = '"version": "18.0.1.0.0"'

CHECK = """
csfs = env["crm.csf"].with_context(active_test=False).search(
    [("code", "!=", False)], order="id"
)
print("CSFS", [(c.code, c.category_id.code, c.level, c.company_id.id) for c in csfs])
print("XMLIDS", sorted(
    x.name for x in env["ir.model.data"].search(
        [("module", "=", "crm_csf_planning"), ("model", "=", "crm.csf")]
    )
))
print("NAME_RU", env.ref("crm_csf_planning.csf_staff").with_context(lang="ru_RU").name)
print("WITHOUT_CATEGORY", env["crm.csf"].search_count([("category_id", "=", False)]))
print("VERSION", env["ir.module.module"].search(
    [("name", "=", "crm_csf_planning")]).latest_version)
"""


def _old_commit():
    """The newest commit whose crm_csf_planning is at version 18.0.1.0.0."""
    log = subprocess.run(
        [
            "git",
            "-C",
            REPO,
            "log",
            "--format=%H",
            "--",
            "crm_csf_planning/__manifest__.py",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    for commit in log.stdout.split():
        manifest = subprocess.run(
            ["git", "-C", REPO, "show", f"{commit}:crm_csf_planning/__manifest__.py"],
            capture_output=True,
            text=True,
            check=False,
        )
        if OLD_VERSION in manifest.stdout:
            return commit
    return None


def test_upgrade_from_18_0_1_0_0_keeps_the_seven_factors(
    odoo_run, addons_path, tmp_path
):
    commit = _old_commit()
    if not commit:
        pytest.skip("no commit of version 18.0.1.0.0 in this checkout's history")
    old = tmp_path / "old"
    old.mkdir()
    archive = subprocess.run(
        ["git", "-C", REPO, "archive", commit, "crm_csf_planning"],
        capture_output=True,
        check=True,
    )
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
    # the current scorecard addon next to the old planning addon
    shutil.copytree(os.path.join(REPO, "crm_bsc_scorecard"), old / "crm_bsc_scorecard")
    base_path = ",".join(
        p for p in addons_path.split(",") if os.path.abspath(p) != REPO
    )
    db = os.environ.get("CRM_BSC_TEST_DB", "crm_bsc_test") + "_upgrade"
    dropdb(db)
    try:
        rc, log = odoo_run(
            db,
            f"--addons-path={base_path},{old}",
            "-i",
            "crm,crm_bsc_scorecard,crm_csf_planning",
            "--without-demo=all",
            "--load-language=ru_RU",
            "--stop-after-init",
        )
        assert rc == 0, log[-3000:]
        rc, log = odoo_run(
            db,
            f"--addons-path={base_path},{REPO}",
            "-u",
            "crm_bsc_scorecard,crm_csf_planning",
            "--stop-after-init",
        )
        assert rc == 0, log[-3000:]
        assert not bad_lines(log), "\n".join(bad_lines(log))
        rc, out = odoo_run(
            db, f"--addons-path={base_path},{REPO}", stdin=CHECK, command="shell"
        )
        assert rc == 0, out[-3000:]
        codes = [
            "planning",
            "communications",
            "technology",
            "staff",
            "protection",
            "development",
            "contribution",
        ]
        line = next(li for li in out.splitlines() if li.startswith("CSFS"))
        for code in codes:
            assert f"('{code}', '{code}', 'enterprise'," in line, line
        assert "None" not in line and ", False)" not in line, line
        xmlids = next(li for li in out.splitlines() if li.startswith("XMLIDS"))
        for code in codes:
            assert f"'csf_{code}'" in xmlids, xmlids
        assert "WITHOUT_CATEGORY 0" in out, out[-2000:]
        assert "VERSION 18.0.1.1.0" in out, out[-2000:]
        # the Russian name the old version loaded is kept
        assert "NAME_RU Развитие персонала" in out, out[-2000:]
    finally:
        dropdb(db)
