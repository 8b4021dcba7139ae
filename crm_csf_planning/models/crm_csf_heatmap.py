# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from ..tools import health as health_tools
from .crm_csf import LEVELS


class CrmCsfHeatmap(models.AbstractModel):
    _name = "crm.csf.heatmap"
    _description = "Critical Success Factor Heatmaps"

    @api.model
    def _cell(self, csfs):
        scored = [c.health for c in csfs if c.health_status != health_tools.NO_DATA]
        mean = sum(scored) / len(scored) if scored else None
        return {
            "count": len(csfs),
            "health": round(mean, 1) if mean is not None else None,
            "status": health_tools.status(mean) if csfs else "empty",
            "gaps": len(csfs.filtered("has_measurement_gap")),
            "ids": csfs.ids,
        }

    @api.model
    def _data(self, csfs):
        """The two heatmaps of ``csfs``: categories × levels (how many
        factors, their mean health, how many have a measurement gap; an
        empty cell is a level where nothing is planned) and factors ×
        building blocks (which block each factor develops, coloured by its
        health; a block no factor develops stands out)."""
        levels = dict(
            self.env["crm.csf"]._fields["level"]._description_selection(self.env)
        )
        categories = self.env["crm.csf.category"].search([]) | csfs.category_id
        blocks = self.env["crm.building.block"].search([])
        level_rows = []
        for category in categories.sorted(lambda c: (c.sequence, c.id)):
            in_category = csfs.filtered(lambda c, cat=category: c.category_id == cat)
            level_rows.append(
                {
                    "id": category.id,
                    "name": category.name,
                    "cells": [
                        self._cell(
                            in_category.filtered(lambda c, code=code: c.level == code)
                        )
                        for code, _label in LEVELS
                    ],
                }
            )
        block_rows = []
        for csf in csfs.sorted(lambda c: (c.level_rank, c.sequence, c.id)):
            block_rows.append(
                {
                    "id": csf.id,
                    "name": csf.display_name,
                    "level": levels.get(csf.level),
                    "status": csf.health_status,
                    "health": csf.health
                    if csf.health_status != health_tools.NO_DATA
                    else None,
                    "gap": csf.has_measurement_gap,
                    "blocks": [
                        block.id in csf.building_block_ids.ids for block in blocks
                    ],
                }
            )
        return {
            "levels": [{"code": code, "label": levels[code]} for code, _l in LEVELS],
            "level_rows": level_rows,
            "blocks": [
                {
                    "id": block.id,
                    "name": block.name,
                    "count": len(
                        csfs.filtered(lambda c, b=block: b in c.building_block_ids)
                    ),
                }
                for block in blocks
            ],
            "block_rows": block_rows,
        }
