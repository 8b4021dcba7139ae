# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The engine's grouped SQL against a naive computation of every built-in
indicator: ORM searches and reads, and Python loops over the records,
following the definitions of tools/builtins.py word for word. Every key
(period, segment, channel, salesperson, team) of both must agree."""

import datetime
from collections import defaultdict
from unittest.mock import patch

from odoo.tests import tagged

from ..engine.families import customers as customers_family
from ..tools.builtins import BUILTINS
from ..tools.results import EMPTY_ZERO
from .engine_common import EngineCommon

DAY = datetime.timedelta(days=1)
# built-ins whose value over nothing is 0 (counts and sums); the others have
# no value over nothing: as their specs say
ZERO_WHEN_EMPTY = {code for code, spec in BUILTINS.items() if spec.empty == EMPTY_ZERO}
SETS = [
    (),
    ("seg",),
    ("ch",),
    ("seg", "ch"),
    ("u",),
    ("seg", "u"),
    ("t",),
    ("seg", "t"),
]


def rate(part, whole, scale=100.0):
    return scale * part / whole if whole else None


class Naive:
    """The built-ins of one company over periods, the slow and obvious way."""

    def __init__(self, env, company, periods, segment_ids, channel_ids, today):
        self.env = env
        self.company = company
        self.periods = [(p.id, p.date_from, p.date_to) for p in periods]
        self.segment_ids = set(segment_ids)
        self.channel_ids = set(channel_ids)
        self.today = today
        self.window = company.bsc_activity_window_days
        self.leads = (
            env["crm.lead"]
            .with_context(active_test=False)
            .search([("company_id", "=", company.id)])
        )

    # -- keys ----------------------------------------------------------
    def keys(self, period_id, dims):
        """The keys a record with dimensions ``dims`` counts in."""
        for grouped in SETS:
            key = [period_id]
            for name in ("seg", "ch", "u", "t"):
                if name not in grouped:
                    key.append(None)
                elif not dims[name]:
                    break
                else:
                    key.append(dims[name])
            else:
                seg, ch = key[1], key[2]
                if seg in self.segment_ids and (ch is None or ch in self.channel_ids):
                    yield tuple(key)

    def lead_dims(self, lead):
        return {
            "seg": lead.customer_segment_id.id,
            "ch": lead.contact_channel_id.id,
            "u": lead.user_id.id,
            "t": lead.team_id.id,
        }

    def periods_of(self, day):
        return [pid for pid, start, end in self.periods if start <= day <= end]

    # -- won and lost opportunities -------------------------------------
    def closed(self):
        won = defaultdict(float)
        amount = defaultdict(float)
        cycle = defaultdict(float)
        lost = defaultdict(float)
        for lead in self.leads.filtered(
            lambda lead: lead.type == "opportunity" and lead.date_closed
        ):
            is_won = lead.active and lead.stage_id.is_won
            is_lost = not lead.active and lead.probability == 0
            for pid in self.periods_of(lead.date_closed.date()):
                for key in self.keys(pid, self.lead_dims(lead)):
                    if is_won:
                        won[key] += 1
                        amount[key] += lead.expected_revenue
                        days = lead.date_closed - lead.create_date
                        cycle[key] += days.total_seconds() / 86400
                    if is_lost:
                        lost[key] += 1
        keys = set(won) | set(lost)
        return {
            "won_deals": {k: won[k] for k in keys},
            "won_revenue": {k: amount[k] for k in keys},
            "avg_deal_size": {k: rate(amount[k], won[k], 1) for k in keys},
            "sales_cycle_days": {k: rate(cycle[k], won[k], 1) for k in keys},
            "win_rate": {k: rate(won[k], won[k] + lost[k]) for k in keys},
            "lost_rate": {k: rate(lost[k], won[k] + lost[k]) for k in keys},
        }

    # -- created leads ----------------------------------------------------
    def first_response(self, lead):
        internal = (
            self.env["res.users"]
            .with_context(active_test=False)
            .search([("share", "=", False)])
            .partner_id
        )
        comment = self.env.ref("mail.mt_comment")
        messages = self.env["mail.message"].search(
            [("model", "=", "crm.lead"), ("res_id", "=", lead.id)]
        )
        dates = [
            m.date
            for m in messages
            if m.date >= lead.create_date
            and m.author_id in internal
            and (
                m.mail_activity_type_id
                or (m.message_type in ("email", "comment") and m.subtype_id == comment)
            )
        ]
        return min(dates) if dates else None

    def created(self):
        count = defaultdict(float)
        converted = defaultdict(float)
        hours = defaultdict(float)
        answered = defaultdict(float)
        for lead in self.leads:
            first = self.first_response(lead)
            for pid in self.periods_of(lead.create_date.date()):
                for key in self.keys(pid, self.lead_dims(lead)):
                    count[key] += 1
                    if lead.type == "opportunity" or lead.date_conversion:
                        converted[key] += 1
                    if first:
                        answered[key] += 1
                        delta = first - lead.create_date
                        hours[key] += delta.total_seconds() / 3600
        return {
            "new_leads": dict(count),
            "lead_conversion_rate": {k: rate(converted[k], count[k]) for k in count},
            "first_response_hours": {k: rate(hours[k], answered[k], 1) for k in count},
        }

    # -- pipeline --------------------------------------------------------
    def pipeline(self):
        amount = defaultdict(float)
        weighted = defaultdict(float)
        for lead in self.leads.filtered(lambda lead: lead.type == "opportunity"):
            opened = (lead.date_conversion or lead.create_date).date()
            for pid, _start, end in self.periods:
                if opened > end:
                    continue
                if lead.date_closed:
                    still_open = lead.date_closed.date() > end
                else:
                    still_open = lead.active and not lead.stage_id.is_won
                if not still_open:
                    continue
                for key in self.keys(pid, self.lead_dims(lead)):
                    amount[key] += lead.expected_revenue
                    weighted[key] += lead.expected_revenue * lead.probability / 100
        return {"pipeline_value": dict(amount), "weighted_pipeline": dict(weighted)}

    # -- customers -------------------------------------------------------
    def customers(self):
        transactions = self.leads.filtered(
            lambda lead: (
                lead.active
                and lead.type == "opportunity"
                and lead.stage_id.is_won
                and lead.date_closed
                and lead.partner_id
            )
        )

        def dims(lead):
            customer = lead.partner_id.commercial_partner_id
            return {
                "seg": customer.customer_segment_id.id,
                "ch": lead.contact_channel_id.id,
                "u": lead.user_id.id,
                "t": lead.team_id.id,
            }

        def active_on(day):
            """{customer: [its transactions in the window ending on day]}"""
            found = defaultdict(list)
            for lead in transactions:
                closed = lead.date_closed.date()
                if day - datetime.timedelta(days=self.window) < closed <= day:
                    found[lead.partner_id.commercial_partner_id].append(lead)
            return found

        active = defaultdict(set)
        cohort = defaultdict(set)
        retained = defaultdict(set)
        new = defaultdict(set)
        for pid, start, end in self.periods:
            at_end = active_on(end)
            for customer, leads in at_end.items():
                for lead in leads:
                    for key in self.keys(pid, dims(lead)):
                        active[key].add(customer)
            for customer, leads in active_on(start - DAY).items():
                for lead in leads:
                    for key in self.keys(pid, dims(lead)):
                        cohort[key].add(customer)
                        if customer in at_end:
                            retained[key].add(customer)
        for customer in transactions.partner_id.commercial_partner_id:
            first = min(
                transactions.filtered(
                    lambda lead, c=customer: lead.partner_id.commercial_partner_id == c
                ),
                key=lambda lead: (lead.date_closed.date(), lead.id),
            )
            for pid in self.periods_of(first.date_closed.date()):
                for key in self.keys(pid, dims(first)):
                    new[key].add(customer)
        keys = set(active) | set(cohort) | set(new)
        return {
            "active_customers": {k: len(active[k]) for k in keys},
            "new_customers": {k: len(new[k]) for k in keys},
            "retention_rate": {k: rate(len(retained[k]), len(cohort[k])) for k in keys},
            "churn_rate": {
                k: 100 - rate(len(retained[k]), len(cohort[k])) if cohort[k] else None
                for k in keys
            },
        }

    # -- activities and data ---------------------------------------------
    def activities(self):
        due = defaultdict(float)
        overdue = defaultdict(float)
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "crm.lead"), ("res_id", "in", self.leads.ids)]
        )
        for activity in activities:
            lead = self.leads.browse(activity.res_id)
            dims = dict(self.lead_dims(lead), u=activity.user_id.id)
            for pid, _start, end in self.periods:
                if activity.date_deadline > end:
                    continue
                for key in self.keys(pid, dims):
                    due[key] += 1
                    if activity.date_deadline < min(end + DAY, self.today):
                        overdue[key] += 1
        return {"overdue_activity_share": {k: rate(overdue[k], due[k]) for k in due}}

    def completeness(self):
        total = defaultdict(float)
        complete = defaultdict(float)
        for customer in self.leads.partner_id.commercial_partner_id:
            if not customer.active:
                continue
            dims = {
                "seg": customer.customer_segment_id.id,
                "ch": customer.preferred_channel_id.id,
                "u": customer.user_id.id,
                "t": None,
            }
            is_complete = bool(
                customer.customer_segment_id
                and customer.preferred_channel_id
                and customer.email
                and (customer.phone or customer.mobile)
            )
            for pid, _start, end in self.periods:
                if customer.create_date.date() > end:
                    continue
                for key in self.keys(pid, dims):
                    total[key] += 1
                    complete[key] += is_complete
        return {"data_completeness": {k: rate(complete[k], total[k]) for k in total}}

    def customer_scores(self):
        """The predictive built-ins: the fixture fits no customer model, so
        none has a value (their values by hand: test_score_indicators.py)."""
        fitted = self.env["crm.customer.model"].search_count(
            [("company_id", "=", self.company.id), ("state", "=", "fitted")]
        )
        assert not fitted, "the engine fixture fits no customer model"
        keys = [
            (pid, seg, ch, None, None)
            for pid, _start, _end in self.periods
            for seg in self.segment_ids
            for ch in (None, *self.channel_ids)
        ]
        return {
            code: dict.fromkeys(keys)
            for code, spec in BUILTINS.items()
            if spec.family == "customer_scores"
        }

    def all(self):
        values = {}
        for family in (
            self.closed,
            self.created,
            self.pipeline,
            self.customers,
            self.activities,
            self.completeness,
            self.customer_scores,
        ):
            values.update(family())
        return values


@tagged("post_install", "-at_install")
class TestEngineOrmEquivalence(EngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # cases on the edges, on top of the data set
        a, P, E = cls.company_a, cls.medium_phone, cls.medium_email
        u1, u2, ta = cls.u1, cls.u2, cls.team_a
        # closed late on the last day of May, created late on the last of April
        cls._eng_lead(
            "E1",
            a,
            cls.c3,
            "won",
            "2005-04-30 23:59",
            "2005-05-31 23:30",
            100,
            P,
            u1,
            ta,
        )
        # won on 04-01: active on Apr 30, just out of the window on May 31
        cls._eng_lead(
            "E2", a, cls.c1, "won", "2005-03-20", "2005-04-01 12:00", 250, E, u2, ta
        )
        # won without a customer: a won deal, no customer's transaction
        cls._eng_lead("E3", a, None, "won", "2005-02-02", "2005-02-22", 70, P, u2, None)
        # archived with a probability: neither won nor lost
        e4 = cls._eng_lead(
            "E4",
            a,
            cls.c5,
            "open",
            "2005-01-03",
            "2005-02-14",
            40,
            E,
            u1,
            ta,
            probability=10,
            active=False,
        )
        # answered the second it was created
        e5 = cls._eng_lead(
            "E5",
            a,
            cls.c7,
            "open",
            "2005-05-31 22:00",
            None,
            600,
            None,
            u2,
            None,
            probability=30,
        )
        cls._message(e5, u1, "2005-05-31 22:00")
        # due on the last day of April, on an archived lead
        cls._activity(cls.o1, u1, "2005-04-30")
        cls._activity(e4, u2, "2005-02-01")
        cls._apply_dates()

    def assertSameAsNaive(self, company, today=None):
        periods = self.months | self.quarters
        segments = (None, self.retail, self.wholesale)
        today = today or datetime.date.today()
        engine = self.compute(
            self.builtins, periods, company, segments=segments, today=today
        )
        naive = Naive(
            self.env,
            company,
            periods,
            [s.id if s else None for s in segments],
            (self.phone | self.email).ids,
            today,
        ).all()
        self.assertEqual(set(naive), set(BUILTINS))
        compared = 0
        for code, indicator in self.ind.items():
            got = engine[indicator]
            expected = naive[code]
            empty = 0.0 if code in ZERO_WHEN_EMPTY else None
            for key in set(got) | set(expected):
                value = got[key][0] if key in got else empty
                wanted = expected.get(key, empty)
                message = f"{code} {key}: engine {got.get(key)}, naive {wanted}"
                if wanted is None:
                    self.assertIsNone(value, message)
                else:
                    self.assertIsNotNone(value, message)
                    self.assertAlmostEqual(value, wanted, places=6, msg=message)
                compared += 1
            # every period and segment, in total and per watched channel
            for period in periods:
                for segment in segments:
                    for channel in (None, self.phone, self.email):
                        self.assertIn(self.key(period, segment, channel), got, code)
        return compared

    def test_company_a(self):
        compared = self.assertSameAsNaive(self.company_a)
        # 17 indicators, 8 periods, 3 segments, 3 channels at least
        self.assertGreater(compared, 17 * 8 * 3 * 3)

    def test_company_a_on_a_day_inside_the_periods(self):
        self.assertSameAsNaive(self.company_a, today=datetime.date(2005, 3, 15))

    def test_company_b(self):
        self.assertSameAsNaive(self.company_b)

    def test_customers_over_more_points_than_one_statement_reads(self):
        """A scope with more activity points than the bits of one statement
        (customers_family.MAX_POINTS) is read in runs of periods: the same
        values."""
        runs = patch.object(
            customers_family,
            "_islands_table",
            autospec=True,
            side_effect=customers_family._islands_table,
        )
        with patch.object(customers_family, "MAX_POINTS", 3), runs as statements:
            self.assertSameAsNaive(self.company_a)
        # 6 months and 2 quarters: 7 points, at most 3 a statement
        self.assertGreaterEqual(statements.call_count, 4)

    def test_after_changes(self):
        self.o1.action_set_won()
        self.o2.action_set_lost()
        self.c1.customer_segment_id = self.wholesale
        self.t6.write({"user_id": self.u1.id, "medium_id": self.medium_phone.id})
        self._activity(self.t5, self.u2, "2005-03-01")
        self.ld1.message_post(
            body="Answer",
            author_id=self.u2.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertSameAsNaive(self.company_a)
