"""Helpers for the integration tests (tier 2, run by setup/test.sh)."""

import os
import re
import subprocess
import sys

import pytest

# A log line of Odoo at level WARNING or above ("2026-01-01 10:00:00,000 123
# WARNING db logger: message"), or a Python warning or traceback.
BAD_LOG_LINE = re.compile(
    r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) |Traceback \(most recent call last\)"
    r"|\w+Warning: ",
    re.MULTILINE,
)
ADDONS = "crm_bsc_scorecard,crm_csf_planning"


def bad_lines(log):
    return [line for line in log.splitlines() if BAD_LOG_LINE.search(line)]


@pytest.fixture(scope="session")
def addons_path():
    path = os.environ.get("CRM_BSC_ADDONS_PATH")
    if not path:
        pytest.skip("run through setup/test.sh, which sets CRM_BSC_ADDONS_PATH")
    return path


@pytest.fixture(scope="session")
def odoo_run(addons_path):
    """Run the Odoo command line on a database; return (returncode, log)."""

    def run(db, *args, stdin=None, command=None):
        cmd = [
            sys.executable,
            "-m",
            "odoo",
            *([command] if command else []),
            "-d",
            db,
            f"--addons-path={addons_path}",
            "--no-http",
            "--log-level=info",
            *args,
        ]
        proc = subprocess.run(
            cmd,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=1800,
            check=False,
        )
        return proc.returncode, proc.stdout + proc.stderr

    return run


def dropdb(name):
    subprocess.run(["dropdb", "--if-exists", name], check=True)
