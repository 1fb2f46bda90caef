"""The dashboard in headless Chromium: login, pages, scoping, language, offline, no errors."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PAGES_EN = ["At a glance", "Overview", "Digital maturity", "Needs", "Social passport", "M&E", "Library"]
PAGES_UK = ["Головне", "Огляд", "Цифрова зрілість", "Потреби", "Соціальний паспорт",
            "Моніторинг і оцінка", "Бібліотека"]


def _go(session, label: str) -> None:
    session.page.locator(".sk-nav").get_by_text(label, exact=True).click()
    expect(session.page.locator(".sk-page h1")).to_have_text(label, timeout=15_000)


def _wait_changed(session, selector: str, old: str, timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = session.text(selector)
        if text != old:
            return text
        session.page.wait_for_timeout(100)
    return session.text(selector)


_SECTION_HEIGHT = """(i) => {
  const found = [];
  const visit = (root) => {
    root.querySelectorAll('.sk-section').forEach((el) => found.push(el));
    root.querySelectorAll('*').forEach((el) => { if (el.shadowRoot) visit(el.shadowRoot); });
  };
  visit(document);
  return found.length > i ? found[i].getBoundingClientRect().height : 0;
}"""


def _wait_section(session, index: int, timeout: float = 30.0) -> float:
    """Height of the ``index``-th section tab's content once it is drawn (0 if never)."""
    deadline = time.monotonic() + timeout
    height = 0.0
    while time.monotonic() < deadline:
        height = session.page.evaluate(_SECTION_HEIGHT, index)
        if height > 50:
            session.page.wait_for_timeout(300)  # let Bokeh finish drawing before a screenshot
            break
        session.page.wait_for_timeout(200)
    return height


def test_login_and_every_page_renders(session):
    session.login("admin", query="?page=overview")
    page = session.page
    expect(page.locator(".sk-user")).to_contain_text("Signed in as admin")
    expect(page.locator(".sk-key-figures table")).to_contain_text("Population")
    assert page.locator(".sk-page canvas").count() >= 1  # the Bokeh map is drawn
    for label in PAGES_EN:
        _go(session, label)
        body = session.text(".sk-page")
        assert len(body) > len(label), f"page {label!r} is empty"
        assert "not part of this installation" not in body, f"page {label!r} not integrated"
        slug = label.replace(" ", "_").replace("&", "and")
        session.shot(f"admin_{slug}")
        tabs = page.locator(".sk-sections .bk-tab")
        for i in range(tabs.count()):  # open every section: each renders without errors
            if i:
                tabs.nth(i).click()
            height = _wait_section(session, i)
            assert height > 50, f"{label}: section {i} is empty"
            if i:
                session.shot(f"admin_{slug}_{i}")


def test_wrong_password_is_refused(session):
    page = session.page
    page.goto(f"{session.base}/login")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit]")
    expect(page.locator("#error-message")).to_contain_text("Invalid")
    assert page.locator(".sk-page").count() == 0
    page.goto(session.base + "/")
    assert "/login" in page.url


def test_switching_municipality_changes_the_figures(session, dashboard):
    session.login("admin", query="?page=overview")
    page = session.page
    ids, names = dashboard["ids"], dashboard["names"]
    title = page.locator(".sk-figures-title")
    expect(title).to_have_text(f"Key figures: {names[0]}")
    before = session.text(".sk-key-figures")
    canvas = page.locator(".sk-page canvas").first
    map_before = canvas.screenshot()
    page.locator(".sk-municipality select").select_option(label=names[3])
    expect(title).to_have_text(f"Key figures: {names[3]}", timeout=30_000)
    after = _wait_changed(session, ".sk-key-figures", before, timeout=30)
    assert after != before and "Population" in after
    deadline = time.monotonic() + 30
    while canvas.screenshot() == map_before and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert canvas.screenshot() != map_before, "the map was not redrawn"
    assert f"municipality={ids[3]}" in page.url
    session.shot("admin_switched_municipality")


def test_language_switch_changes_labels(session):
    session.login("admin", query="?page=overview")
    page = session.page
    page.locator(".sk-lang select").select_option(label="Українська")
    expect(page.locator(".sk-page h1")).to_have_text("Огляд", timeout=10_000)
    nav = session.text(".sk-nav")
    assert all(label in nav for label in PAGES_UK)
    assert not any(label in nav for label in PAGES_EN[:5])
    expect(page.locator(".sk-key-figures table")).to_contain_text("Населення")
    expect(page.locator(".sk-user")).to_contain_text("Ви увійшли як admin")
    for label in PAGES_UK:
        _go(session, label)
    session.shot("admin_ukrainian_library")
    assert "lang=uk" in page.url


def test_scoped_user_refused_other_municipality_via_url(session, dashboard):
    ids, names = dashboard["ids"], dashboard["names"]
    session.login("olena", query=f"?municipality={ids[0]}&page=overview")
    page = session.page
    expect(page.locator(".sk-notice")).to_contain_text(f"Access refused: you may not see "
                                                       f"municipality {ids[0]}")
    expect(page.locator(".sk-figures-title")).to_have_text(f"Key figures: {names[1]}")
    assert page.locator(".sk-municipality select option").count() == 1
    body = session.text(".sk-page")
    assert names[0] not in body and names[2] not in body
    session.shot("olena_refused_via_url")


def test_scoped_user_refused_other_municipality_via_widget(session, dashboard):
    ids, names = dashboard["ids"], dashboard["names"]
    session.login("olena", query="?page=overview")
    page = session.page
    # Forge the select's value in the browser, as a crafted websocket message would.
    forged = page.evaluate("""(target) => {
        for (const m of Bokeh.documents[0].all_models) {
            if (m.type === 'panel.models.widgets.CustomSelect') {
                m.options = [[target, 'forged'], ...m.options]; m.value = target; return true;
            }
        }
        return false; }""", ids[0])
    assert forged
    page.wait_for_timeout(1500)
    expect(page.locator(".sk-figures-title")).to_have_text(f"Key figures: {names[1]}")
    assert names[0] not in session.text(".sk-page")
    # The page keeps working for her own municipality.
    _go(session, "Library")
    expect(page.locator(".sk-library")).to_contain_text("passport_2021.pdf")
    session.shot("olena_refused_via_widget")


def test_library_download_only_own_documents(session, dashboard):
    from browser_support import PDF

    session.login("olena", query="?page=library")
    page = session.page
    expect(page.locator(".sk-library")).to_contain_text("passport_2021.pdf")
    assert "other_municipality.pdf" not in session.text(".sk-page")
    with page.expect_download() as info:
        page.locator(".sk-download").first.get_by_role("button").click()
    download = info.value
    assert download.suggested_filename == "passport_2021.pdf"
    assert open(download.path(), "rb").read() == PDF
    session.shot("olena_library")


def test_selecting_a_settlement_shows_its_details(session):
    session.login("admin", query="?page=needs")
    page = session.page
    expect(page.locator(".sk-settlement-details")).to_contain_text("Tap a settlement")
    canvas = page.locator(".sk-map canvas").first
    canvas.wait_for(timeout=30_000)
    box = canvas.bounding_box()
    # Tap in the middle of the map: the settlement nearest to the tap is shown.
    assert box is not None
    x, y = box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.5
    page.mouse.click(x, y)
    expect(page.locator(".sk-settlement-details table")).to_contain_text("Population")
    expect(page.locator(".sk-settlement-details table")).to_contain_text("Cluster",
                                                                          timeout=15_000)
    session.shot("admin_needs_settlement_details")


def test_user_without_municipalities_sees_nothing(session, dashboard):
    session.login("nobody")
    page = session.page
    expect(page.locator(".sk-page")).to_contain_text("no municipality assigned")
    body = session.text(".sk-page")
    assert not any(name in body for name in dashboard["names"])


def test_dashboard_renders_under_the_csp(session):
    """The secure headers are on the page and the app still works (the session fixture fails
    on any console error, which is how Chromium reports a CSP violation)."""
    session.login("admin")
    page = session.page
    response = page.goto(f"{session.base}/?page=maturity")
    headers = response.headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    expect(page.locator(".sk-page h1")).to_have_text("Digital maturity", timeout=30_000)
    assert page.locator(".sk-page canvas").count() >= 1
    # the page cannot be framed by another site
    framed = page.evaluate("""async (url) => {
        const f = document.createElement('iframe'); f.src = url; document.body.appendChild(f);
        await new Promise((r) => setTimeout(r, 1500));
        try { return f.contentDocument && f.contentDocument.querySelector('.sk-page') !== null; }
        catch (e) { return false; } }""", f"{session.base}/")
    assert not framed
    refused = [e for e in session.errors if "frame-ancestors 'none'" in e]
    assert refused, "the browser did not refuse to frame the dashboard"
    session.errors = [e for e in session.errors if e not in refused]
    session.shot("admin_maturity_with_csp")


def test_logout_closes_pages_still_open(session, dashboard):
    session.login("admin", query="?page=overview")
    page = session.page
    names = dashboard["names"]
    title = page.locator(".sk-figures-title")
    expect(title).to_have_text(f"Key figures: {names[0]}")
    other = session.context.new_page()
    other.goto(f"{session.base}/logout")  # a GET only asks
    page.wait_for_timeout(500)
    page.locator(".sk-municipality select").select_option(label=names[1])
    expect(title).to_have_text(f"Key figures: {names[1]}")  # still signed in
    other.locator(".logout-form button").click()  # the POST with the XSRF token signs out
    other.wait_for_load_state()
    page.wait_for_timeout(1000)
    page.locator(".sk-municipality select").select_option(label=names[3])
    page.wait_for_timeout(3000)
    expect(title).to_have_text(f"Key figures: {names[1]}")  # the server no longer answers
    page.reload()
    assert "/login" in page.url
    # Bokeh reports the closed connection when the select tries to send its change
    closed = [e for e in session.errors if "not connected so cannot send" in e]
    assert closed, session.errors
    session.errors = [e for e in session.errors if e not in closed]
