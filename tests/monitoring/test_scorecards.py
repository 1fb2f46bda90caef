"""Service scorecards: hand-checked scores, ranks, intervals, highlights."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from socialkit.frameworks.rubric import load_rubric
from socialkit.monitoring.scorecards import compute_scorecards, evaluator_scores

REQUIRED = {"accessibility", "participation", "non_discrimination", "transparency",
            "confidentiality", "staff_competence", "satisfaction"}


def test_rubric_covers_minimum_standards():
    rubric = load_rubric()
    assert REQUIRED <= {s.id for s in rubric.standards}
    for s in rubric.standards:
        assert s.results and all(r.indicators for r in s.results)
        assert s.name.uk and s.name.en


def _scores(table: dict[str, dict[str, float]], rubric) -> pd.DataFrame:
    """table[service][evaluator] = score given on every criterion."""
    rows = []
    for sid, evals in table.items():
        for ev, score in evals.items():
            for c in rubric.criterion_ids():
                rows.append((sid, c, ev, float(score)))
    return pd.DataFrame(rows, columns=["service_id", "criterion_id", "evaluator", "score"])


def test_scores_ranks_and_intervals():
    rubric = load_rubric()
    s = _scores({"S1": {"E1": 4, "E2": 2}, "S2": {"E1": 3, "E2": 3}, "S3": {"E1": 1}}, rubric)
    card = compute_scorecards(s, rubric, n_boot=500, seed=1)
    t = card.totals.set_index("service_id")
    assert t.loc["S1", "score"] == pytest.approx(3.0)
    assert t.loc["S1", "score_pct"] == pytest.approx(75.0)  # (3 - 0) / (4 - 0)
    assert t.loc["S3", "score_pct"] == pytest.approx(25.0)
    assert t.loc["S1", "rank"] == 1 and t.loc["S2", "rank"] == 1 and t.loc["S3", "rank"] == 3
    # S1's evaluators disagree: resampling gives 50..100 %; S2's agree: a point interval
    assert (t.loc["S1", "ci_low"], t.loc["S1", "ci_high"]) == (50.0, 100.0)
    assert t.loc["S2", "ci_low"] == t.loc["S2", "ci_high"] == 75.0
    assert t.loc["S1", "rank_low"] == 1 and t.loc["S1", "rank_high"] == 2
    assert t.loc["S3", "p_top3"] == 1.0
    assert list(card.totals["service_id"])[-1] == "S3"


def test_weighted_standards_and_skipped_items():
    rubric = load_rubric()
    crit = rubric.criterion_standard()
    rows = []
    for c, std in crit.items():
        score = 4.0 if std == "accessibility" else 0.0
        rows.append(("S1", c, "E1", score))
    rows.append(("S1", "accessibility.hours", "E2", np.nan))  # skipped item is ignored
    rows += [("S1", c, "E2", 2.0) for c in crit if c != "accessibility.hours"]
    s = pd.DataFrame(rows, columns=["service_id", "criterion_id", "evaluator", "score"])
    per = evaluator_scores(s, rubric)
    assert per.query("evaluator == 'E1' and standard_id == 'accessibility'")["score"].item() == 4
    card = compute_scorecards(s, rubric, n_boot=50)
    n_std = len(rubric.standards)
    e1 = 4.0 / n_std  # equal weights
    assert card.totals["score"].item() == pytest.approx((e1 + 2.0) / 2)
    h = card.highlights
    assert h.query("kind == 'strength'")["standard_id"].iloc[0] == "accessibility"


def test_agreement_per_service_and_overall(demo_tables):
    card = compute_scorecards(demo_tables["service_scores"], n_boot=200)
    assert len(card.totals) == 10
    assert card.agreement["n_evaluators"].between(3, 5).all()
    assert 0 < card.alpha < 1  # evaluators agree, imperfectly
    assert card.agreement["alpha"].notna().all() and card.agreement["icc"].notna().all()
    assert set(card.highlights["kind"]) == {"strength", "weakness"}
    # intervals contain the point score; ranks are a permutation-with-ties of 1..10
    t = card.totals
    assert ((t["ci_low"] <= t["score_pct"]) & (t["score_pct"] <= t["ci_high"])).all()
    assert ((t["rank_low"] <= t["rank"]) & (t["rank"] <= t["rank_high"])).all()


def test_reproducible_with_seed(demo_tables):
    a = compute_scorecards(demo_tables["service_scores"], n_boot=100, seed=3).totals
    b = compute_scorecards(demo_tables["service_scores"], n_boot=100, seed=3).totals
    pd.testing.assert_frame_equal(a, b)


def test_no_strength_below_and_no_weakness_above_the_other_services(demo_tables):
    card = compute_scorecards(demo_tables["service_scores"], n_boot=20)
    h = card.highlights
    assert len(h)
    assert (h.loc[h["kind"] == "strength", "gap"] >= 0).all()
    assert (h.loc[h["kind"] == "weakness", "gap"] <= 0).all()


def test_provider_names_in_the_readers_language(demo_tables):
    from socialkit.monitoring import report as mr

    services = demo_tables["services"]
    card = compute_scorecards(demo_tables["service_scores"], load_rubric())
    shown = {lang: mr.localise_scorecard(card.totals, card.agreement, services, lang)
             for lang in ("en", "uk", "ro")}
    uk = shown["uk"]["Надавач"].tolist()
    assert all(p and not any("a" <= ch.lower() <= "z" for ch in p) for p in uk), uk
    assert any(p.startswith("Територіальний центр соціального обслуговування, ") for p in uk)
    assert shown["en"]["Provider"].tolist() == card.totals["service_id"].map(
        services.set_index("service_id")["provider"]).tolist()
    # a Ukrainian provider's local name is not shown to a Romanian reader
    assert shown["ro"]["Prestatorul"].tolist() == shown["en"]["Provider"].tolist()
