"""Record-level exports leave only when k-anonymity holds (socialkit.protection.exports):
hand-checked cases with a class of exactly k - 1 people."""

from __future__ import annotations

import pandas as pd
import pytest

from socialkit.disclosure import KAnonymityError, k_anonymity
from socialkit.errors import FrameworkError, SocialkitError
from socialkit.frameworks.record_exports import load_record_exports
from socialkit.protection import export_records, export_spec, record_classes

QI = "municipality_id, period, victim_sex, age_group"


def _dv(female: int, male: int, ages=(5, 5, 5, 5), relation=(10, 5, 5, 0), **extra) -> dict:
    total = female + male
    assert sum(ages) == total and sum(relation) == total
    row = {"victims_total": total, "victims_female": female, "victims_male": male,
           **dict(zip(("victims_age_0_17", "victims_age_18_29", "victims_age_30_64",
                       "victims_age_65"), ages, strict=True)),
           **dict(zip(("perpetrator_partner", "perpetrator_former_partner",
                       "perpetrator_family", "perpetrator_other"), relation, strict=True))}
    for f in export_spec("domestic_violence").counts:
        row[f] = extra.get(f, 10)
    row["ipv_share"] = (relation[0] + relation[1]) / total
    return row


def _records(rows) -> pd.DataFrame:
    out = []
    for i, (mun, period, values) in enumerate(rows, start=1):
        out.append({"record_id": i, "form_id": "domestic_violence", "form_version": "2026.1",
                    "institution_id": f"csw-{mun}", "municipality_id": mun, "period": period,
                    "status": "accepted", "version": 4, **values})
    return pd.DataFrame(out)


@pytest.fixture
def safe():
    """Every count 0 or at least 5."""
    return _records([("A", "2026Q1", _dv(12, 8)), ("B", "2026Q1", _dv(15, 5))])


@pytest.fixture
def one_short():
    """A's second quarter has 4 male victims: the class (A, 2026Q2, male, *) has k - 1."""
    return _records([("A", "2026Q1", _dv(12, 8)), ("A", "2026Q2", _dv(16, 4)),
                     ("B", "2026Q1", _dv(15, 5))])


def test_k_anonymity_counts_classes_of_people():
    people = pd.DataFrame({"m": ["A"] * 5 + ["B"] * 4 + [None], "s": ["f"] * 5 + ["m"] * 5})
    check = k_anonymity(people, ["m", "s"], 5)
    # classes (A, f) 5, (B, m) 4, (missing, m) 1: a missing value is a value of its own
    assert sorted(check.classes["size"].tolist()) == [1, 4, 5]
    assert len(check.below) == 2 and not check.holds
    weighted = pd.DataFrame({"m": ["A", "A", "B"], "n": [2, 3, 0]})
    assert k_anonymity(weighted, ["m"], 5, count="n").holds   # A: 2 + 3; B has no one


def test_k_below_the_small_cell_threshold_is_refused():
    with pytest.raises(SocialkitError, match="never lowered"):
        k_anonymity(pd.DataFrame({"m": ["A"]}), ["m"], 3)
    with pytest.raises(SocialkitError, match="'n' row 1"):
        k_anonymity(pd.DataFrame({"m": ["A", "B"], "n": [5, -1]}), ["m"], count="n")


def test_the_shipped_defaults_per_form():
    spec = load_record_exports()
    assert spec.form("domestic_violence").quasi_identifiers == [
        "municipality_id", "period", "victim_sex", "age_group"]
    assert {f: e.k for f, e in spec.forms.items()} == {
        "domestic_violence": 5, "residential": 5, "providers": 5, "csw_state": 5,
        "research_template": 5}
    with pytest.raises(FrameworkError, match="no record-export entry for form 'x'"):
        spec.form("x")


def test_classes_of_aggregate_records(one_short):
    classes = record_classes(one_short, export_spec("domestic_violence"))
    # per record: 2 sex classes + 4 age classes
    assert len(classes) == 3 * 6
    row = classes[(classes.municipality_id == "A") & (classes.period == "2026Q2")
                  & (classes.victim_sex == "male")]
    assert row[["age_group", "size"]].values.tolist() == [["*", 4]]


def test_a_safe_export_leaves_unchanged(safe):
    out = export_records(safe, "domestic_violence")
    assert out.check.holds and out.blanked_cells == 0 and not out.generalised
    assert out.frame["victims_male"].tolist() == [8, 5]
    assert "status" not in out.frame and "municipality_id" in out.frame


def test_a_class_of_k_minus_1_is_refused_with_the_quasi_identifiers_and_k(one_short):
    with pytest.raises(KAnonymityError) as err:
        export_records(one_short, "domestic_violence", what="dv.csv")
    msg = str(err.value)
    assert f"quasi-identifiers {QI}" in msg and "k = 5" in msg
    # 18 classes of which one is below 5 (A, 2026Q2, male: 4 people)
    assert "1 of 18 equivalence classes have fewer than 5 people (4 people in them)" in msg
    assert msg.startswith("dv.csv: refused")
    assert len(err.value.check.below) == 1


def test_k_raised_to_6_catches_a_class_of_5(safe):
    with pytest.raises(KAnonymityError, match=r"k = 6: 9 of 12 .* \(45 people in them\)"):
        # classes of 5 people: B's male victims, and the four age groups of A and of B
        export_records(safe, "domestic_violence",
                       spec=export_spec("domestic_violence", k=6))


def test_suppress_blanks_the_class_and_its_complement(one_short):
    out = export_records(one_short, "domestic_violence", how="suppress")
    row = out.frame[(out.frame.municipality_id == "A") & (out.frame.period == "2026Q2")].iloc[0]
    # male 4 blanked (class below k); female 16 too, or 20 - 16 gives the 4 back
    assert pd.isna(row["victims_male"]) and pd.isna(row["victims_female"])
    assert row["victims_total"] == 20 and row["victims_age_0_17"] == 5
    assert out.suppressed_classes == 1 and out.blanked_cells == 2
    assert out.check.holds
    other = out.frame[out.frame.period == "2026Q1"]
    assert other["victims_male"].tolist() == [8, 5]


def test_generalise_adds_quarters_into_the_year(one_short):
    out = export_records(one_short, "domestic_violence", how="generalise")
    assert out.generalised == ("period",) and out.check.holds and out.suppressed_classes == 0
    a = out.frame[out.frame.municipality_id == "A"].iloc[0]
    assert a["period"] == "2026" and a["records"] == 2
    assert a["victims_male"] == 12 and a["victims_female"] == 28 and a["victims_total"] == 40
    assert "institution_id" not in out.frame and "ipv_share" not in out.frame


def test_generalise_up_to_the_district(one_short):
    rows = _records([("A", "2026Q1", _dv(16, 4)), ("B", "2027Q1", _dv(17, 3))])
    hierarchy = {"municipality_id": {"A": "D1", "B": "D1"}}
    with pytest.raises(KAnonymityError):
        export_records(rows, "domestic_violence")
    # the year alone does not help (different years); the district still keeps 2026 and 2027
    # apart, so what is left below k is suppressed
    out = export_records(rows, "domestic_violence", how="generalise", hierarchy=hierarchy)
    assert out.generalised == ("period", "municipality_id")
    assert out.frame["municipality_id"].tolist() == ["D1", "D1"]
    assert out.frame["victims_male"].isna().all() and out.suppressed_classes == 2


def test_other_small_counts_are_blanked_with_derived_fields(safe):
    rows = _records([("A", "2026Q1", _dv(12, 8, relation=(10, 6, 4, 0), femicides=1))])
    out = export_records(rows, "domestic_violence")
    r = out.frame.iloc[0]
    assert pd.isna(r["femicides"])                       # a count of 1 never leaves
    # relation: 4 blanked, and the smallest other non-zero member (6) with it
    assert pd.isna(r["perpetrator_family"]) and pd.isna(r["perpetrator_former_partner"])
    assert r["perpetrator_partner"] == 10 and r["perpetrator_other"] == 0
    assert pd.isna(r["ipv_share"])                       # computed from a blanked count
    assert out.blanked_cells == 4


def test_respondent_records_drop_rows_and_identifiers():
    rows = pd.DataFrame({
        "record_id": range(1, 8), "institution_id": "csw-a", "period": [f"r{i}" for i in range(7)],
        "municipality_id": ["A"] * 5 + ["B"] * 2, "respondent_role": "user",
        "household_size": 3, "phone": "0601234567", "comments": "x", "needs": "care"})
    with pytest.raises(KAnonymityError, match="1 of 2 equivalence classes"):
        export_records(rows, "research_template")
    out = export_records(rows, "research_template", how="suppress")
    assert out.dropped_rows == 2 and len(out.frame) == 5
    assert not {"phone", "comments", "period"} & set(out.frame.columns)
    gen = export_records(rows, "research_template", how="generalise",
                         hierarchy={"municipality_id": {"A": "D", "B": "D"}})
    assert gen.generalised == ("household_size", "municipality_id") and len(gen.frame) == 7
    assert set(gen.frame["municipality_id"]) == {"D"} and set(gen.frame["household_size"]) == {"*"}


def test_a_quasi_identifier_that_is_no_column_is_named():
    rows = _records([("A", "2026Q1", _dv(12, 8))]).drop(columns="municipality_id")
    with pytest.raises(SocialkitError, match="municipality_id"):
        export_records(rows, "domestic_violence")


def test_a_bad_record_exports_file_is_refused_naming_the_key(tmp_path):
    bad = tmp_path / "exports.yaml"
    bad.write_text("forms:\n  dv:\n    unit: counts\n    k: 3\n", encoding="utf-8")
    with pytest.raises(FrameworkError, match=r"key 'forms.dv.k'.*greater than or equal to 5"):
        load_record_exports(bad)
    bad.write_text("forms:\n  dv:\n    unit: counts\n    quasi_identifiers: [m]\n"
                   "    generalise: [period]\n", encoding="utf-8")
    with pytest.raises(FrameworkError, match="'period' is not one of the quasi_identifiers"):
        load_record_exports(bad)
