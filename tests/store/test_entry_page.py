"""The dashboard's data-entry page (socialkit.views.entry) on a real store, SQLite and
PostgreSQL: a worker enters and submits a record with errors shown at the fields, a head
returns it with a comment and approves it, the province accepts it; a file is imported;
every refusal comes from the server whatever the widgets were made to send."""

from __future__ import annotations

import pandas as pd
import panel as pn
import pytest
from test_entry import CSW

from socialkit.store import Actor
from socialkit.store.entry import register_shipped_forms
from socialkit.views import create_app
from socialkit.views.data import from_frames


@pytest.fixture
def page_for(world, monkeypatch):
    register_shipped_forms(world.store, Actor.system("setup"))
    monkeypatch.setenv("SOCIALKIT_DB_URL", world.url)
    data = from_frames({"municipalities": pd.DataFrame({
        "municipality_id": ["M1", "M2"], "name": ["Novi Sad", "Subotica"],
        "name_local": ["Нови Сад", "Суботица"], "country": ["RS", "RS"],
        "region": ["Vojvodina"] * 2, "district": ["South Bačka", "North Bačka"],
        "population": [340000, 140000], "area_km2": [700.0, 1000.0],
        "lat": [45.25, 46.1], "lon": [19.84, 19.66]})}, name="entry")

    def make(user, lang="en"):
        app = create_app(data=data, users=None, user=user, query={"lang": [lang.encode()]})
        app.state.page = "entry"
        page = app.page("entry")
        view = page._view()
        return page, view

    return make


def _text(view) -> str:
    parts = []
    for obj in view.select(lambda o: hasattr(o, "object") or hasattr(o, "name")):
        value = getattr(obj, "object", None)
        parts.append(str(value) if isinstance(value, str) else "")
        parts.append(str(getattr(obj, "name", "") or ""))
    return " ".join(parts)


def _fill(page, values) -> None:
    for name, value in values.items():
        fw = page._fields[name]
        if isinstance(fw.widget, pn.widgets.TextInput):
            fw.widget.value_input = value
        else:
            fw.widget.value = value


def _open(page, form="csw_state", inst="csw-a", period="2026Q1"):
    page._form_select.value = form
    page._inst_select.value = inst
    if page._period.visible:
        page._period.options = [*page._period.options, period]
        page._period.value = period
    page._open()


def test_a_worker_sees_errors_at_the_fields_saves_a_draft_and_submits(world, page_for):
    page, _ = page_for("wa")
    assert list(page._inst_select.options.values()) == ["csw-a"]     # not csw-b
    assert "domestic_violence" not in page._form_select.options.values()   # no dv right
    _open(page)
    assert "A new record" in str(page._status.objects[0].object)
    _fill(page, {"positions_approved": "22", "vacancies": "30", "computers": "some"})
    vac, comp = page._fields["vacancies"], page._fields["computers"]
    assert vac.error.visible and "approved positions" in vac.error.object
    assert comp.error.visible and "whole number" in comp.error.object
    assert not page._fields["vehicles"].error.visible   # empty required: not shouted yet
    page._save(submit=False)
    assert "Fix" in page._result.objects[0].object or "problem" in page._result.objects[0].object
    assert world.store.records(Actor.system()).empty            # refused on the server
    _fill(page, {"vacancies": "4", "computers": "15"})
    page._save(submit=False)
    assert world.store.get(world.wa, "csw_state", "csw-a", "2026Q1").values["vacancies"] == 4
    assert "required fields are still to fill in" in page._result.objects[0].object
    page._save(submit=True)                   # refused: now the required fields are shown
    assert page._fields["vehicles"].error.visible
    assert world.store.get(world.wa, "csw_state", "csw-a", "2026Q1").status == "draft"
    _fill(page, CSW)
    assert page._fields["staff_total"].widget.value == "18"        # calculated as typed
    page._save(submit=True)
    rec = world.store.get(world.wa, "csw_state", "csw-a", "2026Q1")
    assert rec.status == "submitted" and rec.values["premises_m2"] == 350.5
    assert page._fields["computers"].widget.disabled and page._save_button.disabled


def test_forged_widget_values_are_refused_by_the_server(world, page_for):
    page, _ = page_for("wa")
    _open(page)
    _fill(page, CSW)
    page._inst_select.options = {**page._inst_select.options, "B": "csw-b"}
    page._inst_select.value = "csw-b"        # as if the browser sent another institution
    page._save(submit=False)
    assert "may not" in page._result.objects[0].object
    assert world.store.get(Actor.system(), "csw_state", "csw-b", "2026Q1") is None
    page._form_select.options = {**page._form_select.options, "DV": "domestic_violence"}
    page._form_select.value = "domestic_violence"
    _open(page, "domestic_violence", "csw-a", "2026Q1")
    assert "may not see" in str(page._status.objects[0].object)
    assert page._fields == {} or page._form.form_id == "csw_state"


def test_a_head_returns_with_a_comment_then_approves_and_the_province_accepts(world,
                                                                            page_for):
    worker, _ = page_for("wa")
    _open(worker)
    _fill(worker, {**CSW, "positions_approved": "10"})   # breaks a rule: staff + vacancies
    worker._save(submit=True)

    other_head, _ = page_for("hb")
    assert "Nothing waits for your review" in _text(other_head._review())

    head, _ = page_for("ha")
    review = head._review()
    pick = review.select(pn.widgets.Select)[0]
    assert list(pick.options.values()) == [world.store.get(world.ha, "csw_state", "csw-a",
                                                           "2026Q1").record_id]
    assert "For follow-up" in _text(review) and "Staff + vacancies" in _text(review)
    review.select(pn.widgets.TextAreaInput)[0].value = "Positions are 22, not 10"
    (ret,) = [b for b in review.select(pn.widgets.Button) if "sk-return" in b.css_classes]
    ret.clicks += 1
    rec = world.store.get(world.ha, "csw_state", "csw-a", "2026Q1")
    assert rec.status == "draft"

    worker, _ = page_for("wa")
    _open(worker)
    assert "Positions are 22, not 10" in _text(worker._status)
    _fill(worker, {"positions_approved": "22"})
    worker._save(submit=True)

    head, _ = page_for("ha")
    review = head._review()
    (approve,) = [b for b in review.select(pn.widgets.Button) if "sk-approve" in b.css_classes]
    approve.clicks += 1
    assert world.store.get(world.ha, "csw_state", "csw-a", "2026Q1").status == "approved"

    worker, _ = page_for("wa")
    assert "Nothing waits for your review" in _text(worker._review())
    province, _ = page_for("prov")
    review = province._review()
    (accept,) = [b for b in review.select(pn.widgets.Button) if "sk-accept" in b.css_classes]
    accept.clicks += 1
    assert world.store.get(world.prov, "csw_state", "csw-a", "2026Q1").status == "accepted"
    assert len(world.store.accepted(world.prov, "csw_state")) == 1


def test_a_forged_record_id_in_the_review_list_is_refused_by_the_server(world, page_for):
    b, _ = page_for("wb")       # CSW B's worker submits; A's head forges B's record id
    _open(b, inst="csw-b")
    _fill(b, CSW)
    b._save(submit=True)
    mine = world.store.get(world.wb, "csw_state", "csw-b", "2026Q1")
    a, _ = page_for("wa")
    _open(a)
    _fill(a, CSW)
    a._save(submit=True)
    head, _ = page_for("ha")
    review = head._review()
    pick = review.select(pn.widgets.Select)[0]
    assert mine.record_id not in pick.options.values()
    pick.options = {**pick.options, "forged": mine.record_id}
    pick.value = mine.record_id        # as if the browser sent B's record
    assert "may not see" in " ".join(str(a.object) for a in review.select(pn.pane.Alert))
    assert review.select(pn.pane.DataFrame) == []      # none of B's values reach the page
    (approve,) = [b for b in review.select(pn.widgets.Button) if "sk-approve" in b.css_classes]
    approve.clicks += 1
    assert world.store.get(world.wb, "csw_state", "csw-b", "2026Q1").status == "submitted"
    assert world.store.history(Actor.system(), mine.record_id)["action"].tolist() == [
        "create", "submit"]


def test_a_file_is_imported_whole_or_refused_with_every_problem(world, page_for):
    page, _ = page_for("wa")
    header = ",".join(["institution_id", "period", *CSW])
    good = "\n".join([header, ",".join(["csw-a", "2026Q1", *(f'"{v}"' for v in CSW.values())]),
                      ",".join(["csw-a", "2026Q2", *(f'"{v}"' for v in CSW.values())])])
    bad = good.replace('"15"', '"-3"', 1)
    out = page._import("csw_state", "q.csv", bad.encode())
    assert "q.csv was not imported" in _text(out)
    assert world.store.records(Actor.system()).empty
    frame = out.select(pn.pane.DataFrame)[0].object
    assert list(frame.columns) == ["File, sheet", "Row", "Column", "Value", "Problem"]
    assert frame.iloc[0, 1] == 2 and frame.iloc[0, 2] == "computers"
    out = page._import("csw_state", "q.csv", good.encode())
    assert "2 records saved as drafts" in out.object
    other, _ = page_for("wb")
    out = other._import("csw_state", "q.csv", good.encode())
    assert "row 2" in out.object and "row 3" in out.object
    assert len(world.store.records(Actor.system())) == 2


def test_the_page_speaks_serbian(world, page_for):
    page, view = page_for("wa", "sr-Cyrl")
    assert "Унос података" in _text(view)
    _open(page)
    assert page._fields["vacancies"].widget.label.startswith("Упражњена")
    _fill(page, {"computers": "x"})
    assert page._fields["computers"].error.object == "Унесите цео број"


def test_without_a_login_the_page_asks_to_sign_in_and_never_opens_the_database(
        world, page_for, monkeypatch):
    import socialkit.views.entry as entry

    monkeypatch.setattr(entry, "_store", lambda: pytest.fail("the store was opened"))
    page, view = page_for(None)
    assert "Sign in to enter data" in _text(view)
    monkeypatch.undo()
    monkeypatch.setenv("SOCIALKIT_DB_URL", world.url)
    page, view = page_for("stranger")   # a login with no role in the store
    assert "has no role in the data system" in _text(view)
