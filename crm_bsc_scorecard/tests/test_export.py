# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Export to Excel: the workbook read back with openpyxl against the
database, the download route and its access check, LibreOffice."""

import io
import pathlib
import shutil
import subprocess
import tempfile
import zipfile

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from ..tools import xlsx_workbook as xw
from .test_manager_view import ManagerViewCommon


@tagged("post_install", "-at_install")
class TestExport(ManagerViewCommon):
    def _workbook(self, scorecards, user=None, data_only=False):
        user = user or self.user_bsc
        # as a request of the user: in the user's language
        scorecards = scorecards.with_user(user).with_context(lang=user.lang)
        with freeze_time(f"{self.YEAR}-12-02"):
            content, filename = scorecards._export_xlsx()
        return (
            content,
            filename,
            openpyxl.load_workbook(io.BytesIO(content), data_only=data_only),
        )

    def test_workbook_sheets_and_values_against_the_database(self):
        segment = self._segment("Корпоративні клієнти: великий бізнес")
        segment_card = self._scorecard(
            "Корпоративні клієнти: великий бізнес",
            segment_id=segment.id,
            state="active",
            lines=[(self.revenue, {"target": 100.0})],
        )
        self._value(self.revenue, self.months[10], 95.0, segment_id=segment.id)
        cards = self.scorecard | segment_card
        content, filename, book = self._workbook(cards)
        self.assertTrue(filename.endswith(".xlsx"))
        # the scorecards' sheets, then the customers at risk (and, when the
        # planning addon is installed, its sheets after them)
        self.assertEqual(
            book.sheetnames[:7],
            [
                "Summary",
                "MV Company",
                "Корпоративні клієнти великий бі",
                "Channel Coverage",
                "Strategy Map",
                "Value History",
                "Customers at Risk",
            ],
        )
        cached = openpyxl.load_workbook(io.BytesIO(content), data_only=True)
        with freeze_time(f"{self.YEAR}-12-02"):
            rows = cards._score_rows()
        for scorecard, sheet in (
            (self.scorecard, "MV Company"),
            (segment_card, book.sheetnames[2]),
        ):
            ws, values = book[sheet], cached[sheet]
            by_code = {
                values.cell(r, xw.C_CODE + 1).value: r
                for r in range(xw.ROW_FIRST + 1, values.max_row + 1)
                if values.cell(r, xw.C_CODE + 1).value
            }
            for row in rows[scorecard]:
                line, figures = row["line"], row["figures"]
                r = by_code[line.indicator_id.code]
                self.assertEqual(
                    values.cell(r, xw.C_ACTUAL + 1).value, figures["current_value"]
                )
                self.assertEqual(values.cell(r, xw.C_TARGET + 1).value, line.target)
                self.assertEqual(values.cell(r, xw.C_SCORE + 1).value, row["score"])
                self.assertTrue(ws.cell(r, xw.C_SCORE + 1).value.startswith("=IF("))
            overall = values.cell(xw.ROW_OVERALL + 1, xw.C_SCORE + 1).value
            with freeze_time(f"{self.YEAR}-12-02"):
                scorecard.invalidate_recordset()
                self.assertEqual(overall, scorecard.score)
        # the summary refers to the sheets
        self.assertEqual(book["Summary"]["D5"].value, "='MV Company'!K4")
        # sparklines of the last twelve periods
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            sheet = archive.read("xl/worksheets/sheet2.xml").decode()
        self.assertIn("x14:sparklineGroup", sheet)
        # icon sets
        rules = [
            r for rng in book["MV Company"].conditional_formatting for r in rng.rules
        ]
        self.assertIn("iconSet", [r.type for r in rules])
        # the strategy map sheet with the link evidence
        links = cached["Strategy Map"]
        self.assertEqual(links["B4"].value, "MV Keep customers")
        self.assertEqual(links["D4"].value, "MV Grow revenue")
        with freeze_time(f"{self.YEAR}-12-02"):
            _cause, _effect, evidence = self.scorecard._link_evidence()[0]
        self.assertEqual(links["G4"].value, evidence.rho)
        self.assertEqual(links["H4"].value, evidence.lag)
        # the history table: every stored value of the two scorecards
        history = book["Value History"]
        self.assertIn("ValueHistory", history.tables)
        stored = self.env["crm.bsc.indicator.value"].search_count(
            [
                ("indicator_id", "in", cards.line_ids.indicator_id.ids),
                ("company_id", "=", self.company.id),
                ("segment_id", "in", [segment.id, False]),
                ("period_id.period_type", "=", "month"),
            ]
        )
        self.assertEqual(history.max_row - 1, stored)
        # number formats per unit
        r = by_code = None
        ws = book["MV Company"]
        for row_index in range(xw.ROW_FIRST + 1, ws.max_row + 1):
            if ws.cell(row_index, xw.C_CODE + 1).value == "mv_retention":
                self.assertIn('"%"', ws.cell(row_index, xw.C_ACTUAL + 1).number_format)

    def test_running_period_exports_the_pro_rated_target(self):
        self.scorecard.period_id = self.months[11]
        _content, _name, book = self._workbook(self.scorecard, data_only=True)
        ws = book["MV Company"]
        for r in range(xw.ROW_FIRST + 1, ws.max_row + 1):
            if ws.cell(r, xw.C_CODE + 1).value == "mv_revenue":
                self.assertAlmostEqual(ws.cell(r, xw.C_TARGET + 1).value, 20.0)
                self.assertIn("310", ws.cell(r, xw.C_NOTE + 1).value)
        self.assertIn("31", ws.cell(xw.ROW_NOTE + 1, 1).value)

    def test_workbook_holds_only_what_the_user_reads(self):
        other = self._scorecard("MV Other company", company_id=self.company_2.id)
        with self.assertRaises(AccessError):
            (self.scorecard | other).with_user(self.user_bsc)._export_xlsx()
        with self.assertRaises(AccessError):
            self.scorecard.with_user(self.user_salesman)._export_xlsx()

    def test_persian_user_gets_right_to_left_sheets(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        self.user_bsc.lang = "fa_IR"
        content, _name, _book = self._workbook(self.scorecard)
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            sheet = archive.read("xl/worksheets/sheet2.xml").decode()
        self.assertIn('rightToLeft="1"', sheet)

    def test_libreoffice_opens_the_workbook(self):
        """The workbook converts headless with LibreOffice (no repair)."""
        exe = shutil.which("soffice") or shutil.which("libreoffice")
        if not exe:
            self.skipTest(
                "SKIPPED: LibreOffice is not installed, the workbook was not "
                "converted (setup/test.sh installs it as root)"
            )
        content, _name, _book = self._workbook(self.scorecard)
        folder = pathlib.Path(tempfile.mkdtemp(prefix="crm_bsc_export_"))
        try:
            source = folder / "scorecards.xlsx"
            source.write_bytes(content)
            profile = folder / "profile"
            result = subprocess.run(
                [
                    exe,
                    f"-env:UserInstallation={profile.as_uri()}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(folder),
                    str(source),
                ],
                capture_output=True,
                text=True,
                timeout=180,
                check=False,
            )
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertTrue((folder / "scorecards.pdf").stat().st_size > 1000)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def test_action_downloads_through_the_route(self):
        action = self.scorecard.with_user(self.user_bsc).action_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(action["target"], "download")
        self.assertEqual(
            action["url"], f"/crm_bsc_scorecard/export/xlsx?ids={self.scorecard.id}"
        )


@tagged("post_install", "-at_install")
class TestExportRoute(HttpCase):
    def test_route_checks_access(self):
        scorecard = self.env["crm.bsc.scorecard"].create({"name": "Route Scorecard"})
        other_company = self.env["res.company"].create({"name": "Route Other Co"})
        hidden = self.env["crm.bsc.scorecard"].create(
            {"name": "Route Hidden", "company_id": other_company.id}
        )
        self.authenticate("admin", "admin")
        response = self.url_open(f"/crm_bsc_scorecard/export/xlsx?ids={scorecard.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response.headers["Content-Type"])
        self.assertIn("attachment", response.headers["Content-Disposition"])
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertIn("Route Scorecard", book.sheetnames)
        # a salesman without the scorecard group
        self.env["res.users"].create(
            {
                "name": "Route Salesman",
                "login": "route_salesman",
                "password": "route_salesman",
                "groups_id": [
                    (6, 0, [self.env.ref("sales_team.group_sale_salesman").id])
                ],
            }
        )
        self.authenticate("route_salesman", "route_salesman")
        response = self.url_open(f"/crm_bsc_scorecard/export/xlsx?ids={scorecard.id}")
        self.assertEqual(response.status_code, 403)
        self.authenticate("admin", "admin")
        # admin is not in the other company: its scorecard is refused
        response = self.url_open(f"/crm_bsc_scorecard/export/xlsx?ids={hidden.id}")
        self.assertEqual(response.status_code, 403)
        response = self.url_open("/crm_bsc_scorecard/export/xlsx?ids=x")
        self.assertEqual(response.status_code, 400)
