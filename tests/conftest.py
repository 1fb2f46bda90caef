"""Shared fixtures: a freshly generated demo catalog in a temporary folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Tests never touch the network and never write into the source tree.
os.environ.setdefault("SOCIALKIT_REPORTS_DIR", str(Path(os.environ.get("TMPDIR", "/tmp"))
                                                  / "socialkit-test-reports"))


def _no_skips() -> bool:
    # `make test` (and so CI) sets this: there every test must run. A test skipped for want of a
    # package, a program or data means the set-up is incomplete, which is a failure to report.
    return bool(os.environ.get("SOCIALKIT_TEST_NO_SKIP"))


def _fail_skip(report) -> None:
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = (f"skipped, but every test must run under `make test` "
                       f"(SOCIALKIT_TEST_NO_SKIP is set): {reason}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and _no_skips() and not hasattr(report, "wasxfail"):
        _fail_skip(report)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and _no_skips():
        _fail_skip(report)


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder holding the 10-municipality demo data set and its ``catalog.yaml``."""
    from socialkit.data.demo import write_demo

    out = tmp_path_factory.mktemp("demo")
    write_demo(out)
    return out


@pytest.fixture(scope="session")
def demo_catalog(demo_dir: Path) -> Path:
    """Path of the demo ``catalog.yaml`` (session-wide; do not modify its files)."""
    return demo_dir / "catalog.yaml"


@pytest.fixture(scope="session")
def demo_tables(demo_catalog: Path) -> dict:
    """Every demo table, loaded and validated."""
    from socialkit.data import load_all

    return load_all(demo_catalog)


def _drawn(obj, backend: str):
    """Render a HoloViews object and check that something with data was drawn.

    Bokeh: at least one glyph renderer whose data source has rows. Matplotlib: at least one
    axes holding a line with points, a collection with paths or offsets, a patch (bar, wedge)
    or an image. ``hv.render(...) is not None`` alone cannot fail.
    """
    import holoviews as hv

    out = hv.render(obj, backend=backend)
    if backend == "bokeh":
        from bokeh.models import GlyphRenderer

        rows = [max((len(v) for v in r.data_source.data.values()), default=0)
                for r in out.select({"type": GlyphRenderer})]
        assert rows and max(rows) > 0, f"nothing drawn: {len(rows)} glyph renderers, all empty"
        return out
    artists = 0
    for ax in out.axes:
        artists += sum(len(line.get_xdata()) > 0 for line in ax.lines)
        artists += sum(bool(len(c.get_paths()) or len(c.get_offsets())) for c in ax.collections)
        artists += len(ax.patches) + len(ax.images)
    assert artists > 0, f"nothing drawn on {len(out.axes)} axes"
    return out


@pytest.fixture(scope="session")
def assert_drawn():
    """``assert_drawn(obj, backend)``: render and check something was drawn (see ``_drawn``)."""
    return _drawn
