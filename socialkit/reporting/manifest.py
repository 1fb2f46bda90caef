"""The manifest of a batch: one record per PDF, as JSON and CSV, per run and for the folder.

``<out>/_runs/<run_id>/manifest.{json,csv}`` records one run; ``<out>/manifest.{json,csv}`` is
the folder's current state: the latest record of every ``(municipality, report, language)``
ever produced there. ``--resume`` compares new jobs with that state (:func:`is_up_to_date`).

While a run goes on, each finished report is appended to the **journal**
``<out>/manifest.journal.jsonl`` (one JSON record a line, ``fsync``-ed before the next report
is recorded); the manifests are compiled from it at the end and the journal is removed. A run
that was killed leaves its journal behind: the next run in the folder first folds it into the
manifests (:func:`recover_journal`; a torn last line is ignored), so ``--resume`` redoes only
what had not finished. :func:`lock_folder` keeps two runs from writing one folder at once.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as _dt
import io
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import ReportError
from ..files import atomic_write_text, fsync_dir
from ..i18n import t
from .jobs import ReportJob

__all__ = [
    "FIELDS",
    "JOURNAL_NAME",
    "MANIFEST_NAME",
    "Journal",
    "is_up_to_date",
    "lock_folder",
    "read_journal",
    "read_state",
    "record_key",
    "recover_journal",
    "write_manifests",
]

MANIFEST_NAME = "manifest"
JOURNAL_NAME = f"{MANIFEST_NAME}.journal.jsonl"
_LOCK_NAME = ".socialkit-report.lock"
#: Columns of the manifest (CSV order).
FIELDS: tuple[str, ...] = (
    "municipality_id", "municipality", "report", "lang", "status", "output", "parameters",
    "fingerprint", "socialkit_version", "duration_s", "error", "failed_notebook", "run_id",
    "finished_at", "worker",
)
_GOOD = ("ok", "skipped")


def record_key(record: dict[str, Any]) -> tuple[str, str, str]:
    """``(municipality_id, report, lang)`` of a record."""
    return (str(record["municipality_id"]), str(record["report"]), str(record["lang"]))


def read_state(out: Path) -> dict[tuple[str, str, str], dict[str, Any]]:
    """The folder's current manifest by key (empty if there is none or it is unreadable)."""
    path = Path(out) / f"{MANIFEST_NAME}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {record_key(r): r for r in data.get("reports", [])}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def is_up_to_date(job: ReportJob, record: dict[str, Any] | None, out: Path,
                  version: str) -> bool:
    """Whether ``record`` shows ``job`` already done with the same inputs.

    True when the earlier run succeeded, its PDF still exists, and the parameters, data
    fingerprint and socialkit version are the same.
    """
    if not record or record.get("status") not in _GOOD:
        return False
    pdf = Path(out) / str(record.get("output") or "")
    return (
        record.get("output") == job.output
        and pdf.is_file()
        and record.get("parameters") == job.parameters
        and record.get("fingerprint") == job.fingerprint
        and record.get("socialkit_version") == version
    )


def _csv(records: Iterable[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for record in records:
        row = dict(record)
        row["parameters"] = json.dumps(row.get("parameters", {}), ensure_ascii=False,
                                       sort_keys=True)
        writer.writerow({k: ("" if row.get(k) is None else row.get(k)) for k in FIELDS})
    return buffer.getvalue()


def _sorted(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(records, key=record_key)


def write_manifests(out: Path, run: dict[str, Any], records: list[dict[str, Any]],
                    previous: dict[tuple[str, str, str], dict[str, Any]]) -> tuple[Path, Path]:
    """Write this run's manifest and the folder's updated state; return both JSON paths.

    Parameters
    ----------
    out : Path
        The output folder.
    run : dict
        Run-level facts (run_id, started, finished, catalog, fingerprint, version, ...).
    records : list of dict
        One record per job of this run (``FIELDS``).
    previous : dict
        The state before this run (:func:`read_state`).
    """
    out = Path(out)
    run_dir = out / "_runs" / str(run["run_id"])
    run_json = run_dir / f"{MANIFEST_NAME}.json"
    atomic_write_text(run_json, json.dumps({**run, "reports": _sorted(records)},
                                           ensure_ascii=False, indent=2))
    atomic_write_text(run_dir / f"{MANIFEST_NAME}.csv", _csv(_sorted(records)))
    state = dict(previous)
    state.update({record_key(r): r for r in records})
    state_json = out / f"{MANIFEST_NAME}.json"
    atomic_write_text(state_json, json.dumps({**run, "reports": _sorted(state.values())},
                                             ensure_ascii=False, indent=2))
    atomic_write_text(out / f"{MANIFEST_NAME}.csv", _csv(_sorted(state.values())))
    return run_json, state_json


class Journal:
    """The append-only record of a run's finished reports: ``<out>/manifest.journal.jsonl``.

    :meth:`append` writes one JSON line and ``fsync``-s it, so a record is on disk before the
    next report is handled; a process killed in the middle of a line leaves a torn last line,
    which :func:`read_journal` ignores.
    """

    def __init__(self, out: Path):
        self.path = Path(out) / JOURNAL_NAME
        new = not self.path.exists()
        self._fh = open(self.path, "ab")  # kept open for the whole run
        if not new and self.path.stat().st_size:
            with open(self.path, "rb") as fh:
                fh.seek(-1, os.SEEK_END)
                if fh.read(1) != b"\n":  # a torn line: start ours on a line of its own
                    self._write(b"\n")
        if new:
            fsync_dir(self.path.parent)

    def _write(self, data: bytes) -> None:
        self._fh.write(data)
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def append(self, record: dict[str, Any]) -> None:
        """Append ``record`` as one line and make it durable."""
        self._write((json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n").encode())

    def close(self) -> None:
        """Close the file (the records stay)."""
        self._fh.close()

    def remove(self) -> None:
        """Close and delete the journal, once the manifests hold its records."""
        self.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        fsync_dir(self.path.parent)


def read_journal(out: Path, run_id: str | None = None) -> list[dict[str, Any]]:
    """The records of the journal in ``out`` (of ``run_id`` only, if given).

    Lines that are not a whole JSON record — the torn last line of a killed run — are
    skipped.
    """
    try:
        data = (Path(out) / JOURNAL_NAME).read_bytes()
    except FileNotFoundError:
        return []
    records = []
    for line in data.split(b"\n"):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            record_key(record)
        except (ValueError, KeyError, TypeError):
            continue
        if run_id is None or record.get("run_id") == run_id:
            records.append(record)
    return records


def recover_journal(out: Path) -> int:
    """Fold a journal left by an interrupted run into the manifests; return its record count.

    Each interrupted run gets its ``_runs/<run_id>/manifest.{json,csv}`` (marked
    ``"interrupted": true``) unless it already has one, the folder's manifest is updated, and
    the journal and any temporary ``.*.part`` file of a write that was cut short are removed.
    """
    out = Path(out)
    records = read_journal(out)
    previous = read_state(out)
    runs: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        runs.setdefault(str(record.get("run_id") or "unknown"), []).append(record)
    for run_id, recs in runs.items():
        run_json = out / "_runs" / run_id / f"{MANIFEST_NAME}.json"
        if run_json.exists():  # the run finished its manifests but not the clean-up
            continue
        run = {"run_id": run_id, "interrupted": True,
               "recovered_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
               "socialkit_version": recs[-1].get("socialkit_version"),
               "fingerprint": recs[-1].get("fingerprint")}
        write_manifests(out, run, recs, previous)
        previous = read_state(out)
    with contextlib.suppress(FileNotFoundError):
        (out / JOURNAL_NAME).unlink()
    for part in out.glob("**/.*.part"):
        with contextlib.suppress(OSError):
            part.unlink()
    return len(records)


@contextlib.contextmanager
def lock_folder(out: Path):
    """Hold an exclusive lock on the output folder while a run writes it.

    The lock (``flock`` on ``<out>/.socialkit-report.lock``) is released when the process
    ends, however it ends, so a killed run never leaves a stale lock.

    Raises
    ------
    ReportError
        Another run is writing to the same folder.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock
        yield
        return
    path = Path(out) / _LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ReportError(t("reporting.errors.folder_busy", "en", out=out)) from None
        yield
    finally:
        os.close(fd)
