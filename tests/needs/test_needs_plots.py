"""Needs and map figures render under both backends; maps are offline unless tiles are given."""

from __future__ import annotations

import io

import holoviews as hv
import numpy as np
import pandas as pd
import pytest

from socialkit.access import settlement_access
from socialkit.needs import cluster
from socialkit.needs.display import cluster_names
from socialkit.plots.maps import access_map, cluster_map, municipality_map, point_map
from socialkit.plots.needs import profile_heatmap, stability_bars, validity_curves


@pytest.fixture(scope="module", autouse=True)
def backends():
    hv.extension("bokeh", "matplotlib", logo=False)


@pytest.fixture(scope="module")
def case():
    rng = np.random.default_rng(0)
    n = 24
    centres = np.repeat([[0.0, 0.0], [3.0, 3.0], [0.0, 3.0]], n // 3, axis=0)
    frame = pd.DataFrame(centres + rng.normal(0, 0.3, (n, 2)),
                         columns=["elderly_alone", "distance_social_service_centre"],
                         index=[f"s{i:02d}" for i in range(n)])
    res = cluster(frame, k_range=range(2, 5), gap_b=5, n_boot=5)
    pts = pd.DataFrame({"settlement_id": frame.index, "name": [f"Село {i}" for i in range(n)],
                        "lat": rng.uniform(48, 49, n), "lon": rng.uniform(30, 31, n),
                        "population": rng.integers(50, 900, n)}, index=frame.index)
    fac = pd.DataFrame({"facility_id": ["f1", "f2"], "kind": ["school", "pharmacy"],
                        "lat": [48.5, 48.2], "lon": [30.5, 30.1], "name": ["A", "B"]})
    acc = settlement_access(pts.reset_index(drop=True), fac, kinds=["school", "pharmacy"],
                            threshold_km=30)
    return res, pts, fac, acc


def _figures(case):
    res, pts, fac, acc = case
    return {
        "profile": profile_heatmap(res.profiles, cluster_names(res, "uk"), lang="uk", title="Профілі"),
        "validity": validity_curves(res.validity, res.k, lang="uk"),
        "stability": stability_bars(res.stability, cluster_names(res, "en")),
        "access": access_map(acc, "school", fac, lang="uk"),
        "clusters": cluster_map(pts, res.labels, cluster_names(res, "en"), fac),
        "municipalities": municipality_map(pts.assign(score=np.linspace(0, 1, len(pts))),
                                           "score", clabel="Score"),
    }


@pytest.mark.parametrize("name", ["profile", "validity", "stability", "access", "clusters",
                                  "municipalities"])
def test_renders_in_both_backends(case, name):
    obj = _figures(case)[name]
    hv.render(obj, backend="bokeh")
    fig = hv.render(obj, backend="matplotlib")
    buf = io.BytesIO()
    fig.savefig(buf, format="svg")
    assert b"<svg" in buf.getvalue()[:400]


def test_maps_are_offline_by_default(case):
    for name in ("access", "clusters", "municipalities"):
        obj = _figures(case)[name]
        assert not any(isinstance(el, hv.Tiles) for el in obj.traverse(lambda x: x))
        html = hv.render(obj, backend="bokeh")
        assert not [r for r in html.renderers if type(r).__name__ == "TileRenderer"]


def test_tiles_only_when_given_and_points_projected(case):
    _, pts, _, _ = case
    obj = point_map(pts, "population", tiles="https://tiles.example.invalid/{Z}/{X}/{Y}.png")
    tiles = [el for el in obj.traverse(lambda x: x) if isinstance(el, hv.Tiles)]
    assert len(tiles) == 1
    points = [el for el in obj.traverse(lambda x: x) if isinstance(el, hv.Points)][0]
    assert points.dimension_values(0).max() > 3e6  # Web Mercator easting, not degrees


def test_cluster_map_has_one_layer_per_cluster_with_names(case):
    res, pts, _, _ = case
    obj = cluster_map(pts, res.labels, cluster_names(res, "uk"), lang="uk")
    layers = [el for el in obj if isinstance(el, hv.Points)]
    assert len(layers) == res.k
    assert all(el.label.startswith("Кластер ") for el in layers)
    assert sum(len(el) for el in layers) == len(pts)


def test_access_map_colours_by_distance(case):
    _, _, fac, acc = case
    obj = access_map(acc, "school", fac, lang="en")
    settl = [el for el in obj if isinstance(el, hv.Points) and el.label == "Settlements"][0]
    np.testing.assert_allclose(settl.dimension_values("distance_school"), acc["distance_school"])
    assert settl.get_dimension("distance_school").label == (
        "Distance to the nearest school, km")


def test_profile_heatmap_values_are_profiles(case):
    res = case[0]
    heat = profile_heatmap(res.profiles)
    np.testing.assert_allclose(np.sort(heat.dimension_values("z")),
                               np.sort(res.profiles.to_numpy().ravel()))
