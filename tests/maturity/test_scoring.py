"""Scoring through socialkit.index: hand-checked values, bounds, monotonicity, missing data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from maturity_cases import ITEMS, answers

from socialkit.errors import DataValidationError
from socialkit.maturity import OVERALL, assess, load_framework
from socialkit.maturity.scoring import INSUFFICIENT, check_responses, score, score_levels


def _get(table: pd.DataFrame, m: str, r: str, code: str, col: str = "score"):
    row = table[(table["municipality_id"] == m) & (table["round"] == r) & (table["code"] == code)]
    assert len(row) == 1
    return row[col].iloc[0]


def test_hand_checked_scores(tiny, tiny_answers):
    before = tiny_answers.copy()
    scores, index = score(check_responses(tiny_answers, tiny), tiny)
    pd.testing.assert_frame_equal(tiny_answers, before)  # input untouched
    # m1 2020-12: A = (50*1 + 100*3)/4; B = (50 + 50 + 25)/3; overall = mean of the two
    assert _get(scores, "m1", "2020-12", "A") == pytest.approx(87.5)
    assert _get(scores, "m1", "2020-12", "B") == pytest.approx(125 / 3)
    assert _get(scores, "m1", "2020-12", OVERALL) == pytest.approx((87.5 + 125 / 3) / 2)
    # B.1 is on a 1-5 scale: 5 -> 100, 1 -> 0; B.2 on 0-2: 2 -> 100
    assert _get(scores, "m3", "2020-12", "B") == pytest.approx(100.0)
    assert _get(scores, "m2", "2020-12", "B") == pytest.approx(0.0)
    assert _get(scores, "m1", "2021-04", OVERALL) == pytest.approx((100 + 175 / 3) / 2)
    # ranks within a round, descending
    assert _get(scores, "m1", "2020-12", OVERALL, "rank") == 1
    assert _get(scores, "m3", "2020-12", OVERALL, "rank") == 2
    assert _get(scores, "m2", "2020-12", OVERALL, "rank") == 3
    # the index engine ran the framework's spec and kept every stage
    assert index.spec == tiny.spec
    assert {"normalised", "aggregated"} <= set(index.stages)
    levels = score_levels(scores, tiny)
    assert _get(levels, "m1", "2020-12", "A", "level") == 3
    assert _get(levels, "m1", "2020-12", "B", "level") == 2
    assert _get(levels, "m1", "2020-12", OVERALL, "level_id") == "mid"
    assert _get(levels, "m1", "2021-04", OVERALL, "level") == 3


def test_insufficient_data_is_not_scored(tiny, tiny_answers):
    scores, _ = score(check_responses(tiny_answers, tiny), tiny)
    # m2 2021-04: A has 1 of 2 items (50 % < 60 %): not scored, even though A.1 was answered
    assert np.isnan(_get(scores, "m2", "2021-04", "A"))
    assert _get(scores, "m2", "2021-04", "A", "status") == INSUFFICIENT
    assert _get(scores, "m2", "2021-04", "A", "answered") == 1
    assert _get(scores, "m2", "2021-04", "A", "expected") == 2
    assert pd.isna(_get(scores, "m2", "2021-04", "A", "rank"))
    # ... so the overall score has 1 of 2 dimensions (< 75 %): also insufficient
    assert np.isnan(_get(scores, "m2", "2021-04", OVERALL))
    assert _get(scores, "m2", "2021-04", OVERALL, "status") == INSUFFICIENT
    # m2 2020-12: B has 2 of 3 items (67 % >= 60 %): scored from the answered ones
    assert _get(scores, "m2", "2020-12", "B", "status") == "scored"
    levels = score_levels(scores, tiny)
    assert pd.isna(_get(levels, "m2", "2021-04", "A", "level"))
    assert _get(levels, "m2", "2021-04", "A", "level_id") == INSUFFICIENT
    # m3 skipped the follow-up: no rows are invented for it
    assert scores[(scores["municipality_id"] == "m3") & (scores["round"] == "2021-04")].empty


@pytest.mark.parametrize("where", ["top", "bottom"])
def test_all_answers_at_an_end(where):
    fw = load_framework()
    items = fw.items_frame()
    value = items["scale_max"] if where == "top" else items["scale_min"]
    resp = pd.DataFrame({"municipality_id": "UA1", "round": "2021-04",
                         "item_id": items["item_id"], "score": value.astype(float)})
    res = assess(resp, fw)
    expected = 100.0 if where == "top" else 0.0
    assert res.scores["score"].tolist() == [expected] * (len(fw.dimensions) + 1)
    top = fw.levels[-1] if where == "top" else fw.levels[0]
    assert set(res.levels["level_id"]) == {top.id}


def test_better_answers_never_lower_a_score(tiny):
    rng = np.random.default_rng(7)
    items = tiny.items_frame().set_index("item_id")
    for _ in range(25):
        base = {i: float(rng.integers(items.at[i, "scale_min"], items.at[i, "scale_max"] + 1))
                if rng.uniform() > 0.15 else None for i in ITEMS}
        rows = [("base", "r", base)]
        for i in ITEMS:  # raise one answer by a point, or answer a missing item at the top
            better = dict(base)
            if better[i] is None:
                better[i] = float(items.at[i, "scale_max"])
            elif better[i] < items.at[i, "scale_max"]:
                better[i] += 1
            rows.append((f"up-{i}", "r", better))
        scores, _ = score(check_responses(answers([(m, "2021-04", sc) for m, _, sc in rows]),
                                          tiny), tiny)
        wide = scores.pivot(index="municipality_id", columns="code", values="score")
        for i in ITEMS:
            up, low = wide.loc[f"up-{i}"], wide.loc["base"]
            both = up.notna() & low.notna()
            assert (up[both] >= low[both] - 1e-12).all(), (base, i)
            assert not (low.notna() & up.isna()).any()  # answering more never loses a score


def test_bad_answers_are_listed_with_rows(tiny):
    bad = answers([("m1", "2021-04", {"A.1": 2, "A.2": 7, "B.1": 0, "Z.9": 1, "B.2": 1.5})])
    bad = pd.concat([bad, bad.iloc[[0]]], ignore_index=True)  # A.1 twice
    with pytest.raises(DataValidationError) as err:
        check_responses(bad, tiny, source="responses.csv")
    text = str(err.value)
    assert "responses.csv, row 3, column 'score': score off the item's scale (found 7.0); " \
           "expected a whole number from 0 to 4" in text
    assert "row 4, column 'score'" in text and "from 1 to 5" in text   # B.1 is 1-5
    assert "row 5, column 'item_id': unknown item (found 'Z.9')" in text
    assert "row 6, column 'score'" in text                              # 1.5 is not whole
    assert "row 7, column 'item_id': item answered twice" in text
    assert len(err.value.problems) == 5
    with pytest.raises(DataValidationError, match="missing column 'score'"):
        check_responses(bad.drop(columns="score"), tiny)


def test_rounds_and_empty_input(tiny):
    bad = answers([("m1", "baseline", {"A.1": 2}), ("m1", "2021-13", {"A.1": 2}),
                   ("m1", "2021-04", {"A.1": 2})])
    with pytest.raises(DataValidationError) as err:
        check_responses(bad, tiny)
    assert len(err.value.problems) == 2
    assert "row 2, column 'round': not an assessment round (found 'baseline'); expected a " \
           "month YYYY-MM" in str(err.value)
    with pytest.raises(DataValidationError, match="no answers"):
        check_responses(bad.iloc[:0], tiny)
