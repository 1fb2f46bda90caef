"""``socialkit needs`` and ``needs_features`` on the demo catalog."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from socialkit.cli import app
from socialkit.data import load_all
from socialkit.needs import needs_features


def test_needs_features_rates_hand_checked(demo_catalog):
    tables = load_all(demo_catalog)
    feat = needs_features(tables, "settlement", year=2021)
    pv, settl = tables["passport_values"], tables["settlements"]
    row = pv[(pv["year"] == 2021) & (pv["indicator_id"] == "idp") & pv["value"].notna()].iloc[0]
    pop = settl.set_index("settlement_id").loc[row["settlement_id"], "population"]
    assert feat.loc[row["settlement_id"], "idp"] == pytest.approx(1000 * row["value"] / pop)
    muni = needs_features(tables, "municipality", year=2021)
    assert len(muni) == tables["municipalities"]["municipality_id"].nunique()
    # municipality share = sum of 60+ over sum of population of its settlements
    m = settl["municipality_id"].iloc[0]
    s = settl[settl["municipality_id"] == m]
    known = s["pop_60_plus"].notna() & s["population"].notna()
    want = s.loc[known, "pop_60_plus"].sum() / s.loc[known, "population"].sum()
    assert muni.loc[m, "share_60_plus"] == pytest.approx(float(want))
    assert np.isfinite(muni["distance_social_service_centre"]).all()


def test_cli_writes_cluster_tables(demo_catalog, tmp_path):
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["needs", "--catalog", str(demo_catalog), "--out", str(out),
                                 "--level", "municipality", "--method", "ward", "--k", "3",
                                 "--lang", "uk"])
    assert r.exit_code == 0, r.output
    assert "задав аналітик" in r.output
    assert sorted(p.name for p in out.iterdir()) == [".socialkit-outputs.json", "clusters.csv", "features.csv",
                                                     "profiles.csv", "summary.csv",
                                                     "validity.csv"]
    clusters = pd.read_csv(out / "clusters.csv")
    assert set(clusters["cluster"]) == {1, 2, 3}
    assert clusters["name"].notna().all()


def test_cli_bad_option_fails_cleanly(demo_catalog, tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-c", "from socialkit.cli import main; main()",
                           "needs", "--catalog", str(demo_catalog), "--out", str(out),
                           "--level", "municipality", "--k", "50"],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert "Error: k must be from 1 to 9" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()
