"""One report for one municipality: the job a worker runs, and what it hands back.

:func:`run_job` executes the notebook with papermill's ``socialkit-warm`` engine, renders the
PDF in the worker and returns the bytes; the runner (in the main process) writes files, so a
worker on another machine (Dask) needs only the notebook and the catalog, not the output
folder. :func:`run_job` never raises for a failing notebook: the failure, its message and
the executed notebook are returned for the manifest and for debugging.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

__all__ = ["JobResult", "ReportJob", "run_job"]


@dataclass(frozen=True)
class ReportJob:
    """Everything a worker needs to produce one PDF (picklable, paths as strings)."""

    report: str
    notebook: str
    municipality_id: str
    municipality: str  # name in the report's language
    region: str
    country: str
    lang: str
    catalog: str
    fingerprint: str
    data_as_of: str
    synthetic: bool
    output: str  # path relative to the output folder
    generated: str  # ISO date
    timeout: float | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        """``(municipality_id, report, lang)``: one PDF."""
        return (self.municipality_id, self.report, self.lang)

    @property
    def parameters(self) -> dict[str, str]:
        """The values injected into the notebook's ``parameters`` cell."""
        return {"catalog": self.catalog, "municipality_id": self.municipality_id,
                "lang": self.lang}


@dataclass
class JobResult:
    """What a worker hands back: status, timings, the PDF or the error and notebook."""

    job: ReportJob
    status: str  # "ok" or "failed"
    duration: float
    pdf: bytes | None = None
    notebook: bytes | None = None  # the executed notebook (kept when the job failed)
    error: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    worker: str = ""


@cache
def _source_notebook(path: str, mtime_ns: int):
    from papermill.iorw import load_notebook_node

    return load_notebook_node(path)


def _execute(job: ReportJob):
    """Run the notebook; return ``(executed notebook, error message or None)``."""
    import copy

    from papermill.engines import papermill_engines
    from papermill.exceptions import PapermillExecutionError
    from papermill.execute import (
        prepare_notebook_metadata,
        raise_for_execution_errors,
        remove_error_markers,
    )
    from papermill.parameterize import parameterize_notebook

    from . import engine

    nb = copy.deepcopy(_source_notebook(job.notebook, os.stat(job.notebook).st_mtime_ns))
    nb = parameterize_notebook(nb, job.parameters, kernel_name="python3", language="python",
                               engine_name=engine.ENGINE_NAME)
    nb = prepare_notebook_metadata(nb, job.notebook, None)
    nb = remove_error_markers(nb)
    nb = papermill_engines.execute_notebook_with_engine(
        engine.ENGINE_NAME, nb, kernel_name="python3", input_path=job.notebook, output_path=None,
        progress_bar=False, log_output=False, start_timeout=120, execution_timeout=job.timeout,
    )
    try:
        raise_for_execution_errors(nb, None)
    except PapermillExecutionError as exc:
        cell = f"cell {exc.exec_count}" if exc.exec_count else f"cell #{exc.cell_index}"
        return nb, f"{cell}: {exc.ename}: {exc.evalue}".strip()
    return nb, None


def _title(job: ReportJob):
    from .render import TitlePage

    return TitlePage(report=job.report, municipality=job.municipality, region=job.region,
                     country=job.country, data_as_of=job.data_as_of, synthetic=job.synthetic,
                     lang=job.lang, generated=job.generated)


def run_job(job: ReportJob) -> JobResult:
    """Execute one report notebook and render its PDF; failures are returned, not raised.

    Returns
    -------
    JobResult
        ``status="ok"`` with the PDF bytes, or ``status="failed"`` with the error message and
        (when the notebook ran) the executed notebook.
    """
    import nbformat

    from .render import render_pdf

    start = time.perf_counter()
    worker = f"{socket.gethostname()}:{os.getpid()}"
    timings: dict[str, float] = {}
    nb = None
    try:
        nb, error = _execute(job)
        timings["execute"] = time.perf_counter() - start
        if error is None:
            mark = time.perf_counter()
            pdf = render_pdf(nb, _title(job), base_url=str(Path(job.notebook).parent))
            timings["render"] = time.perf_counter() - mark
            return JobResult(job, "ok", time.perf_counter() - start, pdf=pdf, timings=timings,
                             worker=worker)
    except Exception as exc:  # a dead kernel, a timeout, a rendering failure: record it
        error = f"{type(exc).__name__}: {exc}".strip()
    kept = nbformat.writes(nb).encode("utf-8") if nb is not None else None
    return JobResult(job, "failed", time.perf_counter() - start, notebook=kept,
                     error=error.splitlines()[0] if error else "unknown error", timings=timings,
                     worker=worker)
