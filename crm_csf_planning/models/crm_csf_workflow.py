# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=consider-merging-classes-inherited
# (the model is split by concern, a file per concern)
"""Success factors, continued (``crm_csf.py`` holds the model, its fields,
constraints and plan tracking): the commitment workflow, the health and
measurement gaps, and the planning screens."""

import logging

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import health as health_tools
from .crm_csf import USER_GROUP

_logger = logging.getLogger(__name__)


class CrmCsf(models.Model):
    _inherit = "crm.csf"

    # ------------------------------------------------------------------
    # Commitment workflow
    # ------------------------------------------------------------------
    def _check_can_act(self, owner_allowed=True):
        """The caller may act on these factors: a scorecard manager, or
        (when ``owner_allowed``) the owner of each one; and the factors are of
        the caller's companies."""
        self.check_access("read")
        if self._is_manager():
            return
        if owner_allowed and self.env.user.has_group(USER_GROUP):
            others = self.filtered(lambda c: c.owner_id != self.env.user)
            if not others:
                return
            raise AccessError(
                _(
                    "Only the owner of the success factor %(name)s (%(owner)s) or a "
                    "scorecard manager can do this.",
                    name=others[0].display_name,
                    owner=others[0].owner_id.name or _("none"),
                )
            )
        raise AccessError(
            _(
                "Only a scorecard manager can approve or drop the plan of the "
                "success factor %(name)s.",
                name=self[:1].display_name,
            )
        )

    def _check_state(self, allowed, action):
        wrong = self.filtered(lambda c: c.state not in allowed)
        if wrong:
            states = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                _(
                    "The success factor %(name)s is %(state)s: it cannot be "
                    "%(action)s (it must be %(allowed)s).",
                    name=wrong[0].display_name,
                    state=states[wrong[0].state],
                    action=action,
                    allowed=" / ".join(states[s] for s in allowed),
                )
            )

    def action_submit(self):
        self._check_can_act()
        self._check_state(("draft",), _("submitted"))
        for csf in self:
            if not csf.indicator_line_ids:
                raise UserError(
                    _(
                        "The success factor %(name)s has no indicator (field "
                        "Indicators): say how it is measured before submitting "
                        "its plan.",
                        name=csf.display_name,
                    )
                )
        # sudo: the caller is the owner or a manager (checked above); the
        # owner may not write the workflow fields directly
        self.sudo().write({"state": "submitted"})
        return True

    def action_commit(self):
        self._check_can_act(owner_allowed=False)
        self._check_state(("submitted",), _("committed"))
        # sudo: the caller is a scorecard manager (checked above)
        self.sudo().write(
            {
                "state": "committed",
                "approved_by_id": self.env.user.id,
                "approved_date": fields.Datetime.now(),
            }
        )
        for csf in self:
            csf.message_post(
                body=_(
                    "Plan committed, approved by %(user)s.", user=self.env.user.name
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_achieve(self):
        self._check_can_act(owner_allowed=False)
        self._check_state(("committed",), _("marked achieved"))
        # sudo: the caller is a scorecard manager (checked above)
        self.sudo().write({"state": "achieved"})
        return True

    def action_reset_draft(self):
        # the owner takes a submitted plan back; a manager also reopens a
        # committed, achieved or dropped one
        self._check_can_act()
        if not self._is_manager():
            self._check_state(("submitted",), _("set back to draft"))
        self._check_state(
            ("submitted", "committed", "achieved", "dropped"), _("set back to draft")
        )
        # sudo: the caller is the owner of a submitted plan or a manager
        self.sudo().write(
            {
                "state": "draft",
                "approved_by_id": False,
                "approved_date": False,
                "drop_reason": False,
            }
        )
        return True

    def action_open_drop_wizard(self):
        self._check_can_act(owner_allowed=False)
        self._check_state(("draft", "submitted", "committed"), _("dropped"))
        return {
            "type": "ir.actions.act_window",
            "name": _("Drop the success factor"),
            "res_model": "crm.csf.drop",
            "view_mode": "form",
            "target": "new",
            "context": {"default_csf_ids": self.ids},
        }

    def _drop(self, reason):
        self._check_can_act(owner_allowed=False)
        self._check_state(("draft", "submitted", "committed"), _("dropped"))
        if not (reason or "").strip():
            raise UserError(
                _(
                    "Say why the success factor %(name)s is dropped (field Reason).",
                    name=self[:1].display_name,
                )
            )
        # sudo: the caller is a scorecard manager (checked above)
        self.sudo().write({"state": "dropped", "drop_reason": reason.strip()})
        for csf in self:
            csf.message_post(
                body=_("Dropped: %(reason)s", reason=reason.strip()),
                subtype_xmlid="mail.mt_note",
            )
        return True

    # ------------------------------------------------------------------
    # Health and measurement gaps
    # ------------------------------------------------------------------
    def action_refresh_health(self):
        self.check_access("read")
        self._refresh_health()
        return True

    def _refresh_health(self):
        """Recompute the health and the measurement gaps of every factor of
        these factors' companies, from the scorecard's stored values."""
        companies = self.company_id
        if not companies:
            return
        # sudo: derived figures of every factor of the companies, written by
        # the server; the values read are those the factors name
        csfs = (
            self.env["crm.csf"]
            .sudo()
            .with_context(active_test=False)
            .search([("company_id", "in", companies.ids)])
        )
        lines = csfs.indicator_line_ids
        figures = lines._figures()
        stale = lines._stale_lines()
        nodes = {}
        for csf in csfs:
            items = [
                (figures[line.id]["score"], line.weight)
                for line in csf.indicator_line_ids
            ]
            parent = csf.parent_id.id if csf.parent_id.active and csf.active else None
            nodes[csf.id] = (parent, csf.weight, items if csf.active else [])
        healths = health_tools.rollup(nodes)
        now = fields.Datetime.now()
        for csf in csfs:
            value = healths.get(csf.id) if csf.active else None
            vals = {
                "health": round(value, 1) if value is not None else 0.0,
                "health_status": health_tools.status(value),
                "health_date": now,
                **csf._measurement_gaps(stale),
            }
            changed = {
                name: vals[name]
                for name in vals
                if name != "health_date" and csf[name] != vals[name]
            }
            if changed or not csf.health_date:
                # these are the derived fields: past the checks of write
                csf.with_context(tracking_disable=True)._write_unchecked(vals)

    def _measurement_gaps(self, stale_lines):
        self.ensure_one()
        lines = self.indicator_line_ids
        no_indicator = not lines
        stale = lines & stale_lines
        all_lagging = bool(lines) and all(
            line.indicator_id.indicator_type == "lagging" for line in lines
        )
        notes = []
        if no_indicator:
            notes.append(_("No indicator measures it."))
        if stale:
            notes.append(
                _(
                    "No value in the last two periods: %(indicators)s.",
                    indicators=", ".join(stale.indicator_id.mapped("display_name")),
                )
            )
        if all_lagging:
            notes.append(
                _(
                    "All its indicators are lagging (results): add a leading "
                    "indicator that measures a driver."
                )
            )
        return {
            "gap_no_indicator": no_indicator,
            "gap_stale": bool(stale),
            "gap_all_lagging": all_lagging,
            "has_measurement_gap": bool(notes),
            "measurement_gap_note": "\n".join(notes) or False,
        }

    @api.model
    def _cron_refresh_health(self):
        """Refresh the health of every company's factors; a company whose
        refresh fails is logged and left as it was, the others go on."""
        companies = self.env["crm.csf"].search([]).company_id
        done = 0
        for company in companies:
            try:
                with self.env.cr.savepoint():
                    self.search(
                        [("company_id", "=", company.id)], limit=1
                    )._refresh_health()
            except (UserError, ValidationError, ValueError, psycopg2.Error) as error:
                _logger.warning(
                    "Health of the success factors of %s not refreshed: %s",
                    company.name,
                    error,
                )
            done += 1
        self.env["ir.cron"]._notify_progress(done=done, remaining=0)
        return True

    # ------------------------------------------------------------------
    # Screens
    # ------------------------------------------------------------------
    def action_view_actions(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_csf_planning.crm_csf_action_action"
        )
        action["domain"] = [("csf_id", "=", self.id)]
        action["context"] = {"default_csf_id": self.id}
        return action

    @api.model
    def get_heatmap_data(self):
        """The heatmaps of the planning screens, for the current companies:
        categories × levels and factors × building blocks."""
        self.check_access("read")
        # a dropped factor is no longer planned
        return self.env["crm.csf.heatmap"]._data(
            self.search([("state", "!=", "dropped")])
        )
