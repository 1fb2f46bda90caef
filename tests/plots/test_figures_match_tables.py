"""Report figures say what their tables say: labels, row order and values read back from the
*rendered* static SVG (text positions), on the demo data, in English and Ukrainian."""

from __future__ import annotations

import textwrap

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

    result = assess_catalog(demo_catalog)  # language-free: one result for both languages
    return {lang: result for lang in ("en", "uk")}


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


@pytest.fixture(scope="module")
def monitoring(demo_tables):
    from socialkit.monitoring import load_framework
    from socialkit.monitoring import report as mr

    fw = load_framework()
    tables = {k: demo_tables[k] for k in ("municipalities", "indicator_values",
                                          "indicator_targets")}
    return fw, {lang: mr.municipality_report(tables, None, lang, fw) for lang in ("en", "uk")}


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_progress_bars_show_each_indicators_progress_in_table_order(monitoring, lang):
    """Top to bottom: the indicators of the progress table, each with the progress the table
    gives it printed on its row — also a value far beyond the axis (-866 %), whose bar ends
    at the axis edge with a marker named in the legend."""
    from socialkit.i18n import format_percent, t
    from socialkit.plots.monitoring import progress_bars

    fw, reps = monitoring
    latest = reps[lang].latest
    tx = svg_texts(_svg(progress_bars(latest, lang, fw)))
    names = [fw.indicator(i).label(lang) for i in latest["indicator_id"]]
    firsts = [textwrap.fill(n, 46, break_long_words=False).split("\n")[0] for n in names]
    rows = tx[tx["text"].isin(firsts)].sort_values("cy")
    assert rows["text"].tolist() == firsts                     # first line of each label
    shown = [format_percent(v, lang) for v in latest["progress"]]
    values = tx[tx["text"].isin(shown)].sort_values("cy")
    assert values["text"].tolist() == shown                      # same order, same values
    # each value on the row of its label (labels of several lines sit around the row)
    assert (values["cy"].to_numpy() > rows["cy"].to_numpy() - 12).all()
    assert (latest["progress"] < -0.5).any()                      # the demo has one beyond
    legend = " ".join(tx["text"])
    for key in ("target_reached", "on_track_from", "at_risk_from"):
        assert t(f"figures.monitoring.{key}", lang, value="").split("(")[0].strip()[:8] in legend
    assert not tx["text"].str.endswith("…").any()


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_trend_panels_have_their_own_axes_and_compare_targets_by_year(monitoring, lang):
    """The two trend panels (a percentage and a count) each have a y axis of their own that
    covers their own data and annual target; no panel letters."""
    from socialkit.plots.monitoring import trend_layout

    fw, reps = monitoring
    rep = reps[lang]
    behind = rep.latest.dropna(subset=["progress"]).nsmallest(2, "progress")["indicator_id"]
    assert {fw.indicator(i).unit for i in behind} == {"percent", "count"}
    tx = svg_texts(_svg(trend_layout(rep.series, rep.targets, behind, lang, fw)))
    assert not tx["text"].isin(["A", "B"]).any()
    ticks = tx[(tx["anchor"] == "end") & (tx["angle"] == 0)].copy()
    ticks["value"] = ticks["text"].map(_number)
    ticks = ticks.dropna(subset=["value"]).sort_values("cy")
    gap = ticks["cy"].diff().idxmax()                              # between the two panels
    first, second = ticks.loc[:gap].iloc[:-1], ticks.loc[gap:]
    for panel, ind in zip((first, second), behind, strict=True):
        target = rep.latest.set_index("indicator_id").loc[ind, "target"]
        actual = rep.latest.set_index("indicator_id").loc[ind, "actual"]
        top, bottom = panel["value"].max(), panel["value"].min()
        span = top - bottom
        assert bottom - span / 2 <= min(target, actual) and max(target, actual) <= top + span / 2
    assert first["value"].max() != second["value"].max()          # not one shared axis


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_disaggregation_bars_name_sexes_in_a_legend_and_ages_under_the_bars(monitoring, lang):
    from socialkit.i18n import t
    from socialkit.plots.monitoring import disaggregation_bars

    fw, reps = monitoring
    rep = reps[lang]
    first = next(iter(rep.disaggregations))
    tx = svg_texts(_svg(disaggregation_bars(rep.disaggregations[first], first, rep.period,
                                            lang, fw)))
    sexes = [t(f"monitoring.sex.{s}", lang) for s in ("female", "male")]
    assert sorted(tx.loc[tx["text"].isin(sexes), "text"]) == sorted(sexes)   # once each
    ages = [t(f"monitoring.age_group.{a}", lang) for a in ("0-17", "18-59", "60+")]
    shown = tx[tx["text"].isin(ages)].sort_values("cx")["text"].tolist()
    assert shown == ages
    assert fw.indicator(first).label(lang) in " ".join(tx["text"])   # the title, not cut
    assert not tx["text"].str.endswith("…").any()


@pytest.mark.parametrize("lang", ["ro", "sr-Latn", "uk"])
def test_axes_speak_the_language(demo_tables, lang):
    """Quarters on a trend's axis read as the language writes them ("T1 2021", not "2021Q1"),
    the progress axis is in per cent of the target, and numbers on numeric axes use the
    language's decimal mark and minus sign (Babel, like the tables)."""
    from socialkit.i18n import format_percent, format_period
    from socialkit.monitoring import compute_indicators, compute_progress
    from socialkit.plots.monitoring import progress_bars, trend_chart

    v, tg = demo_tables["indicator_values"], demo_tables["indicator_targets"]
    mid = demo_tables["municipalities"]["municipality_id"].iloc[0]
    series = compute_indicators(v[v.municipality_id == mid])
    text = " ".join(svg_texts(_svg(trend_chart(series, tg[tg.municipality_id == mid],
                                               "waiting_list", lang)))["text"])
    assert "2021Q1" not in text and format_period("2021Q1", lang) in text
    prog = compute_progress(v, tg)
    one = prog[(prog.unit_id == mid) & (prog.period == "2021")]
    ticks = svg_texts(_svg(progress_bars(one, lang)))["text"].tolist()
    for share in (-0.5, 0.5, 1.5):
        assert format_percent(share, lang).replace("-", "\u2212") in ticks or \
            format_percent(share, lang) in ticks, (share, ticks)
    assert "0.5" not in ticks and "1.5" not in ticks


def test_numeric_ticks_use_the_languages_decimal_mark():
    """A plain numeric axis (no labels of its own): "0,5" in Romanian, "0.5" in English; a
    minus sign, not a hyphen; an existing hook of the figure is kept."""
    from socialkit.plots.theme import localise_axes

    seen = []
    curve = hv.Curve([(-1.0, 0.0), (0.0, 0.5), (1.0, 1.5)]).opts(
        hooks=[lambda plot, element: seen.append(1)], backend="matplotlib")
    ro = svg_texts(_svg(localise_axes(curve, "ro")))["text"].tolist()
    en = svg_texts(_svg(localise_axes(curve, "en")))["text"].tolist()
    assert "0,5" in ro and "\u22121,0" in ro and "0.5" not in ro
    assert "0.5" in en
    assert seen, "the figure's own hook was dropped"
