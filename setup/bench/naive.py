"""The naive way: the 17 built-in indicators from ORM searches and Python
loops, as a developer who does not know SQL would write them.

For each period and each scorecard's segment (and all customers): search the
leads (won or lost, created, open, the transactions of the activity windows),
the activities and the customers, loop over them in Python and count, per
channel, salesperson and team too. Then store the values through the ORM,
scored against the scorecards' lines, as (a) stores them.
"""

from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import fields, models
from odoo.tools import split_every

ONE_DAY = timedelta(days=1)


def _start(day):
    return datetime.combine(day, time.min)


class Tally:
    """Numbers per key (seg, ch, u, t) of one period and segment."""

    def __init__(self, segment_id, channel_ids):
        self.segment_id = segment_id
        self.channel_ids = channel_ids
        self.numbers = defaultdict(lambda: defaultdict(float))
        self.sets = defaultdict(lambda: defaultdict(set))

    def keys(self, channel, user, team):
        keys = [(self.segment_id, None, None, None)]
        if channel and channel.id in self.channel_ids:
            keys.append((self.segment_id, channel.id, None, None))
        if user:
            keys.append((self.segment_id, None, user.id, None))
        if team:
            keys.append((self.segment_id, None, None, team.id))
        return keys

    def add(self, name, number, channel, user, team):
        for key in self.keys(channel, user, team):
            self.numbers[key][name] += number

    def touch(self, channel, user, team, *names):
        for key in self.keys(channel, user, team):
            for name in names:
                self.numbers[key][name] += 0

    def put(self, name, item, channel, user, team):
        for key in self.keys(channel, user, team):
            self.sets[key][name].add(item)


def compute(env, meta, scorecards, periods, today=None):
    """{(code, period id, seg, ch, u, t): value} of every indicator, on the
    day ``today`` (default: today)."""
    company = env["res.company"].browse(meta["company_id"])
    window = company.bsc_activity_window_days or 365
    today = fields.Date.to_date(today) or fields.Date.context_today(
        env["crm.bsc.engine"]
    )
    channel_ids = set(meta["channel_ids"])
    segments = [scorecard.segment_id for scorecard in scorecards]
    internal = set(
        env["res.users"]
        .with_context(active_test=False)
        .search([("share", "=", False)])
        .partner_id.ids
    )
    comment = env.ref("mail.mt_comment")
    out = {}
    for period in periods:
        for segment in segments:
            tally = Tally(segment.id or None, channel_ids)
            args = (env, company, period, segment, tally)
            _closed(*args)
            _created(*args, internal, comment)
            _pipeline(*args)
            _activities(*args, today)
            _customers(*args, window)
            _completeness(*args)
            _values(out, period.id, tally, channel_ids)
    return out


def _leads(env, company, segment, domain):
    Lead = env["crm.lead"].with_context(active_test=False)
    domain = [("company_id", "=", company.id), *domain]
    if segment:
        domain.append(("customer_segment_id", "=", segment.id))
    return Lead.search(domain)


def _closed(env, company, period, segment, tally):
    leads = _leads(
        env,
        company,
        segment,
        [
            ("type", "=", "opportunity"),
            ("date_closed", ">=", _start(period.date_from)),
            ("date_closed", "<", _start(period.date_to + ONE_DAY)),
        ],
    )
    for lead in leads:
        dims = (lead.contact_channel_id, lead.user_id, lead.team_id)
        tally.touch(*dims, "won", "lost")
        if lead.active and lead.stage_id.is_won:
            tally.add("won", 1, *dims)
            tally.add("won_amount", lead.expected_revenue, *dims)
            days = (lead.date_closed - lead.create_date).total_seconds() / 86400
            tally.add("cycle", days, *dims)
        elif not lead.active and not lead.probability:
            tally.add("lost", 1, *dims)


def _created(env, company, period, segment, tally, internal, comment):
    leads = _leads(
        env,
        company,
        segment,
        [
            ("create_date", ">=", _start(period.date_from)),
            ("create_date", "<", _start(period.date_to + ONE_DAY)),
        ],
    )
    for lead in leads:
        dims = (lead.contact_channel_id, lead.user_id, lead.team_id)
        tally.add("created", 1, *dims)
        if lead.type == "opportunity" or lead.date_conversion:
            tally.add("converted", 1, *dims)
        first = None
        for message in lead.message_ids:
            if message.date < lead.create_date:
                continue
            if message.author_id.id not in internal:
                continue
            answer = message.mail_activity_type_id or (
                message.message_type in ("email", "comment")
                and message.subtype_id == comment
            )
            if answer and (first is None or message.date < first):
                first = message.date
        if first:
            hours = (first - lead.create_date).total_seconds() / 3600
            tally.add("hours", hours, *dims)
            tally.add("answered", 1, *dims)


def _pipeline(env, company, period, segment, tally):
    end = _start(period.date_to + ONE_DAY)
    leads = _leads(
        env,
        company,
        segment,
        ["|", ("date_closed", "=", False), ("date_closed", ">=", end)],
    )
    for lead in leads:
        if lead.type != "opportunity":
            continue
        if (lead.date_conversion or lead.create_date) >= end:
            continue
        if not lead.date_closed and (not lead.active or lead.stage_id.is_won):
            continue  # archived or won without a closing date: not open
        dims = (lead.contact_channel_id, lead.user_id, lead.team_id)
        tally.add("pipeline", lead.expected_revenue, *dims)
        tally.add("weighted", lead.expected_revenue * lead.probability / 100, *dims)


def _activities(env, company, period, segment, tally, today):
    activities = env["mail.activity"].search(
        [("res_model", "=", "crm.lead"), ("date_deadline", "<=", period.date_to)]
    )
    overdue_before = min(period.date_to + ONE_DAY, today)
    for activity in activities:
        lead = env["crm.lead"].with_context(active_test=False).browse(activity.res_id)
        if lead.company_id != company:
            continue
        if segment and lead.customer_segment_id != segment:
            continue
        dims = (lead.contact_channel_id, activity.user_id, lead.team_id)
        tally.add("due", 1, *dims)
        tally.add("overdue", int(activity.date_deadline < overdue_before), *dims)


def _transactions(env, company):
    """Every customer transaction of the company: won opportunities."""
    return env["crm.lead"].search(
        [
            ("company_id", "=", company.id),
            ("type", "=", "opportunity"),
            ("stage_id.is_won", "=", True),
            ("date_closed", "!=", False),
            ("partner_id", "!=", False),
        ]
    )


def _customers(env, company, period, segment, tally, window):
    start, end = period.date_from - ONE_DAY, period.date_to
    transactions = _transactions(env, company)
    first = {}
    active_at_end = set()
    for lead in transactions:
        customer = lead.partner_id.commercial_partner_id
        day = lead.date_closed.date()
        if customer not in first or (day, lead.id) < first[customer][0]:
            first[customer] = ((day, lead.id), lead)
        if segment and customer.customer_segment_id != segment:
            continue
        dims = (lead.contact_channel_id, lead.user_id, lead.team_id)
        if end - timedelta(days=window) < day <= end:
            tally.put("active", customer.id, *dims)
            active_at_end.add(customer.id)
        if start - timedelta(days=window) < day <= start:
            tally.put("cohort", customer.id, *dims)
    for sets in tally.sets.values():
        sets["retained"] = sets["cohort"] & active_at_end
    for customer, ((day, _id), lead) in first.items():
        if segment and customer.customer_segment_id != segment:
            continue
        if period.date_from <= day <= period.date_to:
            tally.add("new", 1, lead.contact_channel_id, lead.user_id, lead.team_id)


def _completeness(env, company, period, segment, tally):
    leads = _leads(env, company, None, [("partner_id", "!=", False)])
    end = _start(period.date_to + ONE_DAY)
    for customer in leads.partner_id.commercial_partner_id:
        if not customer.active or customer.create_date >= end:
            continue
        if segment and customer.customer_segment_id != segment:
            continue
        complete = bool(
            customer.customer_segment_id
            and customer.preferred_channel_id
            and customer.email
            and (customer.phone or customer.mobile)
        )
        dims = (customer.preferred_channel_id, customer.user_id, None)
        tally.add("customers", 1, *dims)
        tally.add("complete", int(complete), *dims)


def _ratio(num, den, scale=1.0):
    return scale * num / den if den else None


def _values(out, period_id, tally, channel_ids):
    keys = set(tally.numbers) | set(tally.sets)
    keys.add((tally.segment_id, None, None, None))
    keys.update((tally.segment_id, ch, None, None) for ch in channel_ids)
    for key in keys:
        n = tally.numbers.get(key, {})
        sets = tally.sets.get(key, {})

        def get(name, n=n):
            return n.get(name, 0.0)

        won, lost = get("won"), get("lost")
        cohort = len(sets.get("cohort", ()))
        retained = len(sets.get("retained", ()))
        values = {
            "won_deals": won,
            "won_revenue": get("won_amount"),
            "avg_deal_size": _ratio(get("won_amount"), won),
            "sales_cycle_days": _ratio(get("cycle"), won),
            "win_rate": _ratio(won, won + lost, 100.0),
            "lost_rate": _ratio(lost, won + lost, 100.0),
            "new_leads": get("created"),
            "lead_conversion_rate": _ratio(get("converted"), get("created"), 100.0),
            "first_response_hours": _ratio(get("hours"), get("answered")),
            "pipeline_value": get("pipeline"),
            "weighted_pipeline": get("weighted"),
            "overdue_activity_share": _ratio(get("overdue"), get("due"), 100.0),
            "data_completeness": _ratio(get("complete"), get("customers"), 100.0),
            "new_customers": get("new"),
            "active_customers": float(len(sets.get("active", ()))),
            "retention_rate": _ratio(retained, cohort, 100.0),
            "churn_rate": (100.0 - 100.0 * retained / cohort) if cohort else None,
        }
        for code, value in values.items():
            out[(code, period_id, *key)] = value


def store(env, scorecards, values, keys):
    """Store ``values`` {(code, period id, seg, ch, u, t): value} under the
    ``keys`` the engine stores, through the ORM: one ``create`` per thousand
    values, each scored against the line of its scorecard. Returns the
    number of values created."""
    import common

    Value = env["crm.bsc.indicator.value"]
    company = scorecards.company_id
    indicators = {
        line.indicator_id.code: line.indicator_id for line in scorecards.line_ids
    }
    lines = {
        (scorecard.segment_id.id or None, line.indicator_id.code): line
        for scorecard in scorecards
        for line in scorecard.line_ids
    }
    vals_list = []
    for key in keys:
        code, period_id, segment, channel, user, team = key
        value = values.get(key, common.absent(code))
        target = score = False
        status = "no_data" if value is None else "unscored"
        # scored in total and per channel, not per salesperson or team
        if user is None and team is None:
            line = lines.get((segment, code))
            if line:
                target = line.target
                score, status = line._evaluate(value)
        vals_list.append(
            {
                "indicator_id": indicators[code].id,
                "period_id": period_id,
                "company_id": company.id,
                "segment_id": segment or False,
                "channel_id": channel or False,
                "user_id": user or False,
                "team_id": team or False,
                "has_value": value is not None,
                "value": value or 0.0,
                "target": target,
                "score": score if score is not None else False,
                "status": status,
                "source": "computed",
            }
        )
    for batch in split_every(1000, vals_list, list):
        # the value model's own create guards hand-made values (it refuses
        # those of computed indicators): the ORM's create underneath it
        models.Model.create(Value, batch)
    env.flush_all()
    return len(vals_list)
