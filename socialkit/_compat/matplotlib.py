"""Matplotlib compatibility: lines outside the figure's canvas kept in SVG output.

:func:`socialkit.plots._static.render_svg` draws a figure once at its full size and crops the
SVG to the tight bounding box of everything drawn, which may reach beyond the canvas (a legend
placed to the right of the axes). Matplotlib's SVG renderer clips unfilled paths to the canvas
as it writes them (``RendererSVG._convert_path`` with ``clip=True``), so such a legend's line
samples were written as ``<path>`` without a ``d``: the legend showed its labels but no lines.
:func:`unclipped_paths` turns that clipping off for one renderer; paths inside axes keep their
own ``clip-path``. It follows Matplotlib's private ``RendererSVG._convert_path`` of the
releases in :data:`TESTED`; on another release nothing is changed (lines beyond the canvas are
lost, as before). This is the only module that touches Matplotlib's internals.
"""

from __future__ import annotations

import inspect
from functools import cache

__all__ = ["TESTED", "is_tested", "unclipped_paths"]

#: Matplotlib releases whose ``RendererSVG._convert_path`` :func:`unclipped_paths` follows.
TESTED = ("3.8.", "3.9.", "3.10.", "3.11.")
_SIGNATURE = ["self", "path", "transform", "clip", "simplify", "sketch"]


@cache
def is_tested(version: str | None = None) -> bool:
    """Whether this Matplotlib ``version`` (default: the installed one) has the method as
    :func:`unclipped_paths` expects it."""
    import matplotlib
    from matplotlib.backends.backend_svg import RendererSVG

    if version is None:
        version = matplotlib.__version__
    method = getattr(RendererSVG, "_convert_path", None)
    return (version.startswith(TESTED) and method is not None
            and list(inspect.signature(method).parameters) == _SIGNATURE)


def unclipped_paths(renderer) -> bool:
    """Make the SVG renderer behind ``renderer`` (a ``MixedModeRenderer`` or a
    ``RendererSVG``) write every path whole, also where it lies beyond the canvas.

    Returns whether it did (False on an untested Matplotlib or another renderer).
    """
    from matplotlib.backends.backend_svg import RendererSVG

    svg = getattr(renderer, "_renderer", renderer)
    if not isinstance(svg, RendererSVG) or not is_tested():
        return False
    convert = svg._convert_path

    def whole(path, transform=None, clip=None, simplify=None, sketch=None):
        return convert(path, transform, None, simplify, sketch)

    svg._convert_path = whole
    return True
