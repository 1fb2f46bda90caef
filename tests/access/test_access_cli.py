"""``socialkit access`` on the demo catalog: tables written, bad matrix named, nothing partial."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
from typer.testing import CliRunner

from socialkit.cli import app


def test_cli_writes_access_tables(demo_catalog, tmp_path):
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["access", "--catalog", str(demo_catalog), "--out", str(out),
                                 "--threshold-km", "5", "--lang", "uk"])
    assert r.exit_code == 0, r.output
    assert "Оцінено населених пунктів" in r.output
    assert sorted(p.name for p in out.iterdir()) == [".socialkit-outputs.json", "coverage.csv", "settlement_access.csv",
                                                     "underserved.csv"]
    acc = pd.read_csv(out / "settlement_access.csv")
    settl = pd.read_csv(demo_catalog.parent / "settlements.csv")
    assert len(acc) == len(settl)
    assert (acc["within_school"] == (acc["distance_school"] <= 5)).all()
    cov = pd.read_csv(out / "coverage.csv")
    assert set(cov["kind"]) == {"social_service_centre", "admin_service_centre",
                                "primary_care", "pharmacy", "school"}
    assert cov["share_covered"].between(0, 1).all()


def test_cli_bad_travel_matrix_fails_cleanly(demo_catalog, tmp_path):
    bad = tmp_path / "times.csv"
    bad.write_text("origin,dest,cost\nnowhere,F0000001,12\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-c", "from socialkit.cli import main; main()",
                           "access", "--catalog", str(demo_catalog), "--out", str(out),
                           "--travel-cost", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert (f"{bad}, row 2, column 'origin': origin is not a known id (found 'nowhere')"
            in proc.stderr)
    assert "Traceback" not in proc.stderr
    assert not out.exists()


def test_cli_unknown_kind(demo_catalog, tmp_path):
    r = CliRunner().invoke(app, ["access", "--catalog", str(demo_catalog), "--out",
                                 str(tmp_path / "o"), "--kind", "library"])
    assert r.exit_code != 0
    assert not (tmp_path / "o").exists()
