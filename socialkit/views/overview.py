"""Overview page: map of the municipalities (their boundaries, or points without a boundaries
file) and a table of their key figures."""

from __future__ import annotations

import holoviews as hv
import numpy as np
import pandas as pd
import panel as pn
import param

from ..data.schemas import FACILITY_KINDS
from ..i18n import Translator, display_names
from ..plots.theme import CATEGORICAL
from .base import Page, heading, table
from .data import boundaries

__all__ = ["OverviewPage", "key_figures", "municipality_summary"]

def municipality_summary(
    municipalities: pd.DataFrame, settlements: pd.DataFrame, facilities: pd.DataFrame
) -> pd.DataFrame:
    """One row per municipality: population, area, density, settlement and facility counts.

    Returns
    -------
    DataFrame
        ``municipality_id, name, name_local, region, district, population, area_km2, density,
        settlements, facilities, lat, lon`` (and ``region_local, district_local`` when the
        table has them) in the order of ``municipalities``.

    Notes
    -----
    ``density = population / area_km2`` (NA when either is missing or the area is 0).
    Counts of settlements and facilities are 0 for a municipality that has none listed.
    """
    columns = ["municipality_id", "name", "name_local", "region", "district", "population",
               "area_km2", "lat", "lon"]
    columns += [c for c in ("region_local", "district_local") if c in municipalities]
    out = municipalities[columns].copy()
    area = pd.to_numeric(out["area_km2"], errors="coerce").astype("Float64")
    population = out["population"].astype("Float64")
    out["density"] = (population / area.where(area > 0)).astype("Float64")
    for name, frame in (("settlements", settlements), ("facilities", facilities)):
        counts = frame.groupby("municipality_id").size() if not frame.empty else pd.Series()
        out[name] = out["municipality_id"].map(counts).fillna(0).astype("Int64")
    return out


def key_figures(
    municipalities: pd.DataFrame,
    settlements: pd.DataFrame,
    facilities: pd.DataFrame,
    municipality_id: str,
) -> pd.DataFrame:
    """Key figures of one municipality as ``figure, kind, value, unit`` rows.

    ``unit`` is ``"count"``, ``"number"`` (one decimal) or ``"share"``. ``kind`` is the facility
    kind for facility rows, else empty.

    Notes
    -----
    Age shares use the settlements whose three age groups are all known:
    ``share_0_17 = sum(pop_0_17) / sum(pop_0_17 + pop_18_59 + pop_60_plus)``.
    """
    muni = municipalities.loc[municipalities["municipality_id"] == municipality_id]
    if muni.empty:
        return pd.DataFrame(columns=["figure", "kind", "value", "unit"])
    row = municipality_summary(muni, settlements, facilities).iloc[0]
    rows: list[tuple[str, str, object, str]] = [
        ("population", "", row["population"], "count"),
        ("area_km2", "", row["area_km2"], "number"),
        ("density", "", row["density"], "number"),
        ("settlements", "", row["settlements"], "count"),
    ]
    own = settlements.loc[settlements["municipality_id"] == municipality_id]
    if not own.empty:
        rows.append(("villages", "", int((own["kind"] == "village").sum()), "count"))
        ages = own[["pop_0_17", "pop_18_59", "pop_60_plus"]].dropna()
        total = ages.sum(axis=1).sum()
        for column in ("pop_0_17", "pop_60_plus"):
            share = float(ages[column].sum()) / float(total) if total else np.nan
            rows.append((column, "", share, "share"))
    own_fac = facilities.loc[facilities["municipality_id"] == municipality_id]
    counts = own_fac.groupby("kind").size() if not own_fac.empty else pd.Series(dtype="int64")
    for kind in FACILITY_KINDS:
        rows.append(("facilities", kind, int(counts.get(kind, 0)), "count"))
    return pd.DataFrame(rows, columns=["figure", "kind", "value", "unit"])


def _format(value: object, unit: str, tr: Translator) -> str:
    if unit == "share":
        return tr.percent(value, 1)
    return tr.number(value, 1 if unit == "number" else 0)


def _municipality_map(summary: pd.DataFrame, selected: str, tr: Translator,
                      shapes=None) -> hv.Element:
    """The municipalities, the chosen one highlighted, name and population on hover.

    With ``shapes`` (municipality-level boundary features) each is drawn as its area, in
    proportion (:func:`socialkit.plots.maps.map_frame`); without, as a point sized by
    population. No axes and no tiles: the map works offline.
    """
    import holoviews.plotting.bokeh  # noqa: F401  the dashboard draws with Bokeh

    from ..plots.maps import map_frame

    frame = summary.assign(
        label=display_names(summary, tr.lang),
        pop=summary["population"].astype("Float64").fillna(0).astype(float),
        colour=np.where(summary["municipality_id"] == selected, CATEGORICAL[5], CATEGORICAL[0]),
        lon=summary["lon"].astype(float),
        lat=summary["lat"].astype(float),
    )[["lon", "lat", "label", "pop", "colour", "municipality_id"]]
    name = tr(
        "views.overview.map_title",
        name=frame.loc[frame["municipality_id"] == selected, "label"].iloc[0]
        if (frame["municipality_id"] == selected).any() else "",
    )
    tooltips = [(tr("views.overview.columns.name"), "@label"),
                (tr("views.overview.columns.population"), "@pop{0,0}")]
    if shapes is not None and len(shapes):
        geoms = shapes.set_index("unit_id").geometry
        polys = []
        for row in frame.itertuples():
            geom = geoms.get(row.municipality_id)
            if geom is None:
                continue
            for poly in getattr(geom, "geoms", [geom]):
                xy = np.asarray(poly.exterior.coords)
                polys.append({"x": xy[:, 0], "y": xy[:, 1], "label": row.label,
                              "pop": row.pop, "colour": row.colour})
        if polys:
            x0, y0, x1, y1 = shapes.total_bounds
            width, height = map_frame((x0, y0, x1, y1), float((y0 + y1) / 2), (520, 420))
            return hv.Polygons(polys, vdims=["label", "pop", "colour"]).opts(
                color="colour", line_color="white", line_width=1.5, alpha=0.85, title=name,
                xaxis=None, yaxis=None, tools=["hover"], frame_width=width,
                frame_height=height, hover_tooltips=tooltips, show_grid=False, backend="bokeh")
    size = 8 + 22 * np.sqrt(frame["pop"] / max(frame["pop"].max(), 1.0))
    frame = frame.assign(size=size.to_numpy())
    points = hv.Points(
        frame, kdims=["lon", "lat"], vdims=["label", "pop", "colour", "size", "municipality_id"]
    )
    return points.opts(
        color="colour", size="size", alpha=0.8, line_color="white", title=name,
        xlabel=tr("views.axis.lon"), ylabel=tr("views.axis.lat"), tools=["hover"],
        frame_width=520, frame_height=380, data_aspect=None, show_grid=True,
        hover_tooltips=tooltips, backend="bokeh",
    )


def _summary_all(data) -> pd.DataFrame:
    return municipality_summary(
        data.table("municipalities"), data.table("settlements"), data.table("facilities")
    )


class OverviewPage(Page):
    """Map of the visible municipalities, key figures of the chosen one, and a summary table.

    The layout is built once per language; choosing another municipality only updates the
    map's data (a HoloViews ``DynamicMap``, so the Bokeh figure is patched, not rebuilt) and
    the key-figures heading and table.
    """

    page_id = "overview"

    @param.depends("state.lang")
    def _view(self) -> pn.viewable.Viewable:
        return self._guarded()

    def _summary(self) -> pd.DataFrame:
        return self.state.scope.filter(self.state.data.computed("overview.summary", _summary_all))

    def _map(self, municipality_id: str) -> hv.Element:
        state = self.state
        shapes = boundaries(state.data)
        if shapes is not None:
            shapes = shapes[(shapes["level"] == "municipality")
                            & shapes["unit_id"].isin(state.visible_ids)]
        return _municipality_map(self._summary(), municipality_id, state.translator, shapes)

    def _figures_heading(self, municipality_id: str) -> str:
        name = self.state.municipality_name(municipality_id)
        return f"### {self.state.tr('views.overview.key_figures', name=name)}"

    def _figures(self, municipality_id: str) -> pd.DataFrame:
        state = self.state
        tr = state.translator
        figures = key_figures(state.frame("municipalities", municipality_id),
                              state.frame("settlements", municipality_id),
                              state.frame("facilities", municipality_id), municipality_id)
        return pd.DataFrame({
            tr("views.overview.figure"): [
                tr(f"views.overview.figures.{f}",
                   kind=tr(f"views.facility_kinds.{k}") if k else "")
                for f, k in zip(figures["figure"], figures["kind"], strict=True)
            ],
            tr("views.overview.value"): [
                _format(v, u, tr) for v, u in zip(figures["value"], figures["unit"], strict=True)
            ],
        })

    def _listing(self) -> pd.DataFrame:
        tr = self.state.translator
        summary = self._summary()
        shown = summary.assign(name=display_names(summary, tr.lang))
        for column in ("region", "district"):  # the oblast and district as the reader's language has them
            if column in shown:
                shown[column] = display_names(summary, tr.lang, column)
        numeric = {"population": 0, "area_km2": 1, "density": 1, "settlements": 0, "facilities": 0}
        return pd.DataFrame({
            tr(f"views.overview.columns.{c}"): (
                shown[c].map(lambda v, d=numeric[c]: tr.number(v, d)) if c in numeric
                else shown[c].astype(str)
            )
            for c in ("name", "region", "district", *numeric)
        })

    def render(self) -> pn.viewable.Viewable:
        state = self.state
        mid = state.param.municipality_id
        the_map = hv.DynamicMap(pn.bind(self._map, mid))
        return pn.Column(
            pn.FlexBox(  # the key figures go under the map when the window is narrow
                pn.pane.HoloViews(the_map, backend="bokeh", name="overview-map",
                                  css_classes=["sk-map"]),
                pn.Column(
                    pn.pane.Markdown(pn.bind(self._figures_heading, mid), margin=(0, 10),
                                     disable_anchors=True, css_classes=["sk-figures-title"]),
                    table(pn.bind(self._figures, mid), css_classes=["sk-key-figures"]),
                    sizing_mode="stretch_width", min_width=300, max_width=460,
                    styles={"flex": "1 1 320px"},
                ),
                flex_wrap="wrap", sizing_mode="stretch_width",
            ),
            heading(state.tr("views.overview.table_title"), 3),
            table(self._listing(), css_classes=["sk-municipalities"]),
            sizing_mode="stretch_width",
        )
