"""Overview figures, hand-checked on the tiny fixture."""

from __future__ import annotations

import holoviews as hv
import pandas as pd
from views_cases import A, B, C

from socialkit.i18n import Translator
from socialkit.views.overview import _municipality_map, key_figures, municipality_summary


def test_municipality_summary(frames):
    out = municipality_summary(frames["municipalities"], frames["settlements"],
                               frames["facilities"])
    assert out["municipality_id"].tolist() == [A, B, C]
    assert out["density"].tolist()[:2] == [100.0, 25.0]  # 1000/10, 2500/100
    assert pd.isna(out["density"].iloc[2])  # population missing stays missing
    assert out["settlements"].tolist() == [2, 1, 1]
    assert out["facilities"].tolist() == [2, 1, 0]


def test_key_figures_alpha(frames):
    kf = key_figures(frames["municipalities"], frames["settlements"], frames["facilities"], A)
    values = {(f, k): v for f, k, v in zip(kf["figure"], kf["kind"], kf["value"], strict=True)}
    assert values[("population", "")] == 1000
    assert values[("villages", "")] == 1
    # ages: 0-17 = (160+40)/1000, 60+ = (200+60)/1000
    assert abs(values[("pop_0_17", "")] - 0.2) < 1e-12
    assert abs(values[("pop_60_plus", "")] - 0.26) < 1e-12
    assert values[("facilities", "social_service_centre")] == 1
    assert values[("facilities", "school")] == 1
    assert values[("facilities", "pharmacy")] == 0


def test_key_figures_missing_ages_are_missing(frames):
    kf = key_figures(frames["municipalities"], frames["settlements"], frames["facilities"], C)
    share = kf.loc[kf["figure"] == "pop_0_17", "value"].iloc[0]
    assert pd.isna(share)
    assert key_figures(frames["municipalities"], frames["settlements"], frames["facilities"],
                       "UA-nope").empty


def test_map_has_no_tiles_and_highlights_selection(frames):
    summary = municipality_summary(frames["municipalities"], frames["settlements"],
                                   frames["facilities"])
    points = _municipality_map(summary, B, Translator("uk"))
    assert isinstance(points, hv.Points) and not isinstance(points, hv.Overlay)
    data = points.data
    assert data.loc[data["municipality_id"] == B, "colour"].nunique() == 1
    assert data.loc[data["municipality_id"] == B, "colour"].iloc[0] != \
        data.loc[data["municipality_id"] == A, "colour"].iloc[0]
    assert "Бета" in points.opts.get(backend="bokeh").kwargs["title"]
    fig = hv.render(points, backend="bokeh")
    assert fig.xaxis[0].axis_label == "Довгота"
    assert not any(type(r).__name__ == "TileRenderer" for r in fig.renderers)
