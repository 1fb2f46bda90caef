"""Gaps to target levels and the prioritised, scheduled action plan."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from maturity_cases import TINY

from socialkit.errors import SocialkitError
from socialkit.maturity import assess, load_framework, report
from socialkit.maturity.plans import start_quarter


def _gap(res, m, code):
    g = res.gaps
    row = g[(g["municipality_id"] == m) & (g["code"] == code)]
    assert len(row) == 1
    return row.iloc[0]


def test_default_target_is_the_next_level(tiny, tiny_answers):
    res = assess(tiny_answers, tiny)
    # latest round of each municipality: m1, m2 -> 2021-04; m3 skipped it -> 2020-12
    assert dict(zip(res.gaps["municipality_id"], res.gaps["round"], strict=False)) == {
        "m1": "2021-04", "m2": "2021-04", "m3": "2020-12"}
    b = _gap(res, "m1", "B")                    # 58.333, level 2 -> target 3 (from 70)
    assert (b["level"], b["target_level"], b["target_score"]) == (2, 3, 70.0)
    assert b["gap"] == pytest.approx(70 - 175 / 3) and b["status"] == "gap"
    assert b["weight"] == 0.5
    a = _gap(res, "m1", "A")                    # 100, already at the top level
    assert (a["status"], a["gap"], a["target_level"]) == ("top", 0.0, 3)
    m2a = _gap(res, "m2", "A")                  # insufficient data: no gap invented
    assert m2a["status"] == "insufficient_data" and pd.isna(m2a["gap"])
    assert _gap(res, "m3", "A")["gap"] == pytest.approx(15.0)   # 25 -> level 2 from 40


def test_targets_per_municipality(tiny, tiny_answers):
    res = assess(tiny_answers, tiny, targets={"m3": {"A": 3}, "m1": {"B": 2}})
    assert _gap(res, "m3", "A")["gap"] == pytest.approx(45.0)   # 25 -> 70
    assert _gap(res, "m1", "B")["status"] == "met"
    assert _gap(res, "m2", "B")["target_level"] == 3            # others keep the default
    table = pd.DataFrame({"municipality_id": ["", "m1"], "dimension": ["A", "A"],
                          "target_level": [2, 3]})
    res2 = assess(tiny_answers, tiny, targets=table)
    assert _gap(res2, "m3", "A")["target_level"] == 2
    assert _gap(res2, "m1", "A")["target_level"] == 3


@pytest.mark.parametrize(("targets", "words"), [
    ({"C": 2}, "unknown dimension 'C'"),
    ({"A": 7}, "expected a level from 1 to 3"),
    ({"m9": {"A": 2}}, "unknown municipality 'm9'"),
    ("high", "expected a level"),
])
def test_bad_targets(tiny, tiny_answers, targets, words):
    with pytest.raises(SocialkitError, match=words):
        assess(tiny_answers, tiny, targets=targets)


def test_action_plan_ordered_by_priority(tiny, tiny_answers):
    res = assess(tiny_answers, tiny, targets={"m3": {"A": 3}})
    plan = res.action_plan
    m1 = plan[plan["municipality_id"] == "m1"]
    # B gap 11.667 x weight 0.5 / effort: low (1) before high (3)
    assert m1["action_id"].tolist() == ["B-3b", "B-3a"]
    assert m1["priority"].tolist() == pytest.approx([(70 - 175 / 3) * 0.5 / 1,
                                                     (70 - 175 / 3) * 0.5 / 3])
    assert m1["order"].tolist() == [1, 2]
    # m3 A: 25 -> target 3 takes the level-2 and the level-3 action
    m3 = plan[plan["municipality_id"] == "m3"].set_index("action_id")
    assert list(m3.index) == ["A-2", "A-3"]
    assert m3.loc["A-2", "priority"] == pytest.approx(45 * 0.5 / 1)
    # no actions for dimensions without a gap (A of m1 is top) or with insufficient data
    assert not plan[(plan["municipality_id"] == "m2") & (plan["dimension"] == "A")].size
    for _, p in plan.groupby("municipality_id"):
        assert p["priority"].is_monotonic_decreasing
    texts = report.with_text("action_plan", plan, tiny, "en")
    assert texts["title"].iloc[0] and texts["indicator"].iloc[0]


def test_schedule_by_quarter(tiny, tiny_answers):
    assert str(start_quarter("2020-12")) == "2021Q1"
    assert str(start_quarter("2021-04")) == "2021Q3"
    res = assess(tiny_answers, tiny, targets={"m3": {"A": 3}})
    m3 = res.action_plan[res.action_plan["municipality_id"] == "m3"].set_index("action_id")
    assert (m3.loc["A-2", "start"], m3.loc["A-2", "end"]) == ("2021Q1", "2021Q1")
    assert (m3.loc["A-3", "start"], m3.loc["A-3", "end"]) == ("2021Q2", "2021Q3")
    # capacity 1: the two B actions of m1 run one after the other
    one = assess(tiny_answers, tiny, capacity=1).action_plan
    m1 = one[one["municipality_id"] == "m1"]
    assert m1["start"].tolist() == ["2021Q3", "2021Q4"]
    two = assess(tiny_answers, tiny, capacity=2).action_plan
    assert two[two["municipality_id"] == "m1"]["start"].tolist() == ["2021Q3", "2021Q3"]
    with pytest.raises(SocialkitError, match="capacity"):
        assess(tiny_answers, tiny, capacity=0)


def test_higher_level_waits_for_lower_even_when_more_urgent(tiny_answers):
    raw = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    for a in raw["actions"]:
        if a["id"] == "A-2":
            a["effort"] = "high"
        if a["id"] == "A-3":
            a["effort"] = "low"
    fw = load_framework(raw)
    plan = assess(tiny_answers, fw, targets={"m3": {"A": 3}}).action_plan
    m3 = plan[plan["municipality_id"] == "m3"].set_index("action_id")
    assert list(m3.index) == ["A-3", "A-2"]              # A-3 is more urgent (effort 1)
    assert m3.loc["A-2", "start"] == "2021Q1"           # ... but is scheduled after A-2
    assert m3.loc["A-3", "start"] == "2021Q2"


def test_text_columns_follow_the_language(tiny, tiny_answers):
    plan = report.with_text("action_plan", assess(tiny_answers, tiny, targets={"m3": {"A": 3}})
                            .action_plan, tiny, "uk")
    titles = dict(zip(plan["action_id"], plan["title"], strict=False))
    assert titles["A-2"] == "А до середнього"
    assert titles["A-3"] == "A to high"             # no Ukrainian text: English fallback


def test_gaps_from_a_chosen_round(tiny, tiny_answers):
    res = assess(tiny_answers, tiny, round="2020-12")
    assert set(res.gaps["round"]) == {"2020-12"}
    assert _gap(res, "m1", "B")["score"] == pytest.approx(125 / 3)
    assert set(res.action_plan["start"].str[:4]) <= {"2021", "2022"}
    only_m1 = assess(tiny_answers.query("not (municipality_id == 'm1' and round == '2020-12')"),
                     tiny, round="2020-12")
    rounds = dict(zip(only_m1.gaps["municipality_id"], only_m1.gaps["round"], strict=False))
    assert rounds == {"m1": "2021-04", "m2": "2020-12", "m3": "2020-12"}
