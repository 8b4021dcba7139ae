/** @odoo-module **/
// Copyright 2026 CRM BSC Contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("crm_csf_planning_tour", {
    url: "/odoo/action-crm_csf_planning.crm_csf_tree_action",
    steps: () => [
        {
            content: "The enterprise factor is in the tree, coloured at risk",
            trigger:
                ".o_hierarchy_node:contains('Tour Enterprise Factor') .o_crm_csf_health_at_risk",
        },
        {
            content: "Unfold the factors that serve it",
            trigger:
                ".o_hierarchy_node:contains('Tour Enterprise Factor') button[name=hierarchy_search_subsidiaries]",
            run: "click",
        },
        {
            content: "The department factor serves it, coloured off track",
            trigger:
                ".o_hierarchy_node:contains('Tour Department Factor') .o_crm_csf_health_off_track",
        },
        {
            content: "Its measurement gap shows on its card",
            trigger:
                ".o_hierarchy_node:contains('Tour Department Factor') .badge:contains('Measurement gap')",
        },
        {
            content: "Open the department factor",
            trigger: ".o_hierarchy_node_content:contains('Tour Department Factor')",
            run: "click",
        },
        {
            content: "Its form shows the indicator with its score",
            trigger:
                ".o_form_view .o_field_one2many[name=indicator_line_ids] .o_data_row:contains('Tour conversion')",
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
            trigger: ".o_data_row:contains('Tour Assessment') .o_data_cell[name=name]",
            run: "click",
        },
        {
            content: "The radar of current, target and previous levels is drawn",
            trigger: ".o_field_widget[name=radar_data] .o_crm_maturity_radar canvas",
        },
        {
            content: "A building block where the assessors disagree is flagged",
            trigger: ".alert-warning:contains('flagged')",
        },
        {
            content: "Open the planning menu again",
            trigger: ".o_menu_sections button:contains('CRM Planning'), .o_menu_sections .dropdown-toggle:contains('CRM Planning')",
            run: "click",
        },
        {
            content: "Go to the heatmap",
            trigger: ".dropdown-item:contains('Heatmap')",
            run: "click",
        },
        {
            content: "The category of the tour's factors has an at-risk enterprise cell",
            trigger:
                ".o_crm_csf_levels tr:contains('Tour Category') td.o_crm_csf_health_at_risk",
        },
        {
            content: "Its workgroup level has nothing planned",
            trigger: ".o_crm_csf_levels tr:contains('Tour Category') td.o_crm_csf_health_empty",
        },
    ],
});
