import holoviews as hv
import holoviews.plotting.bokeh
import holoviews.plotting.mpl
import matplotlib
import pytest

from socialkit.index import build
from socialkit.index.analysis import correlation_matrix
from socialkit.index.sensitivity import sensitivity
from socialkit.plots.index import (
    correlation_heatmap,
    framework_sunburst,
    rank_bands,
    sensitivity_bars,
    treatment_distributions,
)

matplotlib.use("Agg")


@pytest.fixture(params=["bokeh", "matplotlib"])
def backend(request):
    old = hv.Store.current_backend
    hv.Store.set_current_backend(request.param)
    yield request.param
    hv.Store.set_current_backend(old)


@pytest.fixture(scope="module")
def built(asem):
    idata, imeta = asem
    return build(idata, imeta)


_CHECK = {}


@pytest.fixture(autouse=True)
def _check_drawn(assert_drawn):
    _CHECK["drawn"] = assert_drawn


def _render(obj, backend):
    return _CHECK["drawn"](obj, backend)


def test_sunburst(built, backend):
    obj = framework_sunburst(built, lang="uk")
    poly = obj.get(0)
    # one wedge per node; indicator shares within the top aggregate sum to 1
    assert len(poly.data) == 49 + 11
    shares = [p["share"] for p in poly.data if p["level"] == 1]
    assert sum(shares) == pytest.approx(1.0)
    _render(obj, backend)


def test_treatment_distributions(built, backend):
    code = built.treatment.query("n_winsorised > 0")["iCode"].iloc[0]
    obj = treatment_distributions(built, code, lang="en")
    before, after = obj.get(0), obj.get(1)
    assert before.label == "Before treatment" and after.label == "After treatment"
    _render(obj, backend)


def test_heatmap(built, backend):
    m = correlation_matrix(built, list(built.framework.children["Physical"]))
    obj = correlation_heatmap(m, lang="uk")
    assert len(obj) == 64
    _render(obj, backend)


def test_rank_bands_and_sensitivity_bars(asem, backend):
    idata, imeta = asem
    s = sensitivity(idata, imeta, vary={"normalise": ["minmax", "prank"],
                                        "weights": {"noise": 0.3}}, n=20, n_boot=20)
    _render(rank_bands(s.summary, top=15), backend)
    _render(sensitivity_bars(s.indices), backend)


SCRIPT = """
import sys
import holoviews as hv
from socialkit.plots import setup
backend = setup(static=sys.argv[1] == "static")
from socialkit.index import build
from socialkit.index.analysis import correlation_matrix
from socialkit.index.sensitivity import uncertainty
from socialkit.plots.index import *
import pandas as pd
idata = pd.DataFrame({"uCode": list("ABCDEFGH"), "x": [1.0, 2, 3, 4, 5, 6, 7, 80],
                      "y": [3.0, 1, 2, 5, 4, 8, 6, 7], "z": [2.0, 2, 3, 1, 5, 4, 7, 9]})
imeta = pd.DataFrame({"iCode": ["x", "y", "z", "P", "Q", "I"], "Level": [1, 1, 1, 2, 2, 3],
                      "Parent": ["P", "P", "Q", "I", "I", None],
                      "Type": ["Indicator"] * 3 + ["Aggregate"] * 3})
res = build(idata, imeta, {"steps": ["treat", "normalise", "aggregate"]})
u = uncertainty(idata, imeta, {"steps": ["normalise", "aggregate"]},
                vary={"normalise": ["minmax", "rank"]}, n=10)
for fig in [framework_sunburst(res, lang="uk"), treatment_distributions(res, "x"),
            correlation_heatmap(correlation_matrix(res)), rank_bands(u.summary),
            sensitivity_bars(pd.DataFrame({"input": ["a", "b"], "Si": [0.2, 0.7],
                                           "STi": [0.25, 0.8]}))]:
    hv.render(fig, backend=backend)
print("rendered", backend)
"""


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["static", "interactive"])
def test_figures_build_with_only_one_backend_loaded(mode, tmp_path):
    """As a notebook does: setup() loads ONE backend, then every figure is built and rendered."""
    import subprocess
    import sys

    script = tmp_path / "figs.py"
    script.write_text(SCRIPT)
    out = subprocess.run([sys.executable, str(script), mode], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert ("matplotlib" if mode == "static" else "bokeh") in out.stdout
