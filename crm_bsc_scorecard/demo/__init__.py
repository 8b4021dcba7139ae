# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The demo data that XML cannot express compactly, generated once by the
module's ``post_init_hook`` when it is installed with demo data (after
``crm_bsc_demo.xml`` has loaded the records it builds on): a year of CRM
history, the segment scorecards with their targets, calendar periods, a
year of manual values, the computed values, and the customer analytics.
Plain functions over an environment: nothing here is a model, so nothing
of it is registered in a production database. Deterministic (fixed random
seeds); each step skips or keeps what exists already."""

from .customer_analytics import generate_customer_analytics
from .history import generate_history
from .scorecards import (
    compute_values,
    fill_values,
    generate_periods,
    generate_segment_scorecards,
    set_targets,
)


def generate(env):
    """Generate the whole demo, in the order each step needs."""
    generate_history(env)
    generate_segment_scorecards(env)
    set_targets(env)
    generate_periods(env)
    fill_values(env)
    # the predictive indicators read the customer scores of the first fit
    generate_customer_analytics(env)
    compute_values(env)
