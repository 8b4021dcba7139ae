#!/usr/bin/env python3
# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Translation upkeep for developers (not run by the tests).

    setup/i18n.py update --database DB [--addons-path PATH]
        exports each addon's template (.pot) from DB, where both addons are
        installed, with Odoo's own exporter; then brings every shipped .po
        in line with it: new messages added untranslated, translations of
        messages that are gone dropped, the others kept.
    setup/i18n.py missing [--json]
        lists the messages of each .po that have no translation yet (as
        JSON for a translator's tool with --json).
    setup/i18n.py fill FILE.json
        writes translations back: FILE.json maps "addon/lang" to
        {msgid: msgstr}.

Needs Odoo 18 only for ``update``; polib (which Odoo requires) for all.
"""

import argparse
import json
import pathlib
import subprocess
import sys
import tempfile

import polib

REPO = pathlib.Path(__file__).resolve().parent.parent
ADDONS = ("crm_bsc_scorecard", "crm_csf_planning")
LANGUAGES = ("uk", "ru", "fa")


def _export(database, addons_path, addon, target):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            "-d",
            database,
            f"--addons-path={addons_path}",
            f"--i18n-export={target}",
            f"--modules={addon}",
            "--stop-after-init",
            "--no-http",
            "--log-level=warn",
        ],
        check=True,
    )


def _pretty(paths):
    """Format .po files as OCA's po-pretty-format check wants them (the
    lint's), when its hooks are installed (setup/requirements-lint.txt)."""
    paths = [str(path) for path in paths]
    if not paths:
        return
    subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "import sys; from oca_pre_commit_hooks.cli_po import main; "
                "sys.exit(main())"
            ),
            "--fix",
            "--no-exit",
            "--no-verbose",
            *paths,
        ],
        check=False,
    )


def _po_files():
    return [
        REPO / addon / "i18n" / f"{lang}.po"
        for addon in ADDONS
        for lang in LANGUAGES
        if (REPO / addon / "i18n" / f"{lang}.po").exists()
    ]


def update(args):
    addons_path = args.addons_path or str(REPO)
    for addon in ADDONS:
        i18n = REPO / addon / "i18n"
        with tempfile.TemporaryDirectory() as tmp:
            target = pathlib.Path(tmp) / f"{addon}.pot"
            _export(args.database, addons_path, addon, target)
            (i18n / f"{addon}.pot").write_bytes(target.read_bytes())
        template = polib.pofile(str(i18n / f"{addon}.pot"))
        for lang in LANGUAGES:
            path = i18n / f"{lang}.po"
            if not path.exists():
                continue
            catalog = polib.pofile(str(path))
            # like msgmerge: new messages untranslated, the others kept
            catalog.merge(template)
            for entry in catalog.obsolete_entries():
                catalog.remove(entry)
            for entry in catalog:
                entry.flags = [flag for flag in entry.flags if flag != "fuzzy"] + (
                    ["fuzzy"] if "fuzzy" in entry.flags and entry.msgstr else []
                )
            catalog.save(str(path))
    _pretty(_po_files())
    missing(argparse.Namespace(json=False))


def missing(args):
    result = {}
    for addon in ADDONS:
        for lang in LANGUAGES:
            path = REPO / addon / "i18n" / f"{lang}.po"
            if not path.exists():
                continue
            todo = [
                entry.msgid
                for entry in polib.pofile(str(path))
                if entry.msgid and not entry.msgstr and not entry.obsolete
            ]
            if todo:
                result[f"{addon}/{lang}"] = todo
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    else:
        for key, todo in result.items():
            print(f"{key}: {len(todo)} untranslated")
    return result


def fill(args):
    data = json.loads(pathlib.Path(args.file).read_text())
    for key, strings in data.items():
        addon, lang = key.split("/")
        path = REPO / addon / "i18n" / f"{lang}.po"
        catalog = polib.pofile(str(path))
        for entry in catalog:
            if strings.get(entry.msgid):
                entry.msgstr = strings[entry.msgid]
        catalog.save(str(path))
    _pretty(_po_files())
    missing(argparse.Namespace(json=False))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    upd = commands.add_parser("update")
    upd.add_argument("--database", required=True)
    upd.add_argument("--addons-path")
    miss = commands.add_parser("missing")
    miss.add_argument("--json", action="store_true")
    fil = commands.add_parser("fill")
    fil.add_argument("file")
    args = parser.parse_args()
    {"update": update, "missing": missing, "fill": fill}[args.command](args)


if __name__ == "__main__":
    main()
