"""Small-cell suppression: primary, secondary (incl. totals), rates, thresholds."""

from __future__ import annotations

import pandas as pd
import pytest

from socialkit.disclosure import suppress_counts, suppress_rates

TOTALS = {"sex": "total", "age_group": "total"}


def _table(cells: dict[tuple[str, str], int]) -> pd.DataFrame:
    rows = [(s, a, v) for (s, a), v in cells.items()]
    sexes = sorted({s for s, _ in cells})
    ages = sorted({a for _, a in cells})
    rows += [(s, "total", sum(v for (ss, _), v in cells.items() if ss == s)) for s in sexes]
    rows += [("total", a, sum(v for (_, aa), v in cells.items() if aa == a)) for a in ages]
    rows += [("total", "total", sum(cells.values()))]
    return pd.DataFrame(rows, columns=["sex", "age_group", "n"])


def _hidden(out: pd.DataFrame) -> set[tuple[str, str]]:
    return set(map(tuple, out.loc[out.suppressed, ["sex", "age_group"]].to_numpy()))


def test_one_dimension_with_total_needs_a_second_cell():
    t = pd.DataFrame({"sex": ["female", "male", "total"], "n": [3, 40, 43]})
    out = suppress_counts(t, "n", by=["sex"], total_rows={"sex": "total"})
    assert out["suppression"].tolist() == ["primary", "secondary", None]
    assert out["n"].isna().tolist() == [True, True, False]


def test_two_by_two_with_margins_hides_the_rectangle():
    t = _table({("female", "0-17"): 3, ("female", "18-59"): 20, ("male", "0-17"): 12,
                ("male", "18-59"): 30})
    out = suppress_counts(t, "n", by=["sex", "age_group"], total_rows=TOTALS)
    assert _hidden(out) == {("female", "0-17"), ("female", "18-59"), ("male", "0-17"),
                            ("male", "18-59")}
    assert out.loc[out.sex == "female"].query("age_group == '0-17'")["suppression"].item() == \
        "primary"
    # every margin stays published
    assert out.loc[(out.sex == "total") | (out.age_group == "total"), "n"].notna().all()
    # no line along either dimension is left with exactly one hidden cell
    for dim, other in (("sex", "age_group"), ("age_group", "sex")):
        inner = out[out[dim] != "total"]
        assert (inner.groupby(other)["suppressed"].sum() != 1).all()


def test_secondary_picks_the_smallest_non_zero_cell():
    t = _table({("female", "0-17"): 2, ("female", "18-59"): 50, ("female", "60+"): 9,
                ("male", "0-17"): 7, ("male", "18-59"): 60, ("male", "60+"): 11})
    out = suppress_counts(t, "n", by=["sex", "age_group"], total_rows=TOTALS)
    assert _hidden(out) == {("female", "0-17"), ("female", "60+"), ("male", "0-17"),
                            ("male", "60+")}


def test_a_line_with_a_single_cell_hides_its_total():
    t = pd.DataFrame({"sex": ["female", "total"], "n": [2, 2]})
    out = suppress_counts(t, "n", by=["sex"], total_rows={"sex": "total"})
    assert out["suppressed"].tolist() == [True, True]


def test_zeros_and_large_counts_are_published():
    t = pd.DataFrame({"sex": ["female", "male", "total"], "n": [0, 40, 40]})
    out = suppress_counts(t, "n", by=["sex"], total_rows={"sex": "total"})
    assert not out["suppressed"].any()


def test_independent_subtables_and_input_untouched():
    t = pd.concat([
        pd.DataFrame({"indicator_id": "a", "sex": ["female", "male"], "n": [3, 40]}),
        pd.DataFrame({"indicator_id": "b", "sex": ["female", "male"], "n": [30, 40]}),
    ], ignore_index=True)
    before = t.copy()
    out = suppress_counts(t, "n", by=["sex"])  # totals not in the frame, assumed published
    assert out["suppressed"].tolist() == [True, True, False, False]
    pd.testing.assert_frame_equal(t, before)


def test_threshold_argument_and_environment(monkeypatch):
    t = pd.DataFrame({"sex": ["female", "male"], "n": [6, 40]})
    assert not suppress_counts(t, "n", by=["sex"])["suppressed"].any()  # default 5
    assert suppress_counts(t, "n", by=["sex"], threshold=10)["suppressed"].all()
    monkeypatch.setenv("SOCIALKIT_SUPPRESS_BELOW", "11")
    assert suppress_counts(t, "n", by=["sex"])["suppressed"].all()


def test_rates_with_suppressed_numerator_are_withheld():
    t = pd.DataFrame({"sex": ["female", "male", "total"], "n": [3, 40, 43],
                      "rate": [10.0, 20.0, 19.0]})
    out = suppress_rates(suppress_counts(t, "n", by=["sex"], total_rows={"sex": "total"}),
                         ["rate"])
    assert out["rate"].isna().tolist() == [True, True, False]


def test_unknown_column_is_an_error():
    with pytest.raises(KeyError, match="age_group"):
        suppress_counts(pd.DataFrame({"n": [1]}), "n", by=["age_group"])


def test_report_withholds_numbers_resting_on_small_counts(tiny_values, tiny_targets, tiny_fw):
    from socialkit.monitoring.progress import compute_progress
    from socialkit.monitoring.report import disaggregation_table, protect_progress

    p = compute_progress(tiny_values, tiny_targets, tiny_fw)
    out = protect_progress(p)
    hidden = out[out["suppressed"]]
    # no numerator of the tiny progress table is 1-4 (smallest: trained 5, queue of B 7)
    assert hidden.empty
    small = protect_progress(p, threshold=10)
    row = small[(small.indicator_id == "queue") & (small.unit_id == "B")].iloc[0]
    assert row["suppressed"] and pd.isna(row["actual"]) and pd.isna(row["progress"])
    assert row["status"] == "at_risk"  # the coarse status stays

    table = disaggregation_table(tiny_values[tiny_values.municipality_id == "B"],
                                 "served_share", "2020Q1", tiny_fw)
    t = table.set_index("sex")
    # B 2020Q1: served 1 + 1 of 1 + 9 -> every sex cell is small, the total (2) too
    assert t["suppressed"].all()
    assert t["value"].isna().all()


def test_empty_frame():
    t = pd.DataFrame({"sex": pd.Series([], dtype=str), "n": pd.Series([], dtype=float)})
    out = suppress_counts(t, "n", by=["sex"], total_rows={"sex": "total"})
    assert out.empty and "suppressed" in out
