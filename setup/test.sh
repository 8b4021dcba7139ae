#!/usr/bin/env bash
# Runs all the project's tests.
#   Tier 1: pure-Python tests under tests/unit with pytest: no Odoo, no database.
#   Tier 2: when Odoo 18 is importable by $ODOO_PYTHON (default python3): a fresh
#           test database with crm and both addons installed, then pytest-odoo
#           over both addons' tests/ packages and the top-level
#           tests/integration; then the addons' tests again on a second
#           database where Sales (sale_crm) is installed too, which runs the
#           tests of sale orders as customer transactions.
# Ends with one line per tier; exits non-zero when either tier fails.
#
# Options: --tier1 (only tier 1), --tier2 (only tier 2), --keep-db (reuse the
# test databases when they already have both addons), --no-sales (skip the
# database with Sales), any other argument goes to pytest (for example
# -k segment or a test path).
# Environment: ODOO_PYTHON, ODOO_ADDONS_PATH, TEST_DB (default crm_bsc_test),
# SALES_DB (default $TEST_DB_sales).
set -uo pipefail
# shellcheck source=setup/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$REPO_DIR" || exit 1

run_tier1=1
run_tier2=1
keep_db=0
with_sales=1
pytest_args=()
for arg in "$@"; do
    case "$arg" in
        --tier1) run_tier2=0 ;;
        --tier2) run_tier1=0 ;;
        --keep-db) keep_db=1 ;;
        --no-sales) with_sales=0 ;;
        *) pytest_args+=("$arg") ;;
    esac
done

OUT_DIR="$REPO_DIR/.test-output"
mkdir -p "$OUT_DIR"
run_started="$OUT_DIR/.run-started"
touch "$run_started"
TEST_DB=${TEST_DB:-crm_bsc_test}
SALES_DB=${SALES_DB:-${TEST_DB}_sales}
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

# Makes database $1 with the modules $2 and demo data (log:
# $OUT_DIR/install$3.log), or, with --keep-db, reuses it when both addons are
# installed there and upgrades them (log: $OUT_DIR/upgrade$3.log).
prepare_db() {
    local db=$1 modules=$2 log rc
    if [ "$keep_db" = 1 ] && db_exists "$db" && [ "$(psql -X -d "$db" -tAc \
        "SELECT count(*) FROM ir_module_module WHERE state = 'installed' AND name IN ('crm_bsc_scorecard', 'crm_csf_planning')" 2>/dev/null)" = 2 ]; then
        log="$OUT_DIR/upgrade$3.log"
        rm -f "$OUT_DIR/install$3.log"
        say "Reusing $db; upgrading both addons."
        odoo_cmd -d "$db" --addons-path="$ADDONS_PATH" -u "$ADDONS" \
            --stop-after-init --no-http --log-level=info >"$log" 2>&1
    else
        log="$OUT_DIR/install$3.log"
        drop_db "$db"
        say "Installing $modules with demo data on $db (log: $log)."
        odoo_cmd -d "$db" --addons-path="$ADDONS_PATH" -i "$modules" \
            --stop-after-init --no-http --log-level=info >"$log" 2>&1
    fi
    rc=$?
    if [ "$rc" != 0 ]; then
        warn "Installing the addons on $db failed; the end of the log:"
        tail -n 40 "$log" >&2
    fi
    return "$rc"
}

# Runs the Odoo tests on database $1 (the suffix of its logs and reports:
# $2) over the test paths that follow; prints "passed failed" on stdout,
# pytest's own output on stderr.
run_tier2() {
    local db=$1 suffix=$2 rc passed failed
    local report="$OUT_DIR/tier2$suffix.xml"
    shift 2
    rm -f "$report"
    CRM_BSC_TEST_DB="$db" CRM_BSC_INSTALL_LOG="$OUT_DIR/install$suffix.log" \
        "$ODOO_PYTHON" -m pytest -p no:cacheprovider -q \
        --odoo-database="$db" --odoo-addons-path="$ADDONS_PATH" \
        --odoo-log-level=warn --odoo-http --junitxml="$report" \
        "$@" "${pytest_args[@]}" >&2
    rc=$?
    read -r passed failed < <(junit_counts "$report")
    if [ "$rc" != 0 ] && [ "$failed" = 0 ]; then
        failed=1  # collection error or crash: count it as a failure
    fi
    echo "$passed $failed"
}

tier1_line="tier1: SKIPPED (not requested)"
tier2_line="tier2: SKIPPED (not requested)"
status=0

if [ "$run_tier1" = 1 ]; then
    say "== Tier 1: pure-Python tests =="
    pip_requirements "$REPO_DIR/setup/requirements-test.txt"
    ensure_libreoffice
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
            ensure_libreoffice
            install_addon_python_deps
            ADDONS_PATH=$(addons_path)
            export CRM_BSC_ADDONS_PATH="$ADDONS_PATH"
            if ! prepare_db "$TEST_DB" "crm,$ADDONS" ""; then
                t2_failed=1
            elif [ "$with_sales" = 1 ] && ! prepare_db "$SALES_DB" \
                "crm,sale_crm,$ADDONS" "-sales"; then
                t2_failed=1
            fi
        fi
        if [ "$t2_failed" = 0 ]; then
            read -r passed failed < <(run_tier2 "$TEST_DB" "" \
                crm_bsc_scorecard/tests crm_csf_planning/tests tests/integration)
            tier2_line="tier2: $passed passed, $failed failed"
            [ "$failed" = 0 ] || status=1
            if [ "$with_sales" = 1 ]; then
                say "== Tier 2 again, with Sales installed, on database $SALES_DB =="
                # the addons' tests and the install log; the install, upgrade
                # and uninstall without demo data ran above
                read -r passed failed < <(run_tier2 "$SALES_DB" "-sales" \
                    crm_bsc_scorecard/tests crm_csf_planning/tests \
                    tests/integration/test_lifecycle.py::test_install_log_with_demo_is_clean)
                tier2_line="$tier2_line; with Sales installed: $passed passed, $failed failed"
                [ "$failed" = 0 ] || status=1
            fi
        else
            tier2_line="tier2: 0 passed, 1 failed (setup failed)"
            status=1
        fi
    fi
fi

# a test skipped for want of a browser or of LibreOffice says so here
reports=()
for report in "$OUT_DIR/tier1.xml" "$OUT_DIR/tier2.xml" "$OUT_DIR/tier2-sales.xml"; do
    [ -f "$report" ] && [ "$report" -nt "$run_started" ] && reports+=("$report")
done
[ ${#reports[@]} -gt 0 ] && skipped_tool_lines "${reports[@]}"
say "$tier1_line"
say "$tier2_line"
exit "$status"
