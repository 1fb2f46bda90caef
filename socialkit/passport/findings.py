"""What matters most in a municipality's social passport, and what to do about it.

:func:`passport_findings` reads a :class:`~socialkit.passport.build.Passport` and returns
:class:`socialkit.findings.Findings`:

* the vulnerable groups whose rate per 1,000 is furthest above the oblast's (rate / oblast
  rate, highest first), with the change since the previous year;
* the group whose rate rose most since the previous year (relative to its rate), if it rose
  and is not already listed;
* the settlements farther than the framework's reach from the nearest facility of its kind.

Suppressed rates (small counts) are never used: a group whose count or previous count is
suppressed is left out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..findings import Finding, Findings, Recommendation
from .build import Passport

__all__ = ["passport_findings"]


def _f(v) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def passport_findings(passport: Passport, max_above: int = 2) -> Findings:
    """Findings and recommendations of one municipality's social passport."""
    prof = passport.profile
    prev = None if passport.previous_year is None else str(passport.previous_year)
    ok = prof[~prof["count_suppressed"].to_numpy(bool) & prof["rate"].notna()]
    ratio = (pd.to_numeric(ok["rate"]).astype(float)
             / pd.to_numeric(ok["region_rate"]).astype(float).replace(0, np.nan))
    above = ok.assign(_ratio=ratio.to_numpy())
    above = above[above["_ratio"] > 1].sort_values(["_ratio", "indicator_id"],
                                                   ascending=[False, True], kind="stable")
    found: list[Finding] = []
    recs: list[Recommendation] = []

    def group(fid: str, kind: str, row) -> Finding:
        return Finding(fid, kind, subject=str(row.indicator_id), value=_f(row.rate),
                       unit="per1000", change=_f(row.rate_change), since=prev,
                       peer_value=_f(row.region_rate), peer_group="region",
                       section="passport.sections.profile")

    for row in above.head(max_above).itertuples(index=False):
        fid = f"above.{row.indicator_id}"
        found.append(group(fid, "passport_above", row))
        recs.append(Recommendation(
            f"review.{row.indicator_id}", "passport_review", subject=str(row.indicator_id),
            evidence=(fid,), section="passport.sections.profile",
            extra={"rate": (_f(row.rate), "number"), "region_rate": (_f(row.region_rate),
                                                                      "number")}))
    listed = {f.subject for f in found}
    if prev is not None:
        rising = ok[~ok["count_prev_suppressed"].to_numpy(bool) & ok["rate_change"].notna()]
        rel = (pd.to_numeric(rising["rate_change"]).astype(float)
               / pd.to_numeric(rising["rate_prev"]).astype(float).replace(0, np.nan))
        rising = rising.assign(_rel=rel.to_numpy())
        rising = rising[(rising["_rel"] > 0) & ~rising["indicator_id"].isin(listed)]
        rising = rising.sort_values(["_rel", "indicator_id"], ascending=[False, True],
                                    kind="stable")
        if len(rising):
            row = next(rising.itertuples(index=False))
            fid = f"rising.{row.indicator_id}"
            found.append(group(fid, "passport_rising", row))
            recs.append(Recommendation(
                f"rising.{row.indicator_id}", "passport_rising", subject=str(row.indicator_id),
                evidence=(fid,), section="passport.sections.profile",
                extra={"change": (_f(row.rate_change), "number"), "since": prev}))
    s = passport.summary
    if s["settlements_beyond_reach"]:
        n = int(s["settlements_beyond_reach"])
        found.append(Finding("reach", "passport_reach", subject=s["reach_kind"], value=n,
                             unit="settlements", section="passport.sections.infrastructure",
                             extra={"n": n, "km": float(s["reach_km"])}, comparable=False))
        recs.append(Recommendation("reach", "passport_reach", subject=s["reach_kind"],
                                   evidence=("reach",), section="passport.sections.infrastructure",
                                   extra={"n": n, "km": float(s["reach_km"])}))
    return Findings("passport", passport.municipality["municipality_id"], str(passport.year),
                    tuple(found), tuple(recs))
