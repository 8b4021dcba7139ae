"""Shared helpers for the top-level tests."""

import importlib.util
import pathlib
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
ADDONS = ("crm_bsc_scorecard", "crm_csf_planning")


def load_pure_module(addon, relpath):
    """Load a module of an addon that imports nothing from odoo, by path.

    Tier 1 runs without Odoo, so ``odoo.addons.<addon>`` cannot be imported;
    pure helpers under ``<addon>/tools`` are loaded from their file instead.
    """
    path = REPO / addon / relpath
    name = f"_pure_{addon}_{path.stem}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
