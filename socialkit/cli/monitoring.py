"""``socialkit monitoring export | import | progress | quality | scorecard``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..i18n import format_percent, t
from . import app
from ._checks import Force, check_lang, lang_help

__all__ = ["monitoring_app"]

monitoring_app = typer.Typer(help=t("monitoring.help.group", "en"), no_args_is_help=True)
app.add_typer(monitoring_app, name="monitoring")

_Catalog = Annotated[Path | None, typer.Option(help="Intake catalog (default: the demo).")]
_Framework = Annotated[Path | None, typer.Option(help="Indicator framework YAML (default: the "
                                                 "shipped me_indicators.yaml).")]
_Lang = Annotated[str, typer.Option(help=lang_help("Language of messages."))]


def _check_csv_out(out: Path) -> Path:
    from ..files import check_out_file

    return check_out_file(out, "--out", ".csv")


def _write_csv(frame, out: Path, command: str, force: bool) -> None:
    from ..files import write_output_file

    write_output_file(frame, out, command=f"socialkit monitoring {command}", force=force,
                      suffix=".csv")


@monitoring_app.command("export", help=t("monitoring.help.export", "en"))
def export_cmd(
    out: Annotated[Path, typer.Option(help="The .xlsx workbook to write.")],
    catalog: _Catalog = None,
    framework: _Framework = None,
    lang: _Lang = "en",
    force: Force = False,
) -> None:
    from ..data import load
    from ..files import check_out_file, write_output_file
    from ..monitoring import export_workbook, load_framework
    from ..monitoring.protect import published_progress

    check_lang(lang)
    check_out_file(out, "--out", ".xlsx")
    fw = load_framework(framework)
    values = load("indicator_values", catalog)
    targets = load("indicator_targets", catalog)
    progress = published_progress(values, targets, fw,
                                  municipalities=load("municipalities", catalog))
    path = write_output_file(
        lambda tmp: export_workbook(values, targets, tmp, fw, progress=progress, lang=lang),
        out, command="socialkit monitoring export", force=force, suffix=".xlsx")
    typer.echo(t("monitoring.cli.export_written", lang, path=path, n_values=len(values),
                 n_targets=len(targets)))


@monitoring_app.command("import", help=t("monitoring.help.import", "en"))
def import_cmd(
    book: Annotated[Path, typer.Argument(help="The .xlsx workbook to read.")],
    out: Annotated[Path, typer.Option(help="Folder for indicator_values.csv, "
                                      "indicator_targets.csv and catalog.yaml.")],
    framework: _Framework = None,
    lang: _Lang = "en",
    force: Force = False,
) -> None:
    from ..files import check_out_dir
    from ..monitoring import import_workbook, load_framework

    check_lang(lang)
    check_out_dir(out)
    files = import_workbook(book, out, load_framework(framework), force=force)
    typer.echo(t("monitoring.cli.import_written", lang, book=book, n=len(files), out=out))


@monitoring_app.command("progress", help=t("monitoring.help.progress", "en"))
def progress_cmd(
    out: Annotated[Path, typer.Option(help="CSV file to write.")],
    catalog: _Catalog = None,
    level: Annotated[str, typer.Option(help="municipality, district, region or programme.")]
    = "municipality",
    framework: _Framework = None,
    lang: _Lang = "en",
    force: Force = False,
) -> None:
    from ..data import load
    from ..monitoring import load_framework
    from ..monitoring.indicators import LEVELS
    from ..monitoring.protect import published_progress

    check_lang(lang)
    _check_csv_out(out)
    if level not in LEVELS:
        from ..errors import SocialkitError

        raise SocialkitError(f"level '{level}': expected one of {', '.join(LEVELS)}")
    prog = published_progress(load("indicator_values", catalog),
                              load("indicator_targets", catalog), load_framework(framework),
                              level=level, municipalities=load("municipalities", catalog))
    _write_csv(prog, out, "progress", force)
    typer.echo(t("monitoring.cli.progress_written", lang, path=out, n=len(prog)))


@monitoring_app.command("quality", help=t("monitoring.help.quality", "en"))
def quality_cmd(
    catalog: _Catalog = None,
    out: Annotated[Path | None, typer.Option(help="Optional CSV of the per-municipality "
                                             "summary.")] = None,
    framework: _Framework = None,
    lang: _Lang = "en",
    force: Force = False,
) -> None:
    from ..data import load, resolve_catalog
    from ..monitoring import load_framework, quality_summary
    from ..monitoring.indicators import quarter_index

    check_lang(lang)
    if out is not None:
        _check_csv_out(out)
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
        _write_csv(summary, out, "quality", force)


@monitoring_app.command("scorecard", help=t("monitoring.help.scorecard", "en"))
def scorecard_cmd(
    out: Annotated[Path, typer.Option(help="CSV file of the ranked services.")],
    catalog: _Catalog = None,
    rubric: Annotated[Path | None, typer.Option(help="Rubric YAML (default: the shipped "
                                                "service_quality.yaml).")] = None,
    lang: _Lang = "en",
    force: Force = False,
) -> None:
    from ..data import load
    from ..monitoring import compute_scorecards, load_rubric

    check_lang(lang)
    _check_csv_out(out)
    card = compute_scorecards(load("service_scores", catalog), load_rubric(rubric))
    table = card.totals.merge(card.agreement.drop(columns="n_evaluators"), on="service_id")
    _write_csv(table, out, "scorecard", force)
    typer.echo(t("monitoring.cli.scorecard_written", lang, path=out, n=len(table)))
