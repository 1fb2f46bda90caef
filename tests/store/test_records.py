"""Records: versions and the audit trail, optimistic locking, one record per key, workflow."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from socialkit.store import ConcurrentEditError, StoreError, WorkflowError
from socialkit.store.errors import AccessDeniedError

KEY = ("csw_state", "1", "csw-a", "2026Q1")


def test_every_save_is_a_new_version_with_old_and_new_values(world):
    st, wa = world.store, world.wa
    r1 = st.save(wa, *KEY, {"staff": 10, "vacancies": 2})
    r2 = st.save(wa, *KEY, {"staff": 11, "vacancies": 2}, expected_version=r1.version,
                 reason="one more social worker hired")
    r3 = st.save(wa, *KEY, {"staff": 11}, expected_version=r2.version)
    assert (r1.version, r2.version, r3.version) == (1, 2, 3)
    hist = st.history(wa, r1.record_id)
    assert hist["version"].tolist() == [1, 2, 3]
    assert hist["action"].tolist() == ["create", "save", "save"]
    assert hist["saved_by"].tolist() == ["wa"] * 3
    assert hist["changes"].tolist() == [{"staff": [None, 10], "vacancies": [None, 2]},
                                        {"staff": [10, 11]}, {"vacancies": [2, None]}]
    assert hist["reason"].tolist()[1] == "one more social worker hired"
    assert hist["values"].tolist()[0] == {"staff": 10, "vacancies": 2}  # nothing overwritten
    assert st.record(wa, r1.record_id).values == {"staff": 11}


def test_the_second_of_two_saves_is_refused_and_nothing_is_lost(world):
    st = world.store
    opened = st.save(world.wa, *KEY, {"staff": 10})
    st.save(world.ha, *KEY, {"staff": 12}, expected_version=opened.version)
    with pytest.raises(ConcurrentEditError) as err:
        st.save(world.wa, *KEY, {"staff": 99}, expected_version=opened.version)
    msg = str(err.value)
    assert "csw_state / csw-a / 2026Q1" in msg and "saved by ha" in msg
    assert "(version 2)" in msg and "(version 1)" in msg and "not saved" in msg
    assert "ha" in err.value.render("uk") and "не збережено" in err.value.render("uk")
    now = st.record(world.wa, opened.record_id)
    assert now.values == {"staff": 12} and now.version == 2
    assert st.history(world.wa, opened.record_id)["saved_by"].tolist() == ["wa", "ha"]


def test_racing_saves_one_wins_the_others_are_refused(world):
    """Threads that all opened version 1 save at once: the database's version check lets
    exactly one through (on PostgreSQL they meet in the UPDATE itself)."""
    st, wa = world.store, world.wa
    rec = st.save(wa, *KEY, {"n": 0})
    barrier = threading.Barrier(4)
    results: list[object] = []

    def hold(session, flush_context, instances):
        try:
            barrier.wait(timeout=2)  # SQLite queues writers at BEGIN IMMEDIATE: no meeting
        except threading.BrokenBarrierError:
            pass

    sa.event.listen(sa.orm.Session, "before_flush", hold)
    try:
        def go(i):
            try:
                results.append(st.save(wa, *KEY, {"n": i}, expected_version=1).values["n"])
            except ConcurrentEditError as exc:
                results.append(exc)
        threads = [threading.Thread(target=go, args=(i,)) for i in range(1, 5)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
    finally:
        sa.event.remove(sa.orm.Session, "before_flush", hold)
    wins = [r for r in results if not isinstance(r, Exception)]
    assert len(wins) == 1 and len(results) == 4
    final = st.record(wa, rec.record_id)
    assert final.version == 2 and final.values == {"n": wins[0]}
    assert len(st.history(wa, rec.record_id)) == 2


def test_one_record_per_form_institution_and_period(world):
    st = world.store
    st.save(world.wa, *KEY, {"staff": 10})
    with pytest.raises(ConcurrentEditError, match="saved by wa"):
        st.save(world.ha, *KEY, {"staff": 3})  # a second "new" record of the same key
    with pytest.raises(sa.exc.IntegrityError):  # the database itself refuses a duplicate
        with st.engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO records (form_id, form_version, institution_id, period, status, "
                "version_id, \"values\", created_by, created_at, updated_by, updated_at) "
                "VALUES ('csw_state', '1', 'csw-a', '2026Q1', 'draft', 1, '{}', 'x', "
                "CURRENT_TIMESTAMP, 'x', CURRENT_TIMESTAMP)")
    assert len(st.records(world.prov)) == 1


def test_values_must_be_json(world):
    with pytest.raises(StoreError, match="cannot be stored"):
        world.store.save(world.wa, *KEY, {"staff": float("nan")})
    with pytest.raises(StoreError, match="mapping"):
        world.store.save(world.wa, *KEY, [1, 2])


def test_workflow_draft_submitted_approved_accepted(world):
    st = world.store
    r = st.save(world.wa, *KEY, {"staff": 10})
    with pytest.raises(WorkflowError, match="not possible"):
        st.approve(world.ha, r.record_id, r.version)           # not submitted yet
    r = st.submit(world.wa, r.record_id, r.version)
    assert r.status == "submitted"
    with pytest.raises(WorkflowError, match="locked"):
        st.save(world.wa, *KEY, {"staff": 1}, expected_version=r.version)
    with pytest.raises(AccessDeniedError, match="only the head"):
        st.approve(world.wa, r.record_id, r.version)           # a worker cannot approve
    with pytest.raises(WorkflowError, match="comment"):
        st.return_record(world.ha, r.record_id, r.version, comment="  ")
    r = st.return_record(world.ha, r.record_id, r.version, comment="staff count is last year's")
    assert r.status == "draft"
    assert st.comments(world.wa, r.record_id)["text"].tolist() == ["staff count is last year's"]
    r = st.save(world.wa, *KEY, {"staff": 12}, expected_version=r.version)
    r = st.submit(world.wa, r.record_id, r.version)
    r = st.approve(world.ha, r.record_id, r.version)
    assert r.status == "approved"
    with pytest.raises(WorkflowError, match="locked"):             # approval locks
        st.save(world.ha, *KEY, {"staff": 13}, expected_version=r.version)
    assert st.accepted(world.prov, "csw_state").empty               # not accepted yet
    with pytest.raises(AccessDeniedError, match="provincial"):
        st.accept(world.ha, r.record_id, r.version)
    r = st.accept(world.prov, r.record_id, r.version)
    assert r.status == "accepted"
    acc = st.accepted(world.prov, "csw_state")
    assert acc[["institution_id", "municipality_id", "period", "staff"]].values.tolist() == [
        ["csw-a", "M1", "2026Q1", 12]]
    with pytest.raises(AccessDeniedError):
        st.reopen(world.ha, r.record_id, r.version, reason="typo")  # accepted: province only
    r = st.reopen(world.prov, r.record_id, r.version, reason="wrong quarter")
    assert r.status == "draft" and st.accepted(world.prov, "csw_state").empty
    hist = st.history(world.prov, r.record_id)
    assert hist["action"].tolist() == ["create", "submit", "return", "save", "submit",
                                       "approve", "accept", "reopen"]
    assert hist["saved_by"].tolist()[-3:] == ["ha", "prov", "prov"]
    assert hist["reason"].tolist()[-1] == "wrong quarter"


def test_the_head_reopens_an_approved_record_with_a_reason(world):
    st = world.store
    r = st.save(world.wa, *KEY, {"staff": 10})
    r = st.approve(world.ha, st.submit(world.wa, r.record_id, r.version).record_id, 2)
    with pytest.raises(WorkflowError, match="comment"):
        st.reopen(world.ha, r.record_id, r.version, reason="")
    with pytest.raises(AccessDeniedError):
        st.reopen(world.wa, r.record_id, r.version, reason="please")
    r = st.reopen(world.ha, r.record_id, r.version, reason="vacancies were wrong")
    r = st.save(world.wa, *KEY, {"staff": 10, "vacancies": 1}, expected_version=r.version)
    hist = st.history(world.ha, r.record_id)
    assert hist.iloc[3][["action", "saved_by", "reason"]].tolist() == [
        "reopen", "ha", "vacancies were wrong"]
    assert hist.iloc[4]["changes"] == {"vacancies": [None, 1]}


def test_a_stale_workflow_step_is_refused(world):
    st = world.store
    r = st.save(world.wa, *KEY, {"staff": 10})
    st.save(world.wa, *KEY, {"staff": 11}, expected_version=1)
    with pytest.raises(ConcurrentEditError, match="saved by wa"):
        st.submit(world.wa, r.record_id, 1)
