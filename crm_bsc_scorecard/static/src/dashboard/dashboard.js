/** @odoo-module **/
// Copyright 2026 CRM BSC Contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import {Component, onMounted, onWillStart, onWillUnmount, useRef, useState} from "@odoo/owl";
import {loadBundle} from "@web/core/assets";
import {_t} from "@web/core/l10n/translation";
import {localization} from "@web/core/l10n/localization";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {Layout} from "@web/search/layout";

export class ScorecardDashboard extends Component {
    static template = "crm_bsc_scorecard.Dashboard";
    static props = ["*"];
    static components = {Layout};

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.rtl = localization.direction === "rtl";
        this.chartRef = useRef("trend");
        this.state = useState({data: null});
        this.chart = null;
        onWillStart(async () => {
            await loadBundle("web.chartjs_lib");
            this.state.data = await this.orm.call(
                "crm.bsc.scorecard",
                "get_dashboard_data",
                []
            );
        });
        onMounted(() => this.renderChart());
        onWillUnmount(() => this.chart && this.chart.destroy());
    }

    formatScore(score) {
        return score === null || score === undefined ? "—" : Math.round(score);
    }

    openScorecard(card) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "crm.bsc.scorecard",
            res_id: card.id,
            views: [[false, "form"]],
        });
    }

    openWorse(row) {
        if (row.value_id) {
            this.action.doAction({
                type: "ir.actions.act_window",
                res_model: "crm.bsc.indicator.value",
                res_id: row.value_id,
                views: [[false, "form"]],
            });
        } else {
            this.action.doAction({
                type: "ir.actions.act_window",
                res_model: "crm.bsc.indicator",
                res_id: row.indicator_id,
                views: [[false, "form"]],
            });
        }
    }

    formatShare(share) {
        return share === null || share === undefined ? "—" : `${Math.round(share * 100)} %`;
    }

    openCustomerScore(row) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "crm.customer.score",
            res_id: row.id,
            views: [[false, "form"]],
        });
    }

    openCustomersAtRisk() {
        this.action.doAction({
            type: "ir.actions.act_window",
            name: _t("Customers at risk"),
            res_model: "crm.customer.score",
            domain: [
                ["risk_band", "=", "high"],
                ["partner_active", "=", true],
                ["company_id", "=", this.state.data.at_risk.company_id],
            ],
            views: [
                [false, "list"],
                [false, "form"],
            ],
        });
    }

    renderChart() {
        const cards = this.state.data.cards;
        if (!cards.length || !this.chartRef.el) {
            return;
        }
        const palette = ["#3b6ea5", "#e07b39", "#6f9e4f", "#9d5fa8", "#c9a227", "#4aa3a1"];
        const labels = cards.reduce(
            (longest, card) =>
                card.trend.labels.length > longest.length ? card.trend.labels : longest,
            []
        );
        this.chart = new window.Chart(this.chartRef.el, {
            type: "line",
            data: {
                labels,
                datasets: cards.map((card, index) => ({
                    label: card.name,
                    // aligned on the latest period
                    data: [
                        ...Array(labels.length - card.trend.scores.length).fill(null),
                        ...card.trend.scores,
                    ],
                    borderColor: palette[index % palette.length],
                    spanGaps: true,
                })),
            },
            options: {
                animation: false,
                maintainAspectRatio: false,
                scales: {y: {min: 0, max: 100, title: {display: true, text: _t("Overall score")}}},
                plugins: {legend: {position: "bottom", rtl: this.rtl}},
            },
        });
    }
}

registry.category("actions").add("crm_bsc_dashboard", ScorecardDashboard);
