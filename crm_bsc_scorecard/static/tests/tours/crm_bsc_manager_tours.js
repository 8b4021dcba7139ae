/** @odoo-module **/
// Copyright 2026 CRM BSC Contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("crm_bsc_strategy_map_tour", {
    url: "/odoo/action-crm_bsc_scorecard.crm_bsc_dashboard_action",
    steps: () => [
        {
            content: "The dashboard shows the scorecard's card with its score",
            trigger: ".o_crm_bsc_card:contains('Tour Map Scorecard') .o_crm_bsc_card_score",
        },
        {
            content: "The trend chart is drawn",
            trigger: ".o_crm_bsc_dashboard canvas",
        },
        {
            content: "A customer at risk is listed with its salesperson",
            trigger:
                ".o_crm_bsc_at_risk_row:contains('Tour Customer at risk') .o_crm_bsc_at_risk_salesperson:contains('Tour Seller')",
        },
        {
            content: "Open the customer's scores",
            trigger: ".o_crm_bsc_at_risk_row:contains('Tour Customer at risk')",
            run: "click",
        },
        {
            content: "The customer's scores open",
            trigger: ".o_form_view .o_field_widget[name=partner_id]:contains('Tour Customer at risk')",
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb a:contains('Scorecard Dashboard')",
            run: "click",
        },
        {
            content: "Open the scorecard from its card",
            trigger: ".o_crm_bsc_card:contains('Tour Map Scorecard')",
            run: "click",
        },
        {
            content: "Open its strategy map",
            trigger: ".o_form_view button[name=action_open_strategy_map]",
            run: "click",
        },
        {
            content: "The perspectives are bands and the link an arrow",
            trigger: ".o_crm_bsc_map_svg .o_crm_bsc_band_label:contains('Customer')",
        },
        {
            trigger: ".o_crm_bsc_map_svg:has(line.o_crm_bsc_link)",
        },
        {
            content: "Click an objective",
            trigger: ".o_crm_bsc_objective:has(title:contains('Tour Keep customers'))",
            run: "click",
        },
        {
            content: "The side panel lists its indicators and draws their trend",
            trigger: ".o_crm_bsc_map_panel .o_crm_bsc_map_indicators:contains('Tour map retention')",
        },
        {
            trigger: ".o_crm_bsc_map_panel canvas",
        },
        {
            content: "It says what was measured for its link",
            trigger: ".o_crm_bsc_map_panel .o_crm_bsc_map_evidence li",
        },
        {
            content: "Switch to the period before",
            trigger: "select.o_crm_bsc_map_period",
            run: "selectByIndex 2",
        },
        {
            trigger: ".o_crm_bsc_map_period_name[data-period-index='2']",
        },
        {
            content: "The panel follows the new period",
            trigger: ".o_crm_bsc_map_panel .o_crm_bsc_map_indicators:contains('Tour map retention')",
        },
        {
            content: "Return to the scorecard",
            trigger: ".o_breadcrumb a:contains('Tour Map Scorecard')",
            run: "click",
        },
        {
            content: "Back on the scorecard form",
            trigger: ".o_form_view .o_crm_bsc_overview",
        },
    ],
});

registry.category("web_tour.tours").add("crm_bsc_export_tour", {
    url: "/odoo/action-crm_bsc_scorecard.crm_bsc_scorecard_action?view_type=list",
    steps: () => [
        {
            content: "Select the scorecard in the list",
            trigger: ".o_data_row:contains('Tour Map Scorecard') .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Export it to Excel",
            trigger: ".o_control_panel button:contains('Export to Excel')",
            run: "click",
        },
        {
            content: "The list stays",
            trigger: ".o_list_view .o_data_row:contains('Tour Map Scorecard')",
        },
    ],
});
