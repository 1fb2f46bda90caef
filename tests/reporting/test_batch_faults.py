"""Batch faults: a killed or stopped ``socialkit report`` leaves no process and no partial PDF,
and ``--resume`` then redoes only the reports that had not finished.

Each test starts ``socialkit report maturity`` on a 4-municipality demo with 2 workers, as a
subprocess in its own session, with an environment variable that every process of the batch
inherits (forkserver, resource tracker, workers, kernels), so psutil can find them all. The
fixture notebook holds every municipality but the first while ``hold_ids.txt`` lists it, so
when the first PDF is written two reports are running and one is queued.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil
import pytest

from socialkit.data import load

pytestmark = pytest.mark.slow

NOTEBOOKS = Path(__file__).resolve().parent / "fixtures" / "notebooks"
MARK = "SOCIALKIT_TEST_BATCH_MARK"
N_MUNICIPALITIES = 4
JOURNAL_NAME = "manifest.journal.jsonl"  # next to manifest.json (socialkit.reporting.manifest)


def _marked(mark: str) -> list[psutil.Process]:
    """Living processes whose environment carries ``MARK=mark`` (zombies are not running)."""
    found = []
    for proc in psutil.process_iter():
        try:
            if proc.status() == psutil.STATUS_ZOMBIE:
                continue
            if proc.environ().get(MARK) == mark:
                found.append(proc)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess, OSError):
            continue
    return found


def _describe(procs: list[psutil.Process]) -> str:
    out = []
    for proc in procs:
        try:
            out.append(f"{proc.pid}: {' '.join(proc.cmdline())[:120]}")
        except psutil.Error:
            out.append(str(proc.pid))
    return "\n".join(out)


def _journal_lines(out: Path) -> int:
    path = out / JOURNAL_NAME
    if not path.exists():
        return 0
    count = 0
    for line in path.read_bytes().split(b"\n"):
        try:
            count += isinstance(json.loads(line), dict)
        except ValueError:  # empty, or torn by the kill
            pass
    return count


@pytest.fixture
def batch(tmp_path):
    """A 4-municipality catalog with all but the first held, the command, and its clean-up."""
    from socialkit.data.demo import write_demo

    catalog = write_demo(tmp_path / "data", n=N_MUNICIPALITIES)
    ids = list(load("municipalities", catalog)["municipality_id"])
    hold = catalog.parent / "hold_ids.txt"
    hold.write_text(" ".join(ids[1:]))
    out = tmp_path / "out"
    mark = uuid.uuid4().hex
    env = {**os.environ, "SOCIALKIT_NOTEBOOKS": str(NOTEBOOKS), MARK: mark}
    cmd = [sys.executable, "-m", "socialkit", "report", "maturity", "--catalog", str(catalog),
           "--out", str(out), "--workers", "2", "--quiet"]
    yield {"cmd": cmd, "env": env, "out": out, "hold": hold, "ids": ids, "mark": mark,
           "stderr": tmp_path / "stderr.txt"}
    for proc in _marked(mark):  # never leak a process, even when a test fails
        try:
            proc.kill()
        except psutil.Error:
            pass


def _start_and_wait_for_first_pdf(batch) -> subprocess.Popen:
    # stderr to a file: a pipe nobody reads could fill up and block the batch
    with open(batch["stderr"], "wb") as err:
        proc = subprocess.Popen(batch["cmd"], env=batch["env"], start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=err)
    first = batch["out"] / batch["ids"][0] / "maturity.en.pdf"
    started = time.monotonic()
    deadline = started + 120
    while not first.exists():
        if proc.poll() is not None:
            pytest.fail(f"the batch ended early ({proc.returncode}): "
                        f"{batch['stderr'].read_text()}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("no report finished within 120 s")
        time.sleep(0.1)
    # the PDF is written before its journal line: give the line a moment
    deadline = time.monotonic() + 5
    while _journal_lines(batch["out"]) < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    print(f"first report finished {time.monotonic() - started:.1f} s after the start")
    running = _marked(batch["mark"])
    kernels = [p for p in running if "ipykernel" in " ".join(p.cmdline())]
    assert len(kernels) == 2, _describe(running)  # the marking reaches the kernels
    return proc


def _assert_no_process_left(mark: str, seconds: float = 10.0) -> float:
    start = time.monotonic()
    left = _marked(mark)
    while left and time.monotonic() - start < seconds:
        time.sleep(0.2)
        left = _marked(mark)
    assert not left, f"still running {seconds:.0f} s after the stop:\n{_describe(left)}"
    return time.monotonic() - start


def _assert_no_partial_output(out: Path) -> list[Path]:
    pdfs = sorted(out.glob("*/*.pdf"))
    for pdf in pdfs:
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF"), pdf
    return pdfs


def _resume(batch) -> dict[str, int]:
    """Run ``--resume`` to the end; the statuses of its run, from its manifest."""
    batch["hold"].unlink()
    cmd = [*batch["cmd"], "--resume", "--workers", "1"]  # one warm-up is enough for the rest
    started = time.monotonic()
    done = subprocess.run(cmd, env=batch["env"], capture_output=True,
                          text=True, timeout=180)
    print(f"--resume took {time.monotonic() - started:.1f} s")
    assert done.returncode == 0, done.stderr
    state = json.loads((batch["out"] / "manifest.json").read_text())
    run = json.loads((batch["out"] / "_runs" / state["run_id"] / "manifest.json").read_text())
    counts: dict[str, int] = {}
    for record in run["reports"]:
        counts[record["status"]] = counts.get(record["status"], 0) + 1
    assert len(_assert_no_partial_output(batch["out"])) == N_MUNICIPALITIES
    assert not list(batch["out"].glob("**/.*.part"))
    return counts


def test_sigkill_leaves_no_process_and_resume_redoes_only_the_unfinished(batch):
    proc = _start_and_wait_for_first_pdf(batch)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    took = _assert_no_process_left(batch["mark"])
    print(f"every process of the batch gone {took:.1f} s after SIGKILL")
    finished = _journal_lines(batch["out"])  # the journal survives the kill
    assert finished >= 1
    assert len(_assert_no_partial_output(batch["out"])) >= finished
    counts = _resume(batch)
    assert counts == {"skipped": finished, "ok": N_MUNICIPALITIES - finished}


def test_sigterm_stops_cleanly_and_resume_redoes_only_the_unfinished(batch):
    proc = _start_and_wait_for_first_pdf(batch)
    stopped = time.monotonic()
    os.kill(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)
    print(f"the batch exited {time.monotonic() - stopped:.1f} s after SIGTERM")
    took = _assert_no_process_left(batch["mark"])
    print(f"every process of the batch gone {took:.1f} s after the batch exited on SIGTERM")
    message = batch["stderr"].read_text()
    assert proc.returncode == 128 + signal.SIGTERM, message
    assert "stopped by SIGTERM" in message and "--resume" in message and "Traceback" not in message
    pdfs = _assert_no_partial_output(batch["out"])
    # what was finished is in the manifest at once; the journal is folded into it
    state = json.loads((batch["out"] / "manifest.json").read_text())
    assert state["interrupted"] is True
    ok = [r for r in state["reports"] if r["status"] == "ok"]
    assert len(ok) == len(pdfs) >= 1
    assert f"{len(ok)} report(s) finished" in message
    assert not (batch["out"] / JOURNAL_NAME).exists()
    counts = _resume(batch)
    assert counts == {"skipped": len(ok), "ok": N_MUNICIPALITIES - len(ok)}
