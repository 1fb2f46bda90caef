"""Tiny hand-checkable M&E data: two municipalities (A, B) of one district, two quarters."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from socialkit.frameworks.indicators import load_framework

HERE = Path(__file__).resolve().parent
NA = np.nan


@pytest.fixture(scope="session")
def tiny_fw():
    return load_framework(HERE / "tiny_framework.yaml")


def _rows(element, muni, period, value, sex="total"):
    return {"indicator_id": element, "municipality_id": muni, "period": period, "sex": sex,
            "age_group": "total", "value": float(value), "source": "test"}


@pytest.fixture
def tiny_values() -> pd.DataFrame:
    r = []
    # served / registered by sex.  A: 2020 served 45 of 70; B: 8 of 20.
    for muni, period, sf, sm, rf, rm in [
        ("A", "2020Q1", 10, 5, 20, 10), ("A", "2020Q2", 20, 10, 20, 20),
        ("B", "2020Q1", 1, 1, 1, 9), ("B", "2020Q2", 3, 3, 5, 5),
    ]:
        r += [_rows("served", muni, period, sf, "female"), _rows("served", muni, period, sm, "male"),
              _rows("registered", muni, period, rf, "female"),
              _rows("registered", muni, period, rm, "male")]
    # queue (stock): A 30, 20, NA -> last = 20; B 5, 7 -> 7
    r += [_rows("queue", "A", "2020Q1", 30), _rows("queue", "A", "2020Q2", 20),
          _rows("queue", "A", "2020Q3", NA), _rows("queue", "B", "2020Q1", 5),
          _rows("queue", "B", "2020Q2", 7)]
    # coverage (time average): A 10/100, 20/100 -> 15 %; B 30/50, Q2 numerator missing -> 60 %
    r += [_rows("covered", "A", "2020Q1", 10), _rows("covered", "A", "2020Q2", 20),
          _rows("eligible", "A", "2020Q1", 100), _rows("eligible", "A", "2020Q2", 100),
          _rows("covered", "B", "2020Q1", 30), _rows("eligible", "B", "2020Q1", 50),
          _rows("eligible", "B", "2020Q2", 60)]
    # workers (time average, space average): A 4, 6 -> 5; B 2 -> 2; programme mean 3.5
    r += [_rows("workers", "A", "2020Q1", 4), _rows("workers", "A", "2020Q2", 6),
          _rows("workers", "B", "2020Q1", 2)]
    # trained (cumulative sum): A 2, 3, 4
    r += [_rows("trained", "A", "2020Q1", 2), _rows("trained", "A", "2020Q2", 3),
          _rows("trained", "A", "2020Q3", 4)]
    return pd.DataFrame(r)


@pytest.fixture
def tiny_targets() -> pd.DataFrame:
    rows = [
        ("served_share", "A", "2019", "baseline", 50.0), ("served_share", "A", "2020", "target", 70.0),
        ("served_share", "B", "2019", "baseline", 30.0), ("served_share", "B", "2020", "target", 50.0),
        ("queue", "A", "2019", "baseline", 40.0), ("queue", "A", "2020", "target", 20.0),
        ("queue", "B", "2019", "baseline", 10.0), ("queue", "B", "2020", "target", 5.0),
        ("trained", "A", "2019", "baseline", 0.0), ("trained", "A", "2020Q2", "target", 5.0),
        ("trained", "A", "2020Q3", "target", 12.0),
    ]
    return pd.DataFrame([{"indicator_id": i, "municipality_id": m, "period": p, "sex": "total",
                          "age_group": "total", "kind": k, "value": v} for i, m, p, k, v in rows])


@pytest.fixture
def tiny_munis() -> pd.DataFrame:
    return pd.DataFrame({"municipality_id": ["A", "B"], "district": ["D1", "D1"],
                         "region": ["R", "R"]})
