"""Report-ready tables: disaggregations with small-cell protection, and localised tables.

The notebooks call these and only display the result; numbers are formatted for the report's
language with :mod:`socialkit.i18n`, column names and categories translated with ``t()``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..disclosure import suppress_counts
from ..frameworks.indicators import IndicatorFramework, load_framework
from ..i18n import display_name, display_names, format_number, format_percent, format_period, t
from .indicators import compute_indicators

__all__ = [
    "MunicipalityReport",
    "ProgrammeOverview",
    "disaggregation_table",
    "findings_labels",
    "first_page",
    "localise_consistency",
    "localise",
    "localise_breaches",
    "localise_disaggregation",
    "localise_highlights",
    "localise_outliers",
    "localise_progress",
    "localise_quality",
    "localise_scorecard",
    "localise_section_totals",
    "localise_share",
    "localise_trends",
    "municipality_report",
    "peer_share_on_track",
    "protect_progress",
    "protect_quality",
    "peer_progress",
    "programme_overview",
]

_TOTALS = {"sex": "total", "age_group": "total"}


def disaggregation_table(
    values: pd.DataFrame,
    indicator_id: str,
    period: str,
    framework: IndicatorFramework | None = None,
    *,
    level: str = "municipality",
    municipalities: pd.DataFrame | None = None,
    threshold: int | None = None,
    computed: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """An indicator by sex × age group (with totals), small cells suppressed.

    Parameters
    ----------
    values : DataFrame
        ``indicator_values``.
    indicator_id : str
        An indicator with disaggregations.
    period : str
        A year or a quarter.
    level, municipalities
        As in :func:`~socialkit.monitoring.compute_indicators`.
    threshold : int, optional
        Small-cell threshold (default :func:`socialkit.config.suppress_below`).
    computed : DataFrame, optional
        :func:`~socialkit.monitoring.compute_indicators` output with ``cells="all"`` for
        ``period`` at ``level``, when the caller already has it.

    Returns
    -------
    DataFrame
        ``unit_id, sex, age_group, numerator, denominator, value, suppressed``: numerator and
        denominator counts are suppressed (primary and secondary, per unit) and the rate is
        withheld when either of its counts is suppressed.
    """
    framework = framework or load_framework()
    ind = framework.indicator(indicator_id)
    frame = computed if computed is not None else compute_indicators(
        values, framework, periods=[period], level=level, municipalities=municipalities,
        cells="all")
    frame = frame[(frame["indicator_id"] == indicator_id) & (frame["period"] == period)].drop(
        columns=["indicator_id", "period", "n_municipalities"])
    dims = [d for d in ("sex", "age_group") if d in ind.disaggregations]
    if not dims:
        frame = frame.assign(suppressed=False)
        return frame.reset_index(drop=True)
    num = suppress_counts(frame, "numerator", by=dims, total_rows=_TOTALS, threshold=threshold)
    hidden = num["suppressed"].to_numpy()
    if ind.denominator is not None:
        den = suppress_counts(frame.drop(columns="numerator"), "denominator", by=dims,
                              total_rows=_TOTALS, threshold=threshold)
        num["denominator"] = den["denominator"].to_numpy()
        hidden = hidden | den["suppressed"].to_numpy()
    out = num.drop(columns=["suppression"]).assign(suppressed=hidden)
    out["value"] = out["value"].astype("Float64").mask(hidden)
    return out.reset_index(drop=True)


def protect_progress(progress: pd.DataFrame, threshold: int | None = None) -> pd.DataFrame:
    """Withhold published numbers that rest on a small count.

    Where the numerator of the actual is ``1 <= n < threshold`` (default
    :func:`socialkit.config.suppress_below`), ``actual``, ``numerator``, ``denominator`` and
    ``progress`` are set to NA (progress would give the actual back); the coarse ``status``
    is kept. Adds a boolean ``suppressed`` column.
    """
    from .. import config

    threshold = config.suppress_below() if threshold is None else int(threshold)
    out = progress.copy()
    num = out["numerator"].astype(float)
    small = ((num >= 1) & (num < threshold)).to_numpy()
    for col in ("actual", "numerator", "denominator", "progress"):
        out[col] = out[col].astype(float).mask(small)
    out["suppressed"] = small
    return out


def protect_quality(frame: pd.DataFrame, columns: list[str],
                    threshold: int | None = None) -> pd.DataFrame:
    """A data-quality table (outliers, rule breaches) with reported counts of 1–4 withheld.

    The values are counts of people reported for one cell; each row stands alone (no
    published total), so primary suppression is enough. Adds ``<column>_suppressed``.
    """
    from ..disclosure import publish

    out = publish(frame, counts=columns, threshold=threshold)
    for col in columns:
        out[f"{col}_suppressed"] = (out[col].isna() & frame[col].notna()).to_numpy()
    return out


def _counts_published(frame: pd.DataFrame, columns: list[str],
                      framework: IndicatorFramework) -> pd.DataFrame:
    """Values of count indicators of 1 … threshold − 1 withheld (rates are left as they are)."""
    from ..disclosure import publish, resolve_threshold

    threshold = resolve_threshold()
    is_count = frame["indicator_id"].isin(
        {i.id for i in framework.indicators if i.denominator is None}).to_numpy()
    hidden = {}
    for col in columns:
        v = pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        hidden[col] = is_count & (v >= 1) & (v < threshold)
    return publish(frame, hidden=hidden, threshold=threshold)


class _Hidden:
    def __repr__(self) -> str:
        return "<suppressed>"


_HIDDEN = _Hidden()


def _with_marks(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = frame.copy()
    for col in columns:
        flag = f"{col}_suppressed"
        if flag in out:
            out[col] = out[col].astype(object).where(~out[flag].to_numpy(dtype=bool), _HIDDEN)
    return out


def _mark_or(lang: str, fmt: Callable[[object], str]) -> Callable[[object], str]:
    mark = t("disclosure.suppressed", lang)
    return lambda v: mark if v is _HIDDEN else fmt(v)


def localise(
    frame: pd.DataFrame,
    columns: Mapping[str, str],
    lang: str,
    formats: Mapping[str, Callable[[object], str]] | None = None,
    categories: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """A display copy of ``frame``: chosen columns, formatted values, translated headers.

    Parameters
    ----------
    columns : mapping
        Column → i18n key of its header, in display order.
    formats : mapping, optional
        Column → function turning a value into text.
    categories : mapping, optional
        Column → i18n key prefix; a value ``v`` is shown as ``t(prefix + "." + v)``.
    """
    out = pd.DataFrame(index=frame.index)
    formats = formats or {}
    categories = categories or {}
    for col in columns:
        s = frame[col]
        if col in categories:
            s = s.map(lambda v, p=categories[col]: t(f"{p}.{v}", lang))
        elif col in formats:
            s = s.map(formats[col])
        out[t(columns[col], lang)] = s.astype(object)
    return out.reset_index(drop=True)


def _decimals(framework: IndicatorFramework, indicator_id: str, value: object = None) -> int:
    """0 for counts; 2 for small rates (below 10), else 1."""
    if framework.indicator(indicator_id).unit == "count":
        return 0
    try:
        return 2 if abs(float(value)) < 10 else 1
    except (TypeError, ValueError):
        return 1


def localise_progress(progress: pd.DataFrame, lang: str,
                      framework: IndicatorFramework | None = None) -> pd.DataFrame:
    """The progress table of a report in ``lang`` (indicator names, formatted numbers)."""
    framework = framework or load_framework()
    p = progress.copy()
    for col in ("baseline", "target", "actual"):
        p[col] = [format_number(v, lang, _decimals(framework, i, v))
                  for v, i in zip(p[col], p["indicator_id"], strict=True)]
    p["progress"] = [format_percent(v, lang) for v in p["progress"]]
    p["indicator"] = p["indicator_id"].map(lambda i: framework.indicator(i).label(lang))
    p["level_id"] = p["indicator_id"].map(lambda i: framework.indicator(i).level)
    return localise(
        p,
        {"indicator": "monitoring.col.indicator", "level_id": "monitoring.col.level",
         "period": "monitoring.col.period", "baseline": "monitoring.col.baseline",
         "target": "monitoring.col.target", "actual": "monitoring.col.actual",
         "progress": "monitoring.col.progress", "status": "monitoring.col.status"},
        lang,
        categories={"level_id": "monitoring.level", "status": "monitoring.status"},
    )


# -- report builders (what the notebooks display) --------------------------------------------
@dataclass(frozen=True)
class MunicipalityReport:
    """Everything the per-municipality M&E report shows (frames are unformatted)."""

    municipality_id: str
    name: str
    period: str  # the latest target period
    progress: pd.DataFrame  # every target period, totals and disaggregated targets
    latest: pd.DataFrame  # progress in ``period``, totals only
    share: pd.Series  # share_on_track row of ``period``
    series: pd.DataFrame  # quarterly indicator values
    targets: pd.DataFrame  # the municipality's indicator_targets
    trends: pd.DataFrame
    disaggregations: dict[str, pd.DataFrame]
    completeness: pd.DataFrame
    outliers: pd.DataFrame
    breaches: pd.DataFrame

    def furthest_behind(self, n: int = 2) -> list[str]:
        """The ``n`` indicators furthest behind their targets in the latest period: lowest
        progress first, ties in the order of ``latest``; indicators without a progress value (no
        target, or suppressed) are left out. The one rule the notebook, the PDF and the
        dashboard use to pick the trends they show."""
        latest = self.latest.dropna(subset=["progress"])
        return latest.nsmallest(n, "progress", keep="first")["indicator_id"].astype(str).tolist()


def _name(munis: pd.DataFrame, mid: str, lang: str) -> str:
    return display_name(munis.loc[munis["municipality_id"] == mid].iloc[0], lang)


def municipality_report(tables: Mapping[str, pd.DataFrame], municipality_id: str | None = None,
                        lang: str = "en",
                        framework: IndicatorFramework | None = None) -> MunicipalityReport:
    """Build the M&E report of one municipality from ``municipalities``, ``indicator_values``
    and ``indicator_targets`` (``municipality_id=None``: the first municipality)."""
    from ..errors import SocialkitError
    from .progress import compute_progress, compute_trends, share_on_track
    from .protect import published_progress
    from .quality import check_completeness, check_outliers, check_rules

    framework = framework or load_framework()
    munis = tables["municipalities"]
    known = munis["municipality_id"].astype(str).tolist()
    mid = municipality_id or known[0]
    if mid not in known:
        raise SocialkitError(t("monitoring.cli.unknown_municipality", lang, mid=mid,
                               known=", ".join(known[:10])))
    values = tables["indicator_values"]
    values = values[values["municipality_id"] == mid]
    targets = tables["indicator_targets"]
    targets = targets[targets["municipality_id"] == mid]
    progress = compute_progress(values, targets, framework)
    periods = sorted(progress["period"].unique())
    period = periods[-1] if periods else ""
    # the municipality's figures as the whole programme's pattern publishes them (a
    # district or oblast total of the overview must not give a hidden one back)
    everyone = published_progress(tables["indicator_values"], tables["indicator_targets"],
                                  framework, municipalities=munis)
    latest = everyone[(everyone["unit_id"] == mid) & (everyone["period"] == period)
                      & (everyone["sex"] == "total") & (everyone["age_group"] == "total")]
    share = share_on_track(progress, by=["period"]).set_index("period")
    quarters = sorted(tables["indicator_values"]["period"].unique())  # expected of everyone
    cells = compute_indicators(values, framework, periods=[period], cells="all")
    series = compute_indicators(values, framework)   # for the figures and the trends
    disagg = {
        i.id: disaggregation_table(values, i.id, period, framework, computed=cells)
        for i in framework.indicators if i.disaggregations
    }
    return MunicipalityReport(
        municipality_id=mid, name=_name(munis, mid, lang), period=period, progress=progress,
        latest=latest.reset_index(drop=True),
        share=share.loc[period] if period in share.index else pd.Series(dtype=float),
        series=_counts_published(series, ["value"], framework),
        targets=targets,
        trends=_counts_published(compute_trends(values, framework, series=series),
                                 ["first", "last"], framework),
        disaggregations=disagg,
        completeness=check_completeness(values, [mid], quarters, framework),
        outliers=protect_quality(check_outliers(values, framework), ["value", "median"]),
        breaches=protect_quality(check_rules(values, framework),
                                 ["left_value", "right_value"]),
    )


@dataclass(frozen=True)
class ProgrammeOverview:
    """Everything the programme overview shows.

    With more than ``max_municipalities`` municipalities, the per-municipality parts keep
    those that need attention most (lowest share on track; lowest completeness), and
    ``n_municipalities`` tells how many there are in all.
    """

    period: str
    programme: pd.DataFrame  # progress aggregated to the programme, latest period, totals
    regions: pd.DataFrame  # progress aggregated to oblasts, latest period, totals
    municipalities: pd.DataFrame  # per-municipality progress, latest period, totals (shown)
    share: pd.DataFrame  # share on track per municipality (shown), best first
    quality: pd.DataFrame  # quality_summary per municipality (shown), worst first
    names: dict[str, str]
    n_municipalities: int
    truncated: bool


def _names(munis: pd.DataFrame, lang: str) -> dict[str, str]:
    return dict(zip(munis["municipality_id"].astype(str), display_names(munis, lang),
                    strict=True))


def programme_overview(tables: Mapping[str, pd.DataFrame], lang: str = "en",
                       framework: IndicatorFramework | None = None,
                       max_municipalities: int = 40) -> ProgrammeOverview:
    """Build the programme overview across every municipality of the tables."""
    from .progress import share_on_track
    from .protect import published_levels
    from .quality import quality_summary

    framework = framework or load_framework()
    munis = tables["municipalities"]
    values, targets = tables["indicator_values"], tables["indicator_targets"]

    published = published_levels(values, targets, framework, municipalities=munis)

    def latest(level: str) -> pd.DataFrame:
        p = published[level]
        p = p[(p["sex"] == "total") & (p["age_group"] == "total")]
        return p[p["period"] == p["period"].max()].reset_index(drop=True)

    per_muni = latest("municipality")
    names = _names(munis, lang)
    share = share_on_track(per_muni, by=["unit_id"])
    share = share.assign(name=share["unit_id"].map(names))
    quarters = sorted(values["period"].unique())
    quality = quality_summary(values, list(munis["municipality_id"]), quarters, framework)
    quality = quality.assign(name=quality["municipality_id"].map(names))
    n = len(munis)
    truncated = n > max_municipalities
    if truncated:
        share = share.sort_values(["share_on_track", "unit_id"]).head(max_municipalities)
        per_muni = per_muni[per_muni["unit_id"].isin(set(share["unit_id"]))]
        quality = quality.sort_values(["completeness", "municipality_id"]).head(
            max_municipalities)
    return ProgrammeOverview(
        period=str(per_muni["period"].max()) if len(per_muni) else "",
        programme=latest("programme"),
        regions=latest("region"), municipalities=per_muni,
        share=share.sort_values("share_on_track", ascending=False).reset_index(drop=True),
        quality=quality.reset_index(drop=True), names=names, n_municipalities=n,
        truncated=truncated,
    )


# -- localised tables -----------------------------------------------------------------------------
def _pct(lang: str, decimals: int = 0) -> Callable[[object], str]:
    return lambda v: format_percent(v, lang, decimals)


def _num(lang: str, decimals: int = 0) -> Callable[[object], str]:
    return lambda v: format_number(v, lang, decimals)


def localise_trends(trends: pd.DataFrame, lang: str,
                    framework: IndicatorFramework | None = None) -> pd.DataFrame:
    framework = framework or load_framework()
    tr = trends.assign(indicator=trends["indicator_id"].map(
        lambda i: framework.indicator(i).label(lang)))
    for col in ("first", "last"):
        tr[col] = [format_number(v, lang, _decimals(framework, i, v))
                   for v, i in zip(tr[col], tr["indicator_id"], strict=True)]
    return localise(tr, {"indicator": "monitoring.col.indicator",
                         "first": "monitoring.col.first", "last": "monitoring.col.last",
                         "trend": "monitoring.col.trend"}, lang,
                    categories={"trend": "monitoring.trend"})


def localise_disaggregation(table: pd.DataFrame, lang: str, indicator_id: str | None = None,
                            framework: IndicatorFramework | None = None) -> pd.DataFrame:
    """A disaggregation table in ``lang``; counts without decimals, rates with one."""
    framework = framework or load_framework()
    count = indicator_id is not None and framework.indicator(indicator_id).unit == "count"
    out = localise(table, {"sex": "monitoring.col.sex", "age_group": "monitoring.col.age_group",
                            "numerator": "monitoring.col.numerator",
                            "denominator": "monitoring.col.denominator",
                            "value": "monitoring.col.value"}, lang,
                    formats={"numerator": _num(lang), "denominator": _num(lang),
                             "value": _num(lang, 0 if count else 1)},
                    categories={"sex": "monitoring.sex", "age_group": "monitoring.age_group"})
    if "suppressed" in table:  # a suppressed cell reads as such, not as "not recorded" (–)
        hidden = table["suppressed"].fillna(False).to_numpy(dtype=bool)
        for col in ("numerator", "denominator", "value"):
            if table[col].isna().all() and col == "denominator":
                continue  # a count indicator has no denominator
            missing = table[col].isna().to_numpy(dtype=bool)
            out.loc[hidden & missing, t(f"monitoring.col.{col}", lang)] = t(
                "passport.suppressed", lang)
    return out


def localise_outliers(outliers: pd.DataFrame, lang: str,
                      framework: IndicatorFramework | None = None) -> pd.DataFrame:
    framework = framework or load_framework()
    o = _with_marks(outliers, ["value", "median"])
    o = o.assign(element=o["indicator_id"].map(lambda e: framework.element(e).name.get(lang)))
    return localise(o, {"element": "monitoring.col.element", "period": "monitoring.col.period",
                        "sex": "monitoring.col.sex", "age_group": "monitoring.col.age_group",
                        "value": "monitoring.col.value", "median": "monitoring.col.median",
                        "method": "monitoring.col.method"}, lang,
                    formats={"value": _mark_or(lang, _num(lang)),
                             "median": _mark_or(lang, _num(lang, 1)),
                             "period": lambda v: format_period(v, lang)},
                    categories={"sex": "monitoring.sex", "age_group": "monitoring.age_group",
                                "method": "summary.outlier_method"})


def localise_breaches(breaches: pd.DataFrame, lang: str,
                      framework: IndicatorFramework | None = None) -> pd.DataFrame:
    framework = framework or load_framework()
    rules = {r.id: r.name.get(lang) for r in framework.validation_rules}
    b = _with_marks(breaches, ["left_value", "right_value"])
    b = b.assign(rule=b["rule_id"].map(rules))
    return localise(b, {"rule": "monitoring.col.rule", "period": "monitoring.col.period",
                        "sex": "monitoring.col.sex", "age_group": "monitoring.col.age_group",
                        "left_value": "monitoring.col.left_value",
                        "right_value": "monitoring.col.right_value"}, lang,
                    formats={"left_value": _mark_or(lang, _num(lang)),
                             "right_value": _mark_or(lang, _num(lang)),
                             "period": lambda v: format_period(v, lang)},
                    categories={"sex": "monitoring.sex", "age_group": "monitoring.age_group"})


def localise_share(share: pd.DataFrame, lang: str) -> pd.DataFrame:
    return localise(share, {"name": "monitoring.col.municipality",
                            "n_assessed": "monitoring.col.n_assessed",
                            "share_on_track": "monitoring.col.share_on_track"}, lang,
                    formats={"n_assessed": _num(lang), "share_on_track": _pct(lang)})


def localise_quality(summary: pd.DataFrame, lang: str) -> pd.DataFrame:
    return localise(summary, {"name": "monitoring.col.municipality",
                              "expected": "monitoring.col.expected",
                              "received": "monitoring.col.received",
                              "completeness": "monitoring.col.completeness",
                              "outliers": "monitoring.col.outliers",
                              "rule_breaches": "monitoring.col.rule_breaches"}, lang,
                    formats={"expected": _num(lang), "received": _num(lang),
                             "completeness": _pct(lang, 1), "outliers": _num(lang),
                             "rule_breaches": _num(lang)})


def localise_scorecard(totals: pd.DataFrame, agreement: pd.DataFrame, services: pd.DataFrame,
                       lang: str) -> pd.DataFrame:
    name_col = "service_name"
    shown = services.assign(service_name=display_names(services, lang),
                            provider=display_names(services, lang, "provider"))
    d = totals.merge(agreement[["service_id", "alpha", "icc"]], on="service_id").merge(
        shown[["service_id", name_col, "provider"]], on="service_id", how="left")
    d["interval"] = [f"{format_number(a, lang)}–{format_number(b, lang)}"
                     for a, b in zip(d["ci_low"], d["ci_high"], strict=True)]
    d["rank_range"] = [f"{a}–{b}" for a, b in zip(d["rank_low"], d["rank_high"], strict=True)]
    return localise(d, {"rank": "monitoring.col.rank", name_col: "monitoring.col.service",
                        "provider": "monitoring.col.provider",
                        "score_pct": "monitoring.col.score", "interval": "monitoring.col.interval",
                        "rank_range": "monitoring.col.rank_range",
                        "p_top3": "monitoring.col.p_top3",
                        "n_evaluators": "monitoring.col.evaluators",
                        "alpha": "monitoring.col.alpha", "icc": "monitoring.col.icc"}, lang,
                    formats={"score_pct": _num(lang, 1), "p_top3": _pct(lang),
                             "alpha": _num(lang, 2), "icc": _num(lang, 2)})


def localise_highlights(highlights: pd.DataFrame, services: pd.DataFrame, lang: str,
                        rubric=None) -> pd.DataFrame:
    from ..frameworks.rubric import load_rubric

    rubric = rubric or load_rubric()
    names = dict(zip(services["service_id"], display_names(services, lang), strict=True))
    std = {s.id: s.name.get(lang) for s in rubric.standards}
    h = highlights.assign(service=highlights["service_id"].map(names),
                          standard=highlights["standard_id"].map(std))
    return localise(h, {"service": "monitoring.col.service", "kind": "monitoring.col.kind",
                        "standard": "monitoring.col.standard", "score": "monitoring.col.value",
                        "gap": "monitoring.col.gap"}, lang,
                    formats={"score": _num(lang, 2), "gap": _num(lang, 2)},
                    categories={"kind": "monitoring.highlight"})


# -- first page and consistency (issue 13) --------------------------------------------------------
def first_page(tables: Mapping[str, pd.DataFrame], report: MunicipalityReport, lang: str,
               framework: IndicatorFramework | None = None) -> str:
    """The report's first page (HTML): findings and recommendations of
    :func:`socialkit.monitoring.findings.monitoring_findings`, with the municipality's rank by
    share on track among all municipalities of ``tables``."""
    from ..findings import first_page_html
    from .findings import monitoring_findings

    framework = framework or load_framework()
    peers = progress = None
    if {"indicator_values", "indicator_targets"} <= set(tables):
        peers = peer_share_on_track(tables["indicator_values"], tables["indicator_targets"],
                                    report.period, framework)
        progress = peer_progress(tables["indicator_values"], tables["indicator_targets"],
                                 report.period, framework)
    f = monitoring_findings(report, framework, peer_share=peers, peer_progress=progress)
    labels = findings_labels(framework, lang)
    lead = t("summary.lead.monitoring", lang, name=report.name, period=report.period)
    return first_page_html(f, lang, labels, lead=lead)


def findings_labels(framework: IndicatorFramework | None, lang: str = "en") -> dict[str, str]:
    """Names in ``lang`` of the ids the M&E findings use: the indicators."""
    framework = framework or load_framework()
    return {i.id: i.label(lang) for i in framework.indicators}


def peer_share_on_track(values: pd.DataFrame, targets: pd.DataFrame, period: str,
                        framework: IndicatorFramework | None = None) -> pd.DataFrame:
    """Share of indicators on track in ``period`` for every municipality (``unit_id, period,
    share_on_track, ...``): the peers a municipality's share is ranked among.

    Only ``period``'s targets (and the baselines) are evaluated, and the result is memoised on
    the data, so a batch computes it once for all its municipalities.
    """
    from ..memo import fingerprint, memoised
    from .progress import share_on_track

    framework = framework or load_framework()
    key = ("peer_share_on_track", fingerprint({"values": values, "targets": targets}),
           str(period), framework.model_dump_json())
    return memoised(key, lambda: share_on_track(
        _period_progress(values, targets, period, framework)))


def _period_progress(values: pd.DataFrame, targets: pd.DataFrame, period: str,
                     framework: IndicatorFramework) -> pd.DataFrame:
    """Progress of every municipality in ``period`` (only that period's targets and the
    baselines evaluated), memoised on the data: the peers of the first page."""
    from ..memo import fingerprint, memoised
    from .progress import compute_progress

    wanted = targets[(targets["kind"] == "baseline") | (targets["period"] == period)]

    def compute() -> pd.DataFrame:
        prog = compute_progress(values, wanted, framework)
        return prog[prog["period"] == period].reset_index(drop=True)

    key = ("period_progress", fingerprint({"values": values, "targets": targets}),
           str(period), framework.model_dump_json())
    return memoised(key, compute)


def peer_progress(values: pd.DataFrame, targets: pd.DataFrame, period: str,
                  framework: IndicatorFramework | None = None) -> pd.DataFrame:
    """Progress towards the target of every municipality and indicator in ``period`` (totals
    only): ``unit_id, indicator_id, progress``, the peers an off-track indicator is placed
    among on the first page. Memoised like :func:`peer_share_on_track`."""
    framework = framework or load_framework()
    prog = _period_progress(values, targets, period, framework)
    tot = prog[(prog["sex"] == "total") & (prog["age_group"] == "total")]
    return tot[["unit_id", "indicator_id", "progress"]].reset_index(drop=True)


def localise_consistency(issues: pd.DataFrame, lang: str,
                         framework: IndicatorFramework | None = None) -> pd.DataFrame:
    """:func:`~socialkit.monitoring.consistency.check_disaggregation_totals` in ``lang``."""
    framework = framework or load_framework()
    i = issues.assign(indicator=issues["indicator_id"].map(
        lambda x: framework.indicator(x).label(lang)))
    return localise(i, {"indicator": "monitoring.col.indicator",
                        "rule": "summary.consistency.col.rule",
                        "column": "summary.consistency.col.column",
                        "sex": "monitoring.col.sex", "age_group": "monitoring.col.age_group",
                        "parts": "summary.consistency.col.parts",
                        "total": "summary.consistency.col.total",
                        "difference": "summary.consistency.col.difference"}, lang,
                    formats={"parts": _num(lang, 1), "total": _num(lang, 1),
                             "difference": _num(lang, 1)},
                    categories={"rule": "summary.consistency.rule",
                                "column": "summary.consistency.column",
                                "sex": "monitoring.sex", "age_group": "monitoring.age_group"})


def localise_section_totals(issues: pd.DataFrame, lang: str,
                            framework: IndicatorFramework | None = None) -> pd.DataFrame:
    """:func:`~socialkit.monitoring.consistency.check_section_totals` in ``lang``: the
    indicator, the rule, the year's figure formed from the quarters (trends section), the
    year's figure of the progress table (the one the report uses) and the difference."""
    framework = framework or load_framework()
    i = issues.assign(indicator=issues["indicator_id"].map(
        lambda x: framework.indicator(x).label(lang)))
    return localise(i, {"indicator": "monitoring.col.indicator",
                        "rule": "summary.consistency.col.rule",
                        "parts": "summary.consistency.col.from_quarters",
                        "total": "summary.consistency.col.year_figure",
                        "difference": "summary.consistency.col.difference"}, lang,
                    formats={"parts": _num(lang, 1), "total": _num(lang, 1),
                             "difference": _num(lang, 1)},
                    categories={"rule": "summary.consistency.rule"})
