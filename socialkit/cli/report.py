"""``socialkit report``: one PDF per municipality and report (see :mod:`socialkit.reporting`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..i18n import t
from . import app
from ._checks import Force, check_choice, check_lang, check_range, lang_help

_REPORT_CHOICES = "maturity, needs, passport, monitoring"


@app.command("report", help=t("reporting.cli.help", "en"))
def report(
    name: Annotated[str, typer.Argument(
        metavar="REPORT",
        help=t("reporting.cli.report_help", "en", choices=_REPORT_CHOICES))],
    municipality: Annotated[list[str] | None, typer.Option(
        "--municipality", "-m", help=t("reporting.cli.municipality_help", "en"))] = None,
    catalog: Annotated[Path | None, typer.Option(help=t("reporting.cli.catalog_help", "en"))] = None,
    lang: Annotated[str, typer.Option(help=lang_help(t("reporting.cli.lang_help", "en")))] = "en",
    out: Annotated[Path | None, typer.Option(help=t("reporting.cli.out_help", "en"))] = None,
    workers: Annotated[int | None, typer.Option(help=t("reporting.cli.workers_help", "en"))] = None,
    resume: Annotated[bool, typer.Option("--resume", help=t("reporting.cli.resume_help", "en"))] = False,
    executor: Annotated[str, typer.Option(help=t("reporting.cli.executor_help", "en",
                                                 choices="local, dask"))] = "local",
    scheduler: Annotated[str | None, typer.Option(
        help=t("reporting.cli.scheduler_help", "en"))] = None,
    timeout: Annotated[float | None, typer.Option(help=t("reporting.cli.timeout_help", "en"))] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    force: Force = False,
) -> None:
    from ..reporting import run_reports

    check_lang(lang)
    check_choice("--executor", executor, ("local", "dask"))
    check_range("--workers", workers, 1, 1024)
    check_range("--timeout", timeout, 0, None, low_open=True)
    if out is not None:
        from ..files import check_out_dir

        check_out_dir(out)
    summary = run_reports(name, municipalities=municipality or None, catalog=catalog, lang=lang,
                          out=out, workers=workers, resume=resume, executor=executor,
                          scheduler=scheduler, timeout=timeout, progress=not quiet,
                          force=force)
    for record in summary.failed:
        typer.echo(t("reporting.cli.failed_line", lang, municipality_id=record["municipality_id"],
                     report=record["report"], error=record["error"]), err=True)
    typer.echo(t("reporting.cli.summary", lang, ok=summary.count("ok"),
                 failed=summary.count("failed"), skipped=summary.count("skipped"),
                 seconds=f"{summary.duration:.1f}", index=summary.index))
    typer.echo(t("reporting.cli.manifest", lang, path=summary.manifest))
    raise typer.Exit(summary.exit_code)
