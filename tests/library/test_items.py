"""The library's items in the store (issue 18): upload as a draft, publish, the audiences of
public and internal items, editors per municipality, the audit trail, optimistic locking,
reports registered from a batch's manifest — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from socialkit.library import FileStore, Library, LibraryError, Reader, UploadError
from socialkit.store import Actor, open_store

PDF = b"%PDF-1.7\n% strategy of Mykolaivka\n"
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64
GEOJSON = json.dumps({"type": "FeatureCollection", "features": []}).encode()


@pytest.fixture
def lib(db_url, tmp_path):
    library = Library(open_store(db_url), FileStore(tmp_path / "files"))
    admin = Reader.system("setup")
    library.grant(admin, "ed_m1", "editor", "M1")
    library.grant(admin, "ed_m2", "editor", "M2")
    library.grant(admin, "boss", "admin")
    return library


def _strategy(lib, by, mid="M1", **kw):
    kw.setdefault("titles", {"uk": "Стратегія розвитку соціальних послуг", "en": "Strategy"})
    kw.setdefault("visibility", "public")
    return lib.add(by, "strategy.pdf", PDF, mid, item_type="strategy", **kw)


def test_an_upload_is_a_draft_seen_by_its_editors_only(lib):
    ed = lib.reader("ed_m1", None)
    item = _strategy(lib, ed, language="uk", item_date="2026-11-30", tags="strategy, 2027")
    assert (item.status, item.kind, item.format, item.version) == ("draft", "document", "pdf", 1)
    assert item.tags == ("2027", "strategy") and item.item_date == dt.date(2026, 11, 30)
    assert lib.files.verify(item.sha256, "pdf")
    assert list(lib.items(ed)["item_id"]) == [item.item_id]
    for other in (Reader.public(), lib.reader("official", ["M1"]), lib.reader("ed_m2", None)):
        assert lib.items(other).empty
        with pytest.raises(LibraryError, match="no library item"):
            lib.item(other, item.item_id)


def test_published_public_items_reach_everyone_internal_ones_the_officials(lib):
    ed = lib.reader("ed_m1", None)
    public = _strategy(lib, ed)
    internal = lib.add(ed, "minutes.pdf", PDF + b"2", "M1", item_type="minutes",
                       titles={"uk": "Протокол робочої групи"}, visibility="internal")
    for item in (public, internal):
        lib.publish(ed, item.item_id, item.version)
    assert list(lib.items(Reader.public())["item_id"]) == [public.item_id]
    seen = set(lib.items(lib.reader("official", ["M1"]))["item_id"])
    assert seen == {public.item_id, internal.item_id}
    # an official of another municipality sees the public one only
    assert list(lib.items(lib.reader("other", ["M2"]))["item_id"]) == [public.item_id]
    with pytest.raises(LibraryError):
        lib.open(lib.reader("other", ["M2"]), internal.item_id)
    item, path = lib.open(Reader.public(), public.item_id)
    assert path.read_bytes() == PDF and item.title("uk").startswith("Стратегія")
    assert item.title("ro") == "Strategy"  # no Romanian title: English


def test_only_the_municipalitys_editor_uploads_and_publishes(lib):
    with pytest.raises(LibraryError, match="not an editor of M1"):
        _strategy(lib, lib.reader("ed_m2", None))
    with pytest.raises(LibraryError, match="not an editor"):
        _strategy(lib, lib.reader("official", ["M1"]))
    # an editor whose dashboard scope leaves out their municipality cannot edit it either
    assert not lib.reader("ed_m1", ["M2"]).may_edit("M1")
    draft = _strategy(lib, lib.reader("ed_m1", None))
    with pytest.raises(LibraryError):
        lib.publish(lib.reader("ed_m2", None), draft.item_id)
    boss = lib.reader("boss", None)
    assert boss.admin and lib.publish(boss, draft.item_id).status == "published"
    # a scoped administrator is no administrator of everything
    assert not lib.reader("boss", ["M1"]).admin


def test_every_change_is_in_the_audit_trail_and_a_stale_save_is_refused(lib):
    ed = lib.reader("ed_m1", None)
    item = _strategy(lib, ed)
    edited = lib.edit(ed, item.item_id, item.version, titles={"uk": "Стратегія 2027–2030"},
                      reason="нова назва")
    with pytest.raises(LibraryError, match="was changed by ed_m1"):
        lib.edit(ed, item.item_id, item.version, tags=["x"])
    published = lib.publish(ed, edited.item_id, edited.version)
    lib.withdraw(ed, published.item_id, published.version, reason="replaced")
    hist = lib.history(ed, item.item_id)
    assert list(hist["action"]) == ["upload", "edit", "publish", "withdraw"]
    assert list(hist["version"]) == [1, 2, 3, 4]
    assert hist.loc[1, "changes"]["titles"] == [
        {"uk": "Стратегія розвитку соціальних послуг", "en": "Strategy"},
        {"uk": "Стратегія 2027–2030"}]
    assert hist.loc[1, "reason"] == "нова назва"
    # withdrawn: listed to no one (not even its editor), kept for the administrator
    assert lib.items(ed).empty and lib.items(Reader.public()).empty
    assert list(lib.items(Reader.system())["status"]) == ["withdrawn"]
    with pytest.raises(LibraryError, match="cannot become published"):
        lib.publish(Reader.system(), item.item_id)


def test_bad_metadata_and_files_are_refused_and_nothing_is_kept(lib, tmp_path):
    ed = lib.reader("ed_m1", None)
    cases = [
        (dict(item_type="poster"), "type poster is not a library type"),
        (dict(item_type="video"), "a file of kind document cannot be a video"),
        (dict(titles={}), "a title is needed"),
        (dict(titles={"xx": "?"}), "language xx is not offered"),
        (dict(item_date="30.11.2026"), "30.11.2026 is not a date"),
        (dict(visibility="secret"), "visibility secret"),
        (dict(programme_id="P1"), "only a training material"),
        (dict(item_type="training_material", programme_id="P404"),
         "programme P404 is not in the registry"),
    ]
    for kw, message in cases:
        args = {"item_type": "strategy", "titles": {"en": "Strategy"}} | kw
        with pytest.raises(LibraryError, match=message):
            lib.add(ed, "strategy.pdf", PDF, "M1", **args)
    with pytest.raises(UploadError, match="content is MP4"):
        lib.add(ed, "strategy.pdf", MP4, "M1", item_type="strategy", titles={"en": "x"})
    assert lib.items(Reader.system()).empty
    assert not (tmp_path / "files").exists() or not any((tmp_path / "files").rglob("*.pdf"))


def test_videos_maps_and_training_materials_of_a_programme(lib):
    ed = lib.reader("ed_m1", None)
    video = lib.add(ed, "talk.mp4", MP4, "M1", item_type="video", titles={"en": "Talk"},
                    publish=True, visibility="public")
    assert (video.kind, video.status) == ("video", "published")
    geo = lib.add(ed, "services.geojson", GEOJSON, "M1", item_type="map",
                  titles={"en": "Services"})
    assert geo.kind == "map"
    with pytest.raises(LibraryError, match="cannot be a map"):
        lib.add(ed, "map.pdf", PDF, "M1", item_type="map", titles={"en": "Map"})
    # a programme of the registry of professionals
    from socialkit.store.models import ProfProgramme

    with lib.store._session(write=True) as s:
        s.add(ProfProgramme(programme_id="P1", title="Case management", activity="programme",
                            accredited=True, knowledge_test=True))
    material = lib.add(ed, "lesson.mp4", MP4 + b"1", "M1", item_type="training_material",
                       titles={"en": "Lesson 1"}, programme_id="P1")
    assert material.programme_id == "P1"
    assert list(lib.items(ed, item_type="training_material")["programme_id"]) == ["P1"]


def test_search_and_filters(lib):
    ed = lib.reader("ed_m1", None)
    a = _strategy(lib, ed, language="uk", item_date="2025-05-01", tags=["Соціальні послуги"],
                  publish=True)
    b = lib.add(ed, "p.pdf", PDF + b"p", "M1", item_type="passport", language="en",
                titles={"en": "Social passport 2026"}, item_date="2026-02-01", publish=True,
                visibility="public")
    pub = Reader.public()
    assert list(lib.items(pub)["item_id"]) == [b.item_id, a.item_id]  # newest first
    assert list(lib.items(pub, item_type="passport")["item_id"]) == [b.item_id]
    assert list(lib.items(pub, language="uk")["item_id"]) == [a.item_id]
    assert list(lib.items(pub, since=dt.date(2026, 1, 1))["item_id"]) == [b.item_id]
    assert list(lib.items(pub, text="соціальні")["item_id"]) == [a.item_id]  # a tag
    assert list(lib.items(pub, text="PASSPORT")["item_id"]) == [b.item_id]
    assert lib.items(pub, municipality_id="M2").empty
    assert list(lib.items(pub, lang="uk")["title"]) == ["Social passport 2026",
                                                         "Стратегія розвитку соціальних послуг"]


def test_reports_of_a_batch_become_report_items_once(lib, tmp_path):
    out = tmp_path / "reports"
    (out / "UA1").mkdir(parents=True)
    (out / "UA1" / "maturity_uk.pdf").write_bytes(PDF + b"report")
    records = [{"municipality_id": "UA1", "report": "maturity", "lang": "uk", "status": "ok",
                "output": "UA1/maturity_uk.pdf"},
               {"municipality_id": "UA1", "report": "needs", "lang": "uk", "status": "failed",
                "output": "UA1/needs_uk.pdf"}]
    (out / "manifest.json").write_text(json.dumps({"reports": records}))
    assert lib.register_reports(out) == {"added": 1, "replaced": 0, "unchanged": 0}
    assert lib.register_reports(out) == {"added": 0, "replaced": 0, "unchanged": 1}
    official = lib.reader("official", ["UA1"])
    items = lib.items(official, lang="uk")
    assert list(items["item_type"]) == ["report"] and list(items["status"]) == ["published"]
    assert items.loc[0, "title"] == "Цифрова зрілість соціальних послуг"  # the report's title
    assert lib.items(Reader.public()).empty  # internal
    (out / "UA1" / "maturity_uk.pdf").write_bytes(PDF + b"report, made again")
    assert lib.register_reports(out)["replaced"] == 1
    item, path = lib.open(official, int(items.loc[0, "item_id"]))
    assert path.read_bytes().endswith(b"made again")


def test_library_roles_are_granted_by_administrators_only(lib):
    with pytest.raises(LibraryError, match="not an administrator"):
        lib.grant(lib.reader("ed_m1", None), "x", "editor", "M1")
    with pytest.raises(LibraryError, match="needs a municipality"):
        lib.grant(Reader.system(), "x", "editor")
    with pytest.raises(LibraryError, match="not a library role"):
        lib.grant(Reader.system(), "x", "viewer", "M1")
    assert set(lib.roles(Reader.system())["user"]) == {"ed_m1", "ed_m2", "boss"}
    assert lib.revoke(Reader.system(), "ed_m1", "editor", "M1") == 1
    assert not lib.reader("ed_m1", None).may_edit("M1")
    # the store's own roles (entry) give no library rights
    store = lib.store
    store.add_institution(Actor.system(), "csw", "csw", "CSW", municipality_id="M1")
    store.grant(Actor.system(), "ed_m1", "head", "csw")
    assert not lib.reader("ed_m1", None).may_edit("M1")


def test_a_public_consultation_collects_moderated_comments(lib):
    ed = lib.reader("ed_m1", None)
    draft = _strategy(lib, ed, publish=True, comments_until="2027-01-31")
    closed = lib.add(ed, "old.pdf", PDF + b"old", "M1", item_type="strategy",
                     titles={"en": "Old"}, visibility="public", publish=True,
                     comments_until="2026-01-31")
    day = dt.date(2026, 12, 20)
    c1 = lib.comment(draft.item_id, "Додайте хутори до маршруту мобільної бригади.",
                     target="A1", today=day)
    c2 = lib.comment(draft.item_id, "Center must be accessible.", "organisation",
                     organisation="ГО «Рівні можливості»", today=day)
    lib.comment(draft.item_id, "spam spam", today=day)
    for bad, message in [(dict(item_id=closed.item_id), "not open for comments"),
                         (dict(text=" "), "must have some text"),
                         (dict(text="x" * 2001), "at most 2000"),
                         (dict(author_kind="mayor"), "expected resident or organisation")]:
        args = {"item_id": draft.item_id, "text": "ok", "today": day} | bad
        with pytest.raises(LibraryError, match=message):
            lib.comment(**args)
    pub = Reader.public()
    assert lib.comments(pub, draft.item_id).empty  # pending: not shown
    assert len(lib.comments(ed, draft.item_id, status="pending")) == 3
    with pytest.raises(LibraryError):
        lib.moderate(lib.reader("ed_m2", None), c1, "published")
    lib.moderate(ed, c1, "published")
    lib.moderate(ed, c2, "published")
    lib.moderate(ed, c2 + 1, "rejected")
    shown = lib.comments(pub, draft.item_id)
    assert list(shown["comment_id"]) == [c1, c2] and set(shown["status"]) == {"published"}
    assert lib.history(ed, draft.item_id)["action"].tolist()[-3:] == ["moderate"] * 3
    # the answers table of the strategy cycle: the moderated comments in its layout
    table = lib.comments_table(ed, draft.item_id)
    assert list(table.columns) == ["comment_id", "date", "author_kind", "organisation",
                                   "moderation", "target", "text"]
    assert table["target"].tolist() == ["A1", "general", "general"]
    assert table["moderation"].tolist() == ["published", "published", "rejected"]
    assert table["organisation"].tolist() == ["", "ГО «Рівні можливості»", ""]


def test_moderated_comments_feed_the_strategy_cycle(lib, tmp_path):
    import shutil

    import pandas as pd

    from socialkit import config
    from socialkit.strategy.inputs import read_cycle

    ed = lib.reader("ed_m1", None)
    draft = _strategy(lib, ed, publish=True, comments_until="2099-12-31")
    cid = lib.comment(draft.item_id, "Більше виїздів до сіл.", target="A1")
    lib.moderate(ed, cid, "published")
    cycle = tmp_path / "cycle"
    shutil.copytree(config.strategy_demo_dir() / "ua_mykolaivka", cycle)
    theirs = pd.read_csv(cycle / "comments.csv", dtype=str, keep_default_na=False)
    ours = lib.comments_table(ed, draft.item_id)
    pd.concat([theirs, ours]).to_csv(cycle / "comments.csv", index=False)
    got = read_cycle(cycle)
    assert f"W{cid}" in set(got["comments"]["comment_id"])
