"""Domestic-violence tables: small counts never published, nor recoverable by subtraction."""

from __future__ import annotations

import pandas as pd

from socialkit.protection import DV_DIMENSIONS, dv_tables, wide_records


def _records():
    return pd.DataFrame({
        "municipality_id": ["A", "B", "C"], "period": ["2026Q1"] * 3,
        "victims_total": [40, 12, 30], "victims_female": [37, 9, 20],
        "victims_male": [3, 3, 10], "victims_age_0_17": [5, 2, 6],
        "victims_age_18_29": [10, 3, 8], "victims_age_30_64": [20, 5, 12],
        "victims_age_65": [5, 2, 4], "perpetrator_partner": [20, 6, 15],
        "perpetrator_former_partner": [10, 2, 5], "perpetrator_family": [8, 3, 8],
        "perpetrator_other": [2, 1, 2], "violence_physical": [30, 3, 20],
        "urgent_measures": [10, 2, 7], "femicides": [0, 1, 0]})


def test_no_count_of_one_to_four_is_published():
    t = dv_tables(_records())
    for frame, col in ((t.victims, "victims"), (t.forms, "count"), (t.measures, "count")):
        v = frame[col].dropna().astype(int)
        assert not v.between(1, 4).any(), frame[frame[col].between(1, 4)]
    assert t.forms.set_index(["municipality_id", "field"]).loc[("A", "femicides"),
                                                                "count"] == 0  # zeros stay


def test_a_suppressed_cell_cannot_be_recovered_by_subtraction():
    v = dv_tables(_records()).victims
    for (_, dim), part in v.groupby(["period", "dimension"]):
        for key in ("municipality_id", "category"):
            other = "category" if key == "municipality_id" else "municipality_id"
            for _, line in part.groupby(other):
                hidden = line["victims"].isna().sum()
                assert hidden != 1, f"{dim}: one hidden cell in a line along {key}:\n{line}"
    sex_a = v[(v.municipality_id == "A") & (v.dimension == "sex")].set_index("category")
    assert sex_a.loc["victims_male", "suppression"] == "primary"
    assert sex_a.loc["victims_female", "suppression"] == "secondary"
    assert sex_a.loc["total", "victims"] == 40


def test_province_totals_and_labels_in_serbian():
    v = dv_tables(_records(), unit=None, lang="sr").victims
    sex = v[v.dimension == "sex"].set_index("category")
    assert sex.loc["total", "victims"] == 82 and sex.loc["victims_male", "victims"] == 16
    assert sex.loc["victims_female", "label"].startswith("Жртве")
    assert set(v["dimension"]) == set(DV_DIMENSIONS)


def test_a_count_missing_everywhere_stays_missing_not_zero():
    recs = _records().drop(columns=["violence_physical"])
    forms = dv_tables(recs).forms
    assert forms[forms.field == "violence_physical"]["count"].isna().all()


def test_wide_records_from_the_catalogs_long_values():
    long = pd.DataFrame({"record_id": [1, 1, 2], "institution_id": ["c1", "c1", "c2"],
                         "municipality_id": ["A", "A", "B"], "period": ["2026Q1"] * 3,
                         "field": ["victims_total", "victims_male", "victims_total"],
                         "value": ["12", "5", "7"]})
    wide = wide_records(long)
    assert wide["victims_total"].tolist() == [12, 7]
    assert wide["victims_male"].isna().tolist() == [False, True]
