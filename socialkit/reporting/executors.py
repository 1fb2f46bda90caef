"""Where report jobs run, chosen by name: ``local`` (processes on this machine) or ``dask``.

An executor takes a picklable function and a list of jobs and yields results as they finish.
Each worker process (or Dask worker thread) keeps its own warm kernel
(:mod:`socialkit.reporting.engine`), so the first report of a worker pays the start-up and
the rest do not.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

from ..errors import ReportError
from ..i18n import t

__all__ = ["EXECUTORS", "DaskExecutor", "Executor", "LocalExecutor", "WorkerDied",
           "get_executor"]


class WorkerDied(ReportError):
    """A worker process died in the middle of the batch (killed by the system, out of memory)."""


class Executor(Protocol):
    """Runs ``fn(job)`` for every job and yields the results in completion order."""

    name: str

    def map_unordered(self, fn: Callable[[Any], Any], jobs: Sequence[Any]) -> Iterator[Any]:
        """Yield ``fn(job)`` for each job, as each finishes."""
        ...

    @property
    def workers(self) -> int:
        """How many jobs run at the same time."""
        ...


class LocalExecutor:
    """A pool of worker processes on this machine (``forkserver``: clean, fork-safe workers)."""

    name = "local"

    def __init__(self, workers: int | None = None, scheduler: str | None = None):
        if scheduler:
            raise ReportError(t("reporting.errors.scheduler_without_dask", "en"))
        self._workers = workers or multiprocessing.cpu_count()

    @property
    def workers(self) -> int:
        return self._workers

    def map_unordered(self, fn: Callable[[Any], Any], jobs: Sequence[Any]) -> Iterator[Any]:
        if not jobs:
            return
        ctx = multiprocessing.get_context("forkserver")
        pool = ProcessPoolExecutor(max_workers=min(self._workers, len(jobs)), mp_context=ctx,
                                   initializer=_prepare_worker)
        finished = False
        try:
            futures = [pool.submit(fn, job) for job in jobs]
            for future in as_completed(futures):
                try:
                    result = future.result()
                except BrokenProcessPool as exc:  # a worker was killed (OOM killer, kill -9)
                    raise WorkerDied(str(exc)) from exc
                yield result
            finished = True
        finally:
            if finished:
                pool.shutdown(wait=True)
            else:
                # stopped (SIGTERM, Ctrl-C, an error): drop the queued jobs and abandon the
                # running ones; their results are never written, so no partial output
                _abandon(pool)


#: Seconds a worker gets to kill its kernels and exit after SIGTERM before it is killed.
_STOP_GRACE = 5.0


def _abandon(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now: cancel queued jobs, SIGTERM every worker (then SIGKILL), wait for them."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()  # the worker kills its kernels (lifeline.guard_worker)
    deadline = time.monotonic() + _STOP_GRACE
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join(1.0)
    with contextlib.suppress(Exception):
        pool.shutdown(wait=True, cancel_futures=True)


def _prepare_worker() -> None:
    from .engine import kill_kernels, prepare_worker
    from .lifeline import guard_worker

    guard_worker(cleanup=kill_kernels)
    prepare_worker()


def _shutdown_worker_kernels() -> int:
    from .engine import shutdown_kernels

    return shutdown_kernels()


class DaskExecutor:
    """Jobs on a Dask distributed cluster: ``scheduler`` address, or a new ``LocalCluster``.

    Workers must be able to import socialkit and read the notebook and catalog paths (a
    shared file system or the same checkout at the same path); PDFs come back to this
    process, which writes them, so the output folder need not be shared. A cluster started
    here (no ``scheduler``) is closed at the end, with its workers' kernels; on a cluster
    you gave, kernels stay warm for the next batch.
    """

    name = "dask"

    def __init__(self, workers: int | None = None, scheduler: str | Any | None = None):
        self._requested = workers
        self._scheduler = scheduler

    @property
    def workers(self) -> int:
        return self._requested or multiprocessing.cpu_count()

    def _client(self):
        from distributed import Client, LocalCluster

        if self._scheduler is None:
            cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            return Client(cluster), cluster
        if isinstance(self._scheduler, str):
            try:
                return Client(self._scheduler, timeout="20s"), None
            except OSError as exc:
                raise ReportError(
                    f"cannot reach the Dask scheduler at {self._scheduler} ({exc}); start one "
                    "with 'dask scheduler' or check the address"
                ) from exc
        return Client(self._scheduler), None  # a cluster object (tests)

    def map_unordered(self, fn: Callable[[Any], Any], jobs: Sequence[Any]) -> Iterator[Any]:
        if not jobs:
            return
        from distributed import as_completed as dask_completed

        client, cluster = self._client()
        try:
            futures = client.map(fn, list(jobs), pure=False)
            for future in dask_completed(futures):
                yield future.result()
        finally:
            if cluster is not None:
                client.run(_shutdown_worker_kernels)
                client.close()
                cluster.close()
            else:
                client.close()


#: Executors by name (``socialkit report --executor NAME``).
EXECUTORS: dict[str, type] = {"local": LocalExecutor, "dask": DaskExecutor}


def get_executor(name: str, workers: int | None = None, scheduler: Any = None) -> Executor:
    """Build the executor registered as ``name``.

    Raises
    ------
    ReportError
        ``name`` is not registered, ``workers`` < 1, or a scheduler is given to ``local``.
    """
    if workers is not None and workers < 1:
        raise ReportError(t("reporting.errors.bad_workers", "en", workers=workers))
    if name not in EXECUTORS:
        raise ReportError(t("reporting.errors.unknown_executor", "en", name=name,
                            choices=", ".join(EXECUTORS)))
    return EXECUTORS[name](workers=workers, scheduler=scheduler)
