"""Executed notebook → print HTML (nbconvert, project template) → PDF (WeasyPrint).

No browser and no internet: nbconvert fills the ``socialkit_pdf`` template (in
``templates/``; outputs only — no code, prompts, stderr, tracebacks or scripts), this module
adds the title page, a contents list built from the report's ``h1``/``h2`` headings and the
localised running header and footer (CSS paged media: ``@page`` margin boxes with
``counter(page)``/``counter(pages)``, contents page numbers with ``target-counter``), and
WeasyPrint lays it out on A4. Figures arrive as SVG (HoloViews' Matplotlib backend, chosen by the warm
kernel's ``plots.setup(static=True)``) and stay vector graphics. Text is set in DejaVu Sans (Debian
``fonts-dejavu``), found through fontconfig, so Cyrillic and Latin with diacritics
(Romanian ș ț, Serbian č ć đ š ž) print correctly.
"""

from __future__ import annotations

import datetime as _dt
import gc
import html as _html
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale

from .. import __version__, config
from .._compat.weasyprint import install_svg_text_lines
from ..i18n import format_date, language_name, t
from ..i18n.catalogs import LOCALES

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
    country = Locale.parse(LOCALES.get(title.lang, "en_GB")).territories.get(
        title.country, title.country
    )
    return f"{country} · {title.region}" if title.region else country


def _resources(title: TitlePage) -> dict:
    lang = title.lang
    # a report name with a dot is the full key of its title (another domain's report)
    report_title = t(title.report if "." in title.report else f"reporting.title.{title.report}",
                     lang)
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
        "language": language_name(lang),
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


_FIRST_PAGE = re.compile(r'<section class="sk-first-page".*?</section>', re.DOTALL)
_TOC_NAV = '<nav class="toc">'


def _first_page_first(page: str) -> str:
    """Move the report's first page (``socialkit.findings.first_page_html``: what matters and
    what to do) from the body to right after the cover, before the contents."""
    head, sep, body = page.partition(_MAIN_MARK)
    found = _FIRST_PAGE.search(body) if sep else None
    if found is None or _TOC_NAV not in head:
        return page
    body = body[:found.start()] + body[found.end():]
    head = head.replace(_TOC_NAV, found.group(0) + "\n" + _TOC_NAV, 1)
    return head + sep + body


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
    body = _mark_numbers(body)
    if entries:
        head = head.replace(_TOC_MARK, "<ol>" + "".join(entries) + "</ol>")
    else:
        head = re.sub(r'<nav class="toc">.*?</nav>', "", head, flags=re.DOTALL)
    return head + sep + body


# --- lighter input for WeasyPrint -----------------------------------------------------------
# Measured on the maturity, needs and passport reports (benchmarks/bench_render.py): drawing the
# Matplotlib SVG figures was a third of WeasyPrint's time, most of it in per-node CSS work and
# clipping that the figures do not need (the figures arrive slimmed: socialkit.plots.svgslim),
# and in labels laid out one letter at a time (socialkit._compat.weasyprint).

_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.DOTALL | re.IGNORECASE)
#: The CSS Panel/Bokeh put beside their (JavaScript-only) notebook output: a ``*`` rule that
#: WeasyPrint would try on every element of the report.
_WIDGET_STYLE = re.compile(r"<style\b[^>]*>(?:(?!</style>).)*?data-root-id.*?</style\s*>",
                           re.DOTALL | re.IGNORECASE)


def _drop_scripts(page: str) -> str:
    """Remove ``<script>`` elements and Panel's widget CSS: a PDF runs no JavaScript."""
    return _WIDGET_STYLE.sub("", _SCRIPT.sub("", page))


#: Tables with a row of this many cells or more print in smaller type (``table.sk-wide`` in
#: ``templates/report.css``).
WIDE_TABLE_CELLS = 8
_TABLE_PART = re.compile(r"<(/?)(table|tr|td|th)\b([^>]*)>", re.IGNORECASE)
_CLASS_ATTR = re.compile(r"""\sclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""",
                         re.IGNORECASE)


def _mark_wide_tables(page: str) -> str:
    """Add ``class="sk-wide"`` to every table with a row of :data:`WIDE_TABLE_CELLS` cells.

    The print style once found these tables with ``table:has(tr > :nth-child(8))``; WeasyPrint
    (cssselect2) tested that against every cell of the report, walking the whole table each
    time: a cost that grows with the square of a table's size (half of a passport's PDF time).
    The tables are marked here once instead, in one pass over the tags, as the selector did: a
    cell counts toward the row it sits in directly, a table is wide when any row inside it (a
    nested table's too) is, and a row ends where the next one starts if its end tag is
    missing.
    """
    wide: list[int] = []  # start offsets of the opening tags of wide tables
    stack: list[list[int]] = []  # per open table: [tag start, cells in the open row, marked]
    for m in _TABLE_PART.finditer(page):
        closing, tag = m.group(1), m.group(2).lower()
        if tag == "table":
            if not closing:
                stack.append([m.start(), -1, 0])
            elif stack:
                stack.pop()
            continue
        if not stack:
            continue
        top = stack[-1]
        if tag == "tr":
            top[1] = -1 if closing else 0
        elif not closing and top[1] >= 0:
            top[1] += 1
            if top[1] >= WIDE_TABLE_CELLS:
                for table in stack:  # an enclosing table has that row too (:has looked deep)
                    if not table[2]:
                        table[2] = 1
                        wide.append(table[0])
    if not wide:
        return page
    parts, pos = [], 0
    for start in sorted(wide):
        end = page.index(">", start)
        tag = page[start:end]
        found = _CLASS_ATTR.search(tag)
        if found:  # the first class attribute is the one that counts
            value = next(v for v in found.groups() if v is not None)
            value = value.replace('"', "&quot;")
            tag = f'{tag[:found.start()]} class="{value} sk-wide"{tag[found.end():]}'
        else:
            tag += ' class="sk-wide"'
        parts += [page[pos:start], tag]
        pos = end
    parts.append(page[pos:])
    return "".join(parts)


@cache
def _font_config():
    """One WeasyPrint font configuration for all reports of this process."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


_gc_lock = threading.Lock()
_gc_pausers = 0


@contextmanager
def _gc_paused():
    """Hold off Python's cyclic garbage collector while a report is converted.

    Laying out a report allocates millions of short-lived objects; the collector then runs
    full collections that walk the whole worker heap (nbconvert, WeasyPrint, …) — measured at
    a fifth of the CPU time of a report. The document's objects are freed by reference
    counting when it is done, and the collector runs again afterwards. Thread-safe: the
    collector is switched back on when the last of overlapping renders ends, and only if it
    was on before the first began.
    """
    global _gc_pausers
    with _gc_lock:
        if _gc_pausers == 0:
            _gc_paused.was_enabled = gc.isenabled()
            gc.disable()
        _gc_pausers += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pausers -= 1
            if _gc_pausers == 0 and _gc_paused.was_enabled:
                gc.enable()


_gc_paused.was_enabled = True


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
    with _gc_paused():
        body, _ = _exporter().from_notebook_node(nb, resources={"socialkit": _resources(title)})
        return _drop_scripts(_add_contents(_first_page_first(body)))


def html_to_pdf(page: str, base_url: str | None = None) -> bytes:
    """Lay out print HTML on A4 with WeasyPrint and return the PDF bytes.

    One :class:`weasyprint.text.fonts.FontConfiguration` serves every report of the process
    (fontconfig set up once), SVG labels are drawn a line at a time
    (:func:`socialkit._compat.weasyprint.install_svg_text_lines`), wide tables are marked for
    the print style (:func:`_mark_wide_tables`) and the garbage collector waits
    (:func:`_gc_paused`).
    """
    import weasyprint

    install_svg_text_lines()
    page = _mark_wide_tables(page)
    with _gc_paused():
        return weasyprint.HTML(string=page, base_url=base_url).write_pdf(
            font_config=_font_config())


def render_pdf(nb, title: TitlePage, base_url: str | None = None) -> bytes:
    """:func:`notebook_to_html` then :func:`html_to_pdf`."""
    return html_to_pdf(notebook_to_html(nb, title), base_url=base_url)


def warm_up_renderer() -> None:
    """Import nbconvert and WeasyPrint and build the exporter (once per worker process)."""
    import weasyprint  # noqa: F401

    _exporter()
    _base_css()
    _font_config()
    install_svg_text_lines()


def today() -> str:
    """Today's date, ISO (the report date on title pages)."""
    return _dt.date.today().isoformat()
