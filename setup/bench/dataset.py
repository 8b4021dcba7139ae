"""The benchmark's synthetic CRM, loaded with bulk SQL.

At a scale of N customers: N companies, ten leads each over the 36 months
that end with the current month, their messages (first responses, customer
e-mails, internal notes) and the open activities of their open leads; five
segments, six active contact channels, twenty salespeople in four teams.
Then, through the ORM: the 36 monthly periods, the 17 built-in indicators
and six active scorecards (all customers and one per segment).

Every draw is a hash of a row number and a salt (``pg_temp.r``), so the
same scale built on the same day gives the same data.
"""

import contextlib
import json
from datetime import date, datetime, time, timedelta
from time import monotonic

import psycopg2
from common import META_PARAM, maintenance, progress
from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.tools import SQL

MONTHS = 36
LEADS_PER_PARTNER = 10
SALESPEOPLE = 20
TEAMS = 4
# Segments: name, code, share of the customers (cumulative upper bound),
# deal size range and share of the closed opportunities that are won.
SEGMENTS = [
    ("Enterprise", "ENT", 0.10, 20000, 150000, 0.40),
    ("Mid-market", "MID", 0.35, 5000, 40000, 0.42),
    ("Small business", "SMB", 0.75, 500, 6000, 0.48),
    ("Public sector", "PUB", 0.85, 10000, 90000, 0.35),
    ("Resellers", "RES", 0.98, 4000, 30000, 0.55),
]  # the remaining 2 % of the customers have no segment
ACTIVE_CHANNELS = ("phone", "email", "web", "social", "field", "partner")
ARCHIVED_CHANNELS = ("event", "other")
# Scorecard targets per 10,000 customers (counts and amounts scale).
TARGETS = {
    "new_customers": 60,
    "active_customers": 3500,
    "retention_rate": 85,
    "churn_rate": 15,
    "won_revenue": 4000000,
    "won_deals": 350,
    "avg_deal_size": 12000,
    "win_rate": 45,
    "lost_rate": 50,
    "pipeline_value": 30000000,
    "weighted_pipeline": 9000000,
    "sales_cycle_days": 45,
    "new_leads": 900,
    "lead_conversion_rate": 70,
    "first_response_hours": 12,
    "overdue_activity_share": 20,
    "data_completeness": 60,
}
SCALED_UNITS = ("count", "currency")
BIG_TABLES = ("res_partner", "crm_lead", "mail_message", "mail_activity")


def history_bounds(today):
    """First and last day of the 36 months that end with today's month."""
    first = (today.replace(day=1) - relativedelta(months=MONTHS - 1)).replace(day=1)
    last = today.replace(day=1) + relativedelta(months=1) - timedelta(days=1)
    return first, last


def load(env, partners, today=None):
    """Build everything on a fresh database; return the seconds per stage."""
    today = today or date.today()
    first, last = history_bounds(today)
    config = configure(env)
    env.flush_all()
    stages = {}
    with stage(stages, "bulk SQL"):
        load_sql(env.cr, config, partners, first, today)
    with stage(stages, "ORM: periods, indicators, scorecards"):
        meta = create_scorecards(env, config, partners, first, last, today)
    env.cr.execute(SQL("DELETE FROM crm_bsc_dirty"))
    env["ir.config_parameter"].sudo().set_param(META_PARAM, json.dumps(meta))
    env.flush_all()
    env.cr.commit()
    # vacuum now rather than in the background during the measures, and set
    # the hint bits that the first reader would otherwise write
    with stage(stages, "VACUUM ANALYZE"):
        maintenance(
            env.cr.dbname,
            SQL(
                "VACUUM (FREEZE, ANALYZE) %s",
                SQL(", ").join(
                    SQL.identifier(table)
                    for table in (*BIG_TABLES, "crm_bsc_indicator_value")
                ),
            ),
        )
    return stages


@contextlib.contextmanager
def stage(stages, name):
    """Time a stage of the load into ``stages``."""
    started = monotonic()
    progress(f"load: {name}...")
    yield
    stages[name] = monotonic() - started
    progress(f"load: {name} done in {stages[name]:.1f} s")


# ----------------------------------------------------------------------
# Configuration records (a handful, through the ORM)
# ----------------------------------------------------------------------
def configure(env):
    """Segments, channels, teams and salespeople; their ids for the SQL."""
    company = env.company
    company.bsc_activity_window_days = 365
    Channel = env["crm.contact.channel"].with_context(active_test=False)
    channels = {channel.code: channel for channel in Channel.search([])}
    Channel.browse([channels[code].id for code in ARCHIVED_CHANNELS]).write(
        {"active": False}
    )
    partner_source = env["utm.source"].create({"name": "Partner Referral"})
    channels["partner"].write({"source_ids": [Command.link(partner_source.id)]})
    segments = env["crm.customer.segment"].create(
        [
            {"name": name, "code": code, "sequence": index, "color": index + 1}
            for index, (name, code, *_rest) in enumerate(SEGMENTS)
        ]
    )
    salesman = env.ref("sales_team.group_sale_salesman")
    users = (
        env["res.users"]
        .with_context(no_reset_password=True, mail_create_nolog=True)
        .create(
            [
                {
                    "name": f"Salesperson {index + 1:02d}",
                    "login": f"bench_sales_{index + 1:02d}",
                    "email": f"sales{index + 1:02d}@bench.example.com",
                    "groups_id": [Command.set([salesman.id])],
                    "company_id": company.id,
                    "company_ids": [Command.set([company.id])],
                }
                for index in range(SALESPEOPLE)
            ]
        )
    )
    per_team = SALESPEOPLE // TEAMS
    teams = env["crm.team"].create(
        [
            {
                "name": f"Bench Team {chr(65 + index)}",
                "company_id": company.id,
                "member_ids": [
                    Command.set(users[index * per_team : (index + 1) * per_team].ids)
                ],
            }
            for index in range(TEAMS)
        ]
    )
    active = [channels[code] for code in ACTIVE_CHANNELS]
    stages = env["crm.stage"].search([("is_won", "=", False)], order="sequence, id")
    return {
        "company": company,
        "segments": segments,
        "channels": active,
        "users": users,
        "teams": teams,
        "open_stages": stages[:3],
        "won_stage": env["crm.stage"].search([("is_won", "=", True)], limit=1),
        "lost_reasons": env["crm.lost.reason"].search([], limit=3),
        "activity_types": [
            env.ref(f"mail.mail_activity_data_{name}")
            for name in ("call", "email", "meeting", "todo")
        ],
        "comment": env.ref("mail.mt_comment"),
        "note": env.ref("mail.mt_note"),
        "activities": env.ref("mail.mt_activities"),
        "lead_model": env["ir.model"]._get("crm.lead"),
    }


# ----------------------------------------------------------------------
# Bulk SQL
# ----------------------------------------------------------------------
def load_sql(cr, config, partners, first, today):
    anchor = datetime.combine(today, time.min)
    t0 = datetime.combine(first, time.min)
    span = (anchor - t0).total_seconds()
    cr.execute(SQL("SET LOCAL maintenance_work_mem = '512MB'"))
    cr.execute(SQL("SET LOCAL work_mem = '256MB'"))
    cr.execute(SQL("SET LOCAL jit = off"))
    # the rows reference existing records by construction: skip the foreign
    # key triggers when the role may (a superuser)
    with contextlib.suppress(psycopg2.Error), cr.savepoint():
        cr.execute(SQL("SET LOCAL session_replication_role = replica"))
    _functions(cr)
    _config_tables(cr, config)
    indexes = _drop_indexes(cr)
    progress(f"load: {partners:,} customers...")
    _partners(cr, partners, t0, span)
    progress(f"load: {partners * LEADS_PER_PARTNER:,} leads...")
    _leads(cr, config, t0, span, anchor)
    progress("load: messages...")
    _messages(cr, config, anchor)
    progress("load: activities...")
    _activities(cr, config, today)
    progress(f"load: recreating {len(indexes)} indexes...")
    for statement in indexes:
        cr.execute(SQL(statement))  # the definitions read from pg_index
    for table in BIG_TABLES:
        cr.execute(
            SQL(
                "SELECT setval(%s, (SELECT max(id) FROM %s))",
                f"{table}_id_seq",
                SQL.identifier(table),
            )
        )


def _functions(cr):
    # r(k, salt): a uniform draw in [0, 1) from a row number and a salt
    cr.execute(
        SQL(
            """
            CREATE FUNCTION pg_temp.r(k bigint, salt integer) RETURNS float8
            LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
            'SELECT (hashint8extended(k, salt) & 9007199254740991)::float8
                    / 9007199254740992.0'
            """
        )
    )


def _values(rows):
    return SQL(", ").join(
        SQL("(%s)", SQL(", ").join(SQL("%s", value) for value in row)) for row in rows
    )


def _config_tables(cr, config):
    segments = [
        (index, segment.id, lo, hi, win)
        for index, (segment, (*_names, _share, lo, hi, win)) in enumerate(
            zip(config["segments"], SEGMENTS, strict=True)
        )
    ]
    per_team = SALESPEOPLE // TEAMS
    users = [
        (index, user.id, user.partner_id.id, config["teams"][index // per_team].id)
        for index, user in enumerate(config["users"])
    ]
    channels = []
    for index, channel in enumerate(config["channels"]):
        medium = channel.medium_ids.sorted("id")[:1].id or None
        source = None if medium else channel.source_ids.sorted("id")[:1].id or None
        channels.append((index, channel.id, medium, source))
    cr.execute(
        SQL(
            """
            CREATE TEMP TABLE bench_seg (idx int, id int, lo float8, hi float8,
                                         win float8);
            INSERT INTO bench_seg VALUES %s;
            CREATE TEMP TABLE bench_user (idx int, id int, partner_id int, team_id int);
            INSERT INTO bench_user VALUES %s;
            CREATE TEMP TABLE bench_ch (idx int, id int, medium_id int, source_id int);
            INSERT INTO bench_ch VALUES %s;
            """,
            _values(segments),
            _values(users),
            _values(channels),
        )
    )


def _drop_indexes(cr):
    """Drop the secondary indexes of the big tables (loading is much faster
    without them); return the statements that recreate them."""
    cr.execute(
        SQL(
            """
            SELECT c.relname, pg_get_indexdef(i.indexrelid)
              FROM pg_index i
              JOIN pg_class c ON c.oid = i.indexrelid
             WHERE i.indrelid = ANY(%s::regclass[])
               AND NOT i.indisprimary
               AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                                WHERE k.conindid = i.indexrelid)
            """,
            list(BIG_TABLES),
        )
    )
    rows = cr.fetchall()
    for name, _definition in rows:
        cr.execute(SQL("DROP INDEX %s", SQL.identifier(name)))
    return [definition for _name, definition in rows]


def _partners(cr, partners, t0, span):
    cr.execute(
        SQL(
            """
            CREATE TEMP TABLE bench_p AS
            WITH g AS (
                SELECT i,
                       CASE WHEN u < 0.10 THEN 0 WHEN u < 0.35 THEN 1
                            WHEN u < 0.75 THEN 2 WHEN u < 0.85 THEN 3
                            WHEN u < 0.98 THEN 4 END AS seg_idx,
                       CASE WHEN pg_temp.r(i, 2) < 0.3 THEN 0.0
                            ELSE 0.9 * pg_temp.r(i, 3) END AS life_a
                  FROM (SELECT i, pg_temp.r(i, 1) AS u
                          FROM generate_series(0, %(n)s - 1) AS i) AS s
            ), h AS (
                SELECT g.*,
                       CASE WHEN pg_temp.r(i, 4) < 0.25  -- churns at some point
                            THEN life_a + (1 - life_a) * (0.15 + 0.85 * pg_temp.r(i, 5))
                            ELSE 1.0 END AS life_b
                  FROM g
            )
            SELECT (SELECT last_value FROM res_partner_id_seq) + i + 1 AS id, h.*,
                   -- a few customers moved to another segment halfway
                   CASE WHEN seg_idx IS NOT NULL AND pg_temp.r(i, 6) < 0.05
                        THEN mod(seg_idx + 1 + floor(pg_temp.r(i, 7) * 4)::int, 5)
                        END AS old_seg_idx,
                   %(t0)s::timestamp + (life_a + (life_b - life_a) / 2) * %(span)s
                       * interval '1 second' AS move_at,
                   CASE WHEN pg_temp.r(i, 8) >= 0.02
                        THEN COALESCE(seg_idx, floor(pg_temp.r(i, 9) * 5)::int) * 4
                             + floor(pg_temp.r(i, 10) * 4)::int
                        END AS user_idx,
                   CASE WHEN pg_temp.r(i, 11) < 0.6
                        THEN mod(COALESCE(seg_idx, 0)
                                 + floor(pg_temp.r(i, 12) ^ 2 * 6)::int, 6)
                        END AS pref_idx,
                   pg_temp.r(i, 13) < 0.85 AS has_email,
                   pg_temp.r(i, 14) AS u_phone,
                   date_trunc('second', %(t0)s::timestamp
                       + (life_a * %(span)s - pg_temp.r(i, 15) * 90 * 86400)
                         * interval '1 second') AS created
              FROM h
            """,
            n=partners,
            t0=t0,
            span=span,
        )
    )
    cr.execute(
        SQL(
            """
            INSERT INTO res_partner (
                id, name, complete_name, commercial_company_name, is_company, type,
                active, lang, commercial_partner_id, user_id, email, email_normalized,
                phone, mobile, customer_segment_id, customer_segment_locked,
                preferred_channel_id, partner_share, employee, color,
                create_uid, write_uid, create_date, write_date)
            SELECT p.id, n.name, n.name, n.name, TRUE, 'contact', TRUE, 'en_US', p.id,
                   u.id, n.email, n.email,
                   CASE WHEN p.u_phone < 0.70 THEN n.phone END,
                   CASE WHEN p.u_phone >= 0.70 AND p.u_phone < 0.80 THEN n.phone END,
                   s.id, FALSE, c.id, TRUE, FALSE, 0, 1, 1, p.created, p.created
              FROM bench_p p
              CROSS JOIN LATERAL (
                  SELECT 'Customer ' || lpad(p.i::text, 7, '0') AS name,
                         CASE WHEN p.has_email
                              THEN 'info@customer' || p.i || '.example.com'
                              END AS email,
                         '+1 555 ' || lpad(p.i::text, 7, '0') AS phone
              ) AS n
              LEFT JOIN bench_seg s ON s.idx = p.seg_idx
              LEFT JOIN bench_user u ON u.idx = p.user_idx
              LEFT JOIN bench_ch c ON c.idx = p.pref_idx
             ORDER BY p.id
            """
        )
    )


def _leads(cr, config, t0, span, anchor):
    open_stages = config["open_stages"].ids
    cr.execute(
        SQL(
            """
            CREATE TEMP TABLE bench_l AS
            WITH b AS (
                SELECT p.i, p.id AS partner_id, p.seg_idx, p.old_seg_idx, p.move_at,
                       p.user_idx AS p_user_idx, p.pref_idx, j,
                       p.i::bigint * %(per)s + j AS k,
                       date_trunc('second', %(t0)s::timestamp
                           + (p.life_a + (p.life_b - p.life_a)
                              * pg_temp.r(p.i::bigint * %(per)s + j, 20))
                             * %(span)s * interval '1 second') AS created
                  FROM bench_p p CROSS JOIN generate_series(0, %(per)s - 1) AS j
            ), c AS (
                SELECT b.*,
                       pg_temp.r(k, 21) < 0.35 AS inbound,  -- came in as a lead
                       pg_temp.r(k, 22) < 0.6 AS qualifies,
                       date_trunc('second', created
                           + (0.5 + 7.5 * pg_temp.r(k, 23)) * interval '1 day')
                           AS conv_at,
                       date_trunc('second', created
                           + (1 + 19 * pg_temp.r(k, 24)) * interval '1 day')
                           AS drop_at,
                       (3 + 120 * pg_temp.r(k, 25) ^ 2) * interval '1 day' AS cycle,
                       pg_temp.r(k, 26) AS u_out
                  FROM b
            ), d AS (
                SELECT c.*,
                       CASE WHEN NOT inbound THEN created
                            WHEN qualifies AND conv_at < %(anchor)s THEN conv_at
                            END AS opp_at
                  FROM c
            ), e AS (
                SELECT d.*, date_trunc('second', opp_at + cycle) AS close_at,
                       COALESCE(s.win, 0.4) AS win
                  FROM d LEFT JOIN bench_seg s ON s.idx = d.seg_idx
            ), f AS (
                SELECT e.*,
                       CASE WHEN opp_at IS NOT NULL THEN
                                CASE WHEN close_at >= %(anchor)s THEN 'open'
                                     WHEN u_out < win THEN 'won'
                                     WHEN u_out < 0.94 THEN 'lost'
                                     ELSE 'open' END  -- stalled
                            WHEN inbound AND NOT qualifies AND drop_at < %(anchor)s
                            THEN 'lost'
                            ELSE 'open' END AS outcome
                  FROM e
            ), g AS (
                SELECT f.*,
                       CASE WHEN outcome = 'open' THEN NULL
                            WHEN opp_at IS NOT NULL THEN close_at
                            ELSE drop_at END AS closed_at,
                       CASE WHEN opp_at IS NULL THEN 0
                            ELSE floor(pg_temp.r(k, 27) * 3)::int END AS stage_idx,
                       CASE WHEN pg_temp.r(k, 28) < 0.03 THEN NULL
                            WHEN pg_temp.r(k, 28) < 0.63 AND pref_idx IS NOT NULL
                            THEN pref_idx
                            ELSE floor(pg_temp.r(k, 29) * 6)::int END AS ch_idx,
                       CASE WHEN pg_temp.r(k, 30) < 0.01 THEN NULL
                            WHEN pg_temp.r(k, 30) < 0.86 AND p_user_idx IS NOT NULL
                            THEN p_user_idx
                            ELSE floor(pg_temp.r(k, 31) * 20)::int END AS user_idx
                  FROM f
            )
            SELECT (SELECT last_value FROM crm_lead_id_seq)
                       + row_number() OVER (ORDER BY g.created, g.k) AS id,
                   g.k, g.i, g.partner_id, g.created, g.outcome, g.closed_at,
                   g.opp_at, g.inbound,
                   CASE WHEN g.opp_at IS NULL THEN 'lead' ELSE 'opportunity' END
                       AS type,
                   CASE WHEN g.outcome = 'won' THEN %(won)s
                        ELSE (%(stages)s::int[])[g.stage_idx + 1] END AS stage_id,
                   CASE WHEN g.outcome = 'won' THEN 100.0
                        WHEN g.outcome = 'lost' THEN 0.0
                        ELSE (ARRAY[10.0, 30.0, 60.0])[g.stage_idx + 1] END
                       AS probability,
                   (round(COALESCE(s.lo, 5000)
                          * (COALESCE(s.hi, 40000) / COALESCE(s.lo, 5000))
                            ^ pg_temp.r(g.k, 32) / 10) * 10)::numeric AS amount,
                   CASE WHEN g.old_seg_idx IS NOT NULL AND g.closed_at < g.move_at
                        THEN os.id ELSE s.id END AS segment_id,
                   ch.id AS channel_id, ch.medium_id, ch.source_id,
                   u.id AS user_id,
                   COALESCE(u.partner_id, fu.partner_id) AS author_id,
                   COALESCE(u.team_id, pu.team_id, fu.team_id) AS team_id,
                   CASE WHEN g.outcome = 'lost'
                        THEN (%(reasons)s::int[])[
                                 1 + floor(pg_temp.r(g.k, 33) * 3)::int]
                        END AS lost_reason_id,
                   floor(pg_temp.r(g.k, 34) * 4)::int::text AS priority
              FROM g
              LEFT JOIN bench_seg s ON s.idx = g.seg_idx
              LEFT JOIN bench_seg os ON os.idx = g.old_seg_idx
              LEFT JOIN bench_ch ch ON ch.idx = g.ch_idx
              LEFT JOIN bench_user u ON u.idx = g.user_idx
              LEFT JOIN bench_user pu ON pu.idx = g.p_user_idx
              JOIN bench_user fu ON fu.idx = mod(g.k, 20)::int
            """,
            per=LEADS_PER_PARTNER,
            t0=t0,
            span=span,
            anchor=anchor,
            won=config["won_stage"].id,
            stages=open_stages,
            reasons=config["lost_reasons"].ids,
        )
    )
    cr.execute(
        SQL(
            """
            INSERT INTO crm_lead (
                id, name, type, active, partner_id, company_id, user_id, team_id,
                stage_id, probability, automated_probability, expected_revenue,
                prorated_revenue, date_closed, date_conversion, date_open,
                date_last_stage_update, day_open, day_close, customer_segment_id,
                contact_channel_id, medium_id, source_id, lost_reason_id, priority,
                partner_name, email_from, email_normalized, phone, mobile, color,
                create_uid, write_uid, create_date, write_date)
            SELECT l.id, 'Opportunity ' || l.k, l.type, l.outcome <> 'lost',
                   l.partner_id, %(company)s, l.user_id, l.team_id, l.stage_id,
                   l.probability, l.probability, l.amount,
                   l.amount * l.probability::numeric / 100, l.closed_at,
                   CASE WHEN l.inbound THEN l.opp_at END,
                   CASE WHEN l.user_id IS NOT NULL THEN l.created END,
                   COALESCE(l.closed_at, l.opp_at, l.created), 0,
                   CASE WHEN l.closed_at IS NOT NULL
                        THEN extract(day FROM l.closed_at - l.created) END,
                   l.segment_id, l.channel_id, l.medium_id, l.source_id,
                   l.lost_reason_id, l.priority, p.name, p.email, p.email_normalized,
                   p.phone, p.mobile, 0, 1, 1, l.created,
                   COALESCE(l.closed_at, l.created)
              FROM bench_l l JOIN res_partner p ON p.id = l.partner_id
             ORDER BY l.id
            """,
            company=config["company"].id,
        )
    )


def _messages(cr, config, anchor):
    kinds = [t.id for t in config["activity_types"][:3]]
    cr.execute(
        SQL(
            """
            WITH answer AS (
                SELECT l.*,
                       date_trunc('second', l.created
                           + (0.1 + 96 * pg_temp.r(l.k, 41) ^ 3) * interval '1 hour')
                           AS at
                  FROM bench_l l
                 WHERE pg_temp.r(l.k, 40) < 0.75
            ), m AS (
                -- the first response: a message to the customer, or an activity done
                SELECT a.id AS lead_id, a.k, 1 AS n, a.at AS date, a.author_id,
                       CASE WHEN pg_temp.r(a.k, 42) < 0.6 THEN 'comment'
                            ELSE 'notification' END AS message_type,
                       CASE WHEN pg_temp.r(a.k, 42) < 0.6 THEN %(comment)s
                            ELSE %(activities)s END AS subtype_id,
                       CASE WHEN pg_temp.r(a.k, 42) >= 0.6
                            THEN (%(kinds)s::int[])[
                                     1 + floor(pg_temp.r(a.k, 43) * 3)::int]
                            END AS activity_type_id,
                       FALSE AS internal
                  FROM answer a WHERE a.at < %(anchor)s
                UNION ALL
                -- a later follow-up
                SELECT a.id, a.k, 2, date_trunc('second', a.at
                           + (24 + 200 * pg_temp.r(a.k, 45)) * interval '1 hour'),
                       a.author_id, 'comment', %(comment)s, NULL, FALSE
                  FROM answer a
                 WHERE pg_temp.r(a.k, 44) < 0.3
                   AND a.at + (24 + 200 * pg_temp.r(a.k, 45)) * interval '1 hour'
                       < %(anchor)s
                UNION ALL
                -- an e-mail from the customer: no response
                SELECT l.id, l.k, 3, date_trunc('second', l.created
                           + pg_temp.r(l.k, 47) * 2 * interval '1 hour'),
                       l.partner_id, 'email', %(comment)s, NULL, FALSE
                  FROM bench_l l
                 WHERE pg_temp.r(l.k, 46) < 0.25
                   AND l.created + pg_temp.r(l.k, 47) * 2 * interval '1 hour'
                       < %(anchor)s
                UNION ALL
                -- an internal note: no response either
                SELECT l.id, l.k, 4, date_trunc('second', l.created
                           + pg_temp.r(l.k, 49) * 48 * interval '1 hour'),
                       l.author_id, 'comment', %(note)s, NULL, TRUE
                  FROM bench_l l
                 WHERE pg_temp.r(l.k, 48) < 0.15
                   AND l.created + pg_temp.r(l.k, 49) * 48 * interval '1 hour'
                       < %(anchor)s
            )
            INSERT INTO mail_message (
                id, model, res_id, record_name, record_company_id, message_type,
                subtype_id, mail_activity_type_id, author_id, email_from, body,
                is_internal, message_id, reply_to_force_new, date,
                create_uid, write_uid, create_date, write_date)
            SELECT (SELECT last_value FROM mail_message_id_seq)
                       + row_number() OVER (ORDER BY m.date, m.lead_id, m.n),
                   'crm.lead', m.lead_id, 'Opportunity ' || m.k, %(company)s,
                   m.message_type, m.subtype_id, m.activity_type_id, m.author_id,
                   p.email, '<p>Message ' || m.n || ' on lead ' || m.lead_id || '</p>',
                   m.internal, '<bench.' || m.lead_id || '.' || m.n || '@example.com>',
                   FALSE, m.date, 1, 1, m.date, m.date
              FROM m LEFT JOIN res_partner p ON p.id = m.author_id
            """,
            anchor=anchor,
            comment=config["comment"].id,
            note=config["note"].id,
            activities=config["activities"].id,
            kinds=kinds,
            company=config["company"].id,
        )
    )


def _activities(cr, config, today):
    kinds = [t.id for t in config["activity_types"]]
    cr.execute(
        SQL(
            """
            WITH a AS (
                SELECT l.id AS lead_id, l.k, 1 AS n, l.created,
                       COALESCE(l.user_id, fu.id) AS user_id,
                       CASE WHEN pg_temp.r(l.k, 52) < 0.1  -- long forgotten
                            THEN -30 - floor(150 * pg_temp.r(l.k, 53))::int
                            ELSE floor(-30 + 55 * pg_temp.r(l.k, 53))::int
                            END AS offset_days
                  FROM bench_l l JOIN bench_user fu ON fu.idx = mod(l.k, 20)::int
                 WHERE l.outcome = 'open' AND pg_temp.r(l.k, 51) < 0.8
                UNION ALL
                SELECT l.id, l.k, 2, l.created, COALESCE(l.user_id, fu.id),
                       1 + floor(20 * pg_temp.r(l.k, 55))::int
                  FROM bench_l l JOIN bench_user fu ON fu.idx = mod(l.k, 20)::int
                 WHERE l.outcome = 'open' AND pg_temp.r(l.k, 54) < 0.2
            )
            INSERT INTO mail_activity (
                id, res_model_id, res_model, res_id, res_name, activity_type_id,
                user_id, summary, date_deadline, automated, active,
                create_uid, write_uid, create_date, write_date)
            SELECT (SELECT last_value FROM mail_activity_id_seq)
                       + row_number() OVER (ORDER BY a.lead_id, a.n),
                   %(model)s, 'crm.lead', a.lead_id, 'Opportunity ' || a.k,
                   (%(kinds)s::int[])[1 + floor(pg_temp.r(a.k * 2 + a.n, 56) * 4)::int],
                   a.user_id, 'Follow up', %(today)s::date + a.offset_days, FALSE, TRUE,
                   1, 1, GREATEST(a.created, %(today)s::date + a.offset_days - 7),
                   GREATEST(a.created, %(today)s::date + a.offset_days - 7)
              FROM a
            """,
            model=config["lead_model"].id,
            kinds=kinds,
            today=today,
        )
    )


# ----------------------------------------------------------------------
# Periods, indicators and scorecards (through the ORM)
# ----------------------------------------------------------------------
def create_scorecards(env, config, partners, first, last, today):
    from odoo.addons.crm_bsc_scorecard.tools.builtins import BUILTINS

    periods = env["crm.bsc.period"]._generate("month", first, last)
    perspectives = {
        p.kind: p for p in env["crm.bsc.perspective"].search([], order="sequence")
    }
    channel_ids = [channel.id for channel in config["channels"]]
    indicators = env["crm.bsc.indicator"].create(
        [
            {
                "name": spec.name,
                "code": code,
                "computation": "builtin",
                "builtin_code": code,
                "unit": spec.unit,
                "direction": spec.direction,
                "metric_level": spec.level,
                "perspective_id": perspectives[spec.perspective].id,
                "breakdown_by_user": True,
                "channel_ids": [Command.set(channel_ids)],
            }
            for code, spec in BUILTINS.items()
            # the predictive built-ins read the customer scores, not the
            # engine's SQL: the analytics part measures what they read
            if spec.family != "customer_scores"
        ]
    )
    scale = partners / 10000
    lines = [
        Command.create(
            {
                "indicator_id": indicator.id,
                "sequence": index,
                "target": TARGETS[indicator.code]
                * (scale if indicator.unit in SCALED_UNITS else 1),
            }
        )
        for index, indicator in enumerate(indicators)
    ]
    segments = config["segments"]
    scorecards = env["crm.bsc.scorecard"].create(
        [
            {
                "name": f"Bench: {segment.name if segment else 'All customers'}",
                "segment_id": segment.id if segment else False,
                "period_type": "month",
                "state": "active",
                "line_ids": lines,
            }
            for segment in [None, *segments]
        ]
    )
    return {
        "partners": partners,
        "built_on": str(today),
        "first_day": str(first),
        "last_day": str(last),
        "company_id": config["company"].id,
        "period_ids": periods.ids,
        "indicator_ids": indicators.ids,
        "scorecard_ids": scorecards.ids,
        "segment_ids": segments.ids,
        "channel_ids": channel_ids,
        "user_ids": config["users"].ids,
        "team_ids": config["teams"].ids,
    }
