"""Consultation tables: participants and theme counts of 1–4 never shown (with secondary
suppression), quotes never with names and never attributed to a small group, and where the
voices meet the data."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from socialkit.errors import DataValidationError
from socialkit.strategy.consultation import participation, quotes, theme_frequencies
from socialkit.strategy.inputs import check_cycle, find_identifiers

CELLS = ["female", "male", "age_18_34", "age_35_59", "age_60_plus", "total"]


def _shown(frame: pd.DataFrame, cols) -> np.ndarray:
    v = frame[cols].to_numpy(dtype="float64", na_value=np.nan)
    return v[~np.isnan(v)]


@pytest.mark.parametrize("which", ["cantemir", "mykolaivka"])
def test_no_participant_count_of_1_to_4_is_shown(which, request):
    cycle = request.getfixturevalue(which)
    p = participation(cycle)
    shown = _shown(p, CELLS)
    assert not ((shown >= 1) & (shown <= 4)).any()
    # and a suppressed cell cannot be derived: no line has exactly one hidden cell
    hidden = p[CELLS].isna().to_numpy()
    for row in hidden:
        assert row[[0, 1, 5]].sum() != 1 and row[[2, 3, 4, 5]].sum() != 1
    for j in range(len(CELLS)):
        assert hidden[:, j].sum() != 1


def test_a_small_count_is_suppressed_and_cannot_be_recomputed(cantemir):
    s = cantemir["sessions"]
    # two women among the ten interviewed professionals: hidden, and so are the men
    # (else women = total - men)
    raw = int(s.loc[s["kind"] == "interview", "female"].astype(int).sum())
    assert 1 <= raw <= 4
    p = participation(cantemir).set_index("kind")
    assert pd.isna(p.at["interview", "female"])
    assert pd.isna(p.at["interview", "male"])
    assert p.at["interview", "total"] == 10
    # the focus groups' women are hidden too (else interview women = total - focus groups)
    assert pd.isna(p.at["focus_group", "female"])
    assert p.at["total", "female"] == int(s["female"].astype(int).sum())


def test_theme_frequencies_suppressed(mykolaivka):
    f = theme_frequencies(mykolaivka)
    shown = f["n"].dropna().astype(int)
    assert not shown.between(1, 4).any()
    assert f["n"].isna().any()  # the demo has small cells: something was suppressed
    raw = mykolaivka["excerpts"].groupby(["theme", "group"]).size()
    inside = f[(f["theme"] != "total") & (f["group"] != "total")].set_index(["theme", "group"])
    for key, n in raw.items():
        if n >= 5 and not pd.isna(inside.at[key, "n"]):
            assert inside.at[key, "n"] == n


def test_quotes_never_attributed_to_a_small_group(cantemir):
    s = cantemir["sessions"]
    size = (s["female"].astype(int) + s["male"].astype(int)).groupby(s["group"]).sum()
    q = quotes(cantemir)
    named = q[~q["attributed_to"].str.startswith("kind:")]
    assert len(named) and (named["attributed_to"].map(size) >= 5).all()
    small = [g for g, n in size.items() if n < 5]
    assert small, "the demo has interview groups smaller than five"
    assert not q["attributed_to"].isin(small).any()
    assert (q["attributed_to"] == "kind:professionals").any()


def test_quotes_withheld_when_even_the_kind_is_small(cantemir):
    s = cantemir["sessions"].copy()
    pros = s["kind"] == "interview"
    s.loc[pros, ["female", "male", "age_18_34", "age_35_59", "age_60_plus"]] = 0
    s.loc[pros & (s.index == s.index[pros][0]), ["female", "age_35_59"]] = 1
    c = cantemir.with_tables(sessions=s)
    q = quotes(c)
    assert q.attrs["withheld"] > 0
    assert not q["attributed_to"].str.contains("professionals").any()


def test_no_quote_carries_a_participant_name(cantemir, mykolaivka):
    for c in (cantemir, mykolaivka):
        names = c["attendance"]["name"].tolist()
        assert names
        for text in quotes(c)["quote"]:
            assert find_identifiers(text, names) is None


def test_a_quote_with_a_name_is_refused_with_row_and_column(cantemir):
    e = cantemir["excerpts"].copy()
    name = cantemir["attendance"]["name"].iloc[0]
    e.loc[3, "quote"] = f"{name} mi-a spus că autobuzul nu mai vine."
    with pytest.raises(DataValidationError) as err:
        check_cycle(cantemir.with_tables(excerpts=e))
    text = str(err.value)
    assert "excerpts.csv" in text and "row 5" in text and "quote" in text
    assert "not anonymised (it contains a name)" in text
    assert name not in text  # the error does not repeat the name either


def test_excerpts_without_consent_are_refused(cantemir):
    s = cantemir["sessions"].copy()
    s.loc[0, "consent_recorded"] = "no"
    with pytest.raises(DataValidationError, match="excerpts used without recorded consent"):
        check_cycle(cantemir.with_tables(sessions=s))


def test_voices_and_data(mykolaivka_strategy, cantemir_strategy):
    for s in (mykolaivka_strategy, cantemir_strategy):
        comp = s.comparison
        raised = set(s.cycle["excerpts"]["theme"])
        assert set(comp["theme"].dropna()) == raised
        assert set(comp["status"]) <= {"agree", "voices_only", "data_only"}
        agree = comp[comp["status"] == "agree"]
        assert agree["item_id"].isin(s.pack.ids).all()
    # a theme with no matching problem in the pack is "voices only"
    s = mykolaivka_strategy
    cb = s.cycle.codebook
    themes = tuple(x.model_copy(update={"evidence": ("nothing.*",)}) if x.id == "transport" else x
                   for x in cb.themes)
    from socialkit.strategy.consultation import compare_with_data

    c2 = replace(s.cycle, codebook=cb.model_copy(update={"themes": themes}))
    comp = compare_with_data(c2, s.pack)
    assert comp.loc[comp["theme"] == "transport", "status"].tolist() == ["voices_only"]
