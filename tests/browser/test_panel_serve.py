"""``panel serve dashboards/*.py`` serves the same app (settings from the environment)."""

from __future__ import annotations

import pytest
from browser_support import Session
from playwright.sync_api import expect

from socialkit import config

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def panel_server(demo_catalog, tmp_path_factory, real_server):
    entries = sorted(str(p) for p in config.dashboards_dir().glob("*.py"))
    assert entries, "no panel serve entry files in dashboards/"
    with real_server([*entries, "--setup", config.dashboards_dir() / "setup" / "harden.py",
                      "--allow-websocket-origin", "localhost:{port}"],
                     tmp_path_factory.mktemp("panel-serve"), program="panel",
                     ready="/socialkit_app", address="localhost",
                     env={"SOCIALKIT_CATALOG": str(demo_catalog), "SOCIALKIT_LANG": "uk",
                          "SOCIALKIT_USERS": None}) as running:
        yield running.base, running.proc


def test_panel_serve_components_route_imports_nothing(panel_server):
    import urllib.error
    import urllib.request

    base, proc = panel_server
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(f"{base}/components/unittest.__main__/x/_css/y", timeout=10)
    assert exc.value.code == 404
    assert proc.poll() is None
    assert urllib.request.urlopen(f"{base}/socialkit_app", timeout=30).status == 200


def test_panel_serve_entry_file(browser, panel_server, demo_tables):
    panel_server, _ = panel_server
    session = Session(browser, panel_server)
    try:
        page = session.page
        page.goto(f"{panel_server}/socialkit_app?page=overview")
        page.wait_for_selector(".sk-page", timeout=30_000)
        name = demo_tables["municipalities"]["name_local"].iloc[0]
        expect(page.locator(".sk-figures-title")).to_contain_text(f"Основні показники: {name}")
        assert "Населення" in session.text(".sk-key-figures")
        session.shot("panel_serve_uk")
    finally:
        session.context.close()
    assert session.outside == [], f"requests left localhost: {session.outside}"
    assert session.errors == [], f"browser console errors: {session.errors}"
