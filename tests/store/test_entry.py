"""Forms meet the store (socialkit.store.entry): the form's validation on the server before
every save, submission only of complete records, bulk import whole or not at all — on SQLite
and PostgreSQL."""

from __future__ import annotations

import pytest

from socialkit.forms import FormImportError, form_path, load_form
from socialkit.store import AccessDeniedError, Actor, BatchRefusedError
from socialkit.store.entry import (
    EntryError,
    import_entries,
    register_shipped_forms,
    save_entry,
    submit_entry,
)

#: A complete, consistent csw_state record as a user types it (text).
CSW = {"staff_social_workers": "10", "staff_psychologists": "2", "staff_pedagogues": "1",
       "staff_special_educators": "1", "staff_lawyers": "1", "staff_other": "3",
       "positions_approved": "22", "vacancies": "4", "new_hires": "1", "departures": "0",
       "case_managers": "8", "active_cases": "400", "new_cases": "60", "computers": "15",
       "vehicles": "2", "internet": "yes", "case_software": "yes", "premises_m2": "350,5",
       "premises_condition": "good", "premises_accessible": "yes",
       "private_interview_room": "no"}


@pytest.fixture
def forms(world):
    register_shipped_forms(world.store, Actor.system("setup"))
    return {"csw": load_form(form_path("csw_state")),
            "dv": load_form(form_path("domestic_violence"))}


def test_a_value_the_form_refuses_never_reaches_the_database(world, forms):
    with pytest.raises(EntryError) as err:
        save_entry(world.store, world.wa, forms["csw"], "csw-a", "2026Q1",
                   {**CSW, "vacancies": "30", "computers": "many"}, lang="sr")
    assert set(err.value.errors) == {"vacancies", "computers"}
    assert "csw_state / csw-a / 2026Q1" in str(err.value)
    assert any("цео број" in m.lower() for m in err.value.errors["computers"]), err.value.errors
    assert world.store.records(Actor.system()).empty


def test_values_are_typed_and_calculated_on_the_server(world, forms):
    saved = save_entry(world.store, world.wa, forms["csw"], "csw-a", "2026Q1", CSW)
    values = saved.record.values
    assert values["staff_social_workers"] == 10 and values["premises_m2"] == 350.5
    assert values["staff_total"] == 18 and values["cases_per_manager"] == 50
    assert saved.missing == [] and saved.record.form_version == forms["csw"].version


def test_a_draft_may_lack_required_fields_but_only_a_complete_record_is_submitted(world, forms):
    store, form = world.store, forms["csw"]
    partial = {k: v for k, v in CSW.items() if k not in ("computers", "internet")}
    saved = save_entry(store, world.wa, form, "csw-a", "2026Q1", partial)
    assert saved.record.status == "draft"
    assert set(saved.missing) == {"computers", "internet"}
    with pytest.raises(EntryError) as err:
        submit_entry(store, world.wa, form, saved.record.record_id, saved.record.version)
    assert set(err.value.errors) == {"computers", "internet"}
    assert store.record(world.wa, saved.record.record_id).status == "draft"
    again = save_entry(store, world.wa, form, "csw-a", "2026Q1", CSW,
                       expected_version=saved.record.version)
    sub = submit_entry(store, world.wa, form, again.record.record_id, again.record.version)
    assert sub.status == "submitted"


def test_a_period_of_the_wrong_shape_is_refused(world, forms):
    with pytest.raises(EntryError) as err:
        save_entry(world.store, world.wa, forms["csw"], "csw-a", "2026-Q1", CSW)
    assert list(err.value.errors) == ["period"]
    assert "2026Q1" in err.value.errors["period"][0]


def test_the_server_checks_rights_after_validation_too(world, forms):
    with pytest.raises(AccessDeniedError):
        save_entry(world.store, world.wb, forms["csw"], "csw-a", "2026Q1", CSW)
    # the domestic-violence form is sensitive: registered restricted
    dv = {"reports_total": "0"}
    with pytest.raises(AccessDeniedError):
        save_entry(world.store, world.wa, forms["dv"], "csw-a", "2026Q1", dv)
    rec = save_entry(world.store, world.dva, forms["dv"], "csw-a", "2026Q1", dv).record
    assert rec.status == "draft"
    assert world.store.records(world.wa).empty
    assert world.store.records(world.prov).empty        # no dv right
    assert len(world.store.records(world.provdv)) == 1


def _csv(path, rows):
    header = ["institution_id", "period", *CSW]
    lines = [",".join(header)] + [",".join([i, p, *[f'"{v}"' for v in vals.values()]])
                                  for i, p, vals in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_bulk_import_saves_every_row_as_a_draft_in_one_go(world, forms, tmp_path):
    path = _csv(tmp_path / "csw.csv", [("csw-a", "2026Q1", CSW), ("csw-b", "2026Q1", CSW)])
    admin = Actor.system("importer")
    saved = import_entries(world.store, admin, forms["csw"], path, reason="Q1 upload")
    assert [(r.institution_id, r.status, r.version) for r in saved] == [
        ("csw-a", "draft", 1), ("csw-b", "draft", 1)]
    hist = world.store.history(admin, saved[0].record_id)
    assert hist["action"].tolist() == ["import"] and hist["reason"].tolist() == ["Q1 upload"]
    assert hist["values"][0]["staff_total"] == 18


def test_an_import_touching_another_institution_is_refused_whole(world, forms, tmp_path):
    path = _csv(tmp_path / "csw.csv", [("csw-a", "2026Q1", CSW), ("csw-b", "2026Q1", CSW)])
    with pytest.raises(BatchRefusedError) as err:
        import_entries(world.store, world.wa, forms["csw"], path)
    assert [row for row, _ in err.value.errors] == [3]
    assert "csw.csv, row 3" in err.value.render("en")
    assert world.store.records(Actor.system()).empty


def test_an_import_over_a_submitted_record_is_refused_whole(world, forms, tmp_path):
    store, form = world.store, forms["csw"]
    rec = save_entry(store, world.wa, form, "csw-a", "2026Q1", CSW).record
    submit_entry(store, world.wa, form, rec.record_id, rec.version)
    path = _csv(tmp_path / "csw.csv", [("csw-a", "2026Q2", CSW), ("csw-a", "2026Q1", CSW)])
    with pytest.raises(BatchRefusedError) as err:
        import_entries(store, world.wa, form, path)
    assert [row for row, _ in err.value.errors] == [3]
    assert store.get(world.wa, "csw_state", "csw-a", "2026Q2") is None


def test_an_import_over_a_draft_is_a_new_version_with_the_changes(world, forms, tmp_path):
    store, form = world.store, forms["csw"]
    rec = save_entry(store, world.wa, form, "csw-a", "2026Q1", CSW).record
    path = _csv(tmp_path / "csw.csv", [("csw-a", "2026Q1", {**CSW, "computers": "16"})])
    (new,) = import_entries(store, world.wa, form, path)
    assert new.record_id == rec.record_id and new.version == 2
    last = store.history(world.wa, rec.record_id).iloc[-1]
    assert last["action"] == "import" and last["changes"] == {"computers": [15, 16]}


def test_a_bad_value_in_the_file_refuses_it_before_the_store(world, forms, tmp_path):
    path = _csv(tmp_path / "csw.csv", [("csw-a", "2026Q1", CSW),
                                        ("csw-a", "2026Q2", {**CSW, "vacancies": "-2"})])
    with pytest.raises(FormImportError) as err:
        import_entries(world.store, world.wa, forms["csw"], path)
    assert any(p.row == 3 and p.column == "vacancies" for p in err.value.problems)
    assert world.store.records(Actor.system()).empty


def test_a_record_created_meanwhile_refuses_the_whole_import(world, forms, tmp_path,
                                                             monkeypatch):
    """Someone saves a record of the file between the import's check and its write: the
    database's unique key refuses the batch; nothing of the file is written, theirs stays."""
    from contextlib import contextmanager

    from socialkit.store import ConcurrentEditError

    store, form = world.store, forms["csw"]
    path = _csv(tmp_path / "csw.csv", [("csw-a", "2026Q2", CSW), ("csw-a", "2026Q1", CSW)])
    real, raced = store._session, []

    @contextmanager
    def racing(write=False):
        if write and not raced:
            raced.append(True)   # the other user's save, before the import's write begins
            save_entry(store, world.ha, form, "csw-a", "2026Q1", {"computers": "7"})
        with real(write) as session:
            yield session

    monkeypatch.setattr(store, "_session", racing)
    with pytest.raises(ConcurrentEditError) as err:
        import_entries(store, world.wa, form, path)
    assert "csw.csv" in str(err.value) and "nothing was saved" in str(err.value)
    assert store.get(world.wa, "csw_state", "csw-a", "2026Q2") is None
    theirs = store.get(world.wa, "csw_state", "csw-a", "2026Q1")
    assert theirs.version == 1 and theirs.values == {"computers": 7}
