# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The library of built-in CRM indicators: what each one counts.

Pure Python metadata (no Odoo import): one ``BuiltinSpec`` per built-in, from
which the selection of built-in codes, the engine's rules (the measures a
built-in reads from its family and how it combines them), the sale-order
variants, the families the incremental run recomputes and the tests'
expectations are all derived. The SQL of each family lives in
``engine/families/``. These definitions are the contract that the engine,
the benchmark's hand-written SQL and the tests all follow.

Common definitions (period [s, e], both days included; datetimes are taken
as UTC dates; only the leads of the computing company count):

- a *transaction* is a won opportunity: an active lead in a won stage with a
  closed date, of a customer (its partner's commercial entity), dated by its
  closed date and worth its expected revenue. With ``sale`` installed a
  company may choose confirmed sale orders instead (dated by their order
  date, worth their untaxed amount in company currency).
- a *lost* opportunity is an archived lead with probability 0 and a closed
  date.
- a customer is *active at date d* when it has a transaction in the trailing
  activity window (W days, default 365) ending at d: (d - W, d].
- a customer is *new* in a period when its first transaction ever falls in it.
- dimensions: a transaction or lead carries its own segment, channel,
  salesperson and sales team; a customer-level figure (active, new,
  retention, churn) uses the customer's current segment, and the channel,
  salesperson and team of its transactions in the window (of its first
  transaction for "new").
"""

from collections.abc import Callable
from dataclasses import dataclass

from . import score_indicators
from .results import EMPTY_NONE, EMPTY_ZERO, NO_BASE, Rule, ratio


def _(source):
    """Mark a text for translation: Odoo's extractor collects the texts of
    ``_()`` calls in the addon's Python files, and the model translates them
    when it shows them (this module imports nothing from Odoo)."""
    return source


@dataclass(frozen=True)
class BuiltinSpec:
    """One built-in indicator, everything about it in one place."""

    code: str
    name: str  # marked for translation, translated where shown
    unit: str
    direction: str
    perspective: str  # the kind of perspective it belongs to
    level: str  # metric level
    family: str  # the family (engine/families/<family>.py) that computes it
    measures: tuple  # the measures of its family it reads
    combine: Callable  # measures -> (value, None) or (None, reason)
    empty: str  # what a key without any row gets: EMPTY_ZERO or EMPTY_NONE
    reads: tuple  # the kinds of data it reads (documentation)
    description: str
    # the family it reads when the company counts confirmed sale orders as
    # its customer transactions (None: the same family)
    sale_family: str | None = None
    # the families whose pending changes make it dirty (empty: the family
    # it reads)
    dirtied_by: tuple = ()

    def family_for(self, transaction_source="opportunities"):
        """The family that computes it for a company's transaction source."""
        if transaction_source == "sale_orders" and self.sale_family:
            return self.sale_family
        return self.family

    def dirty_families(self, transaction_source="opportunities"):
        """The families whose pending changes make it be recomputed."""
        return self.dirtied_by or (self.family_for(transaction_source),)

    @property
    def rule(self):
        """The rule the engine computes it by (see tools.engine.rule_results)."""
        return Rule(self.measures, self.combine, self.empty)


TRANSACTIONS = "transactions"
LEADS = "leads"
ACTIVITIES = "activities"
CUSTOMERS = "customers"
MESSAGES = "messages"

SPECS = (
    BuiltinSpec(
        code="new_customers",
        name=_("New customers"),
        unit="count",
        direction="higher",
        perspective="customer",
        level="customer",
        family="customers",
        measures=("new_count",),
        combine=lambda m: (m["new_count"], None),
        empty=EMPTY_ZERO,
        reads=(TRANSACTIONS,),
        description=_("Customers whose first transaction ever falls in the period."),
    ),
    BuiltinSpec(
        code="active_customers",
        name=_("Active customers"),
        unit="count",
        direction="higher",
        perspective="customer",
        level="customer",
        family="customers",
        measures=("active_count",),
        combine=lambda m: (m["active_count"], None),
        empty=EMPTY_ZERO,
        reads=(TRANSACTIONS,),
        description=_(
            "Customers with a transaction in the activity window that ends on "
            "the last day of the period."
        ),
    ),
    BuiltinSpec(
        code="retention_rate",
        name=_("Customer retention rate"),
        unit="percent",
        direction="higher",
        perspective="customer",
        level="customer",
        family="customers",
        measures=("retained_count", "cohort_count"),
        combine=lambda m: ratio(m["retained_count"], m["cohort_count"], 100.0),
        empty=EMPTY_NONE,
        reads=(TRANSACTIONS,),
        description=_(
            "Of the customers active the day before the period starts, the "
            "share still active on its last day. No customers at the start: no "
            "value."
        ),
    ),
    BuiltinSpec(
        code="churn_rate",
        name=_("Customer churn rate"),
        unit="percent",
        direction="lower",
        perspective="customer",
        level="customer",
        family="customers",
        measures=("retained_count", "cohort_count"),
        combine=lambda m: (
            (None, NO_BASE)
            if not m["cohort_count"]
            else (100.0 - 100.0 * m["retained_count"] / m["cohort_count"], None)
        ),
        empty=EMPTY_NONE,
        reads=(TRANSACTIONS,),
        description=_(
            "100 % minus the retention rate: the share of the customers active "
            "the day before the period that are no longer active at its end."
        ),
    ),
    BuiltinSpec(
        code="won_revenue",
        name=_("Won revenue"),
        unit="currency",
        direction="higher",
        perspective="financial",
        level="operational",
        family="closed",
        sale_family="orders",
        measures=("won_amount",),
        combine=lambda m: (m["won_amount"], None),
        empty=EMPTY_ZERO,
        reads=(TRANSACTIONS,),
        description=_(
            "Sum of the expected revenue of the opportunities won in the period."
        ),
    ),
    BuiltinSpec(
        code="won_deals",
        name=_("Won deals"),
        unit="count",
        direction="higher",
        perspective="financial",
        level="operational",
        family="closed",
        sale_family="orders",
        measures=("won_count",),
        combine=lambda m: (m["won_count"], None),
        empty=EMPTY_ZERO,
        reads=(TRANSACTIONS,),
        description=_("Number of opportunities won in the period."),
    ),
    BuiltinSpec(
        code="avg_deal_size",
        name=_("Average deal size"),
        unit="currency",
        direction="higher",
        perspective="financial",
        level="operational",
        family="closed",
        sale_family="orders",
        measures=("won_amount", "won_count"),
        combine=lambda m: ratio(m["won_amount"], m["won_count"]),
        empty=EMPTY_NONE,
        reads=(TRANSACTIONS,),
        description=_("Won revenue divided by won deals in the period."),
    ),
    BuiltinSpec(
        code="win_rate",
        name=_("Win rate"),
        unit="percent",
        direction="higher",
        perspective="internal",
        level="process",
        family="closed",
        measures=("won_count", "lost_count"),
        combine=lambda m: ratio(
            m["won_count"], m["won_count"] + m["lost_count"], 100.0
        ),
        empty=EMPTY_NONE,
        reads=(LEADS,),
        description=_(
            "Opportunities won in the period, as a share of those won or lost in it."
        ),
    ),
    BuiltinSpec(
        code="lost_rate",
        name=_("Lost rate"),
        unit="percent",
        direction="lower",
        perspective="internal",
        level="process",
        family="closed",
        measures=("won_count", "lost_count"),
        combine=lambda m: ratio(
            m["lost_count"], m["won_count"] + m["lost_count"], 100.0
        ),
        empty=EMPTY_NONE,
        reads=(LEADS,),
        description=_(
            "Opportunities lost in the period, as a share of those won or lost in it."
        ),
    ),
    BuiltinSpec(
        code="pipeline_value",
        name=_("Pipeline value"),
        unit="currency",
        direction="higher",
        perspective="financial",
        level="operational",
        family="pipeline",
        measures=("pipeline_amount",),
        combine=lambda m: (m["pipeline_amount"], None),
        empty=EMPTY_ZERO,
        reads=(LEADS,),
        description=_(
            "Expected revenue of the opportunities open on the last day of the "
            "period: converted by then and not yet won or lost."
        ),
    ),
    BuiltinSpec(
        code="weighted_pipeline",
        name=_("Weighted pipeline"),
        unit="currency",
        direction="higher",
        perspective="financial",
        level="operational",
        family="pipeline",
        measures=("pipeline_weighted",),
        combine=lambda m: (m["pipeline_weighted"], None),
        empty=EMPTY_ZERO,
        reads=(LEADS,),
        description=_(
            "Expected revenue times probability of the opportunities open on "
            "the last day of the period."
        ),
    ),
    BuiltinSpec(
        code="sales_cycle_days",
        name=_("Sales cycle"),
        unit="days",
        direction="lower",
        perspective="internal",
        level="process",
        family="closed",
        sale_family="orders",
        measures=("cycle_days", "won_count"),
        combine=lambda m: ratio(m["cycle_days"], m["won_count"]),
        empty=EMPTY_NONE,
        reads=(TRANSACTIONS,),
        description=_(
            "Average number of days from creation to closing of the "
            "opportunities won in the period."
        ),
    ),
    BuiltinSpec(
        code="new_leads",
        name=_("New leads"),
        unit="count",
        direction="higher",
        perspective="internal",
        level="process",
        family="created",
        measures=("created_count",),
        combine=lambda m: (m["created_count"], None),
        empty=EMPTY_ZERO,
        reads=(LEADS,),
        description=_(
            "Leads and opportunities created in the period, archived ones included."
        ),
    ),
    BuiltinSpec(
        code="lead_conversion_rate",
        name=_("Lead conversion rate"),
        unit="percent",
        direction="higher",
        perspective="internal",
        level="process",
        family="created",
        measures=("converted_count", "created_count"),
        combine=lambda m: ratio(m["converted_count"], m["created_count"], 100.0),
        empty=EMPTY_NONE,
        reads=(LEADS,),
        description=_(
            "Of the leads created in the period, the share converted to an opportunity."
        ),
    ),
    BuiltinSpec(
        code="first_response_hours",
        name=_("First response time"),
        unit="hours",
        direction="lower",
        perspective="internal",
        level="process",
        family="created",
        measures=("response_hours", "answered_count"),
        combine=lambda m: ratio(m["response_hours"], m["answered_count"]),
        empty=EMPTY_NONE,
        reads=(LEADS, MESSAGES),
        description=_(
            "Average hours from the creation of a lead created in the period to "
            "its first response: the first activity done on it or the first "
            "message sent on it by an internal user. Leads not yet answered do "
            "not count."
        ),
    ),
    BuiltinSpec(
        code="overdue_activity_share",
        name=_("Overdue activities"),
        unit="percent",
        direction="lower",
        perspective="internal",
        level="process",
        family="activities",
        measures=("overdue_count", "due_count"),
        combine=lambda m: ratio(m["overdue_count"], m["due_count"], 100.0),
        empty=EMPTY_NONE,
        reads=(ACTIVITIES,),
        description=_(
            "Of the activities on leads that are still open today and were due "
            "by the end of the period, the share already overdue (due before "
            "that end and before today). Done activities are not counted (Odoo "
            "keeps no record of when an open activity became overdue), so for a "
            "period that has ended every activity still open and due in it is "
            "overdue: read it on the running period, where it is the share of "
            "today's open follow-ups that are late."
        ),
    ),
    BuiltinSpec(
        code="data_completeness",
        name=_("Customer data completeness"),
        unit="percent",
        direction="higher",
        perspective="learning",
        level="infrastructure",
        family="completeness",
        measures=("complete_count", "customer_count"),
        combine=lambda m: ratio(m["complete_count"], m["customer_count"], 100.0),
        empty=EMPTY_NONE,
        reads=(CUSTOMERS,),
        description=_(
            "Of the customers with a lead in the company, created by the end of "
            "the period, the share with a segment, a preferred contact channel, "
            "an e-mail and a phone."
        ),
    ),
    BuiltinSpec(
        code="avg_churn_propensity",
        name=_("Average churn propensity"),
        unit="percent",
        direction="lower",
        perspective="customer",
        level="customer",
        family="customer_scores",
        measures=("customer_count", "scored_count", "churn_sum"),
        combine=score_indicators.avg_churn_propensity,
        empty=EMPTY_NONE,
        reads=(TRANSACTIONS,),
        dirtied_by=("customers",),
        description=_(
            "The mean churn propensity (the probability that a customer has "
            "stopped buying) of the customers active on the last day of the "
            "period. Each customer is scored as of that day (today for the "
            "running period) from its transactions up to then, with the "
            "customer models in force. No active customer: no value."
        ),
    ),
    BuiltinSpec(
        code="customers_at_risk",
        name=_("Customers at risk"),
        unit="count",
        direction="lower",
        perspective="customer",
        level="customer",
        family="customer_scores",
        measures=("customer_count", "scored_count", "at_risk_count"),
        combine=score_indicators.customers_at_risk,
        empty=EMPTY_ZERO,
        reads=(TRANSACTIONS,),
        dirtied_by=("customers",),
        description=_(
            "Customers active on the last day of the period whose churn "
            "propensity is in the high risk band, each scored as of that day "
            "(today for the running period) from its transactions up to then, "
            "with the customer models in force."
        ),
    ),
    BuiltinSpec(
        code="customers_at_risk_share",
        name=_("Share of customers at risk"),
        unit="percent",
        direction="lower",
        perspective="customer",
        level="customer",
        family="customer_scores",
        measures=("customer_count", "scored_count", "at_risk_count"),
        combine=score_indicators.customers_at_risk_share,
        empty=EMPTY_NONE,
        reads=(TRANSACTIONS,),
        dirtied_by=("customers",),
        description=_(
            "Of the customers active on the last day of the period, the share "
            "in the high risk band, each scored as of that day (today for the "
            "running period) from its transactions up to then, with the "
            "customer models in force. No active customer: no value."
        ),
    ),
    BuiltinSpec(
        code="customers_at_risk_unassigned",
        name=_("Customers at risk without salesperson"),
        unit="count",
        direction="lower",
        perspective="internal",
        level="process",
        family="customer_scores",
        measures=("customer_count", "scored_count", "unassigned_count"),
        combine=score_indicators.customers_at_risk_unassigned,
        empty=EMPTY_ZERO,
        reads=(TRANSACTIONS,),
        dirtied_by=("customers",),
        description=_(
            "Customers at risk (active on the last day of the period, in the "
            "high risk band as of that day, today for the running period) with "
            "no salesperson of their own nor on their last transaction: nobody "
            "gets a follow-up activity for them."
        ),
    ),
    BuiltinSpec(
        code="predicted_clv",
        name=_("Predicted customer lifetime value"),
        unit="currency",
        direction="higher",
        perspective="financial",
        level="customer",
        family="customer_scores",
        measures=("customer_count", "scored_count", "clv_sum"),
        combine=score_indicators.predicted_clv,
        empty=EMPTY_ZERO,
        reads=(TRANSACTIONS,),
        dirtied_by=("customers",),
        description=_(
            "Sum of the predicted lifetime values (the discounted value of the "
            "expected transactions over the horizon of the settings) of the "
            "customers active on the last day of the period, each scored as of "
            "that day (today for the running period) from its transactions up "
            "to then, with the customer models in force."
        ),
    ),
    BuiltinSpec(
        code="expected_purchases_90d",
        name=_("Expected transactions in the next 90 days"),
        unit="count",
        direction="higher",
        perspective="customer",
        level="customer",
        family="customer_scores",
        measures=("customer_count", "scored_count", "expected_90d_sum"),
        combine=score_indicators.expected_purchases_90d,
        empty=EMPTY_ZERO,
        reads=(TRANSACTIONS,),
        dirtied_by=("customers",),
        description=_(
            "Sum of the transactions the customers active on the last day of "
            "the period are expected to make in the 90 days after it, each "
            "scored as of that day (today for the running period) from its "
            "transactions up to then, with the customer models in force."
        ),
    ),
)

BUILTINS = {spec.code: spec for spec in SPECS}


def builtin_selection():
    """Selection list (code, name) of the built-in indicators."""
    return [(spec.code, spec.name) for spec in SPECS]


def family_of(code, transaction_source="opportunities"):
    """The family that computes the built-in ``code``."""
    return BUILTINS[code].family_for(transaction_source)


def families_read():
    """Every family some built-in reads (with either transaction source)."""
    return {spec.family for spec in SPECS} | {
        spec.sale_family for spec in SPECS if spec.sale_family
    }
