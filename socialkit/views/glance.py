"""At-a-glance page: where the chosen municipality stands and what needs a decision.

The page shows the findings and recommendations of the four PDF reports' first pages
(:func:`socialkit.maturity.findings.maturity_findings`,
:func:`socialkit.vulnerability.findings.needs_findings`,
:func:`socialkit.passport.findings.passport_findings`,
:func:`socialkit.monitoring.findings.monitoring_findings`), worded by
:func:`socialkit.findings.findings_table` and :func:`socialkit.findings.recommendation_texts`:
one source for the report and the dashboard, no rule computed here. The analyses are read
through the same process-wide cache as the other pages, so opening a page after this one costs
nothing more.

What it shows is grouped in a handful of cards (:data:`CARDS`): digital maturity, the most
vulnerable settlements, services out of reach, M&E indicators and vulnerable groups, each
with its value, its change since the last round or year and a sentence; then the
recommendations ("needs a decision").

Scoping: for a user limited to some municipalities, needs ranks are among the settlements they
see (as on the Needs page), the passport's oblast rate is withheld where it would reveal a
municipality they may not see (as on the Passport page), and a rank among all municipalities
(maturity in the oblast, needs of the municipality, M&E share on track) is not shown.
Counts of people below the disclosure threshold (:func:`socialkit.disclosure.resolve_threshold`)
are shown as "–".
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd
import panel as pn

from ..errors import SocialkitError
from ..findings import Finding, Findings, findings_table, recommendation_texts
from .base import Page, module_available

__all__ = ["CARDS", "GlanceCard", "GlancePage", "glance_cards", "glance_findings"]

#: Card id -> (report, predicate on a finding id): which findings each card shows, in order.
CARDS: dict[str, tuple[str, Callable[[str], bool]]] = {
    "maturity": ("maturity", lambda fid: True),
    "vulnerable": ("needs", lambda fid: fid in ("top", "place")),
    "reach": ("needs", lambda fid: fid.startswith("beyond.")),
    "indicators": ("monitoring", lambda fid: True),
    "groups": ("passport", lambda fid: not fid.startswith("reach")),
}
#: The passport's "settlements beyond reach" fills the reach card when the needs analysis
#: (which measures the same distance) has nothing to say.
_ALSO = {"reach": ("passport", lambda fid: fid == "reach")}
#: Analysis module each report needs.
_MODULES = {"maturity": "socialkit.maturity", "needs": "socialkit.vulnerability",
            "passport": "socialkit.passport", "monitoring": "socialkit.monitoring"}
_PEOPLE_UNITS = ("people",)


@dataclass(frozen=True)
class GlanceItem:
    """One finding as shown: sentence, value, change (with its direction) and peers."""

    sentence: str
    value: str
    change: str
    direction: int  # +1 up, -1 down, 0 none/flat
    peers: str


@dataclass(frozen=True)
class GlanceCard:
    """One card of the page: its title, findings (the first is the headline) or a note."""

    id: str
    title: str
    items: tuple[GlanceItem, ...]
    note: str = ""


# -- computing the findings (through the pages' shared cache) ----------------------------------
def _maturity(state) -> tuple[Findings, dict]:
    from ..maturity import report
    from ..maturity.findings import maturity_findings
    from .maturity import _assess

    result = state.data.computed("maturity.assess", _assess)
    return (maturity_findings(result, state.municipality_id),
            report.labels(result, state.lang))


def _municipal_vulnerability(data):
    from ..vulnerability import vulnerability_index
    from .needs import _TABLES

    return vulnerability_index({n: data.table(n) for n in _TABLES}, level="municipality")


def _needs(state, visible) -> tuple[Findings, dict]:
    from ..vulnerability.findings import needs_findings, needs_labels
    from .needs import _scoped_vulnerability

    result = state.data.computed("needs.scoped_vulnerability", _scoped_vulnerability, visible)
    municipal = None
    if visible is None:
        municipal = state.data.computed("glance.municipal_vulnerability",
                                        _municipal_vulnerability)
    return (needs_findings(result, municipal, state.municipality_id),
            needs_labels(result, state.lang))


def _passport(state, visible) -> tuple[Findings, dict]:
    from ..passport.display import findings_labels
    from ..passport.findings import passport_findings
    from .passport import _build

    p = state.data.computed("passport", _build, state.municipality_id, visible)
    return passport_findings(p), findings_labels(p, state.lang)


def _peer_share(data, period: str):
    from ..monitoring import load_framework
    from ..monitoring.report import peer_share_on_track

    return peer_share_on_track(data.table("indicator_values"), data.table("indicator_targets"),
                               period, load_framework())


def _monitoring(state, visible) -> tuple[Findings, dict]:
    from ..monitoring import load_framework
    from ..monitoring.findings import monitoring_findings
    from ..monitoring.report import findings_labels
    from .monitoring import _report

    framework = load_framework()
    rep = state.data.computed("monitoring.report", _report, state.municipality_id)
    peers = None
    if visible is None:
        peers = state.data.computed("glance.peer_share", _peer_share, rep.period)
    return (monitoring_findings(rep, framework, peer_share=peers),
            findings_labels(framework, state.lang))


_REPORTS: dict[str, Callable] = {
    "maturity": lambda state, visible: _maturity(state),
    "needs": _needs,
    "passport": _passport,
    "monitoring": _monitoring,
}
#: Tables without which a report has nothing to say about a municipality.
_NEEDS_TABLE = {"maturity": "maturity_responses", "needs": "passport_values",
                "passport": "passport_values", "monitoring": "indicator_values"}


def _scoped(findings: Findings, visible) -> Findings:
    """Without ranks among municipalities the user may not see (``visible`` is not None)."""
    if visible is None:
        return findings
    keep = {"settlements"}  # needs ranks are already among the visible settlements
    found = tuple(f if f.peer_group in keep or f.peer_rank is None else dataclasses.replace(
        f, peer_rank=None, peer_n=None) for f in findings.findings)
    return dataclasses.replace(findings, findings=found)


def _guarded(findings: Findings, threshold: int) -> Findings:
    """Counts of 1 … ``threshold`` − 1 people withheld (value ``None``, shown as "–")."""
    found = tuple(
        dataclasses.replace(f, value=None)
        if f.unit in _PEOPLE_UNITS and f.value is not None and not pd.isna(f.value)
        and 1 <= float(f.value) < threshold else f
        for f in findings.findings)
    return dataclasses.replace(findings, findings=found)


def glance_findings(state) -> dict[str, tuple[Findings, dict] | str]:
    """The four reports' findings for the session's municipality, scoped.

    Returns ``{report: (findings, labels)}``, or ``{report: message}`` when the report cannot
    be built (analysis not installed, no data for the municipality, bad data).
    """
    from ..disclosure import resolve_threshold

    tr = state.tr
    mid = state.scope.check(state.municipality_id)
    visible = None if state.scope.allowed is None else tuple(state.visible_ids)
    threshold = resolve_threshold()
    out: dict[str, tuple[Findings, dict] | str] = {}
    for report, build in _REPORTS.items():
        if not module_available(_MODULES[report]):
            out[report] = tr("views.not_available", module=_MODULES[report])
            continue
        if state.frame(_NEEDS_TABLE[report], mid).empty:
            out[report] = tr("glance.no_data")
            continue
        try:
            findings, labels = build(state, visible)
        except SocialkitError as exc:
            out[report] = tr("views.error_page", error=str(exc))
            continue
        out[report] = (_guarded(_scoped(findings, visible), threshold), labels)
    return out


# -- wording -----------------------------------------------------------------------------------
def _direction(f: Finding) -> int:
    if f.change is None or pd.isna(f.change) or abs(float(f.change)) < 1e-9:
        return 0
    return 1 if f.change > 0 else -1


def glance_cards(found: Mapping[str, tuple[Findings, dict] | str], lang: str,
                 tr: Callable[..., str]) -> list[GlanceCard]:
    """The cards of :data:`CARDS` in ``lang`` from :func:`glance_findings`' result."""
    cards = []
    for card, (report, wanted) in CARDS.items():
        sources = [(report, wanted)] + ([_ALSO[card]] if card in _ALSO else [])
        items: list[GlanceItem] = []
        note = ""
        for rep, pick in sources:
            if items and rep != report:  # the passport's reach only when needs said nothing
                break
            got = found.get(rep)
            if got is None:
                continue
            if isinstance(got, str):
                note = note or got
                continue
            findings, labels = got
            chosen = [i for i, f in enumerate(findings.findings) if pick(f.id)]
            if not chosen:
                continue
            rows = findings_table(findings, lang, labels)
            for i in chosen:
                row = rows.iloc[i]
                items.append(GlanceItem(sentence=str(row.iloc[1]), value=str(row.iloc[2]),
                                        change=str(row.iloc[3]),
                                        direction=_direction(findings.findings[i]),
                                        peers=str(row.iloc[4])))
        if not items and not note:
            note = tr(f"glance.none.{card}")
        cards.append(GlanceCard(card, tr(f"glance.cards.{card}"), tuple(items),
                                note if not items else ""))
    return cards


def glance_alerts(found: Mapping[str, tuple[Findings, dict] | str], lang: str,
                  tr: Callable[..., str]) -> list[tuple[str, str]]:
    """``(recommendation, source)`` of every report, the reports in :data:`_REPORTS` order."""
    out = []
    for report, got in found.items():
        if isinstance(got, str):
            continue
        findings, labels = got
        for sentence, _evidence in recommendation_texts(findings, lang, labels):
            out.append((sentence, tr(f"glance.reports.{report}")))
    return out


_ARROWS = {1: "▲", -1: "▼", 0: ""}

_CSS = """
:host { width: 100%; }
.sk-glance-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(290px, 1fr));
  gap: 12px; margin: 4px 10px 12px 10px; }
.sk-card { border: 1px solid #d0d7de; border-radius: 6px; padding: 10px 14px; background: #fff;
  min-width: 0; overflow-wrap: anywhere; }
.sk-card h3 { margin: 0 0 6px 0; font-size: 1.05em; color: #0b3d63; }
.sk-card .sk-big { font-size: 1.9em; font-weight: 600; line-height: 1.15; }
.sk-card .sk-trend { color: #444; margin: 2px 0 4px 0; }
.sk-card .sk-sentence { margin: 4px 0; }
.sk-card .sk-peers { color: #555; font-size: 0.92em; }
.sk-card ul { margin: 6px 0 0 0; padding-left: 18px; }
.sk-card li { margin: 3px 0; }
.sk-card .sk-note { color: #555; }
.sk-alerts { margin: 4px 10px 12px 10px; padding-left: 24px; }
.sk-alerts li { margin: 4px 0; overflow-wrap: anywhere; }
.sk-alerts .sk-source { color: #555; font-size: 0.92em; }
"""


def _item_html(item: GlanceItem, headline: bool) -> str:
    esc = html.escape
    arrow = _ARROWS[item.direction]
    trend = f"{arrow} {item.change}".strip()
    peers = "" if item.peers == "–" else item.peers
    if headline:
        return (f'<div class="sk-sentence">{esc(item.sentence)}</div>'
                f'<div class="sk-big">{esc(item.value)}</div>'
                + (f'<div class="sk-trend">{esc(trend)}</div>' if trend != "–" else "")
                + (f'<div class="sk-peers">{esc(peers)}</div>' if peers else ""))
    bits = [esc(item.value)] + ([esc(trend)] if trend != "–" else []) + (
        [esc(peers)] if peers else [])
    return f"<li>{esc(item.sentence)}: {' · '.join(bits)}</li>"


def glance_html(cards: list[GlanceCard]) -> str:
    """The cards as HTML (a grid that wraps to one column on a phone)."""
    out = ['<div class="sk-glance-cards">']
    for card in cards:
        out.append(f'<section class="sk-card sk-card-{card.id}">'
                   f"<h3>{html.escape(card.title)}</h3>")
        if card.items:
            out.append(_item_html(card.items[0], True))
            if len(card.items) > 1:
                out.append("<ul>" + "".join(_item_html(i, False) for i in card.items[1:])
                           + "</ul>")
        else:
            out.append(f'<p class="sk-note">{html.escape(card.note)}</p>')
        out.append("</section>")
    out.append("</div>")
    return "".join(out)


def alerts_html(alerts: list[tuple[str, str]], none: str) -> str:
    if not alerts:
        return f'<p class="sk-alerts">{html.escape(none)}</p>'
    return ('<ol class="sk-alerts">' + "".join(
        f'<li>{html.escape(s)} <span class="sk-source">({html.escape(src)})</span></li>'
        for s, src in alerts) + "</ol>")


class GlancePage(Page):
    """The first page: the figures that matter for the chosen municipality, and what to do."""

    page_id = "glance"
    title_key = "glance.page"

    def render(self) -> pn.viewable.Viewable:
        state = self.state
        tr, lang = state.tr, state.lang
        found = glance_findings(state)
        cards = glance_cards(found, lang, tr)
        alerts = glance_alerts(found, lang, tr)
        scoped = state.scope.allowed is not None
        intro = tr("glance.intro", name=state.municipality_name())
        if scoped:
            intro += " " + tr("glance.scoped_note")
        return pn.Column(
            pn.pane.Markdown(intro, margin=(0, 10), css_classes=["sk-glance-intro"]),
            pn.pane.HTML(glance_html(cards), stylesheets=[_CSS], sizing_mode="stretch_width",
                         css_classes=["sk-glance"]),
            pn.pane.Markdown(f"## {tr('glance.alerts_heading')}", margin=(0, 10),
                             disable_anchors=True),
            pn.pane.HTML(alerts_html(alerts, tr("glance.alerts_none")), stylesheets=[_CSS],
                         sizing_mode="stretch_width", css_classes=["sk-glance-alerts"]),
            self.how_computed(tr("glance.how_text")),
            sizing_mode="stretch_width",
        )
