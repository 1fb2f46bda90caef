"""Maturity figures render under both backends (Bokeh interactive, Matplotlib SVG)."""

from __future__ import annotations

import io

import holoviews as hv
import pandas as pd
import pytest

from socialkit.maturity import assess, report
from socialkit.plots.maturity import maturity_heatmap, maturity_progress, maturity_radar


@pytest.fixture(scope="module", autouse=True)
def backends():
    hv.extension("bokeh", "matplotlib", logo=False)


@pytest.fixture
def figures(tiny, tiny_answers, tiny_municipalities):
    res = assess(tiny_answers, tiny, municipalities=tiny_municipalities)
    radar_df = report.radar_frame(res, "m2", "2021-04", "uk")
    radar_df = pd.concat([radar_df, radar_df.assign(dimension=["C", "D"])])  # >= 3 axes
    return {
        "radar": maturity_radar(radar_df, name="Два", peer_name="Усі", title="Радар"),
        "heatmap": maturity_heatmap(report.heatmap_frame(res, "2020-12", "uk"), title="H",
                                    clabel="Бал"),
        "progress": maturity_progress(report.progress_frame(res, "m1", "uk"), title="P"),
    }


@pytest.mark.parametrize("name", ["radar", "heatmap", "progress"])
def test_renders_in_both_backends(figures, name):
    obj = figures[name]
    fig = hv.render(obj, backend="bokeh")
    assert fig.title.text in ("Радар", "H", "P")
    mpl = hv.render(obj, backend="matplotlib")
    buf = io.BytesIO()
    mpl.savefig(buf, format="svg")
    assert b"<svg" in buf.getvalue()[:400]


def test_radar_marks_insufficient_data(figures):
    labels = [el for el in figures["radar"] if isinstance(el, hv.Labels)][0]
    texts = list(labels.dimension_values("text"))
    assert any(t.startswith("Альфа") and t.endswith("(–)") for t in texts)  # m2 A 2021-04


def test_heatmap_values(tiny, tiny_answers):
    res = assess(tiny_answers, tiny)
    frame = report.heatmap_frame(res, "2020-12", "en")
    heat = maturity_heatmap(frame)
    assert sorted(heat.dimension_values("score"))[-1] == 100.0   # m3 B
    assert set(heat.dimension_values("dimension")) == {"Alpha", "Beta", "Overall"}


def test_radar_needs_three_axes():
    with pytest.raises(ValueError, match="three"):
        maturity_radar(pd.DataFrame({"dimension": ["a", "b"], "score": [1, 2],
                                     "peer_mean": [1, 1]}))
