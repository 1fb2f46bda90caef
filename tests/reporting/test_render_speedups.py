"""The PDF renderer's shortcuts keep every feature of the report (render.py), and the figures
arrive slimmed for print from the plots layer (plots/svgslim.py), which render.py leaves alone."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from socialkit.plots.svgslim import slim_svg
from socialkit.plots.tables import dataframe_html
from socialkit.reporting.render import (
    TitlePage,
    _drop_scripts,
    html_to_pdf,
    notebook_to_html,
)

#: A Matplotlib-style figure: metadata, the `*` stylesheet, style attributes, an axes clip
#: holding one cell inside and one line crossing it, and labels (one Cyrillic, one centred).
_FIGURE = """<?xml version="1.0" encoding="utf-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="300pt" height="150pt"
 viewBox="0 0 300 150" xmlns="http://www.w3.org/2000/svg" version="1.1">
 <metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata>
 <defs><style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style></defs>
 <g id="figure_1">
  <g id="axes_1">
   <path d="M 20 20 L 60 20 L 60 60 L 20 60 z" clip-path="url(#clipaxes)" style="fill: #0072b2"/>
   <path d="M 0 100 L 280 100" clip-path="url(#clipaxes)"
    style="fill: none; stroke: #d55e00; stroke-width: 2; stroke-linejoin: miter"/>
   <g id="text_1"><text style="font-size: 10px; font-family: 'DejaVu Sans'"
    transform="translate(20 130) rotate(-0)">Громада Святогірськ</text></g>
   <g id="text_2"><text x="150" y="15" style="font-size: 11px; font-family: 'DejaVu Sans';
    text-anchor: middle">Municipalities by dimension</text></g>
  </g>
 </g>
 <defs><clipPath id="clipaxes"><rect x="10" y="10" width="250" height="110"/></clipPath></defs>
</svg>"""

_TITLE = TitlePage(report="maturity", municipality="Святогірськ", region="Donetsk",
                   country="UA", data_as_of="2021-12-31", synthetic=True, lang="uk",
                   generated="2026-11-23")


def _notebook(figure_svg: bytes | None = None) -> nbformat.NotebookNode:
    """A report notebook's outputs as a static-figure kernel makes them: a Panel widget's
    script and CSS, headings, a long table (socialkit's DataFrame HTML: no row numbers) and a
    figure (slimmed by the renderer, :func:`slim_svg`)."""
    import pandas as pd

    table = dataframe_html(pd.DataFrame({"Назва": [f"Громада {i}" for i in range(60)],
                                         "Населення": [f"{i * 1000:,}" for i in range(60)]}))
    cell = new_code_cell("x", execution_count=1)
    svg = slim_svg(_FIGURE.encode()) if figure_svg is None else figure_svg
    figure = base64.b64encode(svg).decode()
    cell.outputs = [
        new_output("display_data", data={"text/html": (
            "<script type='application/javascript'>var docs_json = {};</script>"
            "<style>*[data-root-id] { box-sizing: border-box; }</style>")}),
        new_output("display_data", data={"text/markdown": "# Рейтинг\n\n## Таблиця"}),
        new_output("display_data", data={"text/html": table}),
        new_output("display_data", data={"text/markdown": "## Рисунок"}),
        new_output("display_data", data={"text/html": (
            f'<img alt="" src="data:image/svg+xml;base64,{figure}"/>')}),
    ]
    return new_notebook(cells=[cell])


def _pdf_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: apt-get install -y poppler-utils")
    return path


def test_simplified_svg_keeps_the_picture_and_drops_the_costly_parts():
    out = slim_svg(_FIGURE.encode()).decode()
    assert "<metadata" not in out and "<style" not in out and "style=" not in out
    assert 'fill="#0072b2"' in out and 'font-family="\'DejaVu Sans\'"' in out
    assert 'text-anchor="middle"' in out and "Громада Святогірськ" in out
    # the `*` rule: on the root, and where an ancestor does not already give that value
    assert re.search(r'<svg[^>]*stroke-linejoin="round"', out)
    assert 'stroke-linejoin="miter"' in out  # the line's own value wins, as in CSS
    # the cell inside the axes loses its clip; the line crossing the axes keeps it
    cell = re.search(r'<path d="M 20 20[^>]*>', out).group(0)
    line = re.search(r'<path d="M 0 100[^>]*>', out).group(0)
    assert "clip-path" not in cell and 'clip-path="url(#clipaxes)"' in line
    assert 'id="clipaxes"' in out and 'id="figure_1"' not in out


def test_svg_with_other_css_or_bad_xml_is_left_alone():
    other = _FIGURE.replace("*{stroke-linejoin", "path{stroke-linejoin").encode()
    assert slim_svg(other) == other
    assert slim_svg(b"<svg><unclosed></svg>") == b"<svg><unclosed></svg>"


def test_renderer_takes_figures_and_tables_as_the_kernel_made_them():
    """render.py no longer re-parses the figures (the plots layer slimmed them) nor looks for
    row numbers in tables (socialkit's DataFrame HTML has none): both reach the page as the
    notebook holds them, byte for byte."""
    raw = _FIGURE.encode()
    nb = _notebook(figure_svg=raw)
    page = notebook_to_html(nb, _TITLE)
    assert base64.b64encode(raw).decode() in page
    labelled = "<table><thead><tr><th></th><th>a</th></tr></thead>" \
               "<tbody><tr><th>0</th><td>x</td></tr></tbody></table>"
    nb.cells[0].outputs.append(new_output("display_data", data={"text/html": labelled}))
    assert re.search(r"<th[^>]*>0</th><td>x</td>", notebook_to_html(nb, _TITLE))


def test_kernel_figure_is_slimmed_once_where_it_is_drawn():
    """The static renderer embeds the slimmed SVG in the notebook's HTML (what render.py
    did to it before, on the way to the PDF); the plain SVG stays Matplotlib's."""
    import holoviews as hv
    import pandas as pd

    import socialkit.plots
    from socialkit.plots.maturity import maturity_radar

    socialkit.plots.setup(static=True)
    radar = maturity_radar(pd.DataFrame({"dimension": ["A", "B", "C"], "score": [40.0, 60, 80],
                                         "peer_mean": [50.0, 50, 50]}), name="Громада")
    renderer = hv.renderer("matplotlib")
    plain, _ = renderer(radar, fmt="svg")
    plain = plain if isinstance(plain, bytes) else plain.encode("utf-8")
    html = renderer.components(radar, fmt="svg")[0]["text/html"]
    embedded = base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)", html).group(1))
    assert b"style=" in plain and b"<metadata" not in plain
    assert embedded == slim_svg(plain) and b"style=" not in embedded
    # the maps (drawn by socialkit itself, not by HoloViews) too
    from socialkit.plots.maps import StaticMap

    svg = _FIGURE
    shown = StaticMap(svg, [], [], [], [], "quantiles")._repr_html_()
    embedded = base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)", shown).group(1))
    assert embedded == slim_svg(svg.encode("utf-8"))


def test_scripts_and_widget_css_are_dropped_but_report_css_stays():
    page = notebook_to_html(_notebook(), _TITLE)
    assert "<script" not in page and "data-root-id" not in page and "docs_json" not in page
    assert "@page" in page and "target-counter" in page
    assert _drop_scripts('<style>td { color: red }</style>') == '<style>td { color: red }</style>'


@pytest.mark.slow
def test_pdf_keeps_page_numbers_contents_cyrillic_and_vector_figures(tmp_path, pdf_text):
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(html_to_pdf(notebook_to_html(_notebook(), _TITLE)))
    text = pdf_text(pdf)
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        [_pdf_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout)[1])
    assert pages >= 4  # title, contents, a table longer than a page, the figure
    assert f"Сторінка 2 з {pages}" in text and f"Сторінка {pages} з {pages}" in text
    # contents: each heading with the page it starts on (target-counter)
    contents = text.split("\f")[1]
    assert re.search(r"Рейтинг\s*\.*\s*3\b", contents)
    assert re.search(r"Рисунок\s*\.*\s*\d+", contents)
    # table header repeated on the next page, numbers kept
    assert sum("Населення" in page for page in text.split("\f")) >= 2
    assert "Громада 59" in text and "59,000" in text
    # figure labels are text, drawn whole (searchable), in Cyrillic too
    assert "Громада Святогірськ" in text and "Municipalities by dimension" in text
    # the figure is vector: no raster image anywhere in the PDF
    images = subprocess.run([_pdf_tool("pdfimages"), "-list", str(pdf)], capture_output=True,
                            text=True, check=True).stdout.strip().splitlines()
    assert len(images) == 2  # header lines only


def test_garbage_collector_is_back_on_after_rendering_even_on_error():
    import gc

    from socialkit.reporting.render import _gc_paused

    assert gc.isenabled()
    with _gc_paused():
        assert not gc.isenabled()
        with _gc_paused():  # overlapping renders (threads): on again only after the last
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), _gc_paused():
        raise ValueError
    assert gc.isenabled()
    gc.disable()
    try:
        with _gc_paused():
            pass
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()


def test_simplified_svg_has_no_namespace_prefixes_after_weasyprint_wrote_a_pdf():
    """WeasyPrint registers "" for its PDF metadata namespace the first time it writes a PDF;
    the figures of every later report of the worker came out with ns0: prefixes."""
    import weasyprint

    weasyprint.HTML(string="<p>x</p>").write_pdf()
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" width="10pt" height="10pt">'
           b'<g><path d="M 0 0 L 1 1"/></g></svg>')
    out = slim_svg(svg).decode("utf-8")
    assert out.startswith("<svg ") and "ns0:" not in out


def test_wide_tables_are_the_ones_the_has_selector_found():
    """render.py marks tables with a row of eight cells (class sk-wide) for the print style:
    exactly the tables ``table:has(tr > :nth-child(8))`` matched before (tables of pandas and
    of socialkit, rows without end tags, nested tables, a header of eight), and the print style
    has no :has() that WeasyPrint would test against every cell."""
    import cssselect2
    import pandas as pd
    import tinyhtml5

    from socialkit.reporting.render import _base_css, _mark_wide_tables

    tables = [
        dataframe_html(pd.DataFrame([range(7)])),
        dataframe_html(pd.DataFrame([range(8)])),
        pd.DataFrame([range(7)]).to_html(),  # row labels: eight cells a row
        pd.DataFrame([range(7)]).to_html(index=False),
        pd.DataFrame(columns=range(8)).to_html(index=False),  # a header row only
        "<table id='bare'><tr><th>a" + "<td>x" * 7 + "<tr><td>y</table>",
        "<table><tr><td>" + dataframe_html(pd.DataFrame([range(9)])) + "</td></tr></table>",
        "<table><tr>" + "<td>x</td>" * 7 + "</tr><tr><td>x</td></tr></table>",
        "<table class='a b'><tr>" + "<td>x</td>" * 8 + "</tr></table>",
        "<table CLASS=c><tr>" + "<th>x</th>" * 8 + "</tr></table>",
    ]
    page = "<html><body>" + "".join(tables) + "</body></html>"

    def tables_matching(html: str, selector: str) -> list[int]:
        root = cssselect2.ElementWrapper.from_html_root(tinyhtml5.parse(html))
        test = cssselect2.compile_selector_list(selector)[0].test
        found = [el for el in root.iter_subtree() if el.local_name == "table"]
        return [i for i, el in enumerate(found) if test(el)]

    before = tables_matching(page, "table:has(tr > :nth-child(8))")
    after = tables_matching(_mark_wide_tables(page), "table.sk-wide")
    assert before == after == [1, 2, 4, 5, 6, 7, 9, 10]
    assert _mark_wide_tables(tables[0]) == tables[0]
    marked = _mark_wide_tables(page)  # the tables' own classes stay
    assert tables_matching(marked, "table.a.b.sk-wide") == [9]
    assert tables_matching(marked, "table.c.sk-wide") == [10]
    assert tables_matching(marked, "table.dataframe.sk-wide") == [1, 2, 4, 7]
    assert ":has(tr" not in _base_css() and "table.sk-wide" in _base_css()
