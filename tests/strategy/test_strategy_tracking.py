"""Tracking: what changed between versions, indicators against targets (by hand), and the
demo's history never moves the date a milestone was reached."""

from __future__ import annotations

import pandas as pd
import pytest

from socialkit import config
from socialkit.strategy.tracking import (
    Version,
    change_history,
    diff_versions,
    implementation_status,
    indicator_progress,
    read_versions,
)

DEMO = config.PROJECT_ROOT / "catalogs" / "strategy"


def _version(date, progress, milestones=(), actuals=()):
    return Version(date,
                   pd.DataFrame(progress, columns=["action_id", "percent_done", "status", "note"]),
                   pd.DataFrame(milestones, columns=["milestone_id", "done", "done_date"]),
                   pd.DataFrame(actuals, columns=["indicator_id", "period", "value"]))


def test_diff_lists_changed_cells_only():
    a = _version("2027-06-30", [("A1", 20.0, "in_progress", None), ("A2", 0.0, "not_started",
                                                                     None)],
                 [("M1", "no", None)])
    b = _version("2027-12-31", [("A1", 50.0, "in_progress", None), ("A2", 0.0, "not_started",
                                                                     "waiting")],
                 [("M1", "yes", "2027-11-02")], [("x", "2027", 4.5)])
    d = diff_versions(a, b)
    got = {(r.kind, r.id, r.field): (r.before, r.after) for r in d.itertuples(index=False)}
    assert got == {("action", "A1", "percent_done"): (20.0, 50.0),
                   ("action", "A2", "note"): (None, "waiting"),
                   ("milestone", "M1", "done"): ("no", "yes"),
                   ("milestone", "M1", "done_date"): (None, "2027-11-02"),
                   ("indicator", "x@2027", "value"): (None, 4.5)}
    assert (d["date"] == "2027-12-31").all()
    assert len(change_history([a, b])) == len(diff_versions(None, a)) + len(d)


def test_indicator_progress_by_hand(cantemir):
    from socialkit.frameworks.indicators import load_framework

    thr = load_framework().status_thresholds
    actuals = pd.DataFrame({"indicator_id": ["home_care_coverage", "home_care_coverage"],
                            "period": ["2027Q2", "2027"], "value": [20.0, 28.0]})
    ip = indicator_progress(cantemir, actuals)
    row = ip[(ip["indicator_id"] == "home_care_coverage")
             & (ip["target_period"] == "2027")].iloc[0]
    # baseline 18, target 30, actual of the target period 28: (28 - 18) / (30 - 18)
    assert row["actual"] == 28.0 and row["period"] == "2027"
    assert row["progress"] == pytest.approx(10 / 12)
    assert row["status"] == ("on_track" if 10 / 12 >= thr.on_track else
                             "at_risk" if 10 / 12 >= thr.at_risk else "off_track")
    later = ip[(ip["indicator_id"] == "home_care_coverage") & (ip["target_period"] == "2029")]
    assert later["progress"].iloc[0] == pytest.approx((28 - 18) / (45 - 18))
    other = ip[ip["indicator_id"] != "home_care_coverage"]
    assert (other["status"] == "no_data").all()


def test_overdue_milestones(cantemir):
    st = implementation_status(cantemir, None, "2028-03-31").set_index("action_id")
    m = cantemir["milestones"]
    due = m[m["due"] < "2028Q1"].groupby("action_id").size()
    for action, n in due.items():
        assert st.at[action, "milestones_overdue"] == n
    assert (st["percent_done"] == 0).all() and (st["status"] == "not_started").all()


@pytest.mark.parametrize("name", ["md_cantemir", "ua_mykolaivka"])
def test_a_reached_milestone_keeps_its_date(name, request):
    cycle = request.getfixturevalue("cantemir" if name == "md_cantemir" else "mykolaivka")
    versions = read_versions(DEMO / name / "tracking", cycle)
    assert [v.date for v in versions] == ["2027-06-30", "2027-12-31"]
    hist = change_history(versions)
    moved = hist[(hist["field"] == "done_date") & hist["before"].notna()]
    assert moved.empty, moved
    undone = hist[(hist["field"] == "done") & (hist["before"] == "yes")]
    assert undone.empty, undone
