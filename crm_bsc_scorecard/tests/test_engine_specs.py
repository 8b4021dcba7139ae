# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Every built-in, as its spec declares it: computed by the scheduled run,
by ``compute_value`` and by the incremental run, with equal results on the
engine fixture; the registry of families; a programming error inside a
family fails the run instead of being stored as a value."""

import dataclasses
import datetime
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import SQL

from ..engine import families, transactions
from ..engine.family import Family
from ..tools import customer_counts
from ..tools.builtins import BUILTINS, SPECS, builtin_selection
from ..tools.results import EMPTY_ZERO, Key
from .engine_common import EngineCommon


@tagged("post_install", "-at_install")
class TestEngineSpecs(EngineCommon):
    def stored_values(self):
        """{(indicator, period, segment, channel, user, team): (has value,
        value, target, score, status)} of company A's built-ins."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT indicator_id, period_id, segment_id, channel_id, user_id,
                       team_id, has_value, round(value::numeric, 6), target,
                       score, status
                  FROM crm_bsc_indicator_value
                 WHERE company_id = %s AND indicator_id = ANY(%s)
                """,
                self.company_a.id,
                self.builtins.ids,
            )
        )
        return {tuple(row[:6]): tuple(row[6:]) for row in self.env.cr.fetchall()}

    def test_specs_derive_the_selection_and_the_registry(self):
        self.assertEqual(
            [code for code, _name in builtin_selection()], [s.code for s in SPECS]
        )
        self.assertEqual(
            self.env["crm.bsc.indicator"]._fields["builtin_code"].get_values(self.env),
            list(BUILTINS),
        )
        dirty = self.env["crm.bsc.dirty"]._fields["family"].get_values(self.env)
        self.assertEqual(set(dirty), set(families.REGISTRY))
        for spec in SPECS:
            family = families.get(spec.family)
            self.assertLessEqual(set(spec.measures), set(family.measures), spec.code)
        # a spec reading a measure its family does not declare is refused
        wrong = dataclasses.replace(SPECS[0], code="x", measures=("nope",))
        with self.assertRaisesRegex(ValueError, "has no measure nope"):
            families.check([wrong])

    def test_every_builtin_is_the_same_by_every_path(self):
        """The scheduled run, compute_value and the incremental run agree
        on every built-in, in total, per channel, salesperson and team."""
        self.sc_a._compute_values()
        full = self.stored_values()
        self.assertTrue(full)
        # compute_value, through the families of the scheduled run
        for code, spec in BUILTINS.items():
            indicator = self.ind[code].with_company(self.company_a)
            for period in self.months:
                for dims in (
                    {},
                    {"channel": self.phone},
                    {"user": self.u1},
                    {"team": self.team_b},
                ):
                    key = (
                        indicator.id,
                        period.id,
                        None,
                        dims.get("channel") and self.phone.id,
                        dims.get("user") and self.u1.id,
                        dims.get("team") and self.team_b.id,
                    )
                    value, _reason = indicator.compute_value(
                        period.date_from, period.date_to, **dims
                    )
                    stored = full.get(key)
                    with self.subTest(code=code, period=period.name, dims=dims):
                        if stored is None:
                            # nothing kept for a salesperson without data
                            self.assertIn(value, (None, 0.0))
                            if value == 0.0:
                                self.assertEqual(spec.empty, EMPTY_ZERO)
                        elif stored[0]:
                            self.assertAlmostEqual(value, float(stored[1]), places=6)
                        else:
                            self.assertIsNone(value)
        # the incremental run, every family dirty, the kept counts pending
        self.env.cr.execute(
            SQL(
                "UPDATE crm_bsc_indicator_value SET value = -1, score = NULL "
                "WHERE company_id = %s AND indicator_id = ANY(%s)",
                self.company_a.id,
                self.builtins.ids,
            )
        )
        self.env.cr.execute(SQL("UPDATE crm_bsc_customer_count SET pending = true"))
        source = self.company_a.bsc_transaction_source or "opportunities"
        self.env["crm.bsc.dirty"]._record(
            [
                (
                    self.company_a.id,
                    family,
                    datetime.date(2004, 1, 1),
                    datetime.date(2005, 12, 31),
                )
                for spec in SPECS
                for family in spec.dirty_families(source)
            ],
            wake=False,
        )
        self.env.invalidate_all()
        self.sc_a._compute_values_incremental()
        self.assertEqual(self.stored_values(), full)

    def test_combined_customers_are_those_of_the_python_counter(self):
        """compute_value's combinations of breakdowns (a channel with a
        salesperson, say) of the customers family: the islands SQL and the
        family's Python counter count the same customers."""
        window = self.company_a.bsc_activity_window_days
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT tx.customer, tx.d, tx.src, tx.ch, tx.u, tx.t FROM (%s) AS tx",
                transactions.lead_transactions_sql(self.company_a.id),
            )
        )
        by_customer = {}
        for customer, *transaction in self.env.cr.fetchall():
            by_customer.setdefault(customer, []).append(tuple(transaction))
        periods = [(p.id, p.date_from, p.date_to) for p in self.months]
        expected = {}
        for customer, txs in by_customer.items():
            segment = self.env["res.partner"].browse(customer).customer_segment_id.id
            customer_counts.add_counts(
                expected,
                customer_counts.customer_counts(
                    txs, segment or None, periods, window, True, True, combined=True
                ),
            )
        self.assertTrue(any(key[2] and key[3] for key in expected))
        a = self.company_a
        combos = {key[2:] for key in expected if sum(map(bool, key[2:])) >= 2}
        for channel, user, team in sorted(combos, key=str):
            for period in self.months:
                key = Key(period.id, None, channel, user, team)
                counts = expected.get(key, {})
                dims = {"channel": channel, "user": user, "team": team}
                with self.subTest(key=key):
                    active = (
                        self.ind["active_customers"]
                        .with_company(a)
                        .compute_value(period.date_from, period.date_to, **dims)
                    )
                    self.assertEqual(active.value, counts.get("active_count", 0))
                    new = (
                        self.ind["new_customers"]
                        .with_company(a)
                        .compute_value(period.date_from, period.date_to, **dims)
                    )
                    self.assertEqual(new.value, counts.get("new_count", 0))
                    retention = (
                        self.ind["retention_rate"]
                        .with_company(a)
                        .compute_value(period.date_from, period.date_to, **dims)
                    )
                    if counts.get("cohort_count"):
                        self.assertAlmostEqual(
                            retention.value,
                            100.0
                            * counts.get("retained_count", 0)
                            / counts["cohort_count"],
                        )
                    else:
                        self.assertIsNone(retention.value)

    def test_a_programming_error_in_a_family_fails_the_run(self):
        def broken(request):
            return {}["no such measure"]

        family = families.get("closed")
        with (
            patch.dict(
                families.REGISTRY,
                {"closed": Family(family.name, family.label, family.measures, broken)},
            ),
            self.assertRaises(KeyError),
        ):
            self.compute(self.ind["won_deals"] | self.ind["new_leads"])
        # a data error is a value without data, with its reason
        with patch.dict(
            families.REGISTRY,
            {
                "closed": Family(
                    family.name,
                    family.label,
                    family.measures,
                    lambda request: request.env.cr.execute(SQL("SELECT 1/0")),
                )
            },
        ):
            from odoo.tools import mute_logger

            with mute_logger(
                "odoo.sql_db", "odoo.addons.crm_bsc_scorecard.engine.processor"
            ):
                r = self.compute(self.ind["won_deals"] | self.ind["new_leads"])
        value, reason = r[self.ind["won_deals"]][self.key(self.jan)]
        self.assertIsNone(value)
        self.assertTrue(reason.startswith("error: "), reason)
        self.assertSeries(r[self.ind["new_leads"]], [5, 4, 1, 1, 0, 0])
