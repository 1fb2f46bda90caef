"""The professionals page in headless Chromium, served with a real store: the head of the
Subotica centre sees their own staff who are short of training points, and no one of another
centre, in every tab, in Serbian (Latin) and English; a social worker sees no one. Screenshots
at 1366x768."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from browser_support import Session

from socialkit import config
from socialkit.views.credentials import hash_password

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PASSWORDS = {"hsu": "hsu-secret-1", "wsu": "wsu-secret-1"}
CENTRE = "csr-subotica"


@pytest.fixture(scope="module")
def registry():
    from socialkit.professionals import load_registry

    return load_registry(config.PROJECT_ROOT / "catalogs" / "serbia_professionals")


@pytest.fixture(scope="module")
def server(demo_catalog, demo_tables, registry, tmp_path_factory, real_server):
    from socialkit.professionals.registry import TABLES, _raw
    from socialkit.store import Actor, close_stores, open_store
    from socialkit.store.registry import save_registry

    work = tmp_path_factory.mktemp("professionals")
    url = f"sqlite:///{work / 'store.sqlite'}"
    store = open_store(url)
    admin = Actor.system("admin")
    save_registry(store, admin, {t: _raw(registry, t) for t in TABLES})
    store.grant(admin, "hsu", "head", CENTRE)
    store.grant(admin, "wsu", "worker", CENTRE)
    close_stores()
    creds = work / "creds.json"
    creds.write_text(json.dumps({u: hash_password(p) for u, p in PASSWORDS.items()}),
                     encoding="utf-8")
    users = work / "users.yaml"
    mid = demo_tables["municipalities"]["municipality_id"].tolist()[0]
    users.write_text(f"hsu: [{mid}]\nwsu: [{mid}]\n", encoding="utf-8")
    with real_server(["--catalog", demo_catalog, "--basic-auth", creds, "--users", users],
                     work, address="localhost",
                     env={"SOCIALKIT_DB_URL": url, "SOCIALKIT_LIBRARY_DIR": str(work / "files"),
                          "SOCIALKIT_TESTS": str(config.PROJECT_ROOT / "catalogs"
                                                 / "serbia_professionals")}) as running:
        yield running.base


def _open(browser, base: str, user: str, lang: str) -> Session:
    s = Session(browser, base)
    s.page.set_viewport_size({"width": 1366, "height": 768})
    s.login(user, PASSWORDS[user], query=f"?page=professionals&lang={lang}")
    s.page.wait_for_selector(".sk-page h1", timeout=60_000)
    s.page.wait_for_timeout(1500)
    return s


def _tab_texts(s: Session, shot: str) -> list[str]:
    """The text of each section tab, opened in turn (a screenshot of each)."""
    page = s.page
    tabs = page.locator(".sk-sections .bk-tab")
    out = []
    for i in range(max(tabs.count(), 1)):
        if i:
            tabs.nth(i).click()
            page.wait_for_timeout(1500)
        out.append(s.text(".sk-main", visible_only=True))
        s.shot(f"{shot}_{i}")
    return out


@pytest.mark.parametrize("lang", ["sr-Latn", "en"])
def test_a_head_sees_their_own_staff(browser, server, registry, lang):
    from socialkit.i18n.translit import to_latin as latin
    from socialkit.professionals import compliance

    short = compliance(registry, dt.date.today().isoformat())
    own = set(short.loc[short["institution_id"] == CENTRE, "surname"])
    others = set(short.loc[short["institution_id"] != CENTRE, "surname"]) - own
    assert own and others, "the demo must have staff short of points here and elsewhere"
    s = _open(browser, server, "hsu", lang)
    try:
        texts = _tab_texts(s, f"professionals_head_{lang}")
        assert len(texts) == 4  # who must act, coverage, activity, course materials
        compliance_tab = texts[0]
        for name in own:  # the page writes names in the reader's script
            assert name in compliance_tab or latin(name) in compliance_tab, name
        for name in others:
            assert name not in compliance_tab and latin(name) not in compliance_tab, name
        # quarters in the reader's words ("2025 Q4", "4. kv. 2025"), never the ISO code
        assert texts[2].strip() and not re.search(r"\b\d{4}Q\d\b", texts[2])
        width = s.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1366, f"page {width} px wide"
    finally:
        s.context.close()
    assert s.outside == [] and s.errors == [], (s.outside, s.errors)


def test_a_worker_sees_no_one(browser, server, registry):
    from socialkit.professionals import compliance

    short = compliance(registry, dt.date.today().isoformat())
    s = _open(browser, server, "wsu", "en")
    try:
        text = s.text(".sk-main", visible_only=True)
        assert not any(name in text for name in set(short["surname"]))
        assert "Professionals" in text
    finally:
        s.context.close()
    assert s.outside == [] and s.errors == [], (s.outside, s.errors)


def test_a_professional_takes_the_assessment_test(browser, server):
    from socialkit.professionals.assessment import read_key

    key = read_key(config.PROJECT_ROOT / "catalogs" / "serbia_professionals" / "test_key.yaml")
    s = Session(browser, server)
    s.page.set_viewport_size({"width": 1366, "height": 768})
    try:
        s.login("wsu", PASSWORDS["wsu"], query="?page=assessment&lang=sr-Latn")
        page = s.page
        page.wait_for_selector(".sk-test-submit", timeout=60_000)
        assert key.questions[0].label in s.text(".sk-main")
        # every question but the last answered: the best answer of the first eight, the worst
        # of the ninth
        for i, q in enumerate(key.questions[:-1]):
            pick = (max if i < 8 else min)(q.choices, key=lambda c, q=q: q.choices[c].points)
            page.locator(f".sk-q-{q.name}").get_by_text(q.choices[pick].label,
                                                        exact=True).click()
        page.locator(".sk-test-submit button").click()
        page.wait_for_timeout(1000)
        assert "bez odgovora — 10" in s.text(".sk-main")
        s.shot("assessment_unanswered_sr-Latn")
        last = key.questions[-1]
        worst = min(last.choices, key=lambda c: last.choices[c].points)
        page.locator(f".sk-q-{last.name}").get_by_text(last.choices[worst].label,
                                                      exact=True).click()
        page.locator(".sk-test-submit button").click()
        page.wait_for_timeout(1500)
        text = s.text(".sk-main")
        assert "Vaš rezultat: 8 od 10 bodova (80" in text and "položeno" in text, text[-400:]
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
        s.shot("assessment_taken_sr-Latn")
    finally:
        s.context.close()
    assert s.outside == [] and s.errors == [], (s.outside, s.errors)
