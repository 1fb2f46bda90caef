"""Third-party patches (socialkit/_compat): each is gated by the library's version, falls back
to the library's own code, and draws what the library draws."""

from __future__ import annotations

import shutil
import subprocess
from xml.etree import ElementTree as ET

import numpy as np
import pytest

from socialkit._compat import weasyprint as compat

#: Labels as Matplotlib writes them (transform + one x/y), with anchors, baselines, weights,
#: Cyrillic and Latin diacritics; and the cases the shortcut hands back to WeasyPrint
#: (per-letter x lists, rotate, a child tspan).
_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="400pt" height="300pt"
 viewBox="0 0 400 300">
 <text x="10" y="20" font-size="12" font-family="DejaVu Sans">Municipalities by dimension</text>
 <text x="200" y="50" font-size="11" font-family="DejaVu Sans" text-anchor="middle">Громада
 Святогірськ</text>
 <text x="390" y="80" font-size="10" font-family="DejaVu Sans" text-anchor="end"
  font-weight="bold">Județul Cantemir — Šabac, Čačak, Đakovo</text>
 <text transform="translate(30 200) rotate(-90)" font-size="9" font-family="DejaVu Sans">Бал
 (0–100)</text>
 <text x="60" y="120" dx="5" dy="3" font-size="10" font-family="DejaVu Sans"
  dominant-baseline="central">Peer average</text>
 <text x="60" y="150" font-size="10" font-family="DejaVu Sans"
  fill="#d55e00">2021Q3 · 44 042</text>
 <text x="10 20 30" y="180" font-size="10" font-family="DejaVu Sans">abc</text>
 <text x="200" y="180" font-size="10" font-family="DejaVu Sans" rotate="15">tilted</text>
 <text x="200" y="220" font-size="10" font-family="DejaVu Sans">a <tspan
  font-weight="bold">bold</tspan> word</text>
</svg>"""


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: apt-get install -y poppler-utils")
    return path


def _pdf(tmp_path, name: str) -> tuple[list[tuple[str, np.ndarray]], np.ndarray]:
    """Words with their boxes (pdftotext -bbox) and the page as grey pixels (pdftoppm)."""
    import weasyprint

    pdf = tmp_path / f"{name}.pdf"
    page = f"<html><body style='margin:0'><div>{_SVG}</div></body></html>"
    pdf.write_bytes(weasyprint.HTML(string=page).write_pdf())
    html = subprocess.run([_tool("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    root = ET.fromstring(html.split("<!DOCTYPE", 1)[0] + html[html.index("<html"):])
    words = [(w.text, np.array([float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")]))
             for w in root.iter("{http://www.w3.org/1999/xhtml}word")]
    subprocess.run([_tool("pdftoppm"), "-r", "100", "-gray", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / name)], check=True)
    pgm = next(tmp_path.glob(f"{name}*.pgm")).read_bytes()
    header = pgm.split(b"\n", 3)
    width, height = map(int, header[1].split())
    pixels = np.frombuffer(header[3], dtype=np.uint8)[: width * height].reshape(height, width)
    return words, pixels


@pytest.mark.skipif(not compat.is_tested(), reason="the shortcut is off on this WeasyPrint")
def test_svg_text_shortcut_draws_what_weasyprint_draws(tmp_path):
    assert compat.install_svg_text_lines()
    fast_words, fast = _pdf(tmp_path, "fast")
    with compat.stock_svg_text():
        stock_words, stock = _pdf(tmp_path, "stock")
    # the same words, each at the same place: within half a point (a line is shaped whole, with
    # its kerning, where WeasyPrint adds up the letters' advances; measured up to 0.27 pt on a
    # right-anchored bold label)
    assert [w for w, _ in fast_words] == [w for w, _ in stock_words]
    assert "Святогірськ" in [w for w, _ in fast_words]
    for (word, a), (_, b) in zip(fast_words, stock_words, strict=True):
        np.testing.assert_allclose(a, b, rtol=0, atol=0.5, err_msg=word)
    # and the same ink (to 2 %), differing only inside the words' lines (those sub-point shifts)
    assert fast.shape == stock.shape
    ink = (fast < 128).sum(), (stock < 128).sum()
    assert ink[0] > 1000 and abs(ink[0] - ink[1]) <= 0.02 * ink[1], ink
    changed = np.where((np.abs(fast.astype(int) - stock.astype(int)) > 64).any(axis=1))[0]
    lines = np.zeros(fast.shape[0], dtype=bool)
    for _, box in stock_words:  # points -> rows at 100 dpi, a point of margin
        lines[max(int((box[1] - 1) * 100 / 72), 0): int((box[3] + 1) * 100 / 72) + 1] = True
    assert lines[changed].all(), changed[~lines[changed]]


def test_shortcut_is_really_switched_and_switched_back():
    import weasyprint.svg as wsvg

    compat.install_svg_text_lines()
    installed = wsvg.TAGS["text"]
    with compat.stock_svg_text():
        stock = wsvg.TAGS["text"]
        assert not getattr(stock, "_socialkit", False) and wsvg.text is stock
    assert wsvg.TAGS["text"] is installed
    assert getattr(installed, "_socialkit", False) is compat.is_tested()


def test_untested_weasyprint_keeps_its_own_drawing(monkeypatch):
    """The gate: on a release the shortcut was not written against nothing is patched."""
    import weasyprint
    import weasyprint.svg as wsvg

    assert compat.is_tested("70.0") and not compat.is_tested("71.0")
    assert not compat.is_tested("7.0")
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    compat.install_svg_text_lines.cache_clear()
    try:
        with compat.stock_svg_text():
            before = dict(wsvg.TAGS)
            assert compat.install_svg_text_lines() is False
            assert wsvg.TAGS == before
    finally:
        compat.install_svg_text_lines.cache_clear()


def test_a_legend_beyond_the_canvas_keeps_its_lines():
    """A legend to the right of the axes lies beyond the figure's canvas, which Matplotlib's
    SVG writer clips unfilled paths to: its line samples came out as ``<path>`` without ``d``
    (labels, no lines). socialkit._compat.matplotlib keeps them whole on a tested release."""
    import re

    import holoviews as hv

    from socialkit._compat import matplotlib as compat
    from socialkit.plots import setup
    from socialkit.plots._static import render_svg

    setup(static=True)
    assert compat.is_tested(), "a new Matplotlib: check RendererSVG._convert_path and TESTED"
    curves = [hv.Curve([(0, i), (1, i + 1)], label=f"a rather long legend label {i}").opts(
        linestyle="--" if i else "-", backend="matplotlib") for i in range(3)]
    overlay = hv.Overlay(curves).opts(legend_position="right", aspect="auto",
                                      backend="matplotlib")
    fig = hv.render(hv.Layout([overlay, overlay]).cols(1).opts(
        fig_inches=(3.0, 4.0), sublabel_format="", backend="matplotlib"), backend="matplotlib")
    svg = render_svg(fig)
    paths = [p for p in re.findall(r"<path\b[^>]*>", svg) if " id=" not in p]  # not glyphs
    assert paths and all(" d=" in p for p in paths), [p for p in paths if " d=" not in p][:3]


def test_untested_holoviews_keeps_its_own_plotting_code(monkeypatch):
    """The HoloViews gate: the faster paths are in on this (tested) release; on a release
    they were not written against — or where a patched method's signature changed — nothing
    is replaced."""
    import holoviews
    from holoviews.plotting.mpl import plot as mpl_plot
    from holoviews.plotting.mpl.element import ColorbarPlot

    from socialkit._compat import holoviews as hvc
    from socialkit.plots import setup

    setup(static=True)
    assert hvc.is_tested() and hvc.is_tested("1.23.2") and not hvc.is_tested("2.0.0")
    assert getattr(ColorbarPlot._draw_colorbar, "_socialkit", False)
    assert mpl_plot._rc_context is hvc.rc_context
    monkeypatch.setattr(holoviews, "__version__", "2.0.0")
    hvc.is_tested.cache_clear()
    try:
        with hvc.holoviews_defaults():
            assert hvc.install_patches() is False
            assert not hasattr(ColorbarPlot._draw_colorbar, "_socialkit")
            assert mpl_plot._rc_context is hvc.HOLOVIEWS_RC_CONTEXT
    finally:
        hvc.is_tested.cache_clear()
