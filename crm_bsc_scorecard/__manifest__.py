# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "CRM Balanced Scorecard",
    "summary": "Customer segments, contact channels and a Balanced Scorecard "
    "per segment, computed from the CRM's own data",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "CRM BSC Contributors",
    "development_status": "Alpha",
    "depends": ["crm"],
    "data": [
        "security/crm_bsc_security.xml",
        "security/ir.model.access.csv",
        "data/crm_bsc_perspective_data.xml",
        "views/crm_bsc_perspective_views.xml",
        "views/crm_bsc_menus.xml",
    ],
}
