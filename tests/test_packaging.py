"""Set-up a new user can trust: pyproject and environment.yml agree; README and CI agree."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

from socialkit import config

ROOT = config.PROJECT_ROOT


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    deps = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        deps.extend(extra)
    py = {_norm(Requirement(d).name): str(Requirement(d).specifier) for d in deps}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda: dict[str, str] = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):  # a pip: section
            for item in dep.get("pip", []):
                r = Requirement(item)
                conda[_norm(r.name)] = str(r.specifier)
            continue
        m = re.match(r"([A-Za-z0-9_.\-]+)\s*(.*)", dep)
        name, spec = _norm(m.group(1)), m.group(2).replace(" ", "")
        if name in ("python", "pip"):
            continue
        conda[name] = spec
    assert conda == py


def test_constraints_pin_every_dependency():
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            pins[_norm(name)] = version
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for dep in project["dependencies"] + project["optional-dependencies"]["test"]:
        assert _norm(Requirement(dep).name) in pins, dep


def test_readme_starts_with_the_two_commands_and_ci_runs_the_test_one():
    head = (ROOT / "README.md").read_text(encoding="utf-8")[:1500]
    assert "make reports" in head and "make test" in head
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, re.M)


def test_makefile_has_the_expected_targets():
    text = (ROOT / "Makefile").read_text()
    for target in ("setup", "reports", "test", "serve", "lint", "bench"):
        assert re.search(rf"^{target}:", text, re.M), target


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The package's wheel, built once (as ``pip install .`` builds it), from a copy of the
    source: setuptools writes ``build/`` and ``*.egg-info`` where it builds, which must not be
    the source tree (and two builds there at once trip over each other)."""
    import shutil

    src = tmp_path_factory.mktemp("source") / "socialkit"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
        ".git", ".venv", "reports", "test-artifacts", "build", "*.egg-info", "__pycache__",
        ".pytest_cache", ".ruff_cache"))
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w",
                           str(out), str(src)], capture_output=True, text=True)
    if done.returncode:
        pytest.fail(f"pip wheel failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return next(out.glob("socialkit-*.whl"))


@pytest.mark.xdist_group("wheel")  # one worker builds the wheel once
def test_wheel_ships_frameworks_messages_and_templates(wheel):
    """A non-editable install must carry the YAML frameworks, message catalogs and templates."""
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("socialkit/frameworks/maturity.yaml", "socialkit/i18n/locale/uk/LC_MESSAGES/core.po",
                     "socialkit/i18n/locale/en/LC_MESSAGES/core.po",
                     "socialkit/i18n/local_names.yaml", "socialkit/reporting/templates/report.css",
                     "socialkit/store/migrations/env.py",
                     "socialkit/store/migrations/script.py.mako",
                     "socialkit/store/migrations/versions/0001_initial.py",
                     "socialkit/store/migrations/versions/0002_professionals.py",
                     "socialkit/i18n/locale/sr/LC_MESSAGES/store.po",
                     "socialkit/frameworks/training_points.yaml",
                     "socialkit/i18n/locale/sr/LC_MESSAGES/professionals.po",
                     "socialkit/frameworks/forms/domestic_violence.xlsx",
                     "socialkit/frameworks/forms/domestic_violence.rules.yaml",
                     "socialkit/i18n/locale/sr/LC_MESSAGES/forms.po",
                     "socialkit/frameworks/locale/ro/LC_MESSAGES/maturity.po",
                     "socialkit/contracting/schema/release-schema.json",
                     "socialkit/strategy/inputs.py", "socialkit/frameworks/strategy_codebook.yaml",
                     "socialkit/i18n/locale/ro/LC_MESSAGES/strategy.po"):
        assert required in names, required


@pytest.mark.xdist_group("wheel")
def test_wheel_carries_the_catalogs_compiled_and_reads_them_until_a_po_changes(
        wheel, tmp_path, monkeypatch):
    """Compiling happens in the build (setup.py): every .po has its .mo beside it and the
    manifest of the .po each came from; the package reads them with nothing compiled at run
    time, and compiles a .po edited since (a translator's change) into the cache."""
    from socialkit.i18n import t
    from socialkit.i18n.catalogs import clear_cache

    zf = zipfile.ZipFile(wheel)
    names = set(zf.namelist())
    for folder in ("socialkit/i18n/locale", "socialkit/frameworks/locale"):
        pos = sorted(n for n in names if n.startswith(folder + "/") and n.endswith(".po"))
        assert len(pos) > 10, folder
        assert [n for n in pos if n[:-3] + ".mo" not in names] == [], "a .po without its .mo"
        manifest = json.loads(zf.read(f"{folder}/compiled.json"))
        assert manifest == {n[len(folder) + 1:]: hashlib.sha256(zf.read(n)).hexdigest()
                            for n in pos}
    zf.extractall(tmp_path / "site", [n for n in names if n.startswith("socialkit/i18n/locale/")])
    locale, cache = tmp_path / "site" / "socialkit" / "i18n" / "locale", tmp_path / "cache"
    monkeypatch.setenv("SOCIALKIT_LOCALE_DIR", str(locale))
    monkeypatch.setenv("SOCIALKIT_CACHE_DIR", str(cache))
    clear_cache()
    try:
        assert t("core.yes", "uk") == "так" and t("core.yes", "sr-Latn") == "da"
        assert not list(cache.rglob("*.mo")), "the shipped .mo files were compiled again"
        po = locale / "uk" / "LC_MESSAGES" / "core.po"
        po.write_text(po.read_text(encoding="utf-8").replace('msgstr "так"', 'msgstr "авжеж"'),
                      encoding="utf-8")
        clear_cache()
        assert t("core.yes", "uk") == "авжеж"
        assert [p.name.split("-")[:2] for p in cache.rglob("*.mo")] == [["uk", "core"]]
    finally:
        monkeypatch.undo()
        clear_cache()


@pytest.mark.slow
@pytest.mark.xdist_group("wheel")
def test_the_installed_wheel_runs_a_report_without_the_source_checkout(wheel, tmp_path):
    """``pip install`` of the wheel is enough: installed on its own (its dependencies are this
    environment's) and run from a folder outside the checkout, socialkit writes a demo and
    makes a PDF report from it — the notebooks come from the wheel (``socialkit/_bundled``),
    not from a ``notebooks/`` folder beside the package."""
    import os

    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCIALKIT_")}
    env["PYTHONPATH"] = str(target)
    work = tmp_path / "work"
    work.mkdir()

    def socialkit(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", "from socialkit.cli import main; main()",
                               *args], cwd=work, env=env, capture_output=True, text=True,
                              timeout=300)

    where = subprocess.run([sys.executable, "-c", "import socialkit.config as c; "
                            "print(c.PACKAGE_DIR); print(c.notebooks_dir())"],
                           cwd=work, env=env, capture_output=True, text=True, check=True)
    package, notebooks = where.stdout.split()
    assert Path(package) == target / "socialkit"
    assert Path(notebooks) == target / "socialkit" / "_bundled" / "notebooks"
    made = socialkit("demo", "--out", str(work / "demo"))
    assert made.returncode == 0, made.stderr
    mid = (work / "demo" / "municipalities.csv").read_text(encoding="utf-8").splitlines()[1]
    mid = mid.split(",")[0]
    done = socialkit("report", "passport", "-m", mid, "--catalog",
                     str(work / "demo" / "catalog.yaml"), "--workers", "1", "-q")
    assert done.returncode == 0, done.stdout + done.stderr
    # no project folder: the reports go to ./reports, never beside the package
    assert not (target / "reports").exists()
    pdf = work / "reports" / mid / "passport.en.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
