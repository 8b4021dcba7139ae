"""Shared helpers for the top-level tests."""

import importlib.util
import pathlib
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
ADDONS = ("crm_bsc_scorecard", "crm_csf_planning")


def load_pure_module(addon, relpath):
    """Load a module of an addon that imports nothing from odoo, by path.

    Tier 1 runs without Odoo, so ``odoo.addons.<addon>`` cannot be imported;
    the pure helpers under ``<addon>/tools`` are loaded as a stand-alone
    package instead, so that their relative imports between each other work.
    """
    path = REPO / addon / relpath
    package_dir = path.parent
    package = f"_pure_{addon}_{package_dir.name}"
    if package not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            package,
            package_dir / "__init__.py",
            submodule_search_locations=[str(package_dir)],
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules[package] = module
        spec.loader.exec_module(module)
    return importlib.import_module(f"{package}.{path.stem}")
