"""Peer-group benchmarks and progress between rounds, hand-checked on the tiny framework."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from socialkit.maturity import OVERALL, assess, report
from socialkit.maturity.benchmarks import size_class
from socialkit.maturity.progress import progress_statement


@pytest.fixture
def res(tiny, tiny_answers, tiny_municipalities):
    return assess(tiny_answers, tiny, municipalities=tiny_municipalities)


def _bench(res, m, group, code=OVERALL, rnd="2020-12"):
    b = res.benchmarks
    row = b[(b["municipality_id"] == m) & (b["round"] == rnd) & (b["code"] == code)
            & (b["peer_group"] == group)]
    assert len(row) == 1
    return row.iloc[0]


def test_size_classes(tiny):
    pop = pd.Series(pd.array([0, 9999, 10000, None], dtype="Int64"))
    assert size_class(pop, tiny).tolist()[:3] == ["small", "small", "big"]
    assert pd.isna(size_class(pop, tiny).iloc[3])


def test_benchmarks_hand_checked(res):
    # overall 2020-12: m1 64.583, m3 62.5, m2 9.375
    best = (87.5 + 125 / 3) / 2
    m3 = _bench(res, "m3", "all")
    assert (m3["n_peers"], m3["rank"]) == (3, 2)
    assert m3["percentile"] == pytest.approx(50.0)          # 1 of the 2 others is lower
    assert m3["peer_best"] == pytest.approx(best)
    assert m3["distance_to_best"] == pytest.approx(best - 62.5)
    assert m3["peer_mean"] == pytest.approx((best + 62.5 + 9.375) / 3)
    assert _bench(res, "m1", "all")["percentile"] == 100.0
    assert _bench(res, "m1", "all")["distance_to_best"] == 0.0
    assert _bench(res, "m2", "all")["percentile"] == 0.0
    # same oblast: m1 and m2 are North, m3 alone in South (no percentile from one peer)
    north = _bench(res, "m2", "region")
    assert (north["peer_value"], north["n_peers"], north["rank"]) == ("North", 2, 2)
    south = _bench(res, "m3", "region")
    assert (south["n_peers"], south["rank"], south["distance_to_best"]) == (1, 1, 0.0)
    assert np.isnan(south["percentile"])
    # same size class: m1 (5,000) and m3 (8,000) are small
    small = _bench(res, "m3", "size")
    assert (small["peer_value"], small["n_peers"], small["rank"]) == ("small", 2, 2)


def test_benchmark_ties_and_missing(res):
    # 2021-04: m2's overall is insufficient -> no rank, but the row is there
    m2 = _bench(res, "m2", "all", rnd="2021-04")
    assert pd.isna(m2["rank"]) and np.isnan(m2["distance_to_best"])
    assert m2["n_peers"] == 1                                   # only m1 scored
    # B 2021-04: m1 and m2 both 58.333 -> tie shares rank 1
    b1 = _bench(res, "m1", "all", code="B", rnd="2021-04")
    b2 = _bench(res, "m2", "all", code="B", rnd="2021-04")
    assert b1["rank"] == b2["rank"] == 1
    assert b1["percentile"] == b2["percentile"] == 0.0


def test_benchmarks_without_municipalities(tiny, tiny_answers):
    res = assess(tiny_answers, tiny)
    assert set(res.benchmarks["peer_group"]) == {"all"}


def _prog(res, m, code):
    p = res.progress
    row = p[(p["municipality_id"] == m) & (p["code"] == code)]
    assert len(row) == 1
    return row.iloc[0]


def test_progress_between_rounds(res):
    a = _prog(res, "m1", "A")
    assert (a["round_from"], a["round_to"]) == ("2020-12", "2021-04")
    assert a["change"] == pytest.approx(12.5) and a["direction"] == "improved"
    o = _prog(res, "m1", OVERALL)
    assert o["change"] == pytest.approx((100 + 175 / 3) / 2 - (87.5 + 125 / 3) / 2)
    assert (o["level_from"], o["level_to"], o["level_change"]) == (2, 3, 1)
    assert progress_statement(o, res.framework, "en") == (
        "Overall: up 14.6 points, from 64.6 (Mid) in 2020-12 to 79.2 (High) in 2021-04. "
        "It moved up to the level High.")
    # insufficient data and a skipped round are said plainly, never a change of 0
    m2a = _prog(res, "m2", "A")
    assert m2a["direction"] == "no_data" and np.isnan(m2a["change"])
    assert "no score for 2021-04" in progress_statement(m2a, res.framework, "en")
    m3 = _prog(res, "m3", OVERALL)
    assert m3["direction"] == "no_data"


def test_progress_statement_in_ukrainian(res):
    statements = report.with_text("progress", res.progress, res.framework, "uk")
    o = _prog(type("R", (), {"progress": statements}), "m1", OVERALL)
    assert o["statement"].startswith("Загалом: зростання на 14,6 бала, з 64,6 (Середній)")


def test_progress_tolerance_and_single_round(tiny, tiny_answers):
    from socialkit.maturity.progress import compare_rounds
    from socialkit.maturity.scoring import check_responses, score, score_levels

    scores, _ = score(check_responses(tiny_answers, tiny), tiny)
    levels = score_levels(scores, tiny)
    wide = compare_rounds(levels, tiny, tolerance=20)
    assert _prog(type("R", (), {"progress": wide}), "m1", "A")["direction"] == "unchanged"
    one = compare_rounds(levels[levels["round"] == "2020-12"], tiny)
    assert one.empty and "direction" in one.columns
    assert "statement" in report.with_text("progress", one, tiny, "en").columns
