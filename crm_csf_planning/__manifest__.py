# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "CRM Success Factor Planning",
    "summary": "Critical success factors, CRM processes, the eight building "
    "blocks of CRM and personal contribution, measured by the scorecard",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "CRM BSC Contributors",
    "development_status": "Alpha",
    "depends": ["crm_bsc_scorecard"],
    "data": [
        "security/ir.model.access.csv",
        "security/crm_csf_security.xml",
        "data/crm_csf_data.xml",
        "views/crm_csf_views.xml",
        "views/crm_csf_menus.xml",
    ],
}
