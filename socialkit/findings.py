"""Findings and recommendations: what matters most for one municipality, and what to do.

Each analysis package has a ``findings`` function (``socialkit.maturity.findings``,
``socialkit.vulnerability.findings``, ``socialkit.passport.findings``,
``socialkit.monitoring.findings``) that returns a :class:`Findings`: language-free records
(ids, numbers, the change since the last round or year, the position among peers) and
recommendations that each name the findings and the report section they rest on. This module
holds the types and turns them into text for a language: :func:`findings_table` (a frame, for
dashboards and exports) and :func:`first_page_html` (the report's first page after the cover).

Text comes from ``socialkit/i18n/*/summary.yaml``: a finding of kind ``k`` reads
``summary.finding.k``, a recommendation ``summary.recommendation.k``; their placeholders are
``{subject}``, ``{value}`` and the record's ``extra`` values (numbers formatted for the language,
ids replaced by the names the caller passes in ``labels``, a ``(number, unit)`` pair formatted
like a value).

>>> f = Finding("overall", "maturity_overall", value=62.5, unit="score", change=2.5,
...             since="2020-12", peer_rank=2, peer_n=6, peer_group="region")
>>> fs = Findings("maturity", "UA1", "2021-04", (f,), ())
>>> fs.frame()[["id", "value", "change", "peer_rank"]].values.tolist()
[['overall', 62.5, 2.5, 2]]
"""

from __future__ import annotations

import html as _html
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from decimal import Decimal

import pandas as pd

from .i18n import format_number, format_period, t, tn

__all__ = [
    "Finding",
    "Findings",
    "Recommendation",
    "findings_table",
    "first_page_html",
    "framework_fallback_note",
    "format_value",
    "recommendation_texts",
]

#: Units a finding's value may have, and the decimals it is shown with.
UNITS: dict[str, int] = {"score": 1, "index": 1, "per1000": 1, "percent": 1, "share": 0,
                         "points": 1, "score_points": 1, "count": 0, "people": 0, "settlements": 0, "km": 1,
                         "number": 1}


@dataclass(frozen=True)
class Finding:
    """One number that matters, with its change and its place among peers.

    Attributes
    ----------
    id : str
        Stable id within the report (``overall``, ``weakest``, ``off_track.care_plans``).
    kind : str
        Which sentence reads it (``summary.finding.<kind>``).
    subject : str, optional
        Id of what it is about (a dimension, indicator, facility kind, group).
    value : float, optional
    unit : str
        One of :data:`UNITS` (``percent`` values are 0–100, ``share`` values 0–1).
    change, since : float and str, optional
        Change of ``value`` since the round, year or quarter ``since``.
    peer_rank, peer_n, peer_group : optional
        Rank (1 = highest value) among ``peer_n`` peers of group ``region`` / ``size`` /
        ``all``; or ``peer_value``, the peers' pooled value or mean.
    section : str, optional
        i18n key of the report section holding the evidence.
    extra : mapping
        Other language-free values the sentence uses.
    """

    id: str
    kind: str
    subject: str | None = None
    value: float | None = None
    unit: str = "number"
    change: float | None = None
    since: str | None = None
    peer_value: float | None = None
    peer_rank: int | None = None
    peer_n: int | None = None
    peer_group: str | None = None
    section: str | None = None
    extra: Mapping[str, object] = field(default_factory=dict)
    comparable: bool = True  # False: a change over time means nothing here ("–", not "no data")


@dataclass(frozen=True)
class Recommendation:
    """One thing to do, traceable to the findings (``evidence``: their ids) and a section."""

    id: str
    kind: str
    subject: str | None = None
    evidence: tuple[str, ...] = ()
    section: str | None = None
    extra: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Findings:
    """The findings of one report for one municipality, most important first."""

    report: str
    municipality_id: str
    period: str | None
    findings: tuple[Finding, ...]
    recommendations: tuple[Recommendation, ...]

    def frame(self) -> pd.DataFrame:
        """The findings as a frame (one row each; ``extra`` as a dict column)."""
        cols = list(Finding.__dataclass_fields__)
        return pd.DataFrame([asdict(f) for f in self.findings], columns=cols)

    def recommendations_frame(self) -> pd.DataFrame:
        """The recommendations as a frame (``evidence`` as a tuple of finding ids)."""
        cols = list(Recommendation.__dataclass_fields__)
        return pd.DataFrame([asdict(r) for r in self.recommendations], columns=cols)

    def number(self, finding_id: str) -> int | None:
        """1-based position of a finding (what a recommendation's evidence cites)."""
        for i, f in enumerate(self.findings, start=1):
            if f.id == finding_id:
                return i
        return None


def format_value(value: float | None, unit: str, lang: str, signed: bool = False) -> str:
    """A value in its unit for ``lang`` (``62.5 of 100``, ``6.5 per 1,000``, ``41.8%``, ``12 km``).

    ``signed`` gives a change: ``+2.5``, ``−1.0``; a change of a percentage is in percentage
    points.
    """
    if value is None or pd.isna(value):
        return "–"
    v = float(value)
    if unit == "share":
        v *= 100
    decimals = UNITS.get(unit, 1)
    text = format_number(abs(v) if signed else v, lang, decimals)
    if signed:
        zero = format_number(0, lang, decimals)
        sign = "" if text == zero else ("+" if v > 0 else "−")
        text = sign + text
        if unit in ("share", "percent"):  # a change of a percentage is in points
            unit = "points"
        elif unit in ("score", "index"):  # a change of a 0-100 score is in points too
            unit = "score_points"
    # the plural form of the number as printed ("1 point", "1.0 points"; uk "5,0 бала")
    return tn(f"summary.unit.{unit}", Decimal(f"{abs(v):.{decimals}f}"), lang, v=text)


def _fill(values: Mapping[str, object], lang: str, labels: Mapping[str, str]) -> dict:
    out = {}
    for key, v in values.items():
        if isinstance(v, tuple) and len(v) == 2:  # (number, unit)
            out[key] = format_value(v[0], str(v[1]), lang)
        elif isinstance(v, bool) or v is None:
            out[key] = "" if v is None else str(v)
        elif isinstance(v, int):
            out[key] = format_number(v, lang)
        elif isinstance(v, float):
            out[key] = format_number(v, lang, 0 if float(v).is_integer() else 1)
        else:
            out[key] = labels.get(str(v), format_period(v, lang))
    return out


def _sentence(prefix: str, rec, lang: str, labels: Mapping[str, str]) -> str:
    kw = _fill(dict(rec.extra), lang, labels)
    kw["subject"] = labels.get(rec.subject, rec.subject or "") if rec.subject else ""
    if isinstance(rec, Finding):
        kw["value"] = format_value(rec.value, rec.unit, lang)
    key = f"{prefix}.{rec.kind}"
    count = rec.extra.get("n") if isinstance(rec.extra.get("n"), int) else None
    if count is not None:
        kw.pop("n")
        return tn(key, count, lang, **kw)
    return t(key, lang, **kw)


def _change(f: Finding, lang: str) -> str:
    if f.change is None or pd.isna(f.change):
        return t("summary.no_change", lang) if f.comparable else "–"
    return t("summary.change", lang, change=format_value(f.change, f.unit, lang, signed=True),
             since=f.since or "")


def _peers(f: Finding, lang: str) -> str:
    group = t(f"summary.peer_group.{f.peer_group or 'all'}", lang)
    if f.peer_rank is not None and f.peer_n:
        return t("summary.peer_rank", lang, rank=format_number(f.peer_rank, lang),
                 n=format_number(f.peer_n, lang), group=group)
    if f.peer_value is not None and not pd.isna(f.peer_value):
        return t("summary.peer_value", lang, value=format_value(f.peer_value, f.unit, lang),
                 group=group)
    return "–"


def findings_table(findings: Findings, lang: str = "en",
                   labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The findings as a localised table: number, finding, value, change, among peers."""
    labels = labels or {}
    rows = [{
        t("summary.col.number", lang): str(i),
        t("summary.col.finding", lang): _sentence("summary.finding", f, lang, labels),
        t("summary.col.value", lang): format_value(f.value, f.unit, lang),
        t("summary.col.change", lang): _change(f, lang),
        t("summary.col.peers", lang): _peers(f, lang),
    } for i, f in enumerate(findings.findings, start=1)]
    return pd.DataFrame(rows, columns=[t(f"summary.col.{c}", lang) for c in
                                       ("number", "finding", "value", "change", "peers")])


def _evidence(findings: Findings, r: Recommendation, lang: str) -> str:
    nums = [n for n in (findings.number(e) for e in r.evidence) if n is not None]
    parts = []
    if nums:
        parts.append(tn("summary.evidence_findings", len(nums), lang,
                        numbers=", ".join(str(n) for n in nums)))
    if r.section:
        parts.append(t("summary.evidence_section", lang, section=t(r.section, lang)))
    return "; ".join(parts)


def recommendation_texts(findings: Findings, lang: str = "en",
                         labels: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """Each recommendation as ``(sentence, evidence)`` in ``lang``, in order.

    ``evidence`` names the findings (by their number in :func:`findings_table`) and the
    report section it rests on (empty when it cites neither). The report's first page and the
    dashboard's at-a-glance page both read them from here.
    """
    labels = labels or {}
    return [(_sentence("summary.recommendation", r, lang, labels), _evidence(findings, r, lang))
            for r in findings.recommendations]


def framework_fallback_note(lang: str) -> str | None:
    """The note a report in ``lang`` carries once when a framework it read has texts that are
    not translated into ``lang`` and show in English (``None`` when every text is translated).
    """
    from .frameworks import untranslated_frameworks
    from .i18n import available_keys

    stems = untranslated_frameworks(lang)
    if not stems:
        return None
    keys = available_keys("en")
    names = [t(f"i18n.frameworks.{s}", lang) if f"i18n.frameworks.{s}" in keys else s
             for s in stems]
    return t("i18n.framework_fallback", lang, names="; ".join(names))


def first_page_html(findings: Findings, lang: str = "en",
                    labels: Mapping[str, str] | None = None, lead: str | None = None) -> str:
    """The first page of a report: what matters most and what to do, in ``lang``.

    An HTML ``<section class="sk-first-page">`` (the PDF renderer puts it right after the
    cover, before the contents): a heading, an optional ``lead`` sentence, the findings table
    (value, change, place among peers) and the numbered recommendations, each with the findings
    and the section it rests on.
    """
    labels = labels or {}
    esc = _html.escape
    out = ['<section class="sk-first-page" style="break-after: page; page-break-after: always">',
           f'<h2 class="sk-first-page-title">{esc(t("summary.heading", lang))}</h2>']
    if lead:
        out.append(f'<p class="sk-lead">{esc(lead)}</p>')
    out.append(f"<h3>{esc(t('summary.findings_heading', lang))}</h3>")
    if findings.findings:
        table = findings_table(findings, lang, labels)
        out.append('<table class="sk-findings"><thead><tr>'
                   + "".join(f"<th>{esc(c)}</th>" for c in table.columns) + "</tr></thead><tbody>")
        for row in table.itertuples(index=False):
            cells = "".join(
                f'<td{" class=" + chr(34) + "num" + chr(34) if j in (0, 2) else ""}>{esc(v)}</td>'
                for j, v in enumerate(row))
            out.append(f"<tr>{cells}</tr>")
        out.append("</tbody></table>")
    else:
        out.append(f"<p>{esc(t('summary.no_findings', lang))}</p>")
    out.append(f"<h3>{esc(t('summary.recommendations_heading', lang))}</h3>")
    if findings.recommendations:
        out.append('<ol class="sk-recommendations">')
        for sentence, ev in recommendation_texts(findings, lang, labels):
            out.append(f"<li>{esc(sentence)}"
                       + (f' <span class="sk-evidence">({esc(ev)})</span>' if ev else "")
                       + "</li>")
        out.append("</ol>")
    else:
        out.append(f"<p>{esc(t('summary.no_recommendations', lang))}</p>")
    out.append(f'<p class="sk-annex-note">{esc(t("summary.annex_note", lang))}</p>')
    fallback = framework_fallback_note(lang)
    if fallback:
        out.append(f'<p class="sk-annex-note sk-fallback-note">{esc(fallback)}</p>')
    out.append("</section>")
    return "\n".join(out)
