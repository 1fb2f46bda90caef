"""The one look of socialkit figures, and the switch between interactive and static output.

Figures are HoloViews objects built by the functions in :mod:`socialkit.plots`; they carry only
backend-neutral options, and :func:`setup` loads the backend:

* in JupyterLab and in dashboards: Bokeh, interactive;
* in a batch PDF run (``SOCIALKIT_STATIC_FIGURES=1``, set by :mod:`socialkit.reporting`):
  Matplotlib rendering SVG, so figures are vector graphics and need no browser.

A report notebook calls ``socialkit.plots.setup()`` once, after its ``parameters`` cell.
"""

from __future__ import annotations

from functools import cache

from .. import config
from ..monitoring.progress import STATUS_COLOURS  # the M&E status vocabulary's colours

__all__ = [
    "CATEGORICAL",
    "SEQUENTIAL",
    "STATUS_COLOURS",
    "DIVERGING",
    "FONT_FAMILY",
    "is_static",
    "localise_axes",
    "localised",
    "setup",
    "style",
    "tick_decimals",
]

#: Colour-blind-safe categorical palette (Okabe–Ito).
CATEGORICAL: list[str] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
]
#: Sequential palette for scores 0–100 (light = low).
SEQUENTIAL: str = "Blues"
#: Diverging palette for deviations (z-scores, change).
DIVERGING: str = "RdBu_r"
#: A font with Cyrillic and Latin-with-diacritics glyphs, present on Debian (fonts-dejavu).
FONT_FAMILY: str = "DejaVu Sans"


def style(obj, common: dict | None = None, bokeh: dict | None = None,
          matplotlib: dict | None = None):
    """Apply ``common`` plus backend-specific options for every *loaded* backend.

    ``.opts()`` alone reaches only the current backend; a figure must look right whichever
    backend renders it (interactive Bokeh or static Matplotlib SVG). Backends that are not
    loaded are skipped (their options would raise).
    """
    import holoviews as hv

    per = {"bokeh": bokeh or {}, "matplotlib": matplotlib or {}}
    for backend in hv.Store.loaded_backends():
        opts = {**(common or {}), **per.get(backend, {})}
        if opts:
            obj = obj.opts(backend=backend, **opts)
    return obj


def tick_decimals(locs) -> int:
    """The fewest decimals (0-6) that write every tick value in ``locs`` exactly.

    >>> tick_decimals([-0.5, 0, 0.5, 1.0]), tick_decimals([0, 20, 40]), tick_decimals([0.25])
    (1, 0, 2)
    """
    import math

    vals = [float(v) for v in locs if v is not None and math.isfinite(float(v))]
    for d in range(7):
        if all(abs(round(v, d) - v) <= 1e-9 * max(1.0, abs(v)) for v in vals):
            return d
    return 6


@cache
def _locale_formatter():
    """Matplotlib's ``Formatter`` writing tick values for a language (made once, on first
    use: Matplotlib is imported only when a static figure is drawn)."""
    from matplotlib.ticker import Formatter

    from ..i18n import format_number

    class LocaleFormatter(Formatter):
        """Tick values written for the language (Babel), as many decimals as the ticks need:
        "0,5" in Ukrainian, "1 000" in Russian."""

        decimals = 0

        def __init__(self, lang: str) -> None:
            self.lang = lang

        def set_locs(self, locs) -> None:
            super().set_locs(locs)
            self.decimals = tick_decimals(locs)

        def __call__(self, x, pos=None) -> str:
            text = format_number(x, self.lang, self.decimals)
            return text.replace("-", "\u2212")   # the minus sign Matplotlib prints

    return LocaleFormatter


def _mpl_hook(lang: str):
    def hook(plot, element) -> None:
        from matplotlib.ticker import ScalarFormatter

        axes = [plot.handles.get("axis")]
        cbar = plot.handles.get("cbar")
        if cbar is not None:
            axes.append(cbar.ax)
        for ax in axes:
            if ax is None or not hasattr(ax, "xaxis"):
                continue
            for axis in (ax.xaxis, ax.yaxis):
                if type(axis.get_major_formatter()) is ScalarFormatter:
                    axis.set_major_formatter(_locale_formatter()(lang))
    hook.__name__ = f"localise_numbers_{lang}"
    return hook


def _bokeh_hook(lang: str):
    def hook(plot, element) -> None:
        import json

        from bokeh.models import BasicTickFormatter, CustomJSTickFormatter

        from ..i18n.catalogs import LOCALES

        tag = LOCALES[lang].replace("_", "-")
        code = ("return new Intl.NumberFormat(" + json.dumps(tag)
                + ", {maximumFractionDigits: 6}).format(tick);")
        fig = plot.state
        for axis in list(getattr(fig, "xaxis", [])) + list(getattr(fig, "yaxis", [])):
            if type(axis.formatter) is BasicTickFormatter:
                axis.formatter = CustomJSTickFormatter(code=code)
    hook.__name__ = f"localise_numbers_{lang}"
    return hook


def localise_axes(obj, lang: str):
    """Numbers on ``obj``'s numeric axes (and colour bar) written for ``lang``: "0,5", "1 000".

    A plot hook per loaded backend: Matplotlib's default number formatter is replaced by one
    that formats with Babel (as tables do), Bokeh's by the browser's ``Intl.NumberFormat`` for
    the same locale (no download: part of the browser). Categorical axes and axes with their
    own tick labels are left as they are. Hooks the figure already has are kept.
    """
    import holoviews as hv

    from ..i18n.catalogs import LOCALES

    if lang not in LOCALES:
        return obj
    makers = {"matplotlib": _mpl_hook, "bokeh": _bokeh_hook}
    backends = [b for b in hv.Store.loaded_backends() if b in makers]

    def one(el):
        for backend in backends:
            have = list(hv.Store.lookup_options(backend, el, "plot").kwargs.get("hooks") or [])
            have = [h for h in have if not getattr(h, "__name__", "").startswith(
                "localise_numbers_")]
            el = el.opts(backend=backend, hooks=[*have, makers[backend](lang)])
        return el

    # every element (in an overlay they share its axes; in a layout each has its own)
    return obj.map(one, [hv.Element]) if backends else obj


def localised(fn):
    """Decorate a figure function with a ``lang`` parameter: the numbers on the axes of the
    figure it returns are written for that language (:func:`localise_axes`)."""
    import functools
    import inspect

    sig = inspect.signature(fn)
    default = sig.parameters["lang"].default

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        out = fn(*args, **kwargs)
        lang = sig.bind_partial(*args, **kwargs).arguments.get("lang", default)
        return localise_axes(out, lang) if out is not None and lang else out

    return wrapper


#: The choice of the last :func:`setup` call (None: no one chose in this process).
_STATIC: bool | None = None


def is_static() -> bool:
    """True when figures are static SVG (batch PDF runs).

    The last explicit :func:`setup` call decides (the report engine's warm kernel calls
    ``setup(static=True)``); before any, :func:`socialkit.config.static_figures`.
    """
    return config.static_figures() if _STATIC is None else _STATIC


#: What the last :func:`setup` loaded: (backend, IPython shell id); a repeat call is cheap.
_loaded: tuple[str, int] | None = None


def _shell_id() -> int:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return 0
    return id(get_ipython())


def setup(static: bool | None = None) -> str:
    """Load the HoloViews backend for this session and return its name.

    Parameters
    ----------
    static : bool, optional
        Static SVG output (Matplotlib) or interactive output (Bokeh); the choice holds for
        later calls without an argument (so a notebook's ``setup()`` in a warm report kernel
        stays static). By default, :func:`is_static` decides.

    Returns
    -------
    str
        ``"matplotlib"`` or ``"bokeh"``.

    Notes
    -----
    Static output renders each figure's SVG in one Matplotlib draw
    (:class:`socialkit.plots._static.StaticSVGRenderer`). Calling ``setup(static=True)`` again in
    the same session (a warm report kernel, then the notebook) only re-applies the Matplotlib
    settings; ``hv.extension`` runs again when the backend or the IPython shell changed, or
    for Bokeh (whose extension also loads the page's JavaScript).
    """
    global _loaded, _STATIC
    import holoviews as hv

    from .tables import register_table_formatter

    static = is_static() if static is None else bool(static)
    _STATIC = static
    if static:
        import matplotlib

        register_table_formatter()
        matplotlib.use("Agg")
        matplotlib.rcParams["font.family"] = FONT_FAMILY
        matplotlib.rcParams["svg.fonttype"] = config.svg_fonttype()
        matplotlib.rcParams["svg.hashsalt"] = "socialkit"  # same ids each run
        from . import _static

        state = ("matplotlib", _shell_id())
        if (_loaded == state and hv.Store.current_backend == "matplotlib"
                and isinstance(hv.Store.renderers.get("matplotlib"), _static.StaticSVGRenderer)
                and hv.Store.renderers["matplotlib"].fig == "svg"):
            return "matplotlib"
        hv.extension("matplotlib", logo=False)
        hv.output(fig="svg", backend="matplotlib")
        _static.install()
        _loaded = state
        return "matplotlib"
    hv.extension("bokeh", logo=False)
    _loaded = ("bokeh", _shell_id())
    return "bokeh"
