"""Needs page: tapping a settlement on the cluster map shows its details."""

from __future__ import annotations

import panel as pn
import pytest

from socialkit.i18n import Translator
from socialkit.views import create_app, from_frames
from socialkit.views.needs import nearest_settlement, settlement_details


def test_settlement_details_localised(frames):
    out = settlement_details(frames["settlements"], "S2", Translator("uk"),
                             extra={"Індекс (0–100)": "42,0"})
    assert out.columns.tolist() == ["Поле", "Значення"]
    values = dict(zip(out["Поле"], out["Значення"], strict=True))
    assert values["Населений пункт"] == "Дубки"
    assert values["Тип"] == "село"
    assert values["Населення"] == "200"
    assert values["Індекс (0–100)"] == "42,0"


def test_nearest_settlement(frames):
    s = frames["settlements"]
    assert nearest_settlement(s, 37.09, 48.11) == "S2"  # next to Dubky (37.1, 48.1)
    assert nearest_settlement(s, 38.2, 49.3) == "S4"
    assert nearest_settlement(s.iloc[0:0], 37.0, 48.0) is None


@pytest.fixture(scope="module")
def demo_data(demo_tables):
    return from_frames(demo_tables, name="demo")


def test_tap_on_cluster_map_shows_settlement_details(demo_data):
    app = create_app(data=demo_data, users=None, query={"page": [b"needs"]})
    page = app.page("needs")
    view = page._view()
    details = view.select(lambda o: "sk-settlement-details" in (o.css_classes or []))[0]
    assert "Tap a settlement" in str(details.objects[0].object)
    mid = app.state.municipality_id
    st = demo_data.table("settlements")
    target = st[st["municipality_id"] == mid].iloc[3]
    page._tap.event(x=float(target["lon"]) + 0.001, y=float(target["lat"]))
    text = details.select(pn.pane.DataFrame)[0].object.to_string()
    assert target["name"] in text
    assert "Index (0–100)" in text and "Cluster" in text


def test_scoped_user_cannot_reach_other_settlements_by_tap(demo_data):
    ids = demo_data.municipality_ids
    app = create_app(data=demo_data, users={"o": frozenset({ids[0]})}, user="o",
                     query={"page": [b"needs"]})
    page = app.page("needs")
    view = page._view()
    st = demo_data.table("settlements")
    other = st[st["municipality_id"] == ids[5]].iloc[0]
    page._tap.event(x=float(other["lon"]), y=float(other["lat"]))  # a click far away
    details = view.select(lambda o: "sk-settlement-details" in (o.css_classes or []))[0]
    text = details.select(pn.pane.DataFrame)[0].object.to_string()
    own = set(st.loc[st["municipality_id"] == ids[0], "name"])
    assert other["name"] not in text or other["name"] in own
    assert any(name in text for name in own)
