"""A day of CRM work on 1 % of the leads, through the ORM (for (d)).

Mostly recent open opportunities move to the next stage; some are won or
lost today, some get a new expected revenue, and a few new leads come in.
The choice is deterministic (the most recent open opportunities first).
"""

SHARE = 0.01
# what the changed leads become, as shares of them
MIX = (
    ("moved to the next stage", 0.60),
    ("won", 0.10),
    ("lost", 0.10),
    ("new expected revenue", 0.15),
)
NEW_LEADS = 0.05


def apply(env, meta):
    """Change the leads; return {what: count}."""
    Lead = env["crm.lead"]
    total = max(
        round(Lead.with_context(active_test=False).search_count([]) * SHARE), 20
    )
    wanted = round(total * (1 - NEW_LEADS))
    opportunities = Lead.search(
        [
            ("type", "=", "opportunity"),
            ("stage_id.is_won", "=", False),
            ("date_closed", "=", False),
        ],
        order="create_date desc, id desc",
        limit=wanted,
    )
    changes = {}
    offset = 0
    for what, share in MIX:
        count = round(total * share)
        leads = opportunities[offset : offset + count]
        offset += count
        changes[what] = len(leads)
        if what == "moved to the next stage":
            _move(env, leads)
        elif what == "won":
            leads.action_set_won()
        elif what == "lost":
            reason = env["crm.lost.reason"].search([], limit=1)
            leads.action_set_lost(lost_reason_id=reason.id)
        else:
            for index, lead in enumerate(leads):
                factor = 0.8 + 0.05 * (index % 9)
                lead.write({"expected_revenue": round(lead.expected_revenue * factor)})
    changes["new leads"] = _new_leads(env, meta, total - wanted, opportunities)
    return changes


def _move(env, leads):
    stages = env["crm.stage"].search([("is_won", "=", False)], order="sequence, id")
    following = {
        stage: stages[min(index + 1, len(stages) - 1)]
        for index, stage in enumerate(stages)
    }
    # a stage at the end of the open ones goes back one step
    following[stages[-1]] = stages[-2]
    for stage, group in leads.grouped("stage_id").items():
        group.write({"stage_id": following.get(stage, stages[0]).id})


def _new_leads(env, meta, count, sample):
    users = env["res.users"].browse(meta["user_ids"])
    channels = env["crm.contact.channel"].browse(meta["channel_ids"])
    vals_list = []
    for index in range(count):
        model = sample[index % len(sample)] if sample else None
        channel = channels[index % len(channels)]
        vals_list.append(
            {
                "name": f"New request {index + 1}",
                "type": "lead" if index % 3 else "opportunity",
                "partner_id": model.partner_id.id if model else False,
                "user_id": users[index % len(users)].id,
                "expected_revenue": 1000 * (1 + index % 20),
                "medium_id": channel.medium_ids[:1].id or False,
                "source_id": channel.source_ids[:1].id or False,
            }
        )
    return len(env["crm.lead"].create(vals_list))
