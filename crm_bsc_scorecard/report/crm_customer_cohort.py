# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Cohort retention: customers grouped by the month (or quarter) of their
first transaction, and whether each still bought 1, 2, 3, ... periods
later. One row per customer and age, read in SQL at query time."""

from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.tools import SQL

from ..engine import transactions

GRANULARITIES = [("month", "Monthly"), ("quarter", "Quarterly")]


class CrmCustomerCohort(models.Model):
    _name = "crm.customer.cohort"
    _description = "Customer Cohort Retention"
    _auto = False
    _order = "cohort_date desc, age"

    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    segment_id = fields.Many2one(
        "crm.customer.segment",
        readonly=True,
        help="The customer's current segment.",
    )
    channel_id = fields.Many2one(
        "crm.contact.channel",
        readonly=True,
        help="The contact channel of the customer's first transaction.",
    )
    granularity = fields.Selection(GRANULARITIES, readonly=True)
    cohort_date = fields.Date(
        string="Cohort",
        readonly=True,
        help="The month (or quarter) of the customer's first transaction.",
    )
    age = fields.Integer(
        readonly=True,
        aggregator=False,
        help="Months (or quarters) since the cohort's: 0 is the cohort's own.",
    )
    retention = fields.Float(
        string="Retained (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="100 when the customer has a transaction in the period of this "
        "age, else 0; averaged, the share of the cohort that bought then.",
    )
    cohort_size = fields.Integer(
        string="Customers in Cohort",
        readonly=True,
        help="1 on the row of age 0: summed, the size of the cohort.",
    )

    @property
    def _table_query(self):
        return self._cohort_query()

    @api.model
    def _transactions_query(self):
        """Every company's customer transactions, as its setting says (the
        one definition of engine/transactions.py)."""
        return transactions.every_company_transactions_sql(self.env)

    @api.model
    def _cohort_query(self):
        return SQL(
            """
            WITH tx AS (%s),
            g(granularity, months) AS (VALUES ('month', 1), ('quarter', 3)),
            bought AS (
                SELECT DISTINCT tx.company_id, tx.customer, g.granularity,
                       date_trunc(g.granularity, tx.d)::date AS bucket
                  FROM tx CROSS JOIN g
            ),
            first AS (
                SELECT DISTINCT ON (company_id, customer) company_id, customer,
                       d AS first_day, ch
                  FROM tx ORDER BY company_id, customer, d, src
            ),
            cohort AS (
                SELECT f.company_id, f.customer, f.ch, g.granularity, g.months,
                       date_trunc(g.granularity, f.first_day)::date AS cohort_date,
                       date_trunc(g.granularity, CURRENT_DATE)::date AS cur_bucket
                  FROM first f CROSS JOIN g
            )
            SELECT row_number() OVER (
                       ORDER BY c.company_id, c.customer, c.granularity, a.age) AS id,
                   c.company_id, c.customer AS partner_id,
                   rp.customer_segment_id AS segment_id, c.ch AS channel_id,
                   c.granularity, c.cohort_date, a.age,
                   CASE WHEN b.bucket IS NULL THEN 0.0 ELSE 100.0 END AS retention,
                   (a.age = 0)::int AS cohort_size
              FROM cohort c
              JOIN res_partner rp ON rp.id = c.customer
             CROSS JOIN LATERAL generate_series(0, (
                   ((date_part('year', c.cur_bucket)
                     - date_part('year', c.cohort_date)) * 12
                    + date_part('month', c.cur_bucket)
                    - date_part('month', c.cohort_date))
                   / c.months)::int) AS a(age)
              LEFT JOIN bought b
                ON b.company_id = c.company_id AND b.customer = c.customer
               AND b.granularity = c.granularity
               AND b.bucket = (c.cohort_date
                               + make_interval(months => a.age * c.months))::date
            """,
            self._transactions_query(),
        )


class CrmCustomerCohortTable(models.TransientModel):
    """The cohort retention as a heat-coloured table: a row per cohort, a
    column per age, each cell the share of the cohort that bought then."""

    _name = "crm.customer.cohort.table"
    _description = "Customer Cohort Retention Table"

    granularity = fields.Selection(GRANULARITIES, default="month", required=True)
    segment_id = fields.Many2one("crm.customer.segment")
    channel_id = fields.Many2one("crm.contact.channel")
    max_age = fields.Integer(string="Ages Shown", default=12)
    table_html = fields.Html(
        string="Retention Table", compute="_compute_table_html", sanitize=False
    )

    @api.depends("granularity", "segment_id", "channel_id", "max_age")
    def _compute_table_html(self):
        for wizard in self:
            wizard.table_html = wizard._render_table()

    def _rows(self):
        """{cohort date: {age: (retention %, customers)}}, read with the
        user's rights (the report's company rule applies)."""
        domain = [
            ("granularity", "=", self.granularity),
            ("company_id", "in", self.env.companies.ids),
            ("age", "<=", max(self.max_age, 0)),
        ]
        if self.segment_id:
            domain.append(("segment_id", "=", self.segment_id.id))
        if self.channel_id:
            domain.append(("channel_id", "=", self.channel_id.id))
        groups = self.env["crm.customer.cohort"]._read_group(
            domain,
            [f"cohort_date:{self.granularity}", "age"],
            ["retention:avg", "__count"],
        )
        table = {}
        for cohort, age, retention, count in groups:
            table.setdefault(cohort, {})[age] = (retention, count)
        return table

    def _render_table(self):
        table = self._rows()
        if not table:
            return Markup("<p>%s</p>") % _("No customer has a transaction yet.")
        ages = sorted({age for cells in table.values() for age in cells})
        head = "".join(f"<th class='text-end'>{age}</th>" for age in ages)
        lines = [
            "<table class='table table-sm table-bordered o_crm_customer_cohort'>",
            (
                f"<thead><tr><th>{escape(_('Cohort'))}</th>"
                f"<th class='text-end'>{escape(_('Customers'))}</th>{head}"
                "</tr></thead><tbody>"
            ),
        ]
        label = "%Y-%m" if self.granularity == "month" else None
        for cohort in sorted(table, reverse=True):
            cells = table[cohort]
            name = (
                cohort.strftime(label)
                if label
                else f"{cohort.year} Q{(cohort.month - 1) // 3 + 1}"
            )
            size = cells.get(0, (0, 0))[1]
            row = [f"<td>{escape(name)}</td><td class='text-end'>{size}</td>"]
            for age in ages:
                if age not in cells:
                    row.append("<td></td>")
                    continue
                share = cells[age][0] or 0.0
                # white (0 %) to deep green (100 %)
                light = 96 - 0.5 * share
                colour = "#fff" if share > 60 else "#000"
                row.append(
                    f"<td class='text-end' style='background-color: "
                    f"hsl(140, 55%, {light:.0f}%); color: {colour}'>"
                    f"{share:.0f} %</td>"
                )
            lines.append("<tr>" + "".join(row) + "</tr>")
        lines.append("</tbody></table>")
        return Markup("".join(lines))
