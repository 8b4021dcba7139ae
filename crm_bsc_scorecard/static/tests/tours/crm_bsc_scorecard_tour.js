/** @odoo-module **/
// Copyright 2026 CRM BSC Contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("crm_bsc_scorecard_tour", {
    url: "/odoo/action-crm_bsc_scorecard.crm_bsc_scorecard_action",
    steps: () => [
        {
            content: "Open the scorecard from the kanban",
            trigger: ".o_kanban_record:contains('Tour Scorecard')",
            run: "click",
        },
        {
            content: "The overview shows the overall score and the perspectives",
            trigger: ".o_crm_bsc_overview .o_crm_bsc_summary",
        },
        {
            content: "A line of the customer perspective with its status badge",
            trigger:
                ".o_crm_bsc_perspective:contains('Customer'):contains('Tour retention') .badge",
        },
        {
            content: "The warning lists a channel no indicator watches",
            trigger: ".alert-warning:contains('Tour Unwatched')",
        },
        {
            content: "Open the lines",
            trigger: ".o_notebook .nav-link:contains('Lines')",
            run: "click",
        },
        {
            content: "The line is listed with its target",
            trigger: ".o_field_one2many[name=line_ids] .o_data_row:contains('Tour retention')",
        },
    ],
});
