# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Python's cyclic garbage collector paused around a bulk computation, no
Odoo import.

A run of the engine allocates hundreds of thousands of small tuples and
dicts; every few hundred allocations the collector runs, and every few of
those it scans every object of the worker (the registry, and whatever the
request or the job read before: at the benchmark's incremental run, 0.2 s
of 1.6 s). What a run drops is freed by its reference counts; the cycles it
may leave are collected once the collector is back."""

import contextlib
import gc


@contextlib.contextmanager
def paused():
    """The collector off inside the block; back on after it, when it was on
    before (a block inside another one leaves it to the outer one)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
