"""The two M&E notebooks: thin and clean; each executed once under papermill on the demo."""

from __future__ import annotations

import pytest

from socialkit import config
from socialkit.data import load
from socialkit.monitoring import report as mr

NOTEBOOKS = ("me_indicators", "programme_overview")




def test_report_for_every_demo_municipality(demo_tables):
    tables = {k: demo_tables[k] for k in ("municipalities", "indicator_values",
                                          "indicator_targets")}
    for mid in tables["municipalities"]["municipality_id"]:
        rep = mr.municipality_report(tables, mid, "uk")
        assert rep.period == "2021" and len(rep.latest) == 12
        shown = mr.localise_progress(rep.latest, "uk")
        assert list(shown.columns)[0] == "Показник"
        assert set(shown["Статус"]) <= {"За планом", "Під загрозою", "Відставання",
                                        "Немає даних"}
    first = mr.municipality_report(tables, None, "en")
    assert first.municipality_id == tables["municipalities"]["municipality_id"].iloc[0]
    assert len(first.breaches) == 1  # the planted served > registered


def test_furthest_behind_is_the_lowest_progress_without_missing(demo_tables):
    """The rule the notebook and the dashboard share (MunicipalityReport.furthest_behind)."""
    import dataclasses

    import numpy as np

    tables = {k: demo_tables[k] for k in ("municipalities", "indicator_values",
                                          "indicator_targets")}
    rep = mr.municipality_report(tables, None, "en")
    latest = rep.latest.dropna(subset=["progress"]).sort_values("progress", kind="stable")
    assert rep.furthest_behind() == latest["indicator_id"].head(2).tolist()
    assert rep.furthest_behind(3) == latest["indicator_id"].head(3).tolist()
    # the lowest one without a progress value is left out, not ranked first
    worst = rep.furthest_behind(1)[0]
    blanked = rep.latest.copy()
    blanked.loc[blanked["indicator_id"] == worst, "progress"] = np.nan
    other = dataclasses.replace(rep, latest=blanked)
    assert worst not in other.furthest_behind() and len(other.furthest_behind()) == 2


def test_unknown_municipality_is_a_clear_error(demo_tables):
    from socialkit.errors import SocialkitError

    with pytest.raises(SocialkitError, match="UA000"):
        mr.municipality_report(demo_tables, "UA000", "en")


def test_overview_aggregates_every_municipality(demo_tables):
    ov = mr.programme_overview(demo_tables, "en")
    assert set(ov.programme["unit_id"]) == {"programme"}
    assert (ov.programme["n_municipalities"] >= 8).all()
    assert len(ov.share) == len(demo_tables["municipalities"])


@pytest.fixture(scope="module")
def executed(demo_catalog, tmp_path_factory):
    """Run each notebook once (me_indicators in Ukrainian with static figures)."""
    import os

    import papermill as pm

    out = tmp_path_factory.mktemp("nb")
    runs = {}
    old = os.environ.get("SOCIALKIT_STATIC_FIGURES")
    os.environ["SOCIALKIT_STATIC_FIGURES"] = "1"
    try:
        mid = load("municipalities", demo_catalog)["municipality_id"].iloc[2]
        runs["me_indicators"] = pm.execute_notebook(
            str(config.notebooks_dir() / "me_indicators.ipynb"), str(out / "me.ipynb"),
            parameters={"catalog": str(demo_catalog), "municipality_id": mid, "lang": "uk"},
            kernel_name="python3", progress_bar=False)
    finally:
        if old is None:
            os.environ.pop("SOCIALKIT_STATIC_FIGURES", None)
        else:
            os.environ["SOCIALKIT_STATIC_FIGURES"] = old
    runs["programme_overview"] = pm.execute_notebook(
        str(config.notebooks_dir() / "programme_overview.ipynb"), str(out / "ov.ipynb"),
        parameters={"catalog": str(demo_catalog), "lang": "en"},
        kernel_name="python3", progress_bar=False)
    return runs


def _outputs(nb):
    for cell in nb["cells"]:
        yield from cell.get("outputs", [])


@pytest.mark.slow
def test_me_indicators_notebook_runs(executed):
    outs = list(_outputs(executed["me_indicators"]))
    text = " ".join("".join(o.get("data", {}).get("text/markdown", "")) for o in outs)
    assert "Звіт з моніторингу та оцінювання" in text and "Якість даних" in text
    svgs = [o for o in outs if "image/svg+xml" in o.get("data", {})
            or "image/svg+xml" in "".join(o.get("data", {}).get("text/html", ""))]
    assert len(svgs) >= 3  # static figures for the PDF run
    assert not [o for o in outs if o.get("output_type") == "error"]


@pytest.mark.slow
def test_programme_overview_notebook_runs(executed):
    outs = list(_outputs(executed["programme_overview"]))
    text = " ".join("".join(o.get("data", {}).get("text/markdown", "")) for o in outs)
    assert "Programme overview" in text and "Service-quality competition" in text
    assert not [o for o in outs if o.get("output_type") == "error"]


def test_report_of_a_municipality_that_reported_nothing(demo_tables):
    import holoviews as hv

    from socialkit.plots import monitoring as pm

    tables = dict(demo_tables)
    mid = tables["municipalities"]["municipality_id"].iloc[3]
    tables["indicator_values"] = tables["indicator_values"][
        tables["indicator_values"]["municipality_id"] != mid]
    rep = mr.municipality_report(tables, mid, "en")
    assert set(rep.latest["status"]) == {"no_data"}
    assert (rep.completeness["received"] == 0).all() and len(rep.completeness) == 8
    hv.extension("bokeh", "matplotlib", logo=False)
    ind = next(iter(rep.disaggregations))
    for backend in ("bokeh", "matplotlib"):
        hv.render(pm.progress_bars(rep.latest, "en"), backend=backend)
        hv.render(pm.disaggregation_bars(rep.disaggregations[ind], ind, rep.period, "en"),
                  backend=backend)


def test_overview_keeps_the_municipalities_needing_attention(demo_tables):
    ov = mr.programme_overview(demo_tables, "uk", max_municipalities=3)
    assert ov.truncated and ov.n_municipalities == 10 and len(ov.share) == 3
    full = mr.programme_overview(demo_tables, "uk")
    worst = full.share.sort_values("share_on_track").head(3)["share_on_track"].max()
    assert (ov.share["share_on_track"] <= worst).all()
    assert set(ov.municipalities["unit_id"]) == set(ov.share["unit_id"])
    assert len(ov.quality) == 3 and ov.quality["completeness"].max() <= full.quality[
        "completeness"].sort_values().iloc[2]
    assert not full.truncated and "Миколаївка" in set(full.share["name"])
