#!/usr/bin/env bash
# The benchmark of the scorecard engine (not a test: setup/test.sh does not
# run it). Builds a reproducible synthetic CRM with bulk SQL, one database per
# scale (crm_bsc_bench_<N>, kept between runs), and prints:
#   (a) the time to compute every indicator of six scorecards (all customers
#       and one per segment) over 36 monthly periods, with their channel,
#       salesperson and team breakdowns;
#   (b) the floor: the same numbers from hand-written SQL, (a)/(b), and a
#       check of every stored value against them;
#   (c) the naive way (ORM searches and Python loops) at a small scale, and
#       (c)/(a) there, with the same check;
#   (d) the incremental recompute after 1 % of the leads changed, as a share
#       of (a) (the changes are rolled back);
#   (e) the peak memory of the computing process at two scales.
#   customer analytics (setup/bench/analytics.py): the BG/NBD, MBG/NBD
#       and Gamma-Gamma fits against the lifetimes package (installed into
#       .bench-output/lifetimes-venv, never a dependency of the addons),
#       scoring and writing every customer against a bulk update of one
#       column, rescoring after one won opportunity.
# The last lines are the figures, one per line.
#
#   setup/bench.sh [--partners N] [--small-partners N] [--memory-scales A,B]
#                  [--rebuild] [--skip-memory] [--skip-analytics]
#                  [--analytics-only] [--quick]
#
#   --partners N         customers at the main scale, ten leads each (100000)
#   --small-partners N   customers at the scale of the naive way (1000)
#   --memory-scales A,B  the scales of the memory figure (10000,100000)
#   --rebuild            recreate the databases
#   --skip-memory        no memory figure
#   --skip-analytics     no customer analytics part
#   --analytics-only     only the customer analytics part
#   --quick              10000 customers at the main scale, memory at 1000
#                        and 10000: a fast check of the whole run
# Environment: ODOO_PYTHON (default python3), ODOO_ADDONS_PATH.
# Output is also saved in .bench-output/.
set -uo pipefail
# shellcheck source=setup/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$REPO_DIR" || exit 1

for arg in "$@"; do
    case "$arg" in
        -h|--help) sed -n '2,36p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    esac
done

if ! odoo_available; then
    warn "bench: the benchmark needs Odoo 18."
    explain_odoo_install
    exit 2
fi

ensure_postgres || exit 1
install_addon_python_deps || exit 1
ADDONS_PATH=$(addons_path)
export PYTHONDONTWRITEBYTECODE=1
exec "$ODOO_PYTHON" "$REPO_DIR/setup/bench/bench.py" --addons-path "$ADDONS_PATH" "$@"
