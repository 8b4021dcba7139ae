# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Aggregate indicators: a count, sum, average, minimum or maximum of any
model's records (domain, date field, dimension paths), per period."""

from odoo.tools import SQL

from ..tools import engine as engine_tools
from . import sql
from .family import Query

# the aggregate of each measure; those that combine from partial results
# say how (see sql.grouped_select)
MEASURES = {
    "count": (SQL("count(*)"), "sum"),
    "count_distinct": SQL("count(DISTINCT f.x)"),
    "sum": (SQL("COALESCE(sum(f.x), 0)"), "sum"),
    "avg": SQL("avg(f.x)"),
    "min": (SQL("min(f.x)"), "min"),
    "max": (SQL("max(f.x)"), "max"),
}


def path_sql(env, model, alias, path, query):
    """SQL of a dotted many2one path (partner_id.customer_segment_id),
    joining each step; NULL for an empty path."""
    if not path:
        return SQL("NULL::int")
    names = path.split(".")
    for name in names[:-1]:
        field_ = model._fields[name]
        comodel = env[field_.comodel_name]
        next_alias = query.make_alias(alias, name)
        query.add_join(
            "LEFT JOIN",
            next_alias,
            comodel._table,
            SQL(
                "%s = %s",
                model._field_to_sql(alias, name, query),
                SQL.identifier(next_alias, "id"),
            ),
        )
        model, alias = comodel, next_alias
    return model._field_to_sql(alias, names[-1], query)


def aggregate_query(indicator, request):
    """The Query of an aggregate indicator (its one measure is "agg")."""
    env, scope = request.env, request.scope
    # sudo: an indicator counts every record of its company (the company
    # path restricts them), whoever computes it; the model was one its
    # author could read when it was saved, and only numbers come out
    model = (
        env[indicator.agg_model_id.sudo().model].sudo().with_context(active_test=False)
    )
    domain = indicator._agg_domain_list()
    try:
        query = model._search(domain)
    except (ValueError, KeyError) as error:
        # a field of the domain that is gone: the configuration is broken
        raise engine_tools.DataError(
            f"the domain {indicator.agg_domain} cannot be searched: {error}"
        ) from error
    alias = model._table
    date_expr = model._field_to_sql(alias, indicator.agg_date_field_id.name, query)
    if indicator.agg_measure == "count":
        measure_input = SQL("1")
    else:
        measure_input = model._field_to_sql(alias, indicator.agg_field_id.name, query)
    company_path = indicator._agg_company_path()
    try:
        company_expr = path_sql(env, model, alias, company_path, query)
    except KeyError as error:
        raise engine_tools.DataError(f"the path {company_path} is broken") from error
    null = SQL("NULL::int")

    def path(name, wanted=True):
        return path_sql(env, model, alias, name, query) if wanted else null

    inner = SQL(
        "SELECT %s AS d, %s AS seg, %s AS ch, %s AS u, %s AS t, %s AS x, %s AS co "
        "FROM %s WHERE %s",
        date_expr,
        path(indicator.agg_segment_path),
        path(indicator.agg_channel_path, request.channels),
        path(indicator.agg_user_path, request.users),
        path(indicator.agg_team_path, request.users),
        measure_input,
        company_expr,
        query.from_clause,
        query.where_clause or SQL("TRUE"),
    )
    company_filter = (
        SQL("AND (r.co = %s OR r.co IS NULL)", scope.company_id)
        if company_path
        else SQL("")
    )
    base = SQL(
        """SELECT p.id AS pid, r.seg, r.ch, r.u, r.t, r.x
             FROM (%s) r
             JOIN %s ON r.d >= p.s AND r.d < p.e + 1
            WHERE r.d >= %s AND r.d < %s::date + 1 %s""",
        inner,
        sql.periods_sql(scope),
        scope.first_day,
        scope.last_day,
        company_filter,
    )
    grouped = sql.grouped_select(request, base, [MEASURES[indicator.agg_measure]])
    return Query(grouped, ("agg",))
