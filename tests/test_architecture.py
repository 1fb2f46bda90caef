"""The arrows of ARCHITECTURE.md: analyses never import Panel, papermill or plotting
libraries; plots never import Panel; only socialkit.config builds paths from the package."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from socialkit import config

PKG = config.PACKAGE_DIR
UI = {"panel", "papermill", "holoviews", "bokeh", "matplotlib", "hvplot", "geoviews"}
ANALYSES = ["data", "index", "maturity", "needs", "access", "passport", "monitoring",
            "vulnerability", "disclosure"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module.split(".")[0])
    return out


def _files(name: str) -> list[Path]:
    p = PKG / name
    if p.is_dir():
        return sorted(p.rglob("*.py"))
    return [p.with_suffix(".py")] if p.with_suffix(".py").exists() else []


@pytest.mark.parametrize("name", ANALYSES)
def test_analyses_import_no_ui_library(name: str):
    for path in _files(name):
        bad = _imports(path) & UI
        assert not bad, f"{path.relative_to(PKG)} imports {sorted(bad)}"


def test_plots_never_import_panel():
    for path in _files("plots"):
        assert "panel" not in _imports(path), path


def test_only_config_builds_paths_from_the_package_location():
    def uses_file(path: Path) -> bool:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        return any(isinstance(n, ast.Name) and n.id == "__file__" for n in ast.walk(tree))

    offenders = [str(p.relative_to(PKG)) for p in PKG.rglob("*.py")
                 if p.name != "config.py" and uses_file(p)]
    assert offenders == []
