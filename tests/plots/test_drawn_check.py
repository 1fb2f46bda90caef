"""The figure tests' ``assert_drawn`` fails on a figure with nothing drawn (so they can fail)."""

import holoviews as hv
import pytest

hv.extension("bokeh", "matplotlib", logo=False)


@pytest.mark.parametrize("backend", ["bokeh", "matplotlib"])
def test_assert_drawn_fails_on_an_empty_figure_and_passes_on_data(assert_drawn, backend):
    with pytest.raises(AssertionError, match="nothing drawn"):
        assert_drawn(hv.Curve([]), backend)
    assert_drawn(hv.Curve([(0, 1), (1, 2)]), backend)
    assert_drawn(hv.Bars([("a", 1)]), backend)
