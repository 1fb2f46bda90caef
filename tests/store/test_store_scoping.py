"""Rights are checked by the store itself: a worker of CSW A cannot read or write CSW B's
records through any store function or export; restricted (domestic-violence) forms only with
the dv right."""

from __future__ import annotations

import pytest

from socialkit.store import Actor
from socialkit.store.errors import AccessDeniedError, StoreError

A = ("csw_state", "1", "csw-a", "2026Q1")
B = ("csw_state", "1", "csw-b", "2026Q1")
DV_A = ("dv_quarterly", "1", "csw-a", "2026Q1")


def _accepted(world, key, user_w, user_h, values):
    st = world.store
    r = st.save(getattr(world, user_w), *key, values)
    r = st.submit(getattr(world, user_w), r.record_id, r.version)
    r = st.approve(getattr(world, user_h), r.record_id, r.version)
    return st.accept(world.provdv, r.record_id, r.version)


@pytest.fixture
def filled(world):
    _accepted(world, A, "wa", "ha", {"staff": 10})
    rb = _accepted(world, B, "wb", "hb", {"staff": 20})
    # the dv form: entered by dva (worker of A with the dv right); the head of A has no dv
    # right, so the system approves here
    st = world.store
    r = st.save(world.dva, *DV_A, {"victims_f": 7, "victims_m": 2})
    r = st.submit(world.dva, r.record_id, r.version)
    r = st.approve(Actor.system(), r.record_id, r.version)
    rdv = st.accept(world.provdv, r.record_id, r.version)
    return world, rb, rdv


def test_a_worker_of_a_cannot_read_b_through_any_function(filled):
    world, rb, _ = filled
    st, wa = world.store, world.wa
    calls = {
        "get": lambda: st.get(wa, "csw_state", "csw-b", "2026Q1"),
        "record": lambda: st.record(wa, rb.record_id),
        "history": lambda: st.history(wa, rb.record_id),
        "comments": lambda: st.comments(wa, rb.record_id),
    }
    for name, call in calls.items():
        with pytest.raises(AccessDeniedError, match="wa may not see"):
            call()
        assert name
    # exports hold only A's rows
    assert set(st.records(wa)["institution_id"]) == {"csw-a"}
    assert set(st.records(wa, institution_id="csw-b")["institution_id"]) == set()
    assert st.accepted(wa, "csw_state")["institution_id"].tolist() == ["csw-a"]
    assert set(st.institutions(wa)["institution_id"]) == {"csw-a"}


def test_a_worker_of_a_cannot_write_b_through_any_function(filled):
    world, rb, _ = filled
    st, wa = world.store, world.wa
    with pytest.raises(AccessDeniedError):
        st.save(wa, *B, {"staff": 1}, expected_version=rb.version)
    with pytest.raises(AccessDeniedError):
        st.save(wa, "csw_state", "1", "csw-b", "2027Q1", {"staff": 1})   # a new B record
    for step in (st.submit, st.approve, st.accept):
        with pytest.raises(AccessDeniedError):
            step(wa, rb.record_id, rb.version)
    for step in (st.return_record, st.reopen):
        with pytest.raises(AccessDeniedError):
            step(wa, rb.record_id, rb.version, "x")
    with pytest.raises(AccessDeniedError):
        st.grant(wa, "wa", "worker", "csw-b")
    with pytest.raises(AccessDeniedError):
        st.add_institution(wa, "csw-b", "csw", "renamed")
    assert st.record(world.prov, rb.record_id).values == {"staff": 20}
    assert st.history(world.prov, rb.record_id)["saved_by"].tolist()[-1] == "provdv"


def test_a_head_approves_only_their_institution(world):
    st = world.store
    r = st.save(world.wb, *B, {"staff": 1})
    r = st.submit(world.wb, r.record_id, r.version)
    with pytest.raises(AccessDeniedError):
        st.approve(world.ha, r.record_id, r.version)
    assert st.approve(world.hb, r.record_id, r.version).status == "approved"


def test_the_province_reads_all_but_enters_nothing(filled):
    world, rb, _ = filled
    st = world.store
    assert set(st.records(world.prov)["institution_id"]) == {"csw-a", "csw-b"}
    with pytest.raises(AccessDeniedError):
        st.save(world.prov, "csw_state", "1", "csw-b", "2027Q1", {"staff": 1})


def test_restricted_forms_need_the_dv_right(filled):
    world, _, rdv = filled
    st = world.store
    for user in ("wa", "ha", "prov", "wb"):
        actor = getattr(world, user)
        with pytest.raises(AccessDeniedError):
            st.record(actor, rdv.record_id)
        with pytest.raises(AccessDeniedError):
            st.get(actor, "dv_quarterly", "csw-a", "2026Q1")
        assert "dv_quarterly" not in set(st.records(actor)["form_id"])
        assert st.accepted(actor, "dv_quarterly").empty
    with pytest.raises(AccessDeniedError):
        st.save(world.wa, "dv_quarterly", "1", "csw-a", "2026Q2", {"victims_f": 1})
    assert st.record(world.dva, rdv.record_id).values["victims_f"] == 7
    assert st.accepted(world.provdv, "dv_quarterly")["victims_f"].tolist() == [7]


def test_a_province_role_can_cover_a_subtree(world):
    st = world.store
    admin = Actor.system()
    st.add_institution(admin, "district-s", "district", "South district", parent_id="pzsz")
    st.add_institution(admin, "csw-c", "csw", "CSW C", parent_id="district-s")
    st.grant(admin, "wc", "worker", "csw-c")
    st.grant(admin, "south", "province", "district-s")
    st.save(st.actor("wc"), "csw_state", "1", "csw-c", "2026Q1", {"staff": 3})
    st.save(world.wa, *A, {"staff": 1})
    assert set(st.records(st.actor("south"))["institution_id"]) == {"csw-c"}


def test_an_unknown_user_sees_nothing_and_bad_grants_are_refused(filled):
    world, rb, _ = filled
    st = world.store
    nobody = st.actor("nobody")
    assert st.records(nobody).empty and st.accepted(nobody, "csw_state").empty
    with pytest.raises(AccessDeniedError):
        st.record(nobody, rb.record_id)
    with pytest.raises(StoreError, match="unknown role 'boss'"):
        st.grant(Actor.system(), "x", "boss", "csw-a")
    with pytest.raises(StoreError, match="--institution"):
        st.grant(Actor.system(), "x", "worker")
