# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The indicator engine's entry point: what the cron, the buttons and
``compute_value`` call. The engine itself is the package ``engine/`` (its
lifecycle is in ``engine/processor.py``)."""

from odoo import api, models

from ..engine import processor, storage


class CrmBscEngine(models.AbstractModel):
    _name = "crm.bsc.engine"
    _description = "Scorecard Indicator Engine"

    @api.model
    def _scope(
        self,
        company,
        periods,
        segment_ids,
        indicators,
        extra_keys=(),
        force_channels=None,
        force_users=None,
    ):
        """The Scope of a computation of ``indicators`` (and of what they
        read, their closure computed once, here) for a company, periods
        [(id, start, end)] and segments (see processor.build_scope)."""
        return processor.build_scope(
            self.env,
            company,
            periods,
            segment_ids,
            indicators,
            extra_keys=extra_keys,
            force_channels=force_channels,
            force_users=force_users,
        )

    @api.model
    def _compute(self, scope, indicators, combined=False, counts=None):
        """{indicator: {Key: Result}} for the scope, not stored.

        ``combined``: every combination of the breakdowns (a channel with
        a salesperson, say), for a value computed on demand. ``counts``:
        the customer counts kept between runs, None (read every
        transaction), "compute" (read them all and keep the counts) or
        "kept" (use the counts kept when there are)."""
        return processor.IndicatorProcessor(
            self.env, scope, combined=combined, counts=counts
        ).run(indicators)

    @api.model
    def _store(self, scope, period_type, results, indicators):
        """Store the results of ``indicators``, scored (see storage.store)."""
        return storage.store(self.env, scope, period_type, results, indicators)

    @api.model
    def _closure(self, indicators):
        """The indicators plus every indicator they read, in an order where
        each comes after what it reads; those on a cycle come last."""
        ordered, broken = processor.split_closure(processor.dependencies(indicators))
        return ordered + list(broken)
