# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The results of a computation stored in bulk, scored.

Scoring has one path, for the values the engine stores and those entered
by hand (``crm.bsc.indicator.value._snapshot_scores``): ``line_score``.
"""

import uuid

from odoo import fields
from odoo.tools import SQL

from ..tools import engine_params, scoring
from ..tools.results import NoData

STORE_BATCH = 50000
# the columns of a stored value that vary from row to row, with their types
STORE_COLUMNS = (
    ("indicator_id", SQL("int[]")),
    ("period_id", SQL("int[]")),
    ("segment_id", SQL("int[]")),
    ("channel_id", SQL("int[]")),
    ("user_id", SQL("int[]")),
    ("team_id", SQL("int[]")),
    ("has_value", SQL("bool[]")),
    ("value", SQL("numeric[]")),
    ("target", SQL("float8[]")),
    ("score", SQL("float8[]")),
    ("status", SQL("varchar[]")),
    ("note", SQL("varchar[]")),
)
KEY_COLUMNS = ("indicator_id", "period_id", "segment_id", "channel_id", "user_id")
KEY_COLUMNS += ("team_id",)


def line_scorer(line):
    """The scoring of the values a scorecard line governs (an empty
    recordset or None: no line): value, user id, team id -> (target, score,
    status), as ``crm.bsc.scorecard.line._evaluate`` scores, with the line's
    fields read once (a run scores tens of thousands of values)."""
    if not line:
        return _unscored
    line.ensure_one()
    direction = line.direction or scoring.HIGHER
    target, target_max = line.target, line.target_max
    warning, critical = line.warning_threshold, line.critical_threshold

    def evaluate(value):
        return scoring.evaluate(direction, value, target, warning, critical, target_max)

    def score(value, user_id=None, team_id=None):
        return scoring.stored_score(value, target, evaluate, user_id, team_id)

    return score


def _unscored(value, user_id=None, team_id=None):
    return scoring.stored_score(value, None, None, user_id, team_id)


def line_score(line, value, user_id=None, team_id=None):
    """(target, score, status) of a value against its governing scorecard
    line (an empty recordset or None: no line governs it)."""
    return line_scorer(line)(value, user_id, team_id)


def store(env, scope, period_type, results, indicators):
    """Upsert the results of ``indicators`` (a subset of ``results``) for
    the open periods of the scope; remove the computed values of the scope
    that this run no longer produces. Returns the number of values computed
    (written, or kept as they were when unchanged)."""
    cr = env.cr
    cr.execute(
        SQL(
            "SELECT id FROM crm_bsc_period WHERE id = ANY(%s) AND state = 'open' "
            "FOR SHARE",
            scope.period_ids,
        )
    )
    open_ids = {row[0] for row in cr.fetchall()}
    if not open_ids:
        return 0
    lines = env["crm.bsc.scorecard.line"]._governing_lines(
        {
            (scope.company_id, segment or False, period_type, indicator.id)
            for indicator in indicators
            for segment in scope.segment_ids
        }
    )
    scorers = {}
    columns = {name: [] for name, _type in STORE_COLUMNS}
    for indicator in indicators:
        for key, (value, reason) in results[indicator].items():
            period_id, segment, channel, user, team = key
            if period_id not in open_ids:
                continue
            governing = (scope.company_id, segment or False, period_type, indicator.id)
            scorer = scorers.get(governing)
            if scorer is None:
                scorer = scorers[governing] = line_scorer(lines.get(governing))
            target, score, status = scorer(value, user, team)
            row = (
                indicator.id,
                period_id,
                segment,
                channel,
                user,
                team,
                value is not None,
                value,
                target,
                score,
                status,
                NoData.of(reason).stored() if reason else None,
            )
            for name, item in zip(columns, row, strict=True):
                columns[name].append(item)
    count = len(columns["indicator_id"])
    keys = list(
        zip(
            *([item or 0 for item in columns[name]] for name in KEY_COLUMNS),
            strict=True,
        )
    )
    stored = _stored(env, scope, indicators, open_ids)
    changed = _changed(columns, keys, stored)
    token = uuid.uuid4().hex
    now = fields.Datetime.now()
    for start in range(0, len(changed["indicator_id"]), STORE_BATCH):
        _upsert(env, scope, changed, start, token, now)
    _delete_stale(env, keys, stored)
    env["crm.bsc.indicator.value"].invalidate_model()
    return count


def _stored(env, scope, indicators, open_ids):
    """The values stored in the scope's open periods, computed or not:
    {key: (id, source, has_value, value, target, score, status, note)}, the
    key as KEY_COLUMNS with 0 for none."""
    env.cr.execute(
        SQL(
            """
            SELECT indicator_id, period_id, COALESCE(segment_id, 0),
                   COALESCE(channel_id, 0), COALESCE(user_id, 0),
                   COALESCE(team_id, 0), id, source, has_value, value, target,
                   score, status, note
              FROM crm_bsc_indicator_value
             WHERE indicator_id = ANY(%s) AND company_id = %s
               AND period_id = ANY(%s) AND COALESCE(segment_id, 0) = ANY(%s)
            """,
            [indicator.id for indicator in indicators],
            scope.company_id,
            sorted(open_ids),
            [segment or 0 for segment in scope.segment_ids],
        )
    )
    return {tuple(row[:6]): row[6:] for row in env.cr.fetchall()}


def _changed(columns, keys, stored):
    """The rows of ``columns`` that are not stored as they are (new, or
    different): only those are sent to the upsert, which checks again (a
    row kept here for a difference the database does not see is left as it
    is there)."""
    keep = []
    for index, key in enumerate(keys):
        old = stored.get(key)
        if old is None or not _same(columns, index, old):
            keep.append(index)
    if len(keep) == len(columns["indicator_id"]):
        return columns
    return {name: [items[index] for index in keep] for name, items in columns.items()}


def _same(columns, index, old):
    """Whether row ``index`` of ``columns`` is the stored value ``old``
    (see _stored) exactly, as a computed value."""
    _id, source, has_value, value, target, score, status, note = old
    if source != "computed" or has_value != columns["has_value"][index]:
        return False
    new = columns["value"][index]
    if new is None:
        if value is not None:
            return False
    elif type(new) is not float or value != new:
        # (a float is stored as its text, which reads back as the same
        # float; any other number goes to the upsert, which compares it)
        return False
    return (target, score, status, note) == (
        columns["target"][index],
        columns["score"][index],
        columns["status"][index],
        columns["note"][index],
    )


def _upsert(env, scope, columns, start, token, now):
    """Insert or update the batch of ``columns`` that begins at ``start``;
    a value that did not change is left as it is: no new row version, and
    its write date says when it last changed."""
    names = SQL(", ").join(SQL.identifier(name) for name in columns)
    arrays = SQL(", ").join(
        SQL(
            "%s::%s",
            engine_params.array_literal(columns[name][start : start + STORE_BATCH]),
            sql_type,
        )
        for name, sql_type in STORE_COLUMNS
    )
    env.cr.execute(
        SQL(
            """
            INSERT INTO crm_bsc_indicator_value AS old (
                %(names)s, company_id, compute_token, source,
                set_by_id, set_date, create_uid, create_date, write_uid,
                write_date)
            SELECT v.*, %(company)s, %(token)s, 'computed',
                   %(uid)s, %(now)s, %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM unnest(%(arrays)s) AS v(%(names)s)
            ON CONFLICT (indicator_id, period_id, company_id,
                         COALESCE(segment_id, 0), COALESCE(channel_id, 0),
                         COALESCE(user_id, 0), COALESCE(team_id, 0))
            DO UPDATE SET has_value = EXCLUDED.has_value,
                          value = EXCLUDED.value,
                          target = EXCLUDED.target,
                          score = EXCLUDED.score,
                          status = EXCLUDED.status,
                          note = EXCLUDED.note,
                          compute_token = EXCLUDED.compute_token,
                          source = 'computed',
                          set_by_id = EXCLUDED.set_by_id,
                          set_date = EXCLUDED.set_date,
                          write_uid = EXCLUDED.write_uid,
                          write_date = EXCLUDED.write_date
            WHERE (old.has_value, old.value, old.target, old.score,
                   old.status, old.note, old.source)
                  IS DISTINCT FROM
                  (EXCLUDED.has_value, EXCLUDED.value, EXCLUDED.target,
                   EXCLUDED.score, EXCLUDED.status, EXCLUDED.note,
                   'computed')
            """,
            names=names,
            arrays=arrays,
            company=scope.company_id,
            token=token,
            uid=env.uid,
            now=now,
        )
    )


def _delete_stale(env, keys, stored):
    """Delete the values of the scope computed before that this run no
    longer produces (a salesperson without data now, a channel not
    watched): ``keys`` are those it produces, ``stored`` the scope's values
    before it (see _stored)."""
    produced = set(keys)
    stale = [
        old[0]
        for key, old in stored.items()
        if old[1] == "computed" and key not in produced
    ]
    if stale:
        env.cr.execute(
            SQL("DELETE FROM crm_bsc_indicator_value WHERE id = ANY(%s)", stale)
        )
