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
    """Every marker drawn (``<use x= y=>``): position and fill colour, in document order."""
    rows = []
    for el in ET.fromstring(svg).iter():
        if isinstance(el.tag, str) and el.tag.endswith("}use") and el.get("x") is not None:
            fill = re.search(r"fill:\s*(#[0-9a-fA-F]{6})", el.get("style", ""))
            rows.append({"x": float(el.get("x")), "y": float(el.get("y")),
                         "fill": fill.group(1).lower() if fill else "",
                         "ref": el.get(_XLINK, "")})
    return pd.DataFrame(rows, columns=["x", "y", "fill", "ref"])


def x_scale(tx: pd.DataFrame):
    """Data value of an SVG x, from the numeric tick labels under the x axis."""
    ticks = tx[(tx["anchor"] == "middle") & (tx["angle"] == 0)].copy()
    ticks["value"] = ticks["text"].map(_number)
    ticks = ticks.dropna(subset=["value"])
    lowest = ticks["cy"].max()                             # the axis row: lowest numbers
    ticks = ticks[(ticks["cy"] - lowest).abs() < 1]
    assert len(ticks) >= 3
    slope, icept = np.polyfit(ticks["cx"], ticks["value"], 1)
    return lambda x: slope * np.asarray(x, dtype=float) + icept


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
        res = assess_catalog(None, lang=lang)
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
    dots = markers(svg)
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
