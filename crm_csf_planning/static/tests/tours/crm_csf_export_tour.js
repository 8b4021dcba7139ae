/** @odoo-module **/
// Copyright 2026 CRM BSC Contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("crm_csf_export_tour", {
    url: "/odoo/action-crm_csf_planning.crm_csf_action?view_type=list",
    steps: () => [
        {
            content: "Select a factor of the register",
            trigger: ".o_data_row:contains('Tour Export Factor') .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Export the register to Excel",
            trigger: ".o_control_panel button:contains('Export to Excel')",
            run: "click",
        },
        {
            content: "The register stays",
            trigger: ".o_list_view .o_data_row:contains('Tour Export Factor')",
        },
        {
            content: "Open the planning menu",
            trigger: ".o_menu_sections button:contains('CRM Planning'), .o_menu_sections .dropdown-toggle:contains('CRM Planning')",
            run: "click",
        },
        {
            content: "Go to the maturity assessments",
            trigger: ".dropdown-item:contains('Maturity Assessments')",
            run: "click",
        },
        {
            content: "Open the tour's assessment",
            trigger: ".o_data_row:contains('Tour Export Assessment') .o_data_cell[name=name]",
            run: "click",
        },
        {
            content: "Its radar is drawn",
            trigger: ".o_field_widget[name=radar_data] .o_crm_maturity_radar canvas",
        },
        {
            content: "Export the assessment to Excel",
            trigger: ".o_form_view .o_form_statusbar button[name=action_export_xlsx]",
            run: "click",
        },
        {
            content: "The assessment stays",
            trigger: ".o_form_view .o_field_widget[name=radar_data] canvas",
        },
    ],
});
