"""The floor: the 17 built-in indicators from hand-written SQL.

Written from the definitions of ``crm_bsc_scorecard/tools/builtins.py``,
independently of the engine's SQL, with as few passes over the data as I
could: one statement reads crm_lead once (a materialised CTE that every
family shares), mail_message and mail_activity once each, res_partner twice
(the commercial entity of each lead's partner, then the customers).

- Each lead is placed in its period with ``width_bucket`` over the period
  starts (no join with the periods).
- What is counted "on the last day of a period" (open pipeline, customers
  created by then, activities due by then) is a running total: each record
  adds at the period it enters and removes at the period it leaves (a
  window sum over the periods).
- Active customers: each customer's transactions (per channel, salesperson
  and team too) become islands of activity [first day, last day + window);
  an island counts +1 at the first period end it covers and -1 after its
  last. Retained customers are the cohort less the customers whose activity
  ends in the period.

The numbers are fetched to the client and turned into values, not stored.
"""

import itertools
import time
from datetime import timedelta

from odoo.tools import SQL

ONE_DAY = timedelta(days=1)

DIMS = ("seg", "ch", "u", "t")
# grouping sets of the lead-level families: all customers and per segment,
# each in total, per channel, per salesperson and per team
SETS = [(), ("ch",), ("u",), ("t",)]


def _sets(index, dims=SETS, segment=True):
    """GROUPING SETS over ``index`` (the period) and the dimensions."""
    groups = []
    for dim in dims:
        groups.append((index, *dim))
        if segment:
            groups.append((index, "seg", *dim))
    return SQL(", ").join(
        SQL("(%s)", SQL(", ").join(SQL.identifier(name) for name in group))
        for group in groups
    )


def _mask(names=DIMS):
    return SQL(" + ").join(
        SQL("GROUPING(%s) * %s", SQL.identifier(name), 1 << (3 - index))
        for index, name in enumerate(names)
    )


def floor_query(company_id, periods, window, today, comment_id, internal_ids):
    """The one statement of the floor. ``periods`` are consecutive
    [(id, start, end)] sorted by date; ``internal_ids`` are the partners of
    the internal users."""
    starts = [start for _id, start, _end in periods] + [periods[-1][2] + ONE_DAY]
    # the days on which customer activity is read: the day before the first
    # period, then the last day of each period
    ends = [periods[0][1] - ONE_DAY] + [end for _id, _start, end in periods]
    count = len(periods)
    lead_sets = _sets("b")
    return SQL(
        """
        WITH lf AS MATERIALIZED (
            SELECT l.id, l.create_date, l.customer_segment_id AS seg,
                   l.contact_channel_id AS ch, l.user_id AS u, l.team_id AS t,
                   width_bucket(l.create_date::date, %(starts)s::date[]) AS cb,
                   width_bucket(l.date_closed::date, %(starts)s::date[]) AS xb,
                   width_bucket(COALESCE(l.date_conversion, l.create_date)::date,
                                %(starts)s::date[]) AS ob,
                   l.date_closed::date AS xd, l.date_closed IS NOT NULL AS closed,
                   l.type = 'opportunity' AS opp, l.active,
                   l.active AND COALESCE(s.is_won, FALSE) AS won,
                   NOT l.active AND COALESCE(l.probability, 0) = 0 AS lost,
                   l.type = 'opportunity' OR l.date_conversion IS NOT NULL AS converted,
                   COALESCE(l.expected_revenue, 0) AS amount,
                   COALESCE(l.expected_revenue, 0)
                       * COALESCE(l.probability, 0)::numeric / 100 AS weighted,
                   extract(epoch FROM l.date_closed - l.create_date) / 86400 AS cycle,
                   p.commercial_partner_id AS customer
              FROM crm_lead l
              LEFT JOIN crm_stage s ON s.id = l.stage_id
              LEFT JOIN res_partner p ON p.id = l.partner_id
             WHERE l.company_id = %(company)s
        ),
        cp AS MATERIALIZED (
            SELECT c.id, c.customer_segment_id AS seg, c.preferred_channel_id AS ch,
                   c.user_id AS u, c.active,
                   width_bucket(c.create_date::date, %(starts)s::date[]) AS b,
                   c.customer_segment_id IS NOT NULL
                   AND c.preferred_channel_id IS NOT NULL
                   AND COALESCE(c.email, '') <> ''
                   AND (COALESCE(c.phone, '') <> '' OR COALESCE(c.mobile, '') <> '')
                       AS complete
              FROM res_partner c
             WHERE c.id IN (SELECT customer FROM lf)
        ),
        resp AS (
            SELECT m.res_id AS id, min(m.date) AS first_at
              FROM mail_message m
              JOIN lf ON lf.id = m.res_id
             WHERE m.model = 'crm.lead'
               AND lf.cb BETWEEN 1 AND %(n)s
               AND m.date >= lf.create_date
               AND (m.mail_activity_type_id IS NOT NULL
                    OR (m.message_type IN ('email', 'comment')
                        AND m.subtype_id = %(comment)s))
               AND m.author_id = ANY(%(internal)s)
             GROUP BY m.res_id
        ),
        created(part, b, seg, ch, u, t, mask, m1, m2, m3, m4) AS (
            SELECT 'created' AS part, b, seg, ch, u, t, %(mask)s AS mask,
                   count(*)::numeric AS m1,
                   count(*) FILTER (WHERE converted)::numeric AS m2,
                   COALESCE(sum(hours), 0) AS m3,
                   count(hours)::numeric AS m4
              FROM (SELECT lf.cb AS b, lf.seg, lf.ch, lf.u, lf.t, lf.converted,
                           extract(epoch FROM r.first_at - lf.create_date) / 3600
                               AS hours
                      FROM lf LEFT JOIN resp r ON r.id = lf.id
                     WHERE lf.cb BETWEEN 1 AND %(n)s) AS x
             GROUP BY GROUPING SETS (%(lead_sets)s)
        ),
        closed(part, b, seg, ch, u, t, mask, m1, m2, m3, m4) AS (
            SELECT 'closed', b, seg, ch, u, t, %(mask)s,
                   count(*) FILTER (WHERE won)::numeric,
                   COALESCE(sum(amount) FILTER (WHERE won), 0),
                   COALESCE(sum(cycle) FILTER (WHERE won), 0),
                   count(*) FILTER (WHERE lost)::numeric
              FROM (SELECT lf.*, lf.xb AS b FROM lf
                     WHERE lf.opp AND lf.xb BETWEEN 1 AND %(n)s) AS x
             GROUP BY GROUPING SETS (%(lead_sets)s)
        ),
        pipeline(part, b, seg, ch, u, t, mask, m1, m2, m3, m4) AS (
            -- an opportunity is open at the end of the periods from the one it
            -- opened in to the one before it closed: +amount, then -amount
            SELECT 'pipeline', b, seg, ch, u, t, %(mask)s,
                   sum(sign * amount), sum(sign * weighted), NULL::numeric,
                   NULL::numeric
              FROM (SELECT lf.*, e.b, e.sign
                      FROM lf
                     CROSS JOIN LATERAL (VALUES (GREATEST(lf.ob, 1), 1),
                                                (lf.xb, -1)) AS e(b, sign)
                     WHERE lf.opp
                       AND (lf.closed OR (lf.active AND NOT lf.won))
                       AND GREATEST(lf.ob, 1) <= %(n)s
                       AND (lf.xb IS NULL OR lf.xb > GREATEST(lf.ob, 1))
                       AND e.b <= %(n)s) AS x
             GROUP BY GROUPING SETS (%(lead_sets)s)
        ),
        activities(part, b, seg, ch, u, t, mask, m1, m2, m3, m4) AS (
            -- due by the end of a period from the period of its deadline on
            SELECT 'activities', b, seg, ch, u, t, %(mask)s,
                   count(*)::numeric, count(*) FILTER (WHERE overdue)::numeric,
                   NULL::numeric, NULL::numeric
              FROM (SELECT GREATEST(width_bucket(a.date_deadline, %(starts)s::date[]),
                                    1) AS b,
                           lf.seg, lf.ch, a.user_id AS u, lf.t,
                           a.date_deadline < %(today)s AS overdue
                      FROM mail_activity a JOIN lf ON lf.id = a.res_id
                     WHERE a.res_model = 'crm.lead' AND a.active) AS x
             WHERE b <= %(n)s
             GROUP BY GROUPING SETS (%(lead_sets)s)
        ),
        completeness(part, b, seg, ch, u, t, mask, m1, m2, m3, m4) AS (
            SELECT 'completeness', b, seg, ch, u, NULL::int, %(mask3)s + 1,
                   count(*)::numeric, count(*) FILTER (WHERE complete)::numeric,
                   NULL::numeric, NULL::numeric
              FROM (SELECT GREATEST(cp.b, 1) AS b, cp.seg, cp.ch, cp.u, cp.complete
                      FROM cp WHERE cp.active) AS x
             WHERE b <= %(n)s
             GROUP BY GROUPING SETS (%(customer_sets)s)
        ),
        tx AS MATERIALIZED (
            SELECT lf.id, lf.customer, lf.xd AS d, lf.ch, lf.u, lf.t, cp.seg
              FROM lf JOIN cp ON cp.id = lf.customer
             WHERE lf.won AND lf.opp AND lf.closed
        ),
        first_tx AS (
            SELECT DISTINCT ON (customer) customer, d, ch, u, t, seg
              FROM tx ORDER BY customer, d, id
        ),
        new(part, b, seg, ch, u, t, mask, m1, m2, m3, m4) AS (
            SELECT 'new', b, seg, ch, u, t, %(mask)s, count(*)::numeric,
                   NULL::numeric, NULL::numeric, NULL::numeric
              FROM (SELECT width_bucket(d, %(starts)s::date[]) AS b, seg, ch, u, t
                      FROM first_tx) AS x
             WHERE b BETWEEN 1 AND %(n)s
             GROUP BY GROUPING SETS (%(lead_sets)s)
        ),
        -- activity per customer and dimension (kind 0: any, 1: channel,
        -- 2: salesperson, 3: team): islands [a, z) of days with a
        -- transaction in the window before them
        txk AS (
            SELECT tx.customer, tx.seg, tx.d, k.kind, k.val
              FROM tx CROSS JOIN LATERAL (VALUES (0, 0), (1, tx.ch), (2, tx.u),
                                                 (3, tx.t)) AS k(kind, val)
             WHERE k.val IS NOT NULL
        ),
        starts AS (
            SELECT txk.*,
                   CASE WHEN d <= lag(d) OVER w + %(window)s THEN 0 ELSE 1 END AS s
              FROM txk WINDOW w AS (PARTITION BY customer, kind, val ORDER BY d)
        ),
        islands AS MATERIALIZED (
            SELECT customer, seg, kind, val,
                   width_bucket(min(d) - 1, %(ends)s::date[]) AS js,
                   width_bucket(max(d) + %(window)s - 1, %(ends)s::date[]) AS je
              FROM (SELECT starts.*, sum(s) OVER (PARTITION BY customer, kind, val
                                                  ORDER BY d ROWS UNBOUNDED PRECEDING)
                               AS g
                      FROM starts) AS x
             GROUP BY customer, seg, kind, val, g
        ),
        active(part, b, seg, ch, u, t, mask, m1, m2, m3, m4) AS (
            -- active on the j-th day of ``ends`` (0: before the first period)
            SELECT 'active', j, seg, kind, val, NULL::int,
                   GROUPING(seg) * 8 + 7, sum(sign)::numeric, NULL::numeric,
                   NULL::numeric, NULL::numeric
              FROM (SELECT i.*, e.j, e.sign
                      FROM islands i
                     CROSS JOIN LATERAL (VALUES (i.js, 1), (i.je, -1)) AS e(j, sign)
                     WHERE i.js < i.je AND e.j <= %(n)s) AS x
             GROUP BY GROUPING SETS ((j, kind, val), (j, seg, kind, val))
        ),
        churn AS (
            -- the customer is active at the end of period j - 1, not at its end
            SELECT customer, je AS j
              FROM (SELECT i.*, lead(js) OVER w AS next_js, lead(je) OVER w AS next_je
                      FROM islands i WHERE kind = 0
                    WINDOW w AS (PARTITION BY customer ORDER BY js, je)) AS x
             WHERE js < je AND je BETWEEN 1 AND %(n)s
               AND NOT (next_js IS NOT NULL AND next_js <= je AND next_je > je)
        ),
        lost(part, b, seg, ch, u, t, mask, m1, m2, m3, m4) AS (
            SELECT 'lost', j, seg, kind, val, NULL::int, GROUPING(seg) * 8 + 7,
                   count(*)::numeric, NULL::numeric, NULL::numeric, NULL::numeric
              FROM (SELECT c.j, i.seg, i.kind, i.val
                      FROM churn c
                      JOIN islands i ON i.customer = c.customer
                                    AND i.js <= c.j - 1 AND c.j - 1 < i.je) AS x
             GROUP BY GROUPING SETS ((j, kind, val), (j, seg, kind, val))
        )
        SELECT * FROM created
        UNION ALL SELECT * FROM closed
        UNION ALL SELECT * FROM new
        UNION ALL SELECT * FROM lost
        UNION ALL
        -- running totals, from the first period on
        SELECT part, b, seg, ch, u, t, mask, sum(m1) OVER w, sum(m2) OVER w,
               NULL, NULL
          FROM (SELECT * FROM pipeline UNION ALL SELECT * FROM activities
                UNION ALL SELECT * FROM completeness
                UNION ALL SELECT * FROM active) AS r
        WINDOW w AS (PARTITION BY part, mask, seg, ch, u, t ORDER BY b)
        """,
        starts=starts,
        ends=ends,
        n=count,
        company=company_id,
        comment=comment_id,
        internal=internal_ids,
        today=today,
        window=window,
        mask=_mask(),
        mask3=_mask(("seg", "ch", "u")),
        lead_sets=lead_sets,
        customer_sets=_sets("b", [(), ("ch",), ("u",)]),
    )


# Families whose rows are changes to add up period after period.
RUNNING = {"pipeline", "activities", "completeness", "active"}
MEASURES = {
    "created": ("created", "converted", "hours", "answered"),
    "closed": ("won", "won_amount", "cycle", "lost"),
    "pipeline": ("amount", "weighted"),
    "activities": ("due", "overdue"),
    "completeness": ("customers", "complete"),
    "new": ("new",),
    "active": ("active",),
    "lost": ("churned",),
}
KIND_DIMENSION = {1: 1, 2: 2, 3: 3}  # kind -> index in (ch, u, t)


def decode(rows, period_ids):
    """{part: {(index, seg, ch, u, t): {measure: Decimal}}} from the rows.

    Running families become totals per period; ``active`` is indexed from
    0 (the day before the first period) to the number of periods.
    """
    raw = {}
    for part, index, seg, dim1, dim2, dim3, mask, *numbers in rows:
        if part in ("active", "lost"):
            kind, val = dim1, dim2
            dims = [None, None, None]
            if kind:
                dims[kind - 1] = val
            segment = None if mask & 8 else seg
            if not (mask & 8) and seg is None:
                continue
            key = (segment, *dims)
        else:
            values = []
            skip = False
            for bit, value in zip((8, 4, 2, 1), (seg, dim1, dim2, dim3), strict=True):
                if mask & bit:
                    values.append(None)
                elif value is None:
                    skip = True  # no segment, channel... of its own: in totals only
                    break
                else:
                    values.append(value)
            if skip:
                continue
            key = tuple(values)
        names = MEASURES[part]
        table = raw.setdefault(part, {}).setdefault(key, {})
        table[index] = dict(zip(names, numbers, strict=False))
    tables = {}
    count = len(period_ids)
    for part, by_key in raw.items():
        out = tables.setdefault(part, {})
        names = MEASURES[part]
        for key, by_index in by_key.items():
            if part in RUNNING:
                # totals at the periods with a change: carry them forward
                current = None
                for index in range(min(by_index), count + 1):
                    current = by_index.get(index, current)
                    out[(index, *key)] = current
            else:
                for index, numbers in by_index.items():
                    out[(index, *key)] = numbers
    return tables


def _ratio(num, den, scale=1.0):
    if not den:
        return None
    return scale * float(num) / float(den)


def values(tables, period_ids, segment_ids, channel_ids):
    """{(code, period id, seg, ch, u, t): value} of the 17 built-ins."""
    out = {}
    segments = [None, *segment_ids]
    channels = set(channel_ids)
    required = [
        (seg, ch, None, None) for seg in segments for ch in [None, *channel_ids]
    ]

    def keys(part):
        found = {key[1:] for key in tables.get(part, {})}
        return [
            key
            for key in found | set(required)
            if key[0] in segments and (key[1] is None or key[1] in channels)
        ]

    def get(part, index, key):
        return tables.get(part, {}).get((index, *key), {})

    for index, period_id in enumerate(period_ids, start=1):
        for key in keys("closed"):
            m = get("closed", index, key)
            won, amount = m.get("won", 0), m.get("won_amount", 0)
            lost = m.get("lost", 0)
            out[("won_deals", period_id, *key)] = float(won)
            out[("won_revenue", period_id, *key)] = float(amount)
            out[("avg_deal_size", period_id, *key)] = _ratio(amount, won)
            out[("sales_cycle_days", period_id, *key)] = _ratio(m.get("cycle", 0), won)
            out[("win_rate", period_id, *key)] = _ratio(won, won + lost, 100.0)
            out[("lost_rate", period_id, *key)] = _ratio(lost, won + lost, 100.0)
        for key in keys("created"):
            m = get("created", index, key)
            out[("new_leads", period_id, *key)] = float(m.get("created", 0))
            out[("lead_conversion_rate", period_id, *key)] = _ratio(
                m.get("converted", 0), m.get("created", 0), 100.0
            )
            out[("first_response_hours", period_id, *key)] = _ratio(
                m.get("hours", 0), m.get("answered", 0)
            )
        for key in keys("pipeline"):
            m = get("pipeline", index, key)
            out[("pipeline_value", period_id, *key)] = float(m.get("amount", 0))
            out[("weighted_pipeline", period_id, *key)] = float(m.get("weighted", 0))
        for key in keys("activities"):
            m = get("activities", index, key)
            out[("overdue_activity_share", period_id, *key)] = _ratio(
                m.get("overdue", 0), m.get("due", 0), 100.0
            )
        for key in keys("completeness"):
            m = get("completeness", index, key)
            out[("data_completeness", period_id, *key)] = _ratio(
                m.get("complete", 0), m.get("customers", 0), 100.0
            )
        for key in keys("new"):
            out[("new_customers", period_id, *key)] = float(
                get("new", index, key).get("new", 0)
            )
        for key in set(keys("active")) | set(keys("lost")):
            active = get("active", index, key).get("active", 0)
            cohort = get("active", index - 1, key).get("active", 0)
            churned = get("lost", index, key).get("churned", 0)
            out[("active_customers", period_id, *key)] = float(active)
            retained = cohort - churned
            out[("retention_rate", period_id, *key)] = _ratio(retained, cohort, 100.0)
            out[("churn_rate", period_id, *key)] = (
                None if not cohort else 100.0 - 100.0 * float(retained) / float(cohort)
            )
    return out


def run(cr, meta, today):
    """Run the floor: {key: value} and the seconds the SQL took and all."""
    periods = _periods(cr, meta["period_ids"])
    cr.execute(
        SQL(
            "SELECT bsc_activity_window_days FROM res_company WHERE id = %s",
            meta["company_id"],
        )
    )
    window = cr.fetchone()[0] or 365
    cr.execute(
        SQL(
            "SELECT res_id FROM ir_model_data WHERE module = 'mail' "
            "AND name = 'mt_comment'"
        )
    )
    comment_id = cr.fetchone()[0]
    # internal users, archived ones included: an answer is an answer
    cr.execute(SQL("SELECT partner_id FROM res_users WHERE NOT share"))
    internal_ids = [row[0] for row in cr.fetchall()]
    # JIT compiling this statement takes seconds, more than it saves; the
    # estimates of the shared CTE are poor, and a nested loop over a million
    # leads (one index probe of mail_message each) is the planner's worst pick
    cr.execute(SQL("SET LOCAL jit = off"))
    cr.execute(SQL("SET LOCAL enable_nestloop = off"))
    started = time.monotonic()
    cr.execute(
        floor_query(
            meta["company_id"], periods, window, today, comment_id, internal_ids
        )
    )
    rows = cr.fetchall()
    fetched = time.monotonic()
    period_ids = [period[0] for period in periods]
    result = values(
        decode(rows, period_ids), period_ids, meta["segment_ids"], meta["channel_ids"]
    )
    done = time.monotonic()
    return result, {
        "seconds": done - started,
        "sql_seconds": fetched - started,
        "rows": len(rows),
    }


def _periods(cr, period_ids):
    cr.execute(
        SQL(
            "SELECT id, date_from, date_to FROM crm_bsc_period WHERE id = ANY(%s) "
            "ORDER BY date_from",
            list(period_ids),
        )
    )
    periods = cr.fetchall()
    for (_id, _start, end), (_next, start, _end) in itertools.pairwise(periods):
        if (start - end).days != 1:
            raise ValueError("the floor needs consecutive periods")
    return periods
