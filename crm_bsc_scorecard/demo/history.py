# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A year of CRM history of the demo company: new customers, leads and
opportunities with their dates, first answers and open activities.
Deterministic (fixed random seeds)."""

import math
import random
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import Command, fields
from odoo.tools import SQL

from . import common
from .data import (
    BASE_CUSTOMERS,
    CHANNEL_UTMS,
    HISTORY_MONTHS,
    INBOUND_CHANNELS,
    LEAD_IN_MONTHS,
    LEAD_TAGS,
    LOST_REASONS,
    MODULE,
    NEW_CUSTOMERS,
    PHONE_PREFIX,
    PROSPECT_CHANNELS,
    PROSPECT_COMPANIES,
    PROSPECT_NAMES,
    PROSPECT_SUBJECTS,
    RESPONSE_HOURS,
    SEASON,
    SEED,
    SEGMENT_PROFILES,
    USER_TEAMS,
)


def _poisson(rng, mean):
    """A Poisson draw (Knuth), enough for small means."""
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def generate_history(env):
    """A year of CRM history of the demo company; skipped when present."""
    if env.ref(f"{MODULE}.demo_partner_northwind", raise_if_not_found=False):
        return False
    env = env(
        context=dict(
            env.context,
            tracking_disable=True,
            mail_create_nolog=True,
            mail_create_nosubscribe=True,
            mail_notrack=True,
            mail_activity_quick_update=True,
        )
    )
    rng = random.Random(SEED)
    customers = _create_customers(env)
    env["crm.customer.segment"]._assign_partners()
    plans = _plan_leads(env, rng, customers)
    leads = _create_leads(env, plans)
    _backdate_leads(env, leads, plans)
    common.backdate_customers(env, leads)
    _first_responses(env, rng, leads, plans)
    _open_activities(env, rng, leads, plans)
    return len(leads)


def _create_customers(env):
    """Create the new demo customers; return [(partner, contact, profile)]
    for all customers, Odoo's demo companies included."""
    Partner = env["res.partner"]
    channels = {
        channel.code: channel for channel in env["crm.contact.channel"].search([])
    }
    countries = {
        country.code: country
        for country in env["res.country"].search(
            [("code", "in", list({c[5] for c in NEW_CUSTOMERS}))]
        )
    }
    vals_list = []
    for (key, name, industry, tag, channel, country, city, *_rest,
         missing, contact) in NEW_CUSTOMERS:  # fmt: skip
        slug = key.replace("_", "-")
        email = (
            f"info@{slug}.example.com"
            if industry
            else f"{key.replace('_', '.')}@example.com"
        )
        vals = {
            "name": name,
            "is_company": bool(industry),
            "city": city,
            "country_id": countries[country].id,
            "email": False if "email" in missing else email,
            "phone": False
            if "phone" in missing
            else f"{PHONE_PREFIX[country]} {len(vals_list) * 7919 % 9000 + 1000}",
            "preferred_channel_id": False
            if "channel" in missing
            else channels[channel].id,
            "industry_id": common.ref(env, f"base.res_partner_industry_{industry}").id
            if industry
            else False,
            "category_id": [Command.set([common.ref(env, tag).id])] if tag else [],
        }
        if contact:
            first = contact.split()[-2 if contact.startswith("Dr.") else 0]
            vals["child_ids"] = [
                Command.create(
                    {
                        "name": contact,
                        "type": "contact",
                        "function": "Purchasing manager",
                        "email": f"{first.lower()}@{slug}.example.com",
                    }
                )
            ]
        vals_list.append(vals)
    partners = Partner.create(vals_list)
    common.name_xmlids(env, partners, "demo_partner", [c[0] for c in NEW_CUSTOMERS])
    result = []
    for xml_id, start, end, rate in BASE_CUSTOMERS:
        partner = common.ref(env, xml_id)
        contact = partner.child_ids.filtered(lambda p: p.type == "contact")[:1]
        result.append((partner, contact or partner, (start, end, rate)))
    for partner, data in zip(partners, NEW_CUSTOMERS, strict=True):
        result.append((partner, partner.child_ids[:1] or partner, data[7:10]))
    return result


def _plan_leads(env, rng, customers):
    """Plan the leads of the history: a list of dicts, oldest first."""
    now = fields.Datetime.now()
    first = (now - relativedelta(months=HISTORY_MONTHS - 1)).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )
    profiles = {
        common.ref(env, xml_id): dict(profile, xml_id=xml_id)
        for xml_id, profile in SEGMENT_PROFILES.items()
    }
    plans = []
    for month in range(-LEAD_IN_MONTHS, HISTORY_MONTHS):
        month_start = first + relativedelta(months=month)
        month_end = min(month_start + relativedelta(months=1), now)
        factor = SEASON[month_start.month] * (1 + 0.02 * month)
        for partner, contact, (start, end, rate) in customers:
            profile = profiles.get(partner.customer_segment_id)
            if not profile or max(month, 0) < start:
                continue
            if end is not None and month > end:
                continue
            count = _poisson(rng, rate * factor)
            if end is not None and month == end:
                count = max(count, 1)
            for _index in range(count):
                created = _random_moment(rng, month_start, month_end)
                plan = _plan_customer_lead(
                    env, rng, partner, contact, profile, created, now
                )
                if end is not None and month == end and not _index:
                    # the last deal of a churning customer goes to a rival
                    plan.update(outcome="lost", lost_reason="lost_reason_competitor")
                    plan["closed"] = min(created + timedelta(days=12), now)
                if month >= 0 or (
                    plan["outcome"] != "open" and plan["closed"] >= first
                ):
                    plans.append(plan)
        if month < 0:
            continue
        for _index in range(_poisson(rng, 4 * factor)):
            created = _random_moment(rng, month_start, month_end)
            plans.append(_plan_prospect(env, rng, created, now))
    plans.sort(key=lambda plan: plan["created"])
    return plans


def _random_moment(rng, start, end):
    """A working-hours moment in [start, end)."""
    span = max((end - start).total_seconds(), 3600)
    moment = start + timedelta(seconds=rng.uniform(0, span))
    hour = rng.randint(7, 17)  # UTC
    moment = moment.replace(hour=hour, minute=rng.randint(0, 59))
    return min(moment, end - timedelta(minutes=5))


def _plan_customer_lead(env, rng, partner, contact, profile, created, now):
    cycle = rng.uniform(*profile["cycle"])
    won = rng.random() < profile["win"]
    closed = created + timedelta(days=cycle * (1.0 if won else rng.uniform(0.2, 1.0)))
    channel = partner.preferred_channel_id.code
    if not channel or rng.random() < 0.4:
        channel = common.weighted(rng, profile["channels"])
    low, high = profile["amount"]
    amount = round(math.exp(rng.uniform(math.log(low), math.log(high))), -2)
    plan = {
        "name": f"{partner.name}: {rng.choice(profile['products'])}",
        "partner": contact,
        "user": common.ref(env, rng.choice(profile["users"])),
        "channel": channel,
        "amount": amount,
        "created": created,
        "cycle": cycle,
        "converted": created,
        "outcome": "won" if won else "lost",
        "closed": closed,
        "lost_reason": rng.choice(LOST_REASONS),
        "priority": rng.choice("0112233" if amount > 20000 else "001112"),
    }
    if rng.random() < 0.18 or closed >= now:
        plan["outcome"] = "open"
    if channel in INBOUND_CHANNELS and rng.random() < 0.5:
        # came in as a lead, qualified into an opportunity a few days later
        # (or dropped before that)
        end = closed if plan["outcome"] != "open" else now
        converted = created + timedelta(days=rng.uniform(0.5, 8))
        plan["converted"] = converted if converted < end else False
        if plan["outcome"] == "lost" and rng.random() < 0.4:
            plan["converted"] = False
        if plan["outcome"] == "won" and not plan["converted"]:
            plan["converted"] = created + (closed - created) / 2
        if not plan["converted"] and plan["outcome"] == "lost":
            plan["lost_reason"] = "lost_reason_not_qualified"
    return plan


def _plan_prospect(env, rng, created, now):
    """A lead without a customer: most are dropped, some become deals."""
    channel = common.weighted(rng, PROSPECT_CHANNELS)
    name = rng.choice(PROSPECT_NAMES)
    company = rng.choice(PROSPECT_COMPANIES)
    converted = rng.random() < 0.35
    closed = created + timedelta(days=rng.uniform(2, 20 if converted else 40))
    plan = {
        "name": f"{company or name}: {rng.choice(PROSPECT_SUBJECTS)}",
        "partner": False,
        "contact_name": name,
        "partner_name": company or False,
        "email": f"{name.split()[0].lower()}.{name.split()[1].lower()}@example.com",
        "user": common.ref(env, rng.choice(("base.user_demo", "demo_user_bruno"))),
        "channel": channel,
        "amount": round(rng.uniform(1500, 12000), -2) if converted else 0.0,
        "created": created,
        "cycle": 15.0,
        "converted": created + timedelta(days=rng.uniform(0.5, 6))
        if converted
        else False,
        "outcome": "lost",
        "closed": closed,
        "lost_reason": rng.choice(LOST_REASONS[1:3])
        if converted
        else "lost_reason_not_qualified",
        "priority": "0",
    }
    if closed >= now or rng.random() < 0.12:
        plan["outcome"] = "open"
    if plan["converted"] and plan["converted"] >= now:
        plan["converted"] = False
    return plan


def _lead_vals(env, plan, stages):
    user = plan["user"]
    team = common.ref(env, USER_TEAMS[user.get_external_id()[user.id]])
    sources, mediums = CHANNEL_UTMS[plan["channel"]]
    pick = plan["rng_pick"]
    vals = {
        "name": plan["name"],
        "type": "opportunity" if plan["converted"] else "lead",
        "partner_id": plan["partner"].id if plan["partner"] else False,
        "user_id": user.id,
        "team_id": team.id,
        "expected_revenue": plan["amount"],
        "source_id": common.ref(env, sources[pick % len(sources)]).id
        if sources
        else False,
        "medium_id": common.ref(env, mediums[pick % len(mediums)]).id
        if mediums
        else False,
        "priority": plan["priority"],
        "tag_ids": [
            Command.set(
                [
                    common.ref(env, LEAD_TAGS[index % len(LEAD_TAGS)]).id
                    for index in {pick, pick // 3}
                ]
            )
        ],
        "date_deadline": (plan["created"] + timedelta(days=plan["cycle"])).date(),
    }
    if not plan["partner"]:
        vals.update(
            contact_name=plan["contact_name"],
            partner_name=plan["partner_name"],
            email_from=plan["email"],
        )
    if plan["outcome"] == "won":
        vals.update(stage_id=stages["won"].id, probability=100.0)
    elif plan["outcome"] == "lost":
        vals.update(
            stage_id=stages[plan["stage"]].id,
            active=False,
            probability=0.0,
            lost_reason_id=common.ref(env, plan["lost_reason"]).id,
        )
    else:
        vals["stage_id"] = stages[plan["stage"]].id
    return vals


def _create_leads(env, plans):
    now = fields.Datetime.now()
    stages = {
        "new": common.ref(env, "crm.stage_lead1"),
        "qualified": common.ref(env, "crm.stage_lead2"),
        "proposition": common.ref(env, "crm.stage_lead3"),
        "won": common.ref(env, "crm.stage_lead4"),
    }
    rng = random.Random(SEED + 1)
    for plan in plans:
        plan["rng_pick"] = rng.randrange(12)
        end = plan["closed"] if plan["outcome"] != "open" else now
        progress = (end - plan["created"]).total_seconds() / (plan["cycle"] * 86400)
        if not plan["converted"]:
            plan["stage"] = "new"
        elif progress < 0.3:
            plan["stage"] = "new" if plan["outcome"] == "open" else "qualified"
        elif progress < 0.7:
            plan["stage"] = "qualified"
        else:
            plan["stage"] = "proposition"
        if plan["outcome"] == "open" and plan["converted"] and rng.random() < 0.3:
            # some open opportunities were created from a lead a few days
            # after it came in
            plan["converted"] = min(
                plan["created"] + timedelta(days=rng.uniform(1, 8)), now
            )
    vals_list = [_lead_vals(env, plan, stages) for plan in plans]
    leads = env["crm.lead"].create(vals_list)
    common.name_xmlids(env, leads, "demo_lead", [f"{i:04d}" for i in range(len(leads))])
    return leads


def _backdate_leads(env, leads, plans):
    """Give the leads the dates of their history (create_date is automatic)."""
    now = fields.Datetime.now()
    rows = []
    for lead, plan in zip(leads, plans, strict=True):
        created = plan["created"]
        opened = min(created + timedelta(hours=plan["rng_pick"] * 2), now)
        closed = plan["closed"] if plan["outcome"] != "open" else None
        converted = plan["converted"] or None
        if converted and converted > created and converted > now:
            converted = now
        last_stage = closed or converted or created
        rows.append(
            SQL(
                "(%s, %s::timestamp, %s::timestamp, %s::timestamp, "
                "%s::timestamp, %s::timestamp, %s::numeric, %s::numeric)",
                lead.id,
                created,
                opened,
                converted,
                closed,
                last_stage,
                abs((opened - created).days),
                abs((closed - created).days) if closed else None,
            )
        )
    env.flush_all()
    env.cr.execute(
        SQL(
            """
            UPDATE crm_lead AS lead
               SET create_date = data.created,
                   write_date = COALESCE(data.closed, data.last_stage),
                   date_open = data.opened,
                   date_conversion = data.converted,
                   date_closed = data.closed,
                   date_last_stage_update = data.last_stage,
                   day_open = data.day_open,
                   day_close = data.day_close
              FROM (VALUES %s) AS data(id, created, opened, converted, closed,
                                      last_stage, day_open, day_close)
             WHERE lead.id = data.id
            """,
            SQL(", ").join(rows),
        )
    )
    leads.invalidate_recordset()


def _first_responses(env, rng, leads, plans):
    """The first answer to most leads: a note or a done activity."""
    now = fields.Datetime.now()
    note = common.ref(env, "mail.mt_note")
    done = common.ref(env, "mail.mt_activities")
    types = [
        common.ref(env, "mail.mail_activity_data_call"),
        common.ref(env, "mail.mail_activity_data_email"),
        common.ref(env, "mail.mail_activity_data_meeting"),
    ]
    vals_list = []
    for lead, plan in zip(leads, plans, strict=True):
        low, high = RESPONSE_HOURS[plan["channel"]]
        age = (plan["created"] - (now - relativedelta(months=HISTORY_MONTHS))).days
        # slow in the first months, faster once the service team is trained
        speed = 1.3 - 0.5 * age / (HISTORY_MONTHS * 30.5)
        hours = math.exp(rng.uniform(math.log(low), math.log(high))) * speed
        answered = plan["created"] + timedelta(hours=hours)
        if answered >= now or rng.random() < 0.08:
            continue
        author = plan["user"].partner_id
        vals = {
            "model": "crm.lead",
            "res_id": lead.id,
            "record_name": lead.name,
            "author_id": author.id,
            "email_from": author.email_formatted,
            "date": answered,
        }
        if rng.random() < 0.5:
            vals.update(
                message_type="comment",
                subtype_id=note.id,
                body=Markup("<p>%s</p>")
                % rng.choice(
                    (
                        "Called back, needs a quote by next week.",
                        "Replied with our catalogue and price list.",
                        "First contact made; meeting to be planned.",
                        "Answered the questions on delivery times.",
                    )
                ),
            )
        else:
            activity_type = rng.choice(types)
            vals.update(
                message_type="notification",
                subtype_id=done.id,
                mail_activity_type_id=activity_type.id,
                body=Markup("<p>%s done: first contact with the customer.</p>")
                % activity_type.name,
            )
        vals_list.append(vals)
    env["mail.message"].create(vals_list)


def _open_activities(env, rng, leads, plans):
    """Next steps on most open leads, some of them overdue."""
    today = common.today(env)
    model = env["ir.model"]._get_id("crm.lead")
    types = {
        "call": common.ref(env, "mail.mail_activity_data_call"),
        "email": common.ref(env, "mail.mail_activity_data_email"),
        "todo": common.ref(env, "mail.mail_activity_data_todo"),
    }
    summaries = {
        "call": "Follow-up call",
        "email": "Send the quotation",
        "todo": "Prepare the floor plan",
    }
    vals_list = []
    for lead, plan in zip(leads, plans, strict=True):
        if plan["outcome"] != "open" or rng.random() < 0.25:
            continue
        kind = rng.choice(list(types))
        vals_list.append(
            {
                "res_model_id": model,
                "res_id": lead.id,
                "activity_type_id": types[kind].id,
                "summary": summaries[kind],
                "date_deadline": today + timedelta(days=rng.randint(-7, 21)),
                "user_id": plan["user"].id,
            }
        )
    env["mail.activity"].create(vals_list)
