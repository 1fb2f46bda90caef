"""Great-circle costs, nearest facility, settlement_access, coverage, underserved."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics.pairwise import haversine_distances

from socialkit.access import (
    EARTH_RADIUS_KM,
    coverage,
    great_circle_costs,
    haversine_km,
    nearest_destination,
    settlement_access,
    underserved,
)
from socialkit.errors import DataValidationError


def _random_points(seed, n, prefix, id_col):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({id_col: [f"{prefix}{i}" for i in range(n)],
                         "lat": rng.uniform(48, 50, n), "lon": rng.uniform(30, 34, n)})


def test_haversine_matches_sklearn_and_known_distance():
    # one degree of latitude on the IUGG mean sphere: 2*pi*R/360 = 111.195 km
    assert haversine_km(0, 0, 1, 0) == pytest.approx(2 * np.pi * EARTH_RADIUS_KM / 360, rel=1e-12)
    a, b = _random_points(0, 20, "s", "settlement_id"), _random_points(1, 15, "f", "facility_id")
    dense = haversine_distances(np.radians(a[["lat", "lon"]]), np.radians(b[["lat", "lon"]]))
    ours = haversine_km(a["lat"].to_numpy()[:, None], a["lon"].to_numpy()[:, None],
                        b["lat"].to_numpy()[None, :], b["lon"].to_numpy()[None, :])
    np.testing.assert_allclose(ours, dense * EARTH_RADIUS_KM, rtol=1e-10)


@pytest.mark.parametrize("max_km", [5.0, 20.0, 60.0])
def test_great_circle_costs_equal_brute_force(max_km):
    s, f = _random_points(2, 200, "s", "settlement_id"), _random_points(3, 80, "f", "facility_id")
    got = great_circle_costs(s, f, max_km)
    full = haversine_km(s["lat"].to_numpy()[:, None], s["lon"].to_numpy()[:, None],
                        f["lat"].to_numpy()[None, :], f["lon"].to_numpy()[None, :])
    oi, di = np.nonzero(full <= max_km)
    want = pd.DataFrame({"origin": s["settlement_id"].to_numpy()[oi],
                         "dest": f["facility_id"].to_numpy()[di], "cost": full[oi, di]})
    pd.testing.assert_frame_equal(got.reset_index(drop=True), want, check_dtype=False)


def test_great_circle_threshold_is_inclusive():
    s = pd.DataFrame({"settlement_id": ["s"], "lat": [49.0], "lon": [31.0]})
    f = pd.DataFrame({"facility_id": ["f", "g"], "lat": [49.1, 49.3], "lon": [31.1, 31.0]})
    d = float(haversine_km(49.0, 31.0, 49.1, 31.1))
    got = great_circle_costs(s, f, d)
    assert got["dest"].tolist() == ["f"] and got["cost"].iloc[0] == d
    assert great_circle_costs(s, f, d * (1 - 1e-12)).empty


def test_nearest_destination_equals_brute_force():
    s, f = _random_points(4, 150, "s", "settlement_id"), _random_points(5, 40, "f", "facility_id")
    got = nearest_destination(s, f)
    full = haversine_km(s["lat"].to_numpy()[:, None], s["lon"].to_numpy()[:, None],
                        f["lat"].to_numpy()[None, :], f["lon"].to_numpy()[None, :])
    assert got["dest"].tolist() == f["facility_id"].to_numpy()[full.argmin(axis=1)].tolist()
    np.testing.assert_allclose(got["cost"], full.min(axis=1), rtol=1e-12)


def test_bad_coordinates_are_named():
    s = pd.DataFrame({"settlement_id": ["a", "b"], "lat": [49.0, 95.0], "lon": [31.0, 31.0],
                      "population": [1, 2]})
    f = pd.DataFrame({"facility_id": ["f"], "kind": ["pharmacy"], "lat": [49.0], "lon": [31.0]})
    with pytest.raises(DataValidationError, match=r"origins, row 3, column 'lat'.*95"):
        settlement_access(s, f, kinds=["pharmacy"])
    with pytest.raises(DataValidationError, match="column 'population': column is missing"):
        settlement_access(s.drop(columns="population"), f)


# --- settlement_access on a travel-time matrix, checked by hand ----------------------------
SETTLEMENTS = pd.DataFrame({
    "settlement_id": ["s1", "s2", "s3", "s4"],
    "municipality_id": ["m1", "m1", "m2", "m2"],
    "lat": [49.0, 49.1, 49.2, 49.3], "lon": [31.0, 31.0, 31.0, 31.0],
    "population": pd.array([1000, 500, 200, pd.NA], dtype="Int64"),
})
FACILITIES = pd.DataFrame({
    "facility_id": ["c1", "p1", "p2"],
    "kind": ["social_service_centre", "pharmacy", "pharmacy"],
    "lat": [49.0, 49.1, 49.3], "lon": [31.0, 31.0, 31.0],
    "capacity": pd.array([30, 2, 1], dtype="Int64"),
})
TRAVEL = pd.DataFrame({
    "origin": ["s1", "s2", "s3", "s1", "s2", "s3", "s4"],
    "dest": ["c1", "c1", "c1", "p1", "p1", "p2", "p2"],
    "cost": [0.0, 20.0, 45.0, 15.0, 0.0, 30.0, 0.0],
})


def test_settlement_access_travel_matrix_hand_checked():
    got = settlement_access(SETTLEMENTS, FACILITIES, kinds=["social_service_centre", "pharmacy"],
                            threshold_km={"social_service_centre": 20, "pharmacy": 30},
                            travel_cost=TRAVEL, supply="capacity")
    assert got["settlement_id"].tolist() == ["s1", "s2", "s3", "s4"]
    assert got["nearest_social_service_centre"].tolist()[:3] == ["c1", "c1", "c1"]
    assert pd.isna(got["nearest_social_service_centre"].iloc[3])  # s4 has no pair: unreachable
    assert got["distance_social_service_centre"].tolist()[:3] == [0.0, 20.0, 45.0]
    # s2 at exactly 20 is within; s3 at 45 is not
    assert got["within_social_service_centre"].tolist() == [True, True, False, False]
    # 2SFCA: c1 serves s1 + s2 = 1500 people with capacity 30 -> 0.02 each
    np.testing.assert_allclose(got["fca_social_service_centre"], [0.02, 0.02, np.nan, np.nan])
    assert got["nearest_pharmacy"].tolist() == ["p1", "p1", "p2", "p2"]
    # p1 serves s1 + s2 (1500) with 2; p2 serves s3 (200) and s4 (population missing -> 0)
    np.testing.assert_allclose(got["fca_pharmacy"], [2 / 1500, 2 / 1500, 1 / 200, 1 / 200])
    assert got.attrs["cost_unit"] == "travel_cost"


def test_coverage_and_underserved_hand_checked():
    acc = settlement_access(SETTLEMENTS, FACILITIES, kinds=["social_service_centre", "pharmacy"],
                            threshold_km=20, travel_cost=TRAVEL)
    cov = coverage(acc).set_index(["municipality_id", "kind"])
    row = cov.loc[("m1", "social_service_centre")]
    assert row["population"] == 1500 and row["population_covered"] == 1500
    assert row["share_covered"] == 1.0
    row = cov.loc[("m2", "pharmacy")]  # s3 at 30 > 20 is not covered; s4's population unknown
    assert row["settlements"] == 2 and row["settlements_without"] == 1
    assert row["population"] == 200 and row["population_covered"] == 0
    total = coverage(acc, by=None).set_index("kind")
    assert total.loc["pharmacy", "share_covered"] == pytest.approx(1500 / 1700)
    under = underserved(acc)
    assert under["settlement_id"].tolist() == ["s3", "s4"]
    assert under["missing_kinds"].tolist() == ["social_service_centre;pharmacy",
                                               "social_service_centre"]
    assert underserved(acc, min_missing=2)["settlement_id"].tolist() == ["s3"]


def test_settlement_access_great_circle_consistent_with_fca():
    rng = np.random.default_rng(7)
    s = _random_points(8, 120, "s", "settlement_id").assign(
        population=rng.integers(1, 3000, 120), municipality_id="m")
    f = _random_points(9, 30, "f", "facility_id").assign(kind=rng.choice(["school", "pharmacy"], 30))
    got = settlement_access(s, f, kinds=["school", "pharmacy"], threshold_km=12)
    for kind in ("school", "pharmacy"):
        near = nearest_destination(s, f[f["kind"] == kind])
        np.testing.assert_allclose(got[f"distance_{kind}"], near["cost"])
        assert (got[f"within_{kind}"] == (near["cost"] <= 12).to_numpy()).all()
        assert (got[f"fca_{kind}"].isna() == ~got[f"within_{kind}"]).all()


def test_settlement_access_rejects_unknown_origin_in_matrix():
    bad = pd.concat([TRAVEL, pd.DataFrame({"origin": ["zz"], "dest": ["c1"], "cost": [1.0]})])
    with pytest.raises(DataValidationError, match=r"travel_cost, row 9, column .origin.*zz"):
        settlement_access(SETTLEMENTS, FACILITIES, travel_cost=bad)
