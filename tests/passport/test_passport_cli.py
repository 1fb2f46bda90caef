"""``socialkit passport`` and ``socialkit vulnerability``: files written, errors clean."""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

import socialkit.cli.passport  # noqa: F401  (registers the commands even if not listed yet)
from socialkit.cli import app, main

runner = CliRunner()


def _main(*args: str) -> int:
    try:
        main(list(args))
    except SystemExit as exc:
        return int(exc.code)
    return 0


def test_passport_writes_suppressed_tables(demo_catalog, tmp_path):
    out = tmp_path / "p"
    r = runner.invoke(app, ["passport", "--catalog", str(demo_catalog), "--out", str(out),
                            "--lang", "uk"])
    assert r.exit_code == 0, r.output
    assert "записано" in r.output
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{n}.csv" for n in ("profile", "by_settlement", "demography", "settlement_kinds",
                              "infrastructure", "without")]
        + ["disclosure.json", ".socialkit-outputs.json"])
    cells = pd.read_csv(out / "by_settlement.csv")
    counts = cells["count"].dropna()
    assert not ((counts >= 1) & (counts < 5)).any()
    assert cells["suppressed"].any()                    # the demo has small villages
    assert pd.read_csv(out / "profile.csv")["indicator_id"].nunique() == 7


def test_passport_unknown_municipality_writes_nothing(demo_catalog, tmp_path, capsys):
    out = tmp_path / "p"
    code = _main("passport", "--catalog", str(demo_catalog), "--out", str(out),
                 "--municipality", "UA000")
    assert code == 1
    assert "unknown municipality (found 'UA000')" in capsys.readouterr().err
    assert not out.exists()


def test_vulnerability_writes_scores(demo_catalog, tmp_path):
    out = tmp_path / "v"
    r = runner.invoke(app, ["vulnerability", "--catalog", str(demo_catalog), "--out",
                            str(out), "--runs", "0"])
    assert r.exit_code == 0, r.output
    scores = pd.read_csv(out / "municipality_scores.csv")
    assert len(scores) == 10 and sorted(scores["VUL_rank"]) == list(range(1, 11))
    assert "q05_rank" not in scores                      # no runs, no bands


def test_vulnerability_bad_spec_writes_nothing(demo_catalog, tmp_path, capsys):
    spec = tmp_path / "bad.yaml"
    spec.write_text("indicators: []\naggregates: [{iCode: VUL}]\nindex: {steps: [{nope: {}}]}\n")
    out = tmp_path / "v"
    code = _main("vulnerability", "--catalog", str(demo_catalog), "--out", str(out),
                 "--spec", str(spec))
    assert code == 1
    assert "unknown step 'nope'" in capsys.readouterr().err
    assert not out.exists()
