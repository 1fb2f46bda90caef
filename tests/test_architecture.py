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


def _internal_imports(path: Path) -> set[str]:
    """socialkit sub-packages a module imports (absolute or relative)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rel = path.relative_to(PKG).parts[:-1]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(rel[: len(rel) - node.level + 1])
                parts = base + (node.module.split(".") if node.module else [])
                if not parts:  # "from .. import x" at the package root
                    parts = [a.name for a in node.names]
            elif node.module and node.module.startswith("socialkit."):
                parts = node.module.split(".")[1:]
            else:
                continue
            out.add(parts[0])
    return out


def test_data_layer_imports_no_analysis():
    """Arrows point right: socialkit.data (and the frameworks) depend on no analysis."""
    later = {"index", "maturity", "needs", "access", "passport", "monitoring", "vulnerability",
             "plots", "views", "reporting", "cli"}
    for name in ("data", "frameworks"):
        for path in _files(name):
            bad = _internal_imports(path) & later
            assert not bad, f"{path.relative_to(PKG)} imports socialkit.{sorted(bad)}"
