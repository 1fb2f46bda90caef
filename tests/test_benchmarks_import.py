"""Benchmarks are not run by the tests (speed is measured by `make bench`), but they must not
rot: every benchmark script imports cleanly against the current library."""

from __future__ import annotations

import importlib.util

import pytest

from socialkit import config

SCRIPTS = sorted((config.PROJECT_ROOT / "benchmarks").glob("bench_*.py"))


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_benchmark_script_imports(script):
    spec = importlib.util.spec_from_file_location(f"_bench_{script.stem}", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # runs imports and definitions, not the benchmark
    assert callable(getattr(module, "main", None)), f"{script.name} has no main()"
