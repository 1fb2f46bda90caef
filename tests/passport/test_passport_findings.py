"""Passport findings on a constructed passport (numbers checked by hand), and the
settlement table that shows suppressed cells."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from socialkit.disclosure import suppression_note
from socialkit.passport.findings import passport_findings


def _passport(previous_year=2020):
    profile = pd.DataFrame({
        "indicator_id": ["idp", "disability", "elderly_alone", "low_income"],
        "rate": pd.array([300.0, 120.0, None, 50.0], dtype="Float64"),
        "rate_prev": pd.array([200.0, 110.0, None, 60.0], dtype="Float64"),
        "rate_change": pd.array([100.0, 10.0, None, -10.0], dtype="Float64"),
        "region_rate": pd.array([250.0, 60.0, 100.0, 40.0], dtype="Float64"),
        "count_suppressed": [False, False, True, False],
        "count_prev_suppressed": [False, False, False, False],
    })
    return SimpleNamespace(
        profile=profile, previous_year=previous_year, year=2021,
        municipality={"municipality_id": "M1"},
        summary={"settlements_beyond_reach": 3, "reach_kind": "social_service_centre",
                 "reach_km": 10.0})


def test_groups_furthest_above_the_oblast_then_the_fastest_rise():
    f = passport_findings(_passport())
    ids = [x.id for x in f.findings]
    # rate / oblast: disability 2.0, idp 1.2, low_income 1.25; elderly_alone is suppressed
    assert ids == ["above.disability", "above.low_income", "rising.idp", "reach"]
    d = f.findings[0]
    assert (d.value, d.change, d.since, d.peer_value, d.peer_group) == (
        120.0, 10.0, "2020", 60.0, "region")
    # idp rose most relative to its rate (100 / 200 = +50 %), and is not listed yet
    assert f.findings[2].change == 100.0
    assert f.findings[3].value == 3 and f.findings[3].extra == {"n": 3, "km": 10.0}
    assert [r.evidence for r in f.recommendations] == [
        ("above.disability",), ("above.low_income",), ("rising.idp",), ("reach",)]


def test_no_previous_year_means_no_rise_and_no_change():
    f = passport_findings(_passport(previous_year=None))
    assert "rising.idp" not in [x.id for x in f.findings]
    assert f.findings[0].since is None


def test_suppression_note_reads_the_threshold():
    assert "1 to 4" in suppression_note("en", 5) and "від 1 до 4" in suppression_note("uk", 5)
    assert "1 to 9" in suppression_note("en", 10)


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_settlement_table_marks_suppressed_cells(demo_catalog, lang):
    from socialkit.i18n import t
    from socialkit.passport import build_passport, passport_table

    p = build_passport(demo_catalog)
    table = passport_table(p, "by_settlement", lang)
    mark = t("passport.suppressed", lang)
    shown = int((table == mark).to_numpy().sum())
    assert shown == int(p.by_settlement["suppressed"].sum()) > 0
    assert (p.by_settlement["suppression"] == "secondary").any()  # the demo has both kinds
    assert len(table) == p.summary["settlements"]


def test_local_region_names_come_from_the_data(demo_tables):
    from socialkit.passport import region_label
    from socialkit.reporting.runner import region_name

    row = demo_tables["municipalities"].iloc[0]
    assert row["region_local"] == "Донецька" and row["district_local"] == "Краматорський"
    assert region_label("Donetsk", "uk", "Донецька-з-даних") == "Донецька-з-даних"
    assert region_label("Donetsk", "en", "Донецька") == "Donetsk"
    assert region_name({"region": "Nowhere", "region_local": "Нікуди"}, "uk") == "Нікуди область"
    assert region_name({"region": "Donetsk"}, "uk") == "Донецька область"  # catalog fallback
    assert region_name({"region": "Donetsk", "region_local": "Донецька"}, "en") == "Donetsk"
