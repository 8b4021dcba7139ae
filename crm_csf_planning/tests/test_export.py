# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Export to Excel from the planning screens: the CSF register and a
maturity assessment with its radar chart, read back with openpyxl against
the database; the same sheets in the scorecards' workbook; what the user
may read; the download route; LibreOffice opens the workbooks."""

import io
import pathlib
import shutil
import subprocess
import tempfile

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from ..tools import xlsx_planning as xp
from .common import CsfCommon


def _headers(ws, row):
    return {
        ws.cell(row, col).value: col
        for col in range(1, ws.max_column + 1)
        if ws.cell(row, col).value
    }


class ExportCommon(CsfCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ind_a = cls._manual("csf_x_retention", name="X Retention", unit="percent")
        cls.ind_b = cls._manual(
            "csf_x_visits", name="X Visits", indicator_type="leading"
        )
        cls.scorecard = cls._scorecard(
            "X Scorecard",
            state="active",
            lines=[
                (
                    cls.ind_a,
                    {
                        "target": 90.0,
                        "warning_threshold": 85.0,
                        "critical_threshold": 75.0,
                    },
                )
            ],
        )
        cls.jan, cls.feb = cls._months(cls.YEAR, 1, 2)
        cls._value(cls.ind_a, cls.jan, 88.0)
        cls._value(cls.ind_a, cls.feb, 80.0)
        cls._value(cls.ind_b, cls.feb, 45.0)
        cls.enterprise = cls._csf(
            "X Know the customer",
            code="XK",
            lines=[(cls.ind_a, {})],
            owner_id=cls.user_bsc.id,
            budget=2500.0,
            fte=1.5,
        )
        cls.department = cls._csf(
            "X Clean data",
            "department",
            cls.enterprise,
            lines=[(cls.ind_b, {"has_own_target": True, "own_target": 50.0})],
        )
        cls.overdue = cls._action(
            cls.enterprise,
            "X Call the lapsed customers",
            user_id=cls.user_bsc.id,
            date_deadline=f"{cls.YEAR}-01-15",
        )
        cls.done = cls._action(
            cls.enterprise,
            "X Survey",
            state="done",
            date_done=f"{cls.YEAR}-02-01",
            indicator_ids=[Command.set(cls.ind_a.ids)],
        )
        cls.other_company = cls._csf(
            "X Other company factor",
            company_id=cls.company_2.id,
            lines=[],
        )
        (cls.enterprise | cls.department)._refresh_health()
        Assessment = cls.env["crm.maturity.assessment"]
        assessors = cls.user_bsc | cls.user_bsc_2
        cls.previous = Assessment.create(
            {
                "name": "X Previous",
                "date": f"{cls.YEAR}-01-10",
                "assessor_ids": [Command.set(assessors.ids)],
            }
        )
        cls.previous.action_start()
        cls.previous.rating_ids.level = 2
        cls.previous.action_done()
        cls.assessment = Assessment.create(
            {
                "name": "X Оцінка зрілості CRM: березень",
                "date": f"{cls.YEAR}-03-10",
                "assessor_ids": [Command.set(assessors.ids)],
            }
        )
        cls.assessment.action_start()
        for rating in cls.assessment.rating_ids:
            rating.level = 3 if rating.assessor_id == cls.user_bsc else 4
        cls.vision = cls.assessment.line_ids.filtered(
            lambda line: line.block_id.code == "vision"
        )
        cls.vision.rating_ids.filtered(
            lambda r: r.assessor_id == cls.user_bsc
        ).level = 1
        cls.vision.target_level = 5
        cls.vision.action_ids = cls.overdue

    def _export(self, records, user=None):
        user = user or self.user_bsc
        content, filename = (
            records.with_user(user).with_context(lang=user.lang)._export_xlsx()
        )
        return (
            content,
            filename,
            openpyxl.load_workbook(io.BytesIO(content)),
            openpyxl.load_workbook(io.BytesIO(content), data_only=True),
        )


@tagged("post_install", "-at_install")
class TestPlanningExport(ExportCommon):
    def test_register_against_the_database(self):
        factors = self.enterprise | self.department
        _content, filename, book, _cached = self._export(factors)
        self.assertEqual(filename, "Critical Success Factors.xlsx")
        self.assertEqual(
            book.sheetnames,
            ["Success Factors", "Success Factor Indicators", "Action Plans"],
        )
        ws = book["Success Factors"]
        header_row = xp.REGISTER_HEADER_ROW + 1
        headers = _headers(ws, header_row)
        first = header_row + 1
        # the tree: the department under the enterprise factor, indented
        self.assertEqual(
            ws.cell(first, headers["Success factor"]).value, self.enterprise.name
        )
        self.assertEqual(
            ws.cell(first + 1, headers["Success factor"]).value, self.department.name
        )
        self.assertEqual(
            ws.cell(first + 1, headers["Success factor"]).alignment.indent, 1
        )
        self.assertEqual(
            ws.cell(first + 1, headers["Serves"]).value, self.enterprise.name
        )
        for row, csf in ((first, self.enterprise), (first + 1, self.department)):
            self.assertAlmostEqual(ws.cell(row, headers["Health"]).value, csf.health)
            self.assertEqual(
                ws.cell(row, headers["Health status"]).value,
                dict(csf._fields["health_status"]._description_selection(self.env))[
                    csf.health_status
                ],
            )
        self.assertEqual(ws.cell(first, headers["Budget"]).value, 2500.0)
        self.assertEqual(ws.cell(first, headers["People (FTE)"]).value, 1.5)
        self.assertEqual(ws.cell(first, headers["Overdue actions"]).value, 1)
        self.assertEqual(ws.cell(first, headers["Owner"]).value, self.user_bsc.name)
        indicators = book["Success Factor Indicators"]
        headers = _headers(indicators, 1)
        lines = {
            indicators.cell(row, headers["Code"]).value: row
            for row in range(2, indicators.max_row + 1)
        }
        for line in (self.enterprise | self.department).indicator_line_ids:
            row = lines[line.indicator_id.code]
            self.assertEqual(indicators.cell(row, headers["Value"]).value, line.value)
            self.assertEqual(indicators.cell(row, headers["Target"]).value, line.target)
            self.assertAlmostEqual(
                indicators.cell(row, headers["Score"]).value, line.score
            )
            self.assertEqual(
                indicators.cell(row, headers["Period"]).value,
                line.value_period_id.name,
            )
        retention = lines["csf_x_retention"]
        self.assertEqual(indicators.cell(retention, headers["Value"]).value, 80.0)
        self.assertIn('"%"', indicators.cell(retention, headers["Value"]).number_format)
        actions = book["Action Plans"]
        headers = _headers(actions, 1)
        by_name = {
            actions.cell(row, headers["What"]).value: row
            for row in range(2, actions.max_row + 1)
        }
        overdue = by_name[self.overdue.name]
        self.assertEqual(actions.cell(overdue, headers["Overdue"]).value, "⚠")
        self.assertEqual(
            actions.cell(overdue, headers["By when"]).value.date(),
            self.overdue.date_deadline,
        )
        done = by_name[self.done.name]
        self.assertIsNone(actions.cell(done, headers["Overdue"]).value)
        self.assertEqual(
            actions.cell(done, headers["Did it work?"]).value,
            dict(self.done._fields["effect_verdict"]._description_selection(self.env))[
                self.done.effect_verdict
            ],
        )
        self.assertEqual(
            actions.cell(done, headers["Targeted indicators"]).value,
            self.ind_a.display_name,
        )

    def test_assessment_against_the_database(self):
        _content, filename, book, cached = self._export(self.assessment)
        self.assertTrue(filename.endswith(".xlsx"))
        self.assertNotIn(":", filename)
        # a valid sheet name for a Ukrainian title (the colon removed)
        self.assertEqual(book.sheetnames, ["X Оцінка зрілості CRM березень"])
        ws, values = book.worksheets[0], cached.worksheets[0]
        header = xp.M_ROW_HEADER + 1
        assessors = self.assessment.assessor_ids.sorted(lambda u: (u.name, u.id))
        self.assertEqual(
            [
                ws.cell(header, xp.M_RATINGS + 1 + i).value
                for i in range(len(assessors))
            ],
            assessors.mapped("name"),
        )
        rows = {
            values.cell(row, xp.M_CODE + 1).value: row
            for row in range(header + 1, header + 1 + len(self.assessment.line_ids))
        }
        previous = {
            line.block_id.code: line.mean_rating for line in self.previous.line_ids
        }
        for line in self.assessment.line_ids:
            row = rows[line.block_code]
            self.assertTrue(ws.cell(row, xp.M_CURRENT + 1).value.startswith("="))
            self.assertAlmostEqual(
                values.cell(row, xp.M_CURRENT + 1).value, line.mean_rating, places=2
            )
            self.assertEqual(values.cell(row, xp.M_TARGET + 1).value, line.target_level)
            self.assertAlmostEqual(
                values.cell(row, xp.M_GAP + 1).value, line.gap, places=2
            )
            self.assertEqual(
                values.cell(row, xp.M_PREVIOUS + 1).value, previous[line.block_code]
            )
            self.assertEqual(values.cell(row, xp.M_COUNT + 1).value, line.rating_count)
            self.assertEqual(values.cell(row, xp.M_SPREAD + 1).value, line.spread)
            ratings = {r.assessor_id: r.level for r in line.rating_ids}
            for index, user in enumerate(assessors):
                self.assertEqual(
                    values.cell(row, xp.M_RATINGS + 1 + index).value, ratings[user]
                )
        vision = rows["vision"]
        self.assertEqual(values.cell(vision, xp.M_CURRENT + 1).value, 2.5)
        self.assertEqual(values.cell(vision, xp.M_DISAGREE + 1).value, "⚠")
        self.assertIn(self.overdue.name, values.cell(vision, xp.M_ACTIONS + 1).value)
        # the evidence measured from the data, signal by signal
        metrics = self.assessment.line_ids.filtered(
            lambda line: line.block_id.code == "metrics"
        )
        self.assertTrue(metrics.signal_ids)
        evidence = values.cell(rows["metrics"], xp.M_EVIDENCE + 1).value
        for signal in metrics.signal_ids:
            self.assertIn(signal.display_value, evidence)
        overall = xp.M_ROW_OVERALL + 1
        self.assertAlmostEqual(
            values.cell(overall, xp.M_CURRENT + 1).value,
            self.assessment.overall_level,
            places=2,
        )
        self.assertAlmostEqual(
            values.cell(overall, xp.M_TARGET + 1).value,
            self.assessment.overall_target,
            places=2,
        )
        self.assertAlmostEqual(
            values.cell(overall, xp.M_PREVIOUS + 1).value,
            self.previous.overall_level,
            places=2,
        )
        # the radar chart: current, target and previous levels of each block
        charts = ws._charts
        self.assertEqual(len(charts), 1)
        self.assertEqual(type(charts[0]).__name__, "RadarChart")
        self.assertEqual(
            [series.tx.v for series in charts[0].series],
            ["Current", "Target", "Previous"],
        )
        target_ref = charts[0].series[1].val.numRef.f
        letter = xp.col_name(xp.M_TARGET)
        self.assertTrue(
            target_ref.endswith(
                f"!${letter}${header + 1}:${letter}${header + len(rows)}"
            ),
            target_ref,
        )

    def test_only_what_the_user_reads(self):
        # another company's factor, or a user without the scorecard group
        with self.assertRaises(AccessError):
            self.other_company.with_user(self.user_bsc)._export_xlsx()
        with self.assertRaises(AccessError):
            self.enterprise.with_user(self.user_manager_2)._export_xlsx()
        with self.assertRaises(AccessError):
            self.enterprise.with_user(self.user_employee)._export_xlsx()
        with self.assertRaises(AccessError):
            self.assessment.with_user(self.user_manager_2)._export_xlsx()
        with self.assertRaises(AccessError):
            self.assessment.with_user(self.user_salesman)._export_xlsx()

    def test_the_scorecards_workbook_holds_the_planning_sheets(self):
        _content, _name, book, cached = self._export(self.scorecard)
        self.assertIn("Success Factors", book.sheetnames)
        self.assertIn("Action Plans", book.sheetnames)
        register = book["Success Factors"]
        names = [
            register.cell(row, 2).value
            for row in range(xp.REGISTER_HEADER_ROW + 2, register.max_row + 1)
        ]
        self.assertIn(self.enterprise.name, names)
        self.assertNotIn(self.other_company.name, names)
        # the company's latest assessment that has started
        latest = self.env["crm.maturity.assessment"].search(
            [("company_id", "=", self.company.id), ("state", "!=", "draft")],
            order="date desc, id desc",
            limit=1,
        )
        maturity = [name for name in book.sheetnames if book[name]._charts]
        self.assertEqual(len(maturity), 1)
        self.assertEqual(cached[maturity[0]]["A1"].value, latest.name)
        # a manager of the other company sees its factors only
        card_2 = self._scorecard("X Second card", company_id=self.company_2.id)
        _content, _name, book_2, _cached = self._export(card_2, self.user_manager_2)
        register = book_2["Success Factors"]
        self.assertEqual(
            register.cell(xp.REGISTER_HEADER_ROW + 2, 2).value, self.other_company.name
        )
        self.assertEqual(register.max_row, xp.REGISTER_HEADER_ROW + 2)

    def test_actions_download_through_the_route(self):
        factors = self.enterprise | self.department
        action = factors.with_user(self.user_bsc).action_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(action["target"], "download")
        self.assertEqual(
            action["url"],
            f"/crm_csf_planning/export/xlsx?model=crm.csf&ids={factors[0].id},"
            f"{factors[1].id}",
        )
        action = self.assessment.with_user(self.user_bsc).action_export_xlsx()
        self.assertEqual(
            action["url"],
            "/crm_csf_planning/export/xlsx?model=crm.maturity.assessment"
            f"&ids={self.assessment.id}",
        )

    def test_libreoffice_opens_the_workbooks(self):
        """The planning workbooks, and the scorecards' workbook with the
        planning sheets and the customers at risk, convert headless with
        LibreOffice."""
        exe = shutil.which("soffice") or shutil.which("libreoffice")
        if not exe:
            self.skipTest(
                "SKIPPED: LibreOffice is not installed, the workbooks were not "
                "converted (setup/test.sh installs it as root)"
            )
        folder = pathlib.Path(tempfile.mkdtemp(prefix="crm_csf_export_"))
        try:
            for name, records in (
                ("register", self.enterprise | self.department),
                ("assessment", self.assessment),
                ("scorecards", self.scorecard),
            ):
                content = self._export(records)[0]
                source = folder / f"{name}.xlsx"
                source.write_bytes(content)
                result = subprocess.run(
                    [
                        exe,
                        f"-env:UserInstallation={(folder / 'profile').as_uri()}",
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
                self.assertGreater((folder / f"{name}.pdf").stat().st_size, 1000)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


@tagged("post_install", "-at_install")
class TestPlanningExportRoute(HttpCase):
    def test_route_checks_access(self):
        env = self.env
        category = env.ref("crm_csf_planning.category_planning")
        csf = env["crm.csf"].create(
            {"name": "Route Factor", "category_id": category.id}
        )
        other_company = env["res.company"].create({"name": "Route Planning Co"})
        hidden = env["crm.csf"].create(
            {
                "name": "Route Hidden Factor",
                "category_id": category.id,
                "company_id": other_company.id,
            }
        )
        assessment = env["crm.maturity.assessment"].create(
            {"name": "Route Assessment", "date": "2003-05-01"}
        )
        self.authenticate("admin", "admin")
        url = "/crm_csf_planning/export/xlsx"
        response = self.url_open(f"{url}?model=crm.csf&ids={csf.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response.headers["Content-Type"])
        self.assertIn("attachment", response.headers["Content-Disposition"])
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertEqual(book["Success Factors"].cell(5, 2).value, "Route Factor")
        response = self.url_open(
            f"{url}?model=crm.maturity.assessment&ids={assessment.id}"
        )
        self.assertEqual(response.status_code, 200)
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertEqual(book.sheetnames, ["Route Assessment"])
        # admin is not in the other company
        response = self.url_open(f"{url}?model=crm.csf&ids={hidden.id}")
        self.assertEqual(response.status_code, 403)
        # only the planning models, and ids
        self.assertEqual(self.url_open(f"{url}?model=res.users&ids=1").status_code, 400)
        self.assertEqual(self.url_open(f"{url}?model=crm.csf&ids=x").status_code, 400)
        self.assertEqual(
            self.url_open(f"{url}?model=crm.csf&ids=999999999").status_code, 404
        )
        # a salesman without the scorecard group
        env["res.users"].create(
            {
                "name": "Route Planning Salesman",
                "login": "route_planning_salesman",
                "password": "route_planning_salesman",
                "groups_id": [
                    Command.set([env.ref("sales_team.group_sale_salesman").id])
                ],
            }
        )
        self.authenticate("route_planning_salesman", "route_planning_salesman")
        response = self.url_open(f"{url}?model=crm.csf&ids={csf.id}")
        self.assertEqual(response.status_code, 403)
