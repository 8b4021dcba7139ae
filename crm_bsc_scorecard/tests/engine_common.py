# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A small hand-built CRM on which the indicator engine is tested.

Company A ("Eng Alpha", activity window 60 days) and company B ("Eng Beta",
365 days), monthly periods January to June 2005 (and the two quarters), the
17 built-in indicators (codes ``eng_<builtin>``), each watching the channels
Phone and E-mail and broken down by salesperson and team.

Customers (commercial entities), all created 2004-06-01 unless said:

====  =========================  ======  =====  ======  =====  =============
name  segment                    pref.   email  phone   mob.   notes
====  =========================  ======  =====  ======  =====  =============
C1    Retail                     Phone   yes    yes            contact P1
C2    Wholesale, then Retail     E-mail  yes            yes    segment moves
C3    Retail                                                   reactivated
C4    (none), created 02-10                                    lead only
C5    (none)                                                   lost + open
C6    (none), company B only                                   shared
C7    Wholesale, created 03-15   Phone   yes    yes            new in April
C8    Retail                     Phone   yes    yes            no lead at all
====  =========================  ======  =====  ======  =====  =============

Leads of company A (create date; closed date; U1/U2 salespeople, TA/TB
teams, P/E the Phone and E-mail channels through their UTM mediums):

====  =====  ===========  =========  ===========  =======  ====  ===  =====
lead  cust.  kind         created    closed       revenue  prob  ch   u/t
====  =====  ===========  =========  ===========  =======  ====  ===  =====
T1    P1=C1  won          2004-12-01 2004-12-20   1000     100   P    U1/TA
T2    C3     won          2004-10-01 2004-10-15   500      100   E    U2/TB
T3    C2     won          2005-01-01 2005-01-10   2000     100   E    U2/TB
T4    C1     won          2005-01-06 2005-02-05   3000     100   P    U1/TA
T5    C3     won          2005-03-01 2005-03-10   400      100   P    U1/TA
T6    C2     won          2005-02-18 2005-03-20   1600     100   E    U2/TB
T7    C7     won          04-02 12:00 2005-04-12  800      100   P    U2/TA
L1    C5     lost         2005-01-05 2005-01-25   700      0     P    U1/TA
L2    C2     lost         2005-02-01 2005-03-05   1200     0     E    U2/TB
O1    C5     open opp.    2005-01-20 (converted 2005-02-10) 1000 20 P U1/TA
O2    C1     open opp.    2005-02-15              5000     50    E    U2/TB
LD1   C4     lead         2005-01-12                             P    U1/TA
LD2   -      lead, arch.  2005-02-03                             -    U2/TB
====  =====  ===========  =========  ===========  =======  ====  ===  =====

The leads of T1, T3, T6 and L2 were closed while C2 (for T3, T6, L2) was
Wholesale: they keep that segment when C2 moves to Retail at the end of the
set-up. Company B: won B1 (C1, 2005-01-15, 8888), won B2 (C6, 2005-02-10,
9999), an open lead BL1 of C2 (created 2005-01-03).

Responses (internal authors, comment or activity done): T3 6 h after its
creation, T4 36 h after (activity done), O1 3 h after, O2 10 h after. Not
responses: an internal note and an e-mail of the customer on L1, a comment
on T5 dated before its creation.

Open activities on leads: on O1 due 2005-01-20 (U1), on O2 due 2005-03-10
(U2) and 2005-03-25 (U1), on LD1 due 2005-06-15 (U1); one on a lead of
company B and one on a contact (neither counts for company A).
"""

import datetime

from odoo import fields
from odoo.tools import SQL

from odoo.addons.mail.tests.common import mail_new_test_user

from ..tools.builtins import BUILTINS
from .common import BscCommon


def dt(text):
    """A naive UTC datetime from 'YYYY-MM-DD[ HH:MM]'."""
    return fields.Datetime.to_datetime(text if " " in text else f"{text} 00:00:00")


class EngineCommon(BscCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.engine = env["crm.bsc.engine"]
        Company = env["res.company"]
        cls.company_a = Company.create(
            {"name": "Eng Alpha", "bsc_activity_window_days": 60}
        )
        cls.company_b = Company.create({"name": "Eng Beta"})
        both = [(6, 0, (cls.company_a | cls.company_b).ids)]

        # segments and channels (shared between the companies)
        cls.retail = cls._segment("Eng Retail", code="ENG_R", company_id=False)
        cls.wholesale = cls._segment("Eng Wholesale", code="ENG_W", company_id=False)
        Medium = env["utm.medium"]
        cls.medium_phone = Medium.create({"name": "Eng phone medium"})
        cls.medium_email = Medium.create({"name": "Eng e-mail medium"})
        cls.phone = cls._channel(
            "Eng Phone", kind="phone", medium_ids=[(6, 0, cls.medium_phone.ids)]
        )
        cls.email = cls._channel(
            "Eng E-mail", kind="email", medium_ids=[(6, 0, cls.medium_email.ids)]
        )

        # salespeople and teams
        cls.u1 = mail_new_test_user(
            env,
            login="eng_u1",
            name="Eng Ulla",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company_a.id,
            company_ids=both,
        )
        cls.u2 = mail_new_test_user(
            env,
            login="eng_u2",
            name="Eng Uwe",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company_a.id,
            company_ids=both,
        )
        Team = env["crm.team"]
        cls.team_a = Team.create({"name": "Eng Team A", "company_id": cls.company_a.id})
        cls.team_b = Team.create({"name": "Eng Team B", "company_id": cls.company_a.id})

        Stage = env["crm.stage"]
        cls.stage_new = Stage.create({"name": "Eng New", "sequence": 1})
        cls.stage_won = Stage.create(
            {"name": "Eng Won", "sequence": 70, "is_won": True}
        )

        # customers
        def partner(name, **vals):
            vals.setdefault("email", False)
            return cls._partner(name, **vals)

        cls.c1 = partner(
            "Eng C1",
            customer_segment_id=cls.retail.id,
            preferred_channel_id=cls.phone.id,
            email="c1@example.com",
            phone="+1 555 0101",
        )
        cls.p1 = env["res.partner"].create(
            {"name": "Eng P1", "parent_id": cls.c1.id, "type": "contact"}
        )
        cls.c2 = partner(
            "Eng C2",
            customer_segment_id=cls.wholesale.id,
            preferred_channel_id=cls.email.id,
            email="c2@example.com",
            mobile="+1 555 0202",
        )
        cls.c3 = partner("Eng C3", customer_segment_id=cls.retail.id, email="c3@x.com")
        cls.c4 = partner("Eng C4")
        cls.c5 = partner("Eng C5", email="c5@example.com")
        cls.c6 = partner("Eng C6")
        cls.c7 = partner(
            "Eng C7",
            customer_segment_id=cls.wholesale.id,
            preferred_channel_id=cls.phone.id,
            email="c7@example.com",
            phone="+1 555 0707",
        )
        cls.c8 = partner(
            "Eng C8",
            customer_segment_id=cls.retail.id,
            preferred_channel_id=cls.phone.id,
            email="c8@example.com",
            phone="+1 555 0808",
            company_id=cls.company_a.id,
        )
        partner_dates = {
            cls.c4: "2005-02-10",
            cls.c7: "2005-03-15",
        }
        for customer in (cls.c1, cls.p1, cls.c2, cls.c3, cls.c5, cls.c6, cls.c8):
            partner_dates.setdefault(customer, "2004-06-01")

        # leads
        cls._lead_dates = {}
        a, b = cls.company_a, cls.company_b
        P, E = cls.medium_phone, cls.medium_email
        u1, u2, ta, tb = cls.u1, cls.u2, cls.team_a, cls.team_b
        won, lost, opp = "won", "lost", "open"
        cls.t1 = cls._eng_lead(
            "T1", a, cls.p1, won, "2004-12-01", "2004-12-20", 1000, P, u1, ta
        )
        cls.t2 = cls._eng_lead(
            "T2", a, cls.c3, won, "2004-10-01", "2004-10-15", 500, E, u2, tb
        )
        cls.t3 = cls._eng_lead(
            "T3", a, cls.c2, won, "2005-01-01", "2005-01-10", 2000, E, u2, tb
        )
        cls.t4 = cls._eng_lead(
            "T4", a, cls.c1, won, "2005-01-06", "2005-02-05", 3000, P, u1, ta
        )
        cls.t5 = cls._eng_lead(
            "T5", a, cls.c3, won, "2005-03-01", "2005-03-10", 400, P, u1, ta
        )
        cls.t6 = cls._eng_lead(
            "T6", a, cls.c2, won, "2005-02-18", "2005-03-20", 1600, E, u2, tb
        )
        cls.t7 = cls._eng_lead(
            "T7", a, cls.c7, won, "2005-04-02 12:00", "2005-04-12", 800, P, u2, ta
        )
        cls.l1 = cls._eng_lead(
            "L1", a, cls.c5, lost, "2005-01-05", "2005-01-25", 700, P, u1, ta
        )
        cls.l2 = cls._eng_lead(
            "L2", a, cls.c2, lost, "2005-02-01", "2005-03-05", 1200, E, u2, tb
        )
        cls.o1 = cls._eng_lead(
            "O1",
            a,
            cls.c5,
            opp,
            "2005-01-20",
            None,
            1000,
            P,
            u1,
            ta,
            probability=20,
            converted="2005-02-10",
        )
        cls.o2 = cls._eng_lead(
            "O2",
            a,
            cls.c1,
            opp,
            "2005-02-15",
            None,
            5000,
            E,
            u2,
            tb,
            probability=50,
        )
        cls.ld1 = cls._eng_lead(
            "LD1", a, cls.c4, opp, "2005-01-12", None, 0, P, u1, ta, lead_type="lead"
        )
        cls.ld2 = cls._eng_lead(
            "LD2",
            a,
            None,
            opp,
            "2005-02-03",
            None,
            0,
            None,
            u2,
            tb,
            lead_type="lead",
            active=False,
        )
        cls.b1 = cls._eng_lead(
            "B1", b, cls.c1, won, "2005-01-02", "2005-01-15", 8888, None, u1, None
        )
        cls.b2 = cls._eng_lead(
            "B2", b, cls.c6, won, "2005-02-01", "2005-02-10", 9999, None, u1, None
        )
        cls.bl1 = cls._eng_lead(
            "BL1",
            b,
            cls.c2,
            opp,
            "2005-01-03",
            None,
            0,
            None,
            u1,
            None,
            lead_type="lead",
        )

        # responses and non-responses
        cls._message(cls.t3, cls.u1, "2005-01-01 06:00")
        cls._message(cls.t3, cls.u2, "2005-01-02 08:00")
        cls._message(cls.o1, cls.u2, "2005-01-20 03:00")
        cls._message(cls.o2, cls.u1, "2005-02-15 10:00")
        cls._message(cls.l1, cls.u1, "2005-01-05 01:00", note=True)
        cls._message(cls.l1, cls.c5, "2005-01-05 02:00", message_type="email")
        cls._message(cls.t5, cls.u1, "2005-02-27 09:00")
        done = cls._activity(cls.t4, cls.u1, "2005-01-07")
        done.with_user(cls.u1).action_feedback(feedback="Called back")
        feedback = env["mail.message"].search(
            [
                ("model", "=", "crm.lead"),
                ("res_id", "=", cls.t4.id),
                ("mail_activity_type_id", "!=", False),
            ]
        )
        assert len(feedback) == 1, feedback
        cls._message_dates = getattr(cls, "_message_dates", {})
        cls._message_dates[feedback.id] = dt("2005-01-07 12:00")

        # open activities
        cls.act1 = cls._activity(cls.o1, cls.u1, "2005-01-20")
        cls.act2 = cls._activity(cls.o2, cls.u2, "2005-03-10")
        cls.act3 = cls._activity(cls.o2, cls.u1, "2005-03-25")
        cls.act4 = cls._activity(cls.ld1, cls.u1, "2005-06-15")
        cls._activity(cls.bl1, cls.u1, "2005-01-10")
        cls._activity(cls.c1, cls.u1, "2005-01-10")

        cls._partner_dates = partner_dates
        cls._apply_dates()

        # C2 moves to Retail: its closed leads keep Wholesale
        cls.c2.write({"customer_segment_id": cls.retail.id})

        # periods: each company has its own (those of A are named)
        Period = env["crm.bsc.period"]
        start, end = datetime.date(2005, 1, 1), datetime.date(2005, 6, 30)
        cls.months = Period._generate("month", start, end, cls.company_a)
        cls.jan, cls.feb, cls.mar, cls.apr, cls.may, cls.jun = cls.months
        cls.quarters = Period._generate("quarter", start, end, cls.company_a)
        cls.q1, cls.q2 = cls.quarters
        cls.months_b = Period._generate("month", start, end, cls.company_b)
        cls.quarters_b = Period._generate("quarter", start, end, cls.company_b)

        # the built-in indicators, watching both channels, per salesperson
        perspectives = {
            "financial": cls.perspective_financial,
            "customer": cls.perspective_customer,
            "internal": cls.perspective_internal,
            "learning": cls.perspective_learning,
        }
        cls.ind = {}
        for code, spec in BUILTINS.items():
            cls.ind[code] = cls._indicator(
                f"eng_{code}",
                perspectives[spec.perspective],
                name=f"Eng {spec.name}",
                computation="builtin",
                builtin_code=code,
                unit=spec.unit,
                direction=spec.direction,
                metric_level=spec.level,
                channel_ids=[(6, 0, (cls.phone | cls.email).ids)],
                breakdown_by_user=True,
            )
        cls.builtins = cls.env["crm.bsc.indicator"].concat(*cls.ind.values())

        # scorecards: A monthly (all, Retail, Wholesale), A quarterly, B monthly
        lines = [(indicator, {"target": 10.0}) for indicator in cls.builtins]
        cls.sc_a = cls._scorecard(
            "Eng A", lines, company_id=a.id, state="active", period_type="month"
        )
        cls.sc_a_retail = cls._scorecard(
            "Eng A Retail",
            lines,
            company_id=a.id,
            segment_id=cls.retail.id,
            state="active",
            period_type="month",
        )
        cls.sc_a_wholesale = cls._scorecard(
            "Eng A Wholesale",
            lines,
            company_id=a.id,
            segment_id=cls.wholesale.id,
            state="active",
            period_type="month",
        )
        cls.sc_a_quarter = cls._scorecard(
            "Eng A quarterly",
            lines,
            company_id=a.id,
            state="active",
            period_type="quarter",
        )
        cls.sc_b = cls._scorecard(
            "Eng B", lines, company_id=b.id, state="active", period_type="month"
        )
        cls.scorecards = (
            cls.sc_a
            | cls.sc_a_retail
            | cls.sc_a_wholesale
            | cls.sc_a_quarter
            | cls.sc_b
        )

    # ------------------------------------------------------------------
    # Factories
    # ------------------------------------------------------------------
    @classmethod
    def _apply_dates(cls):
        """Write the dates of the past of the leads, customers and messages
        made so far in the database (the ORM sets them to now)."""
        env = cls.env
        env.flush_all()
        for lead, (created, closed, converted) in cls._lead_dates.items():
            env.cr.execute(
                SQL(
                    "UPDATE crm_lead SET create_date = %s, date_closed = %s, "
                    "date_conversion = %s WHERE id = %s",
                    created,
                    closed,
                    converted,
                    lead.id,
                )
            )
        for customer, created in cls._partner_dates.items():
            env.cr.execute(
                SQL(
                    "UPDATE res_partner SET create_date = %s WHERE id = %s",
                    dt(created),
                    customer.id,
                )
            )
        for message_id, date in cls._message_dates.items():
            env.cr.execute(
                SQL("UPDATE mail_message SET date = %s WHERE id = %s", date, message_id)
            )
        env.invalidate_all()

    @classmethod
    def _eng_lead(
        cls,
        name,
        company,
        partner,
        state,
        created,
        closed,
        revenue,
        medium,
        user,
        team,
        probability=None,
        converted=None,
        lead_type="opportunity",
        active=True,
    ):
        """A lead; its dates are written in the database at the end of the
        set-up (the ORM sets them to now)."""
        vals = {
            "name": f"Eng {name}",
            "type": lead_type,
            "company_id": company.id,
            "partner_id": partner.id if partner else False,
            "expected_revenue": revenue,
            "medium_id": medium.id if medium else False,
            "user_id": user.id if user else False,
            "team_id": team.id if team else False,
            "stage_id": cls.stage_new.id,
            "active": active,
        }
        if state == "won":
            vals.update(stage_id=cls.stage_won.id, probability=100)
        elif state == "lost":
            vals.update(active=False, probability=0)
        else:
            vals["probability"] = probability or 10
        lead = cls.env["crm.lead"].with_company(company).create(vals)
        cls._lead_dates[lead] = (
            dt(created),
            dt(closed) if closed else None,
            dt(converted) if converted else None,
        )
        return lead

    @classmethod
    def _message(cls, lead, author, date, note=False, message_type="comment"):
        """A message on ``lead`` by ``author`` (a user or a partner) at ``date``."""
        partner = author.partner_id if author._name == "res.users" else author
        message = lead.message_post(
            body=f"Message of {partner.name}",
            author_id=partner.id,
            message_type=message_type,
            subtype_xmlid="mail.mt_note" if note else "mail.mt_comment",
        )
        cls._message_dates = getattr(cls, "_message_dates", {})
        cls._message_dates[message.id] = dt(date)
        return message

    @classmethod
    def _activity(cls, record, user, deadline):
        return cls.env["mail.activity"].create(
            {
                "res_model_id": cls.env["ir.model"]._get_id(record._name),
                "res_id": record.id,
                "activity_type_id": cls.env.ref("mail.mail_activity_data_todo").id,
                "user_id": user.id,
                "date_deadline": deadline,
                "summary": "Eng follow-up",
            }
        )

    # ------------------------------------------------------------------
    # Computing and reading values
    # ------------------------------------------------------------------
    def key(self, period, segment=None, channel=None, user=None, team=None):
        """The engine's key of a value: ids, None for "all"."""
        return (
            period.id,
            segment.id if segment else None,
            channel.id if channel else None,
            user.id if user else None,
            team.id if team else None,
        )

    def compute(
        self,
        indicators,
        periods=None,
        company=None,
        segments=(None,),
        today=None,
        force_channels=None,
        force_users=None,
    ):
        """{indicator: {key: (value, reason)}} of the engine, not stored."""
        company = company or self.company_a
        periods = self.months if periods is None else periods
        engine = self.engine.with_company(company)
        scope = engine._scope(
            company,
            [(p.id, p.date_from, p.date_to) for p in periods],
            [segment.id if segment else None for segment in segments],
            indicators,
            force_channels=force_channels,
            force_users=force_users,
        )
        if today:
            scope.today = today
        return engine._compute(scope, indicators)

    def series(self, results, periods=None, **dims):
        """The values of one indicator's results over the periods, for one
        combination of dimensions (None where there is no value)."""
        periods = self.months if periods is None else periods
        return [results[self.key(period, **dims)][0] for period in periods]

    def assertSeries(self, results, expected, periods=None, places=6, **dims):
        got = self.series(results, periods, **dims)
        self.assertEqual(len(got), len(expected))
        for index, (value, wanted) in enumerate(zip(got, expected, strict=True)):
            if wanted is None:
                self.assertIsNone(value, f"period {index + 1} of {dims}: {got}")
            else:
                self.assertIsNotNone(value, f"period {index + 1} of {dims}: {got}")
                self.assertAlmostEqual(
                    value, wanted, places=places, msg=f"period {index + 1}: {got}"
                )

    def snapshot(self):
        """Every value of the two companies: {(indicator, period, company,
        segment, channel, user, team): (has value, value, note)}."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT indicator_id, period_id, company_id, segment_id, channel_id,
                       user_id, team_id, has_value, round(value::numeric, 6), note
                  FROM crm_bsc_indicator_value
                 WHERE company_id = ANY(%s)
                """,
                (self.company_a | self.company_b).ids,
            )
        )
        return {tuple(row[:7]): tuple(row[7:]) for row in self.env.cr.fetchall()}

    def stored(self, company=None, indicators=None, periods=None):
        """{(indicator id, period id, segment, channel, user, team):
        (has_value, value, note, source)} of the stored values."""
        company = company or self.company_a
        indicators = self.builtins if indicators is None else indicators
        self.env.flush_all()
        query = SQL(
            """
            SELECT indicator_id, period_id, segment_id, channel_id, user_id,
                   team_id, has_value, value, note, source
              FROM crm_bsc_indicator_value
             WHERE company_id = %s AND indicator_id = ANY(%s)
            """,
            company.id,
            indicators.ids,
        )
        if periods is not None:
            query = SQL("%s AND period_id = ANY(%s)", query, periods.ids)
        self.env.cr.execute(query)
        return {
            tuple(row[:6]): (row[6], row[7] and round(row[7], 6), row[8], row[9])
            for row in self.env.cr.fetchall()
        }
