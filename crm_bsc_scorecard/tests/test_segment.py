# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from .common import BscCommon


@tagged("post_install", "-at_install")
class TestSegment(BscCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # only the rules of these tests apply
        cls.env["crm.customer.segment"].search([]).write({"active": False})
        cls.segment_kyiv = cls._segment(
            "Kyiv customers",
            code="T_KYIV",
            rule_domain="[('city', '=', 'T3 Kyiv')]",
            priority=5,
        )
        cls.segment_t3 = cls._segment(
            "All T3 cities",
            code="T_ALL",
            rule_domain="[('city', 'ilike', 'T3 ')]",
            priority=20,
        )
        cls.segment_manual = cls._segment("Hand-picked", code="T_HAND")
        cls.kyiv = cls._partner("Kyiv Corp", city="T3 Kyiv")
        cls.lviv = cls._partner("Lviv Corp", city="T3 Lviv")
        cls.elsewhere = cls._partner("Elsewhere Corp", city="Nowhere")

    def _assign(self, *segments):
        Segment = self.env["crm.customer.segment"]
        return Segment._assign_partners(Segment.concat(*segments) if segments else None)

    # ------------------------------------------------------------------
    # Matching and priority
    # ------------------------------------------------------------------
    def test_rule_assigns_matching_customers(self):
        changed, errors = self._assign(self.segment_t3)
        self.assertEqual(errors, {})
        self.assertEqual(changed, 2)
        self.assertEqual(self.kyiv.customer_segment_id, self.segment_t3)
        self.assertEqual(self.lviv.customer_segment_id, self.segment_t3)
        self.assertFalse(self.elsewhere.customer_segment_id)

    def test_lowest_priority_wins(self):
        """Kyiv matches both rules and goes to the one of lower priority,
        whatever the order of creation or sequence."""
        self.segment_kyiv.sequence = 99
        self._assign()
        self.assertEqual(self.kyiv.customer_segment_id, self.segment_kyiv)
        self.assertEqual(self.lviv.customer_segment_id, self.segment_t3)

        # swap the priorities: the broad rule now takes everyone first
        self.segment_kyiv.priority = 30
        changed, _errors = self._assign()
        self.assertEqual(changed, 1)
        self.assertEqual(self.kyiv.customer_segment_id, self.segment_t3)

    def test_rerun_changes_nothing(self):
        self._assign()
        changed, errors = self._assign()
        self.assertEqual((changed, errors), (0, {}))

    def test_unmatched_customers_keep_their_segment(self):
        self.elsewhere.customer_segment_id = self.segment_manual
        self._assign()
        self.assertEqual(self.elsewhere.customer_segment_id, self.segment_manual)

    def test_locked_segment_is_kept(self):
        self.kyiv.write(
            {
                "customer_segment_id": self.segment_manual.id,
                "customer_segment_locked": True,
            }
        )
        self._assign()
        self.assertEqual(self.kyiv.customer_segment_id, self.segment_manual)
        # unlocked, the rule applies again
        self.kyiv.customer_segment_locked = False
        self._assign()
        self.assertEqual(self.kyiv.customer_segment_id, self.segment_kyiv)

    def test_rules_match_commercial_entities_and_contacts_follow(self):
        contact = self.env["res.partner"].create(
            {"name": "Olena", "parent_id": self.lviv.id, "city": "Nowhere"}
        )
        person = self._partner("Independent Ivan", is_company=False, city="T3 Odesa")
        self._assign(self.segment_t3)
        self.assertEqual(self.lviv.customer_segment_id, self.segment_t3)
        # the contact follows its company although its own city does not match
        self.assertEqual(contact.customer_segment_id, self.segment_t3)
        # an individual without a company is a customer of its own
        self.assertEqual(person.customer_segment_id, self.segment_t3)

    def test_contact_is_never_matched_on_its_own(self):
        """A contact whose own address matches follows its company, not the rule."""
        contact = self.env["res.partner"].create(
            {"name": "Petro", "parent_id": self.elsewhere.id, "city": "T3 Kyiv"}
        )
        self._assign()
        self.assertFalse(contact.customer_segment_id)
        self.assertFalse(self.elsewhere.customer_segment_id)

    def test_earlier_catch_all_rule_leaves_nothing_for_later_ones(self):
        catch_all = self._segment("Everyone", rule_domain="[]", priority=1)
        self._assign(catch_all, self.segment_kyiv)
        self.assertEqual(self.kyiv.customer_segment_id, catch_all)
        self.assertEqual(self.elsewhere.customer_segment_id, catch_all)

    def test_cron_applies_the_rules(self):
        self.env["crm.customer.segment"]._cron_assign_partners()
        self.assertEqual(self.kyiv.customer_segment_id, self.segment_kyiv)

    def test_action_reports_the_number_moved(self):
        action = self.segment_manual.action_assign_partners()
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("2", action["params"]["message"])
        self.assertEqual(self.kyiv.customer_segment_id, self.segment_kyiv)

    # ------------------------------------------------------------------
    # Bad rules
    # ------------------------------------------------------------------
    def _break_rule(self, segment, rule):
        """Store a rule the constraint would refuse (as after a model change)."""
        self.env.cr.execute(
            SQL(
                "UPDATE crm_customer_segment SET rule_domain = %s WHERE id = %s",
                rule,
                segment.id,
            )
        )
        segment.invalidate_recordset(["rule_domain"])

    def test_bad_rule_is_skipped_and_reported(self):
        self._break_rule(self.segment_kyiv, "[('no_such_field', '=', 1)]")
        broken_syntax = self._segment(
            "Broken", rule_domain="[('city', '=', 'x')]", priority=1
        )
        self._break_rule(broken_syntax, "[('city', '=', ")
        action = self.segment_manual.action_assign_partners()

        # the good rule still applied
        self.assertEqual(self.kyiv.customer_segment_id, self.segment_t3)
        self.assertEqual(self.lviv.customer_segment_id, self.segment_t3)
        # the user is told which rules failed
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn(self.segment_kyiv.name, action["params"]["message"])
        self.assertIn(broken_syntax.name, action["params"]["message"])
        # and each bad segment says why in its chatter
        for segment, reason in (
            (self.segment_kyiv, "no_such_field"),
            (broken_syntax, "city"),
        ):
            bodies = segment.message_ids.mapped("body")
            self.assertTrue(
                any("failed" in body and reason in body for body in bodies), bodies
            )
        self.assertFalse(
            any("failed" in body for body in self.segment_t3.message_ids.mapped("body"))
        )

    def test_bad_rule_errors_are_returned(self):
        self._break_rule(self.segment_kyiv, "[('no_such_field', '=', 1)]")
        changed, errors = self._assign()
        self.assertEqual(changed, 2)
        self.assertEqual(list(errors), [self.segment_kyiv])
        self.assertIn("no_such_field", errors[self.segment_kyiv])

    def test_invalid_rule_is_refused(self):
        for rule in ("[('no_such_field', '=', 1)]", "[('city', '=', ", "42"):
            with (
                self.subTest(rule=rule),
                self.assertRefused(ValidationError, "Kyiv customers.*not a valid"),
            ):
                self.segment_kyiv.rule_domain = rule
        with self.assertRefused(ValidationError, r"New segment.*no_such_field"):
            self._segment("New segment", rule_domain="[('no_such_field', '=', 1)]")
        self.assertFalse(
            self.env["crm.customer.segment"].search([("name", "=", "New segment")])
        )

    # ------------------------------------------------------------------
    # Other fields
    # ------------------------------------------------------------------
    def test_counts(self):
        self._assign()
        self.env["res.partner"].create({"name": "Contact", "parent_id": self.kyiv.id})
        self._lead("Deal", partner=self.kyiv)
        self._lead("Other deal", partner=self.lviv)
        self.env.invalidate_all()
        # contacts are not counted as customers of their own
        self.assertEqual(self.segment_kyiv.partner_count, 1)
        self.assertEqual(self.segment_kyiv.lead_count, 1)
        self.assertEqual(self.segment_t3.partner_count, 1)
        self.assertEqual(self.segment_manual.partner_count, 0)

    def test_code_unique_within_a_company(self):
        self._segment("Other Kyiv", code="T_KYIV", company_id=self.company_2.id)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self._segment("Kyiv again", code="T_KYIV")

    def test_views_of_members_and_leads(self):
        action = self.segment_kyiv.action_view_partners()
        self.assertEqual(
            action["domain"], [("customer_segment_id", "=", self.segment_kyiv.id)]
        )
        action = self.segment_kyiv.action_view_leads()
        self.assertEqual(action["res_model"], "crm.lead")
        self.assertEqual(
            action["context"]["default_customer_segment_id"], self.segment_kyiv.id
        )
