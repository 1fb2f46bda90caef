"""M&E figures render under both backends, with the right data and translated text."""

from __future__ import annotations

import holoviews as hv
import pytest

from socialkit.monitoring import (
    compute_indicators,
    compute_progress,
    compute_scorecards,
    disaggregation_table,
)
from socialkit.plots import monitoring as pm
from socialkit.plots.theme import STATUS_COLOURS

BACKENDS = ("bokeh", "matplotlib")


@pytest.fixture(scope="module", autouse=True)
def _backends():
    hv.extension("bokeh", "matplotlib", logo=False)


@pytest.fixture(scope="module")
def figures(demo_tables):
    v, tg = demo_tables["indicator_values"], demo_tables["indicator_targets"]
    munis = demo_tables["municipalities"]
    mid = munis["municipality_id"].iloc[0]
    prog = compute_progress(v, tg)
    one = prog[(prog.unit_id == mid) & (prog.period == "2021")]
    series = compute_indicators(v[v.municipality_id == mid])
    dis = disaggregation_table(v[v.municipality_id == mid], "clients_served_share", "2021")
    card = compute_scorecards(demo_tables["service_scores"], n_boot=50)
    return {
        "progress": (pm.progress_bars(one, "uk"), one),
        "matrix": (pm.status_matrix(prog[prog.period == "2021"], "en",
                                    unit_names=dict(zip(munis.municipality_id, munis.name,
                                                        strict=True))), None),
        "trend": (pm.trend_chart(series, tg[tg.municipality_id == mid], "waiting_list", "en"),
                  None),
        "disaggregation": (pm.disaggregation_bars(dis, "clients_served_share", "2021", "uk"),
                           None),
        "radar": (pm.scorecard_radar(card.standards, "SRV01", "uk"), None),
        "ranking": (pm.ranking_chart(card.totals, "en"), None),
    }


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", ["progress", "matrix", "trend", "disaggregation", "radar",
                                  "ranking"])
def test_renders(figures, name, backend, assert_drawn):
    assert_drawn(figures[name][0], backend)


def test_progress_bars_coloured_by_status_in_static_output(figures):
    fig, rows = figures["progress"]
    mpl = hv.render(fig, backend="matplotlib")
    colours = mpl.axes[0].collections[0].get_colors()
    totals = rows[(rows.sex == "total") & (rows.age_group == "total")].iloc[::-1]
    from matplotlib.colors import to_rgba

    expected = [to_rgba(STATUS_COLOURS[s]) for s in totals["status"]]
    assert [tuple(c) for c in colours] == expected
    assert "Прогрес" in mpl.axes[0].get_title()


def test_trend_has_actual_targets_and_baseline(figures):
    overlay = figures["trend"][0]
    kinds = [type(el).__name__ for el in overlay]
    assert kinds.count("Scatter") == 2 and "Curve" in kinds
    # the dashed baseline is a named line, so the legend explains it
    assert any(type(el).__name__ == "Curve" and el.label.startswith("Baseline (")
               for el in overlay)


def test_radar_labels_are_translated(figures):
    labels = [el for el in figures["radar"][0] if isinstance(el, hv.Labels)][0]
    assert "Доступність" in set(labels.dframe()["text"])
