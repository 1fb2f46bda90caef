"""Static SVG figures (batch PDFs): one draw per figure, the same picture as HoloViews' own
tight SVG, nothing cropped, every label kept as text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter

import holoviews as hv
import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest

pytestmark = pytest.mark.usefixtures("static_svg")

SVG = "{http://www.w3.org/2000/svg}"


def _heatmap():
    from socialkit.plots.maturity import maturity_heatmap

    rows = [(d, m, float((i * 37 + j * 11) % 101)) for i, d in enumerate(
        ["Strategy and leadership", "Staff digital skills", "Online services"])
        for j, m in enumerate(["Hromada A", "Hromada B", "Mykolaivka"])]
    df = pd.DataFrame(rows, columns=["dimension", "municipality", "score"])
    return maturity_heatmap(df, title="Heat title", xlabel="Dimension axis",
                            ylabel="Municipality axis", clabel="Score bar")


def _radar():
    from socialkit.plots.maturity import maturity_radar

    df = pd.DataFrame({"dimension": ["Strategy", "Skills", "Services", "Data"],
                       "score": [60, np.nan, 80, 30], "peer_mean": [50, 55, 60, 40]})
    return maturity_radar(df, name="Mykolaivka", peer_name="Peer mean", title="Radar title")


def _progress():
    from socialkit.plots.maturity import maturity_progress

    df = pd.DataFrame({"dimension": ["Strategy", "Strategy", "Skills", "Skills"],
                       "round": ["2020-12", "2021-04"] * 2, "score": [40, 55, 70, np.nan]})
    return maturity_progress(df, title="Progress title", xlabel="Dimension axis",
                             ylabel="Score axis")


def _position():
    from socialkit.plots.vulnerability import municipality_position

    df = pd.DataFrame({"name": [f"Hromada {i}" for i in range(8)],
                       "score": np.linspace(30, 50, 8), "highlight": [False] * 7 + [True]})
    return municipality_position(df, title="Position title", value_label="Index axis",
                                 label_label="Municipality axis", marker="this one")


def _settlement_map():
    from socialkit.plots.vulnerability import settlement_map

    rng = np.random.default_rng(1)
    pts = pd.DataFrame({"lon": 30 + rng.random(12), "lat": 48 + rng.random(12),
                        "name": [f"S{i}" for i in range(12)], "score": rng.random(12) * 100})
    fac = pd.DataFrame({"lon": 30 + rng.random(3), "lat": 48 + rng.random(3),
                        "kind": ["School", "School", "Clinic"]})
    return settlement_map(pts, fac, title="Map title", value_label="Score bar",
                          lon_label="Longitude axis", lat_label="Latitude axis")


def _rates():
    from socialkit.plots.passport import rates_comparison

    df = pd.DataFrame({"group": ["Children", "Children", "Pensioners", "Pensioners"],
                       "area": ["Mykolaivka", "Oblast"] * 2, "rate": [12.0, 10.0, 30.0, 25.0]})
    return rates_comparison(df, title="Rates title", value_label="Rate axis",
                            group_label="Group axis")


FIGURES = {
    "heatmap": (_heatmap, ["Heat title", "Dimension axis", "Municipality axis", "Score bar",
                           "Mykolaivka", "Online services"]),
    "radar": (_radar, ["Radar title", "Strategy", "Skills (–)", "80"]),  # legend: test_static_figure_fixes.py
    "progress": (_progress, ["Progress title", "Dimension axis", "Score axis", "2021-04"]),
    "position": (_position, ["Position title", "Index axis", "Municipality axis",
                             "Hromada 7 (this one)"]),
    "map": (_settlement_map, ["Map title", "Longitude axis", "Latitude axis", "Score bar",
                              "School", "Clinic"]),
    "rates": (_rates, ["Rates title", "Rate axis", "Group axis", "Pensioners", "Oblast"]),
}


def _fast_svg(obj) -> str:
    """The one-draw SVG at the figure's own size (no fitting to the printed page)."""
    renderer = hv.renderer("matplotlib")
    renderer = renderer.instance(**{**renderer.param.values(), "name": None,
                                    "max_inches": None})
    return renderer._figure_data(renderer.get_plot(obj), "svg")


def _plain_svg(obj) -> str:
    """HoloViews' own path and plotting code: ``print_figure(bbox_inches="tight")``."""
    from holoviews.plotting.mpl.renderer import MPLRenderer

    from socialkit.plots._static import holoviews_defaults

    plain = MPLRenderer.instance(dpi=72, fig="svg")
    with holoviews_defaults():
        return plain._figure_data(plain.get_plot(obj), "svg")


def _box(svg: str) -> tuple[float, ...]:
    root = ET.fromstring(svg.encode("utf-8"))
    w, h = (float(root.get(k).removesuffix("pt")) for k in ("width", "height"))
    x0, y0, vw, vh = (float(v) for v in root.get("viewBox").split())
    assert (vw, vh) == pytest.approx((w, h))
    return x0, y0, w, h


def _texts(svg: str) -> list[tuple[str, float, float]]:
    root = ET.fromstring(svg.encode("utf-8"))
    out = []
    for el in root.iter(f"{SVG}text"):
        text = "".join(el.itertext())
        x, y = float(el.get("x", 0)), float(el.get("y", 0))
        shift = re.search(r"translate\(([-\d.e]+)[ ,]([-\d.e]+)\)", el.get("transform", ""))
        if shift:  # rotated labels: placed by the transform
            x, y = x + float(shift.group(1)), y + float(shift.group(2))
        out.append((text, x, y))
    return sorted(out)


def test_setup_selects_the_one_draw_renderer():
    from socialkit.plots._static import StaticSVGRenderer

    assert isinstance(hv.renderer("matplotlib"), StaticSVGRenderer)
    assert hv.Store.current_backend == "matplotlib"
    assert mpl.rcParams["svg.fonttype"] == "none"


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_svg_is_valid_and_keeps_every_label_as_text(name):
    make, labels = FIGURES[name]
    svg = _fast_svg(make())
    ET.fromstring(svg.encode("utf-8"))  # well-formed XML
    texts = {t for t, _, _ in _texts(svg)}
    for label in labels:
        assert any(label in t for t in texts), f"{label!r} missing from the {name} SVG"
    assert "<dc:date>" not in svg  # no timestamp: the same figure gives the same bytes
    assert svg == _fast_svg(make())


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_same_picture_as_holoviews_tight_svg(name):
    """Same size, same texts at the same places (after the crop offset), all inside."""
    make = FIGURES[name][0]
    fast, plain = _fast_svg(make()), _plain_svg(make())
    fx0, fy0, fw, fh = _box(fast)
    px0, py0, pw, ph = _box(plain)
    assert (fw, fh) == pytest.approx((pw, ph), abs=0.01)
    assert (px0, py0) == (0, 0)
    ours, theirs = _texts(fast), _texts(plain)
    assert Counter(t for t, _, _ in ours) == Counter(t for t, _, _ in theirs)
    for (text, x, y), (_, px, py) in zip(ours, theirs, strict=True):
        assert (x - fx0, y - fy0) == pytest.approx((px, py), abs=0.01), text
        if text.strip():  # anchor points lie inside the cropped picture
            assert fx0 <= x <= fx0 + fw and fy0 <= y <= fy0 + fh, text


def test_one_draw_and_no_agg_draw_for_a_colour_bar(monkeypatch):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    draws = []
    real = Figure.draw
    monkeypatch.setattr(Figure, "draw", lambda self, r: (draws.append(type(r)), real(self, r)))
    monkeypatch.setattr(FigureCanvasAgg, "draw",
                        lambda self, *a, **k: pytest.fail("Agg draw of a static figure"))
    _fast_svg(_heatmap())
    assert len(draws) == 1


def test_colour_bar_placed_as_with_the_draw():
    from socialkit.plots._static import holoviews_defaults

    renderer = hv.renderer("matplotlib")
    fast = renderer.get_plot(_heatmap()).handles["cax"].get_position().bounds
    with holoviews_defaults():
        drawn = renderer.get_plot(_heatmap()).handles["cax"].get_position().bounds
    assert fast == pytest.approx(drawn, abs=1e-9)


def test_rendered_figure_leaves_no_colour_bar_record():
    from holoviews.plotting.mpl.element import ColorbarPlot

    renderer = hv.renderer("matplotlib")
    plot = renderer.get_plot(_heatmap())
    assert id(plot.handles["axis"]) in ColorbarPlot._colorbars
    renderer._figure_data(plot, "svg")
    assert not {id(ax) for ax in plot.state.axes} & set(ColorbarPlot._colorbars)


def test_rc_context_applies_and_restores():
    from socialkit.plots._static import _rc_context

    width = mpl.rcParams["lines.linewidth"]
    with _rc_context({"lines.linewidth": width + 3}):
        assert mpl.rcParams["lines.linewidth"] == width + 3
        mpl.rcParams["axes.titlesize"] = 99
    assert mpl.rcParams["lines.linewidth"] == width
    assert mpl.rcParams["axes.titlesize"] != 99
    with pytest.raises(ValueError):
        with _rc_context({"lines.linewidth": "not a number"}):
            pass


def test_setup_again_is_cheap_but_switches_backends(monkeypatch):
    import socialkit.plots

    calls = []
    real = hv.extension
    monkeypatch.setattr(hv, "extension", lambda *a, **k: (calls.append(a), real(*a, **k)))
    assert socialkit.plots.setup(static=True) == "matplotlib"
    assert calls == []  # same backend, same shell: nothing reloaded
    assert socialkit.plots.setup(static=False) == "bokeh"
    assert hv.Store.current_backend == "bokeh"
    assert socialkit.plots.setup(static=True) == "matplotlib"
    assert hv.Store.current_backend == "matplotlib"
    assert calls == [("bokeh",), ("matplotlib",)]


def test_radar_grid_is_one_path():
    radar = _radar()
    grid = radar.Path.I
    assert len(grid.split()) == 1
    xs = grid.dimension_values(0)
    assert np.isnan(xs).sum() == 5 + 4 - 1  # five rings and four spokes, NaN between them
    svg = _fast_svg(radar)
    assert re.search(r'<svg [^>]*viewBox=', svg)


def test_no_empty_wrapper_groups_left():
    svg = _fast_svg(_heatmap())
    assert not re.search(r'<g(?: id="[^"]*")?/?>', svg)
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.find(f"{SVG}metadata") is None


def test_flatten_groups_keeps_groups_with_attributes():
    from socialkit.plots._static import _flatten_groups

    svg = ('<svg><g id="a"><g id="b"/><g clip-path="url(#c)"><g id="d"><path/></g></g>'
           '<g style="x"/><g><text>t</text></g></g></svg>')
    assert _flatten_groups(svg) == ('<svg><g clip-path="url(#c)"><path/></g>'
                                    '<g style="x"/><text>t</text></svg>')


def test_position_highlights_one_bar():
    svg = _fast_svg(_position())
    assert svg.count("fill: #d55e00") == 1
    assert svg.count("fill: #9ecae1") == 7


def test_holoviews_defaults_restores_and_reinstates():
    from holoviews.plotting.mpl import plot as mpl_plot
    from holoviews.plotting.mpl.element import ColorbarPlot
    from holoviews.plotting.plot import GenericOverlayPlot

    from socialkit.plots import _static

    ours = (mpl_plot._rc_context, ColorbarPlot._draw_colorbar,
            GenericOverlayPlot._apply_compositor)
    with _static.holoviews_defaults():
        assert mpl_plot._rc_context is _static._HOLOVIEWS_RC_CONTEXT
        assert not hasattr(ColorbarPlot._draw_colorbar, "_socialkit")
        assert not hasattr(GenericOverlayPlot._apply_compositor, "_socialkit")
    assert (mpl_plot._rc_context, ColorbarPlot._draw_colorbar,
            GenericOverlayPlot._apply_compositor) == ours
    _static.install()  # idempotent: nothing wrapped twice
    assert ColorbarPlot._draw_colorbar is ours[1]
    assert GenericOverlayPlot._apply_compositor is ours[2]


def test_a_figure_wider_than_the_page_is_drawn_at_print_size():
    """Shrunk whole on the page its labels would print smaller than set; drawn smaller
    instead, the picture fits the text width and every label keeps its font size."""
    from socialkit.plots._static import PRINT_MAX_INCHES

    wide = _heatmap().opts(fig_inches=(16, 4), aspect=4.0, backend="matplotlib")
    renderer = hv.renderer("matplotlib")
    assert renderer.max_inches == PRINT_MAX_INCHES
    fitted = renderer._figure_data(renderer.get_plot(wide), "svg")
    _, _, w, h = _box(fitted)
    assert w / 72 <= PRINT_MAX_INCHES[0] + 0.01 and h / 72 <= PRINT_MAX_INCHES[1] + 0.01
    as_set = _fast_svg(wide)
    assert _box(as_set)[2] / 72 > PRINT_MAX_INCHES[0]
    size = re.compile(r"font-size: ([\d.]+)px")
    assert sorted(size.findall(fitted)) == sorted(size.findall(as_set))
    assert Counter(t for t, _, _ in _texts(fitted)) == Counter(t for t, _, _ in _texts(as_set))
