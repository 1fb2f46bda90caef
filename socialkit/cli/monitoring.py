"""``socialkit monitoring export | import | progress | quality | scorecard``."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from ..i18n import format_percent, t
from . import app

__all__ = ["monitoring_app"]

monitoring_app = typer.Typer(help=t("monitoring.help.group", "en"), no_args_is_help=True)
app.add_typer(monitoring_app, name="monitoring")

_Catalog = Annotated[Path | None, typer.Option(help="Intake catalog (default: the demo).")]
_Framework = Annotated[Path | None, typer.Option(help="Indicator framework YAML (default: the "
                                                 "shipped me_indicators.yaml).")]
_Lang = Annotated[str, typer.Option(help="Language of messages (en, uk).")]


def _write_csv_atomic(frame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".csv", dir=path.parent)
    os.close(fd)
    try:
        frame.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8")
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@monitoring_app.command("export", help=t("monitoring.help.export", "en"))
def export_cmd(
    out: Annotated[Path, typer.Option(help="The .xlsx workbook to write.")],
    catalog: _Catalog = None,
    framework: _Framework = None,
    lang: _Lang = "en",
) -> None:
    from ..data import load
    from ..monitoring import export_workbook, load_framework
    from ..monitoring.protect import published_progress

    fw = load_framework(framework)
    values = load("indicator_values", catalog)
    targets = load("indicator_targets", catalog)
    progress = published_progress(values, targets, fw,
                                  municipalities=load("municipalities", catalog))
    path = export_workbook(values, targets, out, fw, progress=progress, lang=lang)
    typer.echo(t("monitoring.cli.export_written", lang, path=path, n_values=len(values),
                 n_targets=len(targets)))


@monitoring_app.command("import", help=t("monitoring.help.import", "en"))
def import_cmd(
    book: Annotated[Path, typer.Argument(help="The .xlsx workbook to read.")],
    out: Annotated[Path, typer.Option(help="Folder for indicator_values.csv, "
                                      "indicator_targets.csv and catalog.yaml.")],
    framework: _Framework = None,
    lang: _Lang = "en",
) -> None:
    from ..monitoring import import_workbook, load_framework

    files = import_workbook(book, out, load_framework(framework))
    typer.echo(t("monitoring.cli.import_written", lang, book=book, n=len(files), out=out))


@monitoring_app.command("progress", help=t("monitoring.help.progress", "en"))
def progress_cmd(
    out: Annotated[Path, typer.Option(help="CSV file to write.")],
    catalog: _Catalog = None,
    level: Annotated[str, typer.Option(help="municipality, district, region or programme.")]
    = "municipality",
    framework: _Framework = None,
    lang: _Lang = "en",
) -> None:
    from ..data import load
    from ..monitoring import load_framework
    from ..monitoring.indicators import LEVELS
    from ..monitoring.protect import published_progress

    if level not in LEVELS:
        from ..errors import SocialkitError

        raise SocialkitError(f"level '{level}': expected one of {', '.join(LEVELS)}")
    prog = published_progress(load("indicator_values", catalog),
                              load("indicator_targets", catalog), load_framework(framework),
                              level=level, municipalities=load("municipalities", catalog))
    _write_csv_atomic(prog, out)
    typer.echo(t("monitoring.cli.progress_written", lang, path=out, n=len(prog)))


@monitoring_app.command("quality", help=t("monitoring.help.quality", "en"))
def quality_cmd(
    catalog: _Catalog = None,
    out: Annotated[Path | None, typer.Option(help="Optional CSV of the per-municipality "
                                             "summary.")] = None,
    framework: _Framework = None,
    lang: _Lang = "en",
) -> None:
    from ..data import load, resolve_catalog
    from ..monitoring import load_framework, quality_summary
    from ..monitoring.indicators import quarter_index

    fw = load_framework(framework)
    values = load("indicator_values", catalog)
    munis = load("municipalities", catalog)["municipality_id"].tolist()
    periods = sorted(values["period"].unique(), key=quarter_index)
    summary = quality_summary(values, munis, periods, fw)
    completeness = summary["received"].sum() / max(int(summary["expected"].sum()), 1)
    typer.echo(t("monitoring.cli.quality_header", lang, catalog=resolve_catalog(catalog),
                 n_outliers=int(summary["outliers"].sum()),
                 n_breaches=int(summary["rule_breaches"].sum()),
                 completeness=format_percent(completeness, lang, 1)))
    typer.echo(summary.to_string(index=False))
    if out is not None:
        _write_csv_atomic(summary, out)


@monitoring_app.command("scorecard", help=t("monitoring.help.scorecard", "en"))
def scorecard_cmd(
    out: Annotated[Path, typer.Option(help="CSV file of the ranked services.")],
    catalog: _Catalog = None,
    rubric: Annotated[Path | None, typer.Option(help="Rubric YAML (default: the shipped "
                                                "service_quality.yaml).")] = None,
    lang: _Lang = "en",
) -> None:
    from ..data import load
    from ..monitoring import compute_scorecards, load_rubric

    card = compute_scorecards(load("service_scores", catalog), load_rubric(rubric))
    table = card.totals.merge(card.agreement.drop(columns="n_evaluators"), on="service_id")
    _write_csv_atomic(table, out)
    typer.echo(t("monitoring.cli.scorecard_written", lang, path=out, n=len(table)))
