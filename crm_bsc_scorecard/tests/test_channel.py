# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import BscCommon


@tagged("post_install", "-at_install")
class TestChannel(BscCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.source_fair = cls.env["utm.source"].create({"name": "T3 Spring Fair"})
        cls.source_blog = cls.env["utm.source"].create({"name": "T3 Blog"})
        cls.medium_mail = cls.env["utm.medium"].create({"name": "T3 Mailshot"})
        cls.medium_stand = cls.env["utm.medium"].create({"name": "T3 Stand"})
        cls.medium_loose = cls.env["utm.medium"].create({"name": "T3 Unmapped"})
        cls.channel_event = cls._channel(
            "T3 Events",
            kind="event",
            source_ids=[(6, 0, cls.source_fair.ids)],
            medium_ids=[(6, 0, cls.medium_stand.ids)],
        )
        cls.channel_mail = cls._channel(
            "T3 Mail", kind="email", medium_ids=[(6, 0, cls.medium_mail.ids)]
        )
        cls.channel_manual = cls._channel("T3 Walk-in", kind="field")

    # ------------------------------------------------------------------
    # Mapping from UTM source and medium
    # ------------------------------------------------------------------
    def test_channel_from_medium(self):
        lead = self._lead("By mail", medium_id=self.medium_mail.id)
        self.assertEqual(lead.contact_channel_id, self.channel_mail)

    def test_channel_from_source(self):
        lead = self._lead("At the fair", source_id=self.source_fair.id)
        self.assertEqual(lead.contact_channel_id, self.channel_event)

    def test_source_wins_over_medium(self):
        lead = self._lead(
            "Fair, by mail",
            source_id=self.source_fair.id,
            medium_id=self.medium_mail.id,
        )
        self.assertEqual(lead.contact_channel_id, self.channel_event)
        # an unmapped source lets the medium decide
        lead.source_id = self.source_blog
        self.assertEqual(lead.contact_channel_id, self.channel_mail)

    def test_seeded_channels_map_core_mediums(self):
        lead = self._lead("Call", medium_id=self.env.ref("utm.utm_medium_phone").id)
        self.assertEqual(
            lead.contact_channel_id, self.env.ref("crm_bsc_scorecard.channel_phone")
        )

    def test_manual_channel_kept_when_unmapped(self):
        lead = self._lead(
            "Walked in",
            contact_channel_id=self.channel_manual.id,
            medium_id=self.medium_loose.id,
        )
        self.assertEqual(lead.contact_channel_id, self.channel_manual)
        lead.write({"source_id": self.source_blog.id, "medium_id": False})
        self.assertEqual(lead.contact_channel_id, self.channel_manual)
        # a mapped medium replaces it
        lead.medium_id = self.medium_mail
        self.assertEqual(lead.contact_channel_id, self.channel_mail)

    def test_channel_can_be_overridden_and_is_stored(self):
        lead = self._lead("By mail", medium_id=self.medium_mail.id)
        lead.contact_channel_id = self.channel_manual
        lead.invalidate_recordset()
        self.assertEqual(lead.contact_channel_id, self.channel_manual)
        self.assertEqual(
            self.env["crm.lead"].search(
                [("contact_channel_id", "=", self.channel_manual.id)]
            ),
            lead,
        )

    def test_lead_form_shows_the_channel_of_the_medium(self):
        with Form(self.env["crm.lead"]) as form:
            form.name = "From the form"
            form.medium_id = self.medium_mail
            # shown as soon as the medium is chosen
            self.assertEqual(form.contact_channel_id, self.channel_mail)
            form.medium_id = self.medium_loose
            self.assertEqual(form.contact_channel_id, self.channel_mail)
            form.contact_channel_id = self.channel_manual
        self.assertEqual(form.record.contact_channel_id, self.channel_manual)
        form.record.medium_id = self.medium_mail
        self.assertEqual(form.record.contact_channel_id, self.channel_mail)

    def test_archived_channel_maps_nothing(self):
        self.channel_mail.active = False
        lead = self._lead("By mail", medium_id=self.medium_mail.id)
        self.assertFalse(lead.contact_channel_id)

    def test_apply_to_leads_after_relinking(self):
        lead = self._lead("Unmapped", medium_id=self.medium_loose.id)
        closed = self._lead("Unmapped, lost", medium_id=self.medium_loose.id)
        closed.action_set_lost()
        self.assertFalse(lead.contact_channel_id)
        self.channel_manual.medium_ids = self.medium_loose
        action = self.channel_manual.action_apply_to_leads()
        self.assertEqual(lead.contact_channel_id, self.channel_manual)
        self.assertEqual(closed.contact_channel_id, self.channel_manual)
        self.assertIn("2", action["params"]["message"])
        # applying again changes nothing
        action = self.channel_manual.action_apply_to_leads()
        self.assertIn("0", action["params"]["message"])

    def test_lead_count(self):
        self._lead("One", medium_id=self.medium_mail.id)
        self._lead("Two", medium_id=self.medium_mail.id)
        self.assertEqual(self.channel_mail.lead_count, 2)
        self.assertEqual(self.channel_manual.lead_count, 0)
        action = self.channel_mail.action_view_leads()
        self.assertEqual(
            action["domain"], [("contact_channel_id", "=", self.channel_mail.id)]
        )

    # ------------------------------------------------------------------
    # One channel per medium and source
    # ------------------------------------------------------------------
    def test_medium_linked_to_two_channels_is_refused(self):
        with self.assertRefused(
            ValidationError, r"medium T3 Mailshot.*T3 Mail.*T3 Walk-in"
        ):
            self.channel_manual.medium_ids = self.medium_mail
        self.assertFalse(self.channel_manual.medium_ids)

    def test_source_linked_to_two_channels_is_refused(self):
        with self.assertRefused(ValidationError, r"source T3 Spring Fair"):
            self._channel("Fairs again", source_ids=[(6, 0, self.source_fair.ids)])
        self.assertFalse(
            self.env["crm.contact.channel"].search([("name", "=", "Fairs again")])
        )

    def test_seeded_medium_cannot_feed_a_second_channel(self):
        phone = self.env.ref("utm.utm_medium_phone")
        with self.assertRefused(ValidationError, phone.name):
            self._channel("Call centre", medium_ids=[(6, 0, phone.ids)])

    def test_archived_channel_releases_its_medium(self):
        self.channel_mail.active = False
        self.channel_manual.medium_ids = self.medium_mail
        self.assertEqual(self.channel_manual.medium_ids, self.medium_mail)
        # but it cannot come back while another channel holds the medium
        with self.assertRefused(ValidationError, "T3 Mailshot"):
            self.channel_mail.active = True
