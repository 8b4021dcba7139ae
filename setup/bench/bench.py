"""The benchmark of the scorecard engine (run by setup/bench.sh).

The orchestrator builds (or reuses) one database per scale and runs each
measurement in a fresh process (``bench.py step NAME ...``), so that the
peak memory of the computing process is its own. See setup/bench.sh.
"""

import argparse
import contextlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import analytics
import common

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
OUT = REPO / ".bench-output"
DB_PREFIX = "crm_bsc_bench_"


# ----------------------------------------------------------------------
# Steps (each in its own process)
# ----------------------------------------------------------------------
def step_load(args):
    """Load the synthetic CRM into a database that has just been created."""
    import dataset

    from odoo import fields
    from odoo.tools import SQL

    with common.odoo_env(args.database, args.addons_path) as env:
        today = fields.Date.context_today(env["res.users"])
        started = time.monotonic()
        stages = dataset.load(env, args.partners, today)
        env.cr.execute(
            SQL(
                """SELECT (SELECT count(*) FROM crm_lead),
                          (SELECT count(*) FROM mail_message
                            WHERE model = 'crm.lead'),
                          (SELECT count(*) FROM mail_activity)"""
            )
        )
        leads, messages, activities = env.cr.fetchone()
        common.emit_result(
            {
                "seconds": time.monotonic() - started,
                "stages": stages,
                "leads": leads,
                "messages": messages,
                "activities": activities,
            }
        )


def step_compute(args):
    """(a): every indicator of the six scorecards over the 36 periods."""
    from odoo import fields
    from odoo.tools import SQL

    with common.odoo_env(args.database, args.addons_path) as env:
        meta = common.bench_meta(env)
        scorecards, periods = common.bench_records(env, meta)
        env.cr.execute(
            SQL(
                "DELETE FROM crm_bsc_indicator_value WHERE indicator_id = ANY(%s)",
                meta["indicator_ids"],
            )
        )
        env.cr.commit()
        common.maintenance(args.database, SQL("VACUUM ANALYZE crm_bsc_indicator_value"))
        common.warm_up(env.cr)
        len(scorecards.line_ids.indicator_id)  # the records themselves, read
        today = fields.Date.context_today(env["crm.bsc.engine"])
        rss_before = common.rss_kib()
        peak_before = common.peak_rss_kib()
        common.progress(
            f"a: computing {len(scorecards)} scorecards x {len(periods)} periods "
            f"(RSS {rss_before / 1024:.0f} MB)"
        )
        started = time.monotonic()
        written = scorecards._compute_values(periods)
        env.cr.commit()
        seconds = time.monotonic() - started
        peak = common.peak_rss_kib()
        env.cr.execute(
            SQL(
                "SELECT count(*), count(*) FILTER (WHERE has_value) "
                "FROM crm_bsc_indicator_value WHERE indicator_id = ANY(%s)",
                meta["indicator_ids"],
            )
        )
        stored, with_value = env.cr.fetchone()
        common.emit_result(
            {
                "seconds": seconds,
                "today": str(today),
                "written": written,
                "stored": stored,
                "with_value": with_value,
                "rss_before_mb": rss_before / 1024,
                "peak_before_mb": peak_before / 1024,
                "peak_rss_mb": peak / 1024,
            }
        )


def _verify(env, meta, label, today=None):
    """Compare the floor's numbers with the stored values (computed on the
    day ``today``: what is overdue depends on it)."""
    import floor

    from odoo import fields

    today = fields.Date.to_date(today) or fields.Date.context_today(
        env["crm.bsc.engine"]
    )
    common.warm_up(env.cr)
    reference, timing = floor.run(env.cr, meta, today)
    stored = common.stored_values(env.cr, _codes(env, meta), meta["period_ids"])
    checked, mismatches = common.compare(reference, stored)
    lines = []
    if mismatches:
        lines = common.describe_mismatches(
            mismatches, common.dimension_names(env, meta)
        )
    common.progress(
        f"{label}: floor {timing['seconds']:.2f} s, {checked:,} keys compared, "
        f"{len(mismatches)} mismatches"
    )
    return {**timing, "keys": checked, "mismatches": len(mismatches), "examples": lines}


def _codes(env, meta):
    return env["crm.bsc.indicator"].browse(meta["indicator_ids"]).mapped("code")


def step_floor(args):
    """(b): the same numbers from hand-written SQL, and their check."""
    with common.odoo_env(args.database, args.addons_path) as env:
        meta = common.bench_meta(env)
        common.emit_result(_verify(env, meta, "b", args.today))


def step_naive(args):
    """(c): the same numbers from ORM searches and Python loops, stored
    through the ORM where (a) stored its own (rolled back at the end)."""
    import naive

    from odoo.tools import SQL

    with common.odoo_env(args.database, args.addons_path) as env:
        meta = common.bench_meta(env)
        scorecards, periods = common.bench_records(env, meta)
        codes = _codes(env, meta)
        common.warm_up(env.cr)
        engine_seconds = _engine_without_storing(env, scorecards, periods)
        stored = common.stored_values(env.cr, codes, meta["period_ids"])
        started = time.monotonic()
        reference = naive.compute(env, meta, scorecards, periods, args.today)
        compute_seconds = time.monotonic() - started
        checked, mismatches = common.compare(reference, stored)
        # the naive way stores what (a) stores, into the same empty table
        env.cr.execute(
            SQL(
                "DELETE FROM crm_bsc_indicator_value WHERE indicator_id = ANY(%s)",
                meta["indicator_ids"],
            )
        )
        started = time.monotonic()
        created = naive.store(env, scorecards, reference, sorted(stored, key=str))
        store_seconds = time.monotonic() - started
        # (the ORM rounds to the 4 digits of the field: one unit of the last)
        _checked, store_mismatches = common.compare(
            stored,
            common.stored_values(env.cr, codes, meta["period_ids"]),
            abs_tol=1e-4,
        )
        env.cr.rollback()
        mismatches += store_mismatches
        lines = []
        if mismatches:
            lines = common.describe_mismatches(
                mismatches, common.dimension_names(env, meta)
            )
        common.emit_result(
            {
                "seconds": compute_seconds + store_seconds,
                "compute_seconds": compute_seconds,
                "store_seconds": store_seconds,
                "created": created,
                "engine_compute_seconds": engine_seconds,
                "keys": checked,
                "mismatches": len(mismatches),
                "examples": lines,
            }
        )


def _engine_without_storing(env, scorecards, periods):
    """Seconds the engine takes to compute what (a) stores, without storing
    it (as _compute_values does it; None when its internals moved)."""
    engine = env["crm.bsc.engine"].with_company(scorecards.company_id)
    indicators = scorecards.line_ids.indicator_id
    segment_ids = sorted(
        {s.segment_id.id or None for s in scorecards} | {None}, key=lambda s: s or 0
    )
    try:
        started = time.monotonic()
        scope = engine._scope(
            scorecards.company_id,
            [(p.id, p.date_from, p.date_to) for p in periods],
            segment_ids,
            indicators,
        )
        engine._compute(scope, indicators)
        return time.monotonic() - started
    except (AttributeError, TypeError) as error:
        common.progress(f"c: the engine's compute alone could not be timed: {error}")
        return None


def step_incremental(args):
    """(d): a day of CRM work on 1 % of the leads, then the incremental
    recompute; everything is rolled back at the end."""
    import workload

    from odoo.tools import SQL

    with common.odoo_env(args.database, args.addons_path) as env:
        meta = common.bench_meta(env)
        Scorecard = env["crm.bsc.scorecard"]
        if not hasattr(Scorecard, "_compute_values_incremental"):
            common.emit_result({"implemented": False})
            return
        env.cr.execute(SQL("DELETE FROM crm_bsc_dirty"))
        started = time.monotonic()
        changes = workload.apply(env, meta)
        # flush, and run what waits for the commit (the chatter tracking of
        # the changes): not part of the recompute
        env.cr.flush()
        common.progress(
            "d: changed "
            + ", ".join(f"{count} {what}" for what, count in changes.items())
            + f" through the ORM in {time.monotonic() - started:.1f} s"
        )
        env.cr.execute(
            SQL("SELECT family, count(*) FROM crm_bsc_dirty GROUP BY family")
        )
        pending = dict(env.cr.fetchall())
        common.warm_up(env.cr)
        started = time.monotonic()
        written = Scorecard.search(
            [("state", "=", "active")]
        )._compute_values_incremental()
        env.flush_all()
        seconds = time.monotonic() - started
        check = _verify(env, meta, "d")
        env.cr.rollback()
        common.emit_result(
            {
                "implemented": True,
                "seconds": seconds,
                "written": written,
                "changes": changes,
                "pending": pending,
                "check": check,
            }
        )


STEPS = {
    "load": step_load,
    "compute": step_compute,
    "floor": step_floor,
    "naive": step_naive,
    "incremental": step_incremental,
    "analytics": analytics.step_analytics,
}


# ----------------------------------------------------------------------
# Orchestration
# ----------------------------------------------------------------------
class Bench:
    def __init__(self, args):
        self.args = args
        self.computed = {}
        self.log = []

    def say(self, line=""):
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
        self.log.append(line)

    def step(self, name, scale, *extra):
        """Run a step in a fresh process; stream its progress; return its
        result."""
        command = [
            sys.executable,
            str(HERE / "bench.py"),
            "step",
            name,
            "--database",
            DB_PREFIX + str(scale),
            "--addons-path",
            self.args.addons_path,
            *extra,
        ]
        result = None
        with subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=HERE,
        ) as process:
            for line in process.stdout:
                if line.startswith(common.RESULT_PREFIX):
                    result = json.loads(line[len(common.RESULT_PREFIX) :])
                else:
                    self.say(f"  [{name} {scale:,}] {line.rstrip()}")
        if process.returncode or result is None:
            raise SystemExit(
                f"bench: the step {name} at {scale:,} customers failed "
                f"(exit {process.returncode})."
            )
        return result

    # -- databases ---------------------------------------------------------
    def psql(self, database, query):
        return subprocess.run(
            ["psql", "-X", "-d", database, "-tAc", query],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()

    def built(self, scale):
        database = DB_PREFIX + str(scale)
        if (
            database
            not in self.psql("postgres", "SELECT datname FROM pg_database").split()
        ):
            return False
        raw = self.psql(
            database,
            "SELECT value FROM ir_config_parameter WHERE key = 'crm_bsc_bench.meta'",
        )
        if not raw:
            return False
        with contextlib.suppress(ValueError):
            return json.loads(raw).get("partners") == scale
        return False

    def drop(self, database):
        subprocess.run(["dropdb", "--if-exists", database], check=True)
        from odoo.tools import config

        config.parse_config([])
        filestore = Path(config["data_dir"]) / "filestore" / database
        if filestore.is_dir():
            shutil.rmtree(filestore)

    def odoo(self, database, log_name, what, *options):
        """Run Odoo on ``database`` with ``options`` until it has initialised;
        its output goes to .bench-output/<log_name>."""
        OUT.mkdir(exist_ok=True)
        with open(OUT / log_name, "w", encoding="utf-8") as log:
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "odoo",
                    "-d",
                    database,
                    f"--addons-path={self.args.addons_path}",
                    *options,
                    "--stop-after-init",
                    "--no-http",
                    "--log-level=warn",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                check=False,
            )
        if done.returncode:
            raise SystemExit(f"bench: {what} {database} failed; see {log.name}.")

    def ensure(self, scale):
        database = DB_PREFIX + str(scale)
        if not self.args.rebuild and self.built(scale):
            self.say(
                f"Database {database}: kept (--rebuild recreates it); "
                "upgrading the addon to the code measured."
            )
            self.odoo(
                database,
                f"{database}-upgrade.log",
                "upgrading",
                "-u",
                "crm_bsc_scorecard",
            )
            return
        self.say(f"Database {database}: building {scale:,} customers.")
        self.drop(database)
        started = time.monotonic()
        self.odoo(
            database,
            f"{database}-install.log",
            "installing",
            "-i",
            "crm,crm_bsc_scorecard",
            "--without-demo=all",
        )
        installed = time.monotonic() - started
        result = self.step("load", scale, "--partners", str(scale))
        self.say(
            f"Database {database}: {result['leads']:,} leads, "
            f"{result['messages']:,} messages, {result['activities']:,} "
            f"activities loaded in {result['seconds']:.0f} s "
            f"(install {installed:.0f} s, then "
            + ", ".join(f"{name} {sec:.0f} s" for name, sec in result["stages"].items())
            + ")."
        )

    # -- measurements ------------------------------------------------------
    def compute(self, scale):
        if scale not in self.computed:
            result = self.step("compute", scale)
            self.say(
                f"a at {scale:,} customers: {result['seconds']:.1f} s, "
                f"{result['stored']:,} values stored ({result['with_value']:,} "
                f"with a value); RSS {result['rss_before_mb']:.0f} MB before, "
                f"peak {result['peak_rss_mb']:.0f} MB"
            )
            self.computed[scale] = result
        return self.computed[scale]

    def report_check(self, label, check):
        self.say(
            f"{label}: {check['keys']:,} keys compared, "
            f"{check['mismatches']} mismatches"
        )
        for line in check["examples"]:
            self.say(line)

    def run(self):
        args = self.args
        main, small = args.partners, args.small_partners
        memory = [] if args.skip_memory else args.memory_scales
        if args.analytics_only:
            self.say("== Databases ==")
            self.ensure(main)
            self.finish(analytics.run(self, main))
            return
        self.say("== Databases ==")
        for scale in sorted({main, small, *memory}):
            self.ensure(scale)
        self.say(f"== Main scale: {main:,} customers ==")
        a = self.compute(main)
        b = self.step("floor", main, "--today", a["today"])
        self.say(
            f"b at {main:,} customers: {b['seconds']:.1f} s "
            f"(SQL {b['sql_seconds']:.1f} s, {b['rows']:,} rows)"
        )
        self.report_check("b check (floor vs engine)", b)
        d = self.step("incremental", main)
        if d["implemented"]:
            self.say(
                f"d at {main:,} customers: {d['seconds']:.2f} s, "
                f"{d['written']:,} values recomputed; pending changes "
                + json.dumps(d["pending"])
            )
            self.report_check("d check (floor vs engine after it)", d["check"])
        else:
            self.say("d: incremental recompute not implemented")
        self.say(f"== Small scale: {small:,} customers ==")
        a_small = self.compute(small)
        if small != main:
            self.report_check(
                "b check at the small scale",
                self.step("floor", small, "--today", a_small["today"]),
            )
        c = self.step("naive", small, "--today", a_small["today"])
        self.say(
            f"c at {small:,} customers: {c['seconds']:.1f} s (computing "
            f"{c['compute_seconds']:.1f} s, storing {c['created']:,} values "
            f"through the ORM {c['store_seconds']:.1f} s)"
        )
        self.report_check("c check (naive vs engine)", c)
        if memory:
            self.say("== Memory ==")
            for scale in memory:
                self.compute(scale)
        extra = [] if args.skip_analytics else analytics.run(self, main)
        self.summary(a, b, c, a_small, d, memory, extra)

    def finish(self, lines):
        """Print the figures (the last lines) and keep the whole output."""
        for line in lines:
            self.say(line)
        OUT.mkdir(exist_ok=True)
        (OUT / f"bench-{self.args.partners}.txt").write_text("\n".join(self.log) + "\n")

    def summary(self, a, b, c, a_small, d, memory, extra=()):
        args = self.args
        self.say("== Summary ==")
        self.say(
            f"(a) {a['seconds']:.2f} s at {args.partners:,} customers: "
            f"{a['stored']:,} values stored"
        )
        self.say(
            f"(b) floor {b['seconds']:.2f} s; (a)/(b) = "
            f"{a['seconds'] / b['seconds']:.2f} (target <= 2.0); "
            f"check: {b['mismatches']} mismatches"
        )
        c_ratio = c["seconds"] / a_small["seconds"]
        self.say(
            f"(c) naive {c['seconds']:.1f} s vs (a) {a_small['seconds']:.2f} s at "
            f"{args.small_partners:,} customers: (c)/(a) = {c_ratio:.1f} "
            f"(target >= 20); check: {c['mismatches']} mismatches"
        )
        if c.get("engine_compute_seconds"):
            alone = c["engine_compute_seconds"]
            self.say(
                f"    computing alone: naive {c['compute_seconds']:.1f} s, engine "
                f"{alone:.2f} s: {c['compute_seconds'] / alone:.1f} times"
            )
        if d["implemented"]:
            share = d["seconds"] / a["seconds"]
            self.say(
                f"(d) incremental {d['seconds']:.2f} s = {100 * share:.1f} % of (a) "
                f"(target <= 10 %); check: {d['check']['mismatches']} mismatches"
            )
            d_line = f"d_share_of_a={share:.4f}"
        else:
            d_line = "d: incremental recompute not implemented"
        peaks = {scale: self.computed[scale]["peak_rss_mb"] for scale in memory}
        if len(memory) >= 2:
            growth = peaks[memory[-1]] - peaks[memory[0]]
            self.say(
                f"(e) peak RSS {peaks[memory[0]]:.0f} MB at {memory[0]:,}, "
                f"{peaks[memory[-1]]:.0f} MB at {memory[-1]:,}: growth "
                f"{growth:.0f} MB (target < 100 MB)"
            )
        lines = [
            f"machine={common.machine_line()}",
            f"a_seconds={a['seconds']:.3f}",
            f"b_seconds={b['seconds']:.3f}",
            f"a_over_b={a['seconds'] / b['seconds']:.3f}",
            f"c_over_a_small={c_ratio:.2f}",
            d_line,
        ]
        scales = memory or [10000, 100000]
        for scale in scales:
            value = f"{peaks[scale]:.1f}" if scale in peaks else "skipped"
            lines.append(f"peak_rss_mb_{scale}={value}")
        if len(peaks) >= 2:
            lines.append(
                f"peak_rss_growth_mb={peaks[scales[-1]] - peaks[scales[0]]:.1f}"
            )
        else:
            lines.append("peak_rss_growth_mb=skipped")
        self.finish(lines + list(extra))


def _scales(text):
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def parse(argv):
    parser = argparse.ArgumentParser(
        prog="setup/bench.sh", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--addons-path", required=True, help=argparse.SUPPRESS)
    parser.add_argument(
        "--partners", type=int, help="customers at the main scale (default 100000)"
    )
    parser.add_argument(
        "--small-partners",
        type=int,
        default=1000,
        help="customers at the scale of the naive way (default 1000)",
    )
    parser.add_argument(
        "--memory-scales",
        type=_scales,
        help="the two scales of the memory figure (default 10000,100000)",
    )
    parser.add_argument("--rebuild", action="store_true", help="recreate the databases")
    parser.add_argument(
        "--skip-memory", action="store_true", help="no memory figure (e)"
    )
    parser.add_argument(
        "--skip-analytics",
        action="store_true",
        help="no customer analytics part",
    )
    parser.add_argument(
        "--analytics-only",
        action="store_true",
        help="only the customer analytics part (on the main scale's database)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="10,000 customers at the main scale, memory at 1,000 and 10,000",
    )
    args = parser.parse_args(argv)
    if args.partners is None:
        args.partners = 10000 if args.quick else 100000
    if args.memory_scales is None:
        args.memory_scales = [1000, 10000] if args.quick else [10000, 100000]
    args.memory_scales = sorted(set(args.memory_scales))
    return args


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["step"]:
        parser = argparse.ArgumentParser(prog="bench.py step")
        parser.add_argument("name", choices=sorted(STEPS))
        parser.add_argument("--database", required=True)
        parser.add_argument("--addons-path", required=True)
        parser.add_argument("--partners", type=int)
        parser.add_argument("--today", help="the day (a) computed on")
        args = parser.parse_args(argv[1:])
        STEPS[args.name](args)
        return 0
    Bench(parse(argv)).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
