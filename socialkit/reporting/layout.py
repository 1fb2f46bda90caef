"""Check the pages of a rendered report: is everything printed where a reader can read it?

:func:`check_layout` reads a PDF with pdfminer.six (every glyph with its font, size and
position, every drawn rule) and returns the problems it finds, page by page:

``outside``
    a word outside the printable area (the page's content box sideways, the page less a
    strip top and bottom; the running header and footer live in the margins) — a table or
    a figure cut off at the edge of the paper;
``overlap``
    two words printed over each other (their glyph boxes intersect): labels running into a
    title, two bar labels on top of each other;
``wide-table``
    a table rule (a thin horizontal line or box) reaching beyond the printable area;
``stranded-heading``
    a heading with at most two lines of text under it at the foot of a page while its section
    goes on on the next page;
``small-text``
    text smaller than ``min_size`` points (7 pt): figure labels shrunk with their figure;
``cut-text``
    a word cut short with "…" (a label shortened to fit instead of wrapped);
``half-empty``
    a page of the body (after the ``front_pages``: cover, first page, contents, which end in
    a forced page break) whose text ends in the upper half of the page while the report goes
    on: a heading kept with a figure too tall for the rest of the page left the page half
    blank (the last page is not checked).

Glyph boxes follow the PDF convention (advance width × font size, from the descent up), so
two lines of text set at the usual line spacing never touch, and rotated labels keep their
slanted box. Coordinates in a :class:`Problem` are PDF points from the top-left corner of the
page.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Problem", "check_layout", "format_problems"]

MM = 72 / 25.4
#: Page content box of the reports (``render._page_css``): 17 mm left and right.
SIDE_MARGIN_MM = 17.0
#: Strip at the top and bottom of a page where nothing is printed (header/footer are inside).
EDGE_MM = 8.0
MIN_SIZE_PT = 7.0
HEADING_MIN_PT = 10.5


@dataclass(frozen=True)
class Problem:
    """One thing wrong on one page of a report."""

    page: int  #: 1-based page number
    kind: str  #: outside, overlap, wide-table, stranded-heading, small-text, cut-text, half-empty
    words: tuple[str, ...]  #: the words concerned
    boxes: tuple[tuple[float, float, float, float], ...]  #: (x0, top, x1, bottom) in points
    detail: str = ""

    def __str__(self) -> str:
        words = " | ".join(w if len(w) <= 40 else w[:39] + "…" for w in self.words[:4])
        more = f" (+{len(self.words) - 4})" if len(self.words) > 4 else ""
        box = ", ".join(f"({b[0]:.0f},{b[1]:.0f})-({b[2]:.0f},{b[3]:.0f})" for b in self.boxes[:2])
        detail = f"; {self.detail}" if self.detail else ""
        return f"page {self.page}: {self.kind}: {words}{more} at {box}{detail}"


def format_problems(problems: list[Problem]) -> str:
    """One line per problem (for an error message or a log)."""
    return "\n".join(str(p) for p in problems)


@dataclass
class _Glyph:
    text: str
    quad: tuple[tuple[float, float], ...]  # four corners, top-left origin
    size: float  # effective font size in points
    bold: bool
    angle: float  # degrees, 0 = horizontal
    order: int

    @property
    def box(self) -> tuple[float, float, float, float]:
        xs = [p[0] for p in self.quad]
        ys = [p[1] for p in self.quad]
        return min(xs), min(ys), max(xs), max(ys)


@dataclass
class _Word:
    glyphs: list[_Glyph] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(g.text for g in self.glyphs)

    @property
    def box(self) -> tuple[float, float, float, float]:
        boxes = [g.box for g in self.glyphs]
        return (min(b[0] for b in boxes), min(b[1] for b in boxes),
                max(b[2] for b in boxes), max(b[3] for b in boxes))

    @property
    def size(self) -> float:
        return max(g.size for g in self.glyphs)


@dataclass
class _Page:
    number: int
    width: float
    height: float
    glyphs: list[_Glyph]
    rules: list[tuple[float, float, float, float]]  # thin horizontal paths (boxes)


def _read(pdf: Path) -> list[_Page]:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar, LTCurve
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    class Device(PDFPageAggregator):
        def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
            adv = super().render_char(matrix, font, fontsize, scaling, rise, cid, ncs,
                                      graphicstate)
            item = self.cur_item._objs[-1]
            a, b, c, d, e, f = matrix
            lo = font.get_descent() * fontsize + rise
            corners = ((0, lo), (adv, lo), (adv, lo + fontsize), (0, lo + fontsize))
            item.quad = tuple((a * x + c * y + e, b * x + d * y + f) for x, y in corners)
            item.pt = abs(fontsize) * math.hypot(c, d)
            item.angle = math.degrees(math.atan2(b, a))
            return adv

    pages: list[_Page] = []
    manager = PDFResourceManager()
    device = Device(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    with open(pdf, "rb") as handle:
        for number, page in enumerate(PDFPage.get_pages(handle), start=1):
            interpreter.process_page(page)
            layout = device.get_result()
            height = layout.height
            glyphs: list[_Glyph] = []
            rules: list[tuple[float, float, float, float]] = []

            def walk(item, glyphs=glyphs, rules=rules, height=height):
                if isinstance(item, LTChar):
                    quad = tuple((x, height - y) for x, y in item.quad)
                    glyphs.append(_Glyph(item.get_text(), quad, item.pt,
                                         "bold" in item.fontname.lower(), item.angle,
                                         len(glyphs)))
                elif isinstance(item, LTCurve):
                    x0, y0, x1, y1 = item.bbox
                    if y1 - y0 <= 2.0 and x1 - x0 >= 20.0:
                        rules.append((x0, height - y1, x1, height - y0))
                elif hasattr(item, "__iter__"):
                    for child in item:
                        walk(child)

            walk(layout)
            pages.append(_Page(number, layout.width, height, glyphs, rules))
    return pages


def _words(glyphs: list[_Glyph]) -> list[_Word]:
    """Glyphs in drawing order joined into words: same direction, touching, no space."""
    words: list[_Word] = []
    current: _Word | None = None
    for g in glyphs:
        if not g.text.strip():
            current = None
            continue
        if current is not None:
            last = current.glyphs[-1]
            rad = math.radians(last.angle)
            # the previous glyph's end on its baseline, against this glyph's start
            ex, ey = last.quad[1]
            gap = math.hypot(g.quad[0][0] - ex, g.quad[0][1] - ey)
            along = (g.quad[0][0] - ex) * math.cos(rad) - (g.quad[0][1] - ey) * math.sin(rad)
            if (abs(g.angle - last.angle) < 1 and abs(g.size - last.size) < 0.5
                    and gap < 0.25 * last.size and along > -0.35 * last.size):
                current.glyphs.append(g)
                continue
        current = _Word([g])
        words.append(current)
    return words


def _clip(subject: list[tuple[float, float]], clip: list[tuple[float, float]]
          ) -> list[tuple[float, float]]:
    """Sutherland–Hodgman: the part of convex polygon ``subject`` inside convex ``clip``."""
    def orient(poly):
        area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(poly, poly[1:] + poly[:1], strict=True))
        return poly if area > 0 else poly[::-1]

    out = orient(list(subject))
    clip = orient(list(clip))
    for (cx0, cy0), (cx1, cy1) in zip(clip, clip[1:] + clip[:1], strict=True):
        if not out:
            break
        src, out = out, []

        def inside(p, cx0=cx0, cy0=cy0, cx1=cx1, cy1=cy1):
            return (cx1 - cx0) * (p[1] - cy0) - (cy1 - cy0) * (p[0] - cx0) >= 0

        for i, p in enumerate(src):
            q = src[i - 1]
            if inside(p):
                if not inside(q):
                    out.append(_cross(q, p, (cx0, cy0), (cx1, cy1)))
                out.append(p)
            elif inside(q):
                out.append(_cross(q, p, (cx0, cy0), (cx1, cy1)))
    return out


def _cross(p, q, a, b):
    (x1, y1), (x2, y2), (x3, y3), (x4, y4) = p, q, a, b
    den = (x1 - x2) * (y3 - y4) - (y1 - y2) * (x3 - x4)
    if den == 0:
        return q
    t = ((x1 - x3) * (y3 - y4) - (y1 - y3) * (x3 - x4)) / den
    return x1 + t * (x2 - x1), y1 + t * (y2 - y1)


def _area(poly) -> float:
    if len(poly) < 3:
        return 0.0
    return abs(sum(x0 * y1 - x1 * y0
                   for (x0, y0), (x1, y1) in zip(poly, poly[1:] + poly[:1], strict=True))) / 2


def _overlap(a: _Glyph, b: _Glyph) -> float:
    """Share of the smaller glyph box covered by the other one."""
    ba, bb = a.box, b.box
    w = min(ba[2], bb[2]) - max(ba[0], bb[0])
    h = min(ba[3], bb[3]) - max(ba[1], bb[1])
    if w <= 0 or h <= 0:
        return 0.0
    small = min(_area(list(a.quad)), _area(list(b.quad)))
    if small <= 0:
        return 0.0
    if abs(a.angle) < 0.5 and abs(b.angle) < 0.5:
        return w * h / small
    return _area(_clip(list(a.quad), list(b.quad))) / small


def _overlaps(words: list[_Word], page: int, share: float) -> list[Problem]:
    owner = {id(g): i for i, w in enumerate(words) for g in w.glyphs}
    cells: dict[tuple[int, int], list[_Glyph]] = defaultdict(list)
    step = 24.0
    for w in words:
        for g in w.glyphs:
            x0, y0, x1, y1 = g.box
            for i in range(int(x0 // step), int(x1 // step) + 1):
                for j in range(int(y0 // step), int(y1 // step) + 1):
                    cells[i, j].append(g)
    pairs: set[tuple[int, int]] = set()
    for members in cells.values():
        for k, a in enumerate(members):
            for b in members[k + 1:]:
                wa, wb = owner[id(a)], owner[id(b)]
                if wa == wb or (min(wa, wb), max(wa, wb)) in pairs:
                    continue
                if _overlap(a, b) > share:
                    pairs.add((min(wa, wb), max(wa, wb)))
    return [Problem(page, "overlap", (words[i].text, words[j].text),
                    (words[i].box, words[j].box)) for i, j in sorted(pairs)]


def _lines(words: list[_Word]) -> list[list[_Word]]:
    """Horizontal words grouped into lines (by the middle of their boxes)."""
    flat = sorted((w for w in words if abs(w.glyphs[0].angle) < 1),
                  key=lambda w: (w.box[1] + w.box[3]) / 2)
    lines: list[list[_Word]] = []
    for w in flat:
        mid = (w.box[1] + w.box[3]) / 2
        if lines and abs(mid - (lines[-1][0].box[1] + lines[-1][0].box[3]) / 2) < 0.4 * w.size:
            lines[-1].append(w)
        else:
            lines.append([w])
    return lines


def _is_heading(line: list[_Word]) -> bool:
    return all(g.bold and g.size >= HEADING_MIN_PT for w in line for g in w.glyphs)


def check_layout(pdf: str | Path, *, side_margin_mm: float = SIDE_MARGIN_MM,
                 edge_mm: float = EDGE_MM, min_size: float = MIN_SIZE_PT,
                 overlap_share: float = 0.2, tolerance: float = 1.0,
                 front_pages: int = 3, min_fill: float = 0.5) -> list[Problem]:
    """Problems a reader would see on the pages of ``pdf`` (empty list: the pages are clean).

    Parameters
    ----------
    pdf : str or Path
        A PDF report.
    side_margin_mm : float
        Left and right margin that must stay empty (the reports' page content box: 17 mm).
    edge_mm : float
        Strip at the top and bottom of every page that must stay empty.
    min_size : float
        Smallest font size in points that is not a problem.
    overlap_share : float
        Two glyphs of different words overlap when the intersection of their boxes is more
        than this share of the smaller box.
    tolerance : float
        Points a word may reach into a margin (rounding).
    front_pages : int
        Pages before the body, each ending in a forced page break (the reports' cover, first
        page and contents): not checked for ``half-empty``.
    min_fill : float
        Smallest share of the body height (header and footer strips left out) a page of the
        body must fill down to its last line of text, but the last page.

    Returns
    -------
    list of Problem
        In page order; each names the page, the kind, the words and their boxes.

    Notes
    -----
    Reading a 7-page report takes about a second (pdfminer.six, pure Python).
    """
    pages = _read(Path(pdf))
    problems: list[Problem] = []
    page_words = [_words(p.glyphs) for p in pages]
    for page, words in zip(pages, page_words, strict=True):
        n = page.number
        left, right = side_margin_mm * MM - tolerance, page.width - side_margin_mm * MM + tolerance
        top, bottom = edge_mm * MM, page.height - edge_mm * MM
        out = [w for w in words if w.box[0] < left or w.box[2] > right
               or w.box[1] < top or w.box[3] > bottom]
        if out:
            problems.append(Problem(n, "outside", tuple(w.text for w in out),
                                    tuple(w.box for w in out),
                                    f"printable area x {left:.0f}–{right:.0f} pt"))
        wide = [r for r in page.rules if r[0] < left or r[2] > right]
        if wide:
            problems.append(Problem(n, "wide-table", (), tuple(wide),
                                    f"rules from x {min(r[0] for r in wide):.0f} to "
                                    f"{max(r[2] for r in wide):.0f} pt; printable area x "
                                    f"{left:.0f}–{right:.0f} pt"))
        problems.extend(_overlaps(words, n, overlap_share))
        small = [w for w in words if w.size < min_size - 0.05]
        if small:
            problems.append(Problem(n, "small-text", tuple(w.text for w in small),
                                    tuple(w.box for w in small),
                                    f"smallest {min(w.size for w in small):.1f} pt"))
        cut = [w for w in words if w.text.endswith("…") or w.text.endswith("...")]
        if cut:
            problems.append(Problem(n, "cut-text", tuple(w.text for w in cut),
                                    tuple(w.box for w in cut)))
    problems.extend(_stranded_headings(pages, page_words))
    problems.extend(_half_empty(pages, page_words, front_pages, min_fill))
    return sorted(problems, key=lambda p: p.page)


def _half_empty(pages: list[_Page], page_words: list[list[_Word]], front_pages: int,
                min_fill: float) -> list[Problem]:
    problems = []
    for page, words in list(zip(pages, page_words, strict=True))[front_pages:-1]:
        top, bottom = 18 * MM, page.height - 16 * MM
        lines = _body(page, words)
        end = max((w.box[3] for line in lines for w in line), default=top)
        fill = (end - top) / (bottom - top)
        if fill < min_fill:
            last = lines[-1] if lines else []
            problems.append(Problem(page.number, "half-empty",
                                    tuple(w.text for w in last), tuple(w.box for w in last),
                                    f"text ends at {fill:.0%} of the page body"))
    return problems


def _body(page: _Page, words: list[_Word]) -> list[list[_Word]]:
    """Lines of the page body (header and footer, in the margins, left out)."""
    top, bottom = 18 * MM, page.height - 16 * MM
    return [line for line in _lines(words)
            if top <= line[0].box[1] and line[0].box[3] <= bottom]


def _stranded_headings(pages: list[_Page], page_words: list[list[_Word]]) -> list[Problem]:
    problems = []
    for k, (page, words) in enumerate(zip(pages, page_words, strict=True)):
        if k + 1 >= len(pages):
            break
        lines = _body(page, words)
        heads = [i for i, line in enumerate(lines) if _is_heading(line)]
        if not heads:
            continue
        last = heads[-1]
        after = lines[last + 1:]
        if len(after) > 2:
            continue
        following = _body(pages[k + 1], page_words[k + 1])
        if not following or _is_heading(following[0]):
            continue  # the next page starts a new section: this one ended here
        line = lines[last]
        text = " ".join(w.text for w in line)
        box = (min(w.box[0] for w in line), min(w.box[1] for w in line),
               max(w.box[2] for w in line), max(w.box[3] for w in line))
        problems.append(Problem(page.number, "stranded-heading", (text,), (box,),
                                f"{len(after)} line(s) under it; the section goes on on "
                                f"page {page.number + 1}"))
    return problems
