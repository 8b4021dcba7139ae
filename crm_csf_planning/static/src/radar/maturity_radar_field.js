/** @odoo-module **/
// Copyright 2026 CRM BSC Contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
//
// The radar of a maturity assessment: the current level of each building
// block against its target and the previous assessment, drawn with the
// Chart.js that Odoo ships (web.chartjs_lib), as the gauge field does.

import {Component, onWillStart, useEffect, useRef} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {loadBundle} from "@web/core/assets";
import {registry} from "@web/core/registry";
import {standardFieldProps} from "@web/views/fields/standard_field_props";

const COLOURS = {
    current: "rgba(31, 119, 180, 1)",
    currentFill: "rgba(31, 119, 180, 0.2)",
    target: "rgba(44, 160, 44, 1)",
    previous: "rgba(127, 127, 127, 1)",
};

export class MaturityRadarField extends Component {
    static template = "crm_csf_planning.MaturityRadarField";
    static props = {...standardFieldProps};

    setup() {
        this.chart = null;
        this.canvasRef = useRef("canvas");
        onWillStart(async () => await loadBundle("web.chartjs_lib"));
        useEffect(
            () => {
                this.renderChart();
                return () => this.chart && this.chart.destroy();
            },
            () => [JSON.stringify(this.data)]
        );
    }

    get data() {
        return this.props.record.data[this.props.name] || {};
    }

    get hasData() {
        return (this.data.labels || []).length > 0;
    }

    get datasets() {
        const data = this.data;
        const datasets = [
            {
                label: data.current_label || _t("Current"),
                data: data.current || [],
                borderColor: COLOURS.current,
                backgroundColor: COLOURS.currentFill,
                pointBackgroundColor: COLOURS.current,
                fill: true,
            },
            {
                label: data.target_label || _t("Target"),
                data: data.target || [],
                borderColor: COLOURS.target,
                backgroundColor: "transparent",
                borderDash: [6, 4],
                pointBackgroundColor: COLOURS.target,
                fill: false,
            },
        ];
        if ((data.previous || []).length) {
            datasets.push({
                label: data.previous_label || _t("Previous"),
                data: data.previous,
                borderColor: COLOURS.previous,
                backgroundColor: "transparent",
                borderDash: [2, 3],
                pointBackgroundColor: COLOURS.previous,
                fill: false,
            });
        }
        return datasets;
    }

    renderChart() {
        if (this.chart) {
            this.chart.destroy();
            this.chart = null;
        }
        if (!this.hasData || !this.canvasRef.el) {
            return;
        }
        this.chart = new Chart(this.canvasRef.el, {
            type: "radar",
            data: {labels: this.data.labels, datasets: this.datasets},
            options: {
                responsive: true,
                maintainAspectRatio: false,
                animation: false,
                spanGaps: true,
                scales: {
                    r: {
                        min: 0,
                        max: 5,
                        ticks: {stepSize: 1},
                    },
                },
                plugins: {
                    legend: {position: "bottom"},
                },
            },
        });
    }
}

export const maturityRadarField = {
    component: MaturityRadarField,
    displayName: _t("Maturity radar"),
    supportedTypes: ["json"],
};

registry.category("fields").add("crm_maturity_radar", maturityRadarField);
