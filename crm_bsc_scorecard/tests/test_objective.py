# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import BscCommon


@tagged("post_install", "-at_install")
class TestObjective(BscCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.train = cls._objective("Train the staff", cls.perspective_learning)
        cls.respond = cls._objective(
            "Answer faster", cls.perspective_internal, crm_function="service"
        )
        cls.retain = cls._objective("Keep customers", cls.perspective_customer)
        cls.grow = cls._objective("Grow revenue", cls.perspective_financial)
        # learning -> internal -> customer -> financial
        cls.train.driven_objective_ids = cls.respond
        cls.respond.driven_objective_ids = cls.retain
        cls.retain.driven_objective_ids = cls.grow

    # ------------------------------------------------------------------
    # Cause and effect
    # ------------------------------------------------------------------
    def test_links_seen_from_both_sides(self):
        self.assertEqual(self.retain.driver_objective_ids, self.respond)
        self.assertEqual(self.respond.driven_objective_ids, self.retain)

    def test_cycle_is_refused_and_named(self):
        with self.assertRefused(
            ValidationError,
            "circle: .*(Grow revenue → Train the staff|Train the staff → Answer "
            "faster).*Remove one",
        ) as info:
            self.grow.driven_objective_ids = self.train
        message = str(info.exception)
        for name in (
            "Train the staff",
            "Answer faster",
            "Keep customers",
            "Grow revenue",
        ):
            self.assertIn(name, message)
        self.assertFalse(self.grow.driven_objective_ids)

    def test_cycle_from_the_driver_side_is_refused(self):
        with self.assertRefused(ValidationError, "Keep customers"):
            self.respond.driver_objective_ids = [(4, self.grow.id)]

    def test_objective_cannot_drive_itself(self):
        with self.assertRefused(ValidationError, "Grow revenue → Grow revenue"):
            self.grow.driven_objective_ids = self.grow

    def test_cycle_through_an_archived_objective_is_refused(self):
        self.retain.active = False
        with self.assertRefused(ValidationError, "Keep customers"):
            self.grow.driven_objective_ids = self.train

    def test_diamond_is_not_a_cycle(self):
        self.train.driven_objective_ids = [(4, self.retain.id)]
        self.assertEqual(self.train.driven_objective_ids, self.respond | self.retain)
        self.assertEqual(self.retain.driver_objective_ids, self.train | self.respond)

    def test_cycle_created_in_one_batch_is_refused(self):
        Objective = self.env["crm.bsc.objective"]
        with self.assertRefused(ValidationError, "circle"):
            first = Objective.create(
                {"name": "First", "perspective_id": self.perspective_customer.id}
            )
            Objective.create(
                {
                    "name": "Second",
                    "perspective_id": self.perspective_customer.id,
                    "driven_objective_ids": [(6, 0, first.ids)],
                    "driver_objective_ids": [(6, 0, first.ids)],
                }
            )
        self.assertFalse(Objective.search([("name", "in", ("First", "Second"))]))

    # ------------------------------------------------------------------
    # CRM functions of the internal perspective
    # ------------------------------------------------------------------
    def test_internal_objective_needs_a_crm_function(self):
        with self.assertRefused(
            ValidationError,
            "Qualify leads.*Internal Process.*marketing, sales or service",
        ):
            self.env["crm.bsc.objective"].create(
                {
                    "name": "Qualify leads",
                    "perspective_id": self.perspective_internal.id,
                }
            )
        with self.assertRefused(ValidationError, "Answer faster"):
            self.respond.crm_function = False
        with self.assertRefused(ValidationError, "Grow revenue"):
            self.grow.perspective_id = self.perspective_internal

    def test_other_perspectives_need_no_function(self):
        self.assertFalse(self.grow.crm_function)
        self.grow.write(
            {
                "perspective_id": self.perspective_internal.id,
                "crm_function": "marketing",
            }
        )
        self.assertEqual(self.grow.perspective_kind, "internal")

    def test_indicators_of_an_objective(self):
        self._indicator("t_response_hours", objective_id=self.respond.id)
        self._indicator("t_backlog", objective_id=self.respond.id)
        self.assertEqual(self.respond.indicator_count, 2)
        action = self.respond.action_view_indicators()
        self.assertEqual(action["domain"], [("objective_id", "=", self.respond.id)])
        self.assertEqual(
            action["context"]["default_perspective_id"], self.perspective_internal.id
        )
