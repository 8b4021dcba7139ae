# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Indicator values lose what earlier versions stored on each of them.

Versions before 18.0.1.2.0 could leave on ``crm_bsc_indicator_value``:

- copies of the period's and the indicator's fields (perspective, objective,
  period start, granularity), now read through joins: each foreign key among
  them cost a check per value written, and a NOT NULL copy would refuse the
  values written without it;
- indexes that only slowed the bulk writes down: one on the indicator and
  one on the company (the unique key covers both), and full indexes on the
  breakdowns (segment, channel, salesperson, team), which are now partial
  (``btree_not_null``). Odoo creates an index only when none of its name
  exists, so the full ones are dropped before the module's tables are
  updated (pre-migration), and Odoo then creates the partial ones.

Idempotent: every drop is conditional.
"""

from odoo.tools import SQL

OLD_COLUMNS = ("perspective_id", "objective_id", "date_from", "period_type")
OLD_INDEXES = (
    "crm_bsc_indicator_value__indicator_id_index",
    "crm_bsc_indicator_value__company_id_index",
)
BREAKDOWN_INDEXES = (
    "crm_bsc_indicator_value__segment_id_index",
    "crm_bsc_indicator_value__channel_id_index",
    "crm_bsc_indicator_value__user_id_index",
    "crm_bsc_indicator_value__team_id_index",
)


def migrate(cr, version):
    cr.execute("SELECT to_regclass('crm_bsc_indicator_value')")
    if not cr.fetchone()[0]:
        return
    cr.execute(
        SQL(
            "ALTER TABLE crm_bsc_indicator_value %s",
            SQL(", ").join(
                SQL("DROP COLUMN IF EXISTS %s", SQL.identifier(column))
                for column in OLD_COLUMNS
            ),
        )
    )
    cr.execute(
        """
        SELECT indexname FROM pg_indexes
         WHERE tablename = 'crm_bsc_indicator_value'
           AND (indexname IN %s
                OR (indexname IN %s AND indexdef NOT LIKE '%%WHERE%%'))
        """,
        (OLD_INDEXES, BREAKDOWN_INDEXES),
    )
    for (name,) in cr.fetchall():
        cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
