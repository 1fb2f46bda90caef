"""The one look of socialkit figures, and the switch between interactive and static output.

Figures are HoloViews objects built by the functions in :mod:`socialkit.plots`; they carry only
backend-neutral options, and :func:`setup` loads the backend:

* in JupyterLab and in dashboards: Bokeh, interactive;
* in a batch PDF run (``SOCIALKIT_STATIC_FIGURES=1``, set by :mod:`socialkit.reporting`):
  Matplotlib rendering SVG, so figures are vector graphics and need no browser.

A report notebook calls ``socialkit.plots.setup()`` once, after its ``parameters`` cell.
"""

from __future__ import annotations

from .. import config
from ..monitoring.progress import STATUS_COLOURS  # the M&E status vocabulary's colours

__all__ = [
    "CATEGORICAL",
    "SEQUENTIAL",
    "STATUS_COLOURS",
    "DIVERGING",
    "FONT_FAMILY",
    "is_static",
    "setup",
    "style",
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
