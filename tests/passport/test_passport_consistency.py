"""Counts the passport prints in two sections with two values (hand-made data)."""

from __future__ import annotations

import pandas as pd

from socialkit.passport import build_passport, passport_table
from socialkit.passport.consistency import check_passport_counts


def test_consistent_data_lists_nothing(tiny):
    p = build_passport(tiny, "M1")  # s3 has no population: the municipality total unchecked
    assert check_passport_counts(p).empty
    assert passport_table(p, "consistency", "en").empty


def test_counts_that_differ_between_sections_are_listed(tiny):
    t = {k: v.copy() for k, v in tiny.items()}
    st = t["settlements"]
    st.loc[st["settlement_id"] == "s4", "pop_60_plus"] = 710  # ages 2,010 against 2,000
    fac = t["facilities"]
    extra = fac.iloc[[3]].assign(facility_id="F5", kind="library")  # not a passport kind
    t["facilities"] = pd.concat([fac, extra], ignore_index=True)
    p = build_passport(t, "M2")
    got = {r.rule: (r.used, r.other, r.difference) for r in check_passport_counts(p).itertuples()}
    # the municipalities table says 12,000; its one settlement 2,000 (the rates' base)
    assert got == {"population_municipality": (2000, 12000, -10000),
                   "population_age_groups": (2000, 2010, -10),
                   "facilities_kinds": (2, 1, 1)}
    # the headline uses the figure the report defends: the settlements' 2,000
    assert p.summary["residents"] == 2000
    table = passport_table(p, "consistency", "uk")
    assert list(table.columns) == ["Правило", "Використане значення", "Інше значення",
                                   "Різниця"]
    first = table.iloc[0].tolist()
    assert first[0].startswith("Населення: сума населених пунктів")
    assert [v.replace("\xa0", " ") for v in first[1:]] == ["2 000", "12 000", "-10 000"]
