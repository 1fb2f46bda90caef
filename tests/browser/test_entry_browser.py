"""The data-entry page in headless Chromium: a social worker fills in the CSW form, sees an
error at the field as she types, saves and submits it; the head returns it with a comment.
Screenshots at 1366x768 in English and Serbian (Cyrillic)."""

from __future__ import annotations

import json

import pytest
from browser_support import Session
from playwright.sync_api import expect

from socialkit.views.credentials import hash_password

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PASSWORDS = {"ana": "ana-secret", "marko": "marko-secret"}
CSW = {"staff_social_workers": "10", "staff_psychologists": "2", "staff_pedagogues": "1",
       "staff_special_educators": "1", "staff_lawyers": "1", "staff_other": "3",
       "positions_approved": "22", "vacancies": "4", "new_hires": "1", "departures": "0",
       "case_managers": "8", "active_cases": "400", "new_cases": "60", "computers": "15",
       "vehicles": "2", "premises_m2": "350,5"}
SELECTS = {"internet": "yes", "case_software": "yes", "premises_condition": "good",
           "premises_accessible": "yes", "private_interview_room": "no"}

LABELS = {"yes": "Yes", "no": "No", "good": "Good"}


@pytest.fixture(scope="module")
def entry_server(demo_catalog, demo_tables, tmp_path_factory, real_server):
    from socialkit.store import Actor, close_stores, open_store
    from socialkit.store.entry import register_shipped_forms

    work = tmp_path_factory.mktemp("entry")
    url = f"sqlite:///{work / 'store.sqlite'}"
    store = open_store(url)
    admin = Actor.system("setup")
    store.add_institution(admin, "pzsz", "province", "Покрајински завод за социјалну заштиту")
    store.add_institution(admin, "csw-ns", "csw", "ЦСР Нови Сад", municipality_id="NS",
                          parent_id="pzsz")
    register_shipped_forms(store, admin)
    store.grant(admin, "ana", "worker", "csw-ns")
    store.grant(admin, "marko", "head", "csw-ns")
    close_stores()
    mid = demo_tables["municipalities"]["municipality_id"].tolist()[0]
    creds = work / "creds.json"
    creds.write_text(json.dumps({u: hash_password(p) for u, p in PASSWORDS.items()}),
                     encoding="utf-8")
    users = work / "users.yaml"
    users.write_text(f"ana: [{mid}]\nmarko: [{mid}]\n", encoding="utf-8")
    with real_server(["--catalog", demo_catalog, "--basic-auth", creds, "--users", users],
                     work, address="localhost", env={"SOCIALKIT_DB_URL": url}) as server:
        yield {"base": server.base, "url": url}


@pytest.fixture
def entry_session(browser, entry_server):
    s = Session(browser, entry_server["base"])
    s.page.set_viewport_size({"width": 1366, "height": 768})   # a laptop in a CSW office
    yield s
    s.context.close()
    assert s.outside == [], f"requests left localhost: {s.outside}"
    assert s.errors == [], f"browser console errors: {s.errors}"


def _login(session, user: str, lang: str) -> None:
    page = session.page
    page.goto(f"{session.base}/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORDS[user])
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{session.base}/?page=entry&lang={lang}")
    page.wait_for_selector(".sk-entry", timeout=30_000)


def _get(url: str, period: str):
    from socialkit.store import Actor, close_stores, open_store

    try:
        return open_store(url).get(Actor.system(), "csw_state", "csw-ns", period)
    finally:
        close_stores()


def test_a_worker_fills_in_and_submits_the_form(entry_session, entry_server):
    session, page = entry_session, entry_session.page
    _login(session, "ana", "en")
    expect(page.locator(".sk-page h1")).to_have_text("Data entry")
    # the period list holds the last eight quarters; choose one the store can be asked about
    period = page.locator(".sk-period select")
    quarters = period.locator("option").all_inner_texts()
    assert len(quarters) == 8
    period.select_option(quarters[1])
    page.locator(".sk-open button").click()
    page.wait_for_selector(".sk-f-vacancies input", timeout=30_000)
    page.locator(".sk-f-positions_approved input").fill("22")
    page.locator(".sk-f-vacancies input").press_sequentially("30")
    expect(page.locator(".sk-field-error").filter(has_text="approved positions")).to_be_visible(
        timeout=10_000)
    session.shot("entry_en_error")
    page.locator(".sk-f-vacancies input").fill("")
    for name, value in CSW.items():
        page.locator(f".sk-f-{name} input").fill(value)
    for name, value in SELECTS.items():   # Bokeh's options are the labels the user reads
        page.locator(f".sk-f-{name} select").select_option(label=LABELS[value])
    page.locator(".sk-f-premises_m2 input").press("Tab")
    expect(page.locator(".sk-inst-select select")).to_have_value("ЦСР Нови Сад (csw-ns)")
    page.locator(".sk-submit button").click()
    expect(page.locator(".sk-entry-result")).to_contain_text("Submitted for approval",
                                                              timeout=15_000)
    session.shot("entry_en_submitted")
    rec = _get(entry_server["url"], quarters[1])
    assert rec.status == "submitted" and rec.values["premises_m2"] == 350.5
    assert rec.values["vacancies"] == 4 and rec.updated_by == "ana"


def test_the_head_returns_a_record_with_a_comment_in_serbian(entry_session, entry_server):
    from socialkit.forms import form_path, load_form
    from socialkit.store import close_stores, open_store
    from socialkit.store.entry import save_entry, submit_entry

    store = open_store(entry_server["url"])
    form = load_form(form_path("csw_state"))
    saved = save_entry(store, store.actor("ana"), form, "csw-ns", "2025Q1", {**CSW, **SELECTS})
    submit_entry(store, store.actor("ana"), form, saved.record.record_id, saved.record.version)
    close_stores()
    session, page = entry_session, entry_session.page
    _login(session, "marko", "sr-Cyrl")
    expect(page.locator(".sk-page h1")).to_have_text("Унос података")
    page.locator(".sk-sections .bk-tab").nth(1).click()
    expect(page.locator(".sk-review-values")).to_contain_text("Социјални радници",
                                                              timeout=15_000)
    expect(page.locator(".sk-review-pick")).to_contain_text("ЦСР Нови Сад")
    session.shot("entry_sr_review")
    page.locator(".sk-review-pick select").select_option(label=next(
        t for t in page.locator(".sk-review-pick option").all_inner_texts() if "2025Q1" in t))
    page.locator(".sk-review-comment textarea").fill("Проверите број рачунара")
    page.locator(".sk-return button").click()
    expect(page.locator(".sk-review")).to_contain_text("нацрт", timeout=15_000)
    rec = _get(entry_server["url"], "2025Q1")
    assert rec.status == "draft" and rec.updated_by == "marko"
    page.locator(".sk-sections .bk-tab").nth(0).click()
    page.wait_for_selector(".sk-open button", timeout=15_000)
    page.locator(".sk-period select").select_option("2025Q1")
    page.locator(".sk-open button").click()
    expect(page.locator(".sk-record-status")).to_contain_text("Проверите број рачунара",
                                                              timeout=15_000)
    page.locator(".sk-f-computers input").fill("")
    page.locator(".sk-f-computers input").press_sequentially("пет")
    expect(page.locator(".sk-field-error").filter(has_text="Унесите цео број")).to_be_visible(
        timeout=10_000)
    session.shot("entry_sr_enter")
