"""Priorities on hand-checked numbers: weighted scores, ranks, ties, cost reversed, the
sensitivity of the top to the weights and the exact tipping point."""

from __future__ import annotations

import pandas as pd
import pytest

from socialkit.errors import DataValidationError
from socialkit.frameworks.strategy import Criteria
from socialkit.strategy.priorities import score_priorities, tipping_points


def _criteria(top: int = 1, step: float = 0.10) -> Criteria:
    return Criteria.model_validate({
        "id": "t", "scale": {"min": 1, "max": 5}, "top": top, "step": step,
        "criteria": [
            {"id": "severity", "weight": 3, "label": {"en": "Severity"}},
            {"id": "cost", "weight": 1, "direction": "cost", "label": {"en": "Cost"}}]})


def _ratings(rows):
    return pd.DataFrame(rows, columns=["rater", "problem_id", "criterion", "score"])


def test_weighted_scores_ranks_and_cost_reversed_by_hand():
    # weights 0.75 / 0.25; cost reversed: s' = 1 + 5 - s
    r = _ratings([
        ("R1", "A", "severity", 5), ("R1", "A", "cost", 5),   # 0.75*5 + 0.25*1 = 4.0
        ("R2", "A", "severity", 3), ("R2", "A", "cost", 5),   # mean sev 4, cost' 1 -> 3.25
        ("R1", "B", "severity", 4), ("R1", "B", "cost", 1),   # 0.75*4 + 0.25*5 = 4.25
        ("R2", "B", "severity", 4), ("R2", "B", "cost", 1),
        ("R1", "C", "severity", 3), ("R1", "C", "cost", 3),   # 0.75*3 + 0.25*3 = 3.0
        ("R2", "C", "severity", 5), ("R2", "C", "cost", 5),   # sev 4, cost' 2 -> 3.5
    ])
    p = score_priorities(r, _criteria())
    got = dict(zip(p.ranking["problem_id"], p.ranking["score"], strict=True))
    assert got == pytest.approx({"B": 4.25, "A": 3.25, "C": 3.5})
    assert p.ranking["problem_id"].tolist() == ["B", "C", "A"]
    assert p.ranking["rank"].tolist() == [1, 2, 3]
    assert p.top == ("B",)
    assert p.weights == pytest.approx({"severity": 0.75, "cost": 0.25})


def test_equal_scores_share_the_lower_rank_and_are_listed_by_id():
    r = _ratings([(x, p, c, 3) for x in ("R1", "R2") for p in ("Z", "Y")
                  for c in ("severity", "cost")])
    p = score_priorities(r, _criteria())
    assert p.ranking["problem_id"].tolist() == ["Y", "Z"]
    assert p.ranking["rank"].tolist() == [1, 1]


def test_tipping_point_found_exactly():
    # A: sev 5, cost' 1; B: sev 3, cost' 5. With weight x on severity:
    # S_A = 5x + (1-x), S_B = 3x + 5(1-x); equal at 4x + 1 = 5 - 2x  ->  x = 2/3.
    r = _ratings([("R1", "A", "severity", 5), ("R1", "A", "cost", 5),
                  ("R1", "B", "severity", 3), ("R1", "B", "cost", 1)])
    p = score_priorities(r, _criteria())
    assert p.top == ("A",)  # at 0.75: A 4.0, B 3.5
    tip = p.tipping.set_index(["criterion", "direction"])
    assert tip.at[("severity", "down"), "new_weight"] == pytest.approx(2 / 3)
    assert tip.at[("severity", "down"), "relative_change"] == pytest.approx((2 / 3 - 0.75) / 0.75)
    assert tip.at[("severity", "down"), "new_top"] == ("B",)
    # a 10 % change (0.675) does not reach 2/3; a 12 % one (0.66) would
    assert p.robust
    assert not score_priorities(r, _criteria(step=0.12)).robust
    assert p.smallest_change()["relative_change"] == pytest.approx(-1 / 9)


def test_tipping_points_empty_when_every_candidate_is_in_the_top():
    m = pd.DataFrame({"a": [1.0, 2.0]}, index=["X", "Y"])
    assert tipping_points(m, {"a": 1.0}, k=2).empty


def test_agreement_perfect_when_raters_agree():
    r = _ratings([(x, p, c, s) for x in ("R1", "R2", "R3")
                  for p, c, s in (("A", "severity", 5), ("A", "cost", 2), ("B", "severity", 2),
                                  ("B", "cost", 4), ("C", "severity", 3), ("C", "cost", 3))])
    ag = score_priorities(r, _criteria()).agreement
    assert ag.loc[ag["measure"] == "alpha", "value"].iloc[0] == pytest.approx(1.0)
    assert ag.loc[ag["measure"] == "icc_2_1", "value"].iloc[0] == pytest.approx(1.0)


def test_a_candidate_without_a_rating_on_a_criterion_is_refused():
    r = _ratings([("R1", "A", "severity", 5), ("R1", "A", "cost", 5),
                  ("R1", "B", "severity", 3)])
    with pytest.raises(DataValidationError, match="problem B: no rating on criterion 'cost'"):
        score_priorities(r, _criteria(), pd.DataFrame({"problem_id": ["A", "B"]}))


def test_demo_ranking_is_the_weighted_mean(cantemir_strategy):
    p = cantemir_strategy.priorities
    r = cantemir_strategy.cycle["ratings"].copy()
    cr = cantemir_strategy.cycle.criteria
    r["adj"] = [cr.scale.min + cr.scale.max - s if c == "cost" else s
                for c, s in zip(r["criterion"], r["score"].astype(float), strict=True)]
    by_hand = (r.groupby(["problem_id", "criterion"])["adj"].mean().unstack()
               .mul(pd.Series(cr.weights())).sum(axis=1))
    got = p.ranking.set_index("problem_id")["score"]
    assert got.to_dict() == pytest.approx(by_hand.to_dict())
    assert list(p.top) == by_hand.sort_values(ascending=False).index[:cr.top].tolist()
