"""A demo data set with small counts planted where a reader would look for them.

Planted (latest passport year, 2021):

* settlement counts of 3 (older persons living alone) in the two largest settlements of the
  first municipality, and of 2 (children without parental care) in the largest settlement of
  the second;
* a whole municipality whose count of IDPs is 3 (the first settlement 3, the others 0): its
  municipal count is a primary cell, and the oblast and peer rates would give it back;
* M&E values: girls 0–17 served 3 and registered 2 in the last quarter of the first
  municipality (a rule breach of the data-quality tables), complaints received 2 or 3 a
  quarter then 40 (an outlier whose median, 2 or 3, is printed), and a waiting list of 2 (a count indicator: its
  actual is the count).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

PLANTED_SETTLEMENT = 3
PLANTED_MUNICIPAL = 3


@pytest.fixture(scope="session")
def planted_dir(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("planted")
    for f in demo_dir.iterdir():
        shutil.copy(f, out / f.name)
    st = pd.read_csv(out / "settlements.csv", dtype={"settlement_id": str,
                                                     "municipality_id": str})
    mun = pd.read_csv(out / "municipalities.csv", dtype={"municipality_id": str})
    pv = pd.read_csv(out / "passport_values.csv", dtype={"settlement_id": str,
                                                         "municipality_id": str})
    m1, m2, m3 = mun["municipality_id"].iloc[[0, 1, 6]]
    year = int(pv["year"].max())

    def biggest(mid: str, n: int) -> list[str]:
        s = st[st["municipality_id"] == mid].sort_values("population", ascending=False)
        return s["settlement_id"].head(n).tolist()

    def put(sids, group, value):
        rows = (pv["settlement_id"].isin(sids) & (pv["indicator_id"] == group)
                & (pv["year"] == year))
        pv.loc[rows, "value"] = value

    put(biggest(m1, 2), "elderly_alone", PLANTED_SETTLEMENT)
    put(biggest(m2, 1), "children_no_care", 2)
    mine = st.loc[st["municipality_id"] == m3, "settlement_id"].tolist()
    put(mine, "idp", 0)
    put(mine[:1], "idp", PLANTED_MUNICIPAL)
    pv["value"] = pv["value"].astype("Int64")
    pv.to_csv(out / "passport_values.csv", index=False)

    v = pd.read_csv(out / "indicator_values.csv", dtype={"municipality_id": str})
    last = sorted(v["period"].unique())[-1]
    girls = (v["municipality_id"] == m1) & (v["sex"] == "female") & (v["age_group"] == "0-17")
    period = v.loc[girls & (v["indicator_id"] == "clients_served"), "period"].max()
    for element, value in (("clients_served", 3), ("clients_registered", 2)):
        rows = girls & (v["indicator_id"] == element) & (v["period"] == period)
        assert rows.sum() == 1
        v.loc[rows, "value"] = value
    # complaints received: 2 or 3 a quarter, then 40 (an outlier whose median is printed)
    rows = ((v["indicator_id"] == "complaints_received") & (v["municipality_id"] == m1)
            & (v["sex"] == "total"))
    v.loc[rows, "value"] = [2 + k % 2 for k in range(int(rows.sum()))]
    v.loc[rows & (v["period"] == v.loc[rows, "period"].max()), "value"] = 40
    rows = ((v["indicator_id"] == "waiting_list") & (v["municipality_id"] == m1)
            & v["period"].str.startswith(last[:4]))
    v.loc[rows, "value"] = 0
    v.loc[rows & (v["period"] == last), "value"] = 2
    v.to_csv(out / "indicator_values.csv", index=False)
    return out


@pytest.fixture(scope="session")
def planted_catalog(planted_dir: Path) -> Path:
    return planted_dir / "catalog.yaml"


@pytest.fixture(scope="session")
def planted_tables(planted_catalog: Path) -> dict:
    from socialkit.data import load_all

    return load_all(planted_catalog)
