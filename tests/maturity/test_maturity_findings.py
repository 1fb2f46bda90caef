"""Maturity findings on the tiny framework: numbers checked by hand (see conftest)."""

from __future__ import annotations

import pytest
from maturity_cases import answers

from socialkit.maturity import assess
from socialkit.maturity import report as mreport
from socialkit.maturity.findings import maturity_findings


def test_findings_of_m1(tiny, tiny_answers, tiny_municipalities):
    res = assess(tiny_answers, framework=tiny, municipalities=tiny_municipalities)
    f = maturity_findings(res, "m1")
    assert f.period == "2021-04"
    by = {x.id: x for x in f.findings}
    assert [x.id for x in f.findings] == ["overall", "weakest", "strongest"]
    # round 2: A = 100; B = (75 + 50 + 50) / 3 = 58.333; overall = 79.167
    # round 1: A = 87.5; B = 41.667; overall = 64.583
    assert by["overall"].value == pytest.approx(79.1667, abs=1e-3)
    assert by["overall"].change == pytest.approx(14.5833, abs=1e-3)
    assert by["overall"].since == "2020-12"
    assert by["overall"].extra["level"] == "high"
    # North holds m1 and m2; m2's overall is not scored in 2021-04, so 1 of 1
    assert (by["overall"].peer_rank, by["overall"].peer_n, by["overall"].peer_group) == (
        1, 1, "region")
    assert (by["weakest"].subject, by["weakest"].value) == ("B", pytest.approx(58.3333, 1e-4))
    assert by["weakest"].change == pytest.approx(16.6667, abs=1e-3)
    assert (by["weakest"].peer_rank, by["weakest"].peer_n) == (1, 2)  # tie with m2 (58.33)
    assert (by["strongest"].subject, by["strongest"].change) == ("A", pytest.approx(12.5))
    # the first actions of the plan, each citing the finding about its dimension
    assert [r.id for r in f.recommendations] == ["action.B-3b", "action.B-3a"]
    assert all(r.evidence == ("weakest",) for r in f.recommendations)


def test_a_fall_in_the_weakest_area_is_not_listed_twice(tiny, tiny_municipalities):
    a = answers([
        ("m1", "2020-12", {"A.1": 2, "A.2": 4, "B.1": 3, "B.2": 1, "B.3": 1}),
        ("m1", "2021-04", {"A.1": 2, "A.2": 2, "B.1": 5, "B.2": 2, "B.3": 4}),
    ])
    f = maturity_findings(assess(a, framework=tiny, municipalities=tiny_municipalities), "m1")
    weakest = f.findings[1]
    assert (weakest.id, weakest.subject) == ("weakest", "A")
    assert weakest.value == pytest.approx(50.0) and weakest.change == pytest.approx(-37.5)
    assert "fell" not in [x.id for x in f.findings]


def test_unscored_round_has_no_findings(tiny, tiny_answers, tiny_municipalities):
    res = assess(tiny_answers, framework=tiny, municipalities=tiny_municipalities)
    f = maturity_findings(res, "m2")  # overall insufficient in 2021-04
    assert f.findings == () and f.recommendations == ()


def test_first_page_in_both_languages(tiny, tiny_answers, tiny_municipalities):
    res = assess(tiny_answers, framework=tiny, municipalities=tiny_municipalities)
    en = mreport.first_page(res, "m1", "en")
    assert "What matters and what to do" in en and "Weakest area: Beta" in en
    assert "+16.7 points since 2020-12" in en and "1 of 2 in the oblast" in en
    assert "B to high (small)" in en and "finding 2" in en
    uk = mreport.first_page(res, "m1", "uk")
    assert "Що важливо і що робити" in uk and "Найслабша сфера: Бета" in uk
    # a fraction takes CLDR's fourth Ukrainian form, "other" (genitive singular), not "балів"
    assert "+16,7 бала від 2020-12" in uk and "висновок 2" in uk
