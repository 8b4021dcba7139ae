# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Did the action work? Its targeted indicators in the targeted segments,
before and after its completion, against the segments it did not target."""

from collections import defaultdict

from odoo import _, api, fields, models

from odoo.addons.crm_bsc_scorecard.models.crm_bsc_period import PERIOD_TYPES

from ..tools import did as did_tools
from .period_utils import company_period_domain


def _fmt(number):
    return "" if number is None else f"{number:,.2f}"


VERDICTS = [
    (did_tools.IMPROVED, "Improved"),
    (did_tools.WORSENED, "Worsened"),
    (did_tools.CHANGED, "Changed"),
    (did_tools.NO_CLEAR_EFFECT, "No clear effect"),
    (did_tools.TOO_EARLY, "Too early to say"),
    (did_tools.NO_CONTROL, "Nothing to compare with"),
    ("not_measured", "Not measured"),
]


class CrmCsfAction(models.Model):
    _inherit = "crm.csf.action"

    effect_period_type = fields.Selection(
        PERIOD_TYPES,
        string="Effect Granularity",
        required=True,
        default="month",
        help="The periods in which the effect is measured.",
    )
    effect_verdict = fields.Selection(
        VERDICTS,
        compute="_compute_effect",
        string="Did It Work?",
        help="The targeted indicators in the targeted segments, up to six "
        "periods before and after the completion, against the same "
        "indicators in the segments the action did not target.",
    )
    effect_html = fields.Html(
        compute="_compute_effect", sanitize=False, string="Effect"
    )

    @api.depends(
        "state",
        "date_done",
        "indicator_ids",
        "segment_ids",
        "effect_period_type",
        "company_id",
    )
    def _compute_effect(self):
        for action in self:
            results = action._effect_results()
            if not results:
                action.effect_verdict = "not_measured"
            else:
                verdicts = {r["result"].verdict for r in results}
                # one verdict for the action: the indicators agree, or mixed
                action.effect_verdict = (
                    verdicts.pop() if len(verdicts) == 1 else did_tools.NO_CLEAR_EFFECT
                )
            for item in results:
                item.update(action._effect_sentences(item["result"]))
            action.effect_html = self.env["ir.qweb"]._render(
                "crm_csf_planning.action_effect",
                {
                    "action": action,
                    "results": results,
                    "verdicts": dict(
                        self._fields["effect_verdict"]._description_selection(self.env)
                    ),
                    "reason": action._effect_missing_reason(),
                    "fmt": _fmt,
                },
            )

    def _effect_sentences(self, result):
        """The summary and the periods behind one indicator's result."""
        if result.verdict == did_tools.TOO_EARLY:
            summary = _(
                "At least two periods with a value are needed on each side of "
                "the completion, in the targeted segments and in the others."
            )
        elif result.verdict == did_tools.NO_CONTROL:
            summary = _(
                "No other segment has values: nothing tells the action's effect "
                "from what changed everywhere."
            )
        elif result.std_error is not None:
            summary = _(
                "Effect %(effect)s: the targeted segments went from %(tb)s to "
                "%(ta)s, the others from %(cb)s to %(ca)s; the noise is "
                "± %(noise)s.",
                effect=_fmt(result.effect),
                tb=_fmt(result.treated_before),
                ta=_fmt(result.treated_after),
                cb=_fmt(result.control_before),
                ca=_fmt(result.control_after),
                noise=_fmt(2 * result.std_error),
            )
        else:
            summary = _(
                "Effect %(effect)s: the targeted segments went from %(tb)s to "
                "%(ta)s, the others from %(cb)s to %(ca)s.",
                effect=_fmt(result.effect),
                tb=_fmt(result.treated_before),
                ta=_fmt(result.treated_after),
                cb=_fmt(result.control_before),
                ca=_fmt(result.control_after),
            )
        behind = _(
            "Behind it: %(tb)s and %(ta)s periods before and after in the "
            "targeted segments, %(cb)s and %(ca)s in the others.",
            tb=result.n_treated_before,
            ta=result.n_treated_after,
            cb=result.n_control_before,
            ca=result.n_control_after,
        )
        return {"summary": summary, "behind": behind}

    def _effect_missing_reason(self):
        self.ensure_one()
        if self.state != "done" or not self.date_done:
            return _("The effect is measured once the action is done.")
        if not self.indicator_ids:
            return _("Name the indicators the action targets to measure its effect.")
        if not self.segment_ids:
            return _(
                "Name the segments the action targets: the others are the comparison."
            )
        return False

    def _effect_periods(self):
        """(before, after): the ended periods of the action's company and
        granularity before its completion (the last six) and after it (the
        first six); the period of the completion is in neither."""
        self.ensure_one()
        Period = self.env["crm.bsc.period"].sudo()
        today = fields.Date.context_today(self)
        domain = [
            ("period_type", "=", self.effect_period_type),
            ("date_to", "<", today),
        ]
        domain += company_period_domain(self.env, self.company_id)
        periods = Period.search(domain, order="date_from")
        before = periods.filtered(lambda p: p.date_to < self.date_done)
        after = periods.filtered(lambda p: p.date_from > self.date_done)
        return before[-did_tools.MAX_PERIODS :], after[: did_tools.MAX_PERIODS]

    def _effect_results(self):
        """Per targeted indicator: the series and the difference-in-
        differences; [] when the action cannot be measured."""
        self.ensure_one()
        if self._effect_missing_reason():
            return []
        before, after = self._effect_periods()
        periods = before | after
        # sudo: the values of the indicators the action names, in its
        # company, read for the manager who looks at the action
        values = (
            self.env["crm.bsc.indicator.value"]
            .sudo()
            .search(
                [
                    ("indicator_id", "in", self.indicator_ids.ids),
                    ("company_id", "=", self.company_id.id),
                    ("period_id", "in", periods.ids),
                    ("segment_id", "!=", False),
                    ("channel_id", "=", False),
                    ("user_id", "=", False),
                    ("team_id", "=", False),
                    ("has_value", "=", True),
                ]
            )
        )
        # {(indicator, period, targeted?): [values]}
        cells = defaultdict(list)
        for value in values:
            targeted = value.segment_id in self.segment_ids
            cells[value.indicator_id.id, value.period_id.id, targeted].append(
                value.value
            )

        def mean(numbers):
            return sum(numbers) / len(numbers) if numbers else None

        results = []
        for indicator in self.indicator_ids:
            rows = []
            for period in periods.sorted("date_from"):
                rows.append(
                    {
                        "period": period,
                        "after": period in after,
                        "treated": mean(cells.get((indicator.id, period.id, True))),
                        "control": mean(cells.get((indicator.id, period.id, False))),
                    }
                )
            result = did_tools.diff_in_diff(
                [r["treated"] for r in rows if not r["after"]],
                [r["treated"] for r in rows if r["after"]],
                [r["control"] for r in rows if not r["after"]],
                [r["control"] for r in rows if r["after"]],
                direction=indicator.direction or "higher",
            )
            results.append({"indicator": indicator, "rows": rows, "result": result})
        return results
