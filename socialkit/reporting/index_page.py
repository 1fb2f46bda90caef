"""``index.html``: one offline page linking every PDF of an output folder (relative links)."""

from __future__ import annotations

import html
import urllib.parse
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..files import atomic_write_text
from ..i18n import format_date, t

__all__ = ["render_index", "write_index"]

_STYLE = """
body { font-family: "DejaVu Sans", sans-serif; margin: 2rem; color: #1a1a1a; }
h1 { color: #0b3d6b; } table { border-collapse: collapse; }
th, td { padding: .3rem .7rem; border-bottom: 1px solid #c8cfd8; text-align: left; vertical-align: top; }
th { background: #e8eef5; } .failed { color: #b00020; } .error { font-size: .85em; color: #555; }
"""


def _link(path: str, label: str) -> str:
    href = urllib.parse.quote(path)
    return f'<a href="{html.escape(href)}">{html.escape(label)}</a>'


def render_index(records: Iterable[dict[str, Any]], lang: str, generated: str) -> str:
    """The HTML of the index page for manifest ``records``."""
    records = sorted(records, key=lambda r: (str(r.get("municipality", "")),
                                             str(r.get("report")), str(r.get("lang"))))
    ok = sum(r.get("status") in ("ok", "skipped") for r in records)
    failed = sum(r.get("status") == "failed" for r in records)
    rows = []
    for r in records:
        status = str(r.get("status"))
        pdf = str(r.get("output") or "")
        title = t(f"reporting.title.{r.get('report')}", lang)
        if status == "failed":
            cells = [_link(pdf, t("reporting.index.earlier_version", lang)) if pdf else ""]
            if r.get("failed_notebook"):
                cells.append(_link(str(r["failed_notebook"]),
                                   t("reporting.index.debug_notebook", lang)))
            file_cell = " · ".join(c for c in cells if c)
            file_cell += f'<div class="error">{html.escape(str(r.get("error") or ""))}</div>'
        else:
            file_cell = _link(pdf, Path(pdf).name)
        rows.append(
            f'<tr class="{html.escape(status)}"><td>{html.escape(str(r.get("municipality")))}'
            f' <span class="error">{html.escape(str(r.get("municipality_id")))}</span></td>'
            f"<td>{html.escape(title)}</td><td>{html.escape(str(r.get('lang')))}</td>"
            f"<td>{html.escape(t('reporting.status.' + status, lang))}</td><td>{file_cell}</td></tr>"
        )
    head = "".join(f"<th>{html.escape(t('reporting.index.' + k, lang))}</th>"
                   for k in ("municipality", "report", "language", "status", "file"))
    intro = t("reporting.index.intro", lang, ok=ok, total=len(records), failed=failed,
              date=format_date(generated, lang))
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{html.escape(t('reporting.index.title', lang))}</title>"
        f"<style>{_STYLE}</style></head><body>"
        f"<h1>{html.escape(t('reporting.index.title', lang))}</h1><p>{html.escape(intro)}</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        "</body></html>\n"
    )


def write_index(out: Path, records: Iterable[dict[str, Any]], lang: str, generated: str) -> Path:
    """Write ``<out>/index.html`` atomically and return its path."""
    return atomic_write_text(Path(out) / "index.html", render_index(records, lang, generated))
