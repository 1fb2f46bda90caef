"""The manifest of a batch: one record per PDF, as JSON and CSV, per run and for the folder.

``<out>/_runs/<run_id>/manifest.{json,csv}`` records one run; ``<out>/manifest.{json,csv}`` is
the folder's current state: the latest record of every ``(municipality, report, language)``
ever produced there. ``--resume`` compares new jobs with that state (:func:`is_up_to_date`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .atomic import atomic_write_text
from .jobs import ReportJob

__all__ = [
    "FIELDS",
    "MANIFEST_NAME",
    "is_up_to_date",
    "read_state",
    "record_key",
    "write_manifests",
]

MANIFEST_NAME = "manifest"
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
