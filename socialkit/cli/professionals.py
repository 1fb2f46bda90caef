"""``socialkit professionals validate | ledger | compliance | reminders | certificates |
item-analysis | demo``.

Every command reads a registry (a folder of CSV files or an ``.xlsx`` with a sheet per table,
see docs/professionals.md) and the points rules (``--rules``, default the shipped
``training_points.yaml``). Exports of personal data pass the access rules of
:mod:`socialkit.professionals.privacy` for ``--role`` and are recorded in the read log
(``--read-log``, a CSV the command appends to).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from ..config import default_lang
from ..errors import SocialkitError
from ..i18n import display_name, display_names, format_number, t
from . import app
from ._checks import Force, check_lang, lang_help

__all__ = ["professionals_app"]

professionals_app = typer.Typer(help=t("professionals.help.group", "en"), no_args_is_help=True)
app.add_typer(professionals_app, name="professionals")

_Data = Annotated[Path, typer.Argument(help="Registry: a folder of CSV files or an .xlsx.")]
_Rules = Annotated[Path | None, typer.Option(help="Points rules YAML (default: the shipped "
                                             "training_points.yaml).")]
_AsOf = Annotated[str | None, typer.Option("--as-of", help="Day of the check, YYYY-MM-DD "
                                           "(default: today).")]
_Lang = Annotated[str, typer.Option(help=lang_help("Language of messages and documents."))]
_User = Annotated[str, typer.Option(help="Who reads (kept in the read log).")]
_ReadLog = Annotated[Path | None, typer.Option(
    "--read-log", help="CSV read log to append to (default: read_log.csv beside the output).")]
_LOG_COMMAND = "socialkit professionals read-log"


def _lang(lang: str) -> str:
    return check_lang(lang)


def _as_of(value: str | None) -> str:
    if value is None:
        return dt.date.today().isoformat()
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise SocialkitError(f"--as-of '{value}': expected a date YYYY-MM-DD") from None


def _load(data: Path, rules_path: Path | None):
    from ..professionals import load_registry, load_rules

    rules = load_rules(rules_path)
    return load_registry(data, rules), rules


def _institution(registry, institution: str) -> str:
    known = registry.institutions["institution_id"].tolist()
    if institution not in known:
        raise SocialkitError(t("professionals.cli.unknown_institution", default_lang(),
                               value=institution, choices=", ".join(known)))
    return institution


def _reader(user: str, role: str, institutions=()):
    from ..professionals.privacy import FIELDS, Reader

    if role not in FIELDS:
        raise SocialkitError(t("professionals.cli.unknown_role", default_lang(), value=role,
                               choices=", ".join(FIELDS)))
    return Reader(user=user, role=role, institutions=frozenset(institutions))


def _append_log(log, path: Path) -> None:
    """Append the new read events to the CSV read log (rewritten atomically)."""
    import pandas as pd

    from ..files import write_output_file

    new = log.to_frame()
    if path.is_file():
        old = pd.read_csv(path, dtype=str, keep_default_na=False)
        new = pd.concat([old, new.astype(str)], ignore_index=True)
    write_output_file(new, path, command=_LOG_COMMAND, force=path.is_file(), suffix=".csv",
                      option="--read-log")


@professionals_app.command("validate", help=t("professionals.help.validate", "en"))
def validate_cmd(data: _Data, rules: _Rules = None, lang: _Lang = "en") -> None:
    lang = _lang(lang)
    registry, _ = _load(data, rules)
    typer.echo(t("professionals.cli.valid", lang, persons=len(registry.persons),
                 licences=len(registry.licences),
                 participations=len(registry.participations)))


@professionals_app.command("ledger", help=t("professionals.help.ledger", "en"))
def ledger_cmd(data: _Data, out: Annotated[Path, typer.Option(help="CSV file to write.")],
               rules: _Rules = None, lang: _Lang = "en", force: Force = False) -> None:
    from ..files import check_out_file, write_output_file
    from ..professionals import points_ledger

    lang = _lang(lang)
    check_out_file(out, "--out", ".csv")
    registry, rules_ = _load(data, rules)
    ledger = points_ledger(registry, rules_)
    ledger["date"] = ledger["date"].dt.strftime("%Y-%m-%d")
    write_output_file(ledger, out, command="socialkit professionals ledger", force=force,
                      suffix=".csv")
    typer.echo(t("professionals.cli.ledger_written", lang, path=out, n=len(ledger)))


@professionals_app.command("compliance", help=t("professionals.help.compliance", "en"))
def compliance_cmd(
    data: _Data,
    out: Annotated[Path, typer.Option(help="CSV file to write.")],
    as_of: _AsOf = None,
    institution: Annotated[str | None, typer.Option(help="Only this institution's staff.")]
    = None,
    role: Annotated[str, typer.Option(help="Role of the recipient (fields they may see).")]
    = "province",
    user: _User = "cli",
    read_log: _ReadLog = None,
    horizon_days: Annotated[int, typer.Option(help="Due when act-by is within this many "
                                              "days.")] = 365,
    rules: _Rules = None,
    lang: _Lang = "en",
    force: Force = False,
) -> None:
    from ..files import check_out_file, write_output_file
    from ..professionals import compliance
    from ..professionals.ledger import current_employment
    from ..professionals.privacy import ReadLog, export_records

    lang = _lang(lang)
    day = _as_of(as_of)
    check_out_file(out, "--out", ".csv")
    registry, rules_ = _load(data, rules)
    if institution is not None:
        _institution(registry, institution)
    reader = _reader(user, role, [institution] if institution else [])
    short = compliance(registry, day, rules_, institution_id=institution,
                       horizon_days=horizon_days)
    short = short.merge(registry.persons[["person_id", "personal_number", "email"]],
                        on="person_id", how="left")
    log = ReadLog()
    shown = export_records(short, reader, log, purpose="compliance",
                           staff=current_employment(registry, day))
    for col in ("valid_to", "act_by", "next_session_date"):
        if col in shown:
            shown[col] = shown[col].dt.strftime("%Y-%m-%d")
    write_output_file(shown, out, command="socialkit professionals compliance", force=force,
                      suffix=".csv")
    _append_log(log, read_log or out.parent / "read_log.csv")
    typer.echo(t("professionals.cli.compliance_written", lang, path=out, n=len(shown)))


@professionals_app.command("reminders", help=t("professionals.help.reminders", "en"))
def reminders_cmd(
    data: _Data,
    institution: Annotated[str, typer.Option(help="The institution whose head gets the list.")],
    out: Annotated[Path, typer.Option(help="The .xlsx workbook to write.")],
    as_of: _AsOf = None,
    user: _User = "institution-head",
    read_log: _ReadLog = None,
    rules: _Rules = None,
    lang: _Lang = "en",
    force: Force = False,
) -> None:
    from ..files import check_out_file, write_output_file
    from ..professionals import compliance
    from ..professionals.display import reminders_workbook
    from ..professionals.ledger import current_employment
    from ..professionals.privacy import ReadLog, export_records

    lang = _lang(lang)
    day = _as_of(as_of)
    check_out_file(out, "--out", ".xlsx")
    registry, rules_ = _load(data, rules)
    _institution(registry, institution)
    reader = _reader(user, "institution_head", [institution])
    short = compliance(registry, day, rules_, institution_id=institution)
    short = short.merge(registry.persons[["person_id", "personal_number", "email"]],
                        on="person_id", how="left")
    log = ReadLog()
    shown = export_records(short, reader, log, purpose="reminders",
                           staff=current_employment(registry, day))
    inst = registry.institutions
    name = display_name(inst.loc[inst["institution_id"] == institution].iloc[0], lang)
    wb = reminders_workbook(shown, lang, name, day)
    write_output_file(wb, out, command="socialkit professionals reminders", force=force,
                      suffix=".xlsx")
    _append_log(log, read_log or out.parent / "read_log.csv")
    typer.echo(t("professionals.cli.reminders_written", lang, path=out, n=len(shown)))


@professionals_app.command("certificates", help=t("professionals.help.certificates", "en"))
def certificates_cmd(
    data: _Data,
    out: Annotated[Path, typer.Option(help="Folder for the PDFs.")],
    institution: Annotated[str, typer.Option(help="Institution: certificates of its staff "
                                             "and its report.")],
    session: Annotated[str | None, typer.Option(help="Only this session.")] = None,
    as_of: _AsOf = None,
    user: _User = "institution-head",
    read_log: _ReadLog = None,
    rules: _Rules = None,
    lang: _Lang = "en",
    force: Force = False,
) -> None:
    from ..files import check_out_dir, write_outputs
    from ..professionals import compliance
    from ..professionals.display import certificate_records, coverage
    from ..professionals.ledger import current_employment, points_ledger
    from ..professionals.privacy import ReadLog, export_records
    from ..reporting.professionals import certificate_pdf, institution_report_pdf

    lang = _lang(lang)
    day = _as_of(as_of)
    check_out_dir(out)
    registry, rules_ = _load(data, rules)
    _institution(registry, institution)
    reader = _reader(user, "institution_head", [institution])
    staff = current_employment(registry, day)
    mine = set(staff.loc[staff["institution_id"] == institution, "person_id"])
    records = certificate_records(registry, rules_)
    records = records[records["person_id"].isin(mine)]
    if session is not None:
        records = records[records["session_id"] == session]
    log = ReadLog()
    log.record(reader, sorted(set(records["person_id"])), "certificate")
    files = {f"certificate-{r.participation_id}-{lang}.pdf":
             certificate_pdf(r._asdict(), lang) for r in records.itertuples(index=False)}
    ledger = points_ledger(registry, rules_)
    cov = coverage(registry, day, rules_, ledger)
    short = export_records(compliance(registry, day, rules_, institution_id=institution,
                                      ledger=ledger), reader, log, purpose="report",
                           staff=staff)
    names = dict(zip(registry.institutions["institution_id"],
                     display_names(registry.institutions, lang), strict=True))
    required = rules_.rule_set_on(day).required_points
    files[f"report-{institution}-{lang}.pdf"] = institution_report_pdf(
        institution, day, cov, short, names, required, lang)
    write_outputs(files, out, command="socialkit professionals certificates", force=force)
    _append_log(log, read_log or Path(out) / "read_log.csv")
    typer.echo(t("professionals.cli.certificates_written", lang, out=out, n=len(records)))


@professionals_app.command("item-analysis", help=t("professionals.help.item_analysis", "en"))
def item_analysis_cmd(
    key: Annotated[Path, typer.Option(help="The test's key: YAML or XLSForm-like .xlsx.")],
    responses: Annotated[Path, typer.Option(help="Moodle quiz Responses or Grades CSV.")],
    out: Annotated[Path, typer.Option(help="Folder for items.csv, distractors.csv, "
                                      "scores.csv.")],
    lang: _Lang = "en",
    force: Force = False,
) -> None:
    from ..files import check_out_dir, write_outputs
    from ..professionals import distractor_analysis, item_analysis, read_key, read_moodle
    from ..professionals.assessment import test_scores

    lang = _lang(lang)
    check_out_dir(out)
    k = read_key(key)
    attempts = read_moodle(responses, k)
    res = item_analysis(attempts.scores, k.max_points)
    scores = test_scores(attempts.scores, k)  # anonymous candidate numbers only
    files = {"items.csv": res.items.round(4), "test.csv": res.test.round(4),
             "scores.csv": scores.reset_index()}
    if attempts.choices is not None:
        files["distractors.csv"] = distractor_analysis(attempts.choices, k,
                                                       attempts.scores).round(4)
    write_outputs(files, out, command="socialkit professionals item-analysis", force=force)
    row = res.test.iloc[0]
    typer.echo(t("professionals.cli.item_analysis_written", lang, out=out,
                 n=int(row["n_candidates"]), alpha=format_number(row["alpha"], lang, 3)))
    typer.echo(t("professionals.items.summary", lang, n=int(row["n_candidates"]),
                 k=int(row["n_items"]), alpha=format_number(row["alpha"], lang, 3),
                 mean=format_number(row["mean"], lang, 1),
                 max=format_number(k.max_points.sum(), lang), passed=int(scores["passed"].sum())))


@professionals_app.command("demo", help=t("professionals.help.demo", "en"))
def demo_cmd(out: Annotated[Path, typer.Option(help="Folder to write the demo into.")],
             lang: _Lang = "en", force: Force = False) -> None:
    from ..files import check_out_dir, write_outputs
    from ..professionals.demo import demo_files

    lang = _lang(lang)
    check_out_dir(out)
    files = demo_files()
    write_outputs(files, out, command="socialkit professionals demo", force=force)
    typer.echo(t("professionals.cli.demo_written", lang, out=out, n=len(files)))
