# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "CRM Balanced Scorecard",
    "summary": "Customer segments, contact channels and a Balanced Scorecard "
    "per segment, computed from the CRM's own data",
    "version": "18.0.1.2.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "CRM BSC Contributors",
    "development_status": "Alpha",
    "depends": ["crm"],
    "external_dependencies": {"python": ["xlsxwriter", "numpy", "scipy"]},
    "data": [
        "security/crm_bsc_security.xml",
        "security/ir.model.access.csv",
        "data/crm_bsc_perspective_data.xml",
        "data/crm_contact_channel_data.xml",
        "data/ir_cron_data.xml",
        "views/crm_bsc_scorecard_templates.xml",
        "views/crm_customer_segment_views.xml",
        "views/crm_contact_channel_views.xml",
        "views/res_partner_views.xml",
        "views/crm_lead_views.xml",
        "views/res_config_settings_views.xml",
        "views/crm_bsc_perspective_views.xml",
        "views/crm_bsc_objective_views.xml",
        "views/crm_bsc_indicator_views.xml",
        "wizard/crm_bsc_period_generate_views.xml",
        "views/crm_bsc_period_views.xml",
        "views/crm_bsc_indicator_value_views.xml",
        "views/crm_bsc_scorecard_views.xml",
        "report/crm_bsc_channel_coverage_views.xml",
        "wizard/crm_bsc_scorecard_generate_views.xml",
        "wizard/crm_bsc_scorecard_compute_views.xml",
        "views/crm_bsc_menus.xml",
        "views/crm_bsc_scorecard_manager_views.xml",
        "views/crm_bsc_dashboard_views.xml",
        "views/crm_bsc_objective_evidence_views.xml",
        "views/digest_views.xml",
        "data/digest_data.xml",
        "security/crm_customer_analytics_security.xml",
        "data/crm_customer_analytics_data.xml",
        "views/crm_customer_score_views.xml",
        "views/crm_customer_analytics_partner_views.xml",
        "views/crm_customer_analytics_settings_views.xml",
        "views/crm_customer_analytics_menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "crm_bsc_scorecard/static/src/**/*",
        ],
        "web.assets_tests": [
            "crm_bsc_scorecard/static/tests/tours/**/*",
        ],
    },
    "demo": [
        "demo/crm_bsc_demo.xml",
        "demo/crm_bsc_predictive_demo.xml",
    ],
    # the demo's history and values (demo/__init__.py), when installed with
    # demo data
    "post_init_hook": "post_init_hook",
}
