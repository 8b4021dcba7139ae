"""Post-install tasks of setup/demo.sh, run with the Odoo interpreter.

Computes the indicators of every active scorecard of the demo database over
its whole history (every open period that has started), then prints a short
text summary of each scorecard: overall score, each perspective's score and
the indicators in critical state.

With --export-dir DIR, also writes the workbook of every active scorecard
(Export to Excel, as the demo's administrator reads it) to
DIR/crm_bsc_demo_scorecards.xlsx.

Usage: python setup/demo_tasks.py --database DB --addons-path PATH [--no-compute]
       [--export-dir DIR]
"""

import argparse
import sys
import time


def open_registry(database, addons_path):
    import odoo
    from odoo.tools import config

    config.parse_config(
        [f"--database={database}", f"--addons-path={addons_path}", "--log-level=warn"]
    )
    return odoo.modules.registry.Registry(database)


def fmt(score):
    return "  —  " if score is None else f"{score:5.1f}"


def compute_history(env):
    scorecards = env["crm.bsc.scorecard"].search([("state", "=", "active")])
    periods = env["crm.bsc.period"].search(
        [("state", "=", "open"), ("date_from", "<=", env.cr.now().date())]
    )
    started = time.monotonic()
    written = scorecards._compute_values(periods)
    return len(scorecards), len(periods), written, time.monotonic() - started


def summary_lines(env):
    lines = []
    scorecards = env["crm.bsc.scorecard"].search([("state", "=", "active")])
    for data in scorecards._summary():
        scorecard = data["scorecard"]
        period = data["period"].name or "no period"
        lines.append(
            f"{scorecard.name} [{period}]: overall {fmt(data['score'])} "
            f"({data['status']})"
        )
        for perspective, score, status in data["perspectives"]:
            lines.append(f"    {perspective.name:<24} {fmt(score)} ({status})")
        if data["critical"]:
            lines.append(
                "    critical: "
                + ", ".join(
                    f"{line.indicator_id.name} = {value:,.1f} "
                    f"(target {line.target:,.1f})"
                    for line, value in data["critical"]
                )
            )
    return lines


def export_workbook(env, directory):
    """Write the active scorecards' workbook as the administrator: the same
    export as the browser's download, in the administrator's language."""
    import pathlib

    admin = env.ref("base.user_admin")
    scorecards = (
        env["crm.bsc.scorecard"]
        .with_user(admin)
        .with_context(lang=admin.lang)
        .search([("state", "=", "active")])
    )
    content, _filename = scorecards._export_xlsx()
    path = pathlib.Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    target = path / "crm_bsc_demo_scorecards.xlsx"
    target.write_bytes(content)
    return target, len(scorecards)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--no-compute", action="store_true")
    parser.add_argument("--export-dir", help="write the scorecards' workbook here")
    args = parser.parse_args(argv)
    import odoo

    registry = open_registry(args.database, args.addons_path)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        if not args.no_compute:
            count, periods, written, seconds = compute_history(env)
            cr.commit()
            sys.stdout.write(
                f"Computed {count} scorecards over {periods} periods: "
                f"{written} values in {seconds:.1f} s.\n"
            )
        for line in summary_lines(env):
            sys.stdout.write(line + "\n")
        if args.export_dir:
            target, count = export_workbook(env, args.export_dir)
            sys.stdout.write(f"Workbook of {count} scorecards: {target}\n")
        csfs = env["crm.csf"].search_count([])
        sys.stdout.write(f"Critical success factors: {csfs}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
