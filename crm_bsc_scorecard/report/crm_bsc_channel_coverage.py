# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models, tools
from odoo.tools import SQL


class CrmBscChannelCoverage(models.Model):
    """Indicators x contact channels: which channel no indicator watches."""

    _name = "crm.bsc.channel.coverage"
    _description = "Scorecard Channel Coverage"
    _auto = False
    _order = "indicator_id, channel_id"

    indicator_id = fields.Many2one("crm.bsc.indicator", readonly=True)
    channel_id = fields.Many2one("crm.contact.channel", readonly=True)
    perspective_id = fields.Many2one("crm.bsc.perspective", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    watched = fields.Integer(
        readonly=True,
        aggregator="sum",
        string="Watching Indicators",
        help="1 when the indicator watches the channel, else 0; summed, the "
        "number of indicators watching a channel.",
    )
    is_watched = fields.Boolean(readonly=True, string="Watched")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %s AS (
                    SELECT
                        row_number() OVER (ORDER BY i.id, c.id) AS id,
                        i.id AS indicator_id,
                        c.id AS channel_id,
                        i.perspective_id AS perspective_id,
                        i.company_id AS company_id,
                        (rel.indicator_id IS NOT NULL)::int AS watched,
                        rel.indicator_id IS NOT NULL AS is_watched
                    FROM crm_bsc_indicator i
                    CROSS JOIN crm_contact_channel c
                    LEFT JOIN crm_bsc_indicator_channel_rel rel
                        ON rel.indicator_id = i.id AND rel.channel_id = c.id
                    WHERE i.active AND c.active
                      AND (c.company_id IS NULL OR i.company_id IS NULL
                           OR c.company_id = i.company_id)
                )
                """,
                SQL.identifier(self._table),
            )
        )
