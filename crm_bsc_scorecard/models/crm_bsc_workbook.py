# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What every Excel workbook of the addons shares, for the exports that are
not the scorecards' (the CSF register, a maturity assessment): the frame of
the data (title, time, right to left, the translated labels, the company's
currency), writing the sheets in memory with Odoo's xlsxwriter and a file
name that every system accepts. The sheets themselves are pure writers
(tools/xlsx_workbook.build)."""

import io
import re

from odoo import api, fields, models
from odoo.tools.misc import xlsxwriter

from ..tools import xlsx_workbook


class CrmBscWorkbook(models.AbstractModel):
    _name = "crm.bsc.workbook"
    _description = "Excel Workbook of the Scorecard Addons"

    @api.model
    def _workbook_currency(self, currency):
        """The {symbol, position, digits} of ``currency`` for the builder."""
        return {
            "symbol": currency.symbol,
            "position": currency.position,
            "digits": currency.decimal_places,
        }

    @api.model
    def _workbook_frame(self, company, title):
        """The keys every workbook's data has (see xlsx_workbook.build), in
        the current user's language."""
        lang = self.env["res.lang"]._lang_get(self.env.lang or "en_US")
        return {
            "title": title,
            "generated": fields.Datetime.to_string(
                fields.Datetime.context_timestamp(self, fields.Datetime.now())
            )[:16],
            "rtl": bool(lang) and lang.direction == "rtl",
            "labels": self.env["crm.bsc.scorecard"]._xlsx_labels(),
            "currency": self._workbook_currency(company.currency_id),
        }

    @api.model
    def _workbook_content(self, data, writers):
        """The workbook's bytes: ``writers`` run over ``data`` in memory (no
        temporary file)."""
        stream = io.BytesIO()
        workbook = xlsxwriter.Workbook(stream, {"in_memory": True})
        xlsx_workbook.build(workbook, data, writers)
        workbook.close()
        return stream.getvalue()

    @api.model
    def _workbook_filename(self, *parts):
        """``parts`` joined into a file name without the characters that
        file systems refuse, ending in .xlsx."""
        text = " ".join(str(part) for part in parts if part)
        text = re.sub(r"[\\/:*?\"<>|\x00-\x1f]+", " ", text)
        text = re.sub(r"\s+", " ", text).strip() or "workbook"
        return f"{text}.xlsx"
