"""Digital maturity page: radar against peers, dimension heatmap, progress, gaps, action plan.

Uses :func:`socialkit.maturity.assess` (computed once per process on the cached data, for
every language), the localised tables of :mod:`socialkit.maturity.report` and the figures of
:mod:`socialkit.plots.maturity`, as the ``digital_maturity`` notebook does.

Scoping: the heatmap lists only the municipalities the user may see. The radar's peer average
is an aggregate over the peer group that may hold municipalities the user may not see; it is
shown only when :mod:`socialkit.scoping` says no such municipality can be worked out from it
(together with the averages shown on the user's other radars), trying the oblast, then the
size class, then all municipalities, else no peer line. The PDF report applies the same rule
through the same function (:func:`socialkit.maturity.report.safe_radar_frame`, by way of
:func:`~socialkit.maturity.report.printed_radar`).
"""

from __future__ import annotations

import dataclasses

import panel as pn

from .base import Page, alert, heading, table

__all__ = ["MaturityPage"]


def __getattr__(name: str):
    if name == "MIN_PEERS":  # re-exported lazily: the analysis may be missing
        from ..maturity.report import MIN_PEERS

        return MIN_PEERS
    raise AttributeError(name)


def _assess(data):
    """The assessment, once per process for these data: language-free, every language's page
    shows the same result (:mod:`socialkit.maturity.report` translates it)."""
    from ..maturity import assess

    return assess(data.table("maturity_responses"), municipalities=data.table("municipalities"),
                  currency=data.currency)


def _peer_plan(data, visible: tuple[str, ...] | None) -> dict:
    from ..maturity import report

    result = data.computed("maturity.assess", _assess)
    ids = visible if visible is not None else data.municipality_ids
    return report.safe_peer_groups(result, ids, None if visible is None else set(visible))


class MaturityPage(Page):
    """Digital maturity of the chosen municipality, against its peers and over time."""

    page_id = "maturity"
    requires = ("socialkit.maturity", "socialkit.plots.maturity")

    def render(self) -> pn.viewable.Viewable:
        state = self.state
        tr = state.tr
        mid = state.scope.check(state.municipality_id)
        if state.frame("maturity_responses").empty:
            return alert(tr("views.no_data", name=state.municipality_name()), "info")
        return self.sections([
            (tr("maturity.notebook.radar"), lambda: self._radar(mid)),
            (tr("maturity.notebook.heatmap"), lambda: self._heatmap(mid)),
            (tr("maturity.notebook.progress"), lambda: self._progress(mid)),
            (tr("maturity.notebook.plan"), lambda: self._plan(mid)),
        ])

    def _result(self):
        return self.state.data.computed("maturity.assess", _assess)

    def _radar(self, mid: str) -> pn.viewable.Viewable:
        from ..maturity import report
        from ..plots.maturity import maturity_radar

        state = self.state
        tr, lang = state.tr, state.lang
        result = self._result()
        shown = report.pick_round(result, mid)
        name = state.municipality_name(mid)
        visible = None if state.scope.allowed is None else tuple(state.visible_ids)
        plan = state.data.computed("maturity.peer_plan", _peer_plan, visible)
        radar, group = report.safe_radar_frame(result, mid, shown, lang, visible, plan.get(mid))
        peers = report.peer_label(result, mid, shown, lang, group) if group else ""
        return pn.Column(
            pn.pane.Markdown(report.headline(result, mid, shown, lang), margin=(0, 10)),
            pn.Row(
                pn.pane.HoloViews(maturity_radar(radar, name=name, peer_name=peers,
                                                 title=tr("maturity.plot.radar_title")),
                                  backend="bokeh", width=480, height=440, sizing_mode="fixed"),
                table(report.view(result, "scores", mid, lang, shown),
                      css_classes=["sk-maturity-scores"]),
                sizing_mode="stretch_width",
            ),
            sizing_mode="stretch_width",
        )

    def _heatmap(self, mid: str) -> pn.viewable.Viewable:
        from ..maturity import report
        from ..plots.maturity import maturity_heatmap

        state = self.state
        tr, lang = state.tr, state.lang
        result = self._result()
        shown = report.pick_round(result, mid)
        visible = dataclasses.replace(result, scores=state.scope.filter(result.scores))
        frame = report.heatmap_frame(visible, shown, lang)
        height = 160 + 30 * frame["municipality"].nunique()
        return pn.pane.HoloViews(maturity_heatmap(
            frame, title=tr("maturity.plot.heatmap_title"),
            xlabel=tr("maturity.plot.axis_dimension"),
            ylabel=tr("maturity.plot.axis_municipality"), clabel=tr("maturity.plot.axis_score"),
            lang=lang), backend="bokeh", sizing_mode="stretch_width", height=height)

    def _progress(self, mid: str) -> pn.viewable.Viewable:
        from ..maturity import report
        from ..maturity.progress import summarise_progress
        from ..plots.maturity import maturity_progress

        state = self.state
        tr, lang = state.tr, state.lang
        result = self._result()
        parts: list[pn.viewable.Viewable] = [
            pn.pane.Markdown(summarise_progress(result.progress, mid, result.framework, lang),
                             margin=(0, 10)),
        ]
        progress = report.progress_frame(result, mid, lang)
        if progress["round"].nunique() > 1:
            parts.append(pn.pane.HoloViews(maturity_progress(
                progress, title=tr("maturity.plot.progress_title"),
                xlabel=tr("maturity.plot.axis_dimension"), ylabel=tr("maturity.plot.axis_score"),
                lang=lang), backend="bokeh", sizing_mode="stretch_width", height=360))
            parts.append(table(report.view(result, "progress", mid, lang)))
        return pn.Column(*parts, sizing_mode="stretch_width")

    def _plan(self, mid: str) -> pn.viewable.Viewable:
        from ..maturity import report

        state = self.state
        tr, lang = state.tr, state.lang
        result = self._result()
        plan = report.view(result, "action_plan", mid, lang)
        return pn.Column(
            heading(tr("maturity.notebook.gaps"), 3),
            pn.pane.Markdown(tr("maturity.notebook.insufficient_note"), margin=(0, 10)),
            table(report.view(result, "gaps", mid, lang)),
            heading(tr("maturity.notebook.plan"), 3),
            pn.pane.Markdown(tr("maturity.about.action_priority", capacity=result.capacity)
                             if len(plan) else tr("maturity.notebook.plan_none"), margin=(0, 10)),
            table(plan, css_classes=["sk-action-plan"]),
            sizing_mode="stretch_width",
        )
