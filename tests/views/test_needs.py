"""Needs page: tapping a settlement on the map shows its details."""

from __future__ import annotations

import holoviews as hv
import panel as pn

from socialkit.i18n import Translator
from socialkit.views import create_app
from socialkit.views.needs import settlement_details


def test_settlement_details_localised(frames):
    out = settlement_details(frames["settlements"], "S2", Translator("uk"))
    assert out.columns.tolist() == ["Поле", "Значення"]
    values = dict(zip(out["Поле"], out["Значення"], strict=True))
    assert values["Населений пункт"] == "Дубки"
    assert values["Тип"] == "село"
    assert values["Населення"] == "200"


def test_tap_on_map_shows_settlement_details(data):
    app = create_app(data=data, users=None)
    app.state.page = "needs"
    view = app.page("needs")._view()
    pane = view.select(pn.pane.HoloViews)[0]
    points = pane.object
    streams = [s for s in hv.streams.Stream.registry.get(points, [])
               if isinstance(s, hv.streams.Selection1D)]
    assert streams, "the settlement map must have a tap selection stream"
    details = view.select(lambda o: "sk-settlement-details" in (o.css_classes or []))[0]
    assert "Tap a settlement" in str(details.objects[0].object)
    streams[0].event(index=[1])  # the second settlement of Alpha: Dubky
    frame = details.select(pn.pane.DataFrame)[0].object
    assert "Dubky" in frame.to_string() and "200" in frame.to_string()
