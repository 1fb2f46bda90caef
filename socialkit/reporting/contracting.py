"""PDFs of the state social order: the call for proposals, the competition protocol and the
contract monitoring report.

The HTML comes from :mod:`socialkit.contracting.display`; this module adds the suite's print
CSS (``templates/report.css``), an A4 page with a running header (the document's title) and
footer (page n of m, in the report's language) and lays it out with WeasyPrint
(:func:`~socialkit.reporting.render.html_to_pdf`).
"""

from __future__ import annotations

import html

from ..contracting import evaluate
from ..contracting.display import (
    call_html,
    monitoring_report_html,
    overview_html,
    protocol_html,
)
from ..contracting.model import ContractingData
from .render import _base_css, _css_page_of, _css_string, html_to_pdf

__all__ = ["call_pdf", "monitoring_report_pdf", "overview_pdf", "protocol_pdf"]


def _page(title: str, body: str, lang: str) -> str:
    box = 'font-family: "DejaVu Sans", sans-serif; font-size: 7.5pt; color: #555;'
    css = f"""
@page {{ size: A4; margin: 17mm 15mm 16mm 15mm;
  @top-left {{ content: {_css_string(title)}; {box} vertical-align: bottom; padding-bottom: 2mm; }}
  @bottom-right {{ content: {_css_page_of(lang)}; {box} vertical-align: top; padding-top: 2mm; }}
}}
h1 {{ font-size: 15pt; }}
h3 {{ font-size: 10.5pt; margin: 3mm 0 1.5mm 0; }}
table {{ width: 100%; font-size: 8pt; }}
th, td {{ padding: 0.9mm 1.8mm; }}
th, td {{ overflow-wrap: break-word; hyphens: auto; }}
thead th {{ hyphens: manual; }}
.id, td.id, th.id {{ white-space: nowrap; hyphens: manual; overflow-wrap: normal; }}
td.num {{ white-space: nowrap; }} th.num {{ white-space: normal; }}
table.facts th {{ width: 34%; text-align: left; vertical-align: top; }}
ul.just {{ margin: 0; padding-left: 1em; }}
p.note {{ font-size: 8pt; color: #555; }}
"""
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title><style>{_base_css()}{css}</style></head>"
            f'<body><main class="report">{body}</main></body></html>')


def protocol_pdf(data: ContractingData, competition_id: str, lang: str = "en",
                 step: float = 0.10) -> bytes:
    """The protocol of ``competition_id`` as PDF bytes."""
    title, body = protocol_html(data, evaluate(data), competition_id, lang, step)
    return html_to_pdf(_page(title, body, lang))


def monitoring_report_pdf(data: ContractingData, contract_id: str, lang: str = "en") -> bytes:
    """The monitoring report of ``contract_id`` as PDF bytes."""
    title, body = monitoring_report_html(data, contract_id, lang)
    return html_to_pdf(_page(title, body, lang))


def call_pdf(data: ContractingData, competition_id: str, lang: str = "ru") -> bytes:
    """The call for proposals of ``competition_id`` as PDF bytes (Russian by default)."""
    title, body = call_html(data, competition_id, lang)
    return html_to_pdf(_page(title, body, lang))


def overview_pdf(data: ContractingData, lang: str = "en") -> bytes:
    """The regional overview of every contract of a region-year as PDF bytes."""
    title, body = overview_html(data, lang)
    return html_to_pdf(_page(title, body, lang))
