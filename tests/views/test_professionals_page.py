"""The professionals page: what the signed-in user sees comes from the store with the user's
rights (a head: their centre's staff, no other centre), every read is logged, a worker and an
anonymous visitor see no one; every tab renders in English and Serbian."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import panel as pn
import pytest
from views_cases import A, open_page, view_text

from socialkit import config
from socialkit.professionals import compliance, load_registry
from socialkit.professionals.registry import TABLES, _raw
from socialkit.store import Actor, close_stores, open_store
from socialkit.store.registry import read_log, save_registry
from socialkit.views import create_app
from socialkit.views import professionals as page_module

AS_OF = dt.date(2025, 12, 1)
ADMIN = Actor.system("admin")


@pytest.fixture(scope="module")
def demo():
    return load_registry(config.PROJECT_ROOT / "catalogs" / "serbia_professionals")


@pytest.fixture
def store(tmp_path, monkeypatch, demo):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("SOCIALKIT_DB_URL", url)
    monkeypatch.setattr(page_module, "_today", lambda: AS_OF)
    s = open_store(url)
    save_registry(s, ADMIN, {t: _raw(demo, t) for t in TABLES})
    s.grant(ADMIN, "hsu", "head", "csr-subotica")
    s.grant(ADMIN, "wsu", "worker", "csr-subotica")
    yield s
    close_stores()


def _all_text(app) -> str:
    return view_text(open_page(app, "professionals"))


@pytest.mark.parametrize("lang", ["en", "sr-Latn"])
def test_a_head_sees_own_staff_and_the_read_is_logged(data, store, demo, lang):
    app = create_app(data=data, users={"hsu": [A]}, user="hsu",
                     query={"lang": [lang.encode()]})
    text = _all_text(app)
    short = compliance(demo, AS_OF.isoformat())
    mine = short[short["institution_id"] == "csr-subotica"]
    others = short[~short["person_id"].isin(mine["person_id"])]
    assert all(s in text for s in mine["surname"])
    assert "Subotica" in text and "Novi Sad" not in text and "Zrenjanin" not in text
    assert not [p for p in demo.persons["personal_number"] if p in text]
    assert not (set(others["surname"]) - set(demo.persons.loc[demo.persons["person_id"].isin(
        mine["person_id"]), "surname"])) & set(text.split())
    heading = "Who must act" if lang == "en" else "Ko treba da reaguje"
    assert heading in str(app.page("professionals")._view().select(pn.Tabs)[0]._names)
    # training activity: counts per quarter, 1-4 blank
    page = app.page("professionals")
    page._active_section = 2  # the activity tab
    tables = [o.object for o in page._view().select(pn.pane.DataFrame)]
    counts = pd.to_numeric(tables[-1].iloc[:, 3], errors="coerce")
    assert counts.notna().any() and not counts.between(1, 4).any()
    log = read_log(store, ADMIN)
    assert set(log["user"]) == {"hsu"} and set(log["purpose"]) == {"dashboard"}


def test_a_worker_and_an_anonymous_visitor_see_no_one(data, store, demo):
    for user, users, expected in (("wsu", {"wsu": [A]}, "may not read the registry"),
                                  (None, None, "Sign in to see the registry")):
        app = create_app(data=data, users=users, user=user)
        text = _all_text(app)
        assert expected in text
        assert not [s for s in set(demo.persons["surname"]) if s in text]
    assert read_log(store, ADMIN).empty


def test_course_materials_of_the_programmes_come_from_the_library(data, store, demo, tmp_path,
                                                                   monkeypatch):
    from socialkit.library import Reader, open_library

    monkeypatch.setenv("SOCIALKIT_LIBRARY_DIR", str(tmp_path / "files"))
    lib = open_library()
    programme = demo.programmes.iloc[0]
    lib.add(Reader.system(), "lesson.pdf", b"%PDF-1.4 lesson 1", A,
            item_type="training_material", titles={"en": "Lesson 1: the first interview"},
            programme_id=programme["programme_id"], visibility="public", publish=True)
    lib.add(Reader.system(), "draft.pdf", b"%PDF-1.4 lesson 2", A,
            item_type="training_material", titles={"en": "Lesson 2 (not published)"},
            programme_id=programme["programme_id"])
    app = create_app(data=data, users={"hsu": [A]}, user="hsu")
    view = open_page(app, "professionals")
    text = view_text(view)
    assert "Lesson 1: the first interview" in text and "Lesson 2" not in text
    assert programme["title"] in text
    buttons = [b for b in view.select(pn.widgets.FileDownload) if b.filename == "lesson.pdf"]
    assert open(buttons[0].callback(), "rb").read() == b"%PDF-1.4 lesson 1"
