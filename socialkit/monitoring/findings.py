"""What matters most in a municipality's M&E report, and what to do about it.

:func:`monitoring_findings` reads a :class:`~socialkit.monitoring.report.MunicipalityReport`
and returns :class:`socialkit.findings.Findings`:

* the share of indicators on track in the latest target year, its change since the year
  before, and the municipality's rank among all municipalities by that share (when
  ``peer_share`` is given);
* the indicators furthest off track (lowest progress), each with its actual, its change since
  the previous target year, its target and (when ``peer_progress`` is given) its rank among all
  municipalities by progress towards their own targets;
* the number of disaggregated figures that do not add up to their totals
  (:func:`~socialkit.monitoring.consistency.check_disaggregation_totals`), and of count
  indicators whose quarters (trends) do not make up the year's figure of the progress table
  (:func:`~socialkit.monitoring.consistency.check_section_totals`).

Recommendations: a recovery plan for each off-track indicator (citing its finding), correction
of the figures that do not add up, a check of the quarterly figures against the year, and
verification of outliers and rule breaches.
"""

from __future__ import annotations

import pandas as pd

from ..findings import Finding, Findings, Recommendation
from ..frameworks.indicators import IndicatorFramework, load_framework
from .consistency import check_disaggregation_totals, check_section_totals

__all__ = ["monitoring_findings"]

_UNITS = {"count": "count", "percent": "percent", "per_1000": "per1000", "ratio": "number"}


def _f(v) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def monitoring_findings(report, framework: IndicatorFramework | None = None,
                        peer_share: pd.DataFrame | None = None,
                        max_off_track: int = 3,
                        peer_progress: pd.DataFrame | None = None) -> Findings:
    """Findings and recommendations of one municipality's M&E report.

    Parameters
    ----------
    report : MunicipalityReport
    framework : IndicatorFramework, optional
    peer_share : DataFrame, optional
        :func:`~socialkit.monitoring.share_on_track` of every municipality (``unit_id,
        period, share_on_track``): gives the rank (1 = highest share) among them.
    peer_progress : DataFrame, optional
        :func:`~socialkit.monitoring.report.peer_progress` (``unit_id, indicator_id,
        progress`` in the report's period): each off-track indicator's rank (1 = most progress
        towards the target) among the municipalities with a progress for it.
    max_off_track : int
        Off-track indicators reported at most.
    """
    framework = framework or load_framework()
    period = report.period
    found: list[Finding] = []
    recs: list[Recommendation] = []
    p = report.progress
    totals = p[(p["sex"] == "total") & (p["age_group"] == "total")]
    earlier = sorted(x for x in totals["period"].unique() if x < period)
    prev = earlier[-1] if earlier else None
    share = report.share
    if len(share) and share.get("n_assessed", 0):
        change = None
        if prev is not None:
            pr = totals[totals["period"] == prev]
            assessed = pr["status"].isin(["on_track", "at_risk", "off_track"]).sum()
            if assessed:
                change = float(share["share_on_track"]) - float(
                    (pr["status"] == "on_track").sum() / assessed)
        rank = n = None
        if peer_share is not None and len(peer_share):
            ps = peer_share[peer_share["period"] == period].dropna(subset=["share_on_track"])
            if report.municipality_id in set(ps["unit_id"]):
                mine = float(share["share_on_track"])
                rank = int((ps["share_on_track"] > mine + 1e-12).sum()) + 1
                n = len(ps)
        found.append(Finding(
            "on_track", "monitoring_on_track", value=float(share["share_on_track"]),
            unit="share", change=change, since=prev, peer_rank=rank, peer_n=n,
            peer_group="all", section="monitoring.report.table_heading",
            extra={"on": int(share["on_track"]), "n": int(share["n_assessed"]),
                   "period": str(period)}))
    latest = report.latest
    off = latest[latest["status"] == "off_track"].dropna(subset=["progress"])
    off = off.sort_values(["progress", "indicator_id"], kind="stable").head(max_off_track)
    for row in off.itertuples(index=False):
        ind = framework.indicator(row.indicator_id)
        unit = _UNITS.get(ind.unit, "number")
        before = None
        if prev is not None:
            b = totals[(totals["indicator_id"] == row.indicator_id) & (totals["period"] == prev)]
            before = _f(b["actual"].iloc[0]) if len(b) else None
        actual = _f(row.actual)
        fid = f"off_track.{row.indicator_id}"
        target = _f(row.target)
        rank, n = _progress_rank(peer_progress, report.municipality_id, row.indicator_id)
        found.append(Finding(
            fid, "monitoring_off_track", subject=row.indicator_id, value=actual, unit=unit,
            change=None if actual is None or before is None else actual - before,
            since=prev, peer_rank=rank, peer_n=n, peer_group="progress",
            section="monitoring.report.table_heading",
            extra={"target": (target, unit), "period": str(period)}))
        recs.append(Recommendation(
            f"recover.{row.indicator_id}", "monitoring_recover", subject=row.indicator_id,
            evidence=(fid,), section="monitoring.report.trends_heading",
            extra={"actual": (actual, unit), "target": (target, unit),
                   "period": str(period)}))
    issues = check_disaggregation_totals(report.disaggregations)
    if len(issues):
        found.append(Finding("inconsistent", "monitoring_inconsistent", value=float(len(issues)),
                             unit="count", section="monitoring.report.quality_heading",
                             extra={"n": len(issues)}, comparable=False))
        recs.append(Recommendation("fix_data", "monitoring_fix_data", evidence=("inconsistent",),
                                   section="monitoring.report.quality_heading",
                                   extra={"n": len(issues)}))
    quarters = check_section_totals(report, framework)
    if len(quarters):
        n = int(quarters["indicator_id"].nunique())
        found.append(Finding("quarters", "monitoring_quarters", value=float(n), unit="count",
                             section="monitoring.report.quality_heading", extra={"n": n},
                             comparable=False))
        recs.append(Recommendation("fix_quarters", "monitoring_fix_quarters",
                                   evidence=("quarters",),
                                   section="monitoring.report.quality_heading",
                                   extra={"n": n}))
    flagged = len(report.outliers) + len(report.breaches)
    if flagged:
        recs.append(Recommendation("verify", "monitoring_verify",
                                   section="monitoring.report.quality_heading",
                                   extra={"n": flagged}))
    return Findings("monitoring", report.municipality_id, period, tuple(found), tuple(recs))


def _progress_rank(peers: pd.DataFrame | None, municipality_id: str,
                   indicator_id: str) -> tuple[int | None, int | None]:
    """Rank (1 = most progress) of the municipality's progress on one indicator among every
    municipality's, and how many were ranked; ``(None, None)`` without peers or a value."""
    if peers is None or not len(peers):
        return None, None
    p = peers[peers["indicator_id"] == indicator_id]
    vals = pd.to_numeric(p["progress"], errors="coerce")
    ranked = p.assign(progress=vals).dropna(subset=["progress"])
    mine = ranked.loc[ranked["unit_id"] == municipality_id, "progress"]
    if mine.empty:
        return None, None
    return int((ranked["progress"] > float(mine.iloc[0]) + 1e-12).sum()) + 1, len(ranked)
