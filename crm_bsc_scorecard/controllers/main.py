# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from werkzeug.exceptions import BadRequest, NotFound

from odoo import http
from odoo.http import content_disposition, request

from ..models.crm_bsc_scorecard_xlsx import XLSX_MIME


class CrmBscScorecardExport(http.Controller):
    @http.route(
        "/crm_bsc_scorecard/export/xlsx", type="http", auth="user", methods=["GET"]
    )
    def export_xlsx(self, ids="", **kwargs):
        """The workbook of the scorecards ``ids`` (comma-separated), as the
        logged-in user reads them: an AccessError (403) for a scorecard they
        may not read."""
        try:
            scorecard_ids = [int(part) for part in ids.split(",") if part.strip()]
        except ValueError as error:
            raise BadRequest("ids: comma-separated scorecard ids") from error
        scorecards = request.env["crm.bsc.scorecard"].browse(scorecard_ids).exists()
        if not scorecards:
            raise NotFound()
        content, filename = scorecards._export_xlsx()
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIME),
                ("Content-Length", str(len(content))),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
