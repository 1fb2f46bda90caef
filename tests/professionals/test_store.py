"""The registry in the store: saved and read back unchanged; reads scoped by the store's roles,
on the server, with the fields each role may have; every read logged in the database; the
database refusing what the checks refuse; the CLI from the store."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from socialkit.cli import app
from socialkit.professionals import compliance, points_ledger
from socialkit.professionals.demo import DEMO_AS_OF
from socialkit.professionals.ledger import current_employment
from socialkit.professionals.privacy import FIELDS
from socialkit.professionals.registry import TABLES, _raw, stored_registry
from socialkit.store import AccessDeniedError, Actor, StoreError, close_stores, open_store
from socialkit.store.registry import (
    PERSON_FIELDS,
    add_participations,
    read_log,
    read_registry,
    save_registry,
)

from .conftest import DEMO

ADMIN = Actor.system("admin")


@pytest.fixture(scope="module")
def db(tmp_path_factory, demo):
    """The demo registry saved in a SQLite store under the provincial institute ``pzsz``;
    ``hsu`` heads CSW Subotica, ``hns`` CSW Novi Sad, ``prov`` is the province, ``wsu`` a
    worker of Subotica."""
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'store.sqlite'}"
    store = open_store(url)
    store.add_institution(ADMIN, "pzsz", "province", "Provincial Institute for Social "
                          "Protection")
    counts = save_registry(store, ADMIN, {t: _raw(demo, t) for t in TABLES}, parent_id="pzsz")
    assert counts["persons"] == len(demo.persons)
    for user, role, inst in (("hsu", "head", "csr-subotica"), ("hns", "head", "csr-novi-sad"),
                             ("prov", "province", "pzsz"), ("wsu", "worker", "csr-subotica")):
        store.grant(ADMIN, user, role, inst)
    yield store, url
    close_stores()


def _norm(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(frame.columns[:3])).reset_index(drop=True)


def test_the_registry_comes_back_from_the_store_unchanged(db, demo):
    store, _ = db
    back = stored_registry(read_registry(store, ADMIN, DEMO_AS_OF, "test").tables)
    for table in TABLES:
        if table == "institutions":
            continue  # the store also holds the provincial institute
        pd.testing.assert_frame_equal(_norm(getattr(back, table)),
                                      _norm(getattr(demo, table)[getattr(back, table).columns]),
                                      check_dtype=False, obj=table)
    assert set(demo.institutions["institution_id"]) < set(back.institutions["institution_id"])
    pd.testing.assert_frame_equal(points_ledger(back), points_ledger(demo), check_dtype=False)
    pd.testing.assert_frame_equal(compliance(back, DEMO_AS_OF), compliance(demo, DEMO_AS_OF))


def test_a_head_reads_own_staff_without_personal_numbers_and_every_read_is_logged(db, demo):
    store, _ = db
    before = len(read_log(store, ADMIN))
    got = read_registry(store, store.actor("hsu"), DEMO_AS_OF, "reminders")
    staff = current_employment(demo, DEMO_AS_OF)
    mine = set(staff.loc[staff["institution_id"] == "csr-subotica", "person_id"])
    assert got.role == "institution_head" and set(got.person_ids) == mine
    persons = got.tables["persons"]
    assert "personal_number" not in persons and "email" in persons
    assert set(got.tables["licences"]["person_id"]) <= mine
    assert set(got.tables["participations"]["person_id"]) <= mine
    log = read_log(store, ADMIN).iloc[before:]
    assert set(log["person_id"]) == mine and len(log) == len(mine)
    assert set(log["user"]) == {"hsu"} and set(log["purpose"]) == {"reminders"}
    assert set(log["role"]) == {"institution_head"}
    # the head of another centre sees none of them
    other = read_registry(store, store.actor("hns"), DEMO_AS_OF, "reminders")
    assert not set(other.person_ids) & mine


def test_the_province_sees_everyone_without_contacts_and_a_worker_nothing(db, demo):
    store, _ = db
    got = read_registry(store, store.actor("prov"), DEMO_AS_OF, "overview")
    staff = current_employment(demo, DEMO_AS_OF)
    assert got.role == "province" and set(got.person_ids) == set(staff["person_id"])
    assert {"personal_number", "email"}.isdisjoint(got.tables["persons"].columns)
    for user in ("wsu", "nobody"):
        with pytest.raises(AccessDeniedError, match="may not read the registry"):
            read_registry(store, store.actor(user), DEMO_AS_OF, "overview")
    with pytest.raises(AccessDeniedError):
        read_log(store, store.actor("prov"))  # the province of one institute: not the log
    with pytest.raises(AccessDeniedError):
        save_registry(store, store.actor("hsu"), {})


def test_the_store_and_the_file_rules_give_the_same_fields():
    person_cols = set(PERSON_FIELDS["registry_admin"])
    for role, fields in PERSON_FIELDS.items():
        assert set(fields) == person_cols & FIELDS[role], role


def test_the_database_refuses_points_claimed_twice_and_unknown_people(db, demo):
    store, _ = db
    n = len(read_registry(store, ADMIN, DEMO_AS_OF, "test").tables["participations"])
    first = demo.participations.iloc[0]
    for bad in ({"person_id": first["person_id"], "session_id": first["session_id"]},
                {"person_id": "p9999", "session_id": first["session_id"]}):
        rows = pd.DataFrame([{"participation_id": "new-ok", "person_id": "p0002",
                              "session_id": "s029", "role": "participant"},
                             {"participation_id": "new-bad", "role": "participant", **bad}])
        with pytest.raises(StoreError, match="nothing was saved"):
            add_participations(store, ADMIN, rows)
    after = read_registry(store, ADMIN, DEMO_AS_OF, "test").tables["participations"]
    assert len(after) == n  # the good row of each batch was not added either


runner = CliRunner()


def test_cli_from_the_store(db, tmp_path, demo):
    store, url = db
    base = ["--store", "--url", url, "--as-of", DEMO_AS_OF]
    out = tmp_path / "c.csv"
    res = runner.invoke(app, ["professionals", "compliance", "--out", str(out),
                              "--institution", "csr-subotica", "--as", "hsu",
                              "--role", "registry_admin", *base])  # the store decides, not --role
    assert res.exit_code == 0, res.output
    shown = pd.read_csv(out, dtype=str)
    assert "personal_number" not in shown and "email" in shown
    expected = compliance(demo, DEMO_AS_OF, institution_id="csr-subotica")
    assert set(shown["person_id"]) == set(expected["person_id"])
    assert not (tmp_path / "read_log.csv").exists()  # the log is in the database
    # a head asking for another centre is refused, with no output
    res = runner.invoke(app, ["professionals", "reminders", "--institution", "csr-subotica",
                              "--out", str(tmp_path / "r.xlsx"), "--as", "hns", *base])
    assert res.exit_code == 1 and "hns may not read the registry" in str(res.exception)
    assert not (tmp_path / "r.xlsx").exists()
    # the administrator reads the log
    res = runner.invoke(app, ["professionals", "read-log", "--out", str(tmp_path / "log.csv"),
                              "--url", url])
    assert res.exit_code == 0, res.output
    log = pd.read_csv(tmp_path / "log.csv", dtype=str)
    assert {"hsu", "hns"} <= set(log["user"])


def test_cli_add_participations_refuses_bad_rows_naming_file_row_column(db, tmp_path):
    store, url = db
    n = len(read_registry(store, ADMIN, DEMO_AS_OF, "test").tables["participations"])
    parts = pd.read_csv(DEMO / "participations.csv", dtype=str)
    bad = tmp_path / "new.csv"
    pd.DataFrame([{"participation_id": "n1", "person_id": "p0002", "session_id": "s029",
                   "role": "participant"},
                  {"participation_id": "n2", "person_id": "p9999", "session_id": "s029",
                   "role": "participant"},
                  {"participation_id": "n3", "person_id": parts.at[0, "person_id"],
                   "session_id": parts.at[0, "session_id"], "role": "participant"},
                  {"participation_id": "n4", "person_id": "p0003", "session_id": "s029",
                   "role": "keynote"}]).to_csv(bad, index=False)
    res = runner.invoke(app, ["professionals", "add-participations", str(bad), "--url", url])
    assert res.exit_code == 1
    msg = str(res.exception)
    assert f"{bad}, row 3, column 'person_id'" in msg and "p9999" in msg
    assert f"{bad}, row 4, column 'session_id'" in msg and "claimed twice" in msg
    assert f"{bad}, row 5, column 'role'" in msg and "keynote" in msg
    after = read_registry(store, ADMIN, DEMO_AS_OF, "test").tables["participations"]
    assert len(after) == n


def test_cli_province_overview_from_the_store_has_every_centre_and_no_names(db, tmp_path, demo):
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    _, url = db
    base = ["--store", "--url", url, "--as-of", DEMO_AS_OF]
    pdf = tmp_path / "overview.pdf"
    res = runner.invoke(app, ["professionals", "overview", "--out", str(pdf), "--as", "prov",
                              "--lang", "sr-Latn", *base])
    assert res.exit_code == 0, res.output
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "Svi centri (pregled za pokrajinu)" in text
    for name in ("Bačka", "Kikinda", "Novi Sad", "Subotica", "Zrenjanin"):
        assert name in text, name
    assert not [s for s in set(demo.persons["surname"]) if s in text]
    # a head gets no overview of the other centres
    res = runner.invoke(app, ["professionals", "overview", "--out", str(tmp_path / "h.pdf"),
                              "--as", "hsu", *base])
    assert res.exit_code == 1 and not (tmp_path / "h.pdf").exists()


def test_cli_import_is_checked_and_all_or_nothing(tmp_path):
    import shutil

    url = f"sqlite:///{tmp_path / 'import.sqlite'}"
    bad = tmp_path / "bad"
    bad.mkdir()
    for f in DEMO.glob("*.csv"):
        shutil.copy(f, bad / f.name)
    sessions = pd.read_csv(bad / "sessions.csv", dtype=str, keep_default_na=False)
    sessions.loc[0, "date"] = "2019-01-15"  # before prog-case-management's accreditation
    sessions.to_csv(bad / "sessions.csv", index=False)
    res = runner.invoke(app, ["professionals", "import", str(bad), "--url", url])
    assert res.exit_code == 1
    assert (f"{bad / 'sessions.csv'}, row 2, column 'date'" in str(res.exception)
            and "outside the accreditation period" in str(res.exception))
    store = open_store(url)
    assert read_registry(store, ADMIN, DEMO_AS_OF, "test").tables["persons"].empty
    res = runner.invoke(app, ["professionals", "import", str(DEMO), "--url", url])
    assert res.exit_code == 0, res.output
    assert "176 professionals, 1357 participations" in res.output
    assert len(read_registry(store, ADMIN, DEMO_AS_OF, "test").tables["persons"]) == 176
    close_stores()
