# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=consider-merging-classes-inherited
# (the model is split by concern, a file per concern)
"""Indicators, continued (``crm_bsc_indicator.py`` holds the model, its
fields, codes and dependencies): ``compute_value``, computing one value on
demand (through RPC too) with the families of the scheduled run, without
storing it."""

from collections import namedtuple

from odoo import _, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import engine as engine_tools
from . import bsc_guards

# What compute_value returns: the value, or None and the reason there is none.
ComputedValue = namedtuple("ComputedValue", ["value", "reason"])


class CrmBscIndicator(models.Model):
    _inherit = "crm.bsc.indicator"

    def compute_value(
        self, date_from, date_to, segment=None, channel=None, user=None, team=None
    ):
        """Compute this indicator over [date_from, date_to] without storing it.

        ``segment``, ``channel``, ``user`` and ``team`` are records or ids (or
        None for all). Returns ComputedValue(value, reason): the value and
        None, or None and the reason there is no value. Uses the current
        company. Reserved to scorecard users, on indicators they can read.

        (Messages use ``self.env._``: the argument ``user`` would mislead
        ``_``, which reads a local of that name as the user.)
        """
        bsc_guards.require_access(
            self,
            "read",
            bsc_guards.GROUP_USER,
            action=self.env._("Computing an indicator"),
        )
        if len(self) != 1:
            raise UserError(
                self.env._(
                    "compute_value computes one indicator at a time, not %(count)s.",
                    count=len(self),
                )
            )
        try:
            date_from = fields.Date.to_date(date_from)
            date_to = fields.Date.to_date(date_to)
        except (TypeError, ValueError) as error:
            raise UserError(
                self.env._(
                    "compute_value: the dates must be dates (%(error)s).", error=error
                )
            ) from error
        if not date_from or not date_to or date_to < date_from:
            raise UserError(
                self.env._(
                    "compute_value: %(start)s to %(end)s is no period.",
                    start=date_from,
                    end=date_to,
                )
            )
        segment = self._compute_value_record(segment, "crm.customer.segment", "segment")
        channel = self._compute_value_record(channel, "crm.contact.channel", "channel")
        user = self._compute_value_record(user, "res.users", "user")
        team = self._compute_value_record(team, "crm.team", "team")
        # sudo: the engine reads the CRM of the current company in SQL and
        # stores nothing; the caller's group and company were checked above
        indicator = self.sudo()
        engine = indicator.env["crm.bsc.engine"]
        period = indicator.env["crm.bsc.period"].search(
            [
                ("company_id", "=", self.env.company.id),
                ("date_from", "=", date_from),
                ("date_to", "=", date_to),
            ],
            limit=1,
        )
        period_id = period.id or 0
        key = (
            period_id,
            segment.id or None,
            channel.id or None,
            user.id or None,
            team.id or None,
        )
        scope = engine._scope(
            self.env.company,
            [(period_id, date_from, date_to)],
            [key[1]],
            indicator,
            extra_keys=[key],
            force_channels=[key[2]] if key[2] else [],
            force_users=bool(user or team),
        )
        # a channel with a salesperson (say) is no stored breakdown: group by
        # every combination of the dimensions asked for; the families are
        # those of the scheduled run
        results = engine._compute(scope, indicator, combined=True)
        value, reason = results[indicator].get(key, (None, engine_tools.NO_BASE))
        # (plain text: a reason travels through RPC)
        return ComputedValue(value, None if reason is None else str(reason))

    def _compute_value_record(self, value, model, argument):
        """The record of ``model`` that ``value`` (a record, an id, or None)
        names, refused when it does not exist or the user may not read it."""
        Model = self.env[model]
        if value in (None, False, 0):
            return Model
        if isinstance(value, models.BaseModel):
            if value._name != model or len(value) > 1:
                raise UserError(
                    _(
                        "compute_value: %(argument)s must be one %(model)s, not "
                        "%(value)s.",
                        argument=argument,
                        model=model,
                        value=value,
                    )
                )
            record = value.with_env(self.env)
        elif isinstance(value, int) and not isinstance(value, bool):
            record = Model.browse(value)
        else:
            raise UserError(
                _(
                    "compute_value: %(argument)s must be a record or an id of "
                    "%(model)s, not %(value)r.",
                    argument=argument,
                    model=model,
                    value=value,
                )
            )
        if not record.exists():
            raise UserError(
                _(
                    "compute_value: there is no %(model)s with the id %(id)s.",
                    model=model,
                    id=record.id,
                )
            )
        try:
            record.check_access("read")
        except AccessError as error:
            raise AccessError(
                _(
                    "compute_value: you may not read the %(model)s %(id)s.",
                    model=model,
                    id=record.id,
                )
            ) from error
        return record
