"""Static (PDF) figures: the maturity radar names its two series in a legend, and the needs
profile heat map's column labels neither overlap nor leave the figure."""

from __future__ import annotations

import itertools

import holoviews as hv
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

pytestmark = pytest.mark.usefixtures("static_svg")

VARIABLES = ["elderly_alone", "disability", "idp", "families_difficult", "children_no_care",
             "low_income", "unemployed", "distance_social_service_centre",
             "distance_primary_care", "fca_social_service_centre", "fca_primary_care"]


def _radar():
    from socialkit.plots.maturity import maturity_radar

    df = pd.DataFrame({"dimension": ["Strategy and leadership", "Staff digital skills",
                                     "Online services and accessibility",
                                     "Data protection and security", "Interoperability"],
                       "score": [60, np.nan, 80, 30, 45],
                       "peer_mean": [50, 55, 60, 40, 35]})
    return maturity_radar(df, name="Mykolaivka hromada", peer_name="Same oblast (Donetsk)",
                          title="Radar title")


def _svg(obj) -> str:
    data, _ = hv.renderer("matplotlib")(obj, fmt="svg")
    return data.decode("utf-8") if isinstance(data, bytes) else data


def test_radar_static_svg_has_legend_with_both_series():
    svg = _svg(_radar())
    assert "Mykolaivka hromada" in svg
    assert "Same oblast (Donetsk)" in svg


def test_radar_static_legend_names_both_series():
    plot = hv.renderer("matplotlib").get_plot(_radar())
    legend = plot.handles.get("legend")
    assert legend is not None and legend.get_visible()
    assert [t.get_text() for t in legend.get_texts()] == ["Mykolaivka hromada",
                                                          "Same oblast (Donetsk)"]


def test_radar_legend_entries_asked_for_both_backends():
    """Both the printed and the interactive radar list the two series in a legend (issue 18:
    the dashboard's maturity radar had none)."""
    import holoviews.plotting.bokeh  # noqa: F401  registers the backend, stays non-current

    assert hv.Store.current_backend == "matplotlib"
    series = [el for el in _radar() if isinstance(el, (hv.Polygons, hv.Path)) and el.label]
    assert [el.label for el in series] == ["Mykolaivka hromada", "Same oblast (Donetsk)"]
    for el in series:
        assert hv.Store.lookup_options("matplotlib", el, "plot").kwargs.get("show_legend")
        assert hv.Store.lookup_options("bokeh", el, "plot").kwargs.get("show_legend")


def _profiles(n_clusters: int, variables: list[str]) -> tuple[pd.DataFrame, dict]:
    rng = np.random.default_rng(1)
    idx = pd.Index(range(1, n_clusters + 1), name="cluster")
    profiles = pd.DataFrame(rng.normal(0, 0.6, (n_clusters, len(variables))), index=idx,
                            columns=variables)
    names = {
        "en": pd.Series(["Remote from social services, under-supplied with social services",
                         "Close to social services, well supplied with social services",
                         "Many internally displaced persons, average access"][:n_clusters],
                        index=idx),
        "uk": pd.Series(["Віддалені від соціальних послуг, недостатньо забезпечені "
                         "соціальними послугами",
                         "Поруч із соціальними послугами, добре забезпечені соціальними "
                         "послугами",
                         "Багато внутрішньо переміщених осіб, середній доступ"][:n_clusters],
                        index=idx),
    }
    return profiles, names


CASES = {
    "en-2x11": ("en", 2, VARIABLES),
    "uk-3x11": ("uk", 3, VARIABLES),
    "en-3x22": ("en", 3, VARIABLES + [f"{v}_previous_round" for v in VARIABLES]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_profile_heatmap_static_xtick_labels_do_not_overlap(case):
    from socialkit.plots.needs import profile_heatmap

    lang, k, variables = CASES[case]
    profiles, names = _profiles(k, variables)
    heat = profile_heatmap(profiles, names[lang], lang=lang, title="Cluster profiles")
    fig = hv.renderer("matplotlib").get_plot(heat).state
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    ax = fig.axes[0]
    labels = [lab for lab in ax.get_xticklabels() if lab.get_visible() and lab.get_text()]
    assert len(labels) == len(variables)
    boxes = [lab.get_window_extent(renderer) for lab in labels]
    for (i, a), (j, b) in itertools.combinations(enumerate(boxes), 2):
        assert not a.overlaps(b), (labels[i].get_text(), labels[j].get_text())
    figbox = fig.bbox
    ylabels = [lab for lab in ax.get_yticklabels() if lab.get_text()]
    for lab in labels + ylabels + [ax.title, ax.xaxis.label, ax.yaxis.label]:
        box = lab.get_window_extent(renderer)
        assert figbox.x0 <= box.x0 and box.x1 <= figbox.x1, lab.get_text()
        assert figbox.y0 <= box.y0 and box.y1 <= figbox.y1, lab.get_text()
    width_mm = fig.get_size_inches()[0] * 25.4
    assert width_mm <= 172  # at most the A4 text width: not shrunk in the PDF
    assert min(lab.get_fontsize() for lab in labels) >= 5


def test_profile_heatmap_rows_keep_their_clusters():
    """The static row labels are re-wrapped narrower, each still on its own row of values."""
    from socialkit.plots.needs import profile_heatmap

    def rows(obj):
        ax = hv.renderer("matplotlib").get_plot(obj).state.axes[0]
        return [lab.get_text() for lab in ax.get_yticklabels()]

    profiles, names = _profiles(3, VARIABLES)
    heat = profile_heatmap(profiles, names["en"], lang="en")
    shown = rows(heat)
    plain = rows(heat.opts(hooks=[], backend="matplotlib", clone=True))
    assert [" ".join(t.split()) for t in shown] == [" ".join(t.split()) for t in plain]
    assert max(len(line) for t in shown for line in t.split("\n")) <= 30
