# Shared helpers for the project's scripts (sourced, never run directly).
# shellcheck shell=bash

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_PYTHON=${ODOO_PYTHON:-python3}
ADDONS="crm_bsc_scorecard,crm_csf_planning"

say() { printf '%s\n' "$*"; }
warn() { printf '%s\n' "$*" >&2; }

# True when the selected interpreter imports an Odoo 18.x server.
odoo_available() {
    "$ODOO_PYTHON" - >/dev/null 2>&1 <<'PY'
import odoo.release
assert odoo.release.version_info[0] == 18
PY
}

# One line saying why Odoo cannot be used, for messages.
odoo_missing_reason() {
    if ! command -v "$ODOO_PYTHON" >/dev/null 2>&1; then
        printf 'the interpreter %s does not exist' "$ODOO_PYTHON"
        return
    fi
    "$ODOO_PYTHON" - 2>/dev/null <<'PY' || printf 'odoo is not importable by %s' "$ODOO_PYTHON"
try:
    import odoo.release
except Exception:
    raise SystemExit(1)
print("%s has Odoo %s, not 18.0" % (__import__("sys").executable, odoo.release.version))
PY
}

explain_odoo_install() {
    cat >&2 <<EOF
Odoo 18.0 is required: $(odoo_missing_reason).
Install Odoo 18.0 Community into that interpreter, for example:
  git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo.git /opt/odoo18
  $ODOO_PYTHON -m pip install -r /opt/odoo18/requirements.txt
  $ODOO_PYTHON -m pip install --no-deps -e /opt/odoo18
or point ODOO_PYTHON at the python of a virtualenv that already has it:
  ODOO_PYTHON=/path/to/venv/bin/python $0
EOF
}

# The addons path: Odoo's own (from its defaults or the user's config file),
# then this repository. ODOO_ADDONS_PATH replaces Odoo's part.
addons_path() {
    local base=${ODOO_ADDONS_PATH:-}
    if [ -z "$base" ]; then
        base=$("$ODOO_PYTHON" - 2>/dev/null <<'PY'
from odoo.tools import config
config.parse_config([])
print(config["addons_path"])
PY
)
    fi
    if [ -n "$base" ]; then
        printf '%s,%s' "$base" "$REPO_DIR"
    else
        printf '%s' "$REPO_DIR"
    fi
}

# Runs the Odoo server command line with the selected interpreter.
odoo_cmd() {
    "$ODOO_PYTHON" -m odoo "$@"
}

psql_ok() {
    psql -X -q -d postgres -c 'SELECT 1' >/dev/null 2>&1
}

# Makes sure a PostgreSQL server answers and that the current OS user has a
# role on it: starts an installed local cluster that is down, installs the
# Debian server package when none is installed (root only), creates the role.
ensure_postgres() {
    if psql_ok; then
        return 0
    fi
    local as_postgres=()
    if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
        as_postgres=(runuser -u postgres --)
    elif command -v sudo >/dev/null 2>&1; then
        as_postgres=(sudo -n -u postgres)
    fi
    if ! command -v pg_lsclusters >/dev/null 2>&1 && [ "$(id -u)" = 0 ] \
        && command -v apt-get >/dev/null 2>&1; then
        say "PostgreSQL is not installed: installing the Debian package postgresql."
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null \
            || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive \
                apt-get install -y -q postgresql >/dev/null; } \
            || { warn "Could not install PostgreSQL."; return 1; }
        as_postgres=(runuser -u postgres --)
    fi
    if command -v pg_lsclusters >/dev/null 2>&1; then
        local ver name status
        while read -r ver name _ status _; do
            if [ "$status" != "online" ]; then
                say "Starting PostgreSQL cluster $ver/$name."
                pg_ctlcluster "$ver" "$name" start 2>/dev/null \
                    || "${as_postgres[@]}" pg_ctlcluster "$ver" "$name" start \
                    || warn "Could not start PostgreSQL cluster $ver/$name."
            fi
        done < <(pg_lsclusters --no-header 2>/dev/null)
        local i
        for i in $(seq 1 30); do
            pg_isready -q 2>/dev/null && break
            sleep 1
        done
    fi
    if psql_ok; then
        return 0
    fi
    local me
    me=$(id -un)
    if [ ${#as_postgres[@]} -gt 0 ] \
        && "${as_postgres[@]}" psql -X -q -d postgres -tAc 'SELECT 1' >/dev/null 2>&1; then
        if ! "${as_postgres[@]}" psql -X -q -d postgres -tAc \
            "SELECT 1 FROM pg_roles WHERE rolname = '$me'" | grep -q 1; then
            say "Creating the PostgreSQL role $me."
            "${as_postgres[@]}" createuser --superuser "$me"
        fi
    fi
    if psql_ok; then
        return 0
    fi
    warn "PostgreSQL does not answer for user $(id -un): start a server and create a role"
    warn "for this user (createuser --superuser $(id -un)), or set PGHOST/PGUSER/PGPASSWORD."
    return 1
}

# Makes sure a Chromium that Odoo's browser tests (tours) can drive is
# installed: Debian's chromium package when none is found and this runs as root.
ensure_chromium() {
    local exe
    for exe in chromium chromium-browser google-chrome google-chrome-stable; do
        command -v "$exe" >/dev/null 2>&1 && return 0
    done
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "Installing Chromium for the browser tests (Debian package chromium)."
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 \
            || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive \
                apt-get install -y -q chromium >/dev/null 2>&1; } \
            && return 0
    fi
    warn "Chromium is not installed: the browser tests will be skipped."
    return 0
}

db_exists() {
    [ "$(psql -X -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]
}

# Drops a database and its filestore.
drop_db() {
    if db_exists "$1"; then
        dropdb --if-exists "$1"
    fi
    local data_dir
    data_dir=$("$ODOO_PYTHON" -c 'from odoo.tools import config; config.parse_config([]); print(config["data_dir"])' 2>/dev/null)
    if [ -n "$data_dir" ] && [ -d "$data_dir/filestore/$1" ]; then
        rm -rf "${data_dir:?}/filestore/$1"
    fi
}

# Installs the Python packages named in the addons' external dependencies
# (PyPI names, as OCA manifests give them) that are not importable yet.
install_addon_python_deps() {
    local missing
    missing=$("$ODOO_PYTHON" - "$REPO_DIR" <<'PY'
import ast, importlib.metadata as md, pathlib, re, sys
wanted = set()
for manifest in pathlib.Path(sys.argv[1]).glob("*/__manifest__.py"):
    data = ast.literal_eval(manifest.read_text())
    wanted.update(data.get("external_dependencies", {}).get("python", []))
missing = []
for req in sorted(wanted):
    name = re.split(r"[<>=!~ \[]", req, maxsplit=1)[0]
    try:
        md.version(name)
    except md.PackageNotFoundError:
        missing.append(req)
print(" ".join(missing))
PY
)
    if [ -n "$missing" ]; then
        say "Installing the addons' Python dependencies: $missing"
        # shellcheck disable=SC2086
        "$ODOO_PYTHON" -m pip install -q $missing
    fi
}

# Installs the packages of a requirements file when one of them is missing.
pip_requirements() {
    local req=$1
    if ! "$ODOO_PYTHON" - "$req" >/dev/null 2>&1 <<'PY'
import importlib.metadata as md, re, sys
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    if not line:
        continue
    name, _, version = re.split(r"(==)", line, maxsplit=1) if "==" in line else (line, "", "")
    installed = md.version(name.strip())
    if version and installed != version.strip():
        raise SystemExit(1)
PY
    then
        say "Installing $(basename "$req")"
        "$ODOO_PYTHON" -m pip install -q --disable-pip-version-check -r "$req"
    fi
}

# Makes sure LibreOffice is installed, for the test that opens the exported
# workbook with it: Debian's libreoffice-calc-nogui when none is found and
# this runs as root. Without it that test is skipped, and says so.
ensure_libreoffice() {
    local exe
    for exe in soffice libreoffice; do
        command -v "$exe" >/dev/null 2>&1 && return 0
    done
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "Installing LibreOffice for the workbook test (Debian package libreoffice-calc-nogui)."
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
            libreoffice-calc-nogui >/dev/null 2>&1 \
            || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive \
                apt-get install -y -q --no-install-recommends libreoffice-calc-nogui \
                >/dev/null 2>&1; } \
            && return 0
    fi
    warn "LibreOffice is not installed: the workbook conversion tests will be skipped."
    return 0
}

# Prints one line per kind of test that was skipped for want of a tool (a
# browser for the tours, LibreOffice for the workbook), read from the junit
# reports given; nothing when none was.
skipped_tool_lines() {
    "$ODOO_PYTHON" - "$@" <<'PY'
import sys
import xml.etree.ElementTree as ET
kinds = {
    "browser tours": ("chrom", "browser", "devtools", "websocket"),
    "LibreOffice workbook conversion": ("libreoffice",),
}
found = {}
for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        continue
    for case in root.iter("testcase"):
        for skipped in case.findall("skipped"):
            message = (skipped.get("message") or "").lower()
            for kind, words in kinds.items():
                if any(word in message for word in words):
                    found.setdefault(kind, []).append(case.get("name"))
for kind, names in found.items():
    print(f"SKIPPED {kind}: {len(names)} test(s) ({', '.join(sorted(set(names)))}): tool missing")
PY
}
