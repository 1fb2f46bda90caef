"""Weight sensitivity: the ±10 % check and the exact smallest change that flips a winner."""

from __future__ import annotations

import numpy as np
import pytest

from socialkit.contracting import evaluate, minimal_flip, weight_sensitivity
from socialkit.contracting.demo import generate_region_year


def test_tiny_competition_by_hand(tiny_data):
    ev = evaluate(tiny_data)
    sens = weight_sensitivity(ev)
    assert len(sens) == 6 and not sens["changed"].any()
    w = sens.set_index(["criterion_id", "change"])["weight_after"]
    assert w[("price", 0.1)] == pytest.approx(0.44) and w[("staff", -0.1)] == pytest.approx(0.225)
    flip = minimal_flip(ev).iloc[0]
    # price: g_a1 = 1 - (0.77 - 0.4)/0.6, g_a2 = 0.8 - (0.86 - 0.32)/0.6; t = 0.09 / (g_a1 - g_a2)
    t = 0.09 / ((1 - 0.37 / 0.6) - (0.8 - 0.54 / 0.6))
    assert (flip["winner"], flip["criterion_id"], flip["new_winner"]) == ("a2", "price", "a1")
    assert flip["change_points"] == pytest.approx(t) and t == pytest.approx(0.186207, abs=1e-6)
    assert flip["weight_after"] == pytest.approx(0.4 + t)
    # at the crossing the two applications score the same
    p = ev.points.pivot(index="application_id", columns="criterion_id", values="points")
    wa = {"price": 0.4 + t, "plan": 0.35 * (0.6 - t) / 0.6, "staff": 0.25 * (0.6 - t) / 0.6}
    s = {a: sum(p.loc[a, c] * wa[c] for c in wa) for a in ("a1", "a2")}
    assert s["a1"] == pytest.approx(s["a2"])


def test_points_mode(tiny_data):
    sens = weight_sensitivity(evaluate(tiny_data), mode="points")
    w = sens.set_index(["criterion_id", "change"])["weight_after"]
    assert w[("price", 0.1)] == pytest.approx(0.5) and not sens["changed"].any()
    with pytest.raises(ValueError, match="mode"):
        weight_sensitivity(evaluate(tiny_data), mode="percent")


def test_the_contested_demo_award_flips(demo_data):
    ev = evaluate(demo_data["homel_2025"])
    sens = weight_sensitivity(ev)
    changed = sens[sens["changed"]]
    assert set(changed["lot_id"]) == {"hom-2025-c01-l1"}
    assert ("price", -0.1) in set(zip(changed["criterion_id"], changed["change"], strict=True))
    flip = minimal_flip(ev).set_index("lot_id").loc["hom-2025-c01-l1"]
    assert flip["criterion_id"] == "price" and -0.1 < flip["change_relative"] < 0


def test_the_check_and_the_exact_flip_agree_on_many_lots():
    """A ±10 % change flips a lot exactly when the smallest flipping change is within 10 %."""
    ev = evaluate(generate_region_year("mahiliou", 2025, n_competitions=120, apps_per_lot=5))
    sens = weight_sensitivity(ev).groupby("lot_id")["changed"].any()
    flip = minimal_flip(ev).set_index("lot_id")["change_relative"].abs()
    within = (flip <= 0.1).reindex(sens.index).fillna(False)
    assert sens.sum() > 0 and (sens == within).all()
    assert np.isfinite(flip).sum() > 100
