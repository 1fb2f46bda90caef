"""The monitoring commands an analyst scripts: progress, quality, scorecard."""

from __future__ import annotations

import pandas as pd

from socialkit.cli import main


def cli(*args: str) -> int:
    try:
        main(list(args))
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_progress_quality_scorecard(demo_catalog, tmp_path, capsys):
    out = tmp_path / "progress.csv"
    assert cli("monitoring", "progress", "--catalog", str(demo_catalog), "--level", "region",
               "--out", str(out)) == 0
    prog = pd.read_csv(out)
    assert set(prog["level"]) == {"region"} and {"Donetsk", "Luhansk"} <= set(prog["unit_id"])
    assert cli("monitoring", "quality", "--catalog", str(demo_catalog), "--lang", "uk") == 0
    said = capsys.readouterr().out
    assert "порушень правил 1" in said
    card = tmp_path / "card.csv"
    assert cli("monitoring", "scorecard", "--catalog", str(demo_catalog), "--out", str(card)) == 0
    table = pd.read_csv(card)
    assert len(table) == 10 and table["rank"].min() == 1 and "alpha" in table


def test_bad_level_is_a_clear_error(demo_catalog, tmp_path, capsys):
    assert cli("monitoring", "progress", "--catalog", str(demo_catalog), "--level", "galaxy",
               "--out", str(tmp_path / "p.csv")) == 1
    assert "level 'galaxy'" in capsys.readouterr().err
    assert not (tmp_path / "p.csv").exists()
