# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Telling staff about the strategic goals: the scorecard in Odoo's periodic
digest e-mails (the overall score, the indicators that turned critical, and
to each owner the objectives of theirs that are off track)."""

from datetime import timedelta

from odoo import _, fields, models
from odoo.exceptions import AccessError

from ..tools import scoring


class Digest(models.Model):
    _inherit = "digest.digest"

    kpi_crm_bsc_score = fields.Boolean("Scorecard Overall Score")
    kpi_crm_bsc_score_value = fields.Float(compute="_compute_kpi_crm_bsc_score_value")
    kpi_crm_bsc_critical = fields.Boolean("Indicators Turned Critical")
    kpi_crm_bsc_critical_value = fields.Integer(
        compute="_compute_kpi_crm_bsc_critical_value"
    )
    kpi_crm_bsc_my_objectives = fields.Boolean("My Objectives Off Track")
    kpi_crm_bsc_my_objectives_value = fields.Integer(
        compute="_compute_kpi_crm_bsc_my_objectives_value"
    )

    # ------------------------------------------------------------------
    def _crm_bsc_check_access(self):
        if not self.env.user.has_group("crm_bsc_scorecard.group_bsc_user"):
            raise AccessError(
                _("Do not have access, skip this data for user's digest email")
            )

    def _crm_bsc_day(self):
        """The last day of the digest's time frame."""
        end = self.env.context.get("end_datetime") or fields.Datetime.now()
        return (end - timedelta(seconds=1)).date()

    def _crm_bsc_scorecards(self):
        return self.env["crm.bsc.scorecard"].search(
            [("company_id", "=", self.env.company.id), ("state", "=", "active")]
        )

    def _crm_bsc_history(self, scorecard, periods=2):
        """(periods, history) of ``scorecard`` up to the period that contains
        the digest's last day."""
        day = self._crm_bsc_day()
        period = self.env["crm.bsc.period"].search(
            scorecard._period_domain()
            + [("date_from", "<=", day), ("date_to", ">=", day)],
            limit=1,
        )
        if not period:
            return None, None
        history_periods = scorecard._history_periods(count=periods, until=period)
        return history_periods, scorecard._history(history_periods)

    def _compute_kpi_crm_bsc_score_value(self):
        self._crm_bsc_check_access()
        scorecards = self._crm_bsc_scorecards()
        # the scorecard of all customers first, else the first one
        main = scorecards.filtered(lambda s: not s.segment_id)[:1] or scorecards[:1]
        score = 0.0
        if main:
            _periods, history = self._crm_bsc_history(main, periods=1)
            if history and history["overall"][-1] is not None:
                score = history["overall"][-1]
        for digest in self:
            digest.kpi_crm_bsc_score_value = score

    def _compute_kpi_crm_bsc_critical_value(self):
        """Lines of the company's active scorecards critical in the period
        of the digest's last day and not in the period before."""
        self._crm_bsc_check_access()
        count = 0
        for scorecard in self._crm_bsc_scorecards():
            _periods, history = self._crm_bsc_history(scorecard, periods=2)
            if not history:
                continue
            for series in history["lines"].values():
                now = series[-1][2]
                before = series[-2][2] if len(series) > 1 else scoring.NO_DATA
                if now == scoring.CRITICAL and before != scoring.CRITICAL:
                    count += 1
        for digest in self:
            digest.kpi_crm_bsc_critical_value = count

    def _compute_kpi_crm_bsc_my_objectives_value(self):
        """Objectives the recipient owns that are in warning or critical
        state in any active scorecard of the company."""
        self._crm_bsc_check_access()
        off_track = set()
        for scorecard in self._crm_bsc_scorecards():
            mine = scorecard.line_ids.objective_id.filtered(
                lambda o: o.owner_id == self.env.user
            )
            if not mine:
                continue
            _periods, history = self._crm_bsc_history(scorecard, periods=1)
            if not history:
                continue
            for objective in mine:
                score = (history["objectives"].get(objective) or [None])[-1]
                if scoring.status_from_score(score) in (
                    scoring.WARNING,
                    scoring.CRITICAL,
                ):
                    off_track.add(objective.id)
        for digest in self:
            digest.kpi_crm_bsc_my_objectives_value = len(off_track)

    def _compute_kpis_actions(self, company, user):
        res = super()._compute_kpis_actions(company, user)
        menu = self.env.ref("crm_bsc_scorecard.crm_bsc_menu_root").id
        res["kpi_crm_bsc_score"] = (
            f"crm_bsc_scorecard.crm_bsc_dashboard_action&menu_id={menu}"
        )
        res["kpi_crm_bsc_critical"] = (
            f"crm_bsc_scorecard.crm_bsc_dashboard_action&menu_id={menu}"
        )
        res["kpi_crm_bsc_my_objectives"] = (
            f"crm_bsc_scorecard.crm_bsc_objective_action&menu_id={menu}"
        )
        return res
