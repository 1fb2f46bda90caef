"""A tiny hand-made data set: four municipalities, two oblasts, two years."""

from __future__ import annotations

import pandas as pd
import pytest


def _s(values):
    return pd.array(values, dtype="str")


def _i(values):
    return pd.array(values, dtype="Int64")


@pytest.fixture()
def tiny() -> dict[str, pd.DataFrame]:
    """M1 (Donetsk, 15,000 → class 10–20k) has s1, s2 and s3 (no population recorded).

    Peers of M1 (class 10–20k): M1, M2 (Donetsk) and M4 (Luhansk); M3 (Donetsk) is 60,000.
    """
    mun = pd.DataFrame({
        "municipality_id": _s(["M1", "M2", "M3", "M4"]),
        "name": _s(["One", "Two", "Three", "Four"]),
        "name_local": _s(["Один", "Два", "Три", "Чотири"]),
        "country": _s(["UA"] * 4),
        "region": _s(["Donetsk", "Donetsk", "Donetsk", "Luhansk"]),
        "district": _s(["D1", "D1", "D2", "D3"]),
        "population": _i([15000, 12000, 60000, 11000]),
        "area_km2": [100.0, 100.0, 100.0, 100.0],
        "lat": [48.0, 48.5, 49.0, 49.5], "lon": [37.0, 37.5, 38.0, 38.5],
    })
    st = pd.DataFrame({
        "settlement_id": _s(["s1", "s2", "s3", "s4", "s5", "s6"]),
        "municipality_id": _s(["M1", "M1", "M1", "M2", "M3", "M4"]),
        "name": _s(["S one", "S two", "S three", "S four", "S five", "S six"]),
        "name_local": _s(["С один", "С два", "С три", "С чотири", "С п'ять", "С шість"]),
        "kind": _s(["town", "village", "village", "town", "city", "town"]),
        "lat": [48.0, 48.0, 48.1, 48.5, 49.0, 49.5],
        "lon": [37.0, 37.1, 37.0, 37.5, 38.0, 38.5],
        "population": _i([1000, 500, None, 2000, 3000, 2500]),
        "pop_0_17": _i([200, 100, None, 400, 600, 500]),
        "pop_18_59": _i([500, 250, None, 900, 1550, 1000]),
        "pop_60_plus": _i([300, 150, None, 700, 850, 1000]),
    })
    fac = pd.DataFrame({
        "facility_id": _s(["F1", "F2", "F3", "F4"]),
        "municipality_id": _s(["M1", "M1", "M1", "M2"]),
        "settlement_id": _s(["s1", "s1", "s2", "s4"]),
        "kind": _s(["social_service_centre", "primary_care", "primary_care",
                    "social_service_centre"]),
        "name": _s(["SSC", "PHC 1", "PHC 2", "SSC 2"]),
        "lat": [48.0, 48.0, 48.0, 48.5], "lon": [37.0, 37.0, 37.1, 37.5],
        "capacity": _i([40, 100, None, 30]),
    })
    rows = [
        # (settlement, year, indicator, value)
        ("s1", 2021, "elderly_alone", 30), ("s2", 2021, "elderly_alone", 3),
        ("s3", 2021, "elderly_alone", 7),
        ("s1", 2020, "elderly_alone", 20), ("s2", 2020, "elderly_alone", 5),
        ("s3", 2020, "elderly_alone", None),
        ("s1", 2021, "idp", 2), ("s2", 2021, "idp", 1), ("s3", 2021, "idp", None),
        ("s1", 2020, "idp", 0), ("s2", 2020, "idp", 0), ("s3", 2020, "idp", 0),
        ("s4", 2021, "elderly_alone", 70), ("s5", 2021, "elderly_alone", 17),
        ("s6", 2021, "elderly_alone", 100),
        ("s4", 2021, "idp", 40), ("s5", 2021, "idp", 60), ("s6", 2021, "idp", 10),
    ]
    mid = {"s1": "M1", "s2": "M1", "s3": "M1", "s4": "M2", "s5": "M3", "s6": "M4"}
    pv = pd.DataFrame({
        "municipality_id": _s([mid[r[0]] for r in rows]),
        "settlement_id": _s([r[0] for r in rows]),
        "year": [r[1] for r in rows],
        "indicator_id": _s([r[2] for r in rows]),
        "value": _i([r[3] for r in rows]),
    })
    return {"municipalities": mun, "settlements": st, "facilities": fac, "passport_values": pv}
