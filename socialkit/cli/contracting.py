"""``socialkit contracting validate | evaluate | sensitivity | export-ocds | monitor |
providers | demo | call | protocol | report | overview | application-form | apply``."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..i18n import format_number, format_percent, t, tn
from . import app
from ._checks import Force, check_choice, check_lang, check_range, lang_help

if TYPE_CHECKING:
    from ..contracting import ContractingData

__all__ = ["contracting_app"]

contracting_app = typer.Typer(help=t("contracting.help.group", "en"), no_args_is_help=True)
app.add_typer(contracting_app, name="contracting")

_Path = Annotated[Path, typer.Argument(help="A region-year: a folder of CSV files (one per "
                                       "table) or an .xlsx workbook (one sheet per table).")]
_Out = Annotated[Path, typer.Option(help="Output folder (written all at once, or not at all).")]
_Lang = Annotated[str, typer.Option(help=lang_help("Language of messages."))]


def _read(path: Path, lang: str, every_year: bool = False):
    """The region-year at ``path`` (``every_year``: or every region-year in the folder, read
    together); on bad input every problem in ``lang`` and exit code 1."""
    from ..contracting import read_contracting
    from ..contracting.load import read_contracting_all
    from ..errors import DataValidationError

    try:
        return read_contracting_all(path) if every_year else read_contracting(path)
    except DataValidationError as exc:
        typer.echo(t("core.validate_failed", lang, n=len(exc.problems), path=path), err=True)
        for p in exc.problems:
            typer.echo(f"  - {p.render(lang)}", err=True)
        raise typer.Exit(1) from None


@contracting_app.command("validate", help=t("contracting.help.validate", "en"))
def validate_cmd(path: _Path, lang: _Lang = "en") -> None:
    lang = check_lang(lang)
    d = _read(path, lang)
    typer.echo(t("contracting.cli.valid", lang, path=path, competitions=len(d.competitions),
                 lots=len(d.lots), applications=len(d.applications),
                 contracts=len(d.contracts)))


@contracting_app.command("evaluate", help=t("contracting.help.evaluate", "en"))
def evaluate_cmd(path: _Path, out: _Out, lang: _Lang = "en", force: Force = False) -> None:
    from ..contracting import evaluate
    from ..files import check_out_dir, write_outputs

    lang = check_lang(lang)
    check_out_dir(out)
    d = _read(path, lang)
    ev = evaluate(d)
    write_outputs({"results.csv": ev.results, "criterion_points.csv": ev.points,
                   "weights.csv": ev.weights, "agreement.csv": ev.agreement}, out,
                  command="socialkit contracting evaluate", force=force)
    from ..contracting.model import code_text

    res = ev.results
    for r in res[~res["complete"]].itertuples():
        missing = ", ".join(code_text("documents", m, lang) for m in r.missing.split("; "))
        typer.echo(t("contracting.cli.missing", lang, application=r.application_id,
                     missing=missing))
    for lot in d.lots["lot_id"]:
        w = res[(res["lot_id"] == lot) & res["winner"]]
        if len(w):
            r = w.iloc[0]
            typer.echo(t("contracting.cli.winner", lang, lot=lot, application=r.application_id,
                         ngo=r.ngo_id, score=format_number(r.score, lang, 1)))
        else:
            typer.echo(t("contracting.cli.no_winner", lang, lot=lot))
    typer.echo(t("contracting.cli.evaluated", lang, lots=len(d.lots), out=out))


@contracting_app.command("sensitivity", help=t("contracting.help.sensitivity", "en"))
def sensitivity_cmd(
    path: _Path, out: _Out,
    step: Annotated[float, typer.Option(help="The change of one weight (0.10 = ±10 %).")] = 0.10,
    mode: Annotated[str, typer.Option(help="relative: w·(1±step); points: w±step.")] = "relative",
    lang: _Lang = "en", force: Force = False,
) -> None:
    from ..contracting import evaluate, minimal_flip, weight_sensitivity
    from ..files import check_out_dir, write_outputs

    lang = check_lang(lang)
    check_range("--step", step, 0.0, 1.0, low_open=True)
    check_choice("--mode", mode, ("relative", "points"))
    check_out_dir(out)
    from ..contracting.model import local_text

    d = _read(path, lang)
    ev = evaluate(d)
    names = {(r["competition_id"], r["criterion_id"]): local_text(r, "name", lang)
             for r in d.criteria.to_dict("records")}
    sens = weight_sensitivity(ev, step=step, mode=mode)
    flips = minimal_flip(ev)
    write_outputs({"sensitivity.csv": sens, "minimal_flip.csv": flips}, out,
                  command="socialkit contracting sensitivity", force=force)
    changed = sens[sens["changed"]]
    pct = format_percent(step, lang, 0)
    for r in changed.itertuples():
        change = ("+" if r.change > 0 else "−") + format_percent(abs(r.change), lang, 0)
        typer.echo(t("contracting.cli.changed", lang, lot=r.lot_id, change=change,
                     criterion=names.get((r.competition_id, r.criterion_id), r.criterion_id),
                     winner=r.winner_after))
    for r in flips.dropna(subset=["criterion_id"]).itertuples():
        if r.lot_id in set(changed["lot_id"]):
            typer.echo(t("contracting.cli.flip", lang, lot=r.lot_id, winner=r.new_winner,
                         criterion=names.get((r.competition_id, r.criterion_id),
                                             r.criterion_id),
                         before=format_percent(r.weight_before, lang, 1),
                         after=format_percent(r.weight_after, lang, 1)))
    n = changed["lot_id"].nunique()
    typer.echo(tn("contracting.cli.sensitive_lots", n, lang, step=pct) if n
               else t("contracting.cli.robust", lang, step=pct))


@contracting_app.command("export-ocds", help=t("contracting.help.export_ocds", "en"))
def export_ocds_cmd(
    path: _Path, out: _Out,
    uri: Annotated[str, typer.Option(help="The URI the packages will be published at.")] =
    "https://example.org/socialkit/contracting/release-package.json",
    publisher: Annotated[str, typer.Option(help="Publisher name in the packages.")] =
    "socialkit",
    language: Annotated[str, typer.Option(
        help="Language of the published texts (the OCDS 'language'): ru, be, en …")] = "ru",
    lang: _Lang = "en", force: Force = False,
) -> None:
    from ..contracting import money_flows
    from ..contracting.flatten import flatten_compiled, write_flat_workbook
    from ..contracting.ocds import (
        build_releases,
        compile_records,
        record_package,
        release_package,
        validate_package,
    )
    from ..files import check_out_dir, write_outputs

    lang = check_lang(lang)
    language = check_lang(language, "--language")
    check_out_dir(out)
    d = _read(path, lang)
    releases = build_releases(d, language)
    rel_pkg = release_package(releases, uri=uri, publisher=publisher)
    rec_pkg = record_package(releases, uri=uri.replace("release-package", "record-package"),
                             publisher=publisher)
    validate_package(rel_pkg, "release", source="release-package.json")
    validate_package(rec_pkg, "record", source="record-package.json")
    sheets = flatten_compiled(compile_records(releases))

    def dump(obj) -> str:
        return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"

    from ..contracting.model import local_text

    flows = money_flows(d)
    names = {r["ngo_id"]: local_text(r, "name", language) for r in d.ngos.to_dict("records")}
    flows_local = flows.assign(name=flows["ngo_id"].map(names))
    write_outputs({"release-package.json": dump(rel_pkg), "record-package.json": dump(rec_pkg),
                   "ocds-flat.xlsx": lambda p: write_flat_workbook(
                       sheets, p, language, money_flows=flows_local),
                   "money-flows.csv": flows}, out,
                  command="socialkit contracting export-ocds", force=force)
    typer.echo(t("contracting.cli.exported", lang, processes=len(releases),
                 releases=len(rel_pkg["releases"]), out=out))


@contracting_app.command("monitor", help=t("contracting.help.monitor", "en"))
def monitor_cmd(
    path: _Path, out: _Out,
    delivery_min: Annotated[float, typer.Option(help="Flag delivery below this share of the "
                                                "cumulative plan.")] = 0.90,
    payment_lead: Annotated[float, typer.Option(help="Flag payments ahead of delivery by more "
                                                "than this share of the contract.")] = 0.10,
    lang: _Lang = "en", force: Force = False,
) -> None:
    from ..contracting import FlagRules, monitoring_flags
    from ..disclosure import publish
    from ..files import check_out_dir, write_outputs

    lang = check_lang(lang)
    check_range("--delivery-min", delivery_min, 0.0, 1.0)
    check_range("--payment-lead", payment_lead, 0.0, 1.0)
    check_out_dir(out)
    d = _read(path, lang)
    progress, flags = monitoring_flags(d, FlagRules(delivery_min=delivery_min,
                                                    payment_lead=payment_lead))
    progress = publish(progress, counts=["clients_planned", "clients", "respondents"])
    write_outputs({"progress.csv": progress, "flags.csv": flags}, out,
                  command="socialkit contracting monitor", force=force)
    from ..i18n import format_period

    for r in flags.itertuples():
        typer.echo(t("contracting.cli.flag", lang, contract=r.contract_id,
                     period=format_period(r.period.replace("-Q", "Q"), lang),
                     flag=t(f"contracting.flags.{r.flag}", lang)))
    if not len(flags):
        typer.echo(t("contracting.cli.no_flags", lang))
    typer.echo(t("contracting.cli.monitored", lang, contracts=len(d.contracts),
                 flags=len(flags), out=out))


@contracting_app.command("providers", help=t("contracting.help.providers", "en"))
def providers_cmd(
    path: Annotated[Path, typer.Argument(help="A region-year (folder or .xlsx), or a folder of "
                                         "region-year folders (read together).")],
    out: _Out, lang: _Lang = "en", force: Force = False,
) -> None:
    from ..contracting.pipeline import competition_pipeline, contract_status, provider_registry
    from ..files import check_out_dir, write_outputs

    lang = check_lang(lang)
    check_out_dir(out)
    d = _read(path, lang, every_year=True)
    providers = provider_registry(d).merge(d.ngos[["ngo_id", "name"]], on="ngo_id", how="left")
    status = contract_status(d)
    status["flags"] = status["flags"].map(
        lambda fl: "; ".join(f"{f}: {', '.join(ps)}" for f, ps in fl))
    write_outputs({"providers.csv": providers, "competitions.csv": competition_pipeline(d),
                   "contracts.csv": status}, out,
                  command="socialkit contracting providers", force=force)
    typer.echo(t("contracting.cli.providers_written", lang, providers=len(providers),
                 competitions=len(d.competitions), contracts=len(status), out=out))


@contracting_app.command("demo", help=t("contracting.help.demo", "en"))
def demo_cmd(out: _Out, lang: _Lang = "en", force: Force = False) -> None:
    from ..contracting.demo import write_demo
    from ..files import check_out_dir

    lang = check_lang(lang)
    check_out_dir(out)
    folders = write_demo(out, force=force)
    typer.echo(t("contracting.cli.demo_written", lang, n=len(folders), out=out))


def _check_id(value: str, known, option: str) -> str:
    from ..config import default_lang
    from ..errors import SocialkitError

    if value not in set(known):
        raise SocialkitError(t("files.choice", default_lang(), option=option, value=value,
                               choices=", ".join(sorted(known)[:20])))
    return value

def _pdf_command(name: str, path: Path, out: Path, lang: str, force: bool,
                 build: Callable[[ContractingData, str], bytes],
                 check: tuple[str, str, str] | None = None) -> None:
    """The shared body of the PDF commands: check the options, read the data (refused whole
    with every problem), check the id ``check`` = (value, table column, option), write the
    PDF that ``build(data, lang)`` makes, atomically, and say where."""
    from ..files import check_out_file, write_output_file

    lang = check_lang(lang)
    check_out_file(out, "--out", ".pdf")
    d = _read(path, lang)
    if check is not None:
        value, column, option = check
        table = {"competition_id": d.competitions, "contract_id": d.contracts}[column]
        _check_id(value, table[column], option)
    written = write_output_file(build(d, lang), out, command=f"socialkit contracting {name}",
                                force=force, suffix=".pdf")
    typer.echo(t("contracting.cli.pdf_written", lang, path=written))


@contracting_app.command("call", help=t("contracting.help.call", "en"))
def call_cmd(
    path: _Path,
    competition: Annotated[str, typer.Option(help="The competition id.")],
    out: Annotated[Path, typer.Option(help="The .pdf file to write.")],
    lang: Annotated[str, typer.Option(help=lang_help("Language of the call."))] = "ru",
    force: Force = False,
) -> None:
    from ..reporting.contracting import call_pdf

    _pdf_command("call", path, out, lang, force, lambda d, lg: call_pdf(d, competition, lg),
                 (competition, "competition_id", "--competition"))


@contracting_app.command("protocol", help=t("contracting.help.protocol", "en"))
def protocol_cmd(
    path: _Path,
    competition: Annotated[str, typer.Option(help="The competition id.")],
    out: Annotated[Path, typer.Option(help="The .pdf file to write.")],
    lang: _Lang = "en", force: Force = False,
) -> None:
    from ..reporting.contracting import protocol_pdf

    _pdf_command("protocol", path, out, lang, force, lambda d, lg: protocol_pdf(d, competition, lg),
                 (competition, "competition_id", "--competition"))


@contracting_app.command("report", help=t("contracting.help.report", "en"))
def report_cmd(
    path: _Path,
    contract: Annotated[str, typer.Option(help="The contract id.")],
    out: Annotated[Path, typer.Option(help="The .pdf file to write.")],
    lang: _Lang = "en", force: Force = False,
) -> None:
    from ..reporting.contracting import monitoring_report_pdf

    _pdf_command("report", path, out, lang, force, lambda d, lg: monitoring_report_pdf(d, contract, lg),
                 (contract, "contract_id", "--contract"))


@contracting_app.command("overview", help=t("contracting.help.overview", "en"))
def overview_cmd(
    path: _Path,
    out: Annotated[Path, typer.Option(help="The .pdf file to write.")],
    lang: _Lang = "en", force: Force = False,
) -> None:
    from ..reporting.contracting import overview_pdf

    _pdf_command("overview", path, out, lang, force, overview_pdf)


@contracting_app.command("application-form", help=t("contracting.help.application_form", "en"))
def application_form_cmd(
    out: Annotated[Path, typer.Option(help="The .xlsx file to write (an XLSForm).")],
    lang: _Lang = "en", force: Force = False,
) -> None:
    from ..contracting.applications import write_application_form
    from ..files import check_out_file, write_output_file

    lang = check_lang(lang)
    check_out_file(out, "--out", ".xlsx")
    with tempfile.TemporaryDirectory() as tmp:
        data = write_application_form(Path(tmp) / "form.xlsx").read_bytes()
    written = write_output_file(data, out, command="socialkit contracting application-form",
                                force=force, suffix=".xlsx")
    typer.echo(t("contracting.cli.form_written", lang, path=written))


@contracting_app.command("apply", help=t("contracting.help.apply", "en"))
def apply_cmd(
    path: _Path,
    applications: Annotated[Path, typer.Option(
        help="The filled application form (.xlsx or .csv; an XLSForm export).")],
    out: _Out, lang: _Lang = "en", force: Force = False,
) -> None:
    from ..contracting.applications import add_applications
    from ..contracting.model import code_text
    from ..errors import DataValidationError
    from ..files import check_out_dir, csv_text, write_outputs

    lang = check_lang(lang)
    check_out_dir(out)
    d = _read(path, lang)
    try:
        merged, complete = add_applications(d, applications, lang)
    except DataValidationError as exc:
        typer.echo(t("core.validate_failed", lang, n=len(exc.problems), path=applications),
                   err=True)
        for p in exc.problems:
            typer.echo(f"  - {p.render(lang)}", err=True)
        raise typer.Exit(1) from None
    write_outputs({"applications.csv": csv_text(merged.applications),
                   "application_documents.csv": csv_text(merged.application_documents)}, out,
                  command="socialkit contracting apply", force=force)
    for r in complete.itertuples():
        if r.complete:
            typer.echo(t("contracting.cli.complete", lang, application=r.application_id))
        else:
            missing = ", ".join(code_text("documents", m, lang) for m in r.missing.split("; "))
            typer.echo(t("contracting.cli.missing", lang, application=r.application_id,
                         missing=missing))
    typer.echo(t("contracting.cli.applied", lang, n=len(complete), out=out))
