"""M&E page: progress against targets, status matrix, trends, disaggregation, data quality,
service-quality scorecards and ranking.

Uses :mod:`socialkit.monitoring` (``report.municipality_report`` per municipality and language,
``report.programme_overview`` per language, ``compute_scorecards``), each computed once per
process on the cached tables, and the figures of :mod:`socialkit.plots.monitoring`, as the
``me_indicators`` and ``programme_overview`` notebooks do.

Scoping: the status matrix lists only the municipalities the user may see, and scorecards and
the ranking are computed over the services of those municipalities only (so neither another
municipality's scores nor its services' ranks reach the page).
"""

from __future__ import annotations

import dataclasses

import panel as pn

from ..disclosure import suppression_note
from ..i18n import display_names
from .base import Page, alert, heading, table

__all__ = ["MonitoringPage", "status_legend"]

_TABLES = ("municipalities", "indicator_values", "indicator_targets")


def _report(data, municipality_id: str):
    from ..monitoring import report as mr

    return mr.municipality_report({n: data.table(n) for n in _TABLES}, municipality_id, "en")


def _overview(data, lang: str):
    from ..monitoring import report as mr

    return mr.programme_overview({n: data.table(n) for n in _TABLES}, lang)


def _scorecards(data, service_ids: tuple[str, ...]):
    from ..monitoring import compute_scorecards

    scores = data.table("service_scores")
    return compute_scorecards(scores[scores["service_id"].isin(service_ids)])


def status_legend(lang: str, title: str) -> pn.pane.HTML:
    """The status colours of the matrix and the progress bars, each with its name."""
    import html

    from ..i18n import t
    from ..monitoring.progress import STATUSES
    from ..plots.theme import STATUS_COLOURS

    items = "".join(
        f'<span style="display:inline-flex;align-items:center;margin-right:14px">'
        f'<span style="width:14px;height:14px;background:{STATUS_COLOURS[s]};'
        f'display:inline-block;margin-right:5px;border:1px solid #999"></span>'
        f"{html.escape(t(f'monitoring.status.{s}', lang))}</span>" for s in STATUSES)
    return pn.pane.HTML(f"<div><b>{html.escape(title)}:</b> {items}</div>",
                        sizing_mode="stretch_width", margin=(0, 10),
                        css_classes=["sk-status-legend"])


def radar_legend(service: str, average: str) -> pn.pane.HTML:
    """What the service radar's filled area and dashed line are (drawn like the radar's)."""
    import html

    from ..plots.theme import CATEGORICAL

    area = (f'<span style="width:18px;height:12px;background:{CATEGORICAL[0]};opacity:.45;'
            f'border:2px solid {CATEGORICAL[0]};display:inline-block;margin-right:6px"></span>')
    line = (f'<span style="width:22px;height:0;border-top:2px dashed {CATEGORICAL[7]};'
            'display:inline-block;margin-right:6px;vertical-align:middle"></span>')
    item = '<span style="display:inline-flex;align-items:center;margin-right:18px">{}{}</span>'
    return pn.pane.HTML(f"<div>{item.format(area, html.escape(service))}"
                        f"{item.format(line, html.escape(average))}</div>",
                        sizing_mode="stretch_width", margin=(0, 10),
                        css_classes=["sk-radar-legend"])


class MonitoringPage(Page):
    """Monitoring and evaluation of the chosen municipality."""

    page_id = "monitoring"
    requires = ("socialkit.monitoring", "socialkit.plots.monitoring")

    def render(self) -> pn.viewable.Viewable:
        state = self.state
        mid = state.scope.check(state.municipality_id)
        if state.frame("indicator_values").empty:
            return alert(state.tr("views.no_data", name=state.municipality_name()), "info")
        tr = state.tr
        return self.sections([
            (tr("monitoring.report.progress_heading"), lambda: self._progress(mid)),
            (tr("monitoring.report.trends_heading"), lambda: self._trends(mid)),
            (tr("monitoring.report.disaggregation_heading"), lambda: self._disaggregation(mid)),
            (tr("monitoring.report.quality_heading"), lambda: self._quality(mid)),
            (tr("views.monitoring.status_tab"), self._status_matrix),
            (tr("views.monitoring.services_tab"), lambda: self._services(mid)),
        ])

    # -- indicators of the municipality ----------------------------------------------------
    def _report(self, mid: str):
        """The municipality's M&E report (computed once per process), named in the language."""
        rep = self.state.data.computed("monitoring.report", _report, mid)
        return dataclasses.replace(rep, name=self.state.municipality_name(mid))

    def _progress(self, mid: str) -> pn.viewable.Viewable:
        from ..monitoring import load_framework
        from ..monitoring import report as mr
        from ..plots import monitoring as pm

        state = self.state
        tr, lang, fmt = state.tr, state.lang, state.translator
        fw = load_framework()
        rep = self._report(mid)
        thr = fw.status_thresholds
        intro = tr("monitoring.report.intro", name=rep.name,
                   programme=fw.programme.name.get(lang), on_track=fmt.percent(thr.on_track),
                   at_risk=fmt.percent(thr.at_risk))
        if len(rep.share):
            intro += "\n\n" + fmt.n("summary.text.monitoring_summary",
                                      int(rep.share["n_assessed"]), period=rep.period,
                                      on=fmt.number(int(rep.share["on_track"])),
                                      share=fmt.percent(rep.share["share_on_track"]))
        height = 170 + 40 * len(rep.latest)
        return pn.Column(
            pn.pane.Markdown(intro, margin=(0, 10)),
            # a row of room per indicator: a name on two lines does not run into the next
            pn.pane.HoloViews(pm.progress_bars(rep.latest, lang, fw).opts(
                responsive=True, width=None, height=height, min_width=320, backend="bokeh"),
                backend="bokeh", sizing_mode="stretch_width", height=height),
            table(mr.localise_progress(rep.latest, lang, fw), css_classes=["sk-me-progress"]),
            sizing_mode="stretch_width",
        )

    def _trends(self, mid: str) -> pn.viewable.Viewable:
        from ..monitoring import load_framework
        from ..monitoring import report as mr
        from ..plots import monitoring as pm

        state = self.state
        lang = state.lang
        fw = load_framework()
        rep = self._report(mid)
        parts: list[pn.viewable.Viewable] = [
            pn.pane.Markdown(state.tr("monitoring.report.trend_intro",
                                      tol=state.translator.percent(fw.trend_stable_within, 1)),
                             margin=(0, 10)),
            table(mr.localise_trends(rep.trends, lang, fw)),
        ]
        # one pane per chart (a Layout would be laid out as a grid), each on its own y axis:
        # Panel links the axes of panes with the same dimensions unless told not to, and a
        # percentage and a count must never share one
        for indicator in rep.furthest_behind():
            parts.append(pn.pane.HoloViews(
                pm.trend_chart(rep.series, rep.targets, indicator, lang, fw), backend="bokeh",
                linked_axes=False, css_classes=["sk-trend"]))
        return pn.Column(*parts, sizing_mode="stretch_width")

    def _disaggregation(self, mid: str) -> pn.viewable.Viewable:
        from ..monitoring import load_framework
        from ..monitoring import report as mr
        from ..plots import monitoring as pm

        state = self.state
        lang = state.lang
        fw = load_framework()
        rep = self._report(mid)
        parts: list[pn.viewable.Viewable] = [
            pn.pane.Markdown(suppression_note(lang), margin=(0, 10)),
        ]
        for k, (ind, frame) in enumerate(rep.disaggregations.items()):
            parts.append(heading(fw.indicator(ind).label(lang), 3))
            if k == 0:
                parts.append(pn.pane.HoloViews(
                    pm.disaggregation_bars(frame, ind, rep.period, lang, fw), backend="bokeh"))
            parts.append(table(mr.localise_disaggregation(frame, lang)))
        return pn.Column(*parts, sizing_mode="stretch_width")

    def _quality(self, mid: str) -> pn.viewable.Viewable:
        from ..monitoring import load_framework
        from ..monitoring import report as mr

        state = self.state
        tr, lang, fmt = state.tr, state.lang, state.translator
        fw = load_framework()
        rep = self._report(mid)
        c = rep.completeness
        expected, received = int(c["expected"].sum()), int(c["received"].sum())
        return pn.Column(
            pn.pane.Markdown(tr(
                "monitoring.report.quality_intro",
                completeness=fmt.percent(received / expected if expected else None, 1),
                received=received, expected=expected, z=fmt.number(fw.data_quality.z_score, 1),
                mad=fmt.number(fw.data_quality.mad, 1)), margin=(0, 10)),
            table(mr.localise_outliers(rep.outliers, lang, fw), css_classes=["sk-outliers"])
            if len(rep.outliers)
            else pn.pane.Markdown(tr("monitoring.report.no_outliers"), margin=(0, 10)),
            table(mr.localise_breaches(rep.breaches, lang, fw)) if len(rep.breaches)
            else pn.pane.Markdown(tr("monitoring.report.no_breaches"), margin=(0, 10)),
            sizing_mode="stretch_width",
        )

    # -- across the visible municipalities -------------------------------------------------
    def _status_matrix(self) -> pn.viewable.Viewable:
        from ..monitoring import load_framework
        from ..plots import monitoring as pm

        state = self.state
        ov = state.data.computed("monitoring.overview", _overview, state.lang)
        rows = ov.municipalities[ov.municipalities["unit_id"].isin(state.visible_ids)]
        names = {m: state.municipality_name(m) for m in state.visible_ids}
        height = 330 + 28 * rows["unit_id"].nunique()  # room for the slanted indicator names
        return pn.Column(
            heading(state.tr("monitoring.report.status_heading"), 3),
            status_legend(state.lang, state.tr("glance.monitoring.status_legend")),
            pn.pane.HoloViews(pm.status_matrix(rows, state.lang, load_framework(),
                                               unit_names=names).opts(
                height=height, responsive=True, width=None, min_width=320, backend="bokeh"),
                              backend="bokeh", sizing_mode="stretch_width", height=height),
            sizing_mode="stretch_width",
        )

    # -- services -----------------------------------------------------------------------
    def _services(self, mid: str) -> pn.viewable.Viewable:
        from ..monitoring import load_rubric
        from ..monitoring import report as mr
        from ..plots import monitoring as pm

        state = self.state
        tr, lang = state.tr, state.lang
        services = state.visible_frame("services")
        scored = state.data.table("service_scores")
        ids = tuple(sorted(set(services["service_id"]) & set(scored.get("service_id", []))))
        head = heading(tr("monitoring.report.scorecards_heading"), 3)
        if not ids:
            return pn.Column(head, alert(tr("views.monitoring.no_services"), "info"))
        card = state.data.computed("monitoring.scorecards", _scorecards, ids)
        rubric = load_rubric()
        names = dict(zip(services["service_id"], display_names(services, lang), strict=True))
        own = [s for s in card.totals["service_id"]
               if s in set(services.loc[services["municipality_id"] == mid, "service_id"])]
        plain = mr.localise_scorecard(card.totals, card.agreement, services, lang)
        technical = [tr(f"monitoring.col.{c}") for c in ("alpha", "icc", "evaluators")]
        # services down the side, one row each, so every name is readable at full length
        height = 110 + 30 * len(card.totals)
        ranking = pm.ranking_chart(card.totals, lang, names=names, horizontal=True).opts(
            responsive=True, width=None, height=height, min_width=320, backend="bokeh")
        parts: list[pn.viewable.Viewable] = [
            head,
            pn.pane.Markdown(tr("glance.monitoring.services_text"), margin=(0, 10)),
            pn.pane.HoloViews(ranking, backend="bokeh", sizing_mode="stretch_width",
                              height=height, css_classes=["sk-ranking-chart"]),
            table(plain.drop(columns=[c for c in technical if c in plain]),
                  css_classes=["sk-scorecards"]),
            self.how_computed(
                tr("views.monitoring.scorecards_scope", n=len(ids),
                   alpha=state.translator.number(card.alpha, 2)),
                table(plain)),
        ]
        for sid in own:
            # a box of its own: Bokeh lines up the frames of plots in one column, and the
            # ranking's long service names would push the radar into a strip
            parts.append(pn.Column(
                pn.pane.HoloViews(pm.scorecard_radar(
                    card.standards, sid, lang, rubric,
                    title=tr("monitoring.title.radar", service=names.get(sid, sid))),
                    backend="bokeh"),
                radar_legend(names.get(sid, sid), tr("views.monitoring.radar_average")),
                sizing_mode="stretch_width"))
        highlights = card.highlights[card.highlights["service_id"].isin(own)]
        if len(highlights):
            parts += [heading(tr("monitoring.report.highlights_heading"), 3),
                      table(mr.localise_highlights(highlights, services, lang, rubric))]
        return pn.Column(*parts, sizing_mode="stretch_width")
