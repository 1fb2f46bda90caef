"""RAAM: equality with PySAL access on the same inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from access_cases import random_case

from socialkit.access import raam

access_raam = pytest.importorskip("access.raam")


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("tau", [15.0, 60.0])
def test_raam_equals_access(seed, tau):
    # every demand location reaches at least one location with supply (reach_all) — where one
    # does not, access assigns it to an unreachable column and we return NaN instead.
    demand, supply, cost = random_case(seed, n=40, m=7, p=0.6, zero_supply=False, reach_all=True)
    theirs = access_raam.raam(demand.to_frame(), supply.to_frame(), cost, demand_name="pop",
                              supply_name="cap", tau=tau)
    ours = raam(demand, supply, cost, tau=tau)
    theirs = theirs.reindex(ours.index)
    np.testing.assert_allclose(ours.to_numpy(), theirs.to_numpy(), rtol=0, atol=1e-9)


def test_raam_missing_for_no_demand_or_no_reach():
    demand = pd.Series({"a": 10.0, "b": 0.0, "c": 5.0})
    supply = pd.Series({"x": 1.0})
    cost = pd.DataFrame({"origin": ["a", "b"], "dest": ["x", "x"], "cost": [6.0, 1.0]})
    got = raam(demand, supply, cost, tau=6)
    # a alone at x: travel 6/6 = 1, congestion 10 / (1 * rho) with rho = 15/1 -> 2/3
    assert got["a"] == pytest.approx(1 + 10 / 15)
    assert np.isnan(got["b"]) and np.isnan(got["c"])


def test_raam_rejects_duplicate_pairs():
    demand = pd.Series({"a": 10.0})
    supply = pd.Series({"x": 1.0})
    cost = pd.DataFrame({"origin": ["a", "a"], "dest": ["x", "x"], "cost": [6.0, 1.0]})
    with pytest.raises(ValueError, match="more than once"):
        raam(demand, supply, cost)
