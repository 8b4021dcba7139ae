#!/usr/bin/env bash
# Runs all the project's tests.
#   Tier 1: pure-Python tests under tests/unit with pytest: no Odoo, no database.
#   Tier 2: when Odoo 18 is importable by $ODOO_PYTHON (default python3): a fresh
#           test database with both addons installed, then pytest-odoo over both
#           addons' tests/ packages and the top-level tests/integration.
# Ends with one line per tier; exits non-zero when either tier fails.
#
# Options: --tier1 (only tier 1), --tier2 (only tier 2), --keep-db (reuse the
# test database when it already has both addons), any other argument goes to
# pytest (for example -k segment or a test path).
# Environment: ODOO_PYTHON, ODOO_ADDONS_PATH, TEST_DB (default crm_bsc_test).
set -uo pipefail
# shellcheck source=setup/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$REPO_DIR" || exit 1

run_tier1=1
run_tier2=1
keep_db=0
pytest_args=()
for arg in "$@"; do
    case "$arg" in
        --tier1) run_tier2=0 ;;
        --tier2) run_tier1=0 ;;
        --keep-db) keep_db=1 ;;
        *) pytest_args+=("$arg") ;;
    esac
done

OUT_DIR="$REPO_DIR/.test-output"
mkdir -p "$OUT_DIR"
TEST_DB=${TEST_DB:-crm_bsc_test}
export PYTHONDONTWRITEBYTECODE=1

# Prints "passed failed" counted from a junit XML report.
junit_counts() {
    "$ODOO_PYTHON" - "$1" <<'PY'
import sys
import xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except (OSError, ET.ParseError):
    print("0 0")
    raise SystemExit
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
tests = failed = skipped = 0
for s in suites:
    tests += int(s.get("tests", 0))
    failed += int(s.get("failures", 0)) + int(s.get("errors", 0))
    skipped += int(s.get("skipped", 0))
print(tests - failed - skipped, failed)
PY
}

tier1_line="tier1: SKIPPED (not requested)"
tier2_line="tier2: SKIPPED (not requested)"
status=0

if [ "$run_tier1" = 1 ]; then
    say "== Tier 1: pure-Python tests =="
    pip_requirements "$REPO_DIR/setup/requirements-test.txt"
    rm -f "$OUT_DIR/tier1.xml"
    # pytest-odoo, when installed, imports odoo at start: tier 1 runs without it.
    "$ODOO_PYTHON" -m pytest -p no:odoo -p no:cacheprovider -q \
        --junitxml="$OUT_DIR/tier1.xml" tests/unit "${pytest_args[@]}"
    rc=$?
    read -r passed failed < <(junit_counts "$OUT_DIR/tier1.xml")
    if [ "$rc" != 0 ] && [ "$failed" = 0 ]; then
        failed=1  # collection error or crash: count it as a failure
    fi
    tier1_line="tier1: $passed passed, $failed failed"
    [ "$rc" = 0 ] || status=1
fi

if [ "$run_tier2" = 1 ]; then
    if ! odoo_available; then
        say "== Tier 2: skipped, $(odoo_missing_reason) =="
        tier2_line="tier2: SKIPPED (odoo not importable)"
    else
        say "== Tier 2: Odoo tests on database $TEST_DB =="
        t2_failed=0
        ensure_postgres || t2_failed=1
        if [ "$t2_failed" = 0 ]; then
            pip_requirements "$REPO_DIR/setup/requirements-test.txt"
            pip_requirements "$REPO_DIR/setup/requirements-odoo-test.txt"
            ensure_chromium
            install_addon_python_deps
            ADDONS_PATH=$(addons_path)
            export CRM_BSC_ADDONS_PATH="$ADDONS_PATH"
            export CRM_BSC_TEST_DB="$TEST_DB"
            export CRM_BSC_INSTALL_LOG="$OUT_DIR/install.log"
            installed=0
            if [ "$keep_db" = 1 ] && db_exists "$TEST_DB" && [ "$(psql -X -d "$TEST_DB" -tAc \
                "SELECT count(*) FROM ir_module_module WHERE state = 'installed' AND name IN ('crm_bsc_scorecard', 'crm_csf_planning')" 2>/dev/null)" = 2 ]; then
                say "Reusing $TEST_DB; upgrading both addons."
                odoo_cmd -d "$TEST_DB" --addons-path="$ADDONS_PATH" -u "$ADDONS" \
                    --stop-after-init --no-http --log-level=info >"$OUT_DIR/upgrade.log" 2>&1 \
                    && installed=1
            else
                drop_db "$TEST_DB"
                say "Installing crm and both addons with demo data (log: $CRM_BSC_INSTALL_LOG)."
                odoo_cmd -d "$TEST_DB" --addons-path="$ADDONS_PATH" -i "crm,$ADDONS" \
                    --stop-after-init --no-http --log-level=info >"$CRM_BSC_INSTALL_LOG" 2>&1 \
                    && installed=1
            fi
            if [ "$installed" = 0 ]; then
                warn "Installing the addons failed; the end of the log:"
                tail -n 40 "$OUT_DIR"/*.log >&2
                t2_failed=1
            fi
        fi
        if [ "$t2_failed" = 0 ]; then
            rm -f "$OUT_DIR/tier2.xml"
            "$ODOO_PYTHON" -m pytest -p no:cacheprovider -q \
                --odoo-database="$TEST_DB" --odoo-addons-path="$ADDONS_PATH" \
                --odoo-log-level=warn --odoo-http --junitxml="$OUT_DIR/tier2.xml" \
                crm_bsc_scorecard/tests crm_csf_planning/tests tests/integration \
                "${pytest_args[@]}"
            rc=$?
            read -r passed failed < <(junit_counts "$OUT_DIR/tier2.xml")
            if [ "$rc" != 0 ] && [ "$failed" = 0 ]; then
                failed=1
            fi
            tier2_line="tier2: $passed passed, $failed failed"
            [ "$rc" = 0 ] || status=1
        else
            tier2_line="tier2: 0 passed, 1 failed (setup failed)"
            status=1
        fi
    fi
fi

say "$tier1_line"
say "$tier2_line"
exit "$status"
