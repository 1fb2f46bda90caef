"""Faster static SVG output of HoloViews' Matplotlib backend: one draw per figure.

HoloViews renders a figure for a notebook with ``bbox_inches="tight"``: Matplotlib then lays
the figure out twice (one pass to measure, one to write), and a figure with a colour bar is
drawn a third time, with Agg, only to learn where its axes ended up. For a batch of thousands
of PDF reports that is most of the time a figure costs. :class:`StaticSVGRenderer` draws the
SVG once at the figure's full size, measures the tight bounding box from that same draw and
crops the document to it (``viewBox``), so the picture is the one Matplotlib's tight output
gives, shifted by whole coordinates instead of re-laid-out. HoloViews' own slow paths (a colour
bar placed by an Agg draw, rcParams re-validated around every method, an overlay's unused range
pass) are replaced, on the HoloViews releases that was written against, in
:mod:`socialkit._compat.holoviews`; :func:`holoviews_defaults` puts HoloViews' own code back for
a block (tests, benchmarks). A legend beyond the canvas keeps its lines
(:mod:`socialkit._compat.matplotlib`).

The figure a notebook displays (HTML ``<img>``) is slimmed for print once, here
(:func:`socialkit.plots.svgslim.slim_svg`); the SVG text ``renderer(obj, fmt="svg")`` returns is
Matplotlib's. Only used for static figures (:func:`socialkit.plots.setup` with
``static=True``); Bokeh output is untouched.
"""

from __future__ import annotations

import base64
import re
from io import BytesIO
from itertools import chain

import holoviews as hv
import matplotlib as mpl
import param
from holoviews.plotting.mpl.renderer import MPLRenderer
from holoviews.plotting.renderer import HTML_TAGS, MIME_TYPES
from matplotlib.figure import Figure

from .._compat.holoviews import HOLOVIEWS_RC_CONTEXT as _HOLOVIEWS_RC_CONTEXT  # noqa: F401
from .._compat.holoviews import forget_colorbars, holoviews_defaults, install_patches
from .._compat.holoviews import rc_context as _rc_context  # noqa: F401  (tests, benchmarks)
from .._compat.matplotlib import unclipped_paths
from .svgslim import slim_svg

__all__ = ["PRINT_MAX_INCHES", "StaticSVGRenderer", "holoviews_defaults", "install",
           "render_svg"]

#: No date, creator or format block: the SVG is the same each run and has fewer nodes.
_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}
_ROOT = re.compile(r'<svg ([^>]*?)width="[^"]*" height="[^"]*" viewBox="[^"]*"')
_FIG_PATCH = re.compile(r'(<g id="patch_1">\s*<path d=")[^"]*(")')
#: Group tags: empty, attribute-free (or only an ``id``), other self-closing, other, closing.
_GROUP = re.compile(r'(<g(?: id="[^"]*")?/>)|(<g(?: id="[^"]*")?>)|(<g\b[^>]*/>)|(<g\b)|(</g>)')
#: Draws :func:`render_svg` may spend fitting a figure into ``max_inches``.
_FIT_DRAWS = 4
#: Largest printed figure (inches): the A4 text width of the reports (176 mm) and the height
#: their print style allows (``max-height: 160mm`` in ``reporting/templates/report.css``),
#: less a little. Figures are drawn at this size, so their text prints at the size it was set.
PRINT_MAX_INCHES: tuple[float, float] = (6.85, 6.2)


def _fmt(x: float) -> str:
    return f"{x:.6f}".rstrip("0").rstrip(".")


def render_svg(fig: Figure, *, dpi: float | None = 72, extra_artists=(), facecolor=None,
               edgecolor=None, pad_inches: float | None = None,
               max_inches: tuple[float, float] | None = None) -> str:
    """SVG text of ``fig`` cropped to its tight bounding box, from a single draw.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    dpi : float, optional
        Resolution of rasterised parts (e.g. colour-bar gradients), as ``savefig(dpi=)``.
    extra_artists : sequence of Artist
        Artists outside the axes to keep inside the crop (``bbox_extra_artists``).
    facecolor, edgecolor : colour, optional
        Figure background and edge; default the figure's own.
    pad_inches : float, optional
        Margin around the content; default :rc:`savefig.pad_inches`, as Matplotlib's
        ``bbox_inches="tight"``.
    max_inches : (float, float), optional
        Largest size of the cropped picture, width and height in inches (e.g. the text
        width and the figure height of a printed page). A larger figure is made smaller and
        drawn again — its text keeps its size, the axes shrink — rather than shrunk whole on
        the page, where its labels would print smaller than they were set. At most
        ``_FIT_DRAWS`` draws; a figure that still does not fit is returned as it is.

    Returns
    -------
    str
        The SVG document. Same drawing as ``savefig(format="svg", bbox_inches="tight")``,
        with the coordinates of the uncropped figure and a ``viewBox`` selecting the crop.
    """
    pad = mpl.rcParams["savefig.pad_inches"] if pad_inches is None else pad_inches
    pad = 0.1 if pad == "layout" else float(pad)
    extra = list(extra_artists)
    found = {}

    def draw(renderer):  # the one draw; the crop is measured from its layout
        unclipped_paths(renderer)   # a legend beyond the canvas keeps its lines
        Figure.draw(fig, renderer)
        found["bbox"] = fig.get_tightbbox(renderer, bbox_extra_artists=extra or None)
        found["height"] = fig.get_size_inches()[1]

    for attempt in range(_FIT_DRAWS):
        buf = BytesIO()
        fig.draw = draw
        try:
            fig.savefig(buf, format="svg", dpi=dpi, bbox_inches=None, metadata=_METADATA,
                        facecolor=fig.get_facecolor() if facecolor is None else facecolor,
                        edgecolor=fig.get_edgecolor() if edgecolor is None else edgecolor)
        finally:
            del fig.draw
        box = found["bbox"].padded(pad)
        if max_inches is None or attempt + 1 == _FIT_DRAWS:
            break
        sw, sh = min(max_inches[0] / box.width, 1.0), min(max_inches[1] / box.height, 1.0)
        if sw >= 0.999 and sh >= 0.999:
            break
        # each side by its own excess; the text keeps its size, so the picture shrinks less
        # than the figure: ask for a little more
        w, h = fig.get_size_inches()

        def smaller(size, factor, excess):  # proportional (fixed-aspect axes) or by the excess
            if factor >= 0.999:
                return size
            return max(min(size * max(factor ** 1.4 * 0.99, 0.25), size - 1.05 * excess), 1.0)

        fig.set_size_inches(smaller(w, sw, box.width - max_inches[0]),
                            smaller(h, sh, box.height - max_inches[1]), forward=False)
    svg = buf.getvalue().decode("utf-8")
    x0, y0 = box.x0 * 72, (found["height"] - box.y1) * 72
    w, h = box.width * 72, box.height * 72
    svg = _ROOT.sub(lambda m: f'<svg {m.group(1)}width="{_fmt(w)}pt" height="{_fmt(h)}pt" '
                              f'viewBox="{_fmt(x0)} {_fmt(y0)} {_fmt(w)} {_fmt(h)}"', svg, count=1)
    x1, y1 = x0 + w, y0 + h
    rect = f"M {_fmt(x0)} {_fmt(y1)} L {_fmt(x1)} {_fmt(y1)} L {_fmt(x1)} {_fmt(y0)} " \
           f"L {_fmt(x0)} {_fmt(y0)} z"
    svg = _FIG_PATCH.sub(lambda m: m.group(1) + rect + m.group(2), svg, count=1)
    return _flatten_groups(svg)


def _flatten_groups(svg: str) -> str:
    """Drop ``<g>`` elements that carry nothing but an ``id`` (their children stay).

    Matplotlib wraps every artist in such a group (``figure_1``, ``axes_1``, ``xtick_3``,
    ``text_7``...): no style, transform or clip, nothing refers to them, so the drawing is
    the same without them, and half the nodes WeasyPrint has to walk are gone (it draws a
    report's figures in about half the time).
    """
    out: list[str] = []
    keep: list[bool] = []
    pos = 0
    for m in _GROUP.finditer(svg):
        empty, plain, _closed, other, close = m.groups()
        if other:  # a group with attributes: kept, only noted for its closing tag
            keep.append(True)
            continue
        if _closed:
            continue
        out.append(svg[pos:m.start()])
        pos = m.end()
        if close:
            if keep.pop():
                out.append(close)
        elif plain:
            keep.append(False)
        # ``empty``: an empty group, dropped whole
    out.append(svg[pos:])
    return "".join(out)


class StaticSVGRenderer(MPLRenderer):
    """HoloViews' Matplotlib renderer, SVG written by :func:`render_svg` (one draw).

    A figure larger than :attr:`max_inches` is drawn again smaller (see :func:`render_svg`);
    ``max_inches=None`` keeps every figure at the size its options give.
    """

    max_inches = param.NumericTuple(default=PRINT_MAX_INCHES, length=2, allow_None=True, doc="""
        Largest cropped figure, (width, height) in inches; None: no limit.""")

    def _figure_data(self, plot, fmt, bbox_inches="tight", as_script=False, **kwargs):
        if fmt != "svg" or bbox_inches != "tight" or kwargs:
            return super()._figure_data(plot, fmt, bbox_inches=bbox_inches,
                                        as_script=as_script, **kwargs)
        fig = plot.state
        extra = list(chain.from_iterable(
            a for a in plot.traverse(lambda p: p.handles.get("bbox_extra_artists"))
            if a is not None))
        data = render_svg(fig, dpi=self.dpi, extra_artists=extra, max_inches=self.max_inches)
        if len(plot) == 1 and not getattr(plot, "dynamic", False):  # no later frames
            forget_colorbars(fig)
        if not as_script:
            return data
        # the notebook's (and so the report's) copy: slimmed for print once, here
        b64 = base64.b64encode(slim_svg(data.encode("utf-8"))).decode("utf-8")
        src = HTML_TAGS["base64"].format(mime_type=MIME_TYPES["svg"], b64=b64)
        return HTML_TAGS["svg"].format(src=src, mime_type=MIME_TYPES["svg"], css="")


def install() -> None:
    """Make the current Matplotlib renderer of HoloViews a :class:`StaticSVGRenderer`, and
    put in HoloViews' faster plotting paths (:func:`socialkit._compat.holoviews.install_patches`:
    only on the HoloViews releases they were written against).

    Idempotent; keeps the renderer's settings (``fig``, ``dpi``, ...).
    """
    current = hv.Store.renderers.get("matplotlib")
    if current is not None and not isinstance(current, StaticSVGRenderer):
        params = {k: v for k, v in current.param.values().items() if k != "name"}
        hv.Store.renderers["matplotlib"] = StaticSVGRenderer.instance(**params)
    install_patches()
