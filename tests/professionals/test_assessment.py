"""Assessment tests: the key (YAML and XLSForm-like), Moodle exports, and item analysis checked
against a published worked example.

Published example: K. L. Wuensch, "The Kuder-Richardson 20", East Carolina University
(https://core.ecu.edu/wuenschk/StatHelp/KR20.txt): ten students A–J, a ten-item quiz scored
0/1. The page prints each item's p (.7 .7 .6 .7 .6 .8 .7 .7 .5 .6), q, p·q (sum 2.18) and the
variance of the total scores, 5.84 (population variance, N in the denominator). With k = 10,
KR-20 = k/(k−1)·(1 − Σpq/σ²) = 10/9 · (1 − 2.18/5.84) = 0.696347 (the page notes that KR-20 is
Cronbach's alpha of 0/1 items; the ratio Σs²/s² is the same with N or N − 1).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from socialkit.errors import DataValidationError
from socialkit.professionals import distractor_analysis, item_analysis, read_key, read_moodle
from socialkit.professionals.assessment import test_scores as scores_of

from .conftest import DEMO

WUENSCH = """A 1 1 1 1 1 1 0 1 1 0
B 1 0 1 1 0 1 1 1 0 1
C 1 1 1 1 0 1 1 0 0 1
D 0 0 1 0 0 0 1 0 0 0
E 0 0 0 0 0 1 0 0 1 0
F 1 1 1 0 1 1 1 1 1 1
G 1 1 0 1 1 1 0 1 1 1
H 1 1 1 1 1 1 1 1 0 1
I 0 1 0 1 1 1 1 1 0 1
J 1 1 0 1 1 0 1 1 1 0"""


@pytest.fixture(scope="module")
def wuensch() -> pd.DataFrame:
    rows = [line.split() for line in WUENSCH.splitlines()]
    return pd.DataFrame([[int(v) for v in r[1:]] for r in rows], index=[r[0] for r in rows],
                        columns=[f"i{j}" for j in range(1, 11)])


def test_against_the_published_kr20_example(wuensch):
    res = item_analysis(wuensch)
    assert res.items["difficulty"].round(2).tolist() == [.7, .7, .6, .7, .6, .8, .7, .7, .5, .6]
    pq = (res.items["difficulty"] * (1 - res.items["difficulty"])).round(2)
    assert pq.tolist() == [.21, .21, .24, .21, .24, .16, .21, .21, .25, .24]
    assert pq.sum() == pytest.approx(2.18)
    assert wuensch.sum(axis=1).var(ddof=0) == pytest.approx(5.84)   # the page's variance
    test = res.test.iloc[0]
    assert test["kr20"] == pytest.approx(10 / 9 * (1 - 2.18 / 5.84), abs=1e-9)
    assert round(test["kr20"], 3) == 0.696 and test["alpha"] == test["kr20"]
    assert test["mean"] == pytest.approx(6.6)


def test_discrimination_follows_the_usual_definitions(wuensch):
    res = item_analysis(wuensch).items.set_index("item")
    total = wuensch.sum(axis=1)
    for item in wuensch:
        rest = total - wuensch[item]
        # point-biserial item-rest r (CTT itemAnalysis 'pBis' = cor(item, total - item))
        assert res.loc[item, "r_item_rest"] == pytest.approx(
            stats.pointbiserialr(wuensch[item], rest).statistic)
        assert res.loc[item, "r_item_total"] == pytest.approx(
            stats.pointbiserialr(wuensch[item], total).statistic)
        # alpha if deleted = alpha of the other nine items (k/(k-1)(1 - sum s_j^2 / s_T^2))
        other = wuensch.drop(columns=item)
        s = other.var(ddof=1).sum() / other.sum(axis=1).var(ddof=1)
        assert res.loc[item, "alpha_if_deleted"] == pytest.approx(9 / 8 * (1 - s))
    # upper/lower 27%: round(0.27 * 10) = 3 each; totals F 9, H 9, A 8 | J 7, D 2, E 2 (ties
    # at 8 and 7 broken by order in the file) -> item 1: upper 3/3, lower 1/3
    assert res.loc["i1", ["p_upper", "p_lower"]].tolist() == pytest.approx([1, 1 / 3])
    assert res.loc["i7", "discrimination_index"] == pytest.approx(0.0)   # 2/3 vs 2/3


@pytest.fixture(scope="module")
def key():
    return read_key(DEMO / "test_key.yaml")


def test_read_the_demo_moodle_responses(key):
    raw = pd.read_csv(DEMO / "moodle_responses.csv", dtype=str)
    m = read_moodle(DEMO / "moodle_responses.csv", key)
    assert m.skipped == int((raw["State"] != "Finished").sum())
    assert len(m.scores) == int((raw["State"] == "Finished").sum())
    # the Grade column Moodle printed equals the score from the key
    finished = raw[raw["State"] == "Finished"].reset_index(drop=True)
    assert scores_of(m.scores, key)["total"].tolist() == finished["Grade/10.00"].astype(
        float).tolist()
    dis = distractor_analysis(m.choices, key, m.scores)
    assert dis.groupby("item")["share_all"].sum().le(1 + 1e-9).all()


def test_a_wrong_answer_text_is_refused_with_line_and_column(tmp_path, key):
    raw = pd.read_csv(DEMO / "moodle_responses.csv", dtype=str, keep_default_na=False)
    raw.loc[4, "Response 3"] = "Something else"
    path = tmp_path / "r.csv"
    raw.to_csv(path, index=False)
    with pytest.raises(DataValidationError) as err:
        read_moodle(path, key)
    p = err.value.problems[0]
    assert (p.row, p.column, p.value) == (6, "Response 3", "Something else")


def test_grades_report_layout(tmp_path, key):
    cols = ["Surname", "First name", "Email address", "State", "Started on", "Completed",
            "Time taken", "Grade/10.00"] + [f"Q. {j} /1.00" for j in range(1, 11)]
    rows = [["A", "B", "a@x", "Finished", "-", "-", "-", "2.00", "1.00", "1.00"] + ["0.00"] * 8,
            ["C", "D", "c@x", "Finished", "-", "-", "-", "1.00", "-", "1.00"] + ["0.00"] * 8]
    path = tmp_path / "g.csv"
    pd.DataFrame(rows, columns=cols).to_csv(path, index=False)
    m = read_moodle(path, key)
    assert m.choices is None and m.scores.sum(axis=1).tolist() == [2.0, 1.0]
    rows[1][9] = "3.00"  # above the question's maximum of 1
    pd.DataFrame(rows, columns=cols).to_csv(path, index=False)
    with pytest.raises(DataValidationError) as err:
        read_moodle(path, key)
    assert (err.value.problems[0].row, err.value.problems[0].column) == (3, "Q. 2 /1.00")


def test_xlsform_key_with_points_column(tmp_path, key):
    from openpyxl import Workbook

    wb = Workbook()
    survey = wb.active
    survey.title = "survey"
    survey.append(["type", "name", "label"])
    survey.append(["note", "intro", "Read each question"])
    choices = wb.create_sheet("choices")
    choices.append(["list_name", "name", "label", "points"])
    for q in key.questions:
        survey.append([f"select_one {q.name}_list", q.name, q.label])
        for name, c in q.choices.items():
            choices.append([f"{q.name}_list", name, c.label, c.points])
    settings = wb.create_sheet("settings")
    settings.append(["form_id", "form_title", "pass_mark"])
    settings.append([key.test_id, key.title, key.pass_mark])
    path = tmp_path / "key.xlsx"
    wb.save(path)
    assert read_key(path) == key
    choices["D3"] = "many"
    wb.save(path)
    with pytest.raises(DataValidationError) as err:
        read_key(path)
    assert (err.value.problems[0].row, err.value.problems[0].column) == (3, "points")


def test_distractors_that_attract_strong_candidates(key):
    q = [q.name for q in key.questions]
    n = 20
    right = np.zeros((n, len(q)), dtype=object)
    for j in range(len(q)):
        right[:, j] = "a"
    # the weakest 10 get the last six questions wrong with 'b' (total 4); the strongest 10
    # all pick the wrong 'c' on q01 (total 9): a distractor that attracts strong candidates
    right[10:, 4:] = "b"
    right[:10, 0] = "c"
    choices = pd.DataFrame(right, columns=q)
    dis = distractor_analysis(choices, key).set_index(["item", "choice"])
    assert bool(dis.loc[("q01", "c"), "attracts_strong"])
    assert not dis.loc[("q05", "b"), "attracts_strong"]  # chosen by the weak
    assert dis.loc[("q05", "b"), ["share_upper", "share_lower"]].tolist() == [0.0, 1.0]
