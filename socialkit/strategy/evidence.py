"""The evidence pack: the problems the data shows for a municipality or a district.

Built from what socialkit already computes, through each analysis' own findings
(:mod:`socialkit.findings`): the social passport (:func:`socialkit.passport.findings.passport_findings`),
the needs analysis and access to services (:func:`socialkit.vulnerability.findings.needs_findings`,
distances and reach from :mod:`socialkit.access`), digital maturity
(:func:`socialkit.maturity.findings.maturity_findings`) and M&E
(:func:`socialkit.monitoring.findings.monitoring_findings`). Every finding becomes an *evidence
item* with its figures (value, unit, change and since when, place among peers) and its source
(the tables it was computed from and the year, round or period). Items a working group writes by
hand — figures from the statistics office or a directorate's annual report — come from the
cycle's ``evidence_items`` table (ids ``manual.*``).

An item is a *problem* when its finding's kind says something is wrong (:data:`PROBLEM_KINDS`:
a group's rate above the oblast's, a rising rate, settlements out of reach of a service, the
settlement in greatest need, the weakest or a falling digital-maturity dimension, an indicator
off track, inconsistent data); the others (the overall maturity score, the share of indicators on
track, the municipality's place) are context.

Item ids are ``<report>.<finding id>`` (``needs.beyond.social_service_centre``); in a district
pack, where the same finding exists for several municipalities, ``@<municipality_id>`` is
appended. Speed: the analyses memoise their whole-data-set steps (the index of every settlement,
the oblast and peer pools, the maturity assessment, the peers' share on track) on the content of
the tables (:mod:`socialkit.memo`), so a batch of packs computes them once; see
``benchmarks/bench_strategy.py``.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..findings import Findings, findings_table
from ..i18n import display_name, display_names, t

__all__ = ["AREAS", "PROBLEM_KINDS", "EvidencePack", "build_evidence", "evidence_context",
           "match_items"]

#: Finding kinds that describe a problem (the others are context).
PROBLEM_KINDS: frozenset[str] = frozenset({
    "passport_above", "passport_rising", "passport_reach", "needs_beyond",
    "needs_top_settlement", "maturity_weakest", "maturity_fell", "monitoring_off_track",
    "monitoring_inconsistent"})

#: The analysis area of a finding kind (default: its report).
_AREA_OF_KIND = {"needs_beyond": "access", "passport_reach": "access"}

#: Areas in the order the pack shows them.
AREAS: tuple[str, ...] = ("passport", "needs", "access", "maturity", "monitoring", "manual")

#: Tables each report computes from (the item's source).
SOURCES: dict[str, tuple[str, ...]] = {
    "passport": ("passport_values", "settlements", "facilities"),
    "needs": ("passport_values", "settlements", "facilities"),
    "maturity": ("maturity_responses",),
    "monitoring": ("indicator_values", "indicator_targets"),
}

_COLUMNS = ["item_id", "municipality_id", "area", "report", "kind", "subject", "value", "unit",
            "change", "since", "peer_rank", "peer_n", "peer_group", "source", "period",
            "problem"]


@dataclass(frozen=True)
class EvidencePack:
    """The evidence of one municipality or district.

    Attributes
    ----------
    unit_id : str
        The municipality's id, or the cycle's id for a district.
    municipality_ids : tuple of str
    items : DataFrame
        One row per item (columns of ``_COLUMNS`` plus ``text_<lang>`` for each language
        built: the finding's sentence, or a hand-written item's title).
    names : mapping
        ``{lang: {municipality_id: name}}``.
    """

    unit_id: str
    municipality_ids: tuple[str, ...]
    items: pd.DataFrame
    names: Mapping[str, Mapping[str, str]]

    @property
    def ids(self) -> set[str]:
        return set(self.items["item_id"])

    def problems(self) -> pd.DataFrame:
        return self.items[self.items["problem"].to_numpy(bool)]

    def text(self, item_id: str, lang: str) -> str:
        row = self.items.loc[self.items["item_id"] == item_id]
        if row.empty:
            return item_id
        col = f"text_{lang}" if f"text_{lang}" in row else "text_en"
        return str(row.iloc[0][col])


def match_items(patterns: Sequence[str], item_ids: Sequence[str]) -> list[str]:
    """Item ids matching any of the glob ``patterns`` (the ``@municipality`` suffix ignored).

    >>> match_items(["needs.beyond.*"], ["needs.beyond.school@UA1", "needs.top"])
    ['needs.beyond.school@UA1']
    """
    return [i for i in item_ids
            if any(fnmatch.fnmatchcase(i.split("@")[0], p) for p in patterns)]


def _labels(report: str, ctx: dict, lang: str) -> dict[str, str]:
    if report == "passport":
        spec = ctx["passport_spec"]
        out = {g: t(f"passport.groups.{g}", lang) for g in spec.group_ids}
        out.update({k: t(f"passport.facility_kinds.{k}", lang) for k in spec.facility_kinds})
        return out
    if report == "needs":
        key = ("needs_labels", lang)  # every settlement's name: once per batch and language
        if key not in ctx:
            s = ctx["settlements"].scores
            out = {k: t(f"passport.facility_kinds.{k}", lang) for k in ctx["passport_spec"]
                   .facility_kinds}
            out.update(dict(zip(s["unit_id"].astype(str), display_names(s, lang),
                                strict=True)))
            ctx[key] = out
        return ctx[key]
    if report == "maturity":
        from ..maturity.report import labels

        return labels(ctx["maturity"], lang)
    if report == "monitoring":
        return {i.id: i.label(lang) for i in ctx["framework"].indicators}
    return {}


def _findings(tables: Mapping[str, pd.DataFrame], mid: str, ctx: dict) -> list[Findings]:
    from ..passport import build_passport
    from ..passport.findings import passport_findings
    from ..vulnerability.findings import needs_findings

    out = []
    if {"passport_values", "settlements", "facilities"} <= set(tables):
        p = build_passport(tables, mid)
        ctx["passport_spec"] = p.spec
        out.append(passport_findings(p))
        out.append(needs_findings(ctx["settlements"], ctx["municipalities"], mid))
    if ctx.get("maturity") is not None:
        from ..maturity.findings import maturity_findings

        out.append(maturity_findings(ctx["maturity"], mid))
    if {"indicator_values", "indicator_targets"} <= set(tables):
        from ..monitoring import report as mr
        from ..monitoring.findings import monitoring_findings

        fw = ctx["framework"]
        rep = mr.municipality_report(tables, mid, "en", fw)
        peers = mr.peer_share_on_track(tables["indicator_values"], tables["indicator_targets"],
                                       rep.period, fw)
        out.append(monitoring_findings(rep, fw, peer_share=peers))
    return out


def evidence_context(tables: Mapping[str, pd.DataFrame], catalog: str | Path | None = None,
                     local_langs: Sequence[str] = ()) -> dict:
    """What every pack of a batch shares (the index of every settlement and municipality,
    the maturity assessment, the indicator framework): compute once, pass to
    :func:`build_evidence` as ``context``."""
    from ..monitoring import load_framework
    from ..vulnerability import vulnerability_index

    ctx: dict = {"local_langs": tuple(local_langs), "framework": load_framework()}
    if {"passport_values", "settlements", "facilities"} <= set(tables):
        ctx["settlements"] = vulnerability_index(tables, "settlement")
        ctx["municipalities"] = vulnerability_index(tables, "municipality")
    if "maturity_responses" in tables and catalog is not None:
        from ..maturity.files import assess_catalog

        ctx["maturity"] = assess_catalog(Path(catalog))
    return ctx


def _manual_items(manual: pd.DataFrame | None, unit_id: str, langs: Sequence[str],
                  local_langs: tuple[str, ...]) -> pd.DataFrame:
    """The hand-written items; readers of ``local_langs`` get ``title_local``."""
    if manual is None or manual.empty:
        return pd.DataFrame(columns=_COLUMNS)
    m = manual
    out = pd.DataFrame({
        "item_id": m["item_id"], "municipality_id": unit_id, "area": m["area"],
        "report": "manual", "kind": "manual", "subject": None, "value": m["value"],
        "unit": m["unit"], "change": None, "since": None, "peer_rank": None, "peer_n": None,
        "peer_group": None, "source": m["source"], "period": m["period"], "problem": True})
    for lang in langs:
        out[f"text_{lang}"] = (m["title_local"] if lang in local_langs else m["title"]).to_numpy()
    return out


def build_evidence(tables: Mapping[str, pd.DataFrame] | None, municipality_ids: Sequence[str],
                   unit_id: str | None = None, langs: Sequence[str] = ("en",),
                   catalog: str | Path | None = None, manual: pd.DataFrame | None = None,
                   local_langs: Sequence[str] = (), context: dict | None = None
                   ) -> EvidencePack:
    """Build the evidence pack of one municipality, or of a district (several).

    Parameters
    ----------
    tables : mapping of DataFrame, optional
        The catalog's tables (:func:`socialkit.data.load_all`); None: only ``manual`` items.
    municipality_ids : sequence of str
    unit_id : str, optional
        The pack's id (default: the only municipality's id).
    langs : sequence of str
        Languages the items' sentences are written in (``text_<lang>`` columns).
    catalog : path, optional
        The catalog, for the digital-maturity assessment (read through its memoised loader).
    manual : DataFrame, optional
        The cycle's ``evidence_items`` (hand-written items).
    local_langs : sequence of str
        Languages that read the hand-written items' ``title_local`` (the cycle's language);
        place names follow :func:`socialkit.i18n.display_name`.
    context : dict, optional
        :func:`evidence_context` of ``tables``, shared by a batch (default: computed here).

    Returns
    -------
    EvidencePack
    """
    municipality_ids = tuple(municipality_ids)
    unit_id = unit_id or (municipality_ids[0] if len(municipality_ids) == 1 else "district")
    local_langs = tuple(local_langs)
    district = len(municipality_ids) > 1
    rows = []
    names: dict[str, dict[str, str]] = {lang: {} for lang in langs}
    if tables is not None and municipality_ids:
        munis = tables["municipalities"].set_index("municipality_id")
        ctx = context if context is not None else evidence_context(tables, catalog, local_langs)
        for mid in municipality_ids:
            for lang in langs:
                names[lang][mid] = (display_name(munis.loc[mid], lang) if mid in munis.index
                                    else mid)
            for f in _findings(tables, mid, ctx):
                if not f.findings:
                    continue
                texts = {lang: findings_table(f, lang, _labels(f.report, ctx, lang)).iloc[:, 1]
                         .tolist() for lang in langs}
                for j, x in enumerate(f.findings):
                    row = {
                        "item_id": f"{f.report}.{x.id}" + (f"@{mid}" if district else ""),
                        "municipality_id": mid,
                        "area": _AREA_OF_KIND.get(x.kind, f.report), "report": f.report,
                        "kind": x.kind, "subject": x.subject, "value": x.value, "unit": x.unit,
                        "change": x.change, "since": x.since, "peer_rank": x.peer_rank,
                        "peer_n": x.peer_n, "peer_group": x.peer_group,
                        "source": ", ".join(SOURCES.get(f.report, ())), "period": f.period,
                        "problem": x.kind in PROBLEM_KINDS}
                    row.update({f"text_{lang}": texts[lang][j] for lang in langs})
                    rows.append(row)
    text_cols = [f"text_{lang}" for lang in langs]
    items = pd.DataFrame(rows, columns=_COLUMNS + text_cols)
    extra = _manual_items(manual, unit_id, langs, local_langs)
    if len(extra):
        items = pd.concat([items, extra[_COLUMNS + text_cols]], ignore_index=True) \
            if len(items) else extra[_COLUMNS + text_cols].reset_index(drop=True)
    order = {a: i for i, a in enumerate(AREAS)}
    items = items.assign(_a=items["area"].map(order).fillna(len(AREAS))).sort_values(
        ["_a", "municipality_id"], kind="stable").drop(columns="_a").reset_index(drop=True)
    items["problem"] = items["problem"].astype(bool)
    return EvidencePack(unit_id, municipality_ids, items, names)
