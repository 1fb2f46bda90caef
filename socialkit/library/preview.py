"""A GeoJSON map of the library drawn as an SVG on the server: no tiles, no script, offline.

The coordinates are longitude/latitude (GeoJSON, RFC 7946); they are drawn in an
equirectangular projection scaled by the cosine of the map's mean latitude, which keeps shapes
right at the scale of a municipality or a district. Polygons are filled, lines stroked, points
drawn as dots; a feature's ``name`` (or ``name_<lang>``, ``title``) is its tooltip. Every text
is escaped: an uploaded file never puts markup on the page.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Iterator
from typing import Any

__all__ = ["geojson_svg"]

_NAME_KEYS = ("name", "title", "label", "NAME")


def _features(obj: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    kind = obj.get("type")
    if kind == "FeatureCollection":
        for feature in obj.get("features") or []:
            if isinstance(feature, dict):
                yield from _features(feature)
    elif kind == "Feature":
        geom = obj.get("geometry")
        if isinstance(geom, dict):
            yield geom, obj.get("properties") or {}
    elif isinstance(kind, str):
        yield obj, {}


def _parts(geom: dict[str, Any]) -> Iterator[tuple[str, list]]:
    """``(kind, rings or points)``: kind is ``polygon``, ``line`` or ``point``."""
    kind, coords = geom.get("type"), geom.get("coordinates")
    if kind == "GeometryCollection":
        for sub in geom.get("geometries") or []:
            if isinstance(sub, dict):
                yield from _parts(sub)
    elif kind == "Polygon":
        yield "polygon", coords or []
    elif kind == "MultiPolygon":
        for poly in coords or []:
            yield "polygon", poly
    elif kind == "LineString":
        yield "line", [coords or []]
    elif kind == "MultiLineString":
        yield "line", coords or []
    elif kind == "Point":
        yield "point", [[coords]] if coords else []
    elif kind == "MultiPoint":
        yield "point", [coords or []]


def _name(props: dict[str, Any], lang: str | None) -> str:
    for key in ((f"name_{lang}",) if lang else ()) + _NAME_KEYS:
        if props.get(key):
            return str(props[key])
    return ""


def geojson_svg(data: bytes | str, width: int = 640, height: int = 400,
                lang: str | None = None) -> str:
    """An ``<svg>`` drawing of the GeoJSON ``data`` (see the module).

    >>> svg = geojson_svg(b'{"type": "Feature", "properties": {"name": "A & B"},'
    ...                   b' "geometry": {"type": "Point", "coordinates": [30.5, 50.4]}}')
    >>> "<circle" in svg and "A &amp; B" in svg
    True

    Raises
    ------
    ValueError
        Not GeoJSON, or no coordinates to draw.
    """
    obj = json.loads(data)
    if not isinstance(obj, dict):
        raise ValueError("not a GeoJSON object")
    shapes = []
    xs: list[float] = []
    ys: list[float] = []
    for geom, props in _features(obj):
        for kind, rings in _parts(geom):
            clean = []
            for ring in rings:
                pts = [(float(p[0]), float(p[1])) for p in ring
                       if isinstance(p, list | tuple) and len(p) >= 2]
                if pts:
                    clean.append(pts)
                    xs.extend(x for x, _ in pts)
                    ys.extend(y for _, y in pts)
            if clean:
                shapes.append((kind, clean, _name(props, lang)))
    if not shapes:
        raise ValueError("no coordinates to draw")
    kx = math.cos(math.radians((min(ys) + max(ys)) / 2))
    x0, x1, y0, y1 = min(xs) * kx, max(xs) * kx, min(ys), max(ys)
    pad = 10
    span = max(x1 - x0, y1 - y0, 1e-9)
    scale = min((width - 2 * pad) / max(x1 - x0, span * 1e-3),
                (height - 2 * pad) / max(y1 - y0, span * 1e-3))

    def xy(p: tuple[float, float]) -> str:
        return f"{pad + (p[0] * kx - x0) * scale:.1f},{pad + (y1 - p[1]) * scale:.1f}"

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'width="100%" style="max-width:{width}px;background:#f8fafc" role="img">']
    for kind, rings, name in shapes:
        tip = f"<title>{html.escape(name)}</title>" if name else ""
        if kind == "point":
            for ring in rings:
                for p in ring:
                    cx, cy = xy(p).split(",")
                    out.append(f'<circle cx="{cx}" cy="{cy}" r="5" fill="#D55E00" '
                               f'stroke="white">{tip}</circle>')
            continue
        d = " ".join("M" + " L".join(xy(p) for p in ring) + (" Z" if kind == "polygon" else "")
                     for ring in rings)
        style = ('fill="#9ecae1" fill-opacity="0.7" stroke="#08519c" fill-rule="evenodd"'
                 if kind == "polygon" else 'fill="none" stroke="#08519c" stroke-width="2"')
        out.append(f'<path d="{d}" {style}>{tip}</path>')
    out.append("</svg>")
    return "".join(out)
