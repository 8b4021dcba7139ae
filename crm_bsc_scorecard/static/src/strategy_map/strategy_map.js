/** @odoo-module **/
// Copyright 2026 CRM BSC Contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import {Component, onWillStart, useEffect, useRef, useState} from "@odoo/owl";
import {loadBundle} from "@web/core/assets";
import {_t} from "@web/core/l10n/translation";
import {localization} from "@web/core/l10n/localization";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {Layout} from "@web/search/layout";

export const WIDTH = 1000;
export const BAND = 130;
export const NODE_W = 170;
export const NODE_H = 58;

export const STATUS_COLORS = {
    on_track: "#28a745",
    warning: "#f0ad4e",
    critical: "#dc3545",
    no_data: "#adb5bd",
};

/**
 * Lays the objectives out in their perspectives' bands (the first
 * perspective on top), spread evenly across the width; mirrored for
 * right-to-left languages. Returns {bands, nodes: {id: {x, y}}, height}.
 */
export function layoutMap(perspectives, objectives, rtl) {
    const used = perspectives.filter((p) =>
        objectives.some((o) => o.perspective_id === p.id)
    );
    const bands = used.map((p, index) => ({...p, y: index * BAND}));
    const nodes = {};
    for (const band of bands) {
        const members = objectives.filter((o) => o.perspective_id === band.id);
        const step = (WIDTH - 160) / members.length;
        members.forEach((objective, index) => {
            let x = 160 + step * index + (step - NODE_W) / 2;
            if (rtl) {
                x = WIDTH - x - NODE_W;
            }
            nodes[objective.id] = {x, y: band.y + (BAND - NODE_H) / 2};
        });
    }
    return {bands, nodes, height: Math.max(bands.length * BAND, BAND)};
}

export class StrategyMap extends Component {
    static template = "crm_bsc_scorecard.StrategyMap";
    static props = ["*"];
    static components = {Layout};

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.canvasRef = useRef("trend");
        this.rtl = localization.direction === "rtl";
        Object.assign(this, {WIDTH, BAND, NODE_W, NODE_H});
        const params = this.props.action.params || {};
        const context = this.props.action.context || {};
        this.state = useState({
            scorecardId: params.scorecard_id || context.active_id,
            periodId: params.period_id || false,
            data: null,
            selected: null,
        });
        this.chart = null;
        onWillStart(async () => {
            await loadBundle("web.chartjs_lib");
            await this.load();
        });
        useEffect(
            () => {
                this.renderChart();
                return () => this.destroyChart();
            },
            () => [this.state.selected, this.state.data]
        );
    }

    async load() {
        this.state.data = await this.orm.call(
            "crm.bsc.scorecard",
            "get_strategy_map_data",
            [[this.state.scorecardId]],
            {period_id: this.state.periodId || false}
        );
        this.state.periodId = this.state.data.period && this.state.data.period.id;
        if (this.state.selected) {
            this.state.selected =
                this.state.data.objectives.find((o) => o.id === this.state.selected.id) ||
                null;
        }
    }

    get layout() {
        const data = this.state.data;
        return layoutMap(data.perspectives, data.objectives, this.rtl);
    }

    get arrows() {
        const {nodes} = this.layout;
        const arrows = [];
        for (const link of this.state.data.links) {
            const from = nodes[link.cause];
            const to = nodes[link.effect];
            if (!from || !to) {
                continue;
            }
            const x1 = from.x + NODE_W / 2;
            const x2 = to.x + NODE_W / 2;
            // from the cause's edge that faces the effect to the effect's
            const down = to.y > from.y;
            const y1 = down ? from.y + NODE_H : from.y;
            const y2 = down ? to.y - 4 : to.y + NODE_H + 4;
            arrows.push({...link, key: `${link.cause}-${link.effect}`, x1, y1, x2, y2});
        }
        return arrows;
    }

    statusColor(status) {
        return STATUS_COLORS[status] || STATUS_COLORS.no_data;
    }

    formatScore(score) {
        return score === null || score === undefined ? "—" : Math.round(score);
    }

    formatValue(value) {
        if (value === null || value === undefined) {
            return "—";
        }
        return value.toLocaleString(undefined, {maximumFractionDigits: 2});
    }

    linksOf(objective) {
        return this.state.data.links.filter(
            (link) => link.cause === objective.id || link.effect === objective.id
        );
    }

    selectObjective(objective) {
        this.state.selected = objective;
    }

    closePanel() {
        this.state.selected = null;
    }

    async onPeriodChange(ev) {
        this.state.periodId = parseInt(ev.target.value, 10) || false;
        await this.load();
    }

    async onScorecardChange(ev) {
        this.state.scorecardId = parseInt(ev.target.value, 10);
        this.state.selected = null;
        await this.load();
    }

    openObjective(objective) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "crm.bsc.objective",
            res_id: objective.id,
            views: [[false, "form"]],
        });
    }

    openScorecard() {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "crm.bsc.scorecard",
            res_id: this.state.scorecardId,
            views: [[false, "form"]],
        });
    }

    destroyChart() {
        if (this.chart) {
            this.chart.destroy();
            this.chart = null;
        }
    }

    renderChart() {
        this.destroyChart();
        const objective = this.state.selected;
        if (!objective || !this.canvasRef.el) {
            return;
        }
        const labels = this.state.data.trend_labels;
        const palette = ["#3b6ea5", "#e07b39", "#6f9e4f", "#9d5fa8", "#c9a227", "#4aa3a1"];
        const datasets = [
            {
                label: _t("Objective score"),
                data: objective.trend,
                borderColor: "#212529",
                borderWidth: 3,
                spanGaps: true,
            },
            ...objective.indicators.map((indicator, index) => ({
                label: indicator.name,
                data: indicator.score_trend,
                borderColor: palette[index % palette.length],
                borderDash: [4, 3],
                spanGaps: true,
            })),
        ];
        this.chart = new window.Chart(this.canvasRef.el, {
            type: "line",
            data: {labels, datasets},
            options: {
                animation: false,
                maintainAspectRatio: false,
                scales: {y: {min: 0, max: 100, title: {display: true, text: _t("Score")}}},
                plugins: {legend: {position: "bottom", rtl: this.rtl}},
            },
        });
    }
}

registry.category("actions").add("crm_bsc_strategy_map", StrategyMap);
