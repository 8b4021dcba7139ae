# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
""" "Buy till you die" models of customers who buy when they like: BG/NBD
(Fader, Hardie and Lee 2005), MBG/NBD (Batislam, Denizel and Filiztekin
2007) and the Gamma-Gamma spend model (Fader, Hardie and Lee 2005), fitted
by maximum likelihood, with the customer lifetime value and the calibration
and holdout check of a fit. Pure numpy and scipy: no Odoo.

Conventions of the literature: ``frequency`` (x) is the number of repeat
transactions (transactions on the same day count as one), ``recency`` (t_x)
the customer's age at its last transaction, ``T`` its age at the end of
observation, in a time unit the caller chooses (weeks by default);
``monetary_value`` is the mean value of the repeat transactions.

Identical customers are grouped with weights before fitting, so that the
likelihood is evaluated once per distinct (x, t_x, T) triple. The time axis
(and the spend axis) are scaled internally, so that the optimiser sees the
same problem whatever the unit; the parameters come back in the caller's
unit.

The models live in ``clv_base`` (errors, parameters, input checks,
grouping, the optimiser), ``clv_bgnbd`` (BG/NBD and MBG/NBD),
``clv_gamma_gamma`` (spend and lifetime value) and ``clv_quality``
(summaries and the holdout check); this module is their API.
"""

from .clv_base import (
    BGNBD,
    DAYS_PER_WEEK,
    GRADIENT_TOLERANCE,
    LOG_BOUND,
    MBGNBD,
    MODELS,
    WEEKS_PER_MONTH,
    BgParams,
    FitError,
    GgParams,
    check_rft,
    group_rows,
)
from .clv_bgnbd import (
    bg_log_likelihood,
    expected_purchases,
    fit_bgnbd,
    p_alive,
)
from .clv_gamma_gamma import (
    customer_lifetime_value,
    expected_average_value,
    fit_gamma_gamma,
    gg_log_likelihood,
)
from .clv_quality import Summary, holdout_counts, holdout_report, summarize

__all__ = [
    "BGNBD",
    "DAYS_PER_WEEK",
    "GRADIENT_TOLERANCE",
    "LOG_BOUND",
    "MBGNBD",
    "MODELS",
    "WEEKS_PER_MONTH",
    "BgParams",
    "FitError",
    "GgParams",
    "Summary",
    "bg_log_likelihood",
    "check_rft",
    "customer_lifetime_value",
    "expected_average_value",
    "expected_purchases",
    "fit_bgnbd",
    "fit_gamma_gamma",
    "gg_log_likelihood",
    "group_rows",
    "holdout_counts",
    "holdout_report",
    "p_alive",
    "summarize",
]
