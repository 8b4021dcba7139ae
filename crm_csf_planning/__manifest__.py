# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "CRM Success Factor Planning",
    "summary": "Critical success factors, CRM processes, the eight building "
    "blocks of CRM and personal contribution, measured by the scorecard",
    "version": "18.0.1.1.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "CRM BSC Contributors",
    "development_status": "Alpha",
    "depends": ["crm_bsc_scorecard", "web_hierarchy"],
    "data": [
        "security/ir.model.access.csv",
        "security/crm_csf_security.xml",
        "data/crm_csf_category_data.xml",
        "data/crm_process_data.xml",
        "data/crm_building_block_data.xml",
        "data/ir_cron_data.xml",
        "views/crm_csf_templates.xml",
        "views/crm_csf_category_views.xml",
        "views/crm_csf_action_views.xml",
        "views/crm_csf_views.xml",
        "views/crm_process_views.xml",
        "views/crm_building_block_views.xml",
        "views/crm_maturity_assessment_views.xml",
        "views/crm_csf_contribution_views.xml",
        "wizard/crm_csf_drop_views.xml",
        "views/crm_csf_menus.xml",
        "views/crm_csf_export_views.xml",
        "views/digest_views.xml",
        "data/digest_data.xml",
    ],
    "demo": [
        "demo/crm_csf_demo.xml",
    ],
    # the demo's assessments, contribution report and health
    # (demo/__init__.py), when installed with demo data
    "post_init_hook": "post_init_hook",
    "assets": {
        "web.assets_backend": [
            "crm_csf_planning/static/src/**/*",
        ],
        "web.assets_tests": [
            "crm_csf_planning/static/tests/tours/**/*",
        ],
    },
}
