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

import base64
import binascii
import datetime as _dt
import gc
import html as _html
import importlib
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from math import inf
from pathlib import Path
from xml.etree import ElementTree as ET

from babel import Locale

from .. import __version__, config
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
    body = _mark_numbers(_TABLE.sub(lambda m: _drop_range_index(m.group(0)), body))
    if entries:
        head = head.replace(_TOC_MARK, "<ol>" + "".join(entries) + "</ol>")
    else:
        head = re.sub(r'<nav class="toc">.*?</nav>', "", head, flags=re.DOTALL)
    return head + sep + body


# --- lighter input for WeasyPrint -----------------------------------------------------------
# Measured on the maturity, needs and passport reports (benchmarks/bench_render.py): drawing the
# Matplotlib SVG figures was a third of WeasyPrint's time, most of it in per-node CSS work and
# clipping that the figures do not need, and in labels laid out one letter at a time.

_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.DOTALL | re.IGNORECASE)
#: The CSS Panel/Bokeh put beside their (JavaScript-only) notebook output: a ``*`` rule that
#: WeasyPrint would try on every element of the report.
_WIDGET_STYLE = re.compile(r"<style\b[^>]*>(?:(?!</style>).)*?data-root-id.*?</style\s*>",
                           re.DOTALL | re.IGNORECASE)
_SVG_IMG = re.compile(r'(<img\b[^>]*?\bsrc=")data:image/svg\+xml;base64,([A-Za-z0-9+/=\s]+)(")')
_SVG_NS = "http://www.w3.org/2000/svg"
_S = f"{{{_SVG_NS}}}"
_UNIVERSAL_RULE = re.compile(r"^\s*\*\s*\{([^{}]*)\}\s*$")
_URL_REF = re.compile(r"url\(#([^)]+)\)")
_ABS_PATH = re.compile(r"^[\sMLCQZz\d.eE+\-,]*$")  # absolute moveto/lineto/curveto/close only
_NUM = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
ET.register_namespace("", _SVG_NS)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")


def _drop_scripts(page: str) -> str:
    """Remove ``<script>`` elements and Panel's widget CSS: a PDF runs no JavaScript."""
    return _WIDGET_STYLE.sub("", _SCRIPT.sub("", page))


def _declarations(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in text.split(";"):
        name, sep, value = part.partition(":")
        if sep and name.strip():
            out[name.strip().lower()] = value.strip()
    return out


def _path_bbox(d: str) -> tuple[float, float, float, float] | None:
    """Bounding box of the control points of an absolute M/L/C/Q/Z path (None otherwise)."""
    if not _ABS_PATH.match(d):
        return None
    numbers = [float(n) for n in _NUM.findall(d)]
    if not numbers or len(numbers) % 2:
        return None
    xs, ys = numbers[0::2], numbers[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def _drop_noop_clips(root: ET.Element) -> None:
    """Remove ``clip-path`` from paths that lie inside their (rectangular) clip.

    Matplotlib clips every artist of an axes to the axes rectangle; a heat-map cell or a grid
    line inside it is not changed by the clip, but WeasyPrint sets up a clip for each. A path
    keeps its clip when its control points (widened by twice the stroke width) leave the
    rectangle, when any transform applies, or when the path uses relative commands.
    """
    rects: dict[str, tuple[float, float, float, float]] = {}
    for clip in root.iter(_S + "clipPath"):
        shapes = list(clip)
        if (len(shapes) != 1 or shapes[0].tag != _S + "rect" or "transform" in shapes[0].attrib
                or "transform" in clip.attrib
                or clip.get("clipPathUnits", "userSpaceOnUse") != "userSpaceOnUse"):
            continue
        try:
            x, y, w, h = (float(shapes[0].get(k, "0")) for k in ("x", "y", "width", "height"))
        except ValueError:
            continue
        rects[clip.get("id", "")] = (x, y, x + w, y + h)
    if not rects:
        return

    def visit(el: ET.Element, transformed: bool) -> None:
        transformed = transformed or "transform" in el.attrib
        for child in el:
            visit(child, transformed)
        ref = _URL_REF.fullmatch(el.get("clip-path", "").strip())
        if ref is None or el.tag != _S + "path" or transformed or ref.group(1) not in rects:
            return
        box = _path_bbox(el.get("d", ""))
        if box is None:
            return
        pad = 0.0
        if el.get("stroke", "none") != "none":
            try:
                pad = 2 * float(el.get("stroke-width", "1"))
            except ValueError:
                return
        x0, y0, x1, y1 = rects[ref.group(1)]
        if box[0] - pad >= x0 and box[1] - pad >= y0 and box[2] + pad <= x1 and box[3] + pad <= y1:
            del el.attrib["clip-path"]

    visit(root, False)


def _simplify_svg(data: bytes) -> bytes:
    """The same picture in a form WeasyPrint draws faster (Matplotlib SVG in mind).

    - ``<metadata>`` is dropped;
    - ``style="a: b"`` becomes presentation attributes ``a="b"`` (WeasyPrint re-parses every
      style attribute with its CSS tokenizer);
    - Matplotlib's one stylesheet rule ``*{stroke-linejoin: round; stroke-linecap: butt}``
      becomes attributes (the root's, and an element's where an ancestor set another value),
      so no selector is matched against every node;
    - unreferenced ``id`` attributes and attribute-less ``<g>`` wrappers go;
    - clips that clip nothing go (:func:`_drop_noop_clips`).

    Anything else (another stylesheet, unparsable XML) is returned unchanged.
    """
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return data
    universal: dict[str, str] = {}
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == _S + "metadata":
                parent.remove(child)
            elif child.tag == _S + "style":
                rule = _UNIVERSAL_RULE.match(child.text or "")
                if rule is None:
                    return data
                universal.update(_declarations(rule.group(1)))
                parent.remove(child)
    referenced: set[str] = set()
    for el in root.iter():
        style = el.attrib.pop("style", None)
        if style:
            el.attrib.update(_declarations(style))
        for key, value in el.attrib.items():
            if key.endswith("href") and value.startswith("#"):
                referenced.add(value[1:])
            elif "url(#" in value:
                referenced.update(_URL_REF.findall(value))
    if universal:
        # a '*' rule gives every element the value unless its own style says otherwise;
        # inherited from the root that holds as long as no ancestor sets something else
        def spread(el: ET.Element, inherited: dict[str, str]) -> None:
            for key, value in universal.items():
                if key not in el.attrib and inherited.get(key) != value:
                    el.set(key, value)
            here = {key: el.get(key, inherited.get(key)) for key in universal}
            for child in el:
                spread(child, here)

        spread(root, {})
    for el in root.iter():
        if "id" in el.attrib and el.attrib["id"] not in referenced:
            del el.attrib["id"]

    def unwrap(el: ET.Element) -> None:
        kept: list[ET.Element] = []
        for child in el:
            unwrap(child)
            if (child.tag == _S + "g" and not child.attrib and not (child.text or "").strip()
                    and not (child.tail or "").strip()):
                kept.extend(child)
            else:
                kept.append(child)
        if el.tag != _S + "text":
            el[:] = kept

    unwrap(root)
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == _S + "defs" and len(child) == 0:
                parent.remove(child)
    _drop_noop_clips(root)
    # registered again each time: importing weasyprint.pdf.metadata (on the first write_pdf)
    # registers "" for another namespace, and the SVG would come out with ns0: prefixes
    ET.register_namespace("", _SVG_NS)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    return ET.tostring(root, encoding="utf-8", xml_declaration=False)


def _slim_figures(page: str) -> str:
    """Rewrite every base64 SVG ``<img>`` of ``page`` with :func:`_simplify_svg`."""

    def slim(match: re.Match[str]) -> str:
        try:
            data = base64.b64decode(match.group(2), validate=False)
        except (binascii.Error, ValueError):
            return match.group(0)
        svg = base64.b64encode(_simplify_svg(data)).decode("ascii")
        return f"{match.group(1)}data:image/svg+xml;base64,{svg}{match.group(3)}"

    return _SVG_IMG.sub(slim, page)


@cache
def _font_config():
    """One WeasyPrint font configuration for all reports of this process."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


#: WeasyPrint releases whose SVG text code :func:`_svg_text_line` follows (weasyprint/svg/text.py).
_SVG_TEXT_TESTED = ("70.",)
#: Attributes that place or space letters one by one: such text keeps WeasyPrint's own drawing.
_PER_LETTER = ("rotate", "letter-spacing", "textLength", "lengthAdjust")


@cache
def _install_svg_text_lines() -> bool:
    """Draw plain SVG ``<text>`` as one line of text instead of one layout per letter.

    WeasyPrint lays out and draws SVG text letter by letter (so that ``x``/``y``/``rotate``
    lists can place each one); Matplotlib's labels never use that, and the per-letter work
    was a quarter of the drawing time of a report. :func:`_svg_text_line` replaces it for a
    ``<text>`` element with no child elements, single ``x``/``y``/``dx``/``dy`` values and no
    per-letter attributes, and hands everything else to WeasyPrint's function. Only for the
    WeasyPrint versions in ``_SVG_TEXT_TESTED``; returns whether it is installed.
    """
    import weasyprint
    import weasyprint.svg as wsvg

    if not weasyprint.__version__.startswith(_SVG_TEXT_TESTED):
        return False
    module = importlib.import_module("weasyprint.svg.text")
    original = module.text
    if wsvg.TAGS.get("text") is not original or getattr(wsvg, "text", None) is not original:
        return False

    def svg_text(svg, node, font_size):
        return _svg_text_line(svg, node, font_size, original)

    # draw_node tells text elements apart by `TAGS[tag] == text`: replace all of them
    for tag, draw in list(wsvg.TAGS.items()):
        if draw is original:
            wsvg.TAGS[tag] = svg_text
    wsvg.text = svg_text
    return True


def _single_length(node, name: str, font_size: float, reference: float) -> float | None:
    from weasyprint.svg.utils import normalize, size

    value = node.attrib.get(name)
    if value is None:
        return None
    parts = normalize(value).split()
    if len(parts) != 1:
        raise ValueError(name)
    return size(parts[0], font_size, reference)


def _svg_text_line(svg, node, font_size, original):
    """WeasyPrint's SVG ``text`` for a plain label, laid out and drawn as a single line.

    Follows ``weasyprint.svg.text.text`` (style, vertical alignment, cursor, bounding box,
    emoji) for the first letter and treats the whole string as that letter.
    """
    text = node.text
    if (node.tag != "text" or not text or len(node._etree_node)
            or any(key in node.attrib for key in _PER_LETTER)):
        return original(svg, node, font_size)
    try:
        x = _single_length(node, "x", font_size, svg.inner_width)
        y = _single_length(node, "y", font_size, svg.inner_height)
        dx = _single_length(node, "dx", font_size, svg.inner_width)
        dy = _single_length(node, "dy", font_size, svg.inner_height)
    except ValueError:
        return original(svg, node, font_size)
    from weasyprint.css.properties import INITIAL_VALUES
    from weasyprint.draw.text import draw_emojis, draw_first_line
    from weasyprint.matrix import Matrix
    from weasyprint.svg.bounding_box import extend_bounding_box
    from weasyprint.text.line_break import split_first_line

    module = importlib.import_module("weasyprint.svg.text")
    style = module.Style()
    style.update(INITIAL_VALUES)
    style.font_config = svg.font_config
    style["font_family"] = [font.strip("\"'")
                            for font in node.get("font-family", "sans-serif").split(",")]
    style["font_style"] = node.get("font-style", "normal")
    weight = node.get("font-weight", 400)
    weight = {"normal": 400, "bold": 700}.get(weight, weight)
    try:
        style["font_weight"] = int(weight)
    except ValueError:
        style["font_weight"] = 400
    style["font_size"] = font_size
    if node.get("direction") in ("ltr", "rtl"):
        style["direction"] = node.get("direction")
    layout, _, _, width, height, baseline = split_first_line(text, style, svg.context, inf, 0)

    ascent, descent = font_size * .8, font_size * .2
    y_align = 0
    display_anchor = node.get("display-anchor")
    alignment = node.get("dominant-baseline", node.get("alignment-baseline"))
    if display_anchor == "middle":
        y_align = -height / 2
    elif display_anchor == "top":
        pass
    elif display_anchor == "bottom":
        y_align = -height
    elif alignment in ("central", "middle"):
        y_align = (ascent + descent) / 2 - descent
    elif alignment in ("text-before-edge", "before_edge", "top", "hanging", "text-top"):
        y_align = ascent
    elif alignment in ("text-after-edge", "after_edge", "bottom", "text-bottom"):
        y_align = -descent

    if x is not None:
        svg.cursor_d_position[0] = 0
    if y is not None:
        svg.cursor_d_position[1] = 0
    svg.cursor_d_position[0] += dx or 0
    svg.cursor_d_position[1] += dy or 0
    x = svg.cursor_position[0] if x is None else x
    y = svg.cursor_position[1] if y is None else y
    svg.cursor_position = x + width, y
    x_position = x + svg.cursor_d_position[0]
    y_position = y + svg.cursor_d_position[1] + y_align
    node.text_bounding_box = extend_bounding_box(
        node.text_bounding_box,
        ((x_position, y_position - baseline), (x_position + width, y_position - baseline + height)))

    svg.stream.push_state()
    fill, stroke = svg.set_graphical_state(node, font_size)
    svg.stream.begin_text()
    layout.reactivate(style)
    svg.fill_stroke(fill, stroke, text=True)
    box = module.TextBox(layout, style)
    box.baseline = baseline
    emojis = draw_first_line(svg.stream, box, "none", "none",
                             Matrix(a=1, d=-1, e=x_position, f=y_position))
    svg.stream.end_text()
    svg.stream.pop_state()
    draw_emojis(svg.stream, style, x, y, emojis)


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
        return _slim_figures(_drop_scripts(_add_contents(_first_page_first(body))))


def html_to_pdf(page: str, base_url: str | None = None) -> bytes:
    """Lay out print HTML on A4 with WeasyPrint and return the PDF bytes.

    One :class:`weasyprint.text.fonts.FontConfiguration` serves every report of the process
    (fontconfig set up once), SVG labels are drawn a line at a time
    (:func:`_install_svg_text_lines`) and the garbage collector waits (:func:`_gc_paused`).
    """
    import weasyprint

    _install_svg_text_lines()
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
    _install_svg_text_lines()


def today() -> str:
    """Today's date, ISO (the report date on title pages)."""
    return _dt.date.today().isoformat()
