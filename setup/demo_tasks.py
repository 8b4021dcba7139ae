"""Post-install tasks of setup/demo.sh, run with the Odoo interpreter.

Opens the demo database and prints a short text summary of what the addons
hold. Usage: python setup/demo_tasks.py --database DB --addons-path PATH
"""

import argparse
import sys


def open_env(database, addons_path):
    import odoo
    from odoo.tools import config

    config.parse_config(
        [f"--database={database}", f"--addons-path={addons_path}", "--log-level=warn"]
    )
    registry = odoo.modules.registry.Registry(database)
    return registry


def summary(env):
    lines = []
    perspectives = env["crm.bsc.perspective"].search([])
    lines.append(
        "Perspectives: " + ", ".join(perspectives.mapped("name"))
        if perspectives
        else "Perspectives: none"
    )
    csfs = env["crm.csf"].search([])
    lines.append(f"Critical success factors: {len(csfs)}")
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", required=True)
    parser.add_argument("--addons-path", required=True)
    args = parser.parse_args(argv)
    import odoo

    registry = open_env(args.database, args.addons_path)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        for line in summary(env):
            sys.stdout.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
