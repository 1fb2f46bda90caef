"""The arrows of ARCHITECTURE.md: analyses never import Panel, papermill or plotting
libraries; plots never import Panel; only socialkit.config builds paths from the package."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from socialkit import config

PKG = config.PACKAGE_DIR
UI = {"panel", "papermill", "holoviews", "bokeh", "matplotlib", "hvplot", "geoviews"}
ANALYSES = ["data", "forms", "index", "maturity", "needs", "access", "passport", "monitoring",
            "vulnerability", "disclosure", "contracting", "professionals", "protection", "strategy"]


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


def _internal_imports(path: Path, source: str | None = None) -> set[str]:
    """socialkit sub-packages a module imports (absolute or relative); ``source`` stands in for
    the file's text (so a test can try code that is not in the package)."""
    tree = ast.parse(path.read_text(encoding="utf-8") if source is None else source)
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
        elif isinstance(node, ast.Import):
            out.update(a.name.split(".")[1] for a in node.names
                       if a.name.startswith("socialkit."))
    return out


def test_data_layer_imports_no_analysis():
    """Arrows point right: socialkit.data (and the frameworks) depend on no analysis."""
    later = {"index", "maturity", "needs", "access", "passport", "monitoring", "vulnerability",
             "contracting", "strategy", "plots", "views", "reporting", "cli"}
    for name in ("data", "frameworks"):
        for path in _files(name):
            bad = _internal_imports(path) & later
            assert not bad, f"{path.relative_to(PKG)} imports socialkit.{sorted(bad)}"


#: socialkit's own layers, lowest first (ARCHITECTURE.md, "The layers"): a module may import
#: its own package and packages of a lower layer, never one of the same or a higher layer. The
#: analyses are ordered too where one builds on another (access -> passport -> needs ->
#: vulnerability).
LAYERS: dict[str, float] = {
    "__version__": 0, "config": 0, "_compat": 0.05, "i18n": 0.1, "errors": 0.2, "memo": 0.2, "files": 0.3,
    "frameworks": 1, "data": 1.1, "forms": 1.15, "disclosure": 1.2, "scoping": 1.2, "store": 1.3,
    "library": 1.35,
    "index": 2, "findings": 2.5,
    "access": 3.0, "maturity": 3.0, "monitoring": 3.0, "professionals": 3.0, "protection": 3.0,
    "passport": 3.1, "needs": 3.2, "vulnerability": 3.3, "contracting": 3.4, "strategy": 3.5,
    "plots": 4,
    "reporting": 5, "views": 5,
    "cli": 6,
}


#: Packages that may use the store directly; everything else (the analyses, plots, reporting)
#: reads the stored data through the intake catalog (socialkit/store/catalog.py).
STORE_USERS = {"store", "forms", "library", "views", "cli"}


def _imports_store(path: Path, source: str | None = None) -> bool:
    return _package_of(path) not in STORE_USERS and "store" in _internal_imports(path, source)


def test_only_the_surfaces_import_the_store():
    bad = [str(path.relative_to(PKG)) for path in sorted(PKG.rglob("*.py"))
           if _imports_store(path)]
    assert bad == [], "read the store through intake (catalogs/store_*.yaml), not by import"


@pytest.mark.parametrize("module, source", [
    ("needs/cluster.py", "def f():\n    from ..store import open_store\n"),
    ("monitoring/excel.py", "import socialkit.store.core\n"),
    ("reporting/runner.py", "from socialkit.store import Actor\n"),
])
def test_an_analysis_importing_the_store_is_caught(module, source):
    assert _imports_store(PKG / module, source)


def _package_of(path: Path) -> str:
    return path.relative_to(PKG).parts[0].removesuffix(".py")


def test_every_package_has_a_layer():
    packages = {_package_of(p) for p in PKG.rglob("*.py")} - {"__init__", "__main__"}
    assert packages - set(LAYERS) == set(), "add the new package to LAYERS and ARCHITECTURE.md"


def _violations(path: Path, source: str | None = None) -> list[str]:
    me = _package_of(path)
    return [f"{path.relative_to(PKG)} imports socialkit.{dep}"
            for dep in sorted(_internal_imports(path, source) - {me})
            if LAYERS.get(dep, 99) >= LAYERS[me]]


def test_internal_arrows_point_down_the_layers():
    """No upward or sideways arrow between socialkit's own packages (lazy imports included:
    an import statement inside a function counts too)."""
    bad = [v for path in sorted(PKG.rglob("*.py"))
           if _package_of(path) not in ("__init__", "__main__") for v in _violations(path)]
    assert bad == []


@pytest.mark.parametrize("module, source", [
    ("monitoring/excel.py", "from ..plots.theme import CATEGORICAL\n"),        # analysis -> plots
    ("data/loading.py", "def f():\n    from ..needs import cluster\n"),          # lazy, upward
    ("passport/build.py", "from socialkit.vulnerability import build\n"),      # sideways, later
    ("plots/theme.py", "import socialkit.views.app\n"),                          # plots -> views
])
def test_a_reversed_arrow_is_caught(module, source):
    assert _violations(PKG / module, source)


def _internal_modules(path: Path, source: str | None = None) -> set[tuple[str, ...]]:
    """Full socialkit module paths a module imports (``("access", "_validate")``), lazy
    imports included; ``from .x import name`` counts as importing ``x`` (and ``x.name`` when
    that is a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8") if source is None else source)
    rel = path.relative_to(PKG).parts[:-1]
    out: set[tuple[str, ...]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(rel[: len(rel) - node.level + 1])
                parts = base + (node.module.split(".") if node.module else [])
            elif node.module and node.module.startswith("socialkit."):
                parts = node.module.split(".")[1:]
            else:
                continue
            for a in node.names:
                sub = (*parts, a.name)
                if (PKG.joinpath(*sub).with_suffix(".py").exists()
                        or PKG.joinpath(*sub).is_dir()):
                    out.add(sub)
                elif parts:
                    out.add(tuple(parts))
        elif isinstance(node, ast.Import):
            out.update(tuple(a.name.split(".")[1:]) for a in node.names
                       if a.name.startswith("socialkit."))
    return out


def _private_violations(path: Path, source: str | None = None) -> list[str]:
    me = _package_of(path)
    return [f"{path.relative_to(PKG)} imports socialkit.{'.'.join(m)}"
            for m in sorted(_internal_modules(path, source))
            if m and m[0] != me and any(p.startswith("_") and p != "__init__" for p in m[1:])]


def test_no_package_imports_another_packages_private_module():
    bad = [v for path in sorted(PKG.rglob("*.py"))
           if _package_of(path) not in ("__init__", "__main__")
           for v in _private_violations(path)]
    assert bad == []


def test_a_private_import_is_caught():
    assert _private_violations(PKG / "needs" / "features.py",
                               "from ..access._validate import require_columns\n")


def _module_name(path: Path) -> tuple[str, ...]:
    parts = path.relative_to(PKG).with_suffix("").parts
    return parts[:-1] if parts[-1] == "__init__" else parts


def _import_cycles() -> list[list[str]]:
    """Cycles in the graph of socialkit's modules (lazy imports count), as module names."""
    graph: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    modules = {_module_name(p): p for p in PKG.rglob("*.py")}
    for name, path in modules.items():
        deps = set()
        for m in _internal_modules(path):
            while m and m not in modules:
                m = m[:-1]
            if m and m != name and not (name[: len(m)] == m):  # a package's own __init__
                deps.add(m)
        graph[name] = deps
    cycles, state = [], {}

    def visit(node, stack):
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                cycle = stack[stack.index(dep):] + [dep]
                cycles.append([".".join(c) for c in cycle])
            elif dep not in state:
                visit(dep, stack)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    return cycles


def test_no_import_cycle_between_modules():
    """ARCHITECTURE.md: the import graph has no cycle (lazy imports inside functions count:
    they only hide a cycle)."""
    cycles = [c for c in _import_cycles()
              # a package's __init__ re-exporting its modules is not a cycle of the design
              if not any(len(m.split(".")) == 1 for m in c)]
    assert cycles == []


#: The framework files socialkit ships (socialkit/frameworks/*.yaml, by name).
SHIPPED_FRAMEWORKS = {p.stem for p in (PKG / "frameworks").glob("*.yaml")}


def _reads_shipped_framework(path: Path, source: str | None = None) -> list[str]:
    """Shipped framework files a module reads itself (``read_yaml(None, …)`` or
    ``read_yaml(…, "<shipped name>")``): only the framework models in socialkit/frameworks may."""
    if _package_of(path) == "frameworks":
        return []
    tree = ast.parse(path.read_text(encoding="utf-8") if source is None else source)
    out = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id",
                                                        getattr(node.func, "attr", None)) == "read_yaml"):
            continue
        args = [a.value if isinstance(a, ast.Constant) else ... for a in node.args[:2]]
        if (args and args[0] is None) or (len(args) > 1 and args[1] in SHIPPED_FRAMEWORKS):
            out.append(f"{path.relative_to(PKG)}:{node.lineno}")
    return out


def test_framework_models_live_in_one_place():
    """ARCHITECTURE.md, "Frameworks are data": every model of a shipped framework file is in
    socialkit/frameworks; other packages use the model, never the file's raw YAML."""
    assert {"maturity", "passport", "vulnerability", "me_indicators", "training_points"} \
        <= SHIPPED_FRAMEWORKS
    bad = [hit for path in sorted(PKG.rglob("*.py")) for hit in _reads_shipped_framework(path)]
    assert bad == []
    for name in SHIPPED_FRAMEWORKS:  # each shipped file is read by a model in frameworks/
        assert any(f'"{name}"' in p.read_text(encoding="utf-8")
                   for p in (PKG / "frameworks").glob("*.py")), name
    for old in ("maturity/framework.py", "passport/spec.py", "vulnerability/spec.py",
                "index/spec.py", "strategy/frameworks.py", "professionals/rules.py"):
        assert not (PKG / old).exists(), f"{old}: framework models live in socialkit/frameworks"


@pytest.mark.parametrize("module, source", [
    ("data/demo/maturity.py", "fw, _ = read_yaml(None, 'maturity')\n"),
    ("monitoring/report.py", "from ..frameworks import read_yaml\nd = read_yaml(p, 'me_indicators')\n"),
])
def test_a_module_reading_a_framework_file_itself_is_caught(module, source):
    assert _reads_shipped_framework(PKG / module, source)
