"""HoloViews compatibility: faster static-figure paths, gated by HoloViews' version.

Three private pieces of HoloViews' Matplotlib backend cost a batch of PDF reports most of a
figure's time; :func:`install_patches` replaces them (called by
:func:`socialkit.plots._static.install`, i.e. only for static figures):

* ``ColorbarPlot._draw_colorbar`` draws the whole figure with Agg only to read where its axes
  ended up: :func:`_position_without_draw` lets ``Axes.apply_aspect`` place them instead;
* ``holoviews.plotting.mpl.plot._rc_context`` re-validates all ~300 Matplotlib settings twice
  around every plotting method: :func:`rc_context` restores them raw;
* ``GenericOverlayPlot._apply_compositor`` computes an overlay's data ranges only to hand them
  to display-mode compositors, of which HoloViews defines none: :func:`_compositor_without_ranges`.

They follow the HoloViews releases in :data:`TESTED` (and the methods' signatures are checked);
on any other release nothing is replaced and HoloViews runs its own code (the fallback).
:func:`holoviews_defaults` puts HoloViews' own code back for a block, so the tests can check
that both give the same figures (``tests/plots/test_static_svg.py``: colour-bar positions,
texts and their places) and the benchmarks can time both. This is the only module that
touches HoloViews' internals.
"""

from __future__ import annotations

import importlib
import inspect
from contextlib import contextmanager
from functools import cache

import matplotlib as mpl

__all__ = ["HOLOVIEWS_RC_CONTEXT", "TESTED", "forget_colorbars", "holoviews_defaults",
           "install_patches", "is_tested", "rc_context"]

#: HoloViews releases whose private methods the replacements follow.
TESTED = ("1.19.", "1.20.", "1.21.", "1.22.", "1.23.")


def _mpl_plot():
    from holoviews.plotting.mpl import plot as mpl_plot

    return mpl_plot


#: HoloViews' own ``_rc_context`` (taken before anything replaces it).
HOLOVIEWS_RC_CONTEXT = _mpl_plot()._rc_context


def _owner(path: str):
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)


@cache
def is_tested(version: str | None = None) -> bool:
    """Whether the replacements follow this HoloViews ``version`` (default: the installed
    one, whose methods must also have the signatures they were written against)."""
    if version is not None:
        return version.startswith(TESTED)
    import holoviews

    if not holoviews.__version__.startswith(TESTED):
        return False
    for path, name, _wrap, params in _PATCHES:
        method = getattr(_owner(path), name, None)
        method = getattr(method, "__wrapped__", method)
        if method is None or list(inspect.signature(method).parameters) != params:
            return False
    return callable(getattr(_mpl_plot(), "_rc_context", None))


def forget_colorbars(fig) -> None:
    """Drop HoloViews' module-level record of this figure's colour bars.

    ``ColorbarPlot._colorbars`` is keyed by ``id(axis)`` and never emptied, so it kept every
    figure with a colour bar alive for the life of the kernel.
    """
    from holoviews.plotting.mpl.element import ColorbarPlot

    for ax in fig.axes:
        ColorbarPlot._colorbars.pop(id(ax), None)


def _position_without_draw(draw_colorbar):
    """Wrap ``ColorbarPlot._draw_colorbar`` so it does not draw the figure with Agg.

    It draws only to read the axes' final position; ``Axes.get_position`` applies the aspect
    itself. Figures with a layout engine or axes locators still get the real draw.
    """
    def wrapped(self, element=None, dimension=None, redraw=True):
        fig = self.handles["fig"]
        if fig.get_layout_engine() is not None or any(
                ax.get_axes_locator() is not None for ax in fig.axes):
            return draw_colorbar(self, element, dimension, redraw)
        canvas = fig.canvas
        canvas.draw = lambda *a, **k: [ax.apply_aspect() for ax in fig.axes]
        try:
            return draw_colorbar(self, element, dimension, redraw)
        finally:
            del canvas.draw

    wrapped._socialkit = True
    wrapped.__wrapped__ = draw_colorbar
    return wrapped


@contextmanager
def rc_context(rcparams):
    """Same contract as ``holoviews.plotting.mpl.plot._rc_context``, without revalidation.

    Applies ``rcparams`` (validated) for the block and afterwards restores every setting as it
    was, including any the block itself changed; the restore copies the already-valid values.
    """
    saved = dict.copy(mpl.rcParams)
    if rcparams:
        mpl.rcParams.update(rcparams)
    try:
        yield
    finally:
        if not dict.__eq__(mpl.rcParams, saved):
            _restore_rc(saved)


def _restore_rc(saved: dict) -> None:
    update = getattr(mpl.rcParams, "_update_raw", None)
    if update is not None:
        update(saved)
    else:  # pragma: no cover - Matplotlib < 3.10
        dict.update(mpl.rcParams, saved)


def _compositor_without_ranges(apply_compositor):
    """Wrap ``GenericOverlayPlot._apply_compositor``: no range pass when nothing would use it.

    The ranges only feed ``Compositor.collapse(mode="display")``; with no display-mode
    compositor defined the collapse returns the overlays unchanged, so they are skipped.
    """
    from holoviews.core.data import disable_pipeline
    from holoviews.core.options import Compositor

    def wrapped(self, holomap, ranges=None, keys=None, dimensions=None):
        if any(d.mode == "display" for d in Compositor.definitions):
            return apply_compositor(self, holomap, ranges, keys, dimensions)
        with disable_pipeline():
            return Compositor.collapse(holomap, None, mode="display")

    wrapped._socialkit = True
    wrapped.__wrapped__ = apply_compositor
    return wrapped


_PATCHES = (  # (owner, attribute, wrapper factory, the method's parameters)
    ("holoviews.plotting.mpl.element:ColorbarPlot", "_draw_colorbar", _position_without_draw,
     ["self", "element", "dimension", "redraw"]),
    ("holoviews.plotting.plot:GenericOverlayPlot", "_apply_compositor",
     _compositor_without_ranges, ["self", "holomap", "ranges", "keys", "dimensions"]),
)



def install_patches() -> bool:
    """Put in the faster paths (idempotent). Returns whether they are in: False on a HoloViews
    release they were not written against, which then keeps its own code."""
    if not is_tested():
        return False
    _mpl_plot()._rc_context = rc_context
    for path, name, wrap, _params in _PATCHES:
        owner = _owner(path)
        if not getattr(getattr(owner, name), "_socialkit", False):
            setattr(owner, name, wrap(getattr(owner, name)))
    return True


@contextmanager
def holoviews_defaults():
    """HoloViews' own plotting code for the block (the renderer is not changed)."""
    mpl_plot = _mpl_plot()
    saved = [(_owner(path), name) for path, name, _w, _p in _PATCHES]
    saved = [(owner, name, getattr(owner, name)) for owner, name in saved]
    rc = mpl_plot._rc_context
    for owner, name, current in saved:
        setattr(owner, name, getattr(current, "__wrapped__", current))
    mpl_plot._rc_context = HOLOVIEWS_RC_CONTEXT
    try:
        yield
    finally:
        for owner, name, current in saved:
            setattr(owner, name, current)
        mpl_plot._rc_context = rc
