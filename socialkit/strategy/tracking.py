"""Tracking the action plan: dated versions of the progress workbook, what changed, and the
indicators against their targets.

The working group edits one workbook (sheets ``progress``: ``action_id, percent_done, status,
note``; ``milestone_status``: ``milestone_id, done, done_date``; ``indicator_actuals``:
``indicator_id, period, value``) and imports it whole (:func:`import_progress`). Each import is
checked against the plan (known actions, milestones and objective indicators; a milestone done
has its date) and stored as a new *version*: a folder ``<history>/<date>/`` holding the three
tables as CSV, written all or nothing. :func:`diff_versions` says what changed from one version
to the next; :func:`change_history` lists every change in date order; :func:`indicator_progress`
compares the latest actuals with the objectives' targets (progress = (actual − baseline) /
(target − baseline), status by the indicator framework's thresholds).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import DataValidationError, Problem, SocialkitError
from ..files import write_outputs
from .inputs import TRACKING_TABLES, Cycle, read_tables

__all__ = ["Version", "change_history", "diff_versions", "implementation_status",
           "import_progress", "indicator_progress", "read_progress", "read_versions"]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_OPTIONAL = frozenset({"milestone_status", "indicator_actuals"})


@dataclass(frozen=True)
class Version:
    """One imported state of the progress workbook."""

    date: str
    progress: pd.DataFrame
    milestone_status: pd.DataFrame
    indicator_actuals: pd.DataFrame


def read_progress(source: str | Path, cycle: Cycle) -> dict[str, pd.DataFrame]:
    """Read and check a progress workbook (or a folder of its CSV files) against the plan."""
    tables, names = read_tables(source, TRACKING_TABLES, _OPTIONAL)
    actions = set(cycle["actions"]["action_id"])
    milestones = set(cycle["milestones"]["milestone_id"])
    indicators = set(cycle["objective_indicators"]["indicator_id"])
    p: list[Problem] = []

    def bad(table, i, col, item, msg, rule, value=None):
        p.append(Problem(source=names[table], table=table, row=int(i) + 2, column=col,
                         value=value, message=f"{item}: {msg}", expected=rule))

    for i, r in tables["progress"].iterrows():
        if r["action_id"] not in actions:
            bad("progress", i, "action_id", f"action {r.action_id}", "not in the action plan",
                "an action_id of the plan", r["action_id"])
        if r["status"] == "done" and float(r["percent_done"]) < 100:
            bad("progress", i, "percent_done", f"action {r.action_id}",
                "status done but less than 100 % done", "100 when the status is done",
                float(r["percent_done"]))
    for i, r in tables["milestone_status"].iterrows():
        if r["milestone_id"] not in milestones:
            bad("milestone_status", i, "milestone_id", f"milestone {r.milestone_id}",
                "not in the plan", "a milestone_id of the plan", r["milestone_id"])
        if r["done"] == "yes" and pd.isna(r["done_date"]):
            bad("milestone_status", i, "done_date", f"milestone {r.milestone_id}",
                "done without a date", "the date it was reached")
    for i, r in tables["indicator_actuals"].iterrows():
        if r["indicator_id"] not in indicators:
            bad("indicator_actuals", i, "indicator_id", f"indicator {r.indicator_id}",
                "not an indicator of the strategy's objectives",
                "an indicator_id of objective_indicators", r["indicator_id"])
    if p:
        raise DataValidationError(p, header=f"{len(p)} problem(s) in {source}")
    return tables


def import_progress(source: str | Path, cycle: Cycle, history: str | Path, date: str,
                    force: bool = False) -> Path:
    """Check a progress workbook and store it as the version of ``date`` under ``history``.

    Refuses (nothing written) a bad workbook, a malformed date, or a version of that date
    that already exists (unless ``force``).
    """
    if not _DATE.match(date):
        raise SocialkitError(f"--date {date!r}: expected a date YYYY-MM-DD")
    tables = read_progress(source, cycle)
    folder = Path(history) / date
    if folder.exists() and not force:
        raise SocialkitError(f"{folder}: a version dated {date} already exists; give another "
                             "date, or --force to replace it")
    write_outputs({f"{t}.csv": tables[t] for t in TRACKING_TABLES}, folder,
                  command="socialkit strategy track", force=force)
    return folder


def read_versions(history: str | Path, cycle: Cycle) -> list[Version]:
    """Every stored version under ``history``, oldest first."""
    history = Path(history)
    if not history.is_dir():
        return []
    out = []
    for folder in sorted(p for p in history.iterdir() if p.is_dir() and _DATE.match(p.name)):
        tables = read_progress(folder, cycle)
        out.append(Version(folder.name, *(tables[t] for t in TRACKING_TABLES)))
    return out


def _table(v: Version | None, name: str, key: str) -> pd.DataFrame:
    if v is None:
        return pd.DataFrame(columns=[key]).set_index(key)
    frame = getattr(v, name)
    if name == "indicator_actuals":
        frame = frame.assign(key=frame["indicator_id"] + "@" + frame["period"])
        return frame.set_index("key")[["value"]]
    return frame.set_index(key)


def diff_versions(old: Version | None, new: Version) -> pd.DataFrame:
    """What changed from ``old`` (None: nothing before) to ``new``.

    Returns ``date, kind`` (``action``, ``milestone``, ``indicator``), ``id, field, before,
    after``; one row per changed cell (a new row: ``before`` None).
    """
    rows = []
    for name, kind, key, fields in (
            ("progress", "action", "action_id", ("percent_done", "status", "note")),
            ("milestone_status", "milestone", "milestone_id", ("done", "done_date")),
            ("indicator_actuals", "indicator", "key", ("value",))):
        a, b = _table(old, name, key), _table(new, name, key)
        for ident in b.index:
            for f in fields:
                after = b.at[ident, f]
                before = a.at[ident, f] if ident in a.index and f in a.columns else None
                if pd.isna(after) and (before is None or pd.isna(before)):
                    continue
                if before is not None and not pd.isna(before) and before == after:
                    continue
                rows.append({"date": new.date, "kind": kind, "id": str(ident), "field": f,
                             "before": None if before is None or pd.isna(before) else before,
                             "after": None if pd.isna(after) else after})
    return pd.DataFrame(rows, columns=["date", "kind", "id", "field", "before", "after"])


def change_history(versions: list[Version]) -> pd.DataFrame:
    """Every change, version after version (the first version's values count as changes)."""
    parts = [diff_versions(versions[i - 1] if i else None, v) for i, v in enumerate(versions)]
    parts = [x for x in parts if len(x)]
    return (pd.concat(parts, ignore_index=True) if parts else
            pd.DataFrame(columns=["date", "kind", "id", "field", "before", "after"]))


def implementation_status(cycle: Cycle, version: Version | None, as_of: str) -> pd.DataFrame:
    """Per action: ``percent_done, status, note, milestones, milestones_done,
    milestones_overdue`` (due before the quarter of ``as_of`` and not done)."""
    a = cycle["actions"][["action_id", "objective_id", "start", "end"]].copy()
    prog = version.progress if version is not None else pd.DataFrame(
        columns=["action_id", "percent_done", "status", "note"])
    a = a.merge(prog, on="action_id", how="left")
    a["percent_done"] = pd.to_numeric(a["percent_done"]).fillna(0.0)
    a["status"] = a["status"].fillna("not_started")
    m = cycle["milestones"]
    done = set()
    if version is not None:
        ms = version.milestone_status
        done = set(ms.loc[ms["done"] == "yes", "milestone_id"])
    quarter = str(pd.Period(as_of, "Q"))
    m = m.assign(done=m["milestone_id"].isin(done),
                 overdue=(m["due"] < quarter) & ~m["milestone_id"].isin(done))
    agg = m.groupby("action_id").agg(milestones=("milestone_id", "size"),
                                     milestones_done=("done", "sum"),
                                     milestones_overdue=("overdue", "sum"))
    a = a.merge(agg, left_on="action_id", right_index=True, how="left")
    for c in ("milestones", "milestones_done", "milestones_overdue"):
        a[c] = a[c].fillna(0).astype(int)
    return a


def _period_end(period: str) -> pd.Timestamp:
    """When a period (2027, 2027Q2, 2027-03) ends.

    >>> str(_period_end("2027Q2").date()), str(_period_end("2027").date())
    ('2027-06-30', '2027-12-31')
    """
    return pd.Period(period).end_time


def indicator_progress(cycle: Cycle, actuals: pd.DataFrame | None) -> pd.DataFrame:
    """The objectives' indicators against their targets.

    Returns ``objective_id, indicator_id, baseline, target_period, target, period, actual,
    progress, status`` (``on_track``, ``at_risk``, ``off_track`` by the framework's
    ``status_thresholds``; ``no_data`` without an actual). The actual is the value of the
    target period, else that of the latest period ending by the target period's end.
    """
    from ..frameworks.indicators import load_framework

    thr = load_framework().status_thresholds
    oi = cycle["objective_indicators"]
    act = actuals if actuals is not None else pd.DataFrame(
        columns=["indicator_id", "period", "value"])
    rows = []
    for r in oi.itertuples(index=False):
        mine = act[act["indicator_id"] == r.indicator_id]
        exact = mine[mine["period"].astype(str) == str(r.target_period)]
        if len(exact):
            mine = exact
        else:  # the latest period that ends by the end of the target period
            ends = mine["period"].astype(str).map(_period_end)
            mine = mine.assign(_end=ends)[ends <= _period_end(str(r.target_period))]
            mine = mine.sort_values("_end", kind="stable")
        actual = period = progress = None
        status = "no_data"
        if len(mine):
            actual, period = float(mine["value"].iloc[-1]), str(mine["period"].iloc[-1])
            span = float(r.target) - float(r.baseline)
            progress = (actual - float(r.baseline)) / span if span else (
                1.0 if actual == float(r.target) else 0.0)
            status = ("on_track" if progress >= thr.on_track else
                      "at_risk" if progress >= thr.at_risk else "off_track")
        rows.append({"objective_id": r.objective_id, "indicator_id": r.indicator_id,
                     "baseline": float(r.baseline), "target_period": str(r.target_period),
                     "target": float(r.target), "period": period, "actual": actual,
                     "progress": progress, "status": status})
    return pd.DataFrame(rows, columns=["objective_id", "indicator_id", "baseline",
                                       "target_period", "target", "period", "actual",
                                       "progress", "status"])
