# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=consider-merging-classes-inherited
# (the addon keeps each feature's extension of a model in a file of its own)
"""The measures of the scorecard's predictive indicators: every customer
scored as of the last day of each period (tools/score_indicators.py says
which customers count and how)."""

from odoo import _, api, fields, models

from ..tools import clv, score_indicators
from ..tools import engine as engine_tools


class CrmCustomerScore(models.Model):
    _inherit = "crm.customer.score"

    @api.model
    def _indicator_measures(
        self,
        company,
        periods,
        segment_ids,
        channels=False,
        users=False,
        combined=False,
        today=None,
        window_days=None,
    ):
        """{(period id, segment, channel, user, team): {measure: float}}
        (None: all) of the predictive indicators, for periods [(id, first
        day, last day)] and segment ids (None: all customers), per channel
        and per salesperson and team when asked (every combination of them
        when ``combined``). Each period's customers are scored as of its
        last day (today for the running period) with the stored models;
        nothing is written. ``window_days`` (the activity window) and
        ``today`` default to the company's and the user's.

        Raises NoSourceError when the company has no fitted model, and
        DataError when the models cannot score the customers (the engine
        then gives these indicators no value, with the reason)."""
        fitted = (
            self.env["crm.customer.model"]
            .sudo()  # a count of the company's fitted models, no data shown
            .search_count([("company_id", "=", company.id), ("state", "=", "fitted")])
        )
        if not fitted:
            raise engine_tools.NoSourceError(
                _(
                    "Company %(company)s has no fitted customer model yet "
                    "(Configuration > Customer Models).",
                    company=company.name,
                )
            )
        today = today or fields.Date.context_today(self)
        window = window_days or company.bsc_activity_window_days or 365
        grouping_sets = engine_tools.grouping_sets(channels, users, combined)
        by_day = {}
        table = {}
        for period_id, _first, last in periods:
            day = score_indicators.as_of(last, today)
            if day not in by_day:
                try:
                    scores = self._score_as_of(company, day)
                except clv.FitError as error:
                    raise engine_tools.DataError(
                        _(
                            "The customers of %(company)s cannot be scored as "
                            "of %(day)s: %(error)s",
                            company=company.name,
                            day=day,
                            error=str(error),
                        )
                    ) from error
                by_day[day] = score_indicators.customer_measures(scores, window)
            dims, measures = by_day[day]
            table.update(
                score_indicators.aggregate(
                    period_id, dims, measures, grouping_sets, segment_ids
                )
            )
        return table
