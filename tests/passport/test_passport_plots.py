"""Passport figures render under both backends, with the data they are given."""

from __future__ import annotations

import holoviews as hv
import pytest

from socialkit.passport import (
    build_passport,
    comparison_frame,
    demography_frame,
    infrastructure_frame,
)
from socialkit.plots.passport import demography_bars, infrastructure_bars, rates_comparison

hv.extension("bokeh", "matplotlib")


@pytest.mark.parametrize("backend", ["bokeh", "matplotlib"])
def test_figures_render(tiny, backend, assert_drawn):
    p = build_passport(tiny, "M1")
    figs = [rates_comparison(comparison_frame(p, "uk"), title="x"),
            demography_bars(demography_frame(p, "en")),
            infrastructure_bars(infrastructure_frame(p, "en"))]
    for fig in figs:
        assert_drawn(fig, backend)


def test_comparison_frame_leaves_out_suppressed_rates(tiny):
    p = build_passport(tiny, "M1")
    f = comparison_frame(p, "en")
    idp = f.loc[f["group"] == "Internally displaced persons"].set_index("area")["rate"]
    assert idp.isna()["Municipality"] and idp.notna()["Oblast"]
    overlay = rates_comparison(f)
    drawn = {layer.label: len(layer) for layer in overlay}
    # 7 groups are profiled; the tiny data hold two; the suppressed idp rate is not drawn
    assert drawn["Municipality"] == 1 and drawn["Oblast"] == 2 and drawn["Peers"] == 2


def test_infrastructure_frame_counts(tiny):
    f = infrastructure_frame(build_passport(tiny, "M1"), "en")
    ssc = f.loc[f["kind"] == "social-service centre"].set_index("status")["settlements"]
    assert ssc.to_dict() == {"with": 1, "without": 2}


def test_static_infrastructure_axis_names_the_facility_only(tiny):
    fig = hv.render(infrastructure_bars(infrastructure_frame(build_passport(tiny, "M1"), "en"),
                                        kind_label="Facility", status_label="Status"),
                    backend="matplotlib")
    labels = {fig.axes[0].get_xlabel(), fig.axes[0].get_ylabel()}
    assert "Facility" in labels and not any("Status" in lab for lab in labels)
