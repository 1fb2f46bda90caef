"""A crash in the middle of a save leaves the previous version intact (one transaction)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa

import socialkit

KEY = ("csw_state", "1", "csw-a", "2026Q1")

#: Saves a new version and stops, killed, after the UPDATE of the record has run (and before
#: the audit row and the commit): prints MID, then waits to be killed.
_CHILD = textwrap.dedent("""
    import sys, time
    import sqlalchemy as sa
    from socialkit.store import open_store

    store = open_store(sys.argv[1])
    wa = store.actor("wa")

    def stop(session, context):
        seen = session.execute(sa.text("SELECT version_id FROM records")).scalar()
        print(f"MID {seen}", flush=True)  # the new version, not yet committed
        time.sleep(120)

    sa.event.listen(sa.orm.Session, "after_flush_postexec", stop)
    store.save(wa, "csw_state", "1", "csw-a", "2026Q1", {"staff": 666}, expected_version=1)
    print("COMMITTED", flush=True)
""")


def _versions(url: str, record_id: int) -> list[int]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [v for (v,) in conn.execute(sa.text(
                "SELECT version FROM record_versions WHERE record_id = :r ORDER BY version"),
                {"r": record_id})]
    finally:
        engine.dispose()


def test_a_process_killed_mid_save_leaves_the_previous_version(world):
    st = world.store
    rec = st.save(world.wa, *KEY, {"staff": 10})
    env = {**os.environ, "PYTHONPATH": str(Path(socialkit.__file__).resolve().parent.parent)}
    child = subprocess.Popen([sys.executable, "-c", _CHILD, world.url], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline().strip()
        assert line == "MID 2", child.stderr.read()
        # the UPDATE ran inside the child's transaction: kill it there
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    now = st.record(world.wa, rec.record_id)
    assert (now.version, now.values, now.status) == (1, {"staff": 10}, "draft")
    assert _versions(world.url, rec.record_id) == [1]
    # and the record can be saved again at once (no lock left behind)
    assert st.save(world.wa, *KEY, {"staff": 11}, expected_version=1).version == 2


def test_an_error_after_the_first_statement_rolls_back(world):
    st = world.store
    rec = st.save(world.wa, *KEY, {"staff": 10})

    def boom(session, context):
        raise RuntimeError("disk full")

    sa.event.listen(sa.orm.Session, "after_flush_postexec", boom)
    try:
        with pytest.raises(RuntimeError, match="disk full"):
            st.save(world.wa, *KEY, {"staff": 99}, expected_version=1)
        with pytest.raises(RuntimeError, match="disk full"):
            st.submit(world.wa, rec.record_id, 1)
    finally:
        sa.event.remove(sa.orm.Session, "after_flush_postexec", boom)
    now = st.record(world.wa, rec.record_id)
    assert (now.version, now.values, now.status) == (1, {"staff": 10}, "draft")
    assert _versions(world.url, rec.record_id) == [1]
