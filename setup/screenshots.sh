#!/usr/bin/env bash
# The README's screenshots, refreshed from the demo database.
#
#   setup/screenshots.sh [--out DIR] [--size WIDTHxHEIGHT]
#
# Uses the demo database (made with setup/demo.sh --no-serve when it is
# missing), serves it with Odoo on a free loopback port for the duration,
# logs in as admin/admin and drives headless Chromium through the DevTools
# protocol to capture the scorecard dashboard, the "All customers" scorecard,
# its strategy map with an objective's side panel open, and the exported
# workbook as LibreOffice converts it to HTML. Writes dashboard.png,
# scorecard.png, strategy_map.png and workbook.png to docs/screenshots/ (or
# --out DIR) at 1440x900 (or --size). Installs Debian's chromium,
# libreoffice-calc-nogui and the Carlito font (Calibri's metrics, for the
# workbook) when missing and it runs as root.
# Environment: ODOO_PYTHON (default python3), ODOO_ADDONS_PATH, DEMO_DB.
set -uo pipefail
# shellcheck source=setup/lib.sh
source "$(dirname "$0")/lib.sh"
caller_dir=$PWD
cd "$REPO_DIR" || exit 1

out="$REPO_DIR/docs/screenshots"
size=1440x900
DEMO_DB=${DEMO_DB:-crm_bsc_demo}
while [ $# -gt 0 ]; do
    case "$1" in
        --out) out=$2; shift ;;
        --out=*) out=${1#--out=} ;;
        --size) size=$2; shift ;;
        --size=*) size=${1#--size=} ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) warn "Unknown option: $1 (see --help)"; exit 64 ;;
    esac
    shift
done
case "$out" in
    /*) ;;
    *) out="$caller_dir/$out" ;;
esac
if ! [[ $size =~ ^[1-9][0-9]*x[1-9][0-9]*$ ]]; then
    warn "--size: expected WIDTHxHEIGHT (1440x900), got '$size'"
    exit 64
fi

# Carlito has Calibri's metrics (xlsxwriter's default font) and fontconfig
# stands it in for Calibri: the workbook's columns then look as in Excel.
ensure_carlito() {
    if fc-list -q Carlito 2>/dev/null; then
        return 0
    fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "Installing the Carlito font for the workbook (Debian package fonts-crosextra-carlito)."
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-crosextra-carlito \
            >/dev/null 2>&1 \
            || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive \
                apt-get install -y -q fonts-crosextra-carlito >/dev/null 2>&1; } \
            && return 0
    fi
    warn "The Carlito font is not installed: the workbook is shown in a fallback font."
}

if ! odoo_available; then
    explain_odoo_install
    exit 2
fi
ensure_postgres || exit 1
ensure_chromium
ensure_libreoffice
ensure_carlito
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1 \
    && ! command -v google-chrome >/dev/null 2>&1; then
    warn "Chromium is needed for the screenshots (Debian package chromium)."
    exit 1
fi
if ! command -v soffice >/dev/null 2>&1 && ! command -v libreoffice >/dev/null 2>&1; then
    warn "LibreOffice is needed for the workbook's screenshot (Debian package libreoffice-calc-nogui)."
    exit 1
fi
pip_requirements "$REPO_DIR/setup/requirements-odoo-test.txt" || exit 1

installed=""
if db_exists "$DEMO_DB"; then
    installed=$(psql -X -d "$DEMO_DB" -tAc "SELECT count(*) FROM ir_module_module WHERE state = 'installed' AND name IN ('crm_bsc_scorecard', 'crm_csf_planning')" 2>/dev/null)
fi
if [ "$installed" != 2 ]; then
    say "No demo database $DEMO_DB with both addons: making it (setup/demo.sh --no-serve)."
    DEMO_DB=$DEMO_DB "$REPO_DIR/setup/demo.sh" --no-serve || exit 1
fi

exec "$ODOO_PYTHON" "$REPO_DIR/setup/screenshots.py" --database "$DEMO_DB" \
    --addons-path "$(addons_path)" --out "$out" \
    --width "${size%x*}" --height "${size#*x}" --odoo-python "$ODOO_PYTHON"
