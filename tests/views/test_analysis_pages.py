"""Analysis pages on the demo data: every section renders in both languages, and scoped users
see only their municipalities in cross-municipality figures (heatmap, status matrix, ranking)."""

from __future__ import annotations

import dataclasses

import holoviews as hv
import pandas as pd
import panel as pn
import pytest

from socialkit.maturity.report import safe_radar_frame
from socialkit.views import create_app, from_frames
from socialkit.views.maturity import MIN_PEERS

ANALYSIS_PAGES = ("maturity", "needs", "passport", "monitoring")


@pytest.fixture(scope="module")
def demo_data(demo_tables):
    return from_frames(demo_tables, name="demo")


def _sections(view) -> pn.Tabs | None:
    tabs = view.select(pn.Tabs)
    return tabs[0] if tabs else None


def _open_all(view) -> list[pn.Column]:
    """Open every section tab (building it) and return the tab contents."""
    tabs = _sections(view)
    if tabs is None:
        return [view]
    for i in range(len(tabs)):
        tabs.active = i
    return list(tabs.objects)


def _holoviews(objs) -> list:
    return [p.object for o in objs for p in o.select(pn.pane.HoloViews)]


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_every_section_of_every_analysis_page_renders(demo_data, lang):
    app = create_app(data=demo_data, users=None, query={"lang": [lang.encode()]})
    for page in ANALYSIS_PAGES:
        app.state.page = page
        view = app.page(page)._view()
        problems = [a.object for a in view.select(pn.pane.Alert) if a.alert_type != "info"]
        assert not problems, f"{page}: {problems}"
        contents = _open_all(view)
        assert all(c.objects for c in contents), f"{page}: an empty section"
        for fig in _holoviews(contents):
            hv.render(fig, backend="bokeh")
        tabs = _sections(view)
        if tabs is not None and lang == "uk":
            assert not any(title.isascii() for title in tabs._names), tabs._names


def test_sections_keep_the_open_tab_across_municipality_switch(demo_data):
    app = create_app(data=demo_data, users=None)
    page = app.page("monitoring")
    tabs = _sections(page._view())
    tabs.active = 3
    app.state.select(demo_data.municipality_ids[2])
    tabs = _sections(page._view())
    assert tabs.active == 3
    assert tabs.objects[3].objects and not tabs.objects[0].objects  # only the open one built


def test_scoped_user_sees_only_own_municipalities_in_cross_municipality_figures(demo_data):
    ids = demo_data.municipality_ids
    names = dict(zip(ids, demo_data.table("municipalities")["name"], strict=True))
    mine = frozenset(ids[:2])
    app = create_app(data=demo_data, users={"olena": mine}, user="olena")
    # maturity heatmap
    app.state.page = "maturity"
    contents = _open_all(app.page("maturity")._view())
    heat = [f for f in _holoviews(contents[1:2]) if isinstance(f, hv.HeatMap)][0]
    assert set(heat.data["municipality"]) == {names[m] for m in mine}
    # M&E status matrix and service ranking
    app.state.page = "monitoring"
    contents = _open_all(app.page("monitoring")._view())
    matrix = [f for f in _holoviews(contents[4:5]) if isinstance(f, hv.HeatMap)][0]
    assert set(matrix.data["unit"]) == {names[m] for m in mine}
    services = demo_data.table("services")
    own_services = set(services.loc[services["municipality_id"].isin(mine), "service_id"])
    card = demo_data.computed("monitoring.scorecards", lambda d, s: None, tuple(sorted(
        own_services & set(demo_data.table("service_scores")["service_id"]))))
    assert set(card.totals["service_id"]) == own_services & set(
        demo_data.table("service_scores")["service_id"])
    text = " ".join(p.object.to_string() for c in contents for p in c.select(pn.pane.DataFrame))
    others = [names[m] for m in ids if m not in mine]
    assert not any(n in text for n in others)


def test_radar_peer_average_needs_enough_peers(demo_data):
    from socialkit.views.maturity import _assess

    result = demo_data.computed("maturity.assess", _assess)
    mid = demo_data.municipality_ids[0]
    rnd = sorted(result.scores.loc[result.scores["municipality_id"] == mid, "round"])[-1]
    frame, group = safe_radar_frame(result, mid, rnd, "en")
    assert group == "region" and frame["peer_mean"].notna().all()
    b = result.benchmarks.copy()
    mask = (b["municipality_id"] == mid) & (b["peer_group"] == "region")
    b.loc[mask, "n_peers"] = MIN_PEERS  # the municipality and one other
    frame, group = safe_radar_frame(dataclasses.replace(result, benchmarks=b), mid, rnd, "en")
    assert group in ("size", "all")
    b["n_peers"] = 1
    frame, group = safe_radar_frame(dataclasses.replace(result, benchmarks=b), mid, rnd, "en")
    assert group is None and frame["peer_mean"].isna().all()
    assert pd.api.types.is_numeric_dtype(frame["score"])


def test_maturity_page_in_two_languages_assesses_once(demo_tables, monkeypatch):
    """The assessment is language-free: switching the dashboard's language shows the same
    result in the other language instead of assessing again (it ran once per language)."""
    import socialkit.maturity as maturity

    calls = []
    real = maturity.assess
    monkeypatch.setattr(maturity, "assess", lambda *a, **k: calls.append(1) or real(*a, **k))
    data = from_frames(demo_tables, name="demo")
    headers = {}
    for lang in ("en", "uk"):
        app = create_app(data=data, users=None, query={"lang": [lang.encode()]})
        app.state.page = "maturity"
        contents = _open_all(app.page("maturity")._view())
        headers[lang] = [list(t.object.columns) for c in contents
                         for t in c.select(pn.pane.DataFrame)]
    assert len(calls) == 1
    assert headers["en"] and headers["uk"]
    assert headers["en"][0] != headers["uk"][0]


def test_trend_charts_do_not_share_a_y_axis(demo_data):
    """M&E → Trends: each indicator on its own y axis in the served page (a percentage and a
    count on one 20–140 axis read wrong). Panel links the axes of panes showing the same
    dimensions unless the pane says not to: rendered into one document, the figures' y ranges
    must be distinct objects."""
    from bokeh.document import Document
    from bokeh.models import Plot

    app = create_app(data=demo_data, users=None, query={"lang": [b"en"]})
    app.state.page = "monitoring"
    view = app.page("monitoring")._view()
    tabs = _sections(view)
    tabs.active = 1
    trends = tabs.objects[1].select(pn.pane.HoloViews)
    assert len(trends) >= 2
    column = pn.Column(*trends)
    doc = Document()
    root = column.get_root(doc)
    figs = list(root.select({"type": Plot}))
    assert len(figs) >= 2
    assert len({id(f.y_range) for f in figs}) == len(figs)
