"""The report notebook: one papermill run on the demo, and its library calls for every
municipality (fast, without a kernel)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from socialkit import config
from socialkit.maturity import report
from socialkit.maturity.files import assess_catalog
from socialkit.plots.maturity import maturity_radar

NOTEBOOK = config.notebooks_dir() / "digital_maturity.ipynb"




def test_report_parts_for_every_demo_municipality(demo_catalog):
    res = assess_catalog(demo_catalog)
    for mid in res.municipalities["municipality_id"]:
        rnd = report.pick_round(res, mid, "2021-04")
        assert rnd is not None
        assert report.headline(res, mid, rnd, "uk").startswith("Загальна цифрова зрілість")
        radar = report.radar_frame(res, mid, rnd, "uk")
        assert len(radar) == len(res.framework.dimensions)
        maturity_radar(radar)
        for table in ("scores", "gaps", "action_plan", "progress"):
            report.view(res, table, mid, "uk", rnd)
    last = res.municipalities["municipality_id"].iloc[-1]
    assert report.pick_round(res, last, "2021-04") == "2020-12"   # skipped the follow-up


@pytest.mark.slow
def test_notebook_runs_under_papermill(demo_catalog, tmp_path, monkeypatch):
    import papermill as pm

    monkeypatch.setenv("SOCIALKIT_STATIC_FIGURES", "1")
    from socialkit.data import load

    mid = load("municipalities", demo_catalog)["municipality_id"].iloc[-1]
    out = tmp_path / "maturity.ipynb"
    pm.execute_notebook(str(NOTEBOOK), str(out), kernel_name="python3", cwd=str(tmp_path),
                        parameters={"catalog": str(demo_catalog), "municipality_id": mid,
                                    "lang": "uk", "round": "2021-04"}, progress_bar=False)
    nb = json.loads(Path(out).read_text(encoding="utf-8"))
    outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    assert not [o for o in outputs if o["output_type"] == "error"]
    text = json.dumps(outputs, ensure_ascii=False)
    assert "Загальна цифрова зрілість" in text
    assert "не має відповідей за раунд 2021-04" in text   # this one skipped the follow-up
    assert "План заходів" in text
    html = ["".join(o.get("data", {}).get("text/html", "")) for o in outputs]
    svgs = [h for h in html if "data:image/svg+xml" in h]
    assert len(svgs) == 3                                 # radar, heatmap, progress


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_report_tables_name_each_column_once(demo_catalog, lang):
    """The action plan headed two columns "Action" (the action's code and its title)."""
    res = assess_catalog(demo_catalog)
    mid = report.first_municipality(res)
    rnd = report.pick_round(res, mid, None)
    for table in ("scores", "gaps", "action_plan", "progress"):
        columns = list(report.view(res, table, mid, lang, rnd).columns)
        assert len(columns) == len(set(columns)), (table, columns)
