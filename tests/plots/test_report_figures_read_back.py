"""The maturity, needs and passport figures say what the frames their notebooks pass them say:
labels, row order and values read back from the *rendered* static SVG (text positions, marker
positions on the axis the tick labels define), on the demo data, in English and Ukrainian."""

from __future__ import annotations

import math
import re
import textwrap
from xml.etree import ElementTree as ET

import holoviews as hv
import numpy as np
import pandas as pd
import pytest

from socialkit.plots.svgtext import svg_texts

pytestmark = pytest.mark.usefixtures("static_svg")

LANGS = ["en", "uk"]
_PATH_NUM = re.compile(r"[-\d.eE+]+")
_XLINK = "{http://www.w3.org/1999/xlink}href"


def _svg(obj) -> str:
    data, _ = hv.renderer("matplotlib")(obj, fmt="svg")
    return data.decode("utf-8") if isinstance(data, bytes) else data


def _number(text: str) -> float | None:
    try:
        return float(text.replace("\u2212", "-").replace("\xa0", "").replace("\u202f", "")
                     .replace(",", "."))
    except ValueError:
        return None


def markers(svg: str) -> pd.DataFrame:
    """Every marker drawn: centre and fill colour, in document order.

    Matplotlib writes the markers of a collection either as ``<use x= y=>`` of one shape or,
    for a few points, as one small closed ``<path>`` each; both are read.
    """
    rows = []
    for el in ET.fromstring(svg).iter():
        if not isinstance(el.tag, str):
            continue
        fill = re.search(r"fill:\s*(#[0-9a-fA-F]{6})", el.get("style", ""))
        fill = fill.group(1).lower() if fill else ""
        if el.tag.endswith("}use") and el.get("x") is not None:
            rows.append({"x": float(el.get("x")), "y": float(el.get("y")), "fill": fill})
        elif el.tag.endswith("}path") and fill and el.get("d", "").rstrip().endswith("z"):
            nums = [float(v) for v in _PATH_NUM.findall(el.get("d", ""))]
            xs, ys = nums[0::2], nums[1::2]
            if xs and max(xs) - min(xs) < 15 and max(ys) - min(ys) < 15:
                rows.append({"x": (min(xs) + max(xs)) / 2, "y": (min(ys) + max(ys)) / 2,
                             "fill": fill})
    return pd.DataFrame(rows, columns=["x", "y", "fill"])


def _x_ticks(tx: pd.DataFrame) -> pd.DataFrame:
    ticks = tx[(tx["anchor"] == "middle") & (tx["angle"] == 0)].copy()
    ticks["value"] = ticks["text"].map(_number)
    ticks = ticks.dropna(subset=["value"])
    lowest = ticks["cy"].max()                             # the axis row: lowest numbers
    ticks = ticks[(ticks["cy"] - lowest).abs() < 1]
    assert len(ticks) >= 3
    return ticks


def x_scale(tx: pd.DataFrame):
    """Data value of an SVG x, from the numeric tick labels under the x axis."""
    ticks = _x_ticks(tx)
    slope, icept = np.polyfit(ticks["cx"], ticks["value"], 1)
    return lambda x: slope * np.asarray(x, dtype=float) + icept


def plotted(dots: pd.DataFrame, tx: pd.DataFrame) -> pd.DataFrame:
    """The markers over the x axis' ticks, not the legend's beside the plot."""
    ticks = _x_ticks(tx)
    lo, hi = ticks["cx"].min(), ticks["cx"].max()
    margin = 0.1 * (hi - lo)
    return dots[(dots["x"] > lo - margin) & (dots["x"] < hi + margin)]


def y_labels(tx: pd.DataFrame, firsts: list[str]) -> pd.DataFrame:
    """The horizontal labels whose text is one of ``firsts``, top to bottom."""
    rows = tx[tx["text"].isin(firsts) & (tx["angle"] == 0)]
    return rows.sort_values("cy")


# -- maturity -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def maturity():
    from socialkit.maturity import report
    from socialkit.maturity.files import assess_catalog

    out = {}
    for lang in LANGS:  # as notebooks/digital_maturity.ipynb
        res = assess_catalog(None)
        mid = report.first_municipality(res)
        rnd = report.pick_round(res, mid, None)
        name = report.municipality_name(res, mid, lang)
        shown = set(report.heatmap_peers(res, rnd, mid))
        radar, group = report.safe_radar_frame(res, mid, rnd, lang, visible=shown)
        peers = report.peer_label(res, mid, rnd, lang, group) if group else ""
        out[lang] = {"res": res, "mid": mid, "name": name, "radar": radar, "peers": peers,
                     "progress": report.progress_frame(res, mid, lang)}
    return out


@pytest.fixture(scope="module")
def radar_svg(maturity):
    from socialkit.i18n import t
    from socialkit.plots.maturity import maturity_radar

    return {lang: svg_texts(_svg(maturity_radar(m["radar"], name=m["name"],
                                                peer_name=m["peers"],
                                                title=t("maturity.plot.radar_title", lang))))
            for lang, m in maturity.items()}


@pytest.mark.parametrize("lang", LANGS)
def test_radar_names_its_dimensions_clockwise_from_the_top(maturity, radar_svg, lang):
    """Each dimension of the radar frame is named once, in the frame's order clockwise from
    twelve o'clock, and marked "(–)" exactly when its score is missing."""
    frame, tx = maturity[lang]["radar"], radar_svg[lang]
    assert len(frame) >= 3
    wrapped = [textwrap.fill(str(d), 16) + ("" if np.isfinite(s) else " (–)")
               for d, s in zip(frame["dimension"], pd.to_numeric(frame["score"]), strict=True)]
    firsts = [w.split("\n")[0] for w in wrapped]
    assert len(set(firsts)) == len(firsts)
    found = tx[tx["text"].isin(firsts)]
    assert sorted(found["text"]) == sorted(firsts)          # each once
    at = found.set_index("text").loc[firsts]
    # centre of the chart: the labels stand evenly round it
    cx, cy = at["cx"].mean(), at["cy"].mean()
    turn = [(90 - math.degrees(math.atan2(-(y - cy), x - cx))) % 360
            for x, y in zip(at["cx"], at["cy"], strict=True)]
    step = 360 / len(frame)
    assert min(turn[0], 360 - turn[0]) < step / 3                 # the first at the top
    rel = [(u - turn[0]) % 360 for u in turn]
    assert rel == sorted(rel)                                   # then clockwise, in order
    np.testing.assert_allclose(rel, np.arange(len(frame)) * step, atol=step / 3)
    # every further line of a wrapped name is printed too
    rest = [ln for w in wrapped for ln in w.split("\n")[1:]]
    assert set(rest) <= set(tx["text"])


@pytest.mark.parametrize("lang", LANGS)
def test_radar_legend_names_the_municipality_and_its_peers(maturity, radar_svg, lang):
    m, tx = maturity[lang], radar_svg[lang]
    assert m["name"] in set(tx["text"])
    if m["peers"]:
        assert m["peers"] in set(tx["text"]) or m["peers"].split("\n")[0] in set(tx["text"])
    assert not tx["text"].str.endswith("…").any()


def _paths(svg: str, key: str, colour: str) -> list[np.ndarray]:
    """Vertices (n×2, SVG units) of the paths whose ``key`` (fill, stroke) is ``colour``:
    plain ``<path>`` elements and the ``<use>`` of a defined shape at an offset (how
    Matplotlib writes a patch collection)."""
    def coords(d: str) -> np.ndarray:
        nums = [float(v) for v in _PATH_NUM.findall(d)]
        return np.array(nums[: len(nums) // 2 * 2]).reshape(-1, 2)

    def colour_of(style: str) -> str:
        found = re.search(rf"(?<![-\w]){key}:\s*(#[0-9a-fA-F]{{6}})", style)
        return found.group(1).lower() if found else ""

    root = ET.fromstring(svg)
    shapes = {el.get("id"): el for el in root.iter()
              if isinstance(el.tag, str) and el.tag.endswith("}path") and el.get("id")}
    out = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag.endswith("}path") and not el.get("id"):
            if colour_of(el.get("style", "")) == colour.lower():
                out.append(coords(el.get("d", "")))
        elif el.tag.endswith("}use"):
            shape = shapes.get((el.get(_XLINK) or "").lstrip("#"))
            if shape is None:
                continue
            # the use's own style wins over the shape's
            here = colour_of(el.get("style", "")) or colour_of(shape.get("style", ""))
            if here == colour.lower():
                offset = np.array([float(el.get("x", 0)), float(el.get("y", 0))])
                out.append(coords(shape.get("d", "")) + offset)
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_radar_draws_each_score_and_peer_mean_on_its_spoke(maturity, lang):
    """The municipality's polygon reaches, on each dimension's spoke, the score of the radar
    frame (missing: 0), and the dashed peer line the peer mean; read on the grid whose outer
    ring is 100."""
    from socialkit.i18n import t
    from socialkit.plots.maturity import maturity_radar
    from socialkit.plots.theme import CATEGORICAL

    m = maturity[lang]
    frame = m["radar"]
    svg = _svg(maturity_radar(frame, name=m["name"], peer_name=m["peers"],
                              title=t("maturity.plot.radar_title", lang)))
    grid = max(_paths(svg, "stroke", "#cccccc"), key=len)
    (x0, y0), (x1, y1) = grid.min(axis=0), grid.max(axis=0)
    centre, radius = np.array([(x0 + x1) / 2, (y0 + y1) / 2]), (x1 - x0) / 2
    assert radius == pytest.approx((y1 - y0) / 2, rel=0.02)
    n = len(frame)
    ang = np.pi / 2 - 2 * np.pi * np.arange(n) / n
    spokes = np.column_stack([np.cos(ang), -np.sin(ang)])       # SVG y grows downwards

    def reach(vertices: np.ndarray) -> list[float]:
        rel = (vertices - centre) / radius * 100
        out = []
        for s in spokes:           # the vertex on this spoke (or at the centre)
            along = rel @ s
            across = np.abs(rel[:, 0] * s[1] - rel[:, 1] * s[0])
            on = (across < 1.0) & (along > -1.0)
            out.append(float(along[on].max()) if on.any() else np.nan)
        return out

    own = max(_paths(svg, "stroke", CATEGORICAL[0]), key=len)
    # filled in the house colour of its outline (it was HoloViews' default blue)
    filled = max(_paths(svg, "fill", CATEGORICAL[0]), key=len, default=np.empty((0, 2)))
    np.testing.assert_allclose(reach(filled), reach(own), atol=0.6)
    scores = pd.to_numeric(frame["score"], errors="coerce").fillna(0).to_numpy(dtype=float)
    np.testing.assert_allclose(reach(own), scores, atol=0.6)
    if m["peers"]:
        peer = max(_paths(svg, "stroke", CATEGORICAL[1]), key=len)
        means = pd.to_numeric(frame["peer_mean"], errors="coerce").fillna(0).to_numpy(float)
        np.testing.assert_allclose(reach(peer), means, atol=0.6)



def test_radar_without_a_peer_average_draws_no_peer_line_and_names_no_column():
    """With no peer group large enough (the report says so in its text), the radar has no
    dashed line and no legend entry (it read "peer_mean", a column name, in every language)."""
    from socialkit.plots.maturity import maturity_radar
    from socialkit.plots.theme import CATEGORICAL

    frame = pd.DataFrame({"dimension": ["Strategie", "Date", "Servicii online"],
                          "score": [40.0, 60.0, 20.0], "peer_mean": [np.nan] * 3})
    svg = _svg(maturity_radar(frame, name="Antonești", peer_name="", title="Radar"))
    texts = set(svg_texts(svg)["text"])
    assert "Antonești" in texts and not {"peer_mean", ""} & texts
    assert _paths(svg, "stroke", CATEGORICAL[1]) == []



@pytest.mark.parametrize("n", [10, 27, 45])
def test_heatmap_row_labels_never_overlap_however_many_municipalities(n):
    """Moldova's district has 27 communes, Vojvodina 45 municipalities: each row's label is
    lower than the row (they were 10 pt labels on 7 pt rows, printed over each other)."""
    from socialkit.plots.maturity import maturity_heatmap

    names = [f"Општина {i:02d}" for i in range(n)]
    dims = ("Стратегија и руковођење", "Узаемадзеянне з рэспубліканскімі сістэмамі",
            "Интероперабилност са националним системима")  # long labels at 45° below
    frame = pd.DataFrame([(d, m, 50.0) for d in dims for m in names],
                         columns=["dimension", "municipality", "score"])
    tx = svg_texts(_svg(maturity_heatmap(frame, title="T")))
    rows = tx[tx["text"].isin(names)].sort_values("cy")
    assert len(rows) == n
    assert rows["cy"].diff().dropna().min() >= rows["size"].max()


def test_radar_keeps_long_dimension_words_whole():
    """"Интероперабилност" (17 letters) was split "Интероперабилнос" / "т"."""
    from socialkit.plots.maturity import maturity_radar

    frame = pd.DataFrame({"dimension": ["Интероперабилност са националним системима", "Б", "В"],
                          "score": [10.0, 20.0, 30.0], "peer_mean": [10.0, 20.0, 30.0]})
    texts = list(svg_texts(_svg(maturity_radar(frame, name="x", peer_name="y")))["text"])
    assert "Интероперабилност" in texts


@pytest.fixture(scope="module")
def progress_svg(maturity):
    from socialkit.i18n import t
    from socialkit.plots.maturity import maturity_progress

    return {lang: _svg(maturity_progress(m["progress"],
                                         title=t("maturity.plot.progress_title", lang),
                                         xlabel=t("maturity.plot.axis_dimension", lang),
                                         ylabel=t("maturity.plot.axis_score", lang)))
            for lang, m in maturity.items()}


@pytest.mark.parametrize("lang", LANGS)
def test_progress_rows_are_the_dimensions_and_dots_sit_at_their_scores(maturity,
                                                                        progress_svg, lang):
    """Top to bottom the dimensions of the progress frame; each round a dot of its legend
    colour on its dimension's row, at the score the frame gives (read on the score axis)."""
    from socialkit.plots.theme import CATEGORICAL

    frame = maturity[lang]["progress"].copy()
    frame["score"] = pd.to_numeric(frame["score"], errors="coerce")
    svg = progress_svg[lang]
    tx = svg_texts(svg)
    dims = list(dict.fromkeys(frame["dimension"]))
    shown = [textwrap.shorten(d, 42) for d in dims]
    rows = y_labels(tx, shown)
    assert rows["text"].tolist() == shown
    rounds = sorted(frame["round"].astype(str).unique())
    assert len(rounds) >= 2
    assert set(rounds) <= set(tx["text"])                  # legend: one entry per round
    value = x_scale(tx)
    dots = plotted(markers(svg), tx)
    row_y = dict(zip(rows["text"], rows["cy"], strict=True))
    for k, rnd in enumerate(rounds):
        mine = frame[(frame["round"].astype(str) == rnd)].dropna(subset=["score"])
        drawn = dots[dots["fill"] == CATEGORICAL[k % len(CATEGORICAL)].lower()]
        # the legend's own marker of that colour sits beside the legend, off every row
        for _, r in mine.iterrows():
            y = row_y[textwrap.shorten(r["dimension"], 42)]
            here = drawn[(drawn["y"] - y).abs() < 6]
            assert len(here) == 1, (rnd, r["dimension"], len(here))
            assert value(here["x"].iloc[0]) == pytest.approx(r["score"], abs=0.6)


# -- passport -------------------------------------------------------------------------------


def rects(svg: str, fill: str) -> pd.DataFrame:
    """Boxes (x0, x1, y0, y1; SVG units, y down) of the filled paths of colour ``fill``."""
    rows = []
    for el in ET.fromstring(svg).iter():
        if not (isinstance(el.tag, str) and el.tag.endswith("}path")):
            continue
        colour = re.search(r"fill:\s*(#[0-9a-fA-F]{6})", el.get("style", ""))
        if not colour or colour.group(1).lower() != fill.lower():
            continue
        nums = [float(v) for v in _PATH_NUM.findall(el.get("d", ""))]
        xs, ys = nums[0::2], nums[1::2]
        rows.append({"x0": min(xs), "x1": max(xs), "y0": min(ys), "y1": max(ys)})
    return pd.DataFrame(rows, columns=["x0", "x1", "y0", "y1"])


def y_scale(tx: pd.DataFrame):
    """Data value of an SVG y, from the numeric tick labels left of the y axis."""
    ticks = tx[(tx["anchor"] == "end") & (tx["angle"] == 0)].copy()
    ticks["value"] = ticks["text"].map(_number)
    ticks = ticks.dropna(subset=["value"])
    assert len(ticks) >= 3
    slope, icept = np.polyfit(ticks["cy"], ticks["value"], 1)
    return lambda y: slope * np.asarray(y, dtype=float) + icept


@pytest.fixture(scope="module")
def passport():
    from socialkit.i18n import t
    from socialkit.passport import (
        build_passport,
        comparison_frame,
        demography_frame,
        infrastructure_frame,
    )
    from socialkit.plots.passport import demography_bars, infrastructure_bars, rates_comparison

    p = build_passport(None, None)
    out = {}
    for lang in LANGS:  # as notebooks/social_passport.ipynb
        rates = comparison_frame(p, lang)
        ages = demography_frame(p, lang)
        infra = infrastructure_frame(p, lang)
        out[lang] = {
            "rates": (rates, _svg(rates_comparison(
                rates, title=t("passport.plot.rates_title", lang),
                value_label=t("passport.plot.rate_axis", lang),
                group_label=t("passport.plot.group_axis", lang),
                area_label=t("passport.plot.area", lang)))),
            "ages": (ages, _svg(demography_bars(
                ages, title=t("passport.plot.demography_title", lang),
                value_label=t("passport.plot.population_axis", lang),
                label_label=t("passport.plot.age_axis", lang)))),
            "infra": (infra, _svg(infrastructure_bars(
                infra, title=t("passport.plot.infrastructure_title", lang),
                value_label=t("passport.plot.settlements_axis", lang),
                kind_label=t("passport.columns.facility_kind", lang),
                status_label=t("passport.plot.status", lang)))),
        }
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_rates_rows_are_the_groups_and_each_areas_dot_sits_at_its_rate(passport, lang):
    """Top to bottom the groups of the comparison frame; one dot per area (its legend
    colour) on the group's row at the rate the frame gives; none where the rate is missing
    (suppressed)."""
    from socialkit.plots.theme import CATEGORICAL

    frame, svg = passport[lang]["rates"]
    frame = frame.assign(rate=pd.to_numeric(frame["rate"], errors="coerce"))
    tx = svg_texts(svg)
    groups = list(dict.fromkeys(frame["group"]))
    firsts = [textwrap.fill(str(g), 28).split("\n")[0] for g in groups]
    rows = y_labels(tx, firsts)
    assert rows["text"].tolist() == firsts
    areas = list(dict.fromkeys(frame["area"]))
    assert set(areas) <= set(tx["text"])                    # legend
    assert frame["rate"].isna().any()                         # the demo has a gap
    value, dots = x_scale(tx), plotted(markers(svg), tx)
    row_y = dict(zip(groups, rows["cy"], strict=True))
    for i, area in enumerate(areas):
        drawn = dots[dots["fill"] == CATEGORICAL[i % len(CATEGORICAL)].lower()]
        for _, r in frame[frame["area"] == area].iterrows():
            # a row's label is its first line: a label of two lines sits a little higher
            here = drawn[(drawn["y"] - row_y[r["group"]]).abs() < 9]
            if pd.isna(r["rate"]):
                assert here.empty, (area, r["group"])
            else:
                assert len(here) == 1, (area, r["group"], len(here))
                assert value(here["x"].iloc[0]) == pytest.approx(r["rate"], rel=0.01, abs=1)


@pytest.mark.parametrize("lang", LANGS)
def test_demography_bars_are_the_age_groups_left_to_right_at_their_counts(passport, lang):
    from socialkit.plots.theme import CATEGORICAL

    frame, svg = passport[lang]["ages"]
    tx = svg_texts(svg)
    groups = frame["age_group"].astype(str).tolist()
    shown = tx[tx["text"].isin(groups)].sort_values("cx")
    assert shown["text"].tolist() == groups
    bars = rects(svg, CATEGORICAL[0]).sort_values("x0")
    assert len(bars) == len(groups)
    value = y_scale(tx)
    heights = value(bars["y0"]) - value(bars["y1"])             # top minus bottom
    np.testing.assert_allclose(heights, frame["population"].astype(float), rtol=0.01)
    # each age label under its own bar
    centres = (bars["x0"] + bars["x1"]).to_numpy() / 2
    np.testing.assert_allclose(shown["cx"].to_numpy(), centres, atol=3)


@pytest.mark.parametrize("lang", LANGS)
def test_infrastructure_bars_split_each_kind_as_the_frame_does(passport, lang):
    """Each facility kind's row: a "with" segment and a "without" segment (the two legend
    colours) as long as the frame's counts, on the row its label names."""
    from socialkit.plots.theme import CATEGORICAL

    frame, svg = passport[lang]["infra"]
    tx = svg_texts(svg)
    kinds = list(dict.fromkeys(frame["kind"].astype(str)))
    rows = y_labels(tx, kinds)
    assert sorted(rows["text"]) == sorted(kinds)
    statuses = list(dict.fromkeys(frame["status"].astype(str)))
    assert set(statuses) <= set(tx["text"])                  # legend
    value = x_scale(tx)
    counts = frame.set_index(["kind", "status"])["settlements"].astype(float)
    for status, colour in zip(statuses, (CATEGORICAL[2], CATEGORICAL[5]), strict=True):
        segs = rects(svg, colour)
        segs = segs[segs["y1"] - segs["y0"] > 10]               # bars, not the legend swatch
        for kind, y in zip(rows["text"], rows["cy"], strict=True):
            here = segs[(segs["y0"] < y) & (segs["y1"] > y - 8)]
            assert len(here) == 1, (status, kind, len(here))
            length = float(value(here["x1"].iloc[0]) - value(here["x0"].iloc[0]))
            assert length == pytest.approx(counts[kind, status], abs=0.3), (status, kind)


# -- needs ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def needs():
    from socialkit.i18n import t
    from socialkit.needs.display import cluster_names
    from socialkit.passport import load_tables, resolve_municipality
    from socialkit.plots.needs import profile_heatmap
    from socialkit.plots.vulnerability import municipality_position, rank_bands
    from socialkit.vulnerability import (
        needs_clusters,
        position_peers,
        read_vulnerability_spec,
        vulnerability_index,
    )

    tables = load_tables(None)
    mid = resolve_municipality(tables["municipalities"], None)
    spec = read_vulnerability_spec()
    runs = spec.uncertainty.runs
    settlements = vulnerability_index(tables, "settlement", uncertainty_runs=runs)
    municipalities = vulnerability_index(tables, "municipality", uncertainty_runs=runs)
    clusters = needs_clusters(settlements)
    out = {}
    for lang in LANGS:  # as notebooks/needs_analysis.ipynb
        mine = settlements.scores.loc[settlements.scores["municipality_id"] == mid]
        ranks = mine.assign(label=mine["name_local" if lang == "uk" else "name"])
        ms = position_peers(municipalities, mid)
        position = ms.assign(label=ms["name_local" if lang == "uk" else "name"],
                             score=ms[spec.top], highlight=ms["unit_id"] == mid)
        marker = t("vulnerability.plot.this_municipality", lang)
        out[lang] = {
            "ranks": (ranks, f"{spec.top}_rank", _svg(rank_bands(
                ranks, label="label", rank=f"{spec.top}_rank",
                title=t("vulnerability.plot.ranking_title", lang),
                rank_label=t("vulnerability.plot.rank_axis", lang),
                label_label=t("vulnerability.columns.settlement", lang)))),
            "position": (position, marker, _svg(municipality_position(
                position, label="label", title=t("vulnerability.plot.municipality_title", lang),
                value_label=t("vulnerability.plot.score_axis", lang),
                label_label=t("vulnerability.columns.municipality", lang), marker=marker))),
            "profiles": (clusters.profiles, cluster_names(clusters, lang), _svg(profile_heatmap(
                clusters.profiles, cluster_names(clusters, lang), lang=lang,
                title=t("vulnerability.plot.profiles_title", lang)))),
        }
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_rank_bands_list_settlements_best_rank_first_each_dot_at_its_rank(needs, lang):
    from socialkit.plots.theme import CATEGORICAL

    frame, rank, svg = needs[lang]["ranks"]
    data = frame.dropna(subset=[rank]).sort_values(rank, kind="stable").head(40)
    assert data[rank].nunique() > 3
    tx = svg_texts(svg)
    names = [textwrap.shorten(str(n), 30) for n in data["label"]]
    rows = y_labels(tx, names)
    assert rows["text"].tolist() == names                      # best rank on top
    value = x_scale(tx)
    dots = plotted(markers(svg), tx)
    dots = dots[dots["fill"] == CATEGORICAL[0].lower()]
    for (_, r), y in zip(data.iterrows(), rows["cy"], strict=True):
        here = dots[(dots["y"] - y).abs() < 5]
        assert len(here) == 1, r["label"]
        assert value(here["x"].iloc[0]) == pytest.approx(float(r[rank]), abs=0.3)


@pytest.mark.parametrize("lang", LANGS)
def test_municipality_position_bars_are_the_scores_largest_on_top(needs, lang):
    """Top to bottom the municipalities by score, largest first; each bar as long as its
    score; the reported municipality named with the marker and drawn in the other colour."""
    from socialkit.plots.theme import CATEGORICAL

    frame, marker, svg = needs[lang]["position"]
    data = frame.sort_values("score", ascending=False, kind="stable")
    assert data["highlight"].sum() == 1
    names = [f"{n} ({marker})" if h else str(n)
             for n, h in zip(data["label"], data["highlight"], strict=True)]
    tx = svg_texts(svg)
    rows = y_labels(tx, names)
    assert sorted(rows["text"]) == sorted(names)
    # ties may stand either way round; the scores read top to bottom never rise
    shown = data.assign(shown=names).set_index("shown").loc[rows["text"], "score"]
    assert (np.diff(shown.to_numpy(dtype=float)) <= 1e-9).all()
    value = x_scale(tx)
    for colour, flag in (("#9ecae1", False), (CATEGORICAL[5], True)):
        bars = rects(svg, colour)
        bars = bars[bars["x1"] - bars["x0"] > 0.5]
        for name, y in zip(rows["text"], rows["cy"], strict=True):
            here = bars[(bars["y0"] < y) & (bars["y1"] > y - 8)]
            is_it = name.endswith(f"({marker})")
            if is_it != flag:
                assert here.empty, (colour, name)
                continue
            assert len(here) == 1, (colour, name)
            length = float(value(here["x1"].iloc[0]) - value(here["x0"].iloc[0]))
            assert length == pytest.approx(float(shown[name]), abs=0.3), name


def check_profile_heatmap(svg: str, profiles: pd.DataFrame, names: pd.Series, lang: str):
    """Each row named after a cluster shows that cluster's mean z-scores: the cells' colours,
    read back through the colour map, against the profile frame (one column per variable,
    left to right as named under them)."""
    from matplotlib import colormaps

    from socialkit.i18n import t
    from socialkit.needs.display import variable_label
    from socialkit.plots.theme import DIVERGING

    tx = svg_texts(svg)
    rows = [textwrap.fill(f"{t('needs.cluster_n', lang, n=c)}: {names[c]}", 30,
                          break_on_hyphens=False) for c in profiles.index]
    firsts = [r.split("\n")[0] for r in rows]
    at = y_labels(tx, firsts)
    assert sorted(at["text"]) == sorted(firsts)
    cols = [textwrap.fill(variable_label(v, lang), 28).split("\n")[0] for v in profiles.columns]
    under = tx[tx["text"].isin(cols) & (tx["angle"] != 0)].sort_values("ex")
    assert under["text"].tolist() == cols                    # the frame's columns, in order
    lim = float(np.nanmax(np.abs(profiles.to_numpy(dtype=float))))
    cmap = colormaps[DIVERGING]
    palette = np.array([cmap(i / 255)[:3] for i in range(256)])

    def z_of(hex_colour: str) -> float:
        rgb = np.array([int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
        i = int(np.argmin(((palette - rgb) ** 2).sum(axis=1)))
        return -lim + 2 * lim * i / 255

    cells = rects_any(svg)
    xs = under["ex"].to_numpy()
    pitch = float(np.median(np.diff(xs)))
    cells = cells[((cells["x1"] - cells["x0"]) < 1.5 * pitch) & (cells["x0"] > xs.min() - pitch)
                  & (cells["x1"] < xs.max() + pitch / 2 + 4)]         # cells, not frames
    for c, first in zip(profiles.index, firsts, strict=True):
        y = float(at.loc[at["text"] == first, "cy"].iloc[0])    # inside its row
        row = cells[(cells["y0"] < y) & (cells["y1"] > y)].sort_values("x0")
        assert len(row) == len(cols), (c, len(row))
        assert (np.abs(((row["x0"] + row["x1"]) / 2).to_numpy() - xs) < 12).all()
        shown = [z_of(f) for f in row["fill"]]
        np.testing.assert_allclose(shown, profiles.loc[c].to_numpy(dtype=float),
                                   atol=2 * lim / 255 * 2, err_msg=f"cluster {c}")


@pytest.mark.parametrize("lang", LANGS)
def test_profile_heatmap_rows_hold_their_clusters_profile(needs, lang):
    profiles, names, svg = needs[lang]["profiles"]
    check_profile_heatmap(svg, profiles, names, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_profile_heatmap_of_ten_and_more_clusters_keeps_rows_with_their_names(needs, lang):
    """With 11 clusters the row names sort "1, 10, 11, 2, …" as text, not as numbers: each
    row must still show its own cluster's profile."""
    from socialkit.plots.needs import profile_heatmap

    demo = needs[lang]["profiles"][0]
    rng = np.random.default_rng(7)
    index = pd.Index(range(1, 12), name=demo.index.name)
    profiles = pd.DataFrame(rng.uniform(-1.5, 1.5, (11, 4)), index=index,
                            columns=demo.columns[:4])
    names = pd.Series([f"group {c}" for c in index], index=index)
    check_profile_heatmap(_svg(profile_heatmap(profiles, names, lang=lang)), profiles, names,
                          lang)


def rects_any(svg: str) -> pd.DataFrame:
    """Boxes and fill colours of every filled closed path (e.g. the cells of a heat map)."""
    rows = []
    for el in ET.fromstring(svg).iter():
        if not (isinstance(el.tag, str) and el.tag.endswith("}path")):
            continue
        colour = re.search(r"fill:\s*(#[0-9a-fA-F]{6})", el.get("style", ""))
        if not colour:
            continue
        nums = [float(v) for v in _PATH_NUM.findall(el.get("d", ""))]
        if len(nums) < 8:
            continue
        xs, ys = nums[0::2], nums[1::2]
        rows.append({"x0": min(xs), "x1": max(xs), "y0": min(ys), "y1": max(ys),
                     "fill": colour.group(1).lower()})
    return pd.DataFrame(rows, columns=["x0", "x1", "y0", "y1", "fill"])
