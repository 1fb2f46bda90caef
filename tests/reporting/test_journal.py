"""The run journal, its recovery after a kill, the folder lock and the deferred stop (fast)."""

from __future__ import annotations

import json
import signal

import pytest

from socialkit.errors import ReportError
from socialkit.reporting.lifeline import Stop, StopGuard
from socialkit.reporting.manifest import (
    JOURNAL_NAME,
    Journal,
    lock_folder,
    read_journal,
    read_state,
    recover_journal,
)


def _record(mid: str, run_id: str = "run-1", status: str = "ok") -> dict:
    return {"municipality_id": mid, "municipality": mid, "report": "maturity", "lang": "en",
            "status": status, "output": f"{mid}/maturity.en.pdf", "parameters": {},
            "fingerprint": "f", "socialkit_version": "0", "run_id": run_id}


def test_a_torn_last_line_is_ignored_and_the_next_record_starts_a_new_line(tmp_path):
    journal = Journal(tmp_path)
    journal.append(_record("A"))
    journal.append(_record("B"))
    journal.close()
    with open(tmp_path / JOURNAL_NAME, "ab") as fh:  # a kill in the middle of a line
        fh.write(json.dumps(_record("C")).encode()[:40])
    assert [r["municipality_id"] for r in read_journal(tmp_path)] == ["A", "B"]
    again = Journal(tmp_path)
    again.append(_record("D"))
    again.close()
    assert [r["municipality_id"] for r in read_journal(tmp_path)] == ["A", "B", "D"]
    assert [r["municipality_id"] for r in read_journal(tmp_path, "other")] == []


def test_recovery_folds_a_killed_runs_journal_into_the_manifests(tmp_path):
    journal = Journal(tmp_path)
    journal.append(_record("A", "killed"))
    journal.append(_record("B", "killed", status="failed"))
    journal.close()
    stale = tmp_path / "A" / ".maturity.en.pdf.x1y2.part"
    stale.parent.mkdir()
    stale.write_bytes(b"%PDF-1.7 half")
    assert recover_journal(tmp_path) == 2
    state = read_state(tmp_path)
    assert {k[0]: r["status"] for k, r in state.items()} == {"A": "ok", "B": "failed"}
    run = json.loads((tmp_path / "_runs" / "killed" / "manifest.json").read_text())
    assert run["interrupted"] is True and len(run["reports"]) == 2
    assert not (tmp_path / JOURNAL_NAME).exists()
    assert not stale.exists()
    assert recover_journal(tmp_path) == 0  # nothing left to recover
    assert len(read_state(tmp_path)) == 2


def test_a_second_run_into_the_same_folder_is_refused(tmp_path):
    with lock_folder(tmp_path):
        with pytest.raises(ReportError, match="another 'socialkit report' is writing"):
            with lock_folder(tmp_path):
                pass
    with lock_folder(tmp_path):  # released at the end of the first
        pass


def test_a_signal_while_a_result_is_written_stops_after_the_write():
    guard = StopGuard()
    written = []
    with pytest.raises(Stop) as info:
        with guard.deferred():
            guard.handle(signal.SIGTERM, None)  # arrives in the middle of the write
            written.append("pdf and journal line")
    assert written == ["pdf and journal line"]
    assert info.value.exit_code == 143
    guard.handle(signal.SIGINT, None)  # a second signal while stopping is ignored
    with pytest.raises(Stop):
        StopGuard().handle(signal.SIGINT, None)
