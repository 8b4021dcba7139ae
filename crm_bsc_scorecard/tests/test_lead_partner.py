# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2 import IntegrityError

from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import BscCommon


@tagged("post_install", "-at_install")
class TestLeadPartner(BscCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.segment_key = cls._segment("Key accounts")
        cls.segment_smb = cls._segment("Small business")
        cls.segment_other = cls._segment("Other")
        cls.customer = cls._partner(
            "Acme Holding", customer_segment_id=cls.segment_key.id
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Anna Acme", "parent_id": cls.customer.id}
        )

    # ------------------------------------------------------------------
    # Partner: a commercial field
    # ------------------------------------------------------------------
    def test_new_contact_takes_the_company_segment(self):
        self.assertEqual(self.contact.customer_segment_id, self.segment_key)

    def test_segment_and_lock_propagate_to_contacts(self):
        self.customer.write(
            {
                "customer_segment_id": self.segment_smb.id,
                "customer_segment_locked": True,
            }
        )
        self.assertEqual(self.contact.customer_segment_id, self.segment_smb)
        self.assertTrue(self.contact.customer_segment_locked)

    def test_contact_moved_to_another_company_takes_its_segment(self):
        other = self._partner("Beta Ltd", customer_segment_id=self.segment_smb.id)
        self.contact.parent_id = other
        self.assertEqual(self.contact.customer_segment_id, self.segment_smb)

    def test_commercial_fields_declared(self):
        fields = self.env["res.partner"]._commercial_fields()
        self.assertIn("customer_segment_id", fields)
        self.assertIn("customer_segment_locked", fields)

    # ------------------------------------------------------------------
    # Lead: computed from the customer, overridable, stored
    # ------------------------------------------------------------------
    def test_lead_takes_the_customer_segment(self):
        lead = self._lead("Deal", partner=self.customer)
        self.assertEqual(lead.customer_segment_id, self.segment_key)
        # through a contact, the segment of its company
        lead_contact = self._lead("Deal with Anna", partner=self.contact)
        self.assertEqual(lead_contact.customer_segment_id, self.segment_key)

    def test_open_lead_follows_the_customer(self):
        lead = self._lead("Deal", partner=self.contact)
        self.customer.customer_segment_id = self.segment_smb
        self.assertEqual(lead.customer_segment_id, self.segment_smb)
        other = self._partner("Beta Ltd", customer_segment_id=self.segment_other.id)
        lead.partner_id = other
        self.assertEqual(lead.customer_segment_id, self.segment_other)

    def test_won_lead_keeps_its_segment(self):
        lead = self._lead("Deal", partner=self.customer)
        lead.action_set_won()
        self.assertTrue(lead.date_closed)
        self.customer.customer_segment_id = self.segment_smb
        self.assertEqual(lead.customer_segment_id, self.segment_key)
        self.assertEqual(
            self._stored(lead, "customer_segment_id"), (self.segment_key.id,)
        )

    def test_lost_lead_keeps_its_segment(self):
        lead = self._lead("Deal", partner=self.customer)
        lead.action_set_lost()
        self.assertFalse(lead.active)
        self.customer.customer_segment_id = self.segment_smb
        self.assertEqual(lead.customer_segment_id, self.segment_key)
        self.assertEqual(
            self._stored(lead, "customer_segment_id"), (self.segment_key.id,)
        )

    def test_lead_segment_can_be_overridden(self):
        lead = self._lead("Deal", partner=self.customer)
        lead.customer_segment_id = self.segment_other
        lead.invalidate_recordset()
        self.assertEqual(lead.customer_segment_id, self.segment_other)
        # given at creation, the manual segment wins over the customer's
        lead_2 = self._lead(
            "Deal 2", partner=self.customer, customer_segment_id=self.segment_smb.id
        )
        self.assertEqual(lead_2.customer_segment_id, self.segment_smb)

    def test_lead_without_customer_keeps_a_manual_segment(self):
        lead = self._lead("Prospect", customer_segment_id=self.segment_other.id)
        self.assertEqual(lead.customer_segment_id, self.segment_other)
        # a customer without segment changes nothing
        lead.partner_id = self._partner("Gamma")
        self.assertEqual(lead.customer_segment_id, self.segment_other)

    def test_lead_segment_is_stored_and_searchable(self):
        lead = self._lead("Deal", partner=self.customer)
        self.assertEqual(
            self._stored(lead, "customer_segment_id"), (self.segment_key.id,)
        )
        found = self.env["crm.lead"].search(
            [("customer_segment_id", "=", self.segment_key.id)]
        )
        self.assertIn(lead, found)
        groups = dict(
            self.env["crm.lead"]._read_group(
                [("id", "=", lead.id)], ["customer_segment_id"], ["__count"]
            )
        )
        self.assertEqual(groups, {self.segment_key: 1})

    def test_lead_form_shows_the_customer_segment(self):
        with Form(self.env["crm.lead"]) as form:
            form.name = "From the form"
            form.partner_id = self.contact
            self.assertEqual(form.customer_segment_id, self.segment_key)
            form.customer_segment_id = self.segment_other
        self.assertEqual(form.record.customer_segment_id, self.segment_other)

    def test_segment_in_use_cannot_be_deleted(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError) as info:
            self.segment_key.unlink()
        self.assertIn("customer_segment_id", str(info.exception))
        self.assertTrue(self.segment_key.exists())
