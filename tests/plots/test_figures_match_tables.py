"""Report figures say what their tables say: labels, row order and values read back from the
*rendered* static SVG (text positions), on the demo data, in English and Ukrainian."""

from __future__ import annotations

import holoviews as hv
import numpy as np
import pandas as pd
import pytest

from socialkit.plots.svgtext import svg_texts

pytestmark = pytest.mark.usefixtures("static_svg")


def _svg(obj) -> str:
    data, _ = hv.renderer("matplotlib")(obj, fmt="svg")
    return data.decode("utf-8") if isinstance(data, bytes) else data


def _number(text: str) -> float | None:
    try:
        return float(text.replace("\u2212", "-").replace("\xa0", "").replace(",", "."))
    except ValueError:
        return None


def read_heatmap(svg: str, rows: list[str], columns: list[str]) -> pd.DataFrame:
    """The grid of numbers a rendered heat map shows, indexed by the row label beside each
    row (same height) and the column label under each column (left to right)."""
    tx = svg_texts(svg)
    row_y = {r: tx.loc[(tx["text"] == r) & (tx["angle"] == 0), "cy"] for r in rows}
    assert all(len(v) == 1 for v in row_y.values()), "each row label once, horizontal"
    # rotated column labels end at their column
    cols = tx[tx["text"].isin(columns) & (tx["angle"] != 0)].sort_values("ex")
    assert sorted(cols["text"]) == sorted(columns)
    values = tx[(tx["anchor"] == "middle") & (tx["angle"] == 0)].copy()
    values["value"] = values["text"].map(_number)
    values = values.dropna(subset=["value"])
    grid = {}
    for row, y in row_y.items():
        here = values[(values["cy"] - y.iloc[0]).abs() < 1].sort_values("cx")
        grid[row] = here["value"].tolist()
    return pd.DataFrame.from_dict(grid, orient="index", columns=list(cols["text"]))


@pytest.fixture(scope="module")
def maturity(demo_catalog):
    from socialkit.maturity.files import assess_catalog

    return {lang: assess_catalog(demo_catalog, lang=lang) for lang in ("en", "uk")}


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_maturity_heatmap_rows_hold_their_municipalitys_scores(maturity, lang):
    """The row named after a municipality shows that municipality's scores (it showed
    another one's: HoloViews' Matplotlib heat map labels its rows in reverse)."""
    from socialkit.maturity import report
    from socialkit.plots.maturity import maturity_heatmap

    res = maturity[lang]
    mid = report.first_municipality(res)
    rnd = report.pick_round(res, mid, None)
    frame = report.heatmap_frame(res, rnd, lang, mid)
    table = frame.pivot(index="municipality", columns="dimension", values="score").round(0)
    assert table.round(0).nunique(axis=0).max() > 1      # rows differ: a swap would show
    shown = read_heatmap(_svg(maturity_heatmap(frame)), list(table.index),
                         list(table.columns))
    expected = table.loc[shown.index, shown.columns]
    np.testing.assert_array_equal(shown.to_numpy(dtype=float), expected.to_numpy(dtype=float))
    # and the municipality of the report shows the scores of its radar
    radar = report.radar_frame(res, mid, rnd, lang).set_index("dimension")["score"]
    name = report.municipality_name(res, mid, lang)
    assert shown.loc[name, radar.index].tolist() == radar.round(0).tolist()
