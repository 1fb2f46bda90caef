"""WeasyPrint compatibility: the SVG text shortcut, gated by WeasyPrint's version.

WeasyPrint lays out and draws SVG text letter by letter; :func:`install_svg_text_lines` swaps
in :func:`svg_text_line`, which draws a plain label as one line (a quarter of a report's
drawing time). It follows WeasyPrint's private ``weasyprint.svg.text.text`` of the releases in
:data:`TESTED` only; on any other release nothing is patched and WeasyPrint draws as it always
does (the fallback). :func:`stock_svg_text` puts WeasyPrint's own drawing back for a block, so
tests can check that both draw the same (``tests/test_compat.py``) and benchmarks can time
both. This is the only module that touches WeasyPrint's internals.
"""

from __future__ import annotations

import importlib
from contextlib import contextmanager
from functools import cache
from math import inf

__all__ = ["TESTED", "install_svg_text_lines", "is_tested", "stock_svg_text", "svg_text_line"]


def is_tested(version: str | None = None) -> bool:
    """Whether the shortcut follows this WeasyPrint ``version`` (default: the installed one)."""
    if version is None:
        import weasyprint

        version = weasyprint.__version__
    return version.startswith(TESTED)


#: WeasyPrint releases whose SVG text code :func:`svg_text_line` follows (weasyprint/svg/text.py).
TESTED = ("70.",)
#: Attributes that place or space letters one by one: such text keeps WeasyPrint's own drawing.
_PER_LETTER = ("rotate", "letter-spacing", "textLength", "lengthAdjust")


@cache
def install_svg_text_lines() -> bool:
    """Draw plain SVG ``<text>`` as one line of text instead of one layout per letter.

    WeasyPrint lays out and draws SVG text letter by letter (so that ``x``/``y``/``rotate``
    lists can place each one); Matplotlib's labels never use that, and the per-letter work
    was a quarter of the drawing time of a report. :func:`svg_text_line` replaces it for a
    ``<text>`` element with no child elements, single ``x``/``y``/``dx``/``dy`` values and no
    per-letter attributes, and hands everything else to WeasyPrint's function. Only for the
    WeasyPrint versions in :data:`TESTED` (:func:`is_tested`); returns whether it is
    installed. Cached: the first call decides for the process (undo a block with
    :func:`stock_svg_text`).
    """
    import weasyprint.svg as wsvg

    if not is_tested():
        return False
    module = importlib.import_module("weasyprint.svg.text")
    original = module.text
    if wsvg.TAGS.get("text") is not original or getattr(wsvg, "text", None) is not original:
        return False

    def svg_text(svg, node, font_size):
        return svg_text_line(svg, node, font_size, original)

    svg_text._socialkit = True

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


def svg_text_line(svg, node, font_size, original):
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


@contextmanager
def stock_svg_text():
    """WeasyPrint's own SVG text drawing for the block (the shortcut, if installed, is put
    back afterwards)."""
    import weasyprint.svg as wsvg

    original = importlib.import_module("weasyprint.svg.text").text
    saved_tags, saved_text = dict(wsvg.TAGS), wsvg.text
    for tag, draw in list(wsvg.TAGS.items()):
        if getattr(draw, "_socialkit", False):
            wsvg.TAGS[tag] = original
    wsvg.text = original
    try:
        yield
    finally:
        wsvg.TAGS.clear()
        wsvg.TAGS.update(saved_tags)
        wsvg.text = saved_text
