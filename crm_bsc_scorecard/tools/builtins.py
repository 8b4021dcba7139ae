# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The library of built-in CRM indicators: what each one counts.

Pure Python metadata (no Odoo import); the SQL that computes them lives in
``models/crm_bsc_engine.py``. These definitions are the contract that the
engine, the benchmark's hand-written SQL and the tests all follow.

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


def _(source):
    """Mark a text for translation: Odoo's extractor collects the texts of
    ``_()`` calls in the addon's Python files, and the model translates them
    when it shows them (this module imports nothing from Odoo)."""
    return source


TRANSACTIONS = "transactions"
LEADS = "leads"
ACTIVITIES = "activities"
CUSTOMERS = "customers"
MESSAGES = "messages"

# code: (name, unit, direction, perspective kind, metric level, reads, description)
BUILTINS = {
    "new_customers": (
        _("New customers"),
        "count",
        "higher",
        "customer",
        "customer",
        (TRANSACTIONS,),
        _("Customers whose first transaction ever falls in the period."),
    ),
    "active_customers": (
        _("Active customers"),
        "count",
        "higher",
        "customer",
        "customer",
        (TRANSACTIONS,),
        _(
            "Customers with a transaction in the activity window that ends on "
            "the last day of the period."
        ),
    ),
    "retention_rate": (
        _("Customer retention rate"),
        "percent",
        "higher",
        "customer",
        "customer",
        (TRANSACTIONS,),
        _(
            "Of the customers active the day before the period starts, the "
            "share still active on its last day. No customers at the start: no "
            "value."
        ),
    ),
    "churn_rate": (
        _("Customer churn rate"),
        "percent",
        "lower",
        "customer",
        "customer",
        (TRANSACTIONS,),
        _(
            "100 % minus the retention rate: the share of the customers active "
            "the day before the period that are no longer active at its end."
        ),
    ),
    "won_revenue": (
        _("Won revenue"),
        "currency",
        "higher",
        "financial",
        "operational",
        (TRANSACTIONS,),
        _("Sum of the expected revenue of the opportunities won in the period."),
    ),
    "won_deals": (
        _("Won deals"),
        "count",
        "higher",
        "financial",
        "operational",
        (TRANSACTIONS,),
        _("Number of opportunities won in the period."),
    ),
    "avg_deal_size": (
        _("Average deal size"),
        "currency",
        "higher",
        "financial",
        "operational",
        (TRANSACTIONS,),
        _("Won revenue divided by won deals in the period."),
    ),
    "win_rate": (
        _("Win rate"),
        "percent",
        "higher",
        "internal",
        "process",
        (LEADS,),
        _("Opportunities won in the period, as a share of those won or lost in it."),
    ),
    "lost_rate": (
        _("Lost rate"),
        "percent",
        "lower",
        "internal",
        "process",
        (LEADS,),
        _("Opportunities lost in the period, as a share of those won or lost in it."),
    ),
    "pipeline_value": (
        _("Pipeline value"),
        "currency",
        "higher",
        "financial",
        "operational",
        (LEADS,),
        _(
            "Expected revenue of the opportunities open on the last day of the "
            "period: converted by then and not yet won or lost."
        ),
    ),
    "weighted_pipeline": (
        _("Weighted pipeline"),
        "currency",
        "higher",
        "financial",
        "operational",
        (LEADS,),
        _(
            "Expected revenue times probability of the opportunities open on "
            "the last day of the period."
        ),
    ),
    "sales_cycle_days": (
        _("Sales cycle"),
        "days",
        "lower",
        "internal",
        "process",
        (TRANSACTIONS,),
        _(
            "Average number of days from creation to closing of the "
            "opportunities won in the period."
        ),
    ),
    "new_leads": (
        _("New leads"),
        "count",
        "higher",
        "internal",
        "process",
        (LEADS,),
        _("Leads and opportunities created in the period, archived ones included."),
    ),
    "lead_conversion_rate": (
        _("Lead conversion rate"),
        "percent",
        "higher",
        "internal",
        "process",
        (LEADS,),
        _("Of the leads created in the period, the share converted to an opportunity."),
    ),
    "first_response_hours": (
        _("First response time"),
        "hours",
        "lower",
        "internal",
        "process",
        (LEADS, MESSAGES),
        _(
            "Average hours from the creation of a lead created in the period to "
            "its first response: the first activity done on it or the first "
            "message sent on it by an internal user. Leads not yet answered do "
            "not count."
        ),
    ),
    "overdue_activity_share": (
        _("Overdue activities"),
        "percent",
        "lower",
        "internal",
        "process",
        (ACTIVITIES,),
        _(
            "Of the open activities on leads due by the end of the period, the "
            "share already overdue (due before that end and before today)."
        ),
    ),
    "data_completeness": (
        _("Customer data completeness"),
        "percent",
        "higher",
        "learning",
        "infrastructure",
        (CUSTOMERS,),
        _(
            "Of the customers with a lead in the company, created by the end of "
            "the period, the share with a segment, a preferred contact channel, "
            "an e-mail and a phone."
        ),
    ),
}


def builtin_selection():
    """Selection list (code, name) of the built-in indicators."""
    return [(code, spec[0]) for code, spec in BUILTINS.items()]
