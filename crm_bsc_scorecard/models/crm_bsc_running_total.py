# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Running totals kept between runs (the open pipeline, the open
activities), and the states of the leads and activities changed since they
were last brought up to date: the incremental recompute reads the changed
records alone (``engine/kept.py`` says how) instead of every open
opportunity and activity."""

import logging

import psycopg2
import psycopg2.errors

from odoo import api, fields, models
from odoo.tools import SQL

from ..engine import families as engine_families
from ..engine import kept as engine_kept
from ..engine.family import Request, Scope
from ..tools import customer_counts as counts_tools
from ..tools import kept_totals

_logger = logging.getLogger(__name__)

# the advisory lock of the run that brings the kept running totals up to date
RUNNING_LOCK = 0x43524D43


class CrmBscRunningTotal(models.Model):
    """The totals of one family of running totals on the last day of one
    open period, per key, as the last computation (plus the changes applied
    since) found them, for one way of breaking them down."""

    _name = "crm.bsc.running.total"
    _description = "Scorecard Running Totals"
    _log_access = False
    _order = "period_id, id"

    company_id = fields.Many2one(
        "res.company", required=True, ondelete="cascade", index=True
    )
    family = fields.Selection(engine_families.selection(), required=True)
    period_id = fields.Many2one("crm.bsc.period", required=True, ondelete="cascade")
    period_end = fields.Date(
        required=True, help="The period's last day when the totals were kept."
    )
    today = fields.Date(required=True, help="The day the totals were read on.")
    by_channel = fields.Boolean(help="The totals per contact channel are kept.")
    by_user = fields.Boolean(help="The totals per salesperson and team are kept.")
    totals = fields.Json(
        help="Per segment, channel, salesperson and team (empty: all): the "
        "family's measures."
    )

    def init(self):
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS crm_bsc_running_total_period
                    ON crm_bsc_running_total (company_id, family, period_id,
                        by_channel, by_user)
                """
            )
        )

    @api.model
    def _invalidate(self, company_ids=None):
        """Forget the totals (of these companies): the next computation reads
        every record again. For changes the state log cannot describe (a
        stage that becomes won)."""
        self.env.cr.execute(
            SQL(
                "DELETE FROM crm_bsc_running_total %s",
                SQL("WHERE company_id = ANY(%s)", list(company_ids))
                if company_ids is not None
                else SQL(),
            )
        )

    # ------------------------------------------------------------------
    # The totals of a computation: read, kept
    # ------------------------------------------------------------------
    @api.model
    def _where(self, family, request, period_ids):
        return SQL(
            """company_id = %s AND family = %s AND by_channel = %s
               AND by_user = %s AND period_id = ANY(%s)""",
            request.scope.company_id,
            family.name,
            bool(request.channels),
            bool(request.users),
            list(period_ids),
        )

    @api.model
    def _kept_table(self, family, request):
        """The family's table for the request from the kept totals, or None
        when a period has none kept (for its current last day and, for a
        family read against today, for today). Totals of a channel,
        salesperson or team deleted since are left out (their records have
        lost it: the totals in which it is aggregated are unchanged)."""
        scope = request.scope
        ends = {pid: end for pid, _start, end in scope.periods}
        self.env.cr.execute(
            SQL(
                "SELECT period_id, period_end, today, totals "
                "FROM crm_bsc_running_total WHERE %s",
                self._where(family, request, ends),
            )
        )
        rows = self.env.cr.fetchall()
        valid = [
            (period_id, totals)
            for period_id, end, today, totals in rows
            if end == ends[period_id] and (not family.daily or today == scope.today)
        ]
        if {period_id for period_id, _totals in valid} != set(ends):
            return None
        table = {}
        for period_id, totals in valid:
            table.update(kept_totals.decode(family.measures, period_id, totals))
        existing = {}
        for index, name in enumerate(
            ("crm_customer_segment", "crm_contact_channel", "res_users", "crm_team"),
            start=1,
        ):
            ids = list({key[index] for key in table} - {None})
            self.env.cr.execute(
                SQL("SELECT id FROM %s WHERE id = ANY(%s)", SQL.identifier(name), ids)
            )
            existing[index] = {row[0] for row in self.env.cr.fetchall()} | {None}
        return {
            key: measures
            for key, measures in table.items()
            if all(key[index] in existing[index] for index in existing)
        }

    @api.model
    def _keep(self, family, request, table):
        """Keep the totals of a table computed from every record, for the
        request's open periods: one row per period."""
        scope = request.scope
        self.env.cr.execute(
            SQL(
                "SELECT id FROM crm_bsc_period WHERE id = ANY(%s) AND state = 'open'",
                scope.period_ids,
            )
        )
        open_ids = {row[0] for row in self.env.cr.fetchall()}
        self.env.cr.execute(
            SQL(
                "DELETE FROM crm_bsc_running_total WHERE %s",
                self._where(family, request, scope.period_ids),
            )
        )
        by_period = {pid: {} for pid in open_ids}
        for key, measures in table.items():
            if key[0] in by_period:
                by_period[key[0]][key] = measures
        ends = {pid: end for pid, _start, end in scope.periods}
        rows = [
            SQL(
                "(%s, %s, %s, %s, %s, %s, %s, %s)",
                scope.company_id,
                family.name,
                period_id,
                ends[period_id],
                scope.today,
                bool(request.channels),
                bool(request.users),
                kept_totals.encode(family.measures, totals),
            )
            for period_id, totals in sorted(by_period.items())
        ]
        if rows:
            self.env.cr.execute(
                SQL(
                    """INSERT INTO crm_bsc_running_total (company_id, family,
                           period_id, period_end, today, by_channel, by_user,
                           totals)
                       VALUES %s""",
                    SQL(", ").join(rows),
                )
            )

    # ------------------------------------------------------------------
    # Bringing the totals up to date with the logged states
    # ------------------------------------------------------------------
    @api.model
    def _catch_up(self):
        """Apply the changes of the logged leads and activities to every kept
        total, then forget the states. The totals of a company whose changes
        do not add up are dropped: its next run reads every record again.

        One transaction at a time works on the totals (until it ends):
        returns False, having done nothing, when another one does, or did
        since this one began."""
        cr = self.env.cr
        cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s)", RUNNING_LOCK))
        if not cr.fetchone()[0]:
            return False
        try:
            with cr.savepoint():
                self._apply_states()
        except psycopg2.errors.SerializationFailure:
            return False
        return True

    @api.model
    def _apply_states(self):
        cr = self.env.cr
        cr.execute(SQL("SELECT id, lead_id, moves_activities FROM crm_bsc_lead_state"))
        leads = cr.fetchall()
        cr.execute(
            SQL("SELECT id, activity_id, res_model, res_id FROM crm_bsc_activity_state")
        )
        activities = cr.fetchall()
        if not (leads or activities):
            return
        changes = engine_kept.Changes(
            lead_ids={lead_id for _id, lead_id, _moves in leads},
            moved_lead_ids={lead_id for _id, lead_id, moves in leads if moves},
            activity_ids={activity_id for _id, activity_id, *_on in activities},
            activity_lead_ids={
                res_id
                for _id, _activity, model, res_id in activities
                if model == "crm.lead" and res_id
            },
        )
        # the totals of closed periods, or of periods whose dates moved, are
        # of no further use
        cr.execute(
            SQL(
                """DELETE FROM crm_bsc_running_total k USING crm_bsc_period p
                    WHERE p.id = k.period_id
                      AND (p.state != 'open' OR p.date_to != k.period_end)"""
            )
        )
        cr.execute(
            SQL(
                """SELECT k.company_id, k.family, k.by_channel, k.by_user, k.today,
                          p.period_type, p.id, p.date_from, p.date_to
                     FROM crm_bsc_running_total k
                     JOIN crm_bsc_period p ON p.id = k.period_id
                    ORDER BY p.date_to, p.id"""
            )
        )
        groups = {}
        for company_id, *group, period_type, pid, start, end in cr.fetchall():
            groups.setdefault(company_id, {}).setdefault(
                (*group, period_type), []
            ).append((pid, start, end))
        for company_id, kept in sorted(groups.items()):
            try:
                with cr.savepoint():
                    for group, periods in kept.items():
                        self._apply_group(changes, company_id, *group, periods)
            except psycopg2.errors.SerializationFailure:
                raise
            except (ValueError, psycopg2.Error) as error:
                _logger.info(
                    "Running totals of company %s dropped: %s", company_id, error
                )
                self._invalidate([company_id])
        for table, rows in (
            ("crm_bsc_lead_state", leads),
            ("crm_bsc_activity_state", activities),
        ):
            cr.execute(
                SQL(
                    "DELETE FROM %s WHERE id = ANY(%s)",
                    SQL.identifier(table),
                    engine_kept.Changes.ids(row[0] for row in rows),
                )
            )

    @api.model
    def _apply_group(
        self, changes, company_id, name, channels, users, today, _type, periods
    ):
        """Add to one group of kept totals the changes of the logged records:
        what they count now less what they counted when last applied."""
        family = engine_families.get(name)
        request = Request(
            self.env,
            Scope(company_id, periods, [None], today=today),
            channels=channels,
            users=users,
        )
        delta = family.delta_table(request, changes)
        if not delta:
            return
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT id, period_id, totals FROM crm_bsc_running_total WHERE %s",
                self._where(family, request, sorted({key[0] for key in delta})),
            )
        )
        for row_id, period_id, kept in cr.fetchall():
            totals = kept_totals.decode(family.measures, period_id, kept)
            counts_tools.add_counts(
                totals,
                {key: change for key, change in delta.items() if key[0] == period_id},
            )
            cr.execute(
                SQL(
                    "UPDATE crm_bsc_running_total SET totals = %s WHERE id = %s",
                    kept_totals.encode(
                        family.measures, kept_totals.checked(family.measures, totals)
                    ),
                    row_id,
                )
            )


class CrmBscLeadState(models.Model):
    """What a lead was, as the running totals read it, before a change not
    yet applied to them (the first logged state of a lead since then is the
    one they counted); a lead created since has a state not ``present``."""

    _name = "crm.bsc.lead.state"
    _description = "Scorecard Lead State Before a Change"
    _log_access = False
    _order = "id"

    # ids only: what is logged stays as it was, whatever happens to them
    lead_id = fields.Integer(required=True, index=True)
    present = fields.Boolean()
    company_id = fields.Integer()
    type = fields.Char()
    active = fields.Boolean()
    date_closed = fields.Datetime()
    is_won = fields.Boolean()
    date_conversion = fields.Datetime()
    create_date = fields.Datetime()
    expected_revenue = fields.Float(digits=(16, 2))
    probability = fields.Float()
    customer_segment_id = fields.Integer()
    contact_channel_id = fields.Integer()
    user_id = fields.Integer()
    team_id = fields.Integer()
    moves_activities = fields.Boolean(
        help="What places the lead's activities (its company, segment, "
        "channel or team) may have changed: they are read again."
    )

    @api.model
    def _log(self, lead_ids, present=True, moves_activities=False):
        """Log the states of these leads as the database holds them (flush
        their fields first), or, not ``present``, that they did not exist."""
        if not lead_ids:
            return
        if not present:
            self.env.cr.execute(
                SQL(
                    "INSERT INTO crm_bsc_lead_state (lead_id, present, "
                    "moves_activities) SELECT unnest(%s::int[]), FALSE, TRUE",
                    list(lead_ids),
                )
            )
            return
        self.env.cr.execute(
            SQL(
                "INSERT INTO crm_bsc_lead_state (lead_id, present, "
                "moves_activities, %s) SELECT l.id, TRUE, %s, %s FROM %s "
                "WHERE l.id = ANY(%s)",
                SQL(", ").join(map(SQL.identifier, engine_kept.LEAD_COLUMNS)),
                bool(moves_activities),
                engine_kept.lead_columns(),
                engine_kept.LEADS,
                list(lead_ids),
            )
        )

    @api.model
    def _moved_activities(self, lead_ids):
        """These logged leads changed what places their activities."""
        if lead_ids:
            self.env.cr.execute(
                SQL(
                    "UPDATE crm_bsc_lead_state SET moves_activities = TRUE "
                    "WHERE lead_id = ANY(%s) AND NOT moves_activities",
                    list(lead_ids),
                )
            )


class CrmBscActivityState(models.Model):
    """What an activity was before a change not yet applied to the running
    totals (see crm.bsc.lead.state)."""

    _name = "crm.bsc.activity.state"
    _description = "Scorecard Activity State Before a Change"
    _log_access = False
    _order = "id"

    activity_id = fields.Integer(required=True, index=True)
    present = fields.Boolean()
    res_model = fields.Char()
    res_id = fields.Integer()
    active = fields.Boolean()
    date_deadline = fields.Date()
    user_id = fields.Integer()

    @api.model
    def _log(self, activity_ids, present=True):
        """Log the states of these activities (see crm.bsc.lead.state)."""
        if not activity_ids:
            return
        if not present:
            self.env.cr.execute(
                SQL(
                    "INSERT INTO crm_bsc_activity_state (activity_id, present) "
                    "SELECT unnest(%s::int[]), FALSE",
                    list(activity_ids),
                )
            )
            return
        self.env.cr.execute(
            SQL(
                "INSERT INTO crm_bsc_activity_state (activity_id, present, %s) "
                "SELECT a.id, TRUE, %s FROM mail_activity a WHERE a.id = ANY(%s)",
                SQL(", ").join(map(SQL.identifier, engine_kept.ACTIVITY_COLUMNS)),
                SQL(", ").join(
                    SQL.identifier("a", name) for name in engine_kept.ACTIVITY_COLUMNS
                ),
                list(activity_ids),
            )
        )
