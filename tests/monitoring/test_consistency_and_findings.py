"""Data that disagrees with itself (disaggregations, trend words) and the M&E findings, on
constructed data with hand-checked numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from socialkit.findings import first_page_html
from socialkit.monitoring import compute_trends
from socialkit.monitoring.consistency import (
    check_disaggregation_totals,
    check_report_consistency,
    check_section_totals,
)
from socialkit.monitoring.findings import monitoring_findings
from socialkit.monitoring.progress import _trend
from socialkit.monitoring.report import MunicipalityReport, localise_section_totals


def _table(cells):
    sexes = ["female", "female", "female", "female", "male", "male", "male", "male",
             "total", "total", "total", "total"]
    ages = ["0-17", "18-59", "60+", "total"] * 3
    num, den = zip(*cells, strict=True)
    return pd.DataFrame({"unit_id": "A", "sex": sexes, "age_group": ages,
                         "numerator": num, "denominator": den, "value": np.nan,
                         "suppressed": False})


def test_parts_that_do_not_add_up_are_listed():
    # the demo's case: men by age 43 + 102 + 124 = 269 but "men, all ages" 192;
    # women + men = 386 + 192 = 578 but the total 460
    t = _table([(102, 115), (138, 166), (146, 188), (386, 469),
                (43, 57), (102, 136), (124, 158), (192, 248),
                (112, 131), (240, 302), (270, 346), (460, 563)])
    out = check_disaggregation_totals({"served": t}, columns=("numerator",))
    got = {(r.rule, r.sex, r.age_group): (r.parts, r.total, r.difference)
           for r in out.itertuples()}
    assert got[("age_groups_sum", "male", "total")] == (269.0, 192.0, 77.0)
    assert got[("sexes_sum", "total", "total")] == (578.0, 460.0, 118.0)
    assert got[("age_groups_sum", "total", "total")] == (622.0, 460.0, 162.0)
    assert got[("sexes_sum", "total", "0-17")] == (145.0, 112.0, 33.0)
    assert ("age_groups_sum", "female", "total") not in got  # 102 + 138 + 146 = 386
    assert set(out["indicator_id"]) == {"served"}


def test_consistent_and_suppressed_lines_are_not_flagged():
    t = _table([(1, 2), (2, 2), (3, 2), (6, 6), (1, 1), (1, 1), (1, 1), (3, 3),
                (2, 3), (3, 3), (4, 3), (9, 9)])
    assert check_disaggregation_totals({"x": t}).empty
    hidden = t.copy()
    hidden.loc[0, "numerator"] = np.nan  # suppressed: its lines are not published sums
    hidden.loc[3, "numerator"] = 99.0
    out = check_disaggregation_totals({"x": hidden}, columns=("numerator",))
    assert not ((out["sex"] == "female") & (out["age_group"] == "total")
                & (out["rule"] == "age_groups_sum")).any()
    assert ((out["rule"] == "sexes_sum") & (out["age_group"] == "total")).any()  # 99+3 != 9


def test_trend_word_agrees_with_the_printed_first_and_latest_values():
    # 5.95 -> 6.53 over 7 quarters: the fitted slope is flat (noise) but the printed change is
    # +1.5 % of the level a quarter; for a lower-is-better rate that is worsening, not stable
    assert _trend(0.005, (6.53 - 5.95) / 6 / 6.3, -1.0, 0.01) == "worsening"
    assert _trend(0.005, 0.002, 1.0, 0.01) == "stable"
    assert _trend(0.03, -0.02, 1.0, 0.01) == "uneven"
    assert _trend(-0.03, 0.0, 1.0, 0.01) == "worsening"


def test_compute_trends_never_calls_a_rise_stable(tiny_fw):
    # a lower-is-better waiting list: noisy middle, but 20 -> 26 from first to latest quarter
    values = [20.0, 28.0, 19.0, 27.0, 18.0, 26.0]
    rows = [{"indicator_id": "queue", "municipality_id": "A", "period": f"{2020 + q // 4}Q{q % 4 + 1}",
             "sex": "total", "age_group": "total", "value": v} for q, v in enumerate(values)]
    tr = compute_trends(pd.DataFrame(rows), tiny_fw).set_index("indicator_id").loc["queue"]
    assert abs(tr["relative_slope"]) <= 0.01  # the old rule called this "stable"
    assert tr["trend"] == "worsening"


def _report(tiny_fw) -> MunicipalityReport:
    def prog(period, ind, actual, target, progress, status):
        return {"indicator_id": ind, "level": "municipality", "unit_id": "A", "period": period,
                "sex": "total", "age_group": "total", "baseline": 0.0, "target": target,
                "actual": actual, "numerator": actual, "denominator": np.nan,
                "progress": progress, "status": status, "n_municipalities": 1}

    progress = pd.DataFrame([
        prog("2020", "served_share", 40.0, 70.0, 0.5, "off_track"),
        prog("2020", "queue", 25.0, 20.0, 0.9, "on_track"),
        prog("2021", "served_share", 45.0, 70.0, 0.3, "off_track"),
        prog("2021", "queue", 30.0, 20.0, -0.2, "off_track"),
        prog("2021", "trained", 10.0, 10.0, 1.0, "on_track"),
    ])
    latest = progress[progress["period"] == "2021"].reset_index(drop=True)
    share = pd.Series({"on_track": 1, "at_risk": 0, "off_track": 2, "no_data": 0,
                       "n_assessed": 3, "share_on_track": 1 / 3})
    bad = _table([(102, 115), (138, 166), (146, 188), (386, 469),
                  (43, 57), (102, 136), (124, 158), (192, 248),
                  (112, 131), (240, 302), (270, 346), (460, 563)])
    empty = pd.DataFrame()
    return MunicipalityReport(
        municipality_id="A", name="A", period="2021", progress=progress, latest=latest,
        share=share, series=empty, targets=empty, trends=empty,
        disaggregations={"served_share": bad}, completeness=empty,
        outliers=pd.DataFrame({"x": [1, 2]}), breaches=pd.DataFrame({"x": [1]}))


def test_monitoring_findings(tiny_fw):
    peers = pd.DataFrame({"unit_id": ["A", "B", "C"], "period": "2021",
                          "share_on_track": [1 / 3, 0.5, 0.0]})
    f = monitoring_findings(_report(tiny_fw), tiny_fw, peer_share=peers)
    ids = [x.id for x in f.findings]
    assert ids == ["on_track", "off_track.queue", "off_track.served_share", "inconsistent"]
    on = f.findings[0]
    # 2020: 1 of 2 on track (50 %); 2021: 1 of 3 -> change -1/6
    assert on.value == pytest.approx(1 / 3) and on.change == pytest.approx(1 / 3 - 0.5)
    assert (on.peer_rank, on.peer_n, on.since) == (2, 3, "2020")
    queue = f.findings[1]  # lowest progress first
    assert (queue.value, queue.change, queue.unit) == (30.0, 5.0, "count")
    assert f.findings[3].value == 8  # 8 lines of the table do not add up (4 per rule)
    recs = {r.id: r for r in f.recommendations}
    assert recs["recover.queue"].evidence == ("off_track.queue",)
    assert recs["fix_data"].evidence == ("inconsistent",)
    assert recs["verify"].extra["n"] == 3  # 2 outliers + 1 rule breach
    html = first_page_html(f, "uk", {"queue": "Черга"})
    assert "За планом у 2021 році: 1 з 3 показників" in html
    assert "−17 відсоткових пунктів від 2020" in html
    assert "2 з 3 серед усіх громад" in html
    assert "8 чисел у розподілі" in html and "Перевірити 3 подані значення" in html


def _quarters(ind, values):
    return [{"indicator_id": ind, "unit_id": "A", "period": f"2021Q{q}", "sex": "total",
             "age_group": "total", "numerator": v, "denominator": np.nan, "value": v}
            for q, v in enumerate(values, start=1)]


def _year_report(tiny_fw, series, actuals) -> MunicipalityReport:
    base = _report(tiny_fw)
    latest = pd.DataFrame([{"indicator_id": i, "unit_id": "A", "period": "2021", "sex": "total",
                            "age_group": "total", "actual": a, "progress": np.nan,
                            "status": "no_data"} for i, a in actuals.items()])
    return MunicipalityReport(**{**base.__dict__, "series": pd.DataFrame(series),
                                 "latest": latest})


def test_quarters_that_do_not_make_up_the_year_are_listed(tiny_fw):
    # queue (time: last): latest quarter 7, year 9 -> listed; trained (cumulative running
    # totals 3, 8, 12): year 12 -> agrees; workers (time: average): (4 + 6) / 2 = 5, year 6
    series = (_quarters("queue", [5.0, 7.0]) + _quarters("trained", [3.0, 8.0, 12.0])
              + _quarters("workers", [4.0, 6.0]) + _quarters("served_share", [50.0, 90.0]))
    rep = _year_report(tiny_fw, series, {"queue": 9.0, "trained": 12.0, "workers": 6.0,
                                         "served_share": 1.0})
    out = check_section_totals(rep, tiny_fw)
    got = {r.indicator_id: (r.rule, r.parts, r.total, r.difference) for r in out.itertuples()}
    assert got == {"queue": ("quarters_last_year", 7.0, 9.0, -2.0),
                   "workers": ("quarters_average_year", 5.0, 6.0, -1.0)}  # rates not checked
    # trained's quarterly values are running totals: their sum (23) is not the year
    both = check_report_consistency(rep, tiny_fw)
    assert len(both) == 8 + 2 and list(both["rule"][-2:]) == ["quarters_last_year",
                                                             "quarters_average_year"]
    table = localise_section_totals(out, "uk", tiny_fw)
    assert list(table.columns) == ["Показник", "Правило", "Рік за кварталами",
                                   "Рік у таблиці прогресу (використано)", "Різниця"]
    assert table.iloc[0, 1].startswith("Останній квартал («Тенденції»)")


def test_a_withheld_quarter_leaves_its_year_unchecked(tiny_fw):
    series = _quarters("queue", [5.0, np.nan])  # the latest quarter suppressed (1-4)
    rep = _year_report(tiny_fw, series, {"queue": 9.0})
    assert check_section_totals(rep, tiny_fw).empty


def test_quarters_against_the_year_count_in_the_findings(tiny_fw):
    rep = _year_report(tiny_fw, _quarters("queue", [5.0, 7.0]), {"queue": 9.0})
    f = monitoring_findings(rep, tiny_fw)
    by_id = {x.id: x for x in f.findings}
    assert by_id["inconsistent"].value == 8  # the disaggregation's lines, as before
    assert by_id["quarters"].value == 1 and by_id["quarters"].extra == {"n": 1}
    recs = {r.id: r for r in f.recommendations}
    assert recs["fix_quarters"].evidence == ("quarters",)
    html = first_page_html(f, "uk", {})
    assert "1 показника квартальні значення не дають річного" in html
    assert "Попросити надавачів послуг перевірити квартальні дані 1 показника" in html
    assert "quarters" not in {x.id for x in monitoring_findings(_report(tiny_fw), tiny_fw).findings}


def test_off_track_indicators_are_ranked_among_peers_by_progress(tiny_fw):
    # queue: A's progress -0.2; B 0.5, C -0.5, D no progress -> 2nd of 3
    # served_share: A 0.3; B 0.3 (tie: A shares the better rank), C 0.1 -> 1st of 3
    peers = pd.DataFrame({"unit_id": ["A", "B", "C", "D", "A", "B", "C"],
                          "indicator_id": ["queue"] * 4 + ["served_share"] * 3,
                          "progress": [-0.2, 0.5, -0.5, np.nan, 0.3, 0.3, 0.1]})
    f = monitoring_findings(_report(tiny_fw), tiny_fw, peer_progress=peers)
    queue = next(x for x in f.findings if x.id == "off_track.queue")
    served = next(x for x in f.findings if x.id == "off_track.served_share")
    assert (queue.peer_rank, queue.peer_n, queue.peer_group) == (2, 3, "progress")
    assert (served.peer_rank, served.peer_n) == (1, 3)
    html = first_page_html(f, "uk", {"queue": "Черга"})
    assert "2 з 3 громад (1 — найбільший поступ до цільового значення)" in html
    en = first_page_html(f, "en", {"queue": "Queue"})
    assert "2 of 3 municipalities (1 = most progress towards its target)" in en


def test_the_first_page_places_off_track_indicators_among_the_demo_municipalities(demo_tables):
    from socialkit.monitoring import load_framework
    from socialkit.monitoring import report as mr

    fw = load_framework()
    tables = {k: demo_tables[k] for k in ("municipalities", "indicator_values",
                                          "indicator_targets")}
    rep = mr.municipality_report(tables, None, "en", fw)
    peers = mr.peer_progress(tables["indicator_values"], tables["indicator_targets"],
                             rep.period, fw)
    assert set(peers["unit_id"]) == set(tables["municipalities"]["municipality_id"])
    off = monitoring_findings(rep, fw, peer_progress=peers)
    ranked = [x for x in off.findings if x.kind == "monitoring_off_track"]
    assert ranked and all(x.peer_group == "progress" and x.peer_n == 10 for x in ranked)
    for x in ranked:  # the rank is the count of municipalities with more progress, plus one
        p = peers[peers["indicator_id"] == x.subject].dropna(subset=["progress"])
        mine = float(p.loc[p["unit_id"] == rep.municipality_id, "progress"].iloc[0])
        assert x.peer_rank == int((p["progress"] > mine + 1e-12).sum()) + 1
    page = mr.first_page(tables, rep, "en", fw)
    assert page.count("municipalities (1 = most progress towards its target)") == len(ranked)
