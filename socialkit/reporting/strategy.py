"""PDFs and workbooks of a strategy cycle (:mod:`socialkit.strategy`).

The strategy documents are not notebooks: their sections (HTML from
:mod:`socialkit.strategy.display`) are put into an in-memory notebook as display outputs and go
through the same print path as every report (:func:`socialkit.reporting.render.notebook_to_html`:
title page, contents, running header and footer; then WeasyPrint), so they look like the other
reports and need no kernel. Workbooks are openpyxl workbooks written by :mod:`socialkit.files`
(formula-like text stays text).
"""

from __future__ import annotations

import html as _html
from collections.abc import Sequence

import pandas as pd

from ..frameworks.strategy import label_of
from ..strategy.build import Strategy
from ..strategy.display import (
    Section,
    evidence_sections,
    implementation_sections,
    strategy_sections,
    unit_name,
)
from ..strategy.evidence import EvidencePack
from ..strategy.inputs import SCHEMAS, TRACKING_TABLES, Cycle
from ..strategy.tracking import Version
from .render import TitlePage, html_to_pdf, notebook_to_html, today

__all__ = ["catalog_evidence", "evidence_workbook", "plan_workbook", "render_evidence", "render_implementation",
           "render_strategy", "sections_html"]

#: A section with at most this many table rows and list items stays on one page with its heading (a longer
#: table may break between rows, its first two rows kept with the heading: no half-empty page).
_KEEP_ROWS = 6

PLAN_SHEETS: tuple[str, ...] = ("goals", "objectives", "objective_indicators", "actions",
                                "milestones")


def _notebook(sections: Sequence[Section]):
    import nbformat

    nb = nbformat.v4.new_notebook()
    for level, heading, body in sections:
        cell = nbformat.v4.new_code_cell(source="")
        html = f"<h{level}>{_html.escape(heading)}</h{level}>{body}"
        if body.count("<tr>") + body.count("<li>") <= _KEEP_ROWS:  # a short section stays whole
            html = f'<div class="sk-keep">{html}</div>'
        cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": html})]
        nb.cells.append(cell)
    return nb


def _title(cycle: Cycle, report: str, lang: str, name: str | None = None) -> TitlePage:
    return TitlePage(report=f"strategy.title.{report}", municipality=name or unit_name(cycle, lang),
                     region=label_of(cycle.meta.region, lang) if cycle.meta.region else "",
                     country=cycle.meta.country, data_as_of=cycle.meta.data_as_of,
                     synthetic=cycle.meta.synthetic, lang=lang, generated=today())


def sections_html(sections: Sequence[Section], title: TitlePage) -> str:
    """The print HTML of a list of sections (title page, contents, body)."""
    return notebook_to_html(_notebook(sections), title)


def render_evidence(cycle: Cycle, pack: EvidencePack, lang: str) -> bytes:
    """The evidence pack as a PDF in ``lang``."""
    name = unit_name(cycle, lang)
    return html_to_pdf(sections_html(evidence_sections(pack, lang, name),
                                     _title(cycle, "evidence", lang)))


def catalog_evidence(catalog, municipality_ids: Sequence[str] = (),
                     districts: Sequence[str] = (), lang: str = "en", pdf: bool = True
                     ) -> tuple[dict[str, object], list[str], int]:
    """Evidence packs straight from a catalog: one per municipality named (every one when
    neither municipalities nor districts are given) and one per district named.

    Returns ``({file name: workbook or PDF bytes}, names of the units, number of problems)``;
    nothing is written. An unknown municipality or district is a
    :class:`~socialkit.errors.SocialkitError` naming the option.
    """
    from ..data import load_all
    from ..data.loading import resolve_catalog
    from ..errors import SocialkitError
    from ..i18n import display_name
    from ..strategy.evidence import build_evidence, evidence_context
    from .catalog import catalog_info

    path = resolve_catalog(catalog)
    tables = load_all(path)
    munis = tables["municipalities"]
    by_id = munis.set_index("municipality_id", drop=False)
    units: list[tuple[str, list[str], str, str]] = []
    for d in districts:
        ids = munis.loc[munis["district"] == d, "municipality_id"].tolist()
        if not ids:
            raise SocialkitError(f"--district {d!r}: no municipality of {path} is in it; "
                                 "expected a value of the municipalities' district column, "
                                 "e.g. " + ", ".join(map(str, munis["district"].dropna()
                                                         .unique()[:3])))
        first = by_id.loc[ids[0]]
        units.append((f"district_{d}", ids, display_name(first, lang, "district"),
                      display_name(first, lang, "region")))
    known = set(munis["municipality_id"])
    for m in municipality_ids or ([] if districts else munis["municipality_id"].tolist()):
        if m not in known:
            raise SocialkitError(f"--municipality {m!r}: not a municipality_id of {path}")
        row = by_id.loc[m]
        units.append((m, [m], display_name(row, lang), display_name(row, lang, "region")))
    info = catalog_info(path)
    ctx = evidence_context(tables, path)
    files: dict[str, object] = {}
    problems = 0
    for unit, ids, name, region in units:
        pack = build_evidence(tables, ids, unit_id=unit, langs=(lang,), catalog=path,
                              context=ctx)
        files[f"evidence_{unit}_{lang}.xlsx"] = evidence_workbook(pack, lang)
        if pdf:
            title = TitlePage(report="strategy.title.evidence", municipality=name,
                              region=region, country=str(by_id.at[ids[0], "country"]),
                              data_as_of=info.data_as_of, synthetic=info.synthetic, lang=lang,
                              generated=today())
            files[f"evidence_{unit}_{lang}.pdf"] = html_to_pdf(
                sections_html(evidence_sections(pack, lang, name), title))
        problems += len(pack.problems())
    return files, [u[2] for u in units], problems


def render_strategy(strategy: Strategy, lang: str) -> bytes:
    """The strategy document (with the participation record and the answers annex)."""
    return html_to_pdf(sections_html(strategy_sections(strategy, lang),
                                     _title(strategy.cycle, "strategy", lang)))


def render_implementation(strategy: Strategy, versions: list[Version], year: str,
                          lang: str) -> bytes:
    """The yearly implementation report."""
    return html_to_pdf(sections_html(implementation_sections(strategy.cycle, versions, year, lang),
                                     _title(strategy.cycle, "implementation", lang)))


def _sheet(wb, name: str, frame: pd.DataFrame) -> None:
    ws = wb.create_sheet(name)
    ws.append([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        ws.append([None if (v is None or (not isinstance(v, str | tuple) and pd.isna(v)))
                   else (", ".join(v) if isinstance(v, tuple) else
                         v.item() if hasattr(v, "item") else v) for v in row])


def evidence_workbook(pack: EvidencePack, lang: str):
    """The evidence pack as a workbook for the working group: one row per item (sheet
    ``evidence``: id, area, municipality, problem or context, the sentence in ``lang``, value,
    unit, change, since, peers, source tables, period)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    items = pack.items
    frame = pd.DataFrame({
        "item_id": items["item_id"], "area": items["area"],
        "municipality_id": items["municipality_id"], "problem": items["problem"],
        "text": items[f"text_{lang}"] if f"text_{lang}" in items else items["text_en"],
        "value": items["value"], "unit": items["unit"], "change": items["change"],
        "since": items["since"], "peer_rank": items["peer_rank"], "peer_n": items["peer_n"],
        "source": items["source"], "period": items["period"]})
    _sheet(wb, "evidence", frame)
    return wb


def plan_workbook(cycle: Cycle, version: Version | None = None):
    """The workbook the working group edits: the plan's sheets and the progress sheets
    (``progress``, ``milestone_status``, ``indicator_actuals``), filled from ``version`` or
    with one row per action and milestone to fill in. Importing it back is
    ``socialkit strategy track --import``."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name in PLAN_SHEETS:
        _sheet(wb, name, cycle[name])
    if version is not None:
        tables = {t: getattr(version, t) for t in TRACKING_TABLES}
    else:
        tables = {
            "progress": pd.DataFrame({"action_id": cycle["actions"]["action_id"],
                                      "percent_done": 0.0, "status": "not_started",
                                      "note": None}),
            "milestone_status": pd.DataFrame({"milestone_id": cycle["milestones"]["milestone_id"],
                                              "done": "no", "done_date": None}),
            "indicator_actuals": pd.DataFrame(columns=list(SCHEMAS["indicator_actuals"].columns)),
        }
    for name in TRACKING_TABLES:
        _sheet(wb, name, tables[name][list(SCHEMAS[name].columns)])
    return wb
