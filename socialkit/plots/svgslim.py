"""A static figure's SVG slimmed for print: the same picture, fewer nodes and no CSS work.

Measured on the maturity, needs and passport reports (``benchmarks/bench_render.py``): drawing
the Matplotlib SVG figures was a third of WeasyPrint's time, most of it in per-node CSS work and
clipping that the figures do not need. :func:`slim_svg` rewrites a figure once, where it is
made: :class:`socialkit.plots._static.StaticSVGRenderer` embeds the slimmed SVG in the
notebook's HTML output, so the report renderer (:mod:`socialkit.reporting.render`) takes the
figures as they come. The plain SVG (``renderer(obj, fmt="svg")``, what the figure tests and
:mod:`socialkit.plots.svgtext` read) is left as Matplotlib wrote it.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

__all__ = ["slim_svg"]

_SVG_NS = "http://www.w3.org/2000/svg"
_S = f"{{{_SVG_NS}}}"
_UNIVERSAL_RULE = re.compile(r"^\s*\*\s*\{([^{}]*)\}\s*$")
_URL_REF = re.compile(r"url\(#([^)]+)\)")
_ABS_PATH = re.compile(r"^[\sMLCQZz\d.eE+\-,]*$")  # absolute moveto/lineto/curveto/close only
_NUM = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
ET.register_namespace("", _SVG_NS)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")


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


def slim_svg(data: bytes) -> bytes:
    """The same picture in a form WeasyPrint draws faster (Matplotlib SVG in mind).

    - ``<metadata>`` is dropped;
    - ``style="a: b"`` becomes presentation attributes ``a="b"`` (WeasyPrint re-parses every
      style attribute with its CSS tokenizer);
    - Matplotlib's one stylesheet rule ``*{stroke-linejoin: round; stroke-linecap: butt}``
      becomes attributes (the root's, and an element's where an ancestor set another value),
      so no selector is matched against every node;
    - unreferenced ``id`` attributes and attribute-less ``<g>`` wrappers go;
    - clips that clip nothing go (:func:`_drop_noop_clips`).

    Anything else (another stylesheet, unparsable XML) is returned unchanged. The result is
    UTF-8 without an XML declaration.
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
