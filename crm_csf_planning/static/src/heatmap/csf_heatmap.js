/** @odoo-module **/
// Copyright 2026 CRM BSC Contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
//
// Where measurement or progress is missing: the success factors of the
// current companies as categories × levels and factors × building blocks,
// each cell coloured by health; a click opens the factors of a cell.

import {Component, onWillStart, useState} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {Layout} from "@web/search/layout";

export class CsfHeatmap extends Component {
    static template = "crm_csf_planning.CsfHeatmap";
    static components = {Layout};
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({data: null});
        onWillStart(() => this.load());
    }

    async load() {
        this.state.data = await this.orm.call("crm.csf", "get_heatmap_data", []);
    }

    cellTitle(cell) {
        if (!cell.count) {
            return _t("Nothing planned here");
        }
        return _t("%(count)s factor(s), mean health %(health)s, %(gaps)s with a measurement gap", {
            count: cell.count,
            health: cell.health === null ? "-" : cell.health,
            gaps: cell.gaps,
        });
    }

    openFactors(ids, name) {
        if (!ids.length) {
            return;
        }
        this.action.doAction({
            type: "ir.actions.act_window",
            name,
            res_model: "crm.csf",
            views: [
                [false, "list"],
                [false, "form"],
            ],
            domain: [["id", "in", ids]],
        });
    }

    openFactor(id) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "crm.csf",
            res_id: id,
            views: [[false, "form"]],
        });
    }
}

registry.category("actions").add("crm_csf_planning.heatmap", CsfHeatmap);
