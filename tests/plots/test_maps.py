"""Choropleth maps for reports: classes chosen for the data, legend, names, no tiles, fallback."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

from socialkit.data.demo import generate_demo
from socialkit.data.demo.boundaries import generate as generate_boundaries
from socialkit.i18n import format_number, t

pytestmark = [pytest.mark.usefixtures("static_svg"),
              pytest.mark.filterwarnings("ignore:Numba not installed")]

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def one_municipality():
    """A demo municipality: settlements with a made-up score, facilities, boundaries."""
    tables = generate_demo(3, seed=5)
    shapes = generate_boundaries(tables)
    import geopandas as gpd

    gdf = gpd.GeoDataFrame(shapes.assign(synthetic=True), geometry="geometry", crs="EPSG:4326")
    mid = tables["municipalities"]["municipality_id"].iloc[0]
    st = tables["settlements"].loc[tables["settlements"]["municipality_id"] == mid]
    rng = np.random.default_rng(3)
    points = pd.DataFrame({"lon": st["lon"].to_numpy(float), "lat": st["lat"].to_numpy(float),
                           "name": st["name"].to_numpy(), "name_local": st["name_local"].to_numpy(),
                           "population": pd.to_numeric(st["population"]).to_numpy(),
                           "score": rng.uniform(29, 53, len(st))},
                          index=pd.Index(st["settlement_id"].to_numpy(), name="settlement_id"))
    points.iloc[2, points.columns.get_loc("score")] = np.nan  # one without a value
    fac = tables["facilities"]
    fac = fac.loc[fac["kind"].isin(["social_service_centre", "primary_care"])]
    facilities = pd.DataFrame({"lon": fac["lon"].to_numpy(float),
                               "lat": fac["lat"].to_numpy(float),
                               "kind": fac["kind"].to_numpy(),
                               "inside": (fac["municipality_id"] == mid).to_numpy()})
    return points, gdf.loc[gdf["municipality_id"] == mid], facilities


def _texts(svg: str) -> list[ET.Element]:
    return list(ET.fromstring(svg).iter(SVG + "text"))


def _style(el: ET.Element) -> dict[str, str]:
    out = {}
    for part in el.get("style", "").split(";"):
        key, _, value = part.partition(":")
        if key.strip():
            out[key.strip()] = value.strip()
    return out


def _text_box(el: ET.Element) -> tuple[float, float, float, float]:
    """Page box of an SVG ``<text>`` (x, y, anchor, font size) measured with its font."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    style = _style(el)
    size = float(style["font-size"].removesuffix("px"))
    w, h, d = TextToPath().get_text_width_height_descent(
        el.text, FontProperties(family="DejaVu Sans", size=size), ismath=False)
    x, y = float(el.get("x")), float(el.get("y"))
    anchor = style.get("text-anchor", "start")
    x0 = {"start": x, "middle": x - w / 2, "end": x - w}[anchor]
    return x0, y - (h - d), x0 + w, y + d


def test_class_breaks_are_mapclassify_fisher_jenks_for_the_data():
    import mapclassify

    from socialkit.plots.maps import class_breaks

    y = np.random.default_rng(1).uniform(29, 53, 46)
    breaks, scheme = class_breaks(y)
    assert scheme == "fisher_jenks"
    np.testing.assert_allclose(breaks, mapclassify.FisherJenks(y, k=5).bins)
    assert breaks[-1] == pytest.approx(y.max())
    many = np.random.default_rng(2).lognormal(size=800)
    breaks, scheme = class_breaks(many)
    assert scheme == "quantiles"
    np.testing.assert_allclose(breaks, mapclassify.Quantiles(many, k=5).bins)
    assert class_breaks([4.0, 4.0, 7.0])[0].tolist() == [4.0, 7.0]  # fewer distinct values


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_static_choropleth_svg(one_municipality, lang):
    import mapclassify

    from socialkit.plots.maps import choropleth

    points, boundaries, facilities = one_municipality
    label = "name_local" if lang == "uk" else "name"
    m = choropleth(points, "score", boundaries, facilities, label=label, title="Map title",
                   legend_title="Index (0–100)", lang=lang, static=True)
    svg = m.svg
    # one filled path per settlement polygon (white edges; legend swatches have grey ones)
    fills = set(m.colours) | {"#d9d9d9"}
    polygons = [p for p in ET.fromstring(svg).iter(SVG + "path")
                if _style(p).get("fill") in fills and _style(p).get("stroke") == "#ffffff"]
    cells = boundaries.loc[boundaries["level"] == "settlement"]
    assert len(polygons) == len(cells) == len(points)
    # the legend's class ranges are mapclassify's breaks, formatted for the language
    y = points["score"].dropna().to_numpy()
    bins = mapclassify.FisherJenks(y, k=5).bins
    lows = [y.min(), *bins[:-1]]
    expected = [f"{format_number(a, lang, 1)}–{format_number(b, lang, 1)}"
                for a, b in zip(lows, bins, strict=True)]
    texts = _texts(svg)
    words = [el.text for el in texts]
    for text in expected:
        assert text in words, text
    assert t("maps.no_data", lang) in words
    # place names: the largest settlement is named, names never overlap
    placed = [el for el in texts if el.text in set(points[label])]
    assert len(placed) >= 5
    largest = points.sort_values("population", ascending=False)[label].iloc[0]
    assert largest in [el.text for el in placed]
    boxes = [_text_box(el) for el in placed]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            overlap = a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
            assert not overlap, (a, b)
    # notes, facilities legend, offline
    joined = " ".join(words)
    assert t("maps.north_up", lang) in joined
    assert t("maps.facilities", lang) in words
    assert t("maps.neighbour_facility", lang)[:20] in joined
    assert not re.search(r"https?://(?!www\.w3\.org)", svg)
    assert "tile" not in svg.lower()


def test_without_boundaries_the_map_says_so_and_draws_points(one_municipality):
    from socialkit.plots.maps import choropleth

    points, _, facilities = one_municipality
    m = choropleth(points, "score", None, facilities, lang="en", static=True)
    words = " ".join(el.text for el in _texts(m.svg))
    assert t("maps.no_boundaries", "en")[:60] in words
    assert t("maps.synthetic_boundaries", "en") not in words
    polygons = [p for p in ET.fromstring(m.svg).iter(SVG + "path")
                if _style(p).get("stroke") == "#ffffff" and _style(p).get("fill") in m.colours]
    assert polygons == []
    html = m._repr_html_()
    assert html.startswith("<img src='data:image/svg+xml;base64,")


def test_interactive_choropleth_is_a_holoviews_overlay(one_municipality, assert_drawn):
    import holoviews as hv
    import holoviews.plotting.bokeh  # the dashboard backend, for hv.render

    from socialkit.plots.maps import choropleth

    points, boundaries, facilities = one_municipality
    obj = choropleth(points, "score", boundaries, facilities, static=False)
    assert isinstance(obj, hv.Overlay)
    polys = [el for el in obj if isinstance(el, hv.Polygons)]
    # one layer per class (and "no data"), labelled with the class range for the legend
    assert [p.label for p in polys][:-1] == [lab for lab in obj_labels(points)]
    assert polys[-1].label == t("maps.no_data", "en")
    assert sum(len(p.data) for p in polys) >= len(points)
    assert_drawn(obj, "bokeh")


def test_interactive_map_keeps_proportions_lists_every_class_and_speaks_the_language(
        one_municipality):
    """Issue 18: the dashboard's maps were stretched to the page, their class legend empty
    (HoloViews leaves polygons out of a legend unless asked) and the hover said "name"."""
    import holoviews as hv
    import holoviews.plotting.bokeh  # the dashboard backend, for hv.render

    from socialkit.plots.maps import choropleth

    points, boundaries, facilities = one_municipality
    obj = choropleth(points, "score", boundaries, facilities, static=False, lang="uk",
                     legend_title="Індекс")
    fig = hv.render(obj, backend="bokeh")
    x0, y0, x1, y1 = boundaries.total_bounds
    lat0 = float(np.nanmean(points["lat"]))
    wanted = (x1 - x0) * np.cos(np.radians(lat0)) / (y1 - y0)
    assert fig.frame_width / fig.frame_height == pytest.approx(wanted, rel=0.08)
    assert max(fig.frame_width, fig.frame_height) <= 560
    legend = fig.legend[0]
    assert legend.title == "Індекс"
    labels = [item.label.value for item in legend.items]
    assert obj_labels(points, "uk")[0] in labels and t("maps.no_data", "uk") in labels
    from bokeh.models import HoverTool

    tips = [tool.tooltips for tool in fig.tools if isinstance(tool, HoverTool)]
    words = " ".join(str(tt) for tt in tips)
    assert "Населений пункт" in words and "Індекс" in words and "name" not in words.replace(
        "@name", "")


def obj_labels(points, lang="en"):
    from socialkit.plots.maps import class_breaks, class_labels

    breaks, _ = class_breaks(points["score"])
    return class_labels(breaks, float(points["score"].min()), lang)


def test_categorical_map_keeps_every_legend_line_inside_the_picture():
    import geopandas as gpd
    import shapely

    from socialkit.plots.maps import choropleth

    # a wide municipality: the legend beside it reaches farther right than the notes below
    ids = [f"S{i}" for i in range(6)]
    boundaries = gpd.GeoDataFrame(
        {"unit_id": ids, "level": "settlement", "municipality_id": "M"},
        geometry=[shapely.box(36 + 0.5 * i, 48, 36.5 + 0.5 * i, 48.2) for i in range(6)],
        crs="EPSG:4326")
    points = pd.DataFrame({"lon": [36.25 + 0.5 * i for i in range(6)], "lat": 48.1,
                           "name": [f"Село {i}" for i in range(6)], "population": 100},
                          index=ids)
    facilities = pd.DataFrame({"lon": [36.3], "lat": [48.05], "kind": ["школа"],
                               "inside": [True]})
    names = ["1. Близько до соціальних послуг, добре забезпечені соціальними послугами",
             "2. Віддалені від соціальних послуг, недостатньо забезпечені ними"]
    data = points.assign(cluster=[names[i % 2] for i in range(len(points))])
    m = choropleth(data, "cluster", boundaries, facilities[facilities["inside"]],
                   categorical=True, legend_title="Кластер", lang="uk", static=True)
    root = ET.fromstring(m.svg)
    x0, y0, w, h = (float(v) for v in root.get("viewBox").split())
    for el in _texts(m.svg):
        if el.get("x") is None:
            tx, ty = re.search(r"translate\(([-\d.]+) ([-\d.]+)\)", el.get("transform")).groups()
            el.set("x", tx)
            el.set("y", ty)
        a, b, c, d = _text_box(el)
        assert a >= x0 - 0.5 and c <= x0 + w + 0.5, (el.text, a, c, x0, x0 + w)
    assert m.labels == names and len(m.colours) == 2


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_cluster_map_with_long_names_fits_the_printed_width(one_municipality, lang):
    """A legend of long cluster names (the needs report's, in Ukrainian) is wrapped so the
    picture is at most the reports' text width: wider, the page shrinks it and its 7 pt notes
    print below 7 pt."""
    from socialkit.plots._static import PRINT_MAX_INCHES
    from socialkit.plots.maps import choropleth

    points, boundaries, facilities = one_municipality
    names = {"en": ["1. Close to social services, well supplied with social services",
                    "2. Remote from social services, under-supplied with social services"],
             "uk": ["1. Поруч із соціальними послугами, добре забезпечені соціальними "
                    "послугами",
                    "2. Віддалені від соціальних послуг, недостатньо забезпечені "
                    "соціальними послугами"]}[lang]
    data = points.assign(cluster=[names[i % 2] for i in range(len(points))])
    m = choropleth(data, "cluster", boundaries, facilities[facilities["inside"]],
                   categorical=True, title=t("vulnerability.plot.clusters_map_title", lang,
                                             name="Миколаївка"),
                   legend_title=t("vulnerability.columns.cluster", lang), lang=lang,
                   static=True)
    root = ET.fromstring(m.svg)
    width_pt = float(root.get("width").removesuffix("pt"))
    assert width_pt <= PRINT_MAX_INCHES[0] * 72
    shown = " ".join(el.text for el in _texts(m.svg))
    for name in names:   # every word of each name is in the legend
        assert all(word in shown.split() for word in name.split())
