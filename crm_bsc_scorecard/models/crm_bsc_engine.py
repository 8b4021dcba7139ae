# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The indicator engine: grouped SQL over the CRM, values stored in bulk.

Every family of built-in indicators is one parametrised query over all the
periods, segments, channels, salespeople and teams at once (GROUPING SETS);
``tools/engine.py`` turns the rows into values. Nothing here loops over
leads in Python.
"""

import logging
import uuid
from dataclasses import dataclass, field

import psycopg2
import psycopg2.errors

from odoo import _, api, fields, models
from odoo.tools import SQL

from ..tools import engine as engine_tools
from ..tools import formula as formula_tools
from ..tools import graph as graph_tools
from ..tools import scoring
from .crm_bsc_indicator_value import KEY_DIMENSIONS

_logger = logging.getLogger(__name__)

STORE_BATCH = 50000
ENGINE_WORK_MEM_KB = 65536
# the advisory lock of the run that brings the kept customer counts up to date
COUNTS_LOCK = 0x43524D42
# the columns of a stored value that vary from row to row, with their types
STORE_COLUMNS = (
    ("indicator_id", SQL("int[]")),
    ("period_id", SQL("int[]")),
    ("segment_id", SQL("int[]")),
    ("channel_id", SQL("int[]")),
    ("user_id", SQL("int[]")),
    ("team_id", SQL("int[]")),
    ("has_value", SQL("bool[]")),
    ("value", SQL("numeric[]")),
    ("target", SQL("float8[]")),
    ("score", SQL("float8[]")),
    ("status", SQL("varchar[]")),
    ("note", SQL("varchar[]")),
)


@dataclass
class Scope:
    """What one computation covers."""

    company_id: int
    periods: list  # [(id, date_from, date_to)]
    segment_ids: list  # segment ids; None stands for all customers
    window_days: int = 365
    transaction_source: str = "opportunities"
    today: object = None
    channel_ids: dict = field(default_factory=dict)  # indicator id -> [ids]
    users: dict = field(default_factory=dict)  # indicator id -> bool
    extra_keys: list = field(default_factory=list)  # keys to fill too

    @property
    def period_ids(self):
        return [period[0] for period in self.periods]

    @property
    def first_day(self):
        return min(period[1] for period in self.periods)

    @property
    def last_day(self):
        return max(period[2] for period in self.periods)


class CrmBscEngine(models.AbstractModel):
    _name = "crm.bsc.engine"
    _description = "Scorecard Indicator Engine"

    # ------------------------------------------------------------------
    # SQL building blocks
    # ------------------------------------------------------------------
    @api.model
    def _periods_sql(self, scope):
        rows = SQL(", ").join(
            SQL("(%s, %s::date, %s::date)", pid, start, end)
            for pid, start, end in scope.periods
        )
        return SQL("(VALUES %s) AS p(id, s, e)", rows)

    @api.model
    def _period_join(self, scope, day):
        """SQL: a join that places a row in the scope's period p in which the
        date ``day`` lies (p.id; no row outside them), by an equality on the
        bucket of ``day`` among the period bounds (no range join)."""
        try:
            days, ids = engine_tools.period_buckets(scope.periods)
        except ValueError:
            # periods of several granularities at once: a range join
            return SQL(
                "JOIN %s ON %s BETWEEN p.s AND p.e", self._periods_sql(scope), day
            )
        buckets = SQL(", ").join(
            SQL("(%s, %s)", bucket, pid)
            for bucket, pid in enumerate(ids, start=1)
            if pid is not None
        )
        return SQL(
            "JOIN (VALUES %s) AS p(b, id) ON p.b = width_bucket(%s, %s::date[])",
            buckets,
            day,
            days,
        )

    @api.model
    def _running(self, scope, base, measures, names, channels, users):
        """Totals on the last day of each period of records that count from
        one day to another: ``base`` gives, per record, its dimensions, the
        days it ``enters`` (counts from) and ``leaves`` (no longer counts
        from; NULL: never) and the inputs of ``measures`` (sums of f.*).

        Each record adds its measures at the first period end it covers and
        takes them back after the last one; the totals are running sums of
        those changes, so no record is paired with a period."""
        ends, ids = engine_tools.period_ends(scope.periods)
        changes = SQL(
            """
            SELECT e.j AS pid, r.seg, r.ch, r.u, r.t, e.sign AS present, %(inputs)s
              FROM (SELECT b.*,
                           width_bucket(b.enters - 1, %(ends)s::date[]) AS js,
                           COALESCE(width_bucket(b.leaves - 1, %(ends)s::date[]),
                                    %(count)s) AS je
                      FROM (%(base)s) AS b) AS r
             CROSS JOIN LATERAL (VALUES (r.js + 1, 1), (r.je + 1, -1)) AS e(j, sign)
             WHERE r.js < r.je AND e.j <= %(count)s
            """,
            inputs=SQL(", ").join(
                SQL("e.sign * r.%s AS %s", SQL.identifier(name), SQL.identifier(name))
                for name in measures
            ),
            ends=ends,
            count=len(ends),
            base=base,
        )
        query = self._grouped_select(
            changes,
            [SQL("sum(f.present)")]
            + [SQL("sum(f.%s)", SQL.identifier(name)) for name in measures],
            channels,
            users,
        )
        return [
            (
                query,
                ("present_count", *names),
                lambda table: engine_tools.running_totals(table, ids, "present_count"),
            )
        ]

    @api.model
    def _grouped_select(self, base, measures, channels, users):
        """Wrap ``base`` (columns pid, seg, ch, u, t and the measure inputs)
        in the grouping sets the scope needs (every combination of them
        with the context key crm_bsc_combined_breakdowns, for compute_value)."""
        grouping = engine_tools.grouping_sets(
            channels, users, self.env.context.get("crm_bsc_combined_breakdowns")
        )
        sets = SQL(", ").join(
            SQL(
                "(%s)",
                SQL(", ").join(SQL.identifier("f", name) for name in ("pid", *dims)),
            )
            for dims in grouping
        )
        # the grouping mask: one bit per dimension, set when aggregated (a
        # dimension that no set groups by is always aggregated)
        grouped = {name for dims in grouping for name in dims}
        mask = SQL(" + ").join(
            SQL("GROUPING(%s) * %s", SQL.identifier("f", name), bit)
            if name in grouped
            else SQL("%s", bit)
            for name, bit in engine_tools.DIMENSION_BITS.items()
        )
        columns = SQL(", ").join(
            SQL.identifier("f", name) if name in grouped else SQL("NULL::int")
            for name in engine_tools.DIMENSIONS
        )
        return SQL(
            """
            SELECT f.pid, %s, %s, %s
              FROM (%s) AS f
             GROUP BY GROUPING SETS (%s)
            """,
            columns,
            mask,
            SQL(", ").join(measures),
            base,
            sets,
        )

    @api.model
    def _dims(self, channels, users, seg, ch, u, t):
        """Dimension columns; those not asked for are NULL (fewer groups)."""
        null = SQL("NULL::int")
        return SQL(
            "%s AS seg, %s AS ch, %s AS u, %s AS t",
            seg,
            ch if channels else null,
            u if users else null,
            t if users else null,
        )

    @api.model
    def _lead_dims(self, channels, users):
        """The dimensions of a lead ``l``: its segment, channel, salesperson
        and team."""
        return self._dims(
            channels,
            users,
            SQL("l.customer_segment_id"),
            SQL("l.contact_channel_id"),
            SQL("l.user_id"),
            SQL("l.team_id"),
        )

    # ------------------------------------------------------------------
    # Families of built-in indicators
    # ------------------------------------------------------------------
    @api.model
    def _family_closed(self, scope, channels, users):
        """Opportunities won or lost in each period."""
        base = SQL(
            """
            SELECT p.id AS pid, %(dims)s,
                   (l.active AND COALESCE(st.is_won, FALSE)) AS won,
                   (NOT l.active AND COALESCE(l.probability, 0) = 0) AS lost,
                   COALESCE(l.expected_revenue, 0) AS amount,
                   EXTRACT(EPOCH FROM l.date_closed - l.create_date) / 86400.0 AS cycle
              FROM crm_lead l
              LEFT JOIN crm_stage st ON st.id = l.stage_id
              %(period)s
             WHERE l.company_id = %(company)s
               AND l.type = 'opportunity'
               AND l.date_closed >= %(first)s AND l.date_closed < %(last)s::date + 1
            """,
            dims=self._lead_dims(channels, users),
            period=self._period_join(scope, SQL("l.date_closed::date")),
            company=scope.company_id,
            first=scope.first_day,
            last=scope.last_day,
        )
        measures = [
            SQL("count(*) FILTER (WHERE f.won)"),
            SQL("COALESCE(sum(f.amount) FILTER (WHERE f.won), 0)"),
            SQL("COALESCE(sum(f.cycle) FILTER (WHERE f.won), 0)"),
            SQL("count(*) FILTER (WHERE f.lost)"),
        ]
        query = self._grouped_select(base, measures, channels, users)
        return [(query, ("won_count", "won_amount", "cycle_days", "lost_count"))]

    @api.model
    def _family_orders(self, scope, channels, users):
        """Confirmed sale orders as customer transactions (sale installed)."""
        if "sale.order" not in self.env:
            raise engine_tools.NoSourceError(
                _("confirmed sale orders were chosen, but Sales is not installed")
            )
        base = SQL(
            """
            SELECT p.id AS pid, %(dims)s,
                   so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1)
                       AS amount,
                   EXTRACT(EPOCH FROM so.date_order - so.create_date) / 86400.0 AS cycle
              FROM sale_order so
              JOIN res_partner rp ON rp.id = so.partner_id
              JOIN res_partner cp ON cp.id = rp.commercial_partner_id
              JOIN %(periods)s ON so.date_order >= p.s AND so.date_order < p.e + 1
             WHERE so.company_id = %(company)s AND so.state = 'sale'
               AND so.date_order >= %(first)s AND so.date_order < %(last)s::date + 1
            """,
            dims=self._dims(
                channels,
                users,
                SQL("cp.customer_segment_id"),
                self._utm_channel_sql(SQL("so.source_id"), SQL("so.medium_id")),
                SQL("so.user_id"),
                SQL("so.team_id"),
            ),
            periods=self._periods_sql(scope),
            company=scope.company_id,
            first=scope.first_day,
            last=scope.last_day,
        )
        measures = [
            SQL("count(*)"),
            SQL("COALESCE(sum(f.amount), 0)"),
            SQL("COALESCE(sum(f.cycle), 0)"),
            SQL("0"),
        ]
        query = self._grouped_select(base, measures, channels, users)
        return [(query, ("won_count", "won_amount", "cycle_days", "lost_count"))]

    @api.model
    def _utm_channel_sql(self, source, medium):
        """The contact channel of a UTM source and medium, in SQL."""
        return SQL(
            """COALESCE(
                (SELECT r.channel_id FROM crm_contact_channel_utm_source_rel r
                   JOIN crm_contact_channel c ON c.id = r.channel_id AND c.active
                  WHERE r.source_id = %s ORDER BY c.sequence, c.id LIMIT 1),
                (SELECT r.channel_id FROM crm_contact_channel_utm_medium_rel r
                   JOIN crm_contact_channel c ON c.id = r.channel_id AND c.active
                  WHERE r.medium_id = %s ORDER BY c.sequence, c.id LIMIT 1))""",
            source,
            medium,
        )

    @api.model
    def _family_created(self, scope, channels, users, with_responses=True):
        """Leads created in each period, their conversion and first response."""
        with_clause = SQL("")
        response_join = SQL("")
        first_date = SQL("NULL::timestamp")
        if with_responses:
            comment = self.env.ref("mail.mt_comment").id
            with_clause = SQL(
                """
                WITH resp AS (
                    SELECT m.res_id AS lead_id, min(m.date) AS first_date
                      FROM mail_message m
                      JOIN crm_lead l ON l.id = m.res_id
                     WHERE m.model = 'crm.lead'
                       AND l.company_id = %(company)s
                       AND l.create_date >= %(first)s
                       AND l.create_date < %(last)s::date + 1
                       AND m.date >= l.create_date
                       AND (m.mail_activity_type_id IS NOT NULL
                            OR (m.message_type IN ('email', 'comment')
                                AND m.subtype_id = %(comment)s))
                       AND m.author_id = ANY(%(internal)s)
                     GROUP BY m.res_id
                )""",
                internal=self._internal_partner_ids(),
                company=scope.company_id,
                first=scope.first_day,
                last=scope.last_day,
                comment=comment,
            )
            response_join = SQL("LEFT JOIN resp r ON r.lead_id = l.id")
            first_date = SQL("r.first_date")
        base = SQL(
            """
            SELECT p.id AS pid, %(dims)s,
                   (l.type = 'opportunity' OR l.date_conversion IS NOT NULL)
                       AS converted,
                   EXTRACT(EPOCH FROM %(first_date)s - l.create_date) / 3600.0 AS hours
              FROM crm_lead l
              %(period)s
              %(response_join)s
             WHERE l.company_id = %(company)s
               AND l.create_date >= %(first)s AND l.create_date < %(last)s::date + 1
            """,
            dims=self._lead_dims(channels, users),
            first_date=first_date,
            period=self._period_join(scope, SQL("l.create_date::date")),
            response_join=response_join,
            company=scope.company_id,
            first=scope.first_day,
            last=scope.last_day,
        )
        measures = [
            SQL("count(*)"),
            SQL("count(*) FILTER (WHERE f.converted)"),
            SQL("COALESCE(sum(f.hours), 0)"),
            SQL("count(f.hours)"),
        ]
        grouped = self._grouped_select(base, measures, channels, users)
        query = SQL("%s %s", with_clause, grouped)
        return [
            (
                query,
                (
                    "created_count",
                    "converted_count",
                    "response_hours",
                    "answered_count",
                ),
            )
        ]

    @api.model
    def _internal_partner_ids(self):
        """The partners of the internal users, archived ones included (an
        answer is an answer): a list, so that the planner knows how many
        messages they wrote."""
        self.env.cr.execute(
            SQL("SELECT partner_id FROM res_users WHERE NOT share ORDER BY partner_id")
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _family_pipeline(self, scope, channels, users):
        """Opportunities open on the last day of each period: from the day
        they became opportunities to the day they closed."""
        base = SQL(
            """
            SELECT %(dims)s,
                   COALESCE(l.date_conversion, l.create_date)::date AS enters,
                   l.date_closed::date AS leaves,
                   COALESCE(l.expected_revenue, 0) AS amount,
                   COALESCE(l.expected_revenue, 0) * COALESCE(l.probability, 0) / 100.0
                       AS weighted
              FROM crm_lead l
              LEFT JOIN crm_stage st ON st.id = l.stage_id
             WHERE l.company_id = %(company)s
               AND l.type = 'opportunity'
               AND ((l.active AND l.date_closed IS NULL
                     AND NOT COALESCE(st.is_won, FALSE))
                    OR l.date_closed >= %(first)s)
               AND COALESCE(l.date_conversion, l.create_date) < %(last)s::date + 1
            """,
            dims=self._lead_dims(channels, users),
            company=scope.company_id,
            first=scope.first_day,
            last=scope.last_day,
        )
        return self._running(
            scope,
            base,
            ("amount", "weighted"),
            ("pipeline_amount", "pipeline_weighted"),
            channels,
            users,
        )

    @api.model
    def _transactions_sql(self, scope):
        """Customer transactions of the company (all history): customer,
        date, id and dimensions."""
        if scope.transaction_source == "sale_orders":
            if "sale.order" not in self.env:
                raise engine_tools.NoSourceError(
                    _("confirmed sale orders were chosen, but Sales is not installed")
                )
            return SQL(
                """
                SELECT rp.commercial_partner_id AS customer, so.date_order::date AS d,
                       so.id AS src, %s AS ch, so.user_id AS u, so.team_id AS t
                  FROM sale_order so
                  JOIN res_partner rp ON rp.id = so.partner_id
                 WHERE so.company_id = %s AND so.state = 'sale'
                """,
                self._utm_channel_sql(SQL("so.source_id"), SQL("so.medium_id")),
                scope.company_id,
            )
        return self._lead_transactions_sql(scope.company_id)

    @api.model
    def _lead_transactions_sql(self, company_id):
        """Won opportunities of the company as customer transactions."""
        return SQL(
            """
            SELECT rp.commercial_partner_id AS customer, l.date_closed::date AS d,
                   l.id AS src, l.contact_channel_id AS ch, l.user_id AS u,
                   l.team_id AS t
              FROM crm_lead l
              JOIN crm_stage st ON st.id = l.stage_id AND st.is_won
              JOIN res_partner rp ON rp.id = l.partner_id
             WHERE l.company_id = %s AND l.active AND l.type = 'opportunity'
               AND l.date_closed IS NOT NULL
            """,
            company_id,
        )

    @api.model
    def _customers_table(self, scope, channels, users):
        """Active, retained and new customers, decoded: one pass over the
        transactions.

        Each customer's transactions (in all, and per channel, salesperson
        and team asked for) become islands of activity: the days [a, z) on
        which a transaction lies in the activity window before them. A
        customer is active on a day inside one of its islands, so the active
        customers on the days activity is read (the eve and the last day of
        each period) are running totals of the islands' starts and ends, and
        the customers lost in a period are those whose island around its
        eve has ended by its last day with no other one begun. No pair of a
        period and a transaction is ever formed."""
        points, positions = engine_tools.activity_points(scope.periods)
        kinds = [0] + ([1] if channels else []) + ([2, 3] if users else [])
        null = SQL("NULL::int")
        new = self._grouped_select(
            SQL(
                """SELECT p.id AS pid, cp.customer_segment_id AS seg,
                          %s AS ch, %s AS u, %s AS t
                     FROM (SELECT DISTINCT ON (tx.customer) tx.*
                             FROM tx ORDER BY tx.customer, tx.d, tx.src) AS n
                     JOIN %s ON n.d >= p.s AND n.d <= p.e
                     JOIN res_partner cp ON cp.id = n.customer""",
                SQL("n.ch") if channels else null,
                SQL("n.u") if users else null,
                SQL("n.t") if users else null,
                self._periods_sql(scope),
            ),
            [SQL("count(*)")],
            channels,
            users,
        )
        query = SQL(
            """
            WITH tx AS MATERIALIZED (%(tx)s),
            pts AS (SELECT p.id AS pid, p.s - 1 AS d0, p.e AS d1 FROM %(periods)s),
            txk AS (
                SELECT tx.customer, tx.d, k.kind, k.val
                  FROM tx CROSS JOIN LATERAL (VALUES (0, 0), (1, tx.ch), (2, tx.u),
                                                     (3, tx.t)) AS k(kind, val)
                 WHERE k.val IS NOT NULL AND k.kind = ANY(%(kinds)s)
                   -- what the points read: the window before the first one on
                   AND tx.d > %(first)s::date - %(window)s AND tx.d <= %(last)s::date
            ),
            marks AS (
                SELECT customer, kind, val, d,
                       CASE WHEN d <= lag(d) OVER w + %(window)s THEN 0 ELSE 1 END
                           AS brk
                  FROM txk WINDOW w AS (PARTITION BY customer, kind, val ORDER BY d)
            ),
            islands AS MATERIALIZED (
                SELECT i.customer, cp.customer_segment_id AS seg, i.kind, i.val,
                       i.a, i.z,
                       width_bucket(i.a - 1, %(points)s::date[]) AS js,
                       width_bucket(i.z - 1, %(points)s::date[]) AS je
                  FROM (SELECT customer, kind, val, min(d) AS a,
                               max(d) + %(window)s AS z
                          FROM (SELECT marks.*,
                                       sum(brk) OVER (PARTITION BY customer, kind, val
                                                      ORDER BY d
                                                      ROWS UNBOUNDED PRECEDING) AS g
                                  FROM marks) AS x
                         GROUP BY customer, kind, val, g) AS i
                  JOIN res_partner cp ON cp.id = i.customer
            ),
            churned AS (
                SELECT p.pid, p.d0, i.customer
                  FROM islands i
                  JOIN pts p ON i.a <= p.d0 AND p.d0 < i.z AND i.z <= p.d1
                 WHERE i.kind = 0
                   AND NOT EXISTS (
                        SELECT 1 FROM islands o
                         WHERE o.customer = i.customer AND o.kind = 0
                           AND o.a <= p.d1 AND p.d1 < o.z)
            )
            SELECT 0, e.j, GROUPING(i.seg), i.seg, i.kind, i.val, sum(e.sign),
                   NULL::bigint
              FROM islands i
             CROSS JOIN LATERAL (VALUES (i.js + 1, 1), (i.je + 1, -1)) AS e(j, sign)
             WHERE i.js < i.je AND e.j <= %(count)s
             GROUP BY GROUPING SETS ((e.j, i.kind, i.val), (e.j, i.seg, i.kind, i.val))
            UNION ALL
            SELECT 1, c.pid, GROUPING(i.seg), i.seg, i.kind, i.val, count(*), NULL
              FROM churned c
              JOIN islands i ON i.customer = c.customer AND i.a <= c.d0
                            AND c.d0 < i.z
             GROUP BY GROUPING SETS ((c.pid, i.kind, i.val),
                                     (c.pid, i.seg, i.kind, i.val))
            UNION ALL
            SELECT 2, n.* FROM (%(new)s) AS n
            """,
            tx=self._transactions_sql(scope),
            periods=self._periods_sql(scope),
            kinds=kinds,
            window=scope.window_days,
            points=points,
            count=len(points),
            first=points[0],
            last=points[-1],
            new=new,
        )
        # the islands are a CTE the planner cannot count: a nested loop
        # over them (for the customers lost) is its worst pick
        self.env.cr.execute(
            SQL(
                "SELECT current_setting('enable_nestloop'), "
                "set_config('enable_nestloop', 'off', true)"
            )
        )
        nestloop = self.env.cr.fetchone()[0]
        # (a failure rolls the savepoint back, and the setting with it)
        self.env.cr.execute(query)
        rows = self.env.cr.fetchall()
        self.env.cr.execute(
            SQL("SELECT set_config('enable_nestloop', %s, true)", nestloop)
        )
        table = engine_tools.customers_table(
            [row[1:7] for row in rows if row[0] == 0],
            [row[1:7] for row in rows if row[0] == 1],
            positions,
            len(points),
        )
        return engine_tools.decode_rows(
            [row[1:] for row in rows if row[0] == 2], ("new_count",), table
        )

    # ------------------------------------------------------------------
    # Customer counts kept between runs (crm.bsc.customer.count)
    # ------------------------------------------------------------------

    @api.model
    def _customers_family_table(self, scope, channels, users):
        """The customers table of a run that stores values.

        With ``crm_bsc_customer_counts`` in the context ("compute": read
        every transaction, "kept": use the counts kept for these periods
        when there are), the counts are brought up to date with the
        pending transaction changes first, and those computed are kept for
        the next incremental run. Only won opportunities are followed: with
        sale orders as transactions, every run reads them all."""
        mode = self.env.context.get("crm_bsc_customer_counts")
        if not mode or scope.transaction_source != "opportunities":
            return self._customers_table(scope, channels, users)
        try:
            with self.env.cr.savepoint():
                if self._catch_up_customer_counts():
                    if mode == "kept":
                        table = self._kept_customer_counts(scope, channels, users)
                        if table is not None:
                            return table
                    table = self._customers_table(scope, channels, users)
                    self._keep_customer_counts(scope, channels, users, table)
                    return table
        except psycopg2.errors.SerializationFailure as error:
            _logger.info("Customer counts changed by another run: %s", error)
        # another run is at the counts: read every transaction
        return self._customers_table(scope, channels, users)

    def _counts_where(self, company_id, channels, users, window_days, period_ids):
        return SQL(
            """company_id = %s AND by_channel = %s AND by_user = %s
               AND window_days = %s AND period_id = ANY(%s)""",
            company_id,
            bool(channels),
            bool(users),
            window_days,
            list(period_ids),
        )

    @api.model
    def _pending_customer_periods(self, scope, channels, users):
        """The periods of the scope whose kept counts changed since their
        values were computed; None when some period has no kept counts."""
        self.env.cr.execute(
            SQL(
                "SELECT period_id, pending FROM crm_bsc_customer_count WHERE %s",
                self._counts_where(
                    scope.company_id,
                    channels,
                    users,
                    scope.window_days,
                    [pid for pid, _s, _e in scope.periods],
                ),
            )
        )
        rows = dict(self.env.cr.fetchall())
        if set(rows) != {pid for pid, _s, _e in scope.periods}:
            return None
        return {pid for pid, pending in rows.items() if pending}

    @api.model
    def _kept_customer_counts(self, scope, channels, users):
        """The customers table of the scope from the kept counts (None when
        a period has none); its periods are no longer pending. Counts of a
        segment, channel, salesperson or team deleted since are left out
        (their transactions have lost it)."""
        period_ids = [pid for pid, _s, _e in scope.periods]
        where = self._counts_where(
            scope.company_id, channels, users, scope.window_days, period_ids
        )
        self.env.cr.execute(
            SQL(
                "SELECT period_id, counts FROM crm_bsc_customer_count WHERE %s",
                where,
            )
        )
        rows = self.env.cr.fetchall()
        if {period_id for period_id, _counts in rows} != set(period_ids):
            return None
        counts = {}
        for period_id, kept in rows:
            counts.update(engine_tools.decode_counts(period_id, kept))
        existing = {}
        for index, table in enumerate(
            ("crm_customer_segment", "crm_contact_channel", "res_users", "crm_team"),
            start=1,
        ):
            ids = list({key[index] for key in counts} - {None})
            self.env.cr.execute(
                SQL("SELECT id FROM %s WHERE id = ANY(%s)", SQL.identifier(table), ids)
            )
            existing[index] = {row[0] for row in self.env.cr.fetchall()} | {None}
        self.env.cr.execute(
            SQL(
                "UPDATE crm_bsc_customer_count SET pending = false "
                "WHERE %s AND pending",
                where,
            )
        )
        return engine_tools.counts_table(
            {
                key: measures
                for key, measures in counts.items()
                if all(key[index] in existing[index] for index in existing)
            }
        )

    @api.model
    def _keep_customer_counts(self, scope, channels, users, table):
        """Keep the counts of a customers table computed from every
        transaction: one row per period."""
        period_ids = [pid for pid, _s, _e in scope.periods]
        self.env.cr.execute(
            SQL(
                "DELETE FROM crm_bsc_customer_count WHERE %s",
                self._counts_where(
                    scope.company_id, channels, users, scope.window_days, period_ids
                ),
            )
        )
        by_period = {period_id: {} for period_id in period_ids}
        for key, measures in table.items():
            if key[0] in by_period:
                by_period[key[0]][key] = measures
        self._insert_customer_counts(
            scope.company_id, channels, users, scope.window_days, by_period
        )

    def _insert_customer_counts(self, company_id, channels, users, window, by_period):
        """Insert the counts {period id: {key: measures}} of one breakdown."""
        if not by_period:
            return
        self.env.cr.execute(
            SQL(
                """INSERT INTO crm_bsc_customer_count (company_id, by_channel,
                       by_user, window_days, period_id, counts, pending)
                   VALUES %s""",
                SQL(", ").join(
                    SQL(
                        "(%s, %s, %s, %s, %s, %s, false)",
                        company_id,
                        bool(channels),
                        bool(users),
                        window,
                        period_id,
                        engine_tools.encode_counts(counts),
                    )
                    for period_id, counts in sorted(by_period.items())
                ),
            )
        )

    @api.model
    def _catch_up_customer_counts(self):
        """Apply the pending transaction changes to every kept count, then
        forget them. The counts of a company whose changes do not add up
        (a change made around the hooks) are dropped: its next run reads
        every transaction again.

        One transaction at a time works on the counts (until it ends):
        returns False, having done nothing, when another one does, or did
        since this one began."""
        cr = self.env.cr
        cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s)", COUNTS_LOCK))
        if not cr.fetchone()[0]:
            return False
        try:
            with cr.savepoint():
                self._apply_pending_changes()
        except psycopg2.errors.SerializationFailure:
            return False
        return True

    @api.model
    def _apply_pending_changes(self):
        cr = self.env.cr
        cr.execute(
            SQL(
                """SELECT id, sign, company_id, customer_id, date, lead_id,
                          channel_id, user_id, team_id, segment_id
                     FROM crm_bsc_transaction_change ORDER BY id"""
            )
        )
        changes = cr.fetchall()
        if not changes:
            return
        # the counts of closed periods are of no further use
        cr.execute(
            SQL(
                """DELETE FROM crm_bsc_customer_count c USING crm_bsc_period p
                    WHERE p.id = c.period_id AND p.state != 'open'"""
            )
        )
        cr.execute(
            SQL(
                """SELECT DISTINCT c.company_id, c.by_channel, c.by_user,
                          c.window_days, p.id, p.date_from, p.date_to
                     FROM crm_bsc_customer_count c
                     JOIN crm_bsc_period p ON p.id = c.period_id"""
            )
        )
        kept = {}
        for company_id, by_channel, by_user, window, *period in cr.fetchall():
            kept.setdefault(company_id, {}).setdefault(
                (by_channel, by_user, window), []
            ).append(tuple(period))
        for company_id, groups in kept.items():
            try:
                with cr.savepoint():
                    self._apply_transaction_changes(company_id, changes, groups)
            except psycopg2.errors.SerializationFailure:
                raise
            except (ValueError, psycopg2.Error) as error:
                _logger.info(
                    "Customer counts of company %s dropped: %s", company_id, error
                )
                self.env["crm.bsc.customer.count"]._invalidate([company_id])
        cr.execute(
            SQL(
                "DELETE FROM crm_bsc_transaction_change WHERE id = ANY(%s)",
                [change[0] for change in changes],
            )
        )

    @api.model
    def _apply_transaction_changes(self, company_id, changes, groups):
        """Add to the company's kept counts what its changed customers count
        now, and remove what they counted before the changes."""
        by_customer = {}
        for _id, sign, company, customer, day, lead, ch, u, t, segment in changes:
            if sign and company != company_id:
                continue
            by_customer.setdefault(customer, []).append(
                (sign, (day, lead, ch or None, u or None, t or None), segment or None)
            )
        if not by_customer:
            return
        customers = sorted(by_customer)
        cr = self.env.cr
        cr.execute(
            SQL(
                """SELECT tx.customer, tx.d, tx.src, tx.ch, tx.u, tx.t
                     FROM (%s) AS tx WHERE tx.customer = ANY(%s)""",
                self._lead_transactions_sql(company_id),
                customers,
            )
        )
        now = {}
        for customer, *transaction in cr.fetchall():
            now.setdefault(customer, []).append(tuple(transaction))
        cr.execute(
            SQL(
                "SELECT id, customer_segment_id FROM res_partner WHERE id = ANY(%s)",
                customers,
            )
        )
        segments = dict(cr.fetchall())
        states = []
        for customer in customers:
            transactions = now.get(customer, [])
            segment = segments.get(customer)
            before, segment_before = engine_tools.earlier_state(
                transactions, segment, by_customer[customer]
            )
            if segment_before != segment:
                start = None  # every period
            else:
                start = engine_tools.changed_from(transactions, before)
                if start is None:
                    continue
            states.append((transactions, segment, before, segment_before, start))
        if not states:
            return
        for (channels, users, window), periods in groups.items():
            delta = {}
            for transactions, segment, before, segment_before, start in states:
                touched = [p for p in periods if start is None or p[2] >= start]
                if not touched:
                    continue
                engine_tools.add_counts(
                    delta,
                    engine_tools.customer_counts(
                        transactions, segment, touched, window, channels, users
                    ),
                )
                engine_tools.add_counts(
                    delta,
                    engine_tools.customer_counts(
                        before, segment_before, touched, window, channels, users
                    ),
                    -1,
                )
            delta = {
                key: change for key, change in delta.items() if any(change.values())
            }
            if delta:
                self._update_customer_counts(company_id, channels, users, window, delta)

    def _update_customer_counts(self, company_id, channels, users, window, delta):
        """Apply count changes {key: {measure: change}}; their periods
        become pending."""
        cr = self.env.cr
        period_ids = sorted({key[0] for key in delta})
        cr.execute(
            SQL(
                "SELECT id, period_id, counts FROM crm_bsc_customer_count WHERE %s",
                self._counts_where(company_id, channels, users, window, period_ids),
            )
        )
        for row_id, period_id, kept in cr.fetchall():
            counts = engine_tools.decode_counts(period_id, kept)
            engine_tools.add_counts(
                counts,
                {key: change for key, change in delta.items() if key[0] == period_id},
            )
            # checks that no count went below zero
            engine_tools.counts_table(counts)
            cr.execute(
                SQL(
                    "UPDATE crm_bsc_customer_count SET counts = %s, pending = true "
                    "WHERE id = %s",
                    engine_tools.encode_counts(counts),
                    row_id,
                )
            )

    @api.model
    def _family_customers(self, scope, channels, users):
        """Active, retained and new customers, per period and every
        combination of the breakdowns (for a value computed on demand):
        transactions joined with the periods, counted distinct."""
        null = SQL("NULL::int")
        ch = SQL("tx.ch") if channels else null
        u = SQL("tx.u") if users else null
        t = SQL("tx.t") if users else null
        with_clause = SQL(
            """
            WITH tx AS MATERIALIZED (%(tx)s),
            pts AS (SELECT p.id AS pid, p.s - 1 AS d0, p.e AS d1 FROM %(periods)s),
            end_set AS (
                SELECT DISTINCT pts.pid, tx.customer,
                       %(ch)s AS ch, %(u)s AS u, %(t)s AS t
                  FROM pts JOIN tx ON tx.d > pts.d1 - %(window)s AND tx.d <= pts.d1
            ),
            start_set AS (
                SELECT DISTINCT pts.pid, tx.customer,
                       %(ch)s AS ch, %(u)s AS u, %(t)s AS t
                  FROM pts JOIN tx ON tx.d > pts.d0 - %(window)s AND tx.d <= pts.d0
            ),
            end_any AS (SELECT DISTINCT pid, customer FROM end_set),
            first_tx AS (
                SELECT DISTINCT ON (tx.customer) tx.customer, tx.d,
                       %(ch)s AS ch, %(u)s AS u, %(t)s AS t
                  FROM tx ORDER BY tx.customer, tx.d, tx.src
            )
            """,
            tx=self._transactions_sql(scope),
            periods=self._periods_sql(scope),
            ch=ch,
            u=u,
            t=t,
            window=scope.window_days,
        )
        active = self._grouped_select(
            SQL(
                """SELECT e.pid, cp.customer_segment_id AS seg, e.ch, e.u, e.t,
                          e.customer
                     FROM end_set e JOIN res_partner cp ON cp.id = e.customer"""
            ),
            [SQL("count(DISTINCT f.customer)")],
            channels,
            users,
        )
        retention = self._grouped_select(
            SQL(
                """SELECT s.pid, cp.customer_segment_id AS seg, s.ch, s.u, s.t,
                          s.customer, (e.customer IS NOT NULL) AS retained
                     FROM start_set s
                     JOIN res_partner cp ON cp.id = s.customer
                     LEFT JOIN end_any e ON e.pid = s.pid AND e.customer = s.customer"""
            ),
            [
                SQL("count(DISTINCT f.customer)"),
                SQL("count(DISTINCT f.customer) FILTER (WHERE f.retained)"),
            ],
            channels,
            users,
        )
        new = self._grouped_select(
            SQL(
                """SELECT p.id AS pid, cp.customer_segment_id AS seg, n.ch, n.u, n.t
                     FROM first_tx n
                     JOIN %s ON n.d >= p.s AND n.d <= p.e
                     JOIN res_partner cp ON cp.id = n.customer""",
                self._periods_sql(scope),
            ),
            [SQL("count(*)")],
            channels,
            users,
        )
        query = SQL(
            """%s
            SELECT 0, a.*, NULL::bigint FROM (%s) a
            UNION ALL SELECT 1, r.* FROM (%s) r
            UNION ALL SELECT 2, n.*, NULL::bigint FROM (%s) n
            """,
            with_clause,
            active,
            retention,
            new,
        )
        return [
            (
                query,
                {
                    0: ("active_count",),
                    1: ("cohort_count", "retained_count"),
                    2: ("new_count",),
                },
            )
        ]

    @api.model
    def _family_activities(self, scope, channels, users):
        """Open activities on leads due by the end of each period."""
        base = SQL(
            """
            SELECT p.id AS pid, %(dims)s,
                   a.date_deadline < LEAST(p.e + 1, %(today)s::date) AS overdue
              FROM mail_activity a
              JOIN crm_lead l ON l.id = a.res_id
              JOIN %(periods)s ON a.date_deadline <= p.e
             WHERE a.res_model = 'crm.lead' AND COALESCE(a.active, TRUE)
               AND l.company_id = %(company)s
            """,
            dims=self._dims(
                channels,
                users,
                SQL("l.customer_segment_id"),
                SQL("l.contact_channel_id"),
                SQL("a.user_id"),
                SQL("l.team_id"),
            ),
            today=scope.today,
            periods=self._periods_sql(scope),
            company=scope.company_id,
        )
        measures = [SQL("count(*) FILTER (WHERE f.overdue)"), SQL("count(*)")]
        query = self._grouped_select(base, measures, channels, users)
        return [(query, ("overdue_count", "due_count"))]

    @api.model
    def _family_completeness(self, scope, channels, users):
        """Customers with a lead in the company, counted from the day they
        were created, and how complete they are."""
        base = SQL(
            """
            SELECT %(dims)s, cp.create_date::date AS enters, NULL::date AS leaves,
                   (cp.customer_segment_id IS NOT NULL
                    AND cp.preferred_channel_id IS NOT NULL
                    AND COALESCE(cp.email, '') <> ''
                    AND (COALESCE(cp.phone, '') <> '' OR COALESCE(cp.mobile, '') <> ''))
                       ::int AS complete
              FROM (SELECT DISTINCT rp.commercial_partner_id AS id
                      FROM crm_lead l JOIN res_partner rp ON rp.id = l.partner_id
                     WHERE l.company_id = %(company)s) c
              JOIN res_partner cp ON cp.id = c.id
             WHERE cp.active AND cp.create_date < %(last)s::date + 1
            """,
            dims=self._dims(
                channels,
                users,
                SQL("cp.customer_segment_id"),
                SQL("cp.preferred_channel_id"),
                SQL("cp.user_id"),
                SQL("NULL::int"),
            ),
            company=scope.company_id,
            last=scope.last_day,
        )
        parts = self._running(
            scope, base, ("complete",), ("complete_count",), channels, users
        )
        # every customer counted is one customer
        query, names, totals = parts[0]

        def with_customers(table):
            table = totals(table)
            for values in table.values():
                values["customer_count"] = values["present_count"]
            return table

        return [(query, names, with_customers)]

    # ------------------------------------------------------------------
    # Aggregate indicators (any model, domain, date field, measure)
    # ------------------------------------------------------------------
    @api.model
    def _path_sql(self, model, alias, path, query):
        """SQL of a dotted many2one path (partner_id.customer_segment_id),
        joining each step; NULL for an empty path."""
        if not path:
            return SQL("NULL::int")
        names = path.split(".")
        for name in names[:-1]:
            field_ = model._fields[name]
            comodel = self.env[field_.comodel_name]
            next_alias = query.make_alias(alias, name)
            query.add_join(
                "LEFT JOIN",
                next_alias,
                comodel._table,
                SQL(
                    "%s = %s",
                    model._field_to_sql(alias, name, query),
                    SQL.identifier(next_alias, "id"),
                ),
            )
            model, alias = comodel, next_alias
        return model._field_to_sql(alias, names[-1], query)

    @api.model
    def _aggregate_query(self, indicator, scope, channels, users):
        # sudo: an indicator counts every record of its company (the company
        # path restricts them), whoever computes it; the model was one its
        # author could read when it was saved, and only numbers come out
        model = (
            self.env[indicator.agg_model_id.sudo().model]
            .sudo()
            .with_context(active_test=False)
        )
        query = model._search(indicator._agg_domain_list())
        alias = model._table
        date_expr = model._field_to_sql(alias, indicator.agg_date_field_id.name, query)
        if indicator.agg_measure == "count":
            measure_input = SQL("1")
        else:
            measure_input = model._field_to_sql(
                alias, indicator.agg_field_id.name, query
            )
        company_path = indicator._agg_company_path()
        try:
            company_expr = self._path_sql(model, alias, company_path, query)
        except KeyError as error:
            raise engine_tools.DataError(
                f"the path {company_path} is broken"
            ) from error
        inner = SQL(
            "SELECT %s AS d, %s AS seg, %s AS ch, %s AS u, %s AS t, %s AS x, %s AS co "
            "FROM %s WHERE %s",
            date_expr,
            self._path_sql(model, alias, indicator.agg_segment_path, query),
            self._path_sql(model, alias, indicator.agg_channel_path, query)
            if channels
            else SQL("NULL::int"),
            self._path_sql(model, alias, indicator.agg_user_path, query)
            if users
            else SQL("NULL::int"),
            self._path_sql(model, alias, indicator.agg_team_path, query)
            if users
            else SQL("NULL::int"),
            measure_input,
            company_expr,
            query.from_clause,
            query.where_clause or SQL("TRUE"),
        )
        company_filter = (
            SQL("AND (r.co = %s OR r.co IS NULL)", scope.company_id)
            if company_path
            else SQL("")
        )
        base = SQL(
            """SELECT p.id AS pid, r.seg, r.ch, r.u, r.t, r.x
                 FROM (%s) r
                 JOIN %s ON r.d >= p.s AND r.d < p.e + 1
                WHERE r.d >= %s AND r.d < %s::date + 1 %s""",
            inner,
            self._periods_sql(scope),
            scope.first_day,
            scope.last_day,
            company_filter,
        )
        measure = {
            "count": SQL("count(*)"),
            "count_distinct": SQL("count(DISTINCT f.x)"),
            "sum": SQL("COALESCE(sum(f.x), 0)"),
            "avg": SQL("avg(f.x)"),
            "min": SQL("min(f.x)"),
            "max": SQL("max(f.x)"),
        }[indicator.agg_measure]
        return self._grouped_select(base, [measure], channels, users)

    # ------------------------------------------------------------------
    # Orchestration
    # ------------------------------------------------------------------
    @api.model
    def _run(self, query, measures):
        """Execute a family query and decode its rows."""
        self.env.cr.execute(query)
        rows = self.env.cr.fetchall()
        if isinstance(measures, dict):
            table = {}
            for part, names in measures.items():
                engine_tools.decode_rows(
                    [row[1 : 7 + len(names)] for row in rows if row[0] == part],
                    names,
                    table,
                )
            return table
        return engine_tools.decode_rows(rows, measures)

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
        """Build the Scope of a computation of ``indicators`` (and of what
        they read) for a company, periods [(id, start, end)] and segments.

        Channels and the salesperson breakdown follow each indicator's own
        settings, and an indicator read by another one is also computed with
        the channels and breakdowns of its readers.
        """
        ordered = self._closure(indicators)
        channels, users = {}, {}
        for indicator in ordered:
            channels[indicator] = set(
                force_channels
                if force_channels is not None
                else indicator.channel_ids.filtered("active").ids
            )
            users[indicator] = (
                force_users if force_users is not None else indicator.breakdown_by_user
            )
        for reader in reversed(ordered):
            for dep in reader._dependencies():
                channels[dep] |= channels[reader]
                users[dep] = users[dep] or users[reader]
        return Scope(
            company_id=company.id,
            periods=list(periods),
            segment_ids=list(segment_ids),
            window_days=company.bsc_activity_window_days or 365,
            transaction_source=company.bsc_transaction_source or "opportunities",
            today=fields.Date.context_today(self),
            channel_ids={ind.id: sorted(chs) for ind, chs in channels.items()},
            users={ind.id: flag for ind, flag in users.items()},
            extra_keys=list(extra_keys),
        )

    @api.model
    def _closure(self, indicators):
        """The indicators plus every indicator their ratios and formulas
        read, in an order where each comes after what it reads; those that
        lie on a cycle of formulas (or read one) come last, in no order."""
        order, broken = self._closure_split(indicators)
        return order + list(broken)

    @api.model
    def _closure_split(self, indicators):
        """(the closure without cycles in dependency order, {indicator on or
        reading a cycle: the cycle's codes}). A cycle built after the
        formulas were saved (codes renamed) breaks only those indicators."""
        deps = {}
        pending = list(indicators)
        while pending:
            indicator = pending.pop()
            if indicator in deps:
                continue
            deps[indicator] = indicator._dependencies()
            pending.extend(deps[indicator])
        order, broken = graph_tools.split_cycles(
            {ind: list(ind_deps) for ind, ind_deps in deps.items()}
        )
        return order, {
            indicator: " → ".join(node.code for node in cycle)
            for indicator, cycle in broken.items()
        }

    @api.model
    def _compute(self, scope, indicators):
        """{indicator: {key: (value, reason)}} for the scope, not stored."""
        self.env.flush_all()
        # a few large grouped statements: compiling them just in time costs
        # seconds and saves none, and their sorts should stay in memory
        self.env.cr.execute(
            SQL(
                """SELECT current_setting('jit'), current_setting('work_mem'),
                          set_config('jit', 'off', true),
                          set_config('work_mem', GREATEST(
                              (SELECT setting::bigint FROM pg_settings
                                WHERE name = 'work_mem'), %s)::text || 'kB', true)""",
                ENGINE_WORK_MEM_KB,
            )
        )
        jit, work_mem = self.env.cr.fetchone()[:2]
        # (a failure rolls the transaction or savepoint back, and the
        # settings with it)
        results = self._compute_results(scope, indicators)
        self.env.cr.execute(
            SQL(
                "SELECT set_config('jit', %s, true), set_config('work_mem', %s, true)",
                jit,
                work_mem,
            )
        )
        return results

    @api.model
    def _compute_results(self, scope, indicators):
        Indicator = self.env["crm.bsc.indicator"]
        ordered, broken = self._closure_split(indicators)
        results = {}
        families = {}
        for indicator in ordered:
            if indicator.computation == "builtin":
                family = engine_tools.family_of(
                    indicator.builtin_code, scope.transaction_source
                )
                families.setdefault(family, Indicator)
                families[family] |= indicator
        tables = {}
        for family, members in families.items():
            channels = any(scope.channel_ids.get(ind.id) for ind in members)
            users = any(scope.users.get(ind.id) for ind in members)
            tables[family] = self._isolated(
                lambda family=family, channels=channels, users=users, members=members: (
                    self._family_table(family, scope, channels, users, members)
                )
            )
        for indicator in ordered:
            results[indicator] = self._indicator_results(
                indicator, scope, tables, results
            )
        for indicator, cycle in broken.items():
            keys = engine_tools.required_keys(
                scope.period_ids,
                scope.segment_ids,
                scope.channel_ids.get(indicator.id, []),
            )
            results[indicator] = self._error_results(
                keys + scope.extra_keys,
                engine_tools.DataError(f"the formulas read each other: {cycle}"),
            )
        return results

    @api.model
    def _family_table(self, family, scope, channels, users, members):
        if family == "created":
            parts = self._family_created(
                scope,
                channels,
                users,
                with_responses="first_response_hours" in members.mapped("builtin_code"),
            )
        elif family == "customers" and not self.env.context.get(
            "crm_bsc_combined_breakdowns"
        ):
            return self._customers_family_table(scope, channels, users)
        else:
            parts = getattr(self, f"_family_{family}")(scope, channels, users)
        table = {}
        for query, measures, *post in parts:
            result = self._run(query, measures)
            if post:
                result = post[0](result)
            for key, values in result.items():
                table.setdefault(key, {}).update(values)
        return table

    @api.model
    def _isolated(self, function):
        """Run ``function`` in a savepoint; return its result, or the error
        (an exception instance) when it fails, so the others go on."""
        try:
            with self.env.cr.savepoint():
                return function()
        except engine_tools.NoSourceError as error:
            return error
        except (
            psycopg2.Error,
            engine_tools.DataError,
            ValueError,
            KeyError,
            TypeError,
        ) as error:
            _logger.warning("Indicator computation failed: %s", error)
            return error

    @api.model
    def _indicator_results(self, indicator, scope, tables, results):
        channel_ids = scope.channel_ids.get(indicator.id, [])
        users = scope.users.get(indicator.id, False)
        keys = engine_tools.required_keys(
            scope.period_ids, scope.segment_ids, channel_ids
        )
        keys += scope.extra_keys
        computation = indicator.computation
        if computation == "builtin":
            family = engine_tools.family_of(
                indicator.builtin_code, scope.transaction_source
            )
            table = tables[family]
            if isinstance(table, Exception):
                return self._error_results(keys, table)
            return engine_tools.builtin_results(
                indicator.builtin_code,
                table,
                keys,
                scope.segment_ids,
                channel_ids,
                users,
            )
        if computation == "aggregate":
            query = None

            def run():
                nonlocal query
                query = self._aggregate_query(
                    indicator, scope, bool(channel_ids), users
                )
                return self._run(query, ("agg",))

            table = self._isolated(run)
            if isinstance(table, Exception):
                return self._error_results(keys, table)
            return engine_tools.rule_results(
                engine_tools.aggregate_rule(indicator.agg_measure),
                table,
                keys,
                scope.segment_ids,
                channel_ids,
                users,
            )
        if computation in ("ratio", "formula"):
            if computation == "ratio":
                out = engine_tools.ratio_results(
                    results[indicator.ratio_numerator_id],
                    results[indicator.ratio_denominator_id],
                    indicator.ratio_scale or 1.0,
                )
            else:
                try:
                    parsed = formula_tools.parse(indicator.formula or "")
                except formula_tools.FormulaError as error:
                    return self._error_results(keys, error)
                missing = indicator._missing_codes()
                if missing:
                    return self._error_results(
                        keys,
                        engine_tools.DataError(
                            "no indicator has the code " + ", ".join(missing)
                        ),
                    )
                by_code = {dep.code: results[dep] for dep in indicator._dependencies()}
                out = engine_tools.formula_results(parsed, by_code, keys)
            # what it reads may be kept per more channels or per salesperson:
            # keep only the keys of this indicator's own breakdowns
            out = {
                key: result
                for key, result in out.items()
                if key in scope.extra_keys
                or engine_tools.wanted(key, scope.segment_ids, channel_ids, users)
            }
            for key in keys:
                out.setdefault(key, (None, engine_tools.MISSING))
            return out
        # manual: the stored values, read for the formulas and ratios
        return self._stored_results(indicator, scope)

    @api.model
    def _error_results(self, keys, error):
        if isinstance(error, engine_tools.NoSourceError):
            reason = f"{engine_tools.NO_SOURCE}: {error}"
        else:
            reason = f"{engine_tools.ERROR}: {error}"
        return dict.fromkeys(keys, (None, reason[:250]))

    @api.model
    def _stored_results(self, indicator, scope):
        # sudo: the manual values of the scope's company, read for the
        # formulas and ratios that the engine computes over them
        Value = self.env["crm.bsc.indicator.value"].sudo()
        values = Value.search_read(
            [
                ("indicator_id", "=", indicator.id),
                ("company_id", "=", scope.company_id),
                ("period_id", "in", scope.period_ids),
            ],
            [
                "period_id",
                "segment_id",
                "channel_id",
                "user_id",
                "team_id",
                "has_value",
                "value",
                "note",
            ],
            load=None,
        )
        results = {}
        for row in values:
            key = (
                row["period_id"],
                row["segment_id"] or None,
                row["channel_id"] or None,
                row["user_id"] or None,
                row["team_id"] or None,
            )
            results[key] = (
                (row["value"], None)
                if row["has_value"]
                else (None, row["note"] or engine_tools.MISSING)
            )
        return results

    # ------------------------------------------------------------------
    # Storage
    # ------------------------------------------------------------------
    @api.model
    def _store(self, scope, period_type, results, indicators):
        """Upsert the results of ``indicators`` (a subset of ``results``) for
        the open periods of the scope; remove the computed values of the
        scope that this run no longer produces. Returns the number of values
        computed (written, or kept as they were when unchanged)."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM crm_bsc_period WHERE id = ANY(%s) AND state = 'open' "
                "FOR SHARE",
                scope.period_ids,
            )
        )
        open_ids = {row[0] for row in self.env.cr.fetchall()}
        if not open_ids:
            return 0
        token = uuid.uuid4().hex
        lines = self.env["crm.bsc.scorecard.line"]._governing_lines(
            {
                (scope.company_id, segment or False, period_type, indicator.id)
                for indicator in indicators
                for segment in scope.segment_ids
            }
        )
        now = fields.Datetime.now()
        columns = {name: [] for name, _type in STORE_COLUMNS}
        for indicator in indicators:
            for key, (value, reason) in results[indicator].items():
                period_id, segment, channel, user, team = key
                if period_id not in open_ids:
                    continue
                target = score = None
                status = scoring.NO_DATA if value is None else "unscored"
                if channel is None and user is None and team is None:
                    line = lines.get(
                        (scope.company_id, segment or False, period_type, indicator.id)
                    )
                    if line:
                        target = line.target
                        score, status = line._evaluate(value)
                for name, item in zip(
                    columns,
                    (
                        indicator.id,
                        period_id,
                        segment,
                        channel,
                        user,
                        team,
                        value is not None,
                        value,
                        target,
                        score,
                        status,
                        (reason or None) and str(reason)[:250],
                    ),
                    strict=True,
                ):
                    columns[name].append(item)
        count = len(columns["indicator_id"])
        names = SQL(", ").join(SQL.identifier(name) for name in columns)
        for start in range(0, count, STORE_BATCH):
            arrays = self._store_arrays(columns, start)
            # a value that did not change is left as it is: no new row
            # version, and its write date says when it last changed
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO crm_bsc_indicator_value AS old (
                        %(names)s, company_id, compute_token, source,
                        set_by_id, set_date, create_uid, create_date, write_uid,
                        write_date)
                    SELECT v.*, %(company)s, %(token)s, 'computed',
                           %(uid)s, %(now)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                      FROM unnest(%(arrays)s) AS v(%(names)s)
                    ON CONFLICT (indicator_id, period_id, company_id,
                                 COALESCE(segment_id, 0), COALESCE(channel_id, 0),
                                 COALESCE(user_id, 0), COALESCE(team_id, 0))
                    DO UPDATE SET has_value = EXCLUDED.has_value,
                                  value = EXCLUDED.value,
                                  target = EXCLUDED.target,
                                  score = EXCLUDED.score,
                                  status = EXCLUDED.status,
                                  note = EXCLUDED.note,
                                  compute_token = EXCLUDED.compute_token,
                                  source = 'computed',
                                  set_by_id = EXCLUDED.set_by_id,
                                  set_date = EXCLUDED.set_date,
                                  write_uid = EXCLUDED.write_uid,
                                  write_date = EXCLUDED.write_date
                    WHERE (old.has_value, old.value, old.target, old.score,
                           old.status, old.note, old.source)
                          IS DISTINCT FROM
                          (EXCLUDED.has_value, EXCLUDED.value, EXCLUDED.target,
                           EXCLUDED.score, EXCLUDED.status, EXCLUDED.note,
                           'computed')
                    """,
                    names=names,
                    arrays=arrays,
                    company=scope.company_id,
                    token=token,
                    uid=self.env.uid,
                    now=now,
                )
            )
        # values of the scope computed before that this run no longer
        # produces (a salesperson without data now, a channel not watched)
        key_columns = ("indicator_id", "period_id", *KEY_DIMENSIONS)
        produced = set(
            zip(
                *([item or 0 for item in columns[name]] for name in key_columns),
                strict=True,
            )
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT id, indicator_id, period_id, COALESCE(segment_id, 0),
                       COALESCE(channel_id, 0), COALESCE(user_id, 0),
                       COALESCE(team_id, 0)
                  FROM crm_bsc_indicator_value
                 WHERE indicator_id = ANY(%s) AND company_id = %s
                   AND period_id = ANY(%s) AND COALESCE(segment_id, 0) = ANY(%s)
                   AND source = 'computed'
                """,
                [indicator.id for indicator in indicators],
                scope.company_id,
                list(open_ids),
                [segment or 0 for segment in scope.segment_ids],
            )
        )
        stale = [row[0] for row in self.env.cr.fetchall() if row[1:] not in produced]
        if stale:
            self.env.cr.execute(
                SQL("DELETE FROM crm_bsc_indicator_value WHERE id = ANY(%s)", stale)
            )
        self.env["crm.bsc.indicator.value"].invalidate_model()
        return count

    @api.model
    def _store_arrays(self, columns, start):
        """The typed SQL arrays of the batch of ``columns`` {name: [item]}
        that begins at ``start``."""
        return SQL(", ").join(
            SQL(
                "%s::%s",
                engine_tools.array_literal(columns[name][start : start + STORE_BATCH]),
                sql_type,
            )
            for name, sql_type in STORE_COLUMNS
        )
