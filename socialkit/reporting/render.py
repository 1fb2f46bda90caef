"""Executed notebook → print HTML (nbconvert, project template) → PDF (WeasyPrint).

No browser and no internet: nbconvert fills the ``socialkit_pdf`` template (in
``templates/``; outputs only — no code, prompts, stderr, tracebacks or scripts), this module
adds the title page, a contents list built from the report's ``h1``/``h2`` headings and the
localised running header and footer (CSS paged media: ``@page`` margin boxes with
``counter(page)``/``counter(pages)``, contents page numbers with ``target-counter``), and
WeasyPrint lays it out on A4. Figures arrive as SVG (HoloViews' Matplotlib backend under
``SOCIALKIT_STATIC_FIGURES=1``) and stay vector graphics. Text is set in DejaVu Sans (Debian
``fonts-dejavu``), found through fontconfig, so Cyrillic and Latin with diacritics
(Romanian ș ț, Serbian č ć đ š ž) print correctly.
"""

from __future__ import annotations

import datetime as _dt
import html as _html
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale

from .. import __version__, config
from ..i18n import format_date, t

__all__ = [
    "TEMPLATES_DIR",
    "TitlePage",
    "html_to_pdf",
    "notebook_to_html",
    "render_pdf",
    "warm_up_renderer",
]

#: nbconvert template and print CSS (``socialkit/reporting/templates``, from ``config``).
TEMPLATES_DIR: Path = config.templates_dir()
_TEMPLATE_NAME = "socialkit_pdf"
_TOC_MARK = "<!--SOCIALKIT-TOC-->"
_MAIN_MARK = '<main class="report">'
_HEADING = re.compile(r"<h([1-2])((?:\s[^>]*)?)>(.*?)</h\1>", re.DOTALL | re.IGNORECASE)
_ANCHOR = re.compile(r'<a class="anchor-link"[^>]*>.*?</a>', re.DOTALL)
_ID_ATTR = re.compile(r'\s+id="[^"]*"')
_TAGS = re.compile(r"<[^>]+>")
_PLACEHOLDER = re.compile(r"\{(page|pages)\}")
_CELL = re.compile(r"<(td|th)((?:\s[^>]*)?)>([^<]*)</\1>")
_NUMBER = re.compile(r"^[\s\u00a0\u202f]*[-−–+]?[\d\s\u00a0\u202f.,]*\d[\d\s\u00a0\u202f.,]*\s*%?[\s\u00a0\u202f]*$|^[\s]*[–—-][\s]*$")


@dataclass(frozen=True)
class TitlePage:
    """What the title page, header and footer of one report show (not yet translated)."""

    report: str  # report name, e.g. "maturity"
    municipality: str  # name in the report's language
    region: str
    country: str  # ISO 3166-1 alpha-2
    data_as_of: str  # ISO date
    synthetic: bool
    lang: str
    generated: str  # ISO date the report was made


@cache
def _exporter():
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    cfg = Config()
    cfg.TagRemovePreprocessor.enabled = True
    cfg.TagRemovePreprocessor.remove_cell_tags = {"remove_cell", "remove-cell"}
    cfg.TagRemovePreprocessor.remove_all_outputs_tags = {"remove_output", "remove-output"}
    return HTMLExporter(
        config=cfg,
        template_name=_TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )


@cache
def _base_css() -> str:
    return (TEMPLATES_DIR / "report.css").read_text(encoding="utf-8")


def _css_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


def _css_page_of(lang: str) -> str:
    """``"Page {page} of {pages}"`` as a CSS ``content`` value with page counters."""
    parts: list[str] = []
    template = t("reporting.page_of", lang)
    pos = 0
    for match in _PLACEHOLDER.finditer(template):
        if match.start() > pos:
            parts.append(_css_string(template[pos:match.start()]))
        parts.append(f"counter({match.group(1)})")
        pos = match.end()
    if pos < len(template):
        parts.append(_css_string(template[pos:]))
    return " ".join(parts)


def _page_css(title: TitlePage, report_title: str, generated: str) -> str:
    box = 'font-family: "DejaVu Sans", sans-serif; font-size: 7.5pt; color: #555;'
    return f"""
@page {{
  size: A4;
  margin: 20mm 17mm 18mm 17mm;
  @top-left {{ content: {_css_string(report_title)}; {box} vertical-align: bottom; padding-bottom: 2mm; }}
  @top-right {{ content: {_css_string(title.municipality)}; {box} vertical-align: bottom; padding-bottom: 2mm; }}
  @bottom-left {{ content: {_css_string(generated)}; {box} vertical-align: top; padding-top: 2mm; }}
  @bottom-right {{ content: {_css_page_of(title.lang)}; {box} vertical-align: top; padding-top: 2mm; }}
}}
@page :first {{
  @top-left {{ content: none; }} @top-right {{ content: none; }}
  @bottom-left {{ content: none; }} @bottom-right {{ content: none; }}
}}
"""


def _kicker(title: TitlePage) -> str:
    country = Locale.parse({"en": "en_GB", "uk": "uk_UA"}.get(title.lang, "en_GB")).territories.get(
        title.country, title.country
    )
    return f"{country} · {title.region}" if title.region and title.lang == "en" else country


def _resources(title: TitlePage) -> dict:
    lang = title.lang
    report_title = t(f"reporting.title.{title.report}", lang)
    generated = format_date(title.generated, lang)
    return {
        "lang": lang,
        "version": __version__,
        "report_title": report_title,
        "municipality": title.municipality,
        "region": _kicker(title),
        "generated": generated,
        "generated_iso": title.generated,
        "data_as_of": format_date(title.data_as_of, lang),
        "language": t(f"reporting.language_name.{lang}", lang),
        "synthetic_notice": t("core.synthetic_notice", lang) if title.synthetic else "",
        "prepared_with": t("reporting.title_page.prepared_with", lang, version=__version__),
        "labels": {
            "date": t("reporting.title_page.date", lang),
            "data_as_of": t("reporting.title_page.data_as_of", lang),
            "language": t("reporting.title_page.language", lang),
            "contents": t("reporting.contents", lang),
        },
        "css": _base_css(),
        "page_css": _page_css(title, report_title,
                              t("reporting.generated", lang, date=generated)),
    }


_TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL)
_THEAD = re.compile(r"<thead\b.*?</thead>", re.DOTALL)
_TBODY = re.compile(r"<tbody\b.*?</tbody>", re.DOTALL)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.DOTALL)
_FIRST_TH = re.compile(r"^\s*<th\b[^>]*>(.*?)</th>", re.DOTALL)
_BLANK = {"", "&nbsp;", "\u00a0"}


def _drop_range_index(table: str) -> str:
    """Remove pandas' default 0, 1, 2, … row labels: they mean nothing to a reader."""
    tbody = _TBODY.search(table)
    thead = _THEAD.search(table)
    if tbody is None or thead is None or "<table" in table[6:]:
        return table
    rows = _ROW.findall(tbody.group(0))
    labels = [_FIRST_TH.match(row) for row in rows]
    if not rows or any(m is None for m in labels):
        return table
    if [m.group(1).strip() for m in labels] != [str(i) for i in range(len(rows))]:
        return table
    head_rows = _ROW.findall(thead.group(0))
    corners = [_FIRST_TH.match(row) for row in head_rows]
    if any(m is None or m.group(1).strip() not in _BLANK for m in corners):
        return table

    def strip_first(section: str) -> str:
        return _ROW.sub(lambda r: r.group(0).replace(_FIRST_TH.match(r.group(1)).group(0), "", 1),
                        section)

    return (table[:thead.start()] + strip_first(thead.group(0))
            + table[thead.end():tbody.start()] + strip_first(tbody.group(0))
            + table[tbody.end():])


def _mark_numbers(body: str) -> str:
    """Add ``class="num"`` to table cells holding only a number (right-aligned in print)."""

    def mark(match: re.Match[str]) -> str:
        tag, attrs, text = match.groups()
        if not _NUMBER.match(text):
            return match.group(0)
        if 'class="' in attrs:
            attrs = attrs.replace('class="', 'class="num ', 1)
        else:
            attrs += ' class="num"'
        return f"<{tag}{attrs}>{text}</{tag}>"

    return _CELL.sub(mark, body)


def _add_contents(page: str) -> str:
    """Give every h1/h2 of the report body an id and list them in the contents."""
    head, sep, body = page.partition(_MAIN_MARK)
    if not sep:
        return page
    entries: list[str] = []

    def number(match: re.Match[str]) -> str:
        level, attrs, inner = match.group(1), match.group(2) or "", match.group(3)
        inner = _ANCHOR.sub("", inner)
        text = _html.unescape(_TAGS.sub("", inner)).strip()
        if not text:
            return match.group(0)
        anchor = f"sk-sec-{len(entries) + 1}"
        entries.append(
            f'<li class="toc-{level}"><a href="#{anchor}">{_html.escape(text)}</a></li>'
        )
        return f'<h{level}{_ID_ATTR.sub("", attrs)} id="{anchor}">{inner}</h{level}>'

    body = _HEADING.sub(number, body)
    body = _mark_numbers(_TABLE.sub(lambda m: _drop_range_index(m.group(0)), body))
    if entries:
        head = head.replace(_TOC_MARK, "<ol>" + "".join(entries) + "</ol>")
    else:
        head = re.sub(r'<nav class="toc">.*?</nav>', "", head, flags=re.DOTALL)
    return head + sep + body


def notebook_to_html(nb, title: TitlePage) -> str:
    """Render an executed notebook as the print HTML of a report (title page, contents, body).

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook.
    title : TitlePage
        What the title page, header and footer show.

    Returns
    -------
    str
        A complete HTML document; only outputs (no code, prompts, stderr or errors).
    """
    body, _ = _exporter().from_notebook_node(nb, resources={"socialkit": _resources(title)})
    return _add_contents(body)


def html_to_pdf(page: str, base_url: str | None = None) -> bytes:
    """Lay out print HTML on A4 with WeasyPrint and return the PDF bytes."""
    import weasyprint

    return weasyprint.HTML(string=page, base_url=base_url).write_pdf()


def render_pdf(nb, title: TitlePage, base_url: str | None = None) -> bytes:
    """:func:`notebook_to_html` then :func:`html_to_pdf`."""
    return html_to_pdf(notebook_to_html(nb, title), base_url=base_url)


def warm_up_renderer() -> None:
    """Import nbconvert and WeasyPrint and build the exporter (once per worker process)."""
    import weasyprint  # noqa: F401

    _exporter()
    _base_css()


def today() -> str:
    """Today's date, ISO (the report date on title pages)."""
    return _dt.date.today().isoformat()
