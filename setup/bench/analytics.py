"""The analytics part of the benchmark (run by bench.py).

On the main-scale database (the company's customers and their won
opportunities), in one transaction that is rolled back:

- reads every customer's transaction summary in SQL;
- fits BG/NBD, MBG/NBD and Gamma-Gamma with the addon's tools and, side by
  side in another process with the same data, with the ``lifetimes``
  package (installed into a virtualenv of its own under .bench-output, for
  the benchmark only): both times, their ratio, the largest relative
  difference between the two sets of parameters;
- fits and scores the company as the scheduled action does;
- scores and writes every customer (first into an empty table, then over
  the scores written) against a bulk SQL update of one column of as many
  rows;
- wins one opportunity through the ORM and rescores its customer as the
  rescoring action does.
"""

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import common

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
OUT = REPO / ".bench-output"
VENV = OUT / "lifetimes-venv"
LIFETIMES = "lifetimes==0.11.3"
REPEAT = 3  # fits timed this many times, the median kept


def _timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def step_analytics(args):
    import numpy as np

    from odoo import fields
    from odoo.tools import SQL

    with common.odoo_env(args.database, args.addons_path) as env:
        common.warm_up(env.cr)
        Score = env["crm.customer.score"]
        company = env.company
        today = fields.Date.context_today(Score)
        result = {"today": str(today)}

        (summary, dims), result["read_seconds"] = _timed(
            Score._customer_rows, company, today
        )
        n = len(summary.customers)
        result["customers"] = n
        result["repeat_customers"] = int((summary.frequency > 0).sum())
        common.progress(f"read {n:,} customers in {result['read_seconds']:.2f} s")
        OUT.mkdir(exist_ok=True)
        data = OUT / f"analytics-{n}.npz"
        np.savez(
            data,
            frequency=summary.frequency,
            recency=summary.recency,
            T=summary.T,
            monetary_count=summary.monetary_count,
            monetary_value=summary.monetary_value,
        )
        result["data"] = str(data)

        # the scheduled action's work: fits (with the holdout check) and scores
        env.cr.execute(SQL("DELETE FROM crm_customer_score"))
        Score.invalidate_model()
        _written, result["fit_and_score_seconds"] = _timed(
            Score._fit_and_score_company, company, today
        )
        model = Score._models_of(company)[0]
        result["model"] = {
            "state": model.state,
            "type": model.model_type,
            "r": model.r,
            "alpha": model.alpha,
            "a": model.a,
            "b": model.b,
            "holdout_error": model.holdout_error,
            "last_error": model.last_error or "",
        }
        common.progress(
            f"fit and score (scheduled action): {result['fit_and_score_seconds']:.2f} s"
        )

        # scoring and writing every customer, first into an empty table
        env.cr.execute(SQL("DELETE FROM crm_customer_score"))
        Score.invalidate_model()
        _scores, result["score_seconds"] = _timed(
            Score._score_summary, company, summary, dims, today
        )
        written, result["score_write_first_seconds"] = _timed(
            Score._score_and_write,
            company,
            summary,
            dims,
            today,
            full=True,
            follow_risk=False,
        )
        written, result["score_write_seconds"] = _timed(
            Score._score_and_write,
            company,
            summary,
            dims,
            today,
            full=True,
            follow_risk=False,
        )
        result["written"] = written
        common.progress(
            f"score and write {written:,}: {result['score_write_seconds']:.2f} s "
            f"(first {result['score_write_first_seconds']:.2f} s, "
            f"scoring alone {result['score_seconds']:.2f} s)"
        )

        # the reference: one column of as many rows, updated in bulk
        env.cr.execute(
            SQL("SELECT id FROM crm_customer_score WHERE company_id = %s", company.id)
        )
        ids = [row[0] for row in env.cr.fetchall()]
        values = np.random.default_rng(13).random(len(ids)).tolist()
        started = time.perf_counter()
        env.cr.execute(
            SQL(
                """UPDATE crm_customer_score s SET p_alive = u.v
                     FROM unnest(%s::int4[], %s::float8[]) AS u(id, v)
                    WHERE s.id = u.id""",
                ids,
                values,
            )
        )
        result["bulk_update_seconds"] = time.perf_counter() - started
        result["bulk_update_rows"] = env.cr.rowcount
        common.progress(
            f"bulk update of one column of {env.cr.rowcount:,} rows: "
            f"{result['bulk_update_seconds']:.2f} s"
        )
        # put the scores back as they were before the reference update
        Score._score_and_write(
            company, summary, dims, today, full=True, follow_risk=False
        )

        # one won opportunity, rescored by the rescoring action
        won = env["crm.stage"].search([("is_won", "=", True)], limit=1)
        lead = env["crm.lead"].search(
            [
                ("type", "=", "opportunity"),
                ("active", "=", True),
                ("stage_id.is_won", "=", False),
                ("partner_id", "!=", False),
                ("company_id", "=", company.id),
            ],
            limit=1,
        )
        env.cr.execute(SQL("DELETE FROM crm_customer_score_pending"))
        env.flush_all()
        _none, result["win_write_seconds"] = _timed(
            lambda: (lead.write({"stage_id": won.id}), env.flush_all())
        )
        written, result["rescore_one_seconds"] = _timed(Score._cron_rescore_changed)
        result["rescore_one_written"] = written
        common.progress(
            f"one won opportunity: write {result['win_write_seconds']:.3f} s, "
            f"rescoring {result['rescore_one_seconds']:.3f} s ({written} customer)"
        )
        env.cr.rollback()
    common.emit_result(result)


# ----------------------------------------------------------------------
# The comparison with lifetimes (in its own virtualenv)
# ----------------------------------------------------------------------
def ensure_venv(say):
    """A virtualenv with lifetimes and the numpy and scipy versions of this
    interpreter, so that both fits run on the same numerical libraries."""
    import numpy
    import scipy

    python = VENV / "bin" / "python"
    wanted = [LIFETIMES, f"numpy=={numpy.__version__}", f"scipy=={scipy.__version__}"]
    stamp = VENV / "bench-requirements.txt"
    if python.exists() and stamp.exists() and stamp.read_text() == "\n".join(wanted):
        return python
    say(f"Installing {', '.join(wanted)} into {VENV} (for the benchmark only).")
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        + wanted,
        check=True,
    )
    stamp.write_text("\n".join(wanted))
    return python


def compare_with_lifetimes(python, data):
    """Run this file in the lifetimes virtualenv on ``data``; its result."""
    done = subprocess.run(
        [str(python), str(Path(__file__).resolve()), "lifetimes", str(data)],
        capture_output=True,
        text=True,
        check=False,
    )
    for line in done.stdout.splitlines():
        if line.startswith(common.RESULT_PREFIX):
            return json.loads(line[len(common.RESULT_PREFIX) :])
    raise SystemExit(
        f"bench: the comparison with lifetimes failed:\n{done.stdout}\n{done.stderr}"
    )


def _load_tools():
    """tools/clv.py of the addon, loaded from its path (it imports no Odoo)."""
    import importlib.util

    package_dir = REPO / "crm_bsc_scorecard" / "tools"
    spec = importlib.util.spec_from_file_location(
        "_bench_tools",
        package_dir / "__init__.py",
        submodule_search_locations=[str(package_dir)],
    )
    package = importlib.util.module_from_spec(spec)
    sys.modules["_bench_tools"] = package
    spec.loader.exec_module(package)
    return importlib.import_module("_bench_tools.clv")


# The populations the fits are compared on: simulated by each model from
# the CDNOW estimates (Fader, Hardie and Lee 2005; Gamma-Gamma: Fader and
# Hardie 2013), so that the parameters are identified and both libraries
# have one answer to find. Customers arrive over the first 12 weeks of 78,
# and times are in whole days (in weeks), as the addon reads them.
SIMULATED = {
    "bgnbd": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426},
    "mbgnbd": {"r": 0.525, "alpha": 6.183, "a": 0.891, "b": 1.614},
    "gamma_gamma": {"p": 6.25, "q": 3.74, "v": 15.44},
}
HORIZON_WEEKS = 78


def simulate(n, model, seed=13):
    """(x, t_x, T) of ``n`` customers drawn from BG/NBD or MBG/NBD."""
    import numpy as np

    rng = np.random.default_rng(seed)
    k = SIMULATED[model]
    rate = rng.gamma(k["r"], 1.0 / k["alpha"], n)
    dropout = rng.beta(k["a"], k["b"], n)
    birth = rng.integers(0, 12 * 7, n) / 7.0
    T = np.round((HORIZON_WEEKS - birth) * 7) / 7.0
    x = np.zeros(n)
    tx = np.zeros(n)
    now = np.zeros(n)
    # MBG/NBD: a customer may leave right after its first purchase too
    alive = rng.random(n) >= dropout if model == "mbgnbd" else np.ones(n, bool)
    while alive.any():
        now = now + rng.exponential(1.0 / np.maximum(rate, 1e-12))
        bought = alive & (now <= T)
        x[bought] += 1
        tx[bought] = now[bought]
        alive = bought & (rng.random(n) >= dropout)
    tx = np.minimum(np.round(tx * 7) / 7.0, T)
    return x, np.where(x > 0, tx, 0.0), T


def simulate_spend(x, seed=13):
    """The mean value of each customer's repeat transactions (Gamma-Gamma)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    k = SIMULATED["gamma_gamma"]
    nu = rng.gamma(k["q"], 1.0 / k["v"], len(x))
    keep = x > 0
    mean = np.zeros(len(x))
    mean[keep] = rng.gamma(k["p"] * x[keep], 1.0 / (nu[keep] * x[keep]))
    return mean


def run_lifetimes(data_path):
    """In the lifetimes virtualenv: both fits of each model, timed, on
    simulated populations of the main scale's size; then a try of both on
    the benchmark database's own customers."""
    import numpy as np
    import pandas as pd
    from lifetimes import BetaGeoFitter, GammaGammaFitter, ModifiedBetaGeoFitter

    clv = _load_tools()
    data = np.load(data_path)
    n = len(data["frequency"])

    def median_time(function, *args, **kwargs):
        times, value = [], None
        for _ in range(REPEAT):
            value, seconds = _timed(function, *args, **kwargs)
            times.append(seconds)
        return value, statistics.median(times)

    def grouped(*columns):
        (values), weights, _inverse = clv.group_rows(*columns)
        return [pd.Series(v) for v in values], pd.Series(weights)

    result = {"customers": n}
    bx, btx, bT = simulate(n, "bgnbd")
    mx, mtx, mT = simulate(n, "mbgnbd")
    spend = simulate_spend(bx)
    keep = bx > 0
    cases = (
        ("bgnbd", ("r", "alpha", "a", "b"), BetaGeoFitter, (bx, btx, bT)),
        ("mbgnbd", ("r", "alpha", "a", "b"), ModifiedBetaGeoFitter, (mx, mtx, mT)),
    )
    for name, keys, fitter, (x, tx, T) in cases:
        mine, my_seconds = median_time(clv.fit_bgnbd, x, tx, T, model=name)
        series = [pd.Series(x), pd.Series(tx), pd.Series(T)]
        fitted, plain_seconds = median_time(_fit_new, fitter, *series)
        columns, weights = grouped(x, tx, T)
        _g, grouped_seconds = median_time(_fit_new, fitter, *columns, weights=weights)
        result[name] = _compare(mine, fitted, keys, my_seconds, plain_seconds)
        result[name]["lifetimes_grouped_seconds"] = grouped_seconds
        result[name]["distinct"] = len(weights)
    mine, my_seconds = median_time(lambda: clv.fit_gamma_gamma(bx, spend))
    frequency, mean = pd.Series(bx[keep]), pd.Series(spend[keep])
    fitted, their_seconds = median_time(lambda: GammaGammaFitter().fit(frequency, mean))
    result["gamma_gamma"] = _compare(
        mine, fitted, ("p", "q", "v"), my_seconds, their_seconds
    )
    # the benchmark database's own customers
    own = {}
    x, tx, T = data["frequency"], data["recency"], data["T"]
    for name, fitter in (("bgnbd", BetaGeoFitter), ("mbgnbd", ModifiedBetaGeoFitter)):
        try:
            mine = clv.fit_bgnbd(x, tx, T, model=name)
            ours = f"a={mine.a:.4g}, b={mine.b:.4g}"
        except clv.FitError as error:
            ours = f"refused ({error.code})"
        try:
            fitter().fit(pd.Series(x), pd.Series(tx), pd.Series(T))
            theirs = "converged"
        except Exception as error:  # noqa: BLE001 - lifetimes' own error classes
            theirs = f"failed ({type(error).__name__})"
        own[name] = f"ours {ours}; lifetimes {theirs}"
    result["own_data"] = own
    common.emit_result(result)


def _fit_new(fitter, *args, **kwargs):
    return fitter().fit(*args, **kwargs)


def _compare(mine, fitted, keys, my_seconds, their_seconds):
    params = fitted.params_.to_dict()
    return {
        "ours_seconds": my_seconds,
        "lifetimes_seconds": their_seconds,
        "ratio": my_seconds / their_seconds,
        "max_relative_difference": max(
            abs(getattr(mine, key) - params[key]) / abs(params[key]) for key in keys
        ),
        "ours": {key: getattr(mine, key) for key in keys},
        "lifetimes": {key: params[key] for key in keys},
    }


def run(bench, scale):
    """The analytics part, on the database of ``scale``: its result lines
    (printed last by the orchestrator) and a summary of what was measured."""
    bench.say(f"== Customer analytics: {scale:,} customers ==")
    odoo = bench.step("analytics", scale)
    python = ensure_venv(bench.say)
    fits = compare_with_lifetimes(python, odoo["data"])
    for name in ("bgnbd", "mbgnbd", "gamma_gamma"):
        fit = fits[name]
        grouped = (
            f" (lifetimes on the {fit['distinct']:,} distinct customers with "
            f"weights: {fit['lifetimes_grouped_seconds']:.3f} s)"
            if "distinct" in fit
            else ""
        )
        bench.say(
            f"fit {name} on {fits['customers']:,} simulated customers: ours "
            f"{fit['ours_seconds']:.3f} s, lifetimes {fit['lifetimes_seconds']:.3f} s"
            f"{grouped}; parameters ours "
            + json.dumps({k: round(v, 6) for k, v in fit["ours"].items()})
            + ", lifetimes "
            + json.dumps({k: round(v, 6) for k, v in fit["lifetimes"].items()})
        )
    for name, text in fits["own_data"].items():
        bench.say(f"fit {name} on the benchmark database's customers: {text}")
    ratio = odoo["score_write_seconds"] / odoo["bulk_update_seconds"]
    first_ratio = odoo["score_write_first_seconds"] / odoo["bulk_update_seconds"]
    lines = [
        (
            f"analytics_customers={odoo['customers']} "
            f"(repeat {odoo['repeat_customers']}), read {odoo['read_seconds']:.2f} s; "
            f"fits compared on {fits['customers']:,} simulated customers"
        )
    ]
    for name in ("bgnbd", "mbgnbd", "gamma_gamma"):
        fit = fits[name]
        lines.append(
            f"analytics_fit_{name}: ours {fit['ours_seconds']:.3f} s, lifetimes "
            f"{fit['lifetimes_seconds']:.3f} s, ratio {fit['ratio']:.3f} "
            f"(target <= 0.5), max relative parameter difference "
            f"{fit['max_relative_difference']:.2e} (target <= 1e-3)"
        )
    lines.append(
        f"analytics_fit_and_score_seconds={odoo['fit_and_score_seconds']:.2f} "
        f"(the scheduled action, with the holdout fit)"
    )
    lines.append(
        f"analytics_score_write: {odoo['score_write_seconds']:.2f} s for "
        f"{odoo['written']:,} customers over their scores (first write "
        f"{odoo['score_write_first_seconds']:.2f} s; scoring alone "
        f"{odoo['score_seconds']:.2f} s) vs bulk update of one column of "
        f"{odoo['bulk_update_rows']:,} rows {odoo['bulk_update_seconds']:.2f} s: "
        f"ratio {ratio:.2f}, first write {first_ratio:.2f} (target <= 3)"
    )
    lines.append(
        f"analytics_rescore_one_won_seconds={odoo['rescore_one_seconds']:.3f} "
        f"(target < 1; the lead's write with its hooks "
        f"{odoo['win_write_seconds']:.3f} s)"
    )
    return lines


if __name__ == "__main__":
    if sys.argv[1:2] == ["lifetimes"]:
        run_lifetimes(sys.argv[2])
