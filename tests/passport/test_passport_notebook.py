"""The social-passport notebook: clean and thin, its library calls for every demo
municipality, and one papermill run with static figures (as the PDF runner does)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from socialkit import config
from socialkit.passport import (
    build_passport,
    comparison_frame,
    headline,
    passport_table,
)
from socialkit.plots.passport import rates_comparison

NOTEBOOK = config.notebooks_dir() / "social_passport.ipynb"




def test_report_parts_for_every_demo_municipality(demo_tables):
    for mid in demo_tables["municipalities"]["municipality_id"]:
        p = build_passport(demo_tables, mid)
        for lang in ("en", "uk"):
            assert headline(p, lang)
            for table in ("profile", "demography", "settlement_kinds", "infrastructure"):
                assert not passport_table(p, table, lang).empty
        rates_comparison(comparison_frame(p, "uk"))


@pytest.mark.slow
def test_notebook_runs_under_papermill(demo_catalog, demo_tables, tmp_path, monkeypatch):
    import papermill as pm

    monkeypatch.setenv("SOCIALKIT_STATIC_FIGURES", "1")
    mid = demo_tables["municipalities"]["municipality_id"].iloc[-1]
    p = build_passport(demo_tables, mid)
    out = tmp_path / "passport.ipynb"
    pm.execute_notebook(str(NOTEBOOK), str(out), kernel_name="python3", cwd=str(tmp_path),
                        parameters={"catalog": str(demo_catalog), "municipality_id": mid,
                                    "lang": "uk"}, progress_bar=False)
    nb = json.loads(Path(out).read_text(encoding="utf-8"))
    outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    assert not [o for o in outputs if o["output_type"] == "error"]
    text = json.dumps(outputs, ensure_ascii=False)
    assert headline(p, "uk") in text                         # the headline figures as text
    assert "Соціальний паспорт: " + p.municipality["name_local"] in text
    assert "Луганська область" in text
    assert "Самотні люди похилого віку" in text             # the profile table
    html = ["".join(o.get("data", {}).get("text/html", "")) for o in outputs]
    svgs = [h for h in html if "data:image/svg+xml" in h or "<svg" in h]
    assert len(svgs) == 3                                    # comparison, age, facilities
