"""2SFCA, FCA ratio, 3SFCA: hand-checked toy case, properties, equality with PySAL access."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from access_cases import random_case

from socialkit.access import (
    fca_ratio,
    gaussian,
    gravity,
    step_fn,
    three_step_fca,
    two_step_fca,
)
from socialkit.errors import DataValidationError

# --- hand-checked toy case -------------------------------------------------------------------
# x serves a (5) and b (exactly at the 10 threshold); c reaches only y (3), x is 12 away;
# d reaches y at 10.000001, just beyond the threshold, and so nothing.
DEMAND = pd.Series({"a": 100.0, "b": 300.0, "c": 50.0, "d": 80.0})
SUPPLY = pd.Series({"x": 2.0, "y": 1.0})
COST = pd.DataFrame(
    {
        "origin": ["a", "b", "c", "c", "d"],
        "dest": ["x", "x", "x", "y", "y"],
        "cost": [5.0, 10.0, 12.0, 3.0, 10.000001],
    }
)


def test_two_step_fca_hand_checked_binary():
    # R_x = 2 / (100 + 300) = 0.005 (b at exactly 10 is inside); R_y = 1 / 50 = 0.02
    got = two_step_fca(DEMAND, SUPPLY, COST, max_cost=10)
    assert got["a"] == pytest.approx(0.005, abs=1e-15)
    assert got["b"] == pytest.approx(0.005, abs=1e-15)
    assert got["c"] == pytest.approx(0.02, abs=1e-15)
    assert np.isnan(got["d"])  # nothing in reach: missing, not 0
    assert got.index.tolist() == ["a", "b", "c", "d"]


def test_two_step_fca_hand_checked_normalized():
    # population-weighted mean = (0.005*100 + 0.005*300 + 0.02*50) / (100+300+50+80) = 3/530
    got = two_step_fca(DEMAND, SUPPLY, COST, max_cost=10, normalize=True)
    assert got["a"] == pytest.approx(0.005 * 530 / 3, rel=1e-12)
    assert got["c"] == pytest.approx(0.02 * 530 / 3, rel=1e-12)
    assert np.isnan(got["d"])


def test_two_step_fca_hand_checked_step_weights():
    # {5: 1, 10: 0.5}: R_x = 2 / (100*1 + 300*0.5) = 0.008; A_b = 0.5 * 0.008 (same weight twice)
    got = two_step_fca(DEMAND, SUPPLY, COST, max_cost=10, weight={5: 1, 10: 0.5})
    assert got["a"] == pytest.approx(0.008, abs=1e-15)
    assert got["b"] == pytest.approx(0.004, abs=1e-15)
    assert got["c"] == pytest.approx(0.02, abs=1e-15)


def test_two_step_fca_does_not_mutate_inputs():
    cost, demand = COST.copy(), DEMAND.copy()
    two_step_fca(demand, SUPPLY, cost, max_cost=10, weight=gaussian(5), normalize=True)
    pd.testing.assert_frame_equal(cost, COST)
    pd.testing.assert_series_equal(demand, DEMAND)


def test_fca_ratio_hand_checked():
    # a and b are neighbours (4); c alone. Supply within 10 of a: x; of c: y only.
    demand_cost = pd.DataFrame({"origin": ["a", "a", "b", "b", "c", "d"],
                                "dest": ["a", "b", "b", "a", "c", "d"],
                                "cost": [0.0, 4.0, 0.0, 4.0, 0.0, 0.0]})
    got = fca_ratio(DEMAND, SUPPLY, COST, demand_cost, max_cost=10)
    assert got["a"] == pytest.approx(2 / 400)
    assert got["b"] == pytest.approx(2 / 400)
    assert got["c"] == pytest.approx(1 / 50)
    assert got["d"] == 0.0  # no supply in reach: 0, as access does


def test_bad_cost_frame_is_named():
    bad = COST.assign(cost=[5.0, -1.0, 12.0, 3.0, 10.0])
    with pytest.raises(DataValidationError, match=r"cost, row 3, column 'cost'.*negative"):
        two_step_fca(DEMAND, SUPPLY, bad, max_cost=10)
    with pytest.raises(DataValidationError, match="column 'dest'"):
        two_step_fca(DEMAND, SUPPLY, COST.drop(columns="dest"), max_cost=10)


@pytest.mark.parametrize("seed", range(8))
def test_adding_supply_never_lowers_access(seed):
    demand, supply, cost = random_case(seed)
    rng = np.random.default_rng(100 + seed)
    before = two_step_fca(demand, supply, cost, max_cost=30, weight=gaussian(15))
    more = supply.copy()
    more.iloc[rng.integers(len(more))] += 5
    new_site = pd.DataFrame({"origin": demand.index[::3], "dest": "new",
                             "cost": rng.uniform(0, 40, len(demand.index[::3]))})
    more["new"] = 3.0
    after = two_step_fca(demand, more, pd.concat([cost, new_site]), max_cost=30,
                         weight=gaussian(15))
    reached = before.notna()
    assert (after[reached] >= before[reached] - 1e-15).all()
    assert after.notna().sum() >= before.notna().sum()
    assert (after[reached] > before[reached]).any()


# --- equality with PySAL access ----------------------------------------------------------------
access = pytest.importorskip("access")


def _access_obj(demand, supply, cost, demand_cost=None):
    kw = {}
    if demand_cost is not None:
        kw = dict(neighbor_cost_df=demand_cost, neighbor_cost_origin="origin",
                  neighbor_cost_dest="dest", neighbor_cost_name="cost")
    return access.Access(demand_df=demand.to_frame(), demand_value="pop",
                         supply_df=supply.to_frame(), supply_value="cap", cost_df=cost.copy(),
                         cost_origin="origin", cost_dest="dest", cost_name="cost", **kw)


def _assert_same(ours: pd.Series, theirs: pd.Series):
    theirs = theirs.reindex(ours.index)
    assert (ours.isna() == theirs.isna()).all()
    np.testing.assert_allclose(ours.to_numpy(), theirs.to_numpy(), rtol=0, atol=1e-9,
                               equal_nan=True)


WEIGHTS = {
    "binary": (None, None),
    "step": ({10: 1, 20: 0.68, 30: 0.22}, "step"),
    "gaussian": (gaussian(12), "gaussian"),
    "gravity": (gravity(20, -2, 1), "gravity"),
}


def _access_weight(kind):
    aw = access.weights
    return {None: None, "step": aw.step_fn({10: 1, 20: 0.68, 30: 0.22}),
            "gaussian": aw.gaussian(12), "gravity": aw.gravity(20, -2, 1)}[kind]


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("wname", list(WEIGHTS))
@pytest.mark.parametrize("normalize", [False, True])
def test_two_step_fca_equals_access(seed, wname, normalize):
    demand, supply, cost = random_case(seed, p=0.3)
    ours_w, theirs_kind = WEIGHTS[wname]
    theirs = _access_obj(demand, supply, cost).two_stage_fca(
        name="x", max_cost=25, weight_fn=_access_weight(theirs_kind), normalize=normalize)["x_cap"]
    ours = two_step_fca(demand, supply, cost, max_cost=25, weight=ours_w, normalize=normalize)
    assert ours.isna().any()  # the case has unreached settlements
    _assert_same(ours, theirs)


def test_two_step_fca_accepts_access_weight_functions():
    demand, supply, cost = random_case(3)
    fn = access.weights.step_fn({10: 1, 20: 0.68, 30: 0.22})
    ours = two_step_fca(demand, supply, cost, max_cost=30, weight=fn)
    same = two_step_fca(demand, supply, cost, max_cost=30, weight={10: 1, 20: 0.68, 30: 0.22})
    pd.testing.assert_series_equal(ours, same)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fca_ratio_equals_access(seed):
    demand, supply, cost = random_case(seed, p=0.3)
    rng = np.random.default_rng(seed)
    rows = [(o, d, float(rng.uniform(0, 60))) for o in demand.index for d in demand.index
            if o == d or rng.random() < 0.3]
    demand_cost = pd.DataFrame(rows, columns=["origin", "dest", "cost"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # access warns about ids missing from its cost frame
        theirs = _access_obj(demand, supply, cost, demand_cost).fca_ratio(
            name="f", max_cost=20)["f_cap"]
    ours = fca_ratio(demand, supply, cost, demand_cost, max_cost=20)
    assert (ours == 0).any()
    _assert_same(ours, theirs)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("wname", ["default", "gaussian"])
def test_three_step_fca_equals_access(seed, wname):
    demand, supply, cost = random_case(seed, p=0.4)
    theirs_w = None if wname == "default" else access.weights.gaussian(15)
    ours_w = None if wname == "default" else gaussian(15)
    theirs = _access_obj(demand, supply, cost).three_stage_fca(
        name="t", max_cost=25, weight_fn=theirs_w)["t_cap"]
    ours = three_step_fca(demand, supply, cost, max_cost=25, weight=ours_w)
    _assert_same(ours, theirs)


def test_step_weights_match_access_doc_example():
    fn = step_fn({20: 1, 40: 0.68, 60: 0.22})
    assert fn(np.arange(0, 71, 10)).tolist() == [1, 1, 1, 0.68, 0.68, 0.22, 0.22, 0]
