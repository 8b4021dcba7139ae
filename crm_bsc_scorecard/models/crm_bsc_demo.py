# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Demo data that XML cannot express compactly.

Called from ``demo/crm_bsc_demo.xml`` with ``<function>`` tags: calendar
periods around today, a year of CRM history (customers, leads, first
responses, activities) and a year of manual indicator values. Everything is
deterministic (fixed random seeds) and safe to run twice.
"""

import math
import random
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.tools import SQL

from ..tools import scoring

MODULE = "crm_bsc_scorecard"
SEED = 20260301
HISTORY_MONTHS = 13
# Long deals closing in the first months started before the history window.
LEAD_IN_MONTHS = 3
VALUE_MONTHS = 12

# ----------------------------------------------------------------------
# Customers
# ----------------------------------------------------------------------
# Odoo's demo companies: xml id, first month with business (0 = thirteen
# months ago), month after which it buys no more (None: still a customer),
# opportunities per month.
BASE_CUSTOMERS = [
    ("base.res_partner_1", 0, None, 1.3),  # Wood Corner, reseller
    ("base.res_partner_2", 0, None, 1.1),  # Deco Addict, reseller (locked)
    ("base.res_partner_3", 0, None, 1.0),  # Gemini Furniture, enterprise
    ("base.res_partner_4", 0, 7, 0.9),  # Ready Mat, mid-market, churns
    ("base.res_partner_5", 0, None, 0.9),  # OpenWood, enterprise (locked)
    ("base.res_partner_10", 0, None, 1.1),  # The Jackson Group, enterprise
    ("base.res_partner_12", 0, None, 0.9),  # Azure Interior, mid-market
    ("base.res_partner_18", 0, None, 0.6),  # Lumber Inc, small business (locked)
]

# New customers: key, name, industry code (base.res_partner_industry_X) or
# None for a private person, partner tag (demo xml id) or None, preferred
# channel code, country code, city, first month, last month, opportunities
# per month, missing data ("email", "phone", "channel") and the contact
# person of a company.
KEY = "partner_category_key_account"
DEALER = "partner_category_reseller"
# fmt: off
NEW_CUSTOMERS = [
    # Key accounts (Enterprise)
    ("northwind", "Northwind Logistics", "H", KEY, "field", "US", "Oakland",
     0, None, 1.1, (), "Grace Holloway"),
    ("pacific_mutual", "Pacific Mutual Insurance", "K", KEY, "field", "US",
     "San Francisco", 0, None, 0.9, (), "Victor Chen"),
    ("helios", "Helios Software Systems", "J", KEY, "email", "US", "San Jose",
     6, None, 1.2, (), "Priya Raman"),
    ("meridian", "Meridian Hotels Group", "I", KEY, "phone", "US", "Sacramento",
     3, None, 0.9, (), "Hugo Alvarez"),
    # Mid-market
    ("redwood", "Redwood Architects", "M", None, "email", "US", "Berkeley",
     0, None, 0.8, (), "Nora Whitfield"),
    ("sierra", "Sierra Precision Manufacturing", "C", None, "phone", "US",
     "Modesto", 0, None, 0.8, (), "Frank Delgado"),
    ("coastal", "Coastal Realty Partners", "L", None, "web", "US", "Santa Cruz",
     0, None, 0.7, (), "Megan Price"),
    ("brightline", "Brightline Marketing", "M", None, "social", "US", "Palo Alto",
     2, None, 0.7, (), "Omar Haddad"),
    ("cascade", "Cascade Builders", "F", None, "field", "US", "Stockton",
     0, 5, 0.8, ("email",), "Dale Morrison"),
    ("bayview", "Bayview IT Services", "J", None, "web", "US", "Hayward",
     9, None, 0.9, ("channel",), "Lena Fischer"),
    # Small business
    ("corner_bean", "Corner Bean Café", "I", None, "phone", "US", "Fremont",
     0, None, 0.7, (), "Rosa Jimenez"),
    ("urban_flow", "Urban Flow Yoga", "S", None, "social", "US", "Oakland",
     1, None, 0.6, ("phone",), "Maya Lindqvist"),
    ("petal_stem", "Petal & Stem Florist", "S", None, "web", "US", "Tracy",
     0, 4, 0.6, (), "Iris Parker"),
    ("little_print", "The Little Print Shop", "S", None, "email", "US",
     "Livermore", 0, None, 0.6, ("channel",), "Sam O'Neill"),
    ("laura_bennett", "Laura Bennett", None, None, "web", "US", "Pleasanton",
     10, None, 0.8, (), None),
    ("david_okafor", "David Okafor", None, None, "phone", "US", "Dublin",
     0, None, 0.5, ("email",), None),
    ("sofia_marino", "Sofia Marino", None, None, "email", "IT", "Milano",
     4, None, 0.5, (), None),
    # Public sector
    ("fremont_city", "City of Fremont Facilities", "O", None, "email", "US",
     "Fremont", 0, None, 0.8, (), "Arthur Nguyen"),
    ("stockton_usd", "Stockton Unified School District", "P", None, "phone",
     "US", "Stockton", 0, None, 0.9, (), "Denise Carter"),
    ("valley_clinic", "Valley Community Health Clinic", "Q", None, "field",
     "US", "Modesto", 0, 8, 0.7, (), "Dr. Samuel Reyes"),
    ("bayarea_college", "Bay Area Community College", "P", None, "web", "US",
     "Hayward", 7, None, 0.9, ("phone",), "Julia Sato"),
    ("alameda_library", "Alameda County Library", "O", None, "email", "US",
     "Alameda", 0, None, 0.7, (), "Peter Novak"),
    # Resellers
    ("mobilier_benelux", "Mobilier Benelux SA", "G", DEALER, "partner", "BE",
     "Namur", 0, None, 1.2, (), "Claire Dubois"),
    ("officenest", "OfficeNest Retail", "G", DEALER, "partner", "US",
     "Sacramento", 0, None, 1.4, (), "Kevin Brooks"),
    ("ergonomia", "Ergonomia GmbH", "G", DEALER, "partner", "DE", "Köln",
     5, None, 1.0, ("email",), "Jonas Weber"),
    ("desk_chair_outlet", "Desk & Chair Outlet", "G", DEALER, "partner", "US",
     "Fresno", 0, 7, 1.1, (), "Tina Russo"),
]
# fmt: on

PHONE_PREFIX = {
    "US": "+1 555 0100",
    "BE": "+32 81 22",
    "DE": "+49 221 555",
    "IT": "+39 02 555",
}

# Per segment (demo xml id): salespeople (user xml ids), deal size range,
# sales cycle range in days, share of closed deals that are won, the mix of
# channels of its opportunities and what it buys.
SEGMENT_PROFILES = {
    "segment_enterprise": {
        "users": ("base.user_admin", "demo_user_anita"),
        "amount": (25000, 120000),
        "cycle": (35, 100),
        "win": 0.5,
        "channels": {"field": 5, "phone": 2, "email": 2, "web": 1, "event": 2},
        "products": (
            "Headquarters fit-out",
            "Open-space desks",
            "Executive floor furniture",
            "Meeting rooms refresh",
            "Acoustic panels roll-out",
            "Annual furniture service contract",
        ),
    },
    "segment_mid_market": {
        "users": ("base.user_demo", "base.user_admin"),
        "amount": (8000, 35000),
        "cycle": (20, 55),
        "win": 0.5,
        "channels": {"web": 3, "email": 3, "phone": 2, "field": 2, "social": 1},
        "products": (
            "Office chairs renewal",
            "Standing desks",
            "Meeting room furniture",
            "Reception area design",
            "Storage solutions",
        ),
    },
    "segment_small_business": {
        "users": ("demo_user_bruno",),
        "amount": (1200, 6500),
        "cycle": (5, 25),
        "win": 0.55,
        "channels": {"web": 4, "phone": 3, "social": 2, "email": 1, "other": 1},
        "products": (
            "Home office set",
            "Ergonomic chair",
            "Café seating",
            "Shop counter",
            "Small office starter pack",
        ),
    },
    "segment_public_sector": {
        "users": ("demo_user_anita",),
        "amount": (15000, 80000),
        "cycle": (45, 110),
        "win": 0.42,
        "channels": {"email": 3, "field": 3, "phone": 1, "web": 1, "event": 1},
        "products": (
            "Classroom furniture tender",
            "Library shelving",
            "Waiting room seating",
            "Council offices refit",
            "Framework agreement renewal",
        ),
    },
    "segment_resellers": {
        "users": ("demo_user_chloe",),
        "amount": (6000, 25000),
        "cycle": (7, 30),
        "win": 0.65,
        "channels": {"partner": 6, "email": 2, "phone": 1, "event": 1},
        "products": (
            "Dealer restock order",
            "Showroom display set",
            "Seasonal collection pre-order",
            "Private-label chairs",
        ),
    },
}

# The sales team of each salesperson.
USER_TEAMS = {
    "base.user_admin": "sales_team.team_sales_department",
    "base.user_demo": "sales_team.crm_team_1",
    f"{MODULE}.demo_user_anita": "sales_team.team_sales_department",
    f"{MODULE}.demo_user_bruno": "sales_team.crm_team_1",
    f"{MODULE}.demo_user_chloe": "crm_team_channel_sales",
}
# Channels through which customers come in as leads rather than opportunities.
INBOUND_CHANNELS = {"web", "social", "email", "event", "other"}
# Leads without a customer yet (website forms, fairs, social media).
PROSPECT_CHANNELS = {"web": 4, "social": 3, "email": 2, "event": 2, "phone": 1}
PROSPECT_NAMES = (
    "Aiden Clarke",
    "Beatriz Costa",
    "Carlos Mendes",
    "Dana Whitaker",
    "Elif Yilmaz",
    "Felix Wagner",
    "Hannah Brooks",
    "Ivan Petrov",
    "Jade Moreau",
    "Karim Benali",
    "Lucy Tran",
    "Mateo Rossi",
    "Nadia Haddad",
    "Oliver Grant",
    "Paula Nowak",
    "Quentin Leroy",
)
PROSPECT_COMPANIES = (
    "Greenleaf Studio",
    "Harborview Dental",
    "Keystone Consulting",
    "Lakeside Bakery",
    "Metro Coworking",
    "Nimbus Analytics",
    "Orchard Pediatrics",
    "Pinecrest Legal",
    "Quarry Fitness",
    "Riverside Print",
    None,
    None,
    None,
)
PROSPECT_SUBJECTS = (
    "Quote request from the website",
    "Question about ergonomic chairs",
    "Brochure download",
    "Visit at the trade fair stand",
    "Call back request",
    "Interested in standing desks",
)
# Opportunity tags (sales_team demo data): product, services, design, consulting.
LEAD_TAGS = (
    "sales_team.categ_oppor1",
    "sales_team.categ_oppor3",
    "sales_team.categ_oppor5",
    "sales_team.categ_oppor7",
)
LOST_REASONS = (
    "crm.lost_reason_1",  # too expensive
    "lost_reason_competitor",
    "lost_reason_no_budget",
    "crm.lost_reason_3",  # not enough stock
)

# How a contact channel shows in UTM: (sources, mediums); the contact channel
# of a lead derives from them (see data/crm_contact_channel_data.xml).
CHANNEL_UTMS = {
    "phone": ((), ("utm.utm_medium_phone",)),
    "email": (
        ("utm.utm_source_newsletter", "utm.utm_source_mailing"),
        ("utm.utm_medium_email",),
    ),
    "web": (
        ("utm.utm_source_search_engine",),
        (
            "utm.utm_medium_website",
            "utm.utm_medium_google_adwords",
            "utm.utm_medium_banner",
        ),
    ),
    "social": (
        (
            "utm.utm_source_linkedin",
            "utm.utm_source_facebook",
            "utm.utm_source_twitter",
        ),
        (),
    ),
    "field": ((), ("utm.utm_medium_direct",)),
    "partner": (("utm_source_partner_referral",), ()),
    "event": (("utm_source_trade_fair",), ()),
    "other": ((), ("utm.utm_medium_television",)),
}
# Hours to the first answer, per channel (a range; the year improves it).
RESPONSE_HOURS = {
    "phone": (0.5, 6),
    "email": (2, 30),
    "web": (1, 16),
    "social": (1, 20),
    "field": (6, 72),
    "partner": (4, 48),
    "event": (24, 120),
    "other": (4, 48),
}
# Seasonality of the demand per calendar month.
SEASON = {
    1: 0.8, 2: 0.9, 3: 1.1, 4: 1.0, 5: 1.0, 6: 1.1,
    7: 0.8, 8: 0.7, 9: 1.1, 10: 1.2, 11: 1.2, 12: 0.9,
}  # fmt: skip

# ----------------------------------------------------------------------
# Indicator values
# ----------------------------------------------------------------------
# Trajectories in "shortfall units": 0 is the target, 1 the warning
# threshold, 2 the critical threshold, below 0 beats the target.
# name: (start, end, noise)
PROFILES = {
    "strong": (-0.5, -0.7, 0.35),
    "steady": (0.4, 0.4, 0.45),
    "improving": (2.4, -0.2, 0.3),
    "slipping": (-0.4, 1.6, 0.25),
    "struggling": (2.3, 2.8, 0.35),
}
PROFILE_WEIGHTS = {
    "strong": 25,
    "steady": 25,
    "improving": 15,
    "slipping": 20,
    "struggling": 15,
}
# How each segment fares overall, in shortfall units added to every line.
SEGMENT_MOOD = {
    "segment_enterprise": -0.3,
    "segment_mid_market": 0.1,
    "segment_small_business": 0.0,
    "segment_public_sector": 0.5,
    "segment_resellers": 0.2,
}
# The story of each segment, where chance should not decide.
PROFILE_OVERRIDES = {
    ("segment_enterprise", "won_revenue"): "strong",
    ("segment_enterprise", "nps"): "improving",
    ("segment_enterprise", "sales_cycle_days"): "steady",
    ("segment_mid_market", "pipeline_coverage"): "slipping",
    ("segment_mid_market", "won_revenue"): "steady",
    ("segment_small_business", "first_response_hours"): "struggling",
    ("segment_small_business", "complaint_resolution_days"): "slipping",
    ("segment_small_business", "won_revenue"): "improving",
    ("segment_public_sector", "sales_cycle_days"): "struggling",
    ("segment_public_sector", "win_rate"): "steady",
    ("segment_public_sector", "won_revenue"): "steady",
    ("segment_resellers", "churn_rate"): "slipping",
    ("segment_resellers", "retention_rate"): "slipping",
    ("segment_resellers", "won_revenue"): "strong",
    # company-wide figures of the "all customers" scorecard: the training
    # budget was cut, the classic mistake
    ("all", "training_hours"): "struggling",
    ("all", "certified_staff_share"): "slipping",
    ("all", "campaign_roi"): "steady",
}
# Indicators whose "all customers" value is the sum of the segments' values;
# the others take their mean, but for company-wide ones that have their own.
ADDITIVE_CODES = {"won_revenue", "won_deals", "pipeline_value", "new_customers"}
COMPANY_WIDE_CODES = {"training_hours", "certified_staff_share", "campaign_roi"}
# Values that could not be obtained: (segment xml id or None for all
# scorecards, indicator code, month) with month an offset from the current
# month (0, -1, ...) or a calendar month ("m12" for December).
NO_DATA = [
    (None, "campaign_roi", 0, "Campaign costs are booked at the end of the month."),
    (None, "training_hours", "m12", "No training sessions over the holidays."),
    (
        "segment_small_business",
        "nps",
        -4,
        "Survey postponed: 7 answers only, too few to be significant.",
    ),
    ("segment_public_sector", "csat_score", -8, "No survey during school holidays."),
    (
        "segment_resellers",
        "complaint_resolution_days",
        -6,
        "The ticket export from the helpdesk tool failed.",
    ),
    (
        "segment_mid_market",
        "certified_staff_share",
        -9,
        "The HR training report was not received.",
    ),
]
# Indicators whose values the "all customers" scorecard also keeps per
# watched channel.
PER_CHANNEL_CODES = ("csat_score", "first_response_hours")


def _poisson(rng, mean):
    """A Poisson draw (Knuth), enough for small means."""
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _weighted(rng, weights):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


class CrmBscDemo(models.AbstractModel):
    _name = "crm.bsc.demo"
    _description = "Scorecard Demo Data Generator"

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _ref(self, xml_id):
        if "." not in xml_id:
            xml_id = f"{MODULE}.{xml_id}"
        return self.env.ref(xml_id)

    def _name_xmlids(self, records, prefix, keys):
        self.env["ir.model.data"]._update_xmlids(
            [
                {
                    "xml_id": f"{MODULE}.{prefix}_{key}",
                    "record": record,
                    "noupdate": True,
                }
                for record, key in zip(records, keys, strict=True)
            ]
        )

    @api.model
    def _demo_today(self):
        return fields.Date.context_today(self)

    # ------------------------------------------------------------------
    # Periods
    # ------------------------------------------------------------------
    @api.model
    def _demo_generate_periods(self):
        """Months, quarters and years from eleven months ago to today."""
        today = self._demo_today()
        start = (today - relativedelta(months=VALUE_MONTHS - 1)).replace(day=1)
        Period = self.env["crm.bsc.period"]
        periods = Period.browse()
        for period_type in ("month", "quarter", "year"):
            periods |= Period._generate(period_type, start, today)
        return periods.ids

    # ------------------------------------------------------------------
    # Scorecards
    # ------------------------------------------------------------------
    @api.model
    def _demo_generate_segment_scorecards(self, template_xmlid, scorecards):
        """Create the segment scorecards of a template with the wizard.

        ``scorecards`` maps segment xml ids to the xml ids the new scorecards
        take. Running it again brings them in step with the template.
        """
        template = self._ref(template_xmlid)
        segments = self.env["crm.customer.segment"].browse(
            [self._ref(xml_id).id for xml_id in scorecards]
        )
        wizard = self.env["crm.bsc.scorecard.generate"].create(
            {
                "template_id": template.id,
                "segment_ids": [Command.set(segments.ids)],
                "update_targets": False,
            }
        )
        wizard.action_apply()
        generated = (
            self.env["crm.bsc.scorecard"]
            .with_context(active_test=False)
            .search([("template_id", "=", template.id)])
        )
        by_segment = {scorecard.segment_id: scorecard for scorecard in generated}
        for segment_xmlid, scorecard_xmlid in scorecards.items():
            scorecard = by_segment[self._ref(segment_xmlid)]
            self.env["ir.model.data"]._update_xmlids(
                [{"xml_id": scorecard_xmlid, "record": scorecard, "noupdate": True}]
            )
        return generated.ids

    @api.model
    def _demo_set_targets(self, targets):
        """Adjust the targets of scorecard lines.

        ``targets`` maps a scorecard xml id to {indicator code: figures},
        figures being (target, warning, critical) or, for a range,
        (target, target_max, warning, critical).
        """
        for scorecard_xmlid, by_code in targets.items():
            scorecard = self._ref(scorecard_xmlid)
            lines = {line.indicator_id.code: line for line in scorecard.line_ids}
            for code, figures in by_code.items():
                if len(figures) == 4:
                    target, target_max, warning, critical = figures
                else:
                    (target, warning, critical), target_max = figures, 0.0
                lines[code].write(
                    {
                        "target": target,
                        "target_max": target_max,
                        "warning_threshold": warning,
                        "critical_threshold": critical,
                    }
                )
        return True

    # ------------------------------------------------------------------
    # CRM history
    # ------------------------------------------------------------------
    @api.model
    def _demo_generate_history(self):
        """A year of CRM history of the demo company; skipped when present."""
        if self.env.ref(f"{MODULE}.demo_partner_northwind", raise_if_not_found=False):
            return False
        demo = self.with_context(
            tracking_disable=True,
            mail_create_nolog=True,
            mail_create_nosubscribe=True,
            mail_notrack=True,
            mail_activity_quick_update=True,
        )
        rng = random.Random(SEED)
        customers = demo._demo_create_customers()
        demo.env["crm.customer.segment"]._assign_partners()
        plans = demo._demo_plan_leads(rng, customers)
        leads = demo._demo_create_leads(plans)
        demo._demo_backdate_leads(leads, plans)
        demo._demo_first_responses(rng, leads, plans)
        demo._demo_open_activities(rng, leads, plans)
        return len(leads)

    def _demo_create_customers(self):
        """Create the new demo customers; return [(partner, contact, profile)]
        for all customers, Odoo's demo companies included."""
        Partner = self.env["res.partner"]
        channels = {
            channel.code: channel
            for channel in self.env["crm.contact.channel"].search([])
        }
        countries = {
            country.code: country
            for country in self.env["res.country"].search(
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
                "industry_id": self._ref(f"base.res_partner_industry_{industry}").id
                if industry
                else False,
                "category_id": [Command.set([self._ref(tag).id])] if tag else [],
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
        self._name_xmlids(partners, "demo_partner", [c[0] for c in NEW_CUSTOMERS])
        result = []
        for xml_id, start, end, rate in BASE_CUSTOMERS:
            partner = self._ref(xml_id)
            contact = partner.child_ids.filtered(lambda p: p.type == "contact")[:1]
            result.append((partner, contact or partner, (start, end, rate)))
        for partner, data in zip(partners, NEW_CUSTOMERS, strict=True):
            result.append((partner, partner.child_ids[:1] or partner, data[7:10]))
        return result

    def _demo_plan_leads(self, rng, customers):
        """Plan the leads of the history: a list of dicts, oldest first."""
        now = fields.Datetime.now()
        first = (now - relativedelta(months=HISTORY_MONTHS - 1)).replace(
            day=1, hour=0, minute=0, second=0, microsecond=0
        )
        profiles = {
            self._ref(xml_id): dict(profile, xml_id=xml_id)
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
                    created = self._demo_random_moment(rng, month_start, month_end)
                    plan = self._demo_plan_customer_lead(
                        rng, partner, contact, profile, created, now
                    )
                    if end is not None and month == end and not _index:
                        # the last deal of a churning customer goes to a rival
                        plan.update(
                            outcome="lost", lost_reason="lost_reason_competitor"
                        )
                        plan["closed"] = min(created + timedelta(days=12), now)
                    if month >= 0 or (
                        plan["outcome"] != "open" and plan["closed"] >= first
                    ):
                        plans.append(plan)
            if month < 0:
                continue
            for _index in range(_poisson(rng, 4 * factor)):
                created = self._demo_random_moment(rng, month_start, month_end)
                plans.append(self._demo_plan_prospect(rng, created, now))
        plans.sort(key=lambda plan: plan["created"])
        return plans

    def _demo_random_moment(self, rng, start, end):
        """A working-hours moment in [start, end)."""
        span = max((end - start).total_seconds(), 3600)
        moment = start + timedelta(seconds=rng.uniform(0, span))
        hour = rng.randint(7, 17)  # UTC
        moment = moment.replace(hour=hour, minute=rng.randint(0, 59))
        return min(moment, end - timedelta(minutes=5))

    def _demo_plan_customer_lead(self, rng, partner, contact, profile, created, now):
        cycle = rng.uniform(*profile["cycle"])
        won = rng.random() < profile["win"]
        closed = created + timedelta(
            days=cycle * (1.0 if won else rng.uniform(0.2, 1.0))
        )
        channel = partner.preferred_channel_id.code
        if not channel or rng.random() < 0.4:
            channel = _weighted(rng, profile["channels"])
        low, high = profile["amount"]
        amount = round(math.exp(rng.uniform(math.log(low), math.log(high))), -2)
        plan = {
            "name": f"{partner.name}: {rng.choice(profile['products'])}",
            "partner": contact,
            "user": self._ref(rng.choice(profile["users"])),
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

    def _demo_plan_prospect(self, rng, created, now):
        """A lead without a customer: most are dropped, some become deals."""
        channel = _weighted(rng, PROSPECT_CHANNELS)
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
            "user": self._ref(rng.choice(("base.user_demo", "demo_user_bruno"))),
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

    def _demo_lead_vals(self, plan, stages):
        user = plan["user"]
        team = self._ref(USER_TEAMS[user.get_external_id()[user.id]])
        sources, mediums = CHANNEL_UTMS[plan["channel"]]
        pick = plan["rng_pick"]
        vals = {
            "name": plan["name"],
            "type": "opportunity" if plan["converted"] else "lead",
            "partner_id": plan["partner"].id if plan["partner"] else False,
            "user_id": user.id,
            "team_id": team.id,
            "expected_revenue": plan["amount"],
            "source_id": self._ref(sources[pick % len(sources)]).id
            if sources
            else False,
            "medium_id": self._ref(mediums[pick % len(mediums)]).id
            if mediums
            else False,
            "priority": plan["priority"],
            "tag_ids": [
                Command.set(
                    [
                        self._ref(LEAD_TAGS[index % len(LEAD_TAGS)]).id
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
                lost_reason_id=self._ref(plan["lost_reason"]).id,
            )
        else:
            vals["stage_id"] = stages[plan["stage"]].id
        return vals

    def _demo_create_leads(self, plans):
        now = fields.Datetime.now()
        stages = {
            "new": self._ref("crm.stage_lead1"),
            "qualified": self._ref("crm.stage_lead2"),
            "proposition": self._ref("crm.stage_lead3"),
            "won": self._ref("crm.stage_lead4"),
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
        vals_list = [self._demo_lead_vals(plan, stages) for plan in plans]
        leads = self.env["crm.lead"].create(vals_list)
        self._name_xmlids(leads, "demo_lead", [f"{i:04d}" for i in range(len(leads))])
        return leads

    def _demo_backdate_leads(self, leads, plans):
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
        self.env.flush_all()
        self.env.cr.execute(
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

    def _demo_first_responses(self, rng, leads, plans):
        """The first answer to most leads: a note or a done activity."""
        now = fields.Datetime.now()
        note = self._ref("mail.mt_note")
        done = self._ref("mail.mt_activities")
        types = [
            self._ref("mail.mail_activity_data_call"),
            self._ref("mail.mail_activity_data_email"),
            self._ref("mail.mail_activity_data_meeting"),
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
        self.env["mail.message"].create(vals_list)

    def _demo_open_activities(self, rng, leads, plans):
        """Next steps on most open leads, some of them overdue."""
        today = self._demo_today()
        model = self.env["ir.model"]._get_id("crm.lead")
        types = {
            "call": self._ref("mail.mail_activity_data_call"),
            "email": self._ref("mail.mail_activity_data_email"),
            "todo": self._ref("mail.mail_activity_data_todo"),
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
        self.env["mail.activity"].create(vals_list)

    # ------------------------------------------------------------------
    # Indicator values
    # ------------------------------------------------------------------
    @api.model
    def _demo_compute_values(self):
        """Compute the computed indicators of the active scorecards over the
        demo year (every open period that has started), as the scheduled
        action would, and forget the pending changes the demo history made."""
        scorecards = self.env["crm.bsc.scorecard"].search([("state", "=", "active")])
        periods = self.env["crm.bsc.period"].search(
            [("state", "=", "open"), ("date_from", "<=", self._demo_today())]
        )
        written = scorecards._compute_values(periods)
        self.env["crm.bsc.dirty"].search([]).unlink()
        return written

    @api.model
    def _demo_fill_values(self):
        """A year of values for the manual lines of the active monthly
        scorecards; values that exist already are kept."""
        today = self._demo_today()
        periods = self.env["crm.bsc.period"].search(
            [("period_type", "=", "month"), ("date_from", "<=", today)],
            order="date_from desc",
            limit=VALUE_MONTHS,
        )
        scorecards = self.env["crm.bsc.scorecard"].search(
            [("state", "=", "active"), ("period_type", "=", "month")]
        )
        if not periods or not scorecards:
            return 0
        periods = periods.sorted("date_from")
        segment_xmlids = {self._ref(xml_id): xml_id for xml_id in SEGMENT_PROFILES}
        figures = {}  # (scorecard, line, period): (value or None, note)
        for scorecard in scorecards.filtered("segment_id"):
            segment_key = segment_xmlids.get(scorecard.segment_id, scorecard.name)
            for line in scorecard.line_ids.filtered(self._demo_is_manual):
                series = self._demo_series(line, segment_key, periods)
                for period, figure in zip(periods, series, strict=True):
                    figures[scorecard, line, period] = figure
        for scorecard in scorecards - scorecards.filtered("segment_id"):
            for line in scorecard.line_ids.filtered(self._demo_is_manual):
                series = self._demo_total_series(scorecard, line, periods, figures)
                for period, figure in zip(periods, series, strict=True):
                    figures[scorecard, line, period] = figure
        vals_list = self._demo_value_vals(figures)
        vals_list += self._demo_channel_value_vals(scorecards, periods, figures)
        existing = {
            value._key()
            for value in self.env["crm.bsc.indicator.value"].search(
                [("period_id", "in", periods.ids)]
            )
        }
        vals_list = [
            vals
            for vals in vals_list
            if (
                vals["indicator_id"],
                vals["period_id"],
                vals["company_id"],
                vals["segment_id"] or 0,
                vals["channel_id"] or 0,
                0,
                0,
            )
            not in existing
        ]
        self.env["crm.bsc.indicator.value"].create(vals_list)
        return len(vals_list)

    def _demo_is_manual(self, line):
        return line.indicator_id.computation == "manual"

    def _demo_value_vals(self, figures):
        vals_list = []
        for (scorecard, line, period), (value, note) in figures.items():
            vals_list.append(
                {
                    "indicator_id": line.indicator_id.id,
                    "period_id": period.id,
                    "company_id": scorecard.company_id.id,
                    "segment_id": scorecard.segment_id.id,
                    "channel_id": False,
                    "has_value": value is not None,
                    "value": value or 0.0,
                    "note": note,
                }
            )
        return vals_list

    def _demo_channel_value_vals(self, scorecards, periods, figures):
        """Per-channel values of a few indicators of the all-customers card."""
        vals_list = []
        for scorecard in scorecards - scorecards.filtered("segment_id"):
            for line in scorecard.line_ids.filtered(self._demo_is_manual):
                indicator = line.indicator_id
                if indicator.code not in PER_CHANNEL_CODES:
                    continue
                for channel in indicator.channel_ids:
                    rng = random.Random(f"{indicator.code}/{channel.code}")
                    bias = rng.uniform(-0.25, 0.25)
                    for period in periods:
                        value, _note = figures[scorecard, line, period]
                        if value is None:
                            continue
                        vals_list.append(
                            {
                                "indicator_id": indicator.id,
                                "period_id": period.id,
                                "company_id": scorecard.company_id.id,
                                "segment_id": False,
                                "channel_id": channel.id,
                                "value": self._demo_round(
                                    line,
                                    value * (1 + bias + rng.uniform(-0.08, 0.08)),
                                ),
                            }
                        )
        return vals_list

    def _demo_series(self, line, segment_key, periods):
        """[(value or None, note)] of a line over the periods."""
        code = line.indicator_id.code
        rng = random.Random(f"{segment_key}/{code}")
        profile = PROFILE_OVERRIDES.get((segment_key, code)) or _weighted(
            rng, PROFILE_WEIGHTS
        )
        start, end, noise = PROFILES[profile]
        mood = SEGMENT_MOOD.get(segment_key, 0.0)
        start, end = start + mood, end + mood
        side = rng.choice((-1, 1))
        missing = self._demo_missing(segment_key, code, periods)
        series = []
        count = len(periods)
        for index, period in enumerate(periods):
            level = start + (end - start) * index / max(count - 1, 1)
            level += rng.gauss(0, noise)
            if period in missing:
                series.append((None, missing[period]))
                continue
            series.append((self._demo_value(line, level, side, rng), False))
        return series

    def _demo_missing(self, segment_key, code, periods):
        """{period: note} of the values of a line that have no data."""
        result = {}
        for segment, no_data_code, month, note in NO_DATA:
            if no_data_code != code or segment not in (None, segment_key):
                continue
            for offset, period in enumerate(reversed(periods)):
                if month in (-offset, f"m{period.date_from.month}"):
                    result[period] = note
        return result

    def _demo_total_series(self, scorecard, line, periods, figures):
        """The all-customers value: the sum or the mean of the segments'."""
        code = line.indicator_id.code
        parts = [
            (sc, ln)
            for sc, ln, _period in figures
            if ln.indicator_id == line.indicator_id and sc.template_id == scorecard
        ]
        parts = list(dict.fromkeys(parts))
        if not parts or code in COMPANY_WIDE_CODES:
            return self._demo_series(line, "all", periods)
        series = []
        for period in periods:
            values = [figures[sc, ln, period] for sc, ln in parts]
            known = [value for value, _note in values if value is not None]
            if not known:
                series.append((None, values[0][1]))
            elif code in ADDITIVE_CODES:
                series.append((self._demo_round(line, sum(known)), False))
            else:
                series.append((self._demo_round(line, sum(known) / len(known)), False))
        return series

    def _demo_value(self, line, level, side, rng):
        """The value that sits ``level`` shortfall units from the target."""
        direction = line.direction or scoring.HIGHER
        target, target_max = line.target, line.target_max
        gap_warning, gap_critical = line._shortfalls()
        if level <= 1:
            gap = level * gap_warning
        else:
            gap = gap_warning + (level - 1) * (gap_critical - gap_warning)
        if direction == scoring.HIGHER:
            value = target - gap
        elif direction == scoring.LOWER:
            value = max(target + gap, target * 0.3)
        elif gap <= 0:
            value = target + (target_max - target) * rng.uniform(0.15, 0.85)
        else:
            value = target - gap if side < 0 else target_max + gap
        return self._demo_round(line, value)

    def _demo_round(self, line, value):
        unit = line.indicator_id.unit
        if unit == "percent":
            return round(min(max(value, 0.0), 100.0), 1)
        if unit == "count":
            # a score (NPS) goes down to -100; counts of things stop at 0
            floor = -100.0 if line.indicator_id.code == "nps" else 0.0
            return float(round(max(value, floor)))
        if unit == "currency":
            return float(round(max(value, 0.0), -2))
        if unit == "ratio":
            return round(value, 2)
        return round(max(value, 0.0), 1)
