# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the demo company is made of: its customers, the profiles of its
segments and channels, the trajectories of its manual indicators, and the
segment scorecards with their targets. Plain data, read by the generators
of this package."""

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

# ----------------------------------------------------------------------
# Segment scorecards
# ----------------------------------------------------------------------
# The template from which the segment scorecards are generated.
TEMPLATE = "scorecard_all_customers"
# segment xml id: (xml id of its scorecard, sequence, color, owner xml id)
SEGMENT_SCORECARDS = {
    "segment_enterprise": ("scorecard_enterprise", 10, 1, "demo_user_anita"),
    "segment_mid_market": ("scorecard_mid_market", 20, 2, "base.user_demo"),
    "segment_small_business": ("scorecard_small_business", 30, 10, "demo_user_bruno"),
    "segment_public_sector": ("scorecard_public_sector", 40, 4, "demo_user_anita"),
    "segment_resellers": ("scorecard_resellers", 50, 7, "demo_user_chloe"),
}
# Segment targets: (target, warning, critical), for a range (target, upper
# bound, warning, critical). Revenue, deals, pipeline and new customers add
# up to the company's targets.
SEGMENT_TARGETS = {
    "scorecard_enterprise": {
        "won_revenue": (180000, 160000, 130000),
        "won_deals": (3, 2, 1),
        "pipeline_value": (1800000, 1600000, 1300000),
        "avg_deal_size": (55000, 48000, 38000),
        "new_customers": (1, 0, 0),
        "sales_cycle_days": (70, 85, 110),
        "win_rate": (45, 40, 30),
        "first_response_hours": (12, 18, 30),
        "pipeline_coverage": (3.0, 4.5, 0.5, 1.0),
        # the predictive sums (demo/crm_bsc_predictive_demo.xml)
        "predicted_clv": (1300000, 1150000, 950000),
        "expected_purchases_90d": (7, 6, 4.5),
    },
    "scorecard_mid_market": {
        "won_revenue": (42000, 37000, 30000),
        "won_deals": (2, 1.5, 1),
        "pipeline_value": (400000, 350000, 280000),
        "avg_deal_size": (15000, 13000, 10500),
        "new_customers": (1, 0, 0),
        "sales_cycle_days": (40, 50, 65),
        # the predictive sums (demo/crm_bsc_predictive_demo.xml)
        "predicted_clv": (350000, 310000, 250000),
        "expected_purchases_90d": (6, 5, 4),
    },
    "scorecard_small_business": {
        "won_revenue": (8000, 6800, 5000),
        "won_deals": (2, 1, 0),
        "pipeline_value": (35000, 30000, 24000),
        "avg_deal_size": (3500, 3000, 2300),
        "new_customers": (1, 0, 0),
        "sales_cycle_days": (15, 20, 30),
        "win_rate": (55, 48, 40),
        "first_response_hours": (4, 8, 16),
        "csat_score": (90, 85, 78),
        "pipeline_coverage": (2.0, 3.5, 0.5, 1.0),
        # the predictive sums (demo/crm_bsc_predictive_demo.xml)
        "predicted_clv": (270000, 240000, 190000),
        "expected_purchases_90d": (8, 7, 5),
    },
    "scorecard_public_sector": {
        "won_revenue": (40000, 34000, 25000),
        "won_deals": (1, 0.7, 0.4),
        "pipeline_value": (650000, 570000, 460000),
        "avg_deal_size": (40000, 34000, 26000),
        "new_customers": (1, 0, 0),
        "sales_cycle_days": (80, 95, 120),
        "win_rate": (40, 35, 28),
        "complaint_resolution_days": (5, 7, 10),
        "pipeline_coverage": (3.0, 5.0, 0.5, 1.2),
        # the predictive sums (demo/crm_bsc_predictive_demo.xml)
        "predicted_clv": (230000, 200000, 160000),
        "expected_purchases_90d": (3, 2.5, 2),
    },
    "scorecard_resellers": {
        "won_revenue": (50000, 45000, 36000),
        "won_deals": (4, 3, 2),
        "pipeline_value": (315000, 275000, 220000),
        "avg_deal_size": (12000, 10500, 8500),
        "new_customers": (1, 0, 0),
        "sales_cycle_days": (20, 26, 35),
        "win_rate": (65, 58, 50),
        "retention_rate": (97, 94, 90),
        "churn_rate": (3, 6, 10),
        "pipeline_coverage": (1.5, 2.5, 0.4, 0.8),
        # the predictive sums (demo/crm_bsc_predictive_demo.xml)
        "predicted_clv": (310000, 270000, 220000),
        "expected_purchases_90d": (7, 6, 4.5),
    },
}
