# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from werkzeug.exceptions import BadRequest, NotFound

from odoo import http
from odoo.http import content_disposition, request

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# the models whose records are exported to Excel by this route
EXPORTABLE = ("crm.csf", "crm.maturity.assessment")


class CrmCsfPlanningExport(http.Controller):
    @http.route(
        "/crm_csf_planning/export/xlsx", type="http", auth="user", methods=["GET"]
    )
    def export_xlsx(self, model="", ids="", **kwargs):
        """The workbook of the success factors or maturity assessments
        ``ids`` (comma-separated) of ``model``, as the logged-in user reads
        them: an AccessError (403) for a record they may not read."""
        if model not in EXPORTABLE:
            raise BadRequest(f"model: one of {', '.join(EXPORTABLE)}")
        try:
            record_ids = [int(part) for part in ids.split(",") if part.strip()]
        except ValueError as error:
            raise BadRequest("ids: comma-separated record ids") from error
        records = request.env[model].browse(record_ids).exists()
        if not records:
            raise NotFound()
        content, filename = records._export_xlsx()
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIME),
                ("Content-Length", str(len(content))),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
