#!/usr/bin/env bash
# Lint: ruff (lint and format check), pylint-odoo with the mandatory checks
# of .pylintrc, and OCA's module checks on XML, CSV and manifests.
# --fix applies ruff's fixes and formatting instead of only checking.
set -uo pipefail
# shellcheck source=setup/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$REPO_DIR" || exit 1
PY=${LINT_PYTHON:-$ODOO_PYTHON}
ODOO_PYTHON=$PY pip_requirements "$REPO_DIR/setup/requirements-lint.txt"

status=0
if [ "${1:-}" = "--fix" ]; then
    "$PY" -m ruff check --fix . || status=1
    "$PY" -m ruff format . || status=1
else
    say "== ruff check =="
    "$PY" -m ruff check . || status=1
    say "== ruff format --check =="
    "$PY" -m ruff format --check . || status=1
fi
say "== pylint-odoo =="
"$PY" -m pylint --rcfile=.pylintrc crm_bsc_scorecard crm_csf_planning || status=1
say "== oca-checks-odoo-module =="
mapfile -t module_files < <(git ls-files --cached --others --exclude-standard \
    crm_bsc_scorecard crm_csf_planning 2>/dev/null)
"$PY" -c 'import sys; from oca_pre_commit_hooks.cli import main; sys.exit(main())' \
    "${module_files[@]}" || status=1
say "== oca-checks-po =="
mapfile -t po_files < <(printf '%s\n' "${module_files[@]}" | grep -E '\.pot?$')
if [ ${#po_files[@]} -gt 0 ]; then
    "$PY" -c 'import sys; from oca_pre_commit_hooks.cli_po import main; sys.exit(main())' \
        "${po_files[@]}" || status=1
fi

if [ "$status" = 0 ]; then
    say "lint: clean"
else
    say "lint: FAILED"
fi
exit "$status"
