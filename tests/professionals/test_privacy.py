"""The access rules in one place: fields per role, scope, and a read log entry for every read."""

from __future__ import annotations

import datetime as dt

import pytest

from socialkit.professionals import FIELDS, Reader, ReadLog, compliance, export_records, read_person
from socialkit.professionals.ledger import current_employment
from socialkit.professionals.privacy import AccessDenied, allowed_fields

AT = dt.datetime(2025, 6, 30, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def records(tiny):
    c = compliance(tiny, "2025-06-30")
    return c.merge(tiny.persons[["person_id", "personal_number", "email"]], on="person_id")


def test_personal_number_only_for_the_registry_administrator():
    assert [r for r in FIELDS if "personal_number" in FIELDS[r]] == ["registry_admin"]
    assert allowed_fields("course_author") == frozenset()
    with pytest.raises(AccessDenied):
        allowed_fields("janitor")
    with pytest.raises(AccessDenied):
        Reader("x", "janitor")


def test_export_leaves_out_what_the_recipient_may_not_see(tiny, records):
    staff = current_employment(tiny, "2025-06-30")
    log = ReadLog()
    admin = export_records(records, Reader("ana", "registry_admin"), log, purpose="audit",
                           staff=staff, at=AT)
    assert "personal_number" in admin and len(admin) == 3
    head = export_records(records, Reader("head-su", "institution_head",
                                          frozenset({"csr-su"})), log, purpose="reminders",
                          staff=staff, at=AT)
    assert "personal_number" not in head.columns and "email" in head.columns
    assert head["person_id"].tolist() == ["p3"]  # only own staff
    province = export_records(records, Reader("prov", "province"), log, purpose="overview",
                              staff=staff, at=AT)
    assert not {"personal_number", "email"} & set(province.columns)
    with pytest.raises(AccessDenied):
        export_records(records, Reader("author", "course_author"), log, purpose="x")
    events = log.to_frame()
    assert events.groupby("user")["person_id"].apply(list).to_dict() == {
        "ana": ["p1", "p2", "p3"], "head-su": ["p3"], "prov": ["p1", "p2", "p3"]}
    assert set(events["purpose"]) == {"audit", "reminders", "overview"}
    assert (events["at"] == AT).all()


def test_every_read_of_a_person_is_logged_and_scoped(tiny, records):
    staff = current_employment(tiny, "2025-06-30")
    log = ReadLog()
    head = Reader("head-ns", "institution_head", frozenset({"csr-ns"}))
    rec = read_person(records, "p1", head, log, purpose="view", staff=staff, at=AT)
    assert rec["surname"] == "Ilić" and "personal_number" not in rec
    with pytest.raises(AccessDenied):
        read_person(records, "p3", head, log, purpose="view", staff=staff)  # Subotica's
    with pytest.raises(AccessDenied):
        read_person(records, "nobody", head, log, purpose="view", staff=staff)
    assert [(e.user, e.person_id, e.purpose) for e in log.events] == [("head-ns", "p1", "view")]
