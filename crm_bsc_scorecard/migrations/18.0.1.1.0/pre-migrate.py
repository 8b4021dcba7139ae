# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Periods become per company.

Until 18.0.1.1.0 one period served every company. Each period now goes to
the lowest company that uses it (its values, scorecards or customer counts),
and every other company that used it gets a copy of its own (same name,
dates and state) to which that company's records are moved. A period that no
company used goes to every company that has a scorecard (the lowest one
keeps the original), so that no company loses its periods.
"""

import logging

_logger = logging.getLogger(__name__)


def _referencing_tables(cr):
    """(table, column) of the foreign keys to crm_bsc_period whose table has
    a company_id column."""
    cr.execute(
        """
        SELECT c.conrelid::regclass::text, a.attname
          FROM pg_constraint c
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)
         WHERE c.confrelid = 'crm_bsc_period'::regclass AND c.contype = 'f'
           AND EXISTS (SELECT 1 FROM pg_attribute x
                        WHERE x.attrelid = c.conrelid AND x.attname = 'company_id'
                          AND NOT x.attisdropped)
        """
    )
    return cr.fetchall()


def migrate(cr, version):
    cr.execute(
        "SELECT 1 FROM information_schema.columns "
        "WHERE table_name = 'crm_bsc_period' AND column_name = 'company_id'"
    )
    if cr.fetchone():
        return
    cr.execute("ALTER TABLE crm_bsc_period ADD COLUMN company_id integer")
    references = _referencing_tables(cr)
    uses = (
        " UNION ".join(
            f'SELECT DISTINCT "{column}" AS period_id, company_id FROM {table} '
            f'WHERE "{column}" IS NOT NULL AND company_id IS NOT NULL'
            for table, column in references
        )
        or "SELECT NULL::int AS period_id, NULL::int AS company_id WHERE FALSE"
    )
    cr.execute(
        f"""
        CREATE TEMP TABLE crm_bsc_period_use ON COMMIT DROP AS
        SELECT p.id AS period_id, u.company_id
          FROM crm_bsc_period p JOIN ({uses}) u ON u.period_id = p.id
        UNION
        SELECT p.id, s.company_id
          FROM crm_bsc_period p
          CROSS JOIN (SELECT DISTINCT company_id FROM crm_bsc_scorecard) s
         WHERE NOT EXISTS (SELECT 1 FROM ({uses}) u WHERE u.period_id = p.id)
        """
    )
    cr.execute(
        """
        UPDATE crm_bsc_period p
           SET company_id = first.company_id
          FROM (SELECT period_id, min(company_id) AS company_id
                  FROM crm_bsc_period_use GROUP BY period_id) first
         WHERE first.period_id = p.id
        """
    )
    cr.execute(
        "UPDATE crm_bsc_period SET company_id = (SELECT min(id) FROM res_company) "
        "WHERE company_id IS NULL"
    )
    cr.execute(
        """
        SELECT u.period_id, u.company_id FROM crm_bsc_period_use u
          JOIN crm_bsc_period p ON p.id = u.period_id
         WHERE u.company_id <> p.company_id ORDER BY 1, 2
        """
    )
    copies = cr.fetchall()
    for period_id, company_id in copies:
        cr.execute(
            """
            INSERT INTO crm_bsc_period (name, period_type, date_from, date_to, state,
                                        company_id, create_uid, create_date,
                                        write_uid, write_date)
            SELECT name, period_type, date_from, date_to, state, %s, create_uid,
                   create_date, write_uid, now() AT TIME ZONE 'UTC'
              FROM crm_bsc_period WHERE id = %s
            RETURNING id
            """,
            (company_id, period_id),
        )
        copy_id = cr.fetchone()[0]
        for table, column in references:
            cr.execute(
                f'UPDATE {table} SET "{column}" = %s '
                f'WHERE "{column}" = %s AND company_id = %s',
                (copy_id, period_id, company_id),
            )
    _logger.info(
        "crm_bsc_scorecard: periods are per company now; %s copies of shared "
        "periods made for the companies that used them",
        len(copies),
    )
