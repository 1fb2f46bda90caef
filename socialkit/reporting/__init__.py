"""Batch reports: run a report notebook per municipality with papermill and write PDFs.

>>> from socialkit.reporting import REPORTS
>>> sorted(REPORTS)
['maturity', 'monitoring', 'needs', 'passport']

:func:`run_reports` is what ``socialkit report`` calls; the pieces are small modules:
:mod:`~.reports` (which notebook is which report), :mod:`~.catalog` (data fingerprint),
:mod:`~.engine` (papermill engine ``socialkit-warm``), :mod:`~.render` (HTML → PDF),
:mod:`~.jobs` (one job in a worker), :mod:`~.executors` (``local``, ``dask``),
:mod:`~.manifest` (manifests and the run journal), :mod:`~.lifeline` (stopping, and child
processes that die with the batch) and :mod:`~.index_page`.
"""

from .executors import EXECUTORS, get_executor
from .reports import REPORTS, ReportSpec, resolve_reports
from .runner import RunSummary, check_parameters, plan_jobs, run_reports

__all__ = [
    "EXECUTORS",
    "REPORTS",
    "ReportSpec",
    "RunSummary",
    "check_parameters",
    "get_executor",
    "plan_jobs",
    "resolve_reports",
    "run_reports",
]
