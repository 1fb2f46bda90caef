"""``run_reports``: plan the jobs, check them up front, run them in parallel, write everything.

The order of a batch:

1. check the language, the report name(s) and every notebook's ``parameters`` cell
   (:func:`papermill.inspect_notebook`; ``catalog``, ``municipality_id`` and ``lang`` must be
   defined) and the municipality ids against the catalog — a bad value fails before the first
   report, listing the valid ids;
2. with ``resume``, skip every job whose earlier record is good and whose PDF, parameters,
   data fingerprint and socialkit version are unchanged (:func:`manifest.is_up_to_date`);
3. run the rest on the chosen executor (progress bar with ETA on stderr); each result is
   written as it arrives — a PDF atomically under its final name, a failure's executed
   notebook under ``_failed/`` — so a failure never touches a good earlier PDF, and its
   record is appended to the ``fsync``-ed journal (:class:`manifest.Journal`) at once;
4. compile the run's manifest, the folder's manifest and ``index.html`` from the journal.

A run holds a lock on its output folder and first folds in the journal a killed run left
(:func:`manifest.recover_journal`). SIGTERM and Ctrl-C stop the workers and end the run with
:class:`BatchInterrupted` after step 4 (:mod:`~.lifeline`); a worker that dies ends it with a
:class:`~socialkit.errors.ReportError` the same way.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import signal
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__, config
from ..errors import ReportError
from ..files import atomic_write_bytes, claim_folder, record_outputs
from ..i18n import display_name, t
from .catalog import CatalogInfo, catalog_info
from .executors import WorkerDied, get_executor
from .index_page import write_index
from .jobs import JobResult, ReportJob, run_job
from .lifeline import Stop, stop_signals
from .manifest import (
    _LOCK_NAME,
    MANIFEST_NAME,
    Journal,
    is_up_to_date,
    lock_folder,
    read_journal,
    read_state,
    recover_journal,
    write_manifests,
)
from .reports import REQUIRED_PARAMETERS, ReportSpec, resolve_reports

__all__ = ["BatchInterrupted", "RunSummary", "check_parameters", "plan_jobs", "run_reports"]

_MAX_LISTED_IDS = 50
#: The name the output guard (:mod:`socialkit.files`) records the batch's files under.
COMMAND = "socialkit report"


@dataclass
class RunSummary:
    """The outcome of a batch: one record per job, counts, and the files written."""

    run_id: str
    out: Path
    records: list[dict[str, Any]]
    duration: float
    manifest: Path
    run_manifest: Path
    index: Path
    workers: int
    executor: str
    timings: list[dict[str, float]] = field(default_factory=list)

    def count(self, status: str) -> int:
        """How many jobs ended with ``status`` (``ok``, ``failed`` or ``skipped``)."""
        return sum(r["status"] == status for r in self.records)

    @property
    def failed(self) -> list[dict[str, Any]]:
        """Records of the jobs that failed."""
        return [r for r in self.records if r["status"] == "failed"]

    @property
    def exit_code(self) -> int:
        """0 when every job succeeded (or was up to date), else 1."""
        return 0 if not self.failed else 1


class BatchInterrupted(ReportError):
    """The batch was stopped by SIGTERM or Ctrl-C; what was finished is in the manifest.

    ``exit_code`` is 128 + the signal number (143 for SIGTERM, 130 for Ctrl-C), as a shell
    reports a process killed by that signal.
    """

    def __init__(self, stop: Stop, done: int, left: int, manifest: Path):
        self.signal = stop.signum
        self.exit_code = stop.exit_code
        self.done = done
        self.left = left
        self.manifest = manifest
        super().__init__(t("reporting.errors.interrupted", "en",
                           signal=signal.Signals(stop.signum).name, done=done, left=left,
                           manifest=manifest))


def check_parameters(spec: ReportSpec, folder: Path | None = None) -> dict[str, Any]:
    """Inspect a report notebook's ``parameters`` cell; raise unless it defines the required ones.

    Returns
    -------
    dict
        :func:`papermill.inspect_notebook` output (name → inferred type, default, help).
    """
    import papermill

    path = spec.path(folder)
    required = ", ".join(REQUIRED_PARAMETERS)
    try:
        params = papermill.inspect_notebook(str(path))
    except Exception as exc:  # not JSON, not a notebook
        raise ReportError(f"{path}: cannot read the notebook ({exc})") from exc
    if not params:
        raise ReportError(t("reporting.errors.no_parameters_cell", "en", path=path,
                            required=required))
    for name in REQUIRED_PARAMETERS:
        if name not in params:
            raise ReportError(t("reporting.errors.missing_parameter", "en", path=path,
                                name=name, required=required))
    return params


def _municipalities(catalog: Path):
    from ..data import load

    return load("municipalities", catalog)


def _select(munis, wanted: Sequence[str] | None, catalog: Path):
    valid = [str(x) for x in munis["municipality_id"]]
    if not wanted:
        return munis
    unknown = [m for m in dict.fromkeys(wanted) if m not in set(valid)]
    if unknown:
        listed = ", ".join(valid[:_MAX_LISTED_IDS])
        if len(valid) > _MAX_LISTED_IDS:
            listed += f", … ({len(valid) - _MAX_LISTED_IDS} more)"
        raise ReportError(t("reporting.errors.unknown_municipality", "en",
                            ids=", ".join(unknown), catalog=catalog, valid=listed))
    order = {m: i for i, m in enumerate(dict.fromkeys(wanted))}
    chosen = munis.loc[munis["municipality_id"].isin(order)]
    return chosen.sort_values("municipality_id", key=lambda s: s.map(order))


def output_path(municipality_id: str, report: str, lang: str) -> str:
    """Where a PDF goes, relative to the output folder: ``<id>/<report>.<lang>.pdf``."""
    return f"{municipality_id}/{report}.{lang}.pdf"


def failed_path(municipality_id: str, report: str, lang: str) -> str:
    """Where a failed job's executed notebook is kept, relative to the output folder."""
    return f"_failed/{municipality_id}/{report}.{lang}.ipynb"


def region_name(row, lang: str) -> str:
    """The oblast of a municipalities row as the title page shows it, in ``lang``: the data's
    ``region_local`` for a language other than English when recorded, else the message
    catalog's name (``passport.regions``), else as recorded."""
    region = str(row.get("region", "") or "")
    if not region:
        return ""
    shown = display_name(row, lang, "region")
    if shown != region:  # the data's local name, for a reader of the country's language
        name = shown
    else:
        key = f"passport.regions.{region}"
        name = t(key, lang)
        name = region if name == key else name
    return t("summary.kicker_region", lang, region=name)


def plan_jobs(report: str = "all", municipalities: Sequence[str] | None = None,
              catalog: str | Path | None = None, lang: str = "en",
              timeout: float | None = None) -> tuple[list[ReportJob], CatalogInfo]:
    """Check everything that can be checked before running, and list the jobs.

    Raises
    ------
    ReportError
        Unknown language or report, a missing notebook, a ``parameters`` cell without
        ``catalog``/``municipality_id``/``lang``, or unknown municipality ids.
    """
    lang = config.resolve_lang(lang)
    if lang not in config.SUPPORTED_LANGS:
        raise ReportError(t("reporting.errors.unknown_lang", "en", lang=lang,
                            choices=", ".join(config.SUPPORTED_LANGS)))
    folder = config.notebooks_dir()
    specs = resolve_reports(report, folder)
    for spec in specs:
        check_parameters(spec, folder)
    path = Path(catalog).expanduser().resolve() if catalog else config.default_catalog()
    info = catalog_info(path)
    munis = _select(_municipalities(path), municipalities, path)
    generated = _dt.date.today().isoformat()
    jobs = [
        ReportJob(
            report=spec.name, notebook=str(spec.path(folder).resolve()),
            municipality_id=str(row["municipality_id"]),
            municipality=display_name(row, lang), region=region_name(row, lang),
            country=str(row.get("country", "") or ""), lang=lang, catalog=str(info.path),
            fingerprint=info.fingerprint, data_as_of=info.data_as_of, synthetic=info.synthetic,
            output=output_path(str(row["municipality_id"]), spec.name, lang),
            generated=generated, timeout=timeout,
        )
        for _, row in munis.iterrows()
        for spec in specs
    ]
    return jobs, info


def _record(job: ReportJob, status: str, run_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "municipality_id": job.municipality_id, "municipality": job.municipality,
        "report": job.report, "lang": job.lang, "status": status, "output": job.output,
        "parameters": job.parameters, "fingerprint": job.fingerprint,
        "socialkit_version": __version__, "duration_s": None, "error": None,
        "failed_notebook": None, "run_id": run_id,
        "finished_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "worker": None, **extra,
    }


def _store(result: JobResult, out: Path, run_id: str) -> dict[str, Any]:
    """Write a result's files and return its manifest record."""
    job = result.job
    stale = out / failed_path(*job.key)
    base = {"duration_s": round(result.duration, 3), "worker": result.worker}
    if result.status == "ok" and result.pdf:
        atomic_write_bytes(out / job.output, result.pdf)
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()
        return _record(job, "ok", run_id, **base)
    kept = None
    if result.notebook:
        atomic_write_bytes(stale, result.notebook)
        kept = failed_path(*job.key)
    earlier = job.output if (out / job.output).is_file() else None
    return _record(job, "failed", run_id, output=earlier, error=result.error,
                   failed_notebook=kept, **base)


def _progress(total: int, enabled: bool, lang: str):
    from tqdm import tqdm

    return tqdm(total=total, unit=t("reporting.cli.progress", lang), file=sys.stderr,
                disable=not enabled, dynamic_ncols=True, smoothing=0.1)


def run_reports(report: str = "all", municipalities: Sequence[str] | None = None,
                catalog: str | Path | None = None, lang: str = "en",
                out: str | Path | None = None, workers: int | None = None,
                resume: bool = False, executor: str = "local", scheduler: Any = None,
                timeout: float | None = None, progress: bool = True,
                force: bool = False) -> RunSummary:
    """Produce one PDF per municipality and report; see the module docstring for the steps.

    Parameters
    ----------
    report : str
        ``maturity``, ``needs``, ``passport``, ``monitoring`` or ``all``.
    municipalities : sequence of str, optional
        Municipality ids; default every municipality of the catalog.
    catalog : path, optional
        Intake catalog; default :func:`socialkit.config.default_catalog`.
    lang : str
        ``en`` or ``uk``: the language of the whole report.
    out : path, optional
        Output folder; default :func:`socialkit.config.reports_dir`.
    workers : int, optional
        Parallel workers; default the number of cores.
    resume : bool
        Redo only jobs that failed, are missing, or whose parameters, data or version changed.
    executor : str
        A name in :data:`socialkit.reporting.executors.EXECUTORS` (``local``, ``dask``).
    scheduler : str or cluster, optional
        Dask scheduler address (``executor="dask"``); default a new ``LocalCluster``.
    timeout : float, optional
        Seconds a notebook cell may run.
    progress : bool
        Show a progress bar with ETA on stderr.
    force : bool
        Write into ``out`` even when it holds files socialkit did not write (else
        :class:`socialkit.files.OutputConflictError`, before anything runs).

    Returns
    -------
    RunSummary
        Records, counts and paths; ``exit_code`` is 0 only if nothing failed.
    """
    started = time.perf_counter()
    started_at = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
    out = Path(out).expanduser().resolve() if out else config.reports_dir()
    # never into a folder holding files socialkit did not write (a data or catalog folder)
    claim_folder(out, command=COMMAND, force=force or _earlier_batch(out),
                 ignore=(_LOCK_NAME,))
    pool = get_executor(executor, workers=workers, scheduler=scheduler)
    jobs, info = plan_jobs(report, municipalities, catalog, lang, timeout)
    out.mkdir(parents=True, exist_ok=True)
    with lock_folder(out):
        record_outputs(out, [_LOCK_NAME], command=COMMAND)  # the folder is a batch's from now
        return _run_locked(jobs, info, out, pool, report, lang, resume, progress, started,
                           started_at)


def _earlier_batch(out: Path) -> bool:
    """A folder a batch wrote before the output guard recorded it (its manifest says so)."""
    try:
        data = json.loads((out / f"{MANIFEST_NAME}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "run_id" in data and isinstance(data.get("reports"), list)


def _run_locked(jobs: list[ReportJob], info: CatalogInfo, out: Path, pool: Any, report: str,
                lang: str, resume: bool, progress: bool, started: float,
                started_at: str) -> RunSummary:
    run_id = _dt.datetime.now(_dt.UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]
    recover_journal(out)  # a killed run's finished reports count as finished
    previous = read_state(out)
    skipped: list[dict[str, Any]] = []
    todo: list[ReportJob] = []
    for job in jobs:
        earlier = previous.get(job.key)
        if resume and is_up_to_date(job, earlier, out, __version__):
            skipped.append({**earlier, "status": "skipped"})
        else:
            todo.append(job)
    if progress:
        print(t("reporting.cli.planned", lang, todo=len(todo), skipped=len(skipped),
                workers=min(pool.workers, max(len(todo), 1)), executor=pool.name),
              file=sys.stderr)
    timings: list[dict[str, float]] = []
    journal = Journal(out)

    def finish(interrupted: bool = False) -> tuple[list[dict[str, Any]], Path, Path, Path]:
        # the manifests are compiled from the journal, then the journal goes
        records = skipped + read_journal(out, run_id)
        paths = _write_run(out, run_id, started_at, info, report, lang, pool, resume, records,
                           previous, interrupted)
        journal.remove()
        return records, *paths

    with stop_signals() as guard:
        try:
            with _progress(len(todo), progress, lang) as bar, \
                    contextlib.closing(pool.map_unordered(run_job, todo)) as results:
                for result in results:
                    with guard.deferred():  # a PDF and its journal line are written whole
                        journal.append(_store(result, out, run_id))
                    timings.append({"total": result.duration, **result.timings})
                    bar.update(1)
            guard.finish()
        except Stop as stop:
            # SIGTERM or Ctrl-C: the running reports were abandoned (none half-written);
            # record what was finished, so that --resume does only the rest
            records, _run_json, state_json, _index = finish(interrupted=True)
            done = len(records) - len(skipped)
            raise BatchInterrupted(stop, done, len(todo) - done, state_json) from None
        except WorkerDied as exc:
            records, _run_json, state_json, _index = finish(interrupted=True)
            done = len(records) - len(skipped)
            raise ReportError(t("reporting.errors.worker_died", "en", done=done,
                                left=len(todo) - done, manifest=state_json)) from exc
        except BaseException:
            # an error: record what was finished, so that --resume does not redo it
            finish(interrupted=True)
            raise
        records, run_json, state_json, index = finish()
    return RunSummary(run_id=run_id, out=out, records=records,
                      duration=time.perf_counter() - started, manifest=state_json,
                      run_manifest=run_json, index=index, workers=pool.workers,
                      executor=pool.name, timings=timings)


def _write_run(out: Path, run_id: str, started_at: str, info: CatalogInfo, report: str,
               lang: str, pool: Any, resume: bool, records: list[dict[str, Any]],
               previous: dict, interrupted: bool = False) -> tuple[Path, Path, Path]:
    run = {
        "run_id": run_id, "started_at": started_at,
        "finished_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "socialkit_version": __version__, "catalog": str(info.path),
        "fingerprint": info.fingerprint, "report": report, "lang": lang,
        "executor": pool.name, "workers": pool.workers, "resume": resume,
        "interrupted": interrupted,
    }
    run_json, state_json = write_manifests(out, run, records, previous)
    index = write_index(out, read_state(out).values(), lang, _dt.date.today().isoformat())
    record_outputs(out, [_LOCK_NAME, index, state_json, state_json.with_suffix(".csv")],
                   command=COMMAND)
    return run_json, state_json, index
