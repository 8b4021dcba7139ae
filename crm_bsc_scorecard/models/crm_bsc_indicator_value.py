# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..engine import storage
from . import bsc_guards

STATUSES = [
    ("on_track", "On Track"),
    ("warning", "Warning"),
    ("critical", "Critical"),
    ("no_data", "No Data"),
    ("unscored", "Not Scored"),
]
# The dimensions that, with the indicator, the period and the company, make
# the unique key of a value. An empty dimension means "all".
KEY_DIMENSIONS = ("segment_id", "channel_id", "user_id", "team_id")
KEY_FIELDS = ("indicator_id", "period_id", "company_id", *KEY_DIMENSIONS)
# What whoever enters a value gives: the number (or its absence) and a note.
ENTRY_FIELDS = ("value", "has_value", "note")
# What the addon derives on the server, whatever a client sends: the target,
# score and status from the scorecard line, who set the value and when, how.
DERIVED_FIELDS = (
    "target",
    "score",
    "status",
    "source",
    "compute_token",
    "set_by_id",
    "set_date",
)


class CrmBscIndicatorValue(models.Model):
    _name = "crm.bsc.indicator.value"
    _description = "Scorecard Indicator Value"
    _order = "date_from desc, indicator_id, id"
    _rec_name = "indicator_id"

    # indexed by the unique key (indicator, period, company, ...)
    indicator_id = fields.Many2one(
        "crm.bsc.indicator", required=True, ondelete="cascade"
    )
    period_id = fields.Many2one(
        "crm.bsc.period", required=True, index=True, ondelete="restrict"
    )
    # read from the period and the indicator (joined in SQL when grouped,
    # filtered or sorted by): not copied on every value
    period_type = fields.Selection(
        related="period_id.period_type", string="Granularity"
    )
    date_from = fields.Date(related="period_id.date_from", string="Period Start")
    period_state = fields.Selection(related="period_id.state", string="Period State")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    segment_id = fields.Many2one(
        "crm.customer.segment",
        index="btree_not_null",
        ondelete="cascade",
        help="Empty: all customers.",
    )
    channel_id = fields.Many2one(
        "crm.contact.channel",
        index="btree_not_null",
        ondelete="cascade",
        help="Empty: all channels.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        index="btree_not_null",
        ondelete="cascade",
        help="Empty: all salespeople.",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        index="btree_not_null",
        ondelete="cascade",
        help="Empty: all sales teams.",
    )
    has_value = fields.Boolean(
        string="Has Data",
        default=True,
        help="Unset when the value could not be obtained; the note says why.",
    )
    value = fields.Float(aggregator="avg", digits=(16, 4))
    target = fields.Float(
        readonly=True,
        aggregator="avg",
        help="The target of the scorecard line when the value was set.",
    )
    score = fields.Float(
        readonly=True,
        aggregator="avg",
        help="Score 0-100 against the target when the value was set; empty "
        "without data.",
    )
    status = fields.Selection(STATUSES, readonly=True, default="no_data")
    note = fields.Char(help="Why there is no data, or a comment on the value.")
    source = fields.Selection(
        [
            ("manual", "Entered by hand"),
            ("computed", "Computed"),
            ("import", "Imported"),
        ],
        required=True,
        default="manual",
        readonly=True,
    )
    set_by_id = fields.Many2one("res.users", readonly=True)
    compute_token = fields.Char(
        readonly=True, copy=False, help="Technical: the computation run that wrote it."
    )
    set_date = fields.Datetime(string="Set On", readonly=True)
    perspective_id = fields.Many2one(
        related="indicator_id.perspective_id", string="Perspective"
    )
    objective_id = fields.Many2one(
        related="indicator_id.objective_id", string="Objective"
    )
    unit = fields.Selection(related="indicator_id.unit")
    indicator_computation = fields.Selection(
        related="indicator_id.computation", string="Value From"
    )

    def init(self):
        # Copies of the period's and the indicator's fields that earlier
        # versions stored on every value: each foreign key among them cost a
        # check per value written.
        self.env.cr.execute(
            SQL(
                """
                ALTER TABLE crm_bsc_indicator_value
                    DROP COLUMN IF EXISTS perspective_id,
                    DROP COLUMN IF EXISTS objective_id,
                    DROP COLUMN IF EXISTS date_from,
                    DROP COLUMN IF EXISTS period_type
                """
            )
        )
        # Indexes of earlier versions that only slowed the bulk writes down
        # (the unique key covers the indicator; the breakdowns are indexed
        # where they are set): dropped, the breakdowns' re-created partial.
        self.env.cr.execute(
            SQL(
                """
                SELECT indexname FROM pg_indexes
                 WHERE tablename = 'crm_bsc_indicator_value'
                   AND (indexname IN ('crm_bsc_indicator_value__indicator_id_index',
                                      'crm_bsc_indicator_value__company_id_index')
                        OR (indexname IN ('crm_bsc_indicator_value__segment_id_index',
                                          'crm_bsc_indicator_value__channel_id_index',
                                          'crm_bsc_indicator_value__user_id_index',
                                          'crm_bsc_indicator_value__team_id_index')
                            AND indexdef NOT LIKE '%%WHERE%%'))
                """
            )
        )
        for (name,) in self.env.cr.fetchall():
            self.env.cr.execute(SQL("DROP INDEX %s", SQL.identifier(name)))
        # One value per key; empty dimensions compare equal ("all").
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS crm_bsc_indicator_value_key
                ON crm_bsc_indicator_value (
                    indicator_id, period_id, company_id,
                    COALESCE(segment_id, 0), COALESCE(channel_id, 0),
                    COALESCE(user_id, 0), COALESCE(team_id, 0))
                """
            )
        )

    # ------------------------------------------------------------------
    # Guards
    # ------------------------------------------------------------------
    def _check_open_periods(self, periods, indicators):
        closed = periods.filtered(lambda p: p.state == "closed")
        if closed:
            raise UserError(
                _(
                    "The period %(period)s is closed: the values of "
                    "%(indicators)s in it cannot change.",
                    period=closed[0].name,
                    indicators=", ".join(indicators.mapped("display_name")[:5]),
                )
            )

    def _check_manual(self, indicators):
        computed = indicators.filtered(lambda i: i.computation != "manual")
        if computed:
            raise UserError(
                _(
                    "The values of %(indicator)s are computed (%(method)s): they "
                    "cannot be entered by hand. Set its 'Value From' to Manual "
                    "first.",
                    indicator=computed[0].display_name,
                    method=dict(
                        computed[0]
                        ._fields["computation"]
                        ._description_selection(self.env)
                    )[computed[0].computation],
                )
            )

    def _key(self):
        self.ensure_one()
        return (
            self.indicator_id.id,
            self.period_id.id,
            self.company_id.id,
            *(self[name].id or 0 for name in KEY_DIMENSIONS),
        )

    def _check_unique_keys(self):
        keys = [record._key() for record in self]
        if len(keys) != len(set(keys)):
            twin = next(
                r for r, key in zip(self, keys, strict=True) if keys.count(key) > 1
            )
            raise ValidationError(
                _(
                    "Two values of %(indicator)s for the period %(period)s have "
                    "the same dimensions (segment %(segment)s, channel %(channel)s).",
                    indicator=twin.indicator_id.display_name,
                    period=twin.period_id.name,
                    segment=twin.segment_id.display_name or _("all"),
                    channel=twin.channel_id.display_name or _("all"),
                )
            )
        for record in self:
            domain = [
                ("id", "!=", record._origin.id or 0),
                ("indicator_id", "=", record.indicator_id.id),
                ("period_id", "=", record.period_id.id),
                ("company_id", "=", record.company_id.id),
            ] + [(name, "=", record[name].id) for name in KEY_DIMENSIONS]
            # sudo: a twin the user cannot read still takes the key; the
            # message names only the user's own value
            if self.sudo().search_count(domain, limit=1):
                raise ValidationError(
                    _(
                        "%(indicator)s already has a value for the period %(period)s "
                        "with these dimensions (segment %(segment)s, channel "
                        "%(channel)s).",
                        indicator=record.indicator_id.display_name,
                        period=record.period_id.name,
                        segment=record.segment_id.display_name or _("all"),
                        channel=record.channel_id.display_name or _("all"),
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def _check_writable_fields(self, vals, creating):
        """Refuse what a client may not give: fields that are neither entered
        nor part of the key (the related and computed ones), and, after
        creation, a new key from anyone but a scorecard manager."""
        allowed = set(ENTRY_FIELDS) | set(KEY_FIELDS) | set(DERIVED_FIELDS)
        other = sorted(set(vals) - allowed)
        if other:
            raise UserError(
                _(
                    "The field %(field)s of an indicator value cannot be set: it "
                    "is read from the indicator, the period or the scorecard.",
                    field=self._fields[other[0]]._description_string(self.env)
                    if other[0] in self._fields
                    else other[0],
                )
            )
        moved = set(KEY_FIELDS) & set(vals)
        if (
            not creating
            and moved
            and not bsc_guards.has_group(self, bsc_guards.GROUP_MANAGER)
        ):
            raise AccessError(
                _(
                    "Only a scorecard manager can move the value of %(indicator)s "
                    "to another %(field)s: enter a number and a note, or create "
                    "a value for the other key.",
                    indicator=", ".join(self.indicator_id.mapped("display_name")[:3]),
                    field=self._fields[min(moved)]._description_string(self.env),
                )
            )

    def _derived_vals(self, vals, creating):
        """``vals`` without what the addon derives, plus who set the value
        and when (on create, and when the number changes)."""
        vals = {name: item for name, item in vals.items() if name not in DERIVED_FIELDS}
        if creating or {"value", "has_value"} & set(vals):
            vals["set_by_id"] = self.env.uid
            vals["set_date"] = fields.Datetime.now()
        if creating:
            vals["source"] = (
                "import" if self.env.context.get("import_file") else "manual"
            )
        return vals

    def _company_vals(self, vals):
        """The value's company is its period's: given or not, it follows it."""
        period = self.env["crm.bsc.period"].browse(vals.get("period_id"))
        if not period:
            return vals
        company_id = period.company_id.id
        if vals.get("company_id") and vals["company_id"] != company_id:
            raise ValidationError(
                _(
                    "The period %(period)s belongs to %(company)s: a value in it "
                    "belongs to that company too.",
                    period=period.display_name,
                    company=period.company_id.display_name,
                )
            )
        return dict(vals, company_id=company_id)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_writable_fields(vals, creating=True)
        bsc_guards.check_numbers(self, vals_list)
        vals_list = [
            self._company_vals(self._derived_vals(vals, creating=True))
            for vals in vals_list
        ]
        periods = self.env["crm.bsc.period"].browse(
            [vals.get("period_id") for vals in vals_list if vals.get("period_id")]
        )
        indicators = self.env["crm.bsc.indicator"].browse(
            [vals.get("indicator_id") for vals in vals_list if vals.get("indicator_id")]
        )
        self._check_open_periods(periods, indicators)
        self._check_manual(indicators)
        # check the keys before inserting, for a clear message (two new values
        # of one key included); the unique index still guards against
        # concurrent inserts
        self.browse().concat(
            *(self.new(vals) for vals in vals_list)
        )._check_unique_keys()
        records = super().create(vals_list)
        records._check_key_companies()
        records._snapshot_scores()
        return records

    def write(self, vals):
        self._check_writable_fields(vals, creating=False)
        bsc_guards.check_numbers(self, [vals], self)
        vals = self._derived_vals(vals, creating=False)
        if "period_id" in vals:
            vals = self._company_vals(vals)
        self._check_open_periods(self.period_id, self.indicator_id)
        self._check_manual(
            self.indicator_id
            | self.env["crm.bsc.indicator"].browse(vals.get("indicator_id"))
        )
        if "period_id" in vals:
            self._check_open_periods(
                self.env["crm.bsc.period"].browse(vals["period_id"]), self.indicator_id
            )
        key_fields = set(KEY_FIELDS)
        if key_fields & set(vals):
            # check the new keys before writing: the unique index would refuse
            # them at the flush, with an unclear message
            key_vals = {name: vals[name] for name in key_fields & set(vals)}
            self.browse().concat(
                *(self.new(key_vals, origin=record) for record in self)
            )._check_unique_keys()
        result = super().write(vals)
        if key_fields & set(vals):
            self._check_key_companies()
        # a new value (or key) is scored against today's target; other
        # changes (a note) keep the snapshot of the time the value was set
        if {"value", "has_value", *key_fields} & set(vals):
            self._snapshot_scores()
        return result

    def _check_key_companies(self):
        """A value's indicator, segment and channel are its company's or
        shared, and its company is its period's."""
        for value in self:
            company = value.company_id
            if value.period_id.company_id != company:
                raise ValidationError(
                    _(
                        "The period %(period)s belongs to %(period_company)s, not "
                        "to %(company)s, the company of the value of %(indicator)s.",
                        period=value.period_id.name,
                        period_company=value.period_id.company_id.name,
                        company=company.name,
                        indicator=value.indicator_id.display_name,
                    )
                )
            for name in ("indicator_id", "segment_id", "channel_id"):
                other = value[name].company_id
                if other and other != company:
                    raise ValidationError(
                        _(
                            "The value of %(indicator)s belongs to %(company)s: "
                            "its %(field)s cannot be one of another company.",
                            indicator=value.indicator_id.display_name,
                            company=company.name,
                            field=self._fields[name]._description_string(self.env),
                        )
                    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed_period(self):
        self._check_open_periods(self.period_id, self.indicator_id)

    @api.model
    def _check_no_frozen_values(self, field_name, records):
        """Refuse to delete ``records`` while values of a closed period point at
        them through ``field_name``: the database would delete those values."""
        # sudo: values of every company count (a shared record is deleted for
        # all of them); the message names only what the user can read
        frozen = self.sudo().search(
            [(field_name, "in", records.ids), ("period_id.state", "=", "closed")],
            limit=1,
        )
        if frozen:
            raise UserError(
                _(
                    "%(record)s has values in the closed period %(period)s: it "
                    "cannot be deleted. Archive it instead.",
                    record=bsc_guards.readable_name(
                        self, frozen[field_name], _("This record")
                    ),
                    period=bsc_guards.readable_name(
                        self, frozen.period_id, _("of another company")
                    ),
                )
            )

    # ------------------------------------------------------------------
    # Target and score at the time the value is set
    # ------------------------------------------------------------------
    def _snapshot_scores(self):
        """Store target, score and status from the governing scorecard line.

        The governing line is the one of the company's active (else draft)
        scorecard of the value's segment and granularity. Values per
        channel are scored against the line's target, values per
        salesperson or team are not (engine/storage.line_score). Missing
        values and scores are stored as NULL, not 0, so that averages skip
        them.
        """
        if not self:
            return
        # pending ORM writes would otherwise land after the UPDATE below
        self.flush_recordset()
        Line = self.env["crm.bsc.scorecard.line"]
        lines = Line._governing_lines(
            {
                (v.company_id.id, v.segment_id.id, v.period_type, v.indicator_id.id)
                for v in self
            }
        )
        rows = []
        for value in self:
            line = lines.get(
                (
                    value.company_id.id,
                    value.segment_id.id,
                    value.period_type,
                    value.indicator_id.id,
                )
            )
            number = value.value if value.has_value else None
            # the one scoring path, that of the computed values too
            target, score, status = storage.line_score(
                line, number, value.user_id.id, value.team_id.id
            )
            rows.append(
                SQL("(%s, %s, %s, %s, %s)", value.id, number, target, score, status)
            )
        self.env.cr.execute(
            SQL(
                """
                UPDATE crm_bsc_indicator_value AS v
                   SET value = data.value::numeric, target = data.target::numeric,
                       score = data.score::numeric, status = data.status
                  FROM (VALUES %s) AS data(id, value, target, score, status)
                 WHERE v.id = data.id
                """,
                SQL(", ").join(rows),
            )
        )
        self.invalidate_recordset(["value", "target", "score", "status"])
