"""Points ledger per professional and licence period, and who will not reach the required total.

* :func:`points_ledger` — one row per participation and licence period it counts for: the
  session's date picks the rule set in force (``training_points.yaml``), the programme's
  activity and the participation's role pick the points, and the participation counts for
  every licence of the person whose period holds the session's date.
* :func:`licence_totals` — per licence: points earned up to ``as_of``, points of sessions the
  person is registered for after ``as_of`` (still within the period), the required total (a
  setting of the rule set in force on the licence's last day), the shortfall, and the last
  day that still counts (``act_by`` = the licence's end minus the rule set's
  ``act_by_days_before_expiry``).
* :func:`compliance` — the licences in force on ``as_of`` that will not reach the required
  total with what is earned and planned, per institution (current employment), with the date
  by which the professional must act and the next scheduled session that still counts.

All three are vectorised joins (no loop over people): 20,000 professionals over six years take
well under a second (``benchmarks/bench_professionals.py``).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..frameworks.training_points import PointsRules, load_rules, points_table
from .registry import Registry, _rule_set_of

__all__ = ["compliance", "current_employment", "licence_totals", "points_ledger"]

LEDGER_COLUMNS = ["licence_id", "person_id", "participation_id", "session_id", "programme_id",
                  "date", "activity", "role", "rule_set", "points"]


def _ts(day: dt.date | str | pd.Timestamp) -> pd.Timestamp:
    return pd.Timestamp(str(day)[:10])


def scored_participations(registry: Registry, rules: PointsRules | None = None
                          ) -> pd.DataFrame:
    """Every participation with its session date, activity, rule set and points."""
    rules = rules or load_rules()
    table = points_table(rules)
    sess = registry.sessions[["session_id", "programme_id", "date"]].merge(
        registry.programmes[["programme_id", "activity"]], on="programme_id", how="left")
    blocks = table.drop_duplicates("rule_set")[["rule_set", "valid_from", "valid_to"]]
    sess["rule_set"] = _rule_set_of(sess["date"], blocks)
    part = registry.participations[["participation_id", "person_id", "session_id", "role"]]
    out = part.merge(sess, on="session_id", how="inner").merge(
        table[["rule_set", "activity", "role", "points"]], on=["rule_set", "activity", "role"],
        how="inner")
    return out


def points_ledger(registry: Registry, rules: PointsRules | None = None) -> pd.DataFrame:
    """The points ledger: one row per participation × licence period it counts for.

    Returns
    -------
    DataFrame
        ``licence_id, person_id, participation_id, session_id, programme_id, date, activity,
        role, rule_set, points``, sorted by licence and date. A participation outside every
        licence period of its person is not in the ledger.
    """
    scored = scored_participations(registry, rules)
    lic = registry.licences[["licence_id", "person_id", "valid_from", "valid_to"]]
    both = scored.merge(lic, on="person_id", how="inner")
    inside = (both["date"] >= both["valid_from"]) & (both["date"] <= both["valid_to"])
    out = both.loc[inside, LEDGER_COLUMNS]
    return out.sort_values(["licence_id", "date", "participation_id"], kind="stable"
                           ).reset_index(drop=True)


def licence_totals(registry: Registry, as_of: dt.date | str, rules: PointsRules | None = None,
                   ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per licence: points earned by ``as_of``, planned after it, required, shortfall, act_by.

    The required total and the days before expiry come from the rule set in force on the
    licence's last day (or the last rule set, if the licence ends after all of them).
    """
    rules = rules or load_rules()
    as_of = _ts(as_of)
    ledger = points_ledger(registry, rules) if ledger is None else ledger
    done = ledger["date"] <= as_of
    earned = ledger.loc[done].groupby("licence_id", sort=False)["points"].sum()
    planned = ledger.loc[~done].groupby("licence_id", sort=False)["points"].sum()
    lic = registry.licences[["licence_id", "person_id", "licence_type", "number", "valid_from",
                             "valid_to"]].copy()
    lic["earned"] = lic["licence_id"].map(earned).fillna(0).astype("int64")
    lic["planned"] = lic["licence_id"].map(planned).fillna(0).astype("int64")
    table = points_table(rules)
    blocks = table.drop_duplicates("rule_set")[["rule_set", "valid_from", "valid_to",
                                                "required_points", "act_by_days"]]
    rs = _rule_set_of(lic["valid_to"], blocks[["rule_set", "valid_from", "valid_to"]])
    last = blocks.sort_values("valid_from")["rule_set"].iloc[-1]
    lic["rule_set"] = rs.fillna(last)
    settings = blocks.set_index("rule_set")
    lic["required"] = lic["rule_set"].map(settings["required_points"]).astype("int64")
    days = lic["rule_set"].map(settings["act_by_days"]).astype("int64")
    lic["act_by"] = lic["valid_to"] - pd.to_timedelta(days, unit="D")
    lic["shortfall"] = (lic["required"] - lic["earned"] - lic["planned"]).clip(lower=0)
    return lic


def current_employment(registry: Registry, as_of: dt.date | str) -> pd.DataFrame:
    """``person_id, institution_id`` of the employment in force on ``as_of`` (the latest
    started, where several are)."""
    as_of = _ts(as_of)
    emp = registry.employments
    now = emp[(emp["start"] <= as_of) & (emp["end"].isna() | (emp["end"] >= as_of))]
    now = now.sort_values(["person_id", "start"]).drop_duplicates("person_id", keep="last")
    return now[["person_id", "institution_id"]].reset_index(drop=True)


def compliance(registry: Registry, as_of: dt.date | str, rules: PointsRules | None = None,
               institution_id: str | None = None, ledger: pd.DataFrame | None = None,
               horizon_days: int = 365) -> pd.DataFrame:
    """Licences in force on ``as_of`` that will not reach the required points before they end.

    Parameters
    ----------
    registry : Registry
    as_of : date
        The day of the check: points of sessions up to it are earned, later ones planned.
    rules : PointsRules, optional
    institution_id : str, optional
        Only the professionals employed by this institution on ``as_of``.
    horizon_days : int
        A licence short of points is *due* when its ``act_by`` is at most this many days
        after ``as_of``.

    Returns
    -------
    DataFrame
        ``institution_id, person_id, surname, given_name, licence_id, licence_type, number,
        valid_to, earned, planned, required, shortfall, on_schedule, status, act_by,
        days_left, next_session_id, next_session_date`` — one row per licence that will not
        reach the required points, sorted by institution and ``act_by``. ``next_session_*`` is the first scheduled session after ``as_of`` and no
        later than ``act_by`` that the person is not registered for (empty if none).

    Notes
    -----
    A licence is *short* when ``earned + planned < required``. It is listed when it is
    short and either **due** (``act_by`` within ``horizon_days``) or **behind** schedule:
    ``earned + planned`` is below ``on_schedule = required × elapsed share of the period``
    (the points a steady pace would have reached by ``as_of``), so at the pace so far it will
    not reach the total before the licence ends. ``act_by`` is the last day a session still
    counts (the licence's end minus the rule set's ``act_by_days_before_expiry``).
    """
    as_of = _ts(as_of)
    totals = licence_totals(registry, as_of, rules, ledger)
    live = totals[(totals["valid_from"] <= as_of) & (totals["valid_to"] >= as_of)
                  & (totals["shortfall"] > 0)].copy()
    length = (live["valid_to"] - live["valid_from"]).dt.days.clip(lower=1)
    elapsed = (as_of - live["valid_from"]).dt.days.clip(lower=0)
    live["on_schedule"] = np.floor(live["required"] * elapsed / length).astype("int64")
    due = (live["act_by"] - as_of).dt.days <= horizon_days
    behind = (live["earned"] + live["planned"]) < live["on_schedule"]
    live["status"] = np.where(due, "due", "behind")
    live = live[due | behind]
    emp = current_employment(registry, as_of)
    out = live.merge(emp, on="person_id", how="left")
    if institution_id is not None:
        out = out[out["institution_id"] == institution_id]
    out = out.merge(registry.persons[["person_id", "surname", "given_name"]], on="person_id",
                    how="left")
    out["days_left"] = (out["act_by"] - as_of).dt.days.astype("int64")
    out = _next_sessions(registry, out, as_of)
    cols = ["institution_id", "person_id", "surname", "given_name", "licence_id",
            "licence_type", "number", "valid_to", "earned", "planned", "required", "shortfall",
            "on_schedule", "status", "act_by", "days_left", "next_session_id", "next_session_date"]
    return out[cols].sort_values(["institution_id", "act_by", "person_id"], kind="stable",
                                 na_position="last").reset_index(drop=True)


def _next_sessions(registry: Registry, out: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """The first upcoming session (after ``as_of``) each person could still attend in time."""
    sess = registry.sessions[registry.sessions["date"] > as_of].sort_values("date")
    if sess.empty or out.empty:
        return out.assign(next_session_id=pd.Series(None, index=out.index, dtype=object),
                          next_session_date=pd.Series(pd.NaT, index=out.index,
                                                      dtype="datetime64[ns]"))
    dates = sess["date"].to_numpy("datetime64[ns]")
    ids = sess["session_id"].to_numpy(object)
    taken = set(zip(registry.participations["person_id"], registry.participations["session_id"],
                    strict=True))
    # the first session after as_of; if the person is registered for it, the next one
    first = np.searchsorted(dates, np.datetime64(as_of, "ns"), side="right")
    nid, ndate = [], []
    for person, act_by in zip(out["person_id"], out["act_by"].to_numpy("datetime64[ns]"),
                              strict=True):
        i = first
        while i < len(ids) and dates[i] <= act_by and (person, ids[i]) in taken:
            i += 1
        if i < len(ids) and dates[i] <= act_by:
            nid.append(ids[i])
            ndate.append(dates[i])
        else:
            nid.append(None)
            ndate.append(np.datetime64("NaT"))
    return out.assign(next_session_id=pd.Series(nid, index=out.index, dtype=object),
                      next_session_date=pd.Series(ndate, index=out.index,
                                                  dtype="datetime64[ns]"))
