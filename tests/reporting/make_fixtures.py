"""Regenerate the fixture notebooks in ``fixtures/notebooks`` (committed; run by hand).

They stand in for the real report notebooks: same file names as two entries of
``socialkit.reporting.REPORTS`` and the same ``parameters`` contract. ``digital_maturity``
shows a heading, a table and a HoloViews figure, writes to stderr and warns (both must not
reach the PDF); it fails on purpose for the municipality ids listed in a file ``fail_ids.txt`` beside
the catalog (not part of the catalog, so the data fingerprint does not change), and waits
(at most 60 s) while a file ``hold_ids.txt`` beside the catalog lists its municipality id.
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent / "fixtures" / "notebooks"
KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}

PARAMS = 'catalog = None\nmunicipality_id = None\nlang = "en"'
SETUP = """import sys
import warnings
from pathlib import Path

import holoviews as hv
import pandas as pd
from IPython.display import Markdown, display

import socialkit.plots
from socialkit.data import load
from socialkit.i18n import format_number

socialkit.plots.setup()"""

NEEDS_SETUP = """from IPython.display import Markdown, display

import socialkit.plots
from socialkit.data import load
from socialkit.i18n import format_number

socialkit.plots.setup()"""

MATURITY_BODY = """munis = load("municipalities", catalog)
if municipality_id is None:
    municipality_id = munis["municipality_id"].iloc[0]
row = munis.loc[munis["municipality_id"] == municipality_id].iloc[0]
fail_file = Path(catalog).parent / "fail_ids.txt" if catalog else None
if fail_file is not None and fail_file.exists() and municipality_id in fail_file.read_text().split():
    raise ValueError(f"crafted failure for {municipality_id}")
hold_file = Path(catalog).parent / "hold_ids.txt" if catalog else None
if hold_file is not None and hold_file.exists() and municipality_id in hold_file.read_text().split():
    import time
    for _ in range(600):  # held (at most 60 s) while a test stops the batch
        if not hold_file.exists():
            break
        time.sleep(0.1)
name = row["name_local"] if lang == "uk" else row["name"]
heading = "Цифрова зрілість" if lang == "uk" else "Digital maturity"
display(Markdown(f"# {heading}: {name}"))
display(Markdown("## " + ("Населення" if lang == "uk" else "Population")))
print("debug line on stderr", file=sys.stderr)
warnings.warn("a warning that must not reach the PDF", stacklevel=1)
table = pd.DataFrame({
    ("Громада" if lang == "uk" else "Municipality"): [name],
    ("Населення" if lang == "uk" else "Population"): [format_number(row["population"], lang)],
})
display(table.style.hide(axis="index"))"""

FIGURE = """display(Markdown("## " + ("Рисунок" if lang == "uk" else "Figure")))
settlements = load("settlements", catalog)
mine = settlements.loc[settlements["municipality_id"] == municipality_id].dropna(subset=["population"])
mine = mine.astype({"population": "float64"})
bars = hv.Bars(mine.head(8), "name", "population").opts(title=str(name))
bars"""

NEEDS_BODY = """munis = load("municipalities", catalog)
if municipality_id is None:
    municipality_id = munis["municipality_id"].iloc[0]
row = munis.loc[munis["municipality_id"] == municipality_id].iloc[0]
display(Markdown("# " + ("Потреби" if lang == "uk" else "Needs") + f": {row['name']}"))
display(Markdown("Area: " + format_number(row["area_km2"], lang, 1) + " km²"))"""


def _notebook(*cells) -> nbformat.NotebookNode:
    nb = new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = KERNEL
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def main() -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    params = new_code_cell(PARAMS, metadata={"tags": ["parameters"]})
    maturity = _notebook(new_markdown_cell("Fixture report (test only)."), params,
                         new_code_cell(SETUP), new_code_cell(MATURITY_BODY), new_code_cell(FIGURE))
    needs = _notebook(new_code_cell(PARAMS, metadata={"tags": ["parameters"]}),
                      new_code_cell(NEEDS_SETUP), new_code_cell(NEEDS_BODY))
    no_lang = _notebook(new_code_cell("catalog = None\nmunicipality_id = None",
                                      metadata={"tags": ["parameters"]}))
    for name, nb in {"digital_maturity.ipynb": maturity, "needs_analysis.ipynb": needs}.items():
        nbformat.write(nb, HERE / name)
    bad = HERE.parent / "bad_notebooks"
    bad.mkdir(exist_ok=True)
    nbformat.write(no_lang, bad / "digital_maturity.ipynb")


if __name__ == "__main__":
    main()
