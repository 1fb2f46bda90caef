"""Needs page: map of the municipality's settlements (tap one to see its details).

The cluster colours, cluster profiles, vulnerability ranking and underserved settlements come
from ``socialkit.needs`` / ``socialkit.access``; while those are not installed the page says so
and shows the settlement map with its details only.
"""

from __future__ import annotations

import holoviews as hv
import numpy as np
import pandas as pd
import panel as pn

from ..i18n import Translator
from ..plots.theme import CATEGORICAL
from .base import Page, alert, heading, module_available, table

__all__ = ["NeedsPage", "settlement_details"]

_DETAIL_FIELDS = ("name", "kind", "population", "pop_0_17", "pop_18_59", "pop_60_plus")


def settlement_details(settlements: pd.DataFrame, settlement_id: str, tr: Translator) -> pd.DataFrame:
    """Localised two-column table (field, value) describing one settlement."""
    row = settlements.loc[settlements["settlement_id"] == settlement_id]
    if row.empty:
        return pd.DataFrame(columns=[tr("views.needs.field"), tr("views.needs.value")])
    rec = row.iloc[0]
    values = []
    for field in _DETAIL_FIELDS:
        value = rec.get(field)
        if field == "name":
            value = rec.get("name_local") if tr.lang == "uk" else value
        elif field == "kind":
            value = tr(f"views.needs.kinds.{value}")
        else:
            value = tr.number(value)
        values.append((tr(f"views.needs.fields.{field}"), str(value)))
    return pd.DataFrame(values, columns=[tr("views.needs.field"), tr("views.needs.value")])


def _settlement_map(settlements: pd.DataFrame, tr: Translator) -> hv.Points:
    frame = pd.DataFrame({
        "lon": settlements["lon"].astype(float),
        "lat": settlements["lat"].astype(float),
        "label": settlements["name_local" if tr.lang == "uk" else "name"].astype(str),
        "pop": settlements["population"].astype("Float64").fillna(0).astype(float),
        "settlement_id": settlements["settlement_id"].astype(str),
    })
    frame["size"] = 6 + 18 * np.sqrt(frame["pop"] / max(frame["pop"].max(), 1.0))
    return hv.Points(frame, kdims=["lon", "lat"], vdims=["label", "pop", "size", "settlement_id"]).opts(
        size="size", color=CATEGORICAL[0], alpha=0.8, line_color="white",
        selection_color=CATEGORICAL[5], nonselection_alpha=0.4,
        tools=["tap", "hover"], title=tr("views.needs.map_title"),
        xlabel=tr("views.axis.lon"), ylabel=tr("views.axis.lat"), responsive=True, height=420,
        hover_tooltips=[(tr("views.needs.fields.name"), "@label"),
                        (tr("views.needs.fields.population"), "@pop{0,0}")],
    )


class NeedsPage(Page):
    """Settlement map with details on tap, plus the needs analyses once installed."""

    page_id = "needs"

    def render(self) -> pn.viewable.Viewable:
        state = self.state
        tr = state.translator
        settlements = state.frame("settlements")
        if settlements.empty:
            return alert(tr("views.no_data", name=state.municipality_name()), "info")
        points = _settlement_map(settlements, tr)
        selection = hv.streams.Selection1D(source=points)
        details = pn.Column(alert(tr("views.needs.tap_hint"), "info"),
                            sizing_mode="stretch_width", css_classes=["sk-settlement-details"])

        def _show(index: list[int]) -> None:
            if not index:
                return
            sid = str(settlements.iloc[index[0]]["settlement_id"])
            details.objects = [heading(tr("views.needs.details"), 3),
                               table(settlement_details(settlements, sid, tr))]

        selection.add_subscriber(lambda index: _show(index))
        parts: list[pn.viewable.Viewable] = [
            pn.Row(pn.pane.HoloViews(points, backend="bokeh", sizing_mode="stretch_width",
                                     height=440, min_width=420),
                   pn.Column(details, width=380), sizing_mode="stretch_width"),
        ]
        if not module_available("socialkit.needs"):
            parts.append(alert(tr("views.not_available", module="socialkit.needs"), "warning"))
        return pn.Column(*parts, sizing_mode="stretch_width")
