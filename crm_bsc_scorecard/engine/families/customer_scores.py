# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The predictive indicators (customer analytics): every customer scored as
of the last day of each period, today for the running one, with the fitted
models in force, summed per segment, channel, salesperson and team. Not
SQL: numpy over the scores (tools/score_indicators.py defines what counts;
crm.customer.score._indicator_measures reads and scores)."""

from ...tools.score_indicators import MEASURES
from ..family import Family


def table(request):
    """{Key: {measure: number}}; raises NoSourceError when the company has
    no fitted customer model, DataError when its models cannot score."""
    scope, env = request.scope, request.env
    return env["crm.customer.score"]._indicator_measures(
        env["res.company"].browse(scope.company_id),
        scope.periods,
        scope.segment_ids,
        channels=request.channels,
        users=request.users,
        combined=request.combined,
        today=scope.today,
        window_days=scope.window_days,
    )


FAMILY = Family("customer_scores", "Customer scores", MEASURES, table)
