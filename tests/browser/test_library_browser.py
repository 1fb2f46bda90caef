"""The e-platform in a real browser (issue 18): a municipality's editor uploads a strategy and a
video in the dashboard and publishes them; a resident, without login, finds them on the public
page, plays the video and downloads the strategy; drafts and internal items stay out of reach
through every URL."""

from __future__ import annotations

import re
import urllib.request

from browser_support import Session, record_webm
from playwright.sync_api import expect

STRATEGY = b"%PDF-1.4\n% the strategy of the community, 2027-2030\n"
TITLE = "Стратегія розвитку соціальних послуг 2027–2030"
VIDEO_TITLE = "Як отримати догляд удома"


_WIDER = """(limit) => { const out = []; const walk = (r) => {
    for (const el of r.querySelectorAll('*')) { const b = el.getBoundingClientRect();
        if (b.right > limit && b.width > 0) out.push([el.tagName, String(el.className).slice(0, 60),
                                                     Math.round(b.left), Math.round(b.right)]);
        if (el.shadowRoot) walk(el.shadowRoot); } };
    walk(document); return out.slice(0, 12); }"""


def _upload(page, path, title: str, kind_label: str) -> None:
    card = page.locator(".sk-lib-upload-card")
    if not page.locator(".sk-lib-title input").first.is_visible():
        card.get_by_text("Додати документ, карту чи відео").click()
    page.locator(".sk-lib-file input[type=file]").set_input_files(str(path))
    page.wait_for_timeout(1500)  # the browser reads the file and sends it to the server
    page.locator(".sk-lib-utype select").select_option(label=kind_label)
    page.locator(".sk-lib-title input").fill(title)
    page.locator(".sk-lib-title input").press("Enter")
    page.locator(".sk-lib-public input[type=checkbox]").check()
    page.wait_for_timeout(300)
    page.locator(".sk-lib-upload button").click()
    expect(page.locator(".sk-lib-msg")).to_contain_text("збережено як чернетку", timeout=20_000)


def _item(page, title: str):
    return page.locator(".sk-lib-item").filter(has_text=title)


def test_an_editor_publishes_a_strategy_and_a_video_and_a_resident_sees_them(
        browser, dashboard, tmp_path):
    webm = tmp_path / "home-care.webm"
    webm.write_bytes(record_webm(browser))
    pdf = tmp_path / "strategy.pdf"
    pdf.write_bytes(STRATEGY)
    mid, base = dashboard["ids"][0], dashboard["base"]

    editor = Session(browser, base)
    editor.page.set_viewport_size({"width": 1366, "height": 768})
    try:
        editor.login("editor", query=f"?page=library&lang=uk&municipality={mid}")
        page = editor.page
        page.wait_for_selector(".sk-library")
        _upload(page, pdf, TITLE, "Стратегія")
        _upload(page, webm, VIDEO_TITLE, "Відео")
        for title in (TITLE, VIDEO_TITLE):
            expect(_item(page, title)).to_contain_text("Чернетка")
        # drafts: not on the public page yet
        public_html = urllib.request.urlopen(f"{base}/public?lang=uk").read().decode()
        assert TITLE not in public_html
        for title in (TITLE, VIDEO_TITLE):
            _item(page, title).locator(".sk-lib-publish button").click()
            expect(page.locator(".sk-lib-msg")).to_contain_text("опубліковано")
            expect(_item(page, title)).not_to_contain_text("Чернетка")
        # the video plays on the dashboard page
        _item(page, VIDEO_TITLE).locator(".sk-lib-show button").click()
        page.wait_for_function("""() => { const q = (r) => { for (const el of r.querySelectorAll('*')) {
            if (el.tagName === 'VIDEO' && el.readyState >= 1) return true;
            if (el.shadowRoot && q(el.shadowRoot)) return true; } return false; };
            return q(document); }""", timeout=15_000)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1366, page.evaluate(_WIDER, 1366)
        editor.shot("editor_library_uk")
    finally:
        editor.context.close()
    assert editor.errors == [] and editor.outside == []

    resident = Session(browser, base)  # no login
    resident.page.set_viewport_size({"width": 1366, "height": 768})
    try:
        page = resident.page
        page.goto(f"{base}/public?lang=uk")
        expect(page.locator("main")).to_contain_text(TITLE)
        expect(page.locator("main")).to_contain_text(VIDEO_TITLE)
        # internal items (the seeded passports) are not for the public
        assert "passport_2021" not in page.content()
        page.goto(f"{base}/public?lang=uk&type=video")
        expect(page.locator("main")).to_contain_text(VIDEO_TITLE)
        expect(page.locator("main")).not_to_contain_text(TITLE)
        page.wait_for_function("document.querySelector('video').readyState >= 1")
        duration = page.evaluate("document.querySelector('video').duration")
        assert duration > 0.5
        page.goto(f"{base}/public?lang=uk&q=Стратегія")
        with page.expect_download() as info:
            page.get_by_role("link", name="Завантажити").first.click()
        assert open(info.value.path(), "rb").read() == STRATEGY
        assert info.value.suggested_filename == "strategy.pdf"
        resident.shot("resident_public_uk")
        page.set_viewport_size({"width": 375, "height": 740})
        page.goto(f"{base}/public?lang=uk")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        resident.shot("resident_public_phone")
        page.goto(f"{base}/public?lang=en")
        expect(page.locator("h1")).to_have_text(
            "Social services: documents, maps and videos of the communities")
    finally:
        resident.context.close()
    assert resident.errors == [] and resident.outside == []


def test_internal_items_and_drafts_are_out_of_reach_without_the_right(dashboard, browser):
    base = dashboard["base"]
    html = urllib.request.urlopen(f"{base}/public").read().decode()
    ids = {int(m) for m in re.findall(r"/public/file/(\d+)", html)}
    for item_id in (1, 2):  # the seeded internal passports
        assert item_id not in ids
        for route in ("public/file", "library/file"):
            try:
                urllib.request.urlopen(f"{base}/{route}/{item_id}")
            except urllib.error.HTTPError as exc:
                assert exc.code == 404
            else:
                raise AssertionError(f"/{route}/{item_id} was served without a login")
    # olena (second municipality) reads her own internal item, not the first municipality's
    olena = Session(browser, base)
    try:
        olena.login("olena", query="?page=library")
        one = olena.page.request.get(f"{base}/library/file/1")
        two = olena.page.request.get(f"{base}/library/file/2")
        assert one.status == 200 and one.body().startswith(b"%PDF")
        assert two.status == 404
    finally:
        olena.context.close()


COMMENT = "Просимо додати вечірні години роботи денного центру."


def test_a_resident_comments_on_the_draft_and_the_editor_publishes_it(browser, dashboard):
    base = dashboard["base"]
    resident = Session(browser, base)
    resident.page.set_viewport_size({"width": 1366, "height": 768})
    try:
        page = resident.page
        page.goto(f"{base}/public?lang=uk&q=обговорення")
        item = page.locator("article").filter(has_text="Проєкт стратегії для обговорення")
        expect(item).to_contain_text("Громадське обговорення до")
        item.locator("textarea[name=text]").fill(COMMENT)
        item.locator("input[name=target]").fill("A3")
        item.get_by_role("button", name="Надіслати коментар").click()
        # consent is required: the browser does not send the form without it
        assert page.url.endswith("q=%D0%BE%D0%B1%D0%B3%D0%BE%D0%B2%D0%BE%D1%80%D0%B5%D0%BD%D0%BD%D1%8F") \
            or "sent=" not in page.url
        item.locator("input[name=consent]").check()
        item.get_by_role("button", name="Надіслати коментар").click()
        page.wait_for_load_state("networkidle")
        expect(page.locator(".thanks")).to_contain_text("після модерації")
        assert COMMENT not in page.locator("main").inner_text()  # pending
        resident.shot("resident_comment_sent_uk")
    finally:
        resident.context.close()
    assert resident.errors == [] and resident.outside == []
    # a POST without the form's token (another site's form) is refused
    request = urllib.request.Request(f"{base}/public/comment/3", method="POST",
                                     data=b"text=spam&consent=1&lang=uk")
    try:
        urllib.request.urlopen(request)
    except urllib.error.HTTPError as exc:
        assert exc.code == 403
    else:
        raise AssertionError("a comment without the XSRF token was accepted")

    editor = Session(browser, base)
    editor.page.set_viewport_size({"width": 1366, "height": 768})
    try:
        mid = dashboard["ids"][0]
        editor.login("editor", query=f"?page=library&lang=uk&municipality={mid}")
        page = editor.page
        page.wait_for_selector(".sk-library")
        row = page.locator(".sk-lib-item").filter(has_text="Проєкт стратегії для обговорення")
        row.locator(".sk-lib-comments button").click()
        expect(row).to_contain_text(COMMENT)
        row.locator(".sk-lib-publish_comment button").click()
        expect(page.locator(".sk-lib-msg")).to_contain_text("опубліковано")
        editor.shot("editor_moderated_uk")
    finally:
        editor.context.close()
    assert editor.errors == [] and editor.outside == []
    html = urllib.request.urlopen(f"{base}/public?lang=uk").read().decode()
    assert COMMENT in html and "Мешканець" in html
