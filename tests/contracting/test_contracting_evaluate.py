"""Scores, ranking, ties and agreement on the hand-checked competition (conftest)."""

from __future__ import annotations

import numpy as np
import pytest
from contracting_tiny import tiny_tables, write_tables

from socialkit.contracting import ContractingData, evaluate, read_contracting
from socialkit.contracting.evaluate import check_completeness, roc_weights
from socialkit.monitoring.agreement import icc_2_1, krippendorff_alpha


def test_completeness_and_admission_list_every_reason(tiny_data: ContractingData):
    comp = check_completeness(tiny_data).set_index("application_id")
    assert comp.loc["a3", "missing"] == "budget" and not comp.loc["a3", "complete"]
    assert comp.loc[["a1", "a2", "a4"], "complete"].all()
    res = evaluate(tiny_data).results.set_index("application_id")
    assert res["admitted"].to_dict() == {"a1": True, "a2": True, "a3": False, "a4": False}
    assert res.loc["a4", "failed_criteria"] == "exp"


def test_weighted_scores_and_ranking_by_hand(tiny_data: ContractingData):
    ev = evaluate(tiny_data)
    res = ev.results.set_index("application_id")
    assert res.loc["a1", "score"] == pytest.approx(77.0)
    assert res.loc["a2", "score"] == pytest.approx(86.0)
    assert res.loc["a1", "quality_part"] == pytest.approx(37.0)
    assert res.loc["a2", "rank"] == 1 and res.loc["a1", "rank"] == 2
    assert res["winner"].sum() == 1 and res.loc["a2", "winner"] and res.loc["a2", "awarded"]
    assert np.isnan(res.loc["a3", "score"]) and res["rank"].isna()["a3"]
    pts = ev.points.set_index(["application_id", "criterion_id"])
    assert pts.loc[("a2", "price"), "points"] == pytest.approx(0.8)
    assert pts.loc[("a1", "plan"), "spread"] == 2 and pts.loc[("a1", "plan"), "mean"] == 7


def test_agreement_reuses_the_monitoring_machinery(tiny_data: ContractingData):
    ag = evaluate(tiny_data).agreement.iloc[0]
    x = np.array([[6, 8], [5, 5], [9, 9], [8, 10]], float)  # (a1 plan, a1 staff, a2 …) × (e1, e2)
    assert ag["alpha"] == pytest.approx(krippendorff_alpha(x, "interval"))
    assert ag["icc"] == pytest.approx(icc_2_1(x))
    assert (ag["n_evaluators"], ag["n_units"], ag["mean_spread"], ag["max_spread"]) == (
        2, 4, 1.0, 2.0)


def _variant(tmp_path, changes: dict) -> ContractingData:
    t = tiny_tables()
    for (table, row, col), value in changes.items():
        t[table].loc[row, col] = value
    return read_contracting(write_tables(tmp_path / "v", t))


def test_equal_scores_go_to_the_higher_quality_part(tmp_path):
    # a2 gets 7.5 on plan and staff: 40·0.8 + 35·0.75 + 25·0.75 = 77 = a1's score, but a
    # quality part of 45 against 37
    d = _variant(tmp_path, {("scores", i, "score"): v for i, v in
                            zip(range(4, 8), (7.0, 8.0, 7.0, 8.0), strict=True)})
    res = evaluate(d).results.set_index("application_id")
    assert res.loc["a1", "score"] == pytest.approx(res.loc["a2", "score"])
    assert res.loc["a2", "rank"] == 1 and res.loc["a1", "tied"] and res.loc["a2", "tied"]


def test_equal_score_quality_and_price_go_to_the_earlier_application(tmp_path):
    changes = {("applications", 1, "price"): 8000.0}
    changes.update({("scores", i + 4, "score"): v for i, v in
                    enumerate((6.0, 8.0, 5.0, 5.0))})
    res = evaluate(_variant(tmp_path, changes)).results.set_index("application_id")
    assert res.loc["a1", "score"] == res.loc["a2", "score"]
    assert res.loc["a1", "rank"] == 1 and res.loc["a2", "rank"] == 2 and res.loc["a1", "tied"]


def test_order_of_importance_uses_rank_order_centroid_weights(tmp_path):
    assert roc_weights(3) == pytest.approx([11 / 18, 5 / 18, 2 / 18])
    t = tiny_tables()
    t["competitions"].loc[0, "weighting"] = "order"
    t["criteria"]["weight"] = None
    t["criteria"].loc[2:4, "importance"] = [1, 2, 3]
    ev = evaluate(read_contracting(write_tables(tmp_path / "o", t)))
    w = ev.weights.set_index("criterion_id")["weight_used"]
    assert w.to_dict() == pytest.approx({"price": 11 / 18, "plan": 5 / 18, "staff": 2 / 18})
    res = ev.results.set_index("application_id")
    # a1: 11/18·1 + 5/18·0.7 + 2/18·0.5 = 0.8056; a2: 11/18·0.8 + 7/18·0.9 = 0.8389
    assert res.loc["a1", "score"] == pytest.approx(100 * (11 + 3.5 + 1) / 18)
    assert res.loc["a2", "score"] == pytest.approx(100 * (8.8 + 6.3) / 18)


def test_demo_awards_agree_with_the_evaluation(demo_data):
    for data in demo_data.values():
        ev = evaluate(data)
        winners = ev.winners().set_index("lot_id")["application_id"]
        awarded = data.awards.set_index("lot_id")["application_id"]
        assert winners.reindex(awarded.index).equals(awarded)
