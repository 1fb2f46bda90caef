"""Every report notebook is thin, parameterised the same way and committed without outputs.

(Each notebook is *executed* under papermill once, in its own area's tests.)
"""

from __future__ import annotations

import ast
import json

import papermill
import pytest

from socialkit import config

NOTEBOOKS = sorted(config.notebooks_dir().glob("*.ipynb"))
EXTRA_PARAMETERS = {"digital_maturity": {"round"}, "social_passport": {"year"}}


def test_the_report_notebooks_are_there():
    names = {p.stem for p in NOTEBOOKS}
    assert {"digital_maturity", "needs_analysis", "social_passport", "me_indicators",
            "programme_overview"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_thin_parameterised_and_clean(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = nb["cells"]
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1 and cells[0] is tagged[0], "exactly one parameters cell, first"
    params = set(papermill.inspect_notebook(str(path)))
    assert {"catalog", "municipality_id", "lang"} | EXTRA_PARAMETERS.get(path.stem, set()) <= params
    src = "".join(tagged[0]["source"])
    for default in ("catalog = None", "municipality_id = None", 'lang = "en"'):
        assert default in src
    assert "socialkit.plots.setup()" in "".join(cells[1]["source"])
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        code = "".join(cell["source"])
        assert not cell.get("outputs") and not cell.get("execution_count"), "committed outputs"
        if i == 1:  # imports and setup() only
            for stmt in ast.parse(code).body:
                assert isinstance(stmt, ast.Import | ast.ImportFrom) or (
                    ast.unparse(stmt) == "socialkit.plots.setup()"), ast.unparse(stmt)
        else:
            assert len(code.splitlines()) <= 20, "logic belongs in the library"
        assert "def " not in code and ".groupby(" not in code, "logic belongs in the library"
