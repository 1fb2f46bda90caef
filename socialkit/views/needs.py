"""Needs page: cluster map (tap a settlement for its details), cluster profiles, vulnerability
ranking and underserved settlements.

Uses :func:`socialkit.vulnerability.vulnerability_index` (settlement level) and
:func:`socialkit.vulnerability.needs_clusters` (:mod:`socialkit.needs`), each computed once per
process on the cached tables, with the localised tables of :mod:`socialkit.vulnerability` and
the figures of :mod:`socialkit.plots.vulnerability` / :mod:`socialkit.plots.needs`.

Clusters are a typology of all settlements in the data; ranks are positions among all
settlements. For a user limited to some municipalities (:mod:`socialkit.views.scope`) both are
aggregates over settlements they may not see, so the page goes through :func:`scoped_clusters`
and :func:`scoped_vulnerability` (:mod:`socialkit.scoping`): cluster sizes and shares count the
settlements they see, a cluster's profile (a mean over its members) is shown only when no
hidden settlement follows from it, and ranks are among the settlements they see.
"""

from __future__ import annotations

import dataclasses

import holoviews as hv
import numpy as np
import pandas as pd
import panel as pn

from ..i18n import Translator, display_name
from ..scoping import aggregate_is_safe
from .base import Page, alert, heading, table
from .data import boundaries

__all__ = ["NeedsPage", "nearest_settlement", "safe_profiles", "scoped_clusters",
           "scoped_vulnerability", "settlement_details"]

_TABLES = ("municipalities", "settlements", "facilities", "passport_values")
_DETAIL_FIELDS = ("name", "kind", "population", "pop_0_17", "pop_18_59", "pop_60_plus")


def _vulnerability(data):
    from ..vulnerability import vulnerability_index

    return vulnerability_index({n: data.table(n) for n in _TABLES}, level="settlement")


def _clusters(data):
    from ..vulnerability import needs_clusters

    return needs_clusters(data.computed("needs.vulnerability", _vulnerability))


def _visible_settlements(data, visible: tuple[str, ...]) -> set:
    st = data.table("settlements")
    return set(st.loc[st["municipality_id"].isin(visible), "settlement_id"])


def safe_profiles(labels: pd.Series, visible: set | None) -> set:
    """Clusters whose profile may be shown to a reader who sees the settlements ``visible``.

    A profile is a mean over the cluster's members, and the z-scores it averages sum to 0 over
    all clustered settlements (so that sum counts as shown too); clusters are taken in order
    and each is kept when :func:`socialkit.scoping.aggregate_is_safe` allows it with those
    kept before. ``visible=None``: every cluster.
    """
    clusters = sorted(pd.unique(labels))
    if visible is None:
        return set(clusters)
    shown = [set(labels.index)]
    safe = set()
    for c in clusters:
        members = set(labels.index[labels.to_numpy() == c])
        if aggregate_is_safe(members, visible, shown):
            safe.add(c)
            shown.append(members)
    return safe


def scoped_clusters(clusters, visible: set | None):
    """What the cluster section may show a reader who sees the settlements ``visible``.

    Sizes (and so shares) count the visible settlements of each cluster; the profile of a
    cluster :func:`safe_profiles` does not allow is missing (NaN). ``visible=None``: the
    result unchanged.
    """
    if visible is None:
        return clusters
    labels = clusters.labels
    mine = labels[labels.index.isin(visible)]
    sizes = mine.value_counts().reindex(clusters.sizes.index, fill_value=0).rename("size")
    keep = safe_profiles(labels, visible)
    withheld = [c for c in clusters.profiles.index if c not in keep]
    profiles = clusters.profiles.astype(float).copy()
    profiles.loc[withheld] = np.nan
    means = clusters.means.astype(float).copy()
    means.loc[[c for c in withheld if c in means.index]] = np.nan
    members = clusters.members[clusters.members.index.isin(visible)]
    return dataclasses.replace(clusters, sizes=sizes, profiles=profiles, means=means,
                               members=members, labels=mine)


def scoped_vulnerability(result, visible: set | None):
    """The vulnerability result as a reader who sees the settlements ``visible`` may see it:
    only those settlements, ranked among themselves (1 = most vulnerable), without the rank
    bands (positions among all settlements). ``visible=None``: the result unchanged."""
    if visible is None:
        return result
    s = result.scores
    s = s[s["unit_id"].isin(visible)].copy()
    for column in [c for c in s.columns if c.endswith("_rank") and c not in
                   ("median_rank", "q05_rank", "q95_rank")]:
        code = column[: -len("_rank")]
        if code in s:
            s[column] = pd.array(s[code].rank(method="min", ascending=False), dtype="Int64")
    s = s.drop(columns=["median_rank", "q05_rank", "q95_rank"], errors="ignore")
    return dataclasses.replace(result, scores=s, uncertainty=None)


def _scoped_vulnerability(data, visible: tuple[str, ...] | None):
    result = data.computed("needs.vulnerability", _vulnerability)
    return scoped_vulnerability(result, None if visible is None
                                else _visible_settlements(data, visible))


def _scoped_clusters(data, visible: tuple[str, ...] | None):
    clusters = data.computed("needs.clusters", _clusters)
    return scoped_clusters(clusters, None if visible is None
                           else _visible_settlements(data, visible))


def nearest_settlement(settlements: pd.DataFrame, lon: float, lat: float) -> str | None:
    """Id of the settlement nearest to (``lon``, ``lat``), distances on a local flat projection.

    Notes
    -----
    ``d² = ((lon - lon_s) cos φ)² + (lat - lat_s)²`` with φ the mean latitude of the settlements
    (enough to pick the point under a click).
    """
    if settlements.empty or lon is None or lat is None:
        return None
    s_lat = settlements["lat"].astype(float).to_numpy()
    s_lon = settlements["lon"].astype(float).to_numpy()
    scale = np.cos(np.radians(np.nanmean(s_lat)))
    d2 = ((s_lon - lon) * scale) ** 2 + (s_lat - lat) ** 2
    return str(settlements["settlement_id"].iloc[int(np.nanargmin(d2))])


def settlement_details(settlements: pd.DataFrame, settlement_id: str, tr: Translator,
                       extra: dict[str, str] | None = None) -> pd.DataFrame:
    """Localised two-column table (field, value) describing one settlement.

    ``extra`` adds already-formatted rows (e.g. vulnerability index, rank, cluster).
    """
    row = settlements.loc[settlements["settlement_id"] == settlement_id]
    columns = [tr("views.needs.field"), tr("views.needs.value")]
    if row.empty:
        return pd.DataFrame(columns=columns)
    rec = row.iloc[0]
    values = []
    for field in _DETAIL_FIELDS:
        value = rec.get(field)
        if field == "name":
            value = display_name(rec, tr.lang)
        elif field == "kind":
            value = tr(f"views.needs.kinds.{value}")
        else:
            value = tr.number(value)
        values.append((tr(f"views.needs.fields.{field}"), str(value)))
    values += list((extra or {}).items())
    return pd.DataFrame(values, columns=columns)


class NeedsPage(Page):
    """Needs of the chosen municipality's settlements."""

    page_id = "needs"
    requires = ("socialkit.vulnerability", "socialkit.needs", "socialkit.plots.vulnerability",
                "socialkit.plots.needs")

    def render(self) -> pn.viewable.Viewable:
        state = self.state
        tr = state.tr
        mid = state.scope.check(state.municipality_id)
        if state.frame("settlements").empty or state.frame("passport_values").empty:
            return alert(tr("views.no_data", name=state.municipality_name()), "info")
        return self.sections([
            (tr("vulnerability.sections.map"), lambda: self._map(mid)),
            (tr("vulnerability.sections.clusters"), self._profiles),
            (tr("vulnerability.sections.ranking"), lambda: self._ranking(mid)),
            (tr("vulnerability.sections.underserved"), lambda: self._underserved(mid)),
        ])

    def _visible(self) -> tuple[str, ...] | None:
        state = self.state
        return None if state.scope.allowed is None else tuple(state.visible_ids)

    def _result(self):
        return self.state.data.computed("needs.scoped_vulnerability", _scoped_vulnerability,
                                        self._visible())

    def _cluster_result(self):
        return self.state.data.computed("needs.scoped_clusters", _scoped_clusters,
                                        self._visible())

    # -- map with settlement details ----------------------------------------------------
    def _map(self, mid: str) -> pn.viewable.Viewable:
        from ..needs.display import cluster_name
        from ..plots.maps import choropleth
        from ..vulnerability import facility_points
        from ..vulnerability.mapframes import map_points

        state = self.state
        tr, lang = state.tr, state.lang
        result, clusters = self._result(), self._cluster_result()
        settlements = state.frame("settlements", mid)
        points = map_points(result, settlements, mid, lang, clusters)
        facilities = facility_points(result, settlements, state.frame("facilities", mid), mid,
                                     lang)
        overlay = choropleth(
            points, "cluster", boundaries(state.data, mid),
            facilities[facilities["inside"]], categorical=True, static=False,
            title=tr("views.needs.map_title"),
            legend_title=tr("vulnerability.columns.cluster"), lang=lang)
        tap = hv.streams.Tap(source=overlay, x=None, y=None)
        details = pn.Column(alert(tr("views.needs.tap_hint"), "info"),
                            sizing_mode="stretch_width", css_classes=["sk-settlement-details"])
        scores = result.scores.set_index("unit_id")
        labels = clusters.labels

        def _show(x: float | None = None, y: float | None = None) -> None:
            sid = nearest_settlement(settlements, x, y) if x is not None else None
            if sid is None:
                return
            extra = {}
            if sid in scores.index:
                extra[tr("vulnerability.columns.score")] = tr_num(scores.at[sid, result.top], 1)
                extra[tr("vulnerability.columns.rank_in_municipality")] = tr_num(
                    scores.at[sid, "rank_in_municipality"], 0)
            if sid in labels.index:
                c = int(labels.at[sid])
                extra[tr("vulnerability.columns.cluster")] = f"{c}. {cluster_name(clusters, c, lang)}"
            details.objects = [heading(tr("views.needs.details"), 3),
                               table(settlement_details(settlements, sid, state.translator,
                                                        extra))]

        def tr_num(value: object, decimals: int) -> str:
            return state.translator.number(value, decimals)

        tap.add_subscriber(_show)
        self._tap = tap  # tests drive it like a click
        return pn.Column(
            pn.pane.Markdown(tr("glance.needs.map_text"), margin=(0, 10)),
            pn.FlexBox(pn.pane.HoloViews(overlay, backend="bokeh", css_classes=["sk-map"]),
                       pn.Column(details, sizing_mode="stretch_width", min_width=280,
                                 styles={"flex": "1 1 300px"}),
                       sizing_mode="stretch_width", flex_wrap="wrap"),
            self.how_computed(tr("glance.maps_note")),
            sizing_mode="stretch_width",
        )

    # -- clusters -----------------------------------------------------------------------
    def _profiles(self) -> pn.viewable.Viewable:
        from ..needs.display import cluster_names, explain_k
        from ..plots.needs import profile_heatmap
        from ..vulnerability import cluster_table, profile_table

        state = self.state
        tr, lang = state.tr, state.lang
        clusters = self._cluster_result()
        names = pd.Series({c: f"{c}. {n}" for c, n in cluster_names(clusters, lang).items()})
        text = tr("glance.needs.clusters_text")
        if self._visible() is not None:
            text += " " + tr("security.scoping.needs_scoped")
        method = tr("vulnerability.sections.clusters_text", method=tr(f"needs.method.{clusters.method}"),
                    k=clusters.k, rule=explain_k(clusters, lang))
        shown = clusters.profiles.dropna(how="all")
        heat = None
        if len(shown):
            heat = profile_heatmap(shown, names.reindex(shown.index), lang=lang,
                                   title=tr("vulnerability.sections.clusters"))
            height = 330 + 60 * len(shown)  # room for the slanted variable names
            heat = heat.opts(responsive=True, width=None, height=height, min_width=320,
                             backend="bokeh")
        return pn.Column(
            pn.pane.Markdown(text, margin=(0, 10)),
            table(cluster_table(clusters, lang), css_classes=["sk-clusters"]),
            pn.pane.HoloViews(heat, backend="bokeh", sizing_mode="stretch_width",
                              height=height) if heat is not None else pn.Spacer(height=0),
            self.how_computed(method, table(profile_table(clusters, lang),
                                            css_classes=["sk-profiles"])),
            sizing_mode="stretch_width",
        )

    # -- ranking and underserved ---------------------------------------------------------
    def _ranking(self, mid: str) -> pn.viewable.Viewable:
        from ..plots.maps import choropleth
        from ..vulnerability import facility_points, ranking_table
        from ..vulnerability.mapframes import map_points

        state = self.state
        tr, lang = state.tr, state.lang
        result = self._result()
        settlements = state.frame("settlements", mid)
        points = map_points(result, settlements, mid, lang)
        facilities = facility_points(result, settlements, state.frame("facilities", mid), mid,
                                     lang)
        intro = tr("glance.needs.ranking_text")
        if self._visible() is not None:
            intro += " " + tr("security.scoping.ranks_scoped")
        overlay = choropleth(
            points, "score", boundaries(state.data, mid),
            facilities[facilities["inside"]], static=False,
            title=tr("maps.vulnerability_title", name=state.municipality_name(mid)),
            legend_title=tr("maps.vulnerability_legend"), lang=lang)
        return pn.Column(
            pn.pane.Markdown(intro, margin=(0, 10)),
            pn.pane.HoloViews(overlay, backend="bokeh", css_classes=["sk-map"]),
            table(ranking_table(result, mid, lang), css_classes=["sk-ranking"]),
            self.how_computed(tr("vulnerability.intro"), tr("glance.maps_note")),
            sizing_mode="stretch_width",
        )

    def _underserved(self, mid: str) -> pn.viewable.Viewable:
        from ..vulnerability import needs_headline, underserved_table

        state = self.state
        tr, lang = state.tr, state.lang
        result = self._result()
        km = state.translator.number(result.spec.access.threshold_km)
        rows = underserved_table(result, mid, lang)
        return pn.Column(
            pn.pane.Markdown(needs_headline(result, mid, state.municipality_name(mid), lang),
                             margin=(0, 10)),
            pn.pane.Markdown(tr("vulnerability.sections.underserved_text", km=km) if len(rows)
                             else tr("vulnerability.sections.underserved_none", km=km),
                             margin=(0, 10)),
            table(rows, css_classes=["sk-underserved"]) if len(rows) else pn.Spacer(height=0),
            sizing_mode="stretch_width",
        )
