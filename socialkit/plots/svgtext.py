"""Read the text of a rendered static figure back from its SVG: what it says and where.

Tests check a figure against the table it draws by reading the *rendered* picture (labels,
row order, values), not the code that built it. Matplotlib writes each label as an SVG
``<text>`` element (``svg.fonttype = "none"``, as the batch runs) placed by ``x``/``y`` or by
a ``translate(x y)`` transform, optionally rotated; a label of several lines is one element
per line.
"""

from __future__ import annotations

import math
import re
from xml.etree import ElementTree as ET

import pandas as pd

__all__ = ["svg_texts"]

_TRANSLATE = re.compile(r"translate\(\s*([-\d.eE+]+)[\s,]+([-\d.eE+]+)\s*\)")
_ROTATE = re.compile(r"rotate\(\s*([-\d.eE+]+)")
_SIZE = re.compile(r"font-size:\s*([\d.]+)px")
_ANCHOR = re.compile(r"text-anchor:\s*(\w+)")


def svg_texts(svg: str | bytes) -> pd.DataFrame:
    """Every ``<text>`` of a Matplotlib SVG with its anchor point, size and rotation.

    Parameters
    ----------
    svg : str or bytes
        An SVG document (e.g. ``hv.renderer("matplotlib")(obj, fmt="svg")[0]``) whose labels
        are text, not paths.

    Returns
    -------
    pandas.DataFrame
        ``text, x, y, size, angle, anchor``, in document order. ``x``/``y`` are SVG user units
        (y grows downwards), ``size`` the font size in the same units, ``angle`` the rotation
        in degrees (counter-clockwise positive, as a reader sees it), ``anchor`` ``start``,
        ``middle`` or ``end``; ``width`` the advance of the text in DejaVu Sans at that size
        and ``cx``/``cy`` the middle of its baseline (where the text is, whatever its anchor
        and rotation; use it to order labels); ``ex``/``ey`` the end of its baseline (where
        a right-aligned label, such as a rotated tick label, meets its tick).

    Examples
    --------
    >>> row = svg_texts('<svg xmlns="http://www.w3.org/2000/svg"><text x="1" y="2" '
    ...                 'style="font-size: 8px">A</text></svg>').iloc[0]
    >>> row["text"], float(row["x"]), float(row["y"]), float(row["size"]), row["anchor"]
    ('A', 1.0, 2.0, 8.0, 'start')
    """
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    measure = TextToPath()

    root = ET.fromstring(svg)
    rows = []
    for el in root.iter():
        if not isinstance(el.tag, str) or not el.tag.endswith("}text") and el.tag != "text":
            continue
        text = "".join(el.itertext())
        transform = el.get("transform", "")
        move = _TRANSLATE.search(transform)
        x = float(el.get("x", 0.0)) + (float(move.group(1)) if move else 0.0)
        y = float(el.get("y", 0.0)) + (float(move.group(2)) if move else 0.0)
        turn = _ROTATE.search(transform)
        style = el.get("style", "")
        size = _SIZE.search(style)
        anchor = _ANCHOR.search(style)
        pts = float(size.group(1)) if size else 10.0
        angle = -float(turn.group(1)) + 0.0 if turn else 0.0
        where = anchor.group(1) if anchor else el.get("text-anchor", "start")
        width = measure.get_text_width_height_descent(
            text, FontProperties(family="DejaVu Sans", size=pts), ismath=False)[0]
        along = {"start": width / 2, "middle": 0.0, "end": -width / 2}.get(where, 0.0)
        rad = math.radians(angle)
        rows.append({"text": text, "x": x, "y": y, "size": pts, "angle": angle,
                     "anchor": where, "width": width, "cx": x + along * math.cos(rad),
                     "cy": y - along * math.sin(rad),
                     "ex": x + (along + width / 2) * math.cos(rad),
                     "ey": y - (along + width / 2) * math.sin(rad)})
    return pd.DataFrame(rows, columns=["text", "x", "y", "size", "angle", "anchor", "width",
                                       "cx", "cy", "ex", "ey"])
