"""Shared helpers of the benchmark: the Odoo environment, the result line of
each step, memory figures, the keys of indicator values and their comparison.

A *key* is (indicator code, period id, segment id, channel id, user id, team
id), None in a dimension meaning "all"; a *value* is a float or None (no
value: nothing to divide by).
"""

import contextlib
import json
import math
import os
import platform
import resource
import subprocess
import sys
import time

RESULT_PREFIX = "BENCH-RESULT "
META_PARAM = "crm_bsc_bench.meta"  # also in bench.py (Bench.built)
# Counts and sums are 0 over nothing; rates and averages have no value.
ZERO_CODES = {
    "new_customers",
    "active_customers",
    "won_revenue",
    "won_deals",
    "pipeline_value",
    "weighted_pipeline",
    "new_leads",
}
STARTED = time.monotonic()


def progress(message):
    """A progress line, with the time since the process started."""
    elapsed = time.monotonic() - STARTED
    sys.stdout.write(f"[{elapsed:7.1f}s] {message}\n")
    sys.stdout.flush()


def emit_result(data):
    """The result of a step, read by the orchestrator (bench.py)."""
    sys.stdout.write(RESULT_PREFIX + json.dumps(data, default=str) + "\n")
    sys.stdout.flush()


@contextlib.contextmanager
def odoo_env(database, addons_path):
    """An environment of the superuser on ``database`` (one cursor, not
    committed unless the caller commits)."""
    import odoo
    from odoo.tools import config

    config.parse_config(
        [
            f"--database={database}",
            f"--addons-path={addons_path}",
            "--log-level=warn",
            "--no-http",
        ]
    )
    registry = odoo.modules.registry.Registry(database)
    with registry.cursor() as cr:
        yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})


def maintenance(database, statement):
    """Run an SQL statement that cannot run in a transaction (VACUUM)."""
    import psycopg2

    from odoo import sql_db

    _name, info = sql_db.connection_info_for(database)
    connection = psycopg2.connect(**info)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(statement.code, statement.params)
    finally:
        connection.close()


def warm_up(cr):
    """Read the CRM tables once, so that every measure starts from the
    same (warm) operating system cache."""
    from odoo.tools import SQL

    for table in ("crm_lead", "mail_message", "mail_activity", "res_partner"):
        cr.execute(SQL("SELECT count(*) FROM %s", SQL.identifier(table)))
        cr.fetchone()


def bench_meta(env):
    """What the loader recorded about the benchmark's records (ids, dates)."""
    raw = env["ir.config_parameter"].sudo().get_param(META_PARAM)
    if not raw:
        raise SystemExit(
            f"{env.cr.dbname} has no benchmark data: rebuild it (--rebuild)."
        )
    return json.loads(raw)


def bench_records(env, meta):
    """(scorecards, periods) of the benchmark."""
    scorecards = env["crm.bsc.scorecard"].browse(meta["scorecard_ids"])
    periods = env["crm.bsc.period"].browse(meta["period_ids"]).sorted("date_from")
    return scorecards, periods


def rss_kib():
    """The resident set size of this process now, in KiB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def peak_rss_kib():
    """The peak resident set size of this process, in KiB (Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def machine_line():
    """CPU model, cores, RAM and the PostgreSQL server's version."""
    cpu = platform.processor() or "unknown CPU"
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram_gib = 0.0
    with contextlib.suppress(OSError), open("/proc/meminfo", encoding="ascii") as info:
        for line in info:
            if line.startswith("MemTotal:"):
                ram_gib = int(line.split()[1]) / 1024 / 1024
                break
    try:
        pg = subprocess.run(
            ["psql", "-X", "-d", "postgres", "-tAc", "SHOW server_version"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        pg = "unknown"
    return f"{cpu}, {os.cpu_count()} cores, {ram_gib:.0f} GiB RAM, PostgreSQL {pg}"


# ----------------------------------------------------------------------
# Values and their comparison
# ----------------------------------------------------------------------
def stored_values(cr, indicator_codes, period_ids):
    """{key: value} of the values stored for these indicators and periods."""
    from odoo.tools import SQL

    cr.execute(
        SQL(
            """
            SELECT i.code, v.period_id, v.segment_id, v.channel_id, v.user_id,
                   v.team_id, v.has_value, v.value
              FROM crm_bsc_indicator_value v
              JOIN crm_bsc_indicator i ON i.id = v.indicator_id
             WHERE i.code = ANY(%s) AND v.period_id = ANY(%s)
            """,
            list(indicator_codes),
            list(period_ids),
        )
    )
    return {
        tuple(row[:6]): (float(row[7]) if row[6] and row[7] is not None else None)
        for row in cr.fetchall()
    }


def absent(code):
    """What a missing key of this indicator stands for."""
    return 0.0 if code in ZERO_CODES else None


def _same(left, right, abs_tol=1e-6):
    if left is None or right is None:
        return left is None and right is None
    return math.isclose(left, right, rel_tol=1e-9, abs_tol=abs_tol)


def compare(reference, stored, abs_tol=1e-6):
    """Compare two {key: value} tables; return (keys compared, mismatches).

    Keys in total, per segment and per channel must be on both sides. A key
    of a salesperson or a team is only stored where the family of the
    indicator has data: a missing one stands for 0 (counts and sums) or no
    value (rates and averages). A mismatch is (key, reference, stored) with
    "missing" for a required key that one side lacks.
    """
    mismatches = []
    keys = set(reference) | set(stored)
    for key in sorted(keys, key=_sort_key):
        code, _period, _segment, _channel, user, team = key
        optional = user is not None or team is not None
        if optional:
            left = reference.get(key, absent(code))
            right = stored.get(key, absent(code))
        else:
            left = reference.get(key, "missing")
            right = stored.get(key, "missing")
            if "missing" in (left, right):
                mismatches.append((key, left, right))
                continue
        if not _same(left, right, abs_tol):
            mismatches.append((key, left, right))
    return len(keys), mismatches


def _sort_key(key):
    return tuple((0, "") if part is None else (1, part) for part in key)


def describe_mismatches(mismatches, names, limit=8):
    """Readable lines for the first mismatches, and a count per indicator."""
    by_code = {}
    for (code, *_rest), _left, _right in mismatches:
        by_code[code] = by_code.get(code, 0) + 1
    lines = [
        "    per indicator: "
        + ", ".join(f"{code} {count}" for code, count in sorted(by_code.items()))
    ]
    for key, left, right in mismatches[:limit]:
        code, period, segment, channel, user, team = key
        where = ", ".join(
            f"{label} {names.get((label, value), value)}"
            for label, value in (
                ("segment", segment),
                ("channel", channel),
                ("user", user),
                ("team", team),
            )
            if value is not None
        )
        lines.append(
            f"    {code} {names.get(('period', period), period)}"
            f" [{where or 'total'}]: reference {left!r}, engine {right!r}"
        )
    return lines


def dimension_names(env, meta):
    """{(dimension, id): name} for readable mismatch lines."""
    names = {}
    for period in env["crm.bsc.period"].browse(meta["period_ids"]):
        names["period", period.id] = period.name
    for label, model, ids in (
        ("segment", "crm.customer.segment", meta["segment_ids"]),
        ("channel", "crm.contact.channel", meta["channel_ids"]),
        ("user", "res.users", meta["user_ids"]),
        ("team", "crm.team", meta["team_ids"]),
    ):
        for record in env[model].browse(ids):
            names[label, record.id] = record.display_name
    return names
