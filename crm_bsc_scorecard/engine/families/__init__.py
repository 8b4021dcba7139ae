# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The families of built-in indicators: registered here, and only here.

A new family is a module of this package ending with ``FAMILY = ...`` (see
``engine/family.py``), imported and listed below; its built-ins name it in
``tools/builtins.py``. The registry checks that every built-in reads a
registered family and only measures that family declares.
"""

from ...tools.builtins import SPECS
from . import (
    activities,
    closed,
    completeness,
    created,
    customer_scores,
    customers,
    orders,
    pipeline,
)

REGISTRY = {
    family.name: family
    for family in (
        closed.FAMILY,
        orders.FAMILY,
        created.FAMILY,
        pipeline.FAMILY,
        customers.FAMILY,
        activities.FAMILY,
        completeness.FAMILY,
        customer_scores.FAMILY,
    )
}


def check(specs=SPECS, registry=REGISTRY):
    """Raise a ValueError naming the built-in whose family or measures are
    not registered."""
    for spec in specs:
        for name in {spec.family, spec.sale_family, *spec.dirtied_by} - {None}:
            family = registry.get(name)
            if family is None:
                raise ValueError(f"built-in {spec.code}: no family {name!r}")
            if name in (spec.family, spec.sale_family):
                missing = set(spec.measures) - set(family.measures)
                if missing:
                    raise ValueError(
                        f"built-in {spec.code}: family {name} has no measure "
                        f"{', '.join(sorted(missing))}"
                    )


check()


def selection():
    """The selection (name, label) of the families, for the change log."""
    return [(family.name, family.label) for family in REGISTRY.values()]


def get(name):
    return REGISTRY[name]
