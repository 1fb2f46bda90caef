"""Shared set-up for the static (PDF) figure tests."""

from __future__ import annotations

import holoviews as hv
import matplotlib as mpl
import pytest


@pytest.fixture(scope="module")
def static_svg():
    """Static SVG figures for one test module, labels as SVG text; undone afterwards."""
    import socialkit.plots
    from socialkit.plots import theme

    mp = pytest.MonkeyPatch()
    before = hv.Store.current_backend
    rc = dict.copy(mpl.rcParams)
    mp.setenv("SOCIALKIT_SVG_FONTTYPE", "none")  # labels stay text
    theme._loaded = None
    socialkit.plots.setup(static=True)
    yield
    dict.update(mpl.rcParams, rc)
    if before:
        hv.Store.set_current_backend(before)
    mp.undo()
