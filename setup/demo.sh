#!/usr/bin/env bash
# The main job: a demo database with crm and both addons, served by Odoo.
#
#   setup/demo.sh [--reset] [--no-serve] [--port PORT]
#
# Makes sure PostgreSQL runs (starts an installed local cluster that is down,
# creates the role of the current user when missing), installs the Python
# dependencies the addons declare, creates the database crm_bsc_demo with crm
# and both addons and their demo data (kept when it exists, its addons then
# upgraded; --reset recreates it), computes the indicators, writes the
# scorecards' Excel workbook to ./out/, then serves Odoo on
# http://localhost:8069.
# --no-serve does all the rest and exits 0.
# Environment: ODOO_PYTHON (default python3), ODOO_ADDONS_PATH, DEMO_DB.
set -uo pipefail
# shellcheck source=setup/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$REPO_DIR" || exit 1

reset=0
serve=1
port=${PORT:-8069}
DEMO_DB=${DEMO_DB:-crm_bsc_demo}
while [ $# -gt 0 ]; do
    case "$1" in
        --reset) reset=1 ;;
        --no-serve) serve=0 ;;
        --port) port=$2; shift ;;
        --port=*) port=${1#--port=} ;;
        -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) warn "Unknown option: $1 (see --help)"; exit 64 ;;
    esac
    shift
done

if ! odoo_available; then
    explain_odoo_install
    exit 2
fi

ensure_postgres || exit 1
install_addon_python_deps || exit 1
ADDONS_PATH=$(addons_path)
LOG_DIR="$REPO_DIR/.test-output"
mkdir -p "$LOG_DIR"

if [ "$reset" = 1 ]; then
    say "Dropping $DEMO_DB (--reset)."
    drop_db "$DEMO_DB"
fi

if db_exists "$DEMO_DB"; then
    state=$(psql -X -d "$DEMO_DB" -tAc "SELECT string_agg(name, ',' ORDER BY name) FROM ir_module_module WHERE state = 'installed' AND name IN ('crm_bsc_scorecard', 'crm_csf_planning')" 2>/dev/null)
    if [ "$state" = "crm_bsc_scorecard,crm_csf_planning" ]; then
        say "Database $DEMO_DB exists: upgrading the addons."
        action=(-u "$ADDONS")
    else
        say "Database $DEMO_DB exists: installing the addons."
        action=(-i "crm,$ADDONS")
    fi
else
    say "Creating $DEMO_DB with crm, both addons and their demo data (a few minutes)."
    action=(-i "crm,$ADDONS")
fi
if ! odoo_cmd -d "$DEMO_DB" --addons-path="$ADDONS_PATH" "${action[@]}" \
    --stop-after-init --no-http --log-level=warn >"$LOG_DIR/demo-install.log" 2>&1; then
    warn "Odoo failed; the end of $LOG_DIR/demo-install.log:"
    tail -n 30 "$LOG_DIR/demo-install.log" >&2
    exit 1
fi

"$ODOO_PYTHON" "$REPO_DIR/setup/demo_tasks.py" --database "$DEMO_DB" \
    --addons-path "$ADDONS_PATH" --export-dir "$REPO_DIR/out" || exit 1

say ""
say "Demo database: $DEMO_DB"
say "URL:           http://localhost:$port/odoo/crm?db=$DEMO_DB"
say "Login:         admin / admin"
if [ "$serve" = 0 ]; then
    exit 0
fi
say "Serving Odoo (Ctrl+C stops it)."
exec "$ODOO_PYTHON" -m odoo -d "$DEMO_DB" --addons-path="$ADDONS_PATH" \
    --http-port="$port" --db-filter="^${DEMO_DB}\$" --log-level=warn
