"""Library page (issue 18): the store's items of the chosen municipality, filters, downloads
checked on the server, upload and publishing for the municipality's editors only, reports
registered from the batch's manifest."""

from __future__ import annotations

import json

import panel as pn
import pytest
from views_cases import A, B

from socialkit.library import Reader, open_library
from socialkit.views import create_app
from socialkit.views.library import sync_reports

PDF = b"%PDF-1.4 strategy of alpha\n"


@pytest.fixture
def lib(tmp_path, monkeypatch):
    """A library in a fresh SQLite store: ``ed`` edits A; A has a public and an internal
    published item and a draft; B an internal one."""
    from socialkit.store import close_stores

    monkeypatch.setenv("SOCIALKIT_DB_URL", f"sqlite:///{tmp_path / 'store.sqlite'}")
    monkeypatch.setenv("SOCIALKIT_LIBRARY_DIR", str(tmp_path / "files"))
    monkeypatch.setenv("SOCIALKIT_DOCUMENTS_DIR", str(tmp_path / "reports"))
    library = open_library()
    admin = Reader.system()
    library.grant(admin, "ed", "editor", A)
    library.add(admin, "strategy.pdf", PDF, A, item_type="strategy", publish=True,
                titles={"en": "Social services strategy", "uk": "Стратегія соціальних послуг"},
                language="uk", visibility="public", item_date="2026-10-01", tags="strategy")
    library.add(admin, "minutes.pdf", PDF + b"minutes", A, item_type="minutes", publish=True,
                titles={"en": "Working group minutes"}, item_date="2026-09-01")
    library.add(admin, "draft.pdf", PDF + b"draft", A, item_type="action_plan",
                titles={"en": "Action plan (draft)"})
    library.add(admin, "beta.pdf", PDF + b"beta", B, item_type="minutes", publish=True,
                titles={"en": "Secret beta minutes"})
    yield library
    close_stores()


def _text(view) -> str:
    return " ".join(str(m.object) for m in view.select(pn.pane.Markdown))


def test_an_official_sees_the_published_items_of_their_municipality_only(lib, data):
    app = create_app(data=data, users={"olena": frozenset({A})}, user="olena")
    view = app.page("library")._view()
    text = _text(view)
    assert "Social services strategy" in text and "Working group minutes" in text
    assert "draft" not in text.lower() and "beta" not in text.lower()
    assert "Officials only" in text  # the internal item says so
    assert not view.select(pn.widgets.FileInput)  # no upload for an official
    assert not [b for b in view.select(pn.widgets.Button) if b.label == "Publish"]
    buttons = view.select(pn.widgets.FileDownload)
    assert [b.filename for b in buttons] == ["strategy.pdf", "minutes.pdf"]
    assert open(buttons[0].callback(), "rb").read() == PDF


def test_filters_and_search(lib, data):
    app = create_app(data=data, users={"olena": frozenset({A})}, user="olena")
    page = app.page("library")
    view = page._view()
    page._type.value = "minutes"
    assert "Working group minutes" in _text(view) and "strategy" not in _text(view).lower()
    page._type.value = ""
    page._search.value = "STRATEGY"
    assert "Social services strategy" in _text(view) and "minutes" not in _text(view)
    page._search.value = "nothing like this"
    alerts = " ".join(str(a.object) for a in view.select(pn.pane.Alert))
    assert "Nothing matches the filters." in alerts


def test_the_editor_uploads_a_draft_and_publishes_it(lib, data):
    app = create_app(data=data, users={"ed": frozenset({A})}, user="ed")
    page = app.page("library")
    view = page._view()
    assert "Action plan (draft)" in _text(view)  # the editor sees drafts
    page._file.filename, page._file.value = "video.pdf", b"\x00\x00\x00\x18ftypmp42" + bytes(40)
    page._title.value = "Clip"
    page._upload()
    assert "the content is MP4" in page._message.object  # refused: named as another format
    page._file.filename, page._file.value = "plan.pdf", PDF + b"plan"
    page._title.value = "План дій 2027"
    page._utype.value = "action_plan"
    page._public.value = True
    page._upload()
    assert page._message.alert_type == "success"
    item = lib.items(Reader.system(), text="План дій 2027").iloc[0]
    assert (item["status"], item["visibility"], item["item_type"]) == (
        "draft", "public", "action_plan")
    assert lib.items(Reader.public(), text="План").empty  # a draft: not public yet
    publish = [b for b in view.select(pn.widgets.Button) if b.label == "Publish"
               ]
    assert publish
    lib_item = int(item["item_id"])
    page._step("publish", lib_item, int(item["version"]))
    assert "is published" in page._message.object
    assert list(lib.items(Reader.public(), text="План")["item_id"]) == [lib_item]
    history = lib.history(Reader.system(), lib_item)
    assert list(history["by"]) == ["ed", "ed"] and list(history["action"]) == ["upload",
                                                                              "publish"]


def test_a_stale_publish_is_refused_with_a_message(lib, data):
    app = create_app(data=data, users={"ed": frozenset({A})}, user="ed")
    page = app.page("library")
    page._view()
    item = lib.items(Reader.system(), text="Action plan").iloc[0]
    lib.edit(Reader.system(), int(item["item_id"]), tags=["changed meanwhile"])
    page._step("publish", int(item["item_id"]), int(item["version"]))
    assert page._message.alert_type == "danger" and "was changed by" in page._message.object


def test_an_editor_of_another_municipality_cannot_upload_here(lib, data):
    lib.grant(Reader.system(), "edb", "editor", B)
    app = create_app(data=data, users={"edb": frozenset({A, B})}, user="edb")
    app.state.select(A)
    view = app.page("library")._view()
    assert not view.select(pn.widgets.FileInput)


def test_empty_library_message_in_ukrainian(lib, data):
    app = create_app(data=data, users=None, query={"lang": [b"uk"]})
    app.state.select("UA00000000000000003")
    view = app.page("library")._view()
    alerts = " ".join(str(a.object) for a in view.select(pn.pane.Alert))
    assert "ще нічого не опубліковано" in alerts and "Гамма" in alerts


def test_generated_reports_appear_as_report_items(lib, data, tmp_path):
    out = tmp_path / "reports"
    (out / A).mkdir(parents=True)
    (out / A / "passport_en.pdf").write_bytes(b"%PDF-1.4 passport of alpha")
    (out / "manifest.json").write_text(json.dumps({"reports": [
        {"municipality_id": A, "report": "passport", "lang": "en", "status": "ok",
         "output": f"{A}/passport_en.pdf"}]}))
    app = create_app(data=data, users=None)
    app.state.select(A)
    view = app.page("library")._view()
    assert "Report" in _text(view)
    assert "passport_en.pdf" in [b.filename for b in view.select(pn.widgets.FileDownload)]
    assert sync_reports(lib, out, every_s=0) is None  # the manifest did not change


def test_a_server_without_login_sees_internal_items_but_edits_nothing(lib, data):
    app = create_app(data=data, users=None)
    app.state.select(A)
    view = app.page("library")._view()
    assert "Working group minutes" in _text(view) and "Action plan (draft)" not in _text(view)
    assert not view.select(pn.widgets.FileInput)


def test_the_year_filter(lib, data):
    lib.add(Reader.system(), "old.pdf", PDF + b"old", A, item_type="report", publish=True,
            titles={"en": "Annual report 2024"}, item_date="2024-12-31")
    app = create_app(data=data, users={"olena": frozenset({A})}, user="olena")
    page = app.page("library")
    view = page._view()
    assert list(page._year.options.values()) == ["", "2026", "2024"]
    page._year.value = "2024"
    assert "Annual report 2024" in _text(view) and "strategy" not in _text(view).lower()
