"""``socialkit professionals validate | ledger | compliance | reminders | certificates |
item-analysis | demo``.

Every command reads a registry, either from files (a folder of CSV files or an ``.xlsx`` with a
sheet per table, see docs/professionals.md) or, with ``--store``, from the suite's database
(``socialkit professionals import`` puts it there); and the points rules (``--rules``, default
the shipped ``training_points.yaml``).

* From files, exports of personal data pass the access rules of
  :mod:`socialkit.professionals.privacy` for ``--role`` and are recorded in a CSV read log
  (``--read-log``).
* From the store, the store decides (``--as USER``, the user's roles, checked on the server by
  :mod:`socialkit.store.registry`): the role a user reads in, whose records and which fields
  they get; every person read is recorded in the database's read log
  (``socialkit professionals read-log``).
"""

from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from ..config import default_lang
from ..errors import SocialkitError
from ..i18n import format_number, t
from . import app
from ._checks import Force, check_lang, lang_help

__all__ = ["professionals_app"]

professionals_app = typer.Typer(help=t("professionals.help.group", "en"), no_args_is_help=True)
app.add_typer(professionals_app, name="professionals")

_Data = Annotated[Path | None, typer.Argument(
    help="Registry: a folder of CSV files or an .xlsx (or --store).")]
_Store = Annotated[bool, typer.Option("--store", help="Read the registry from the database "
                                      "(SOCIALKIT_DB_URL or --url) with the rights of --as.")]
_URL = Annotated[str | None, typer.Option("--url", help="SQLAlchemy URL of the database "
                                          "(default: SOCIALKIT_DB_URL or the SQLite file).")]
_As = Annotated[str | None, typer.Option("--as", help="With --store: act as this user, with "
                                         "their roles (default: the administrator).")]
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


def _load(data: Path | None, rules_path: Path | None):
    from ..professionals import load_registry, load_rules

    if data is None:
        raise SocialkitError(t("professionals.cli.no_source", default_lang()))
    rules = load_rules(rules_path)
    return load_registry(data, rules), rules


@dataclass
class _Source:
    """A registry as one reader may see it: from files (``log`` collects the reads for the CSV
    read log) or from the store (the store logged the reads; ``reader`` is the role it chose)."""

    registry: object
    rules: object
    reader: object | None
    log: object
    stored: bool


def _open(data: Path | None, store: bool, url: str | None, user: str | None,
          rules_path: Path | None, day: str, purpose: str) -> _Source:
    from ..professionals import load_rules
    from ..professionals.privacy import Reader, ReadLog

    if not store:
        registry, rules = _load(data, rules_path)
        return _Source(registry, rules, None, ReadLog(), False)
    if data is not None:
        raise SocialkitError(t("professionals.cli.both_sources", default_lang(), data=data))
    from ..professionals.registry import stored_registry
    from ..store.registry import read_registry

    db, actor = _store_and_actor(url, user)
    got = read_registry(db, actor, day, purpose)
    heads = {i for i in actor.roles.get("head", ()) if i is not None}
    reader = Reader(user=actor.user, role=got.role, institutions=frozenset(heads))
    return _Source(stored_registry(got.tables), load_rules(rules_path), reader, ReadLog(), True)


def _store_and_actor(url: str | None, user: str | None):
    from ..store import Actor, open_store

    db = open_store(url)
    return db, (db.actor(user) if user else Actor.system(getpass.getuser()))


def _head_of(src: _Source, institution: str) -> None:
    """From the store, a head may only ask for an institution they head."""
    r = src.reader
    if src.stored and r.role == "institution_head" and institution not in r.institutions:
        from ..store import AccessDeniedError

        raise AccessDeniedError("registry_denied", user=r.user)


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
def ledger_cmd(out: Annotated[Path, typer.Option(help="CSV file to write.")],
               data: _Data = None, store: _Store = False, url: _URL = None, as_user: _As = None,
               as_of: _AsOf = None, rules: _Rules = None, lang: _Lang = "en",
               force: Force = False) -> None:
    from ..files import check_out_file, write_output_file
    from ..professionals import points_ledger

    lang = _lang(lang)
    check_out_file(out, "--out", ".csv")
    src = _open(data, store, url, as_user, rules, _as_of(as_of), "ledger")
    ledger = points_ledger(src.registry, src.rules)
    ledger["date"] = ledger["date"].dt.strftime("%Y-%m-%d")
    write_output_file(ledger, out, command="socialkit professionals ledger", force=force,
                      suffix=".csv")
    typer.echo(t("professionals.cli.ledger_written", lang, path=out, n=len(ledger)))


def _with_contacts(short, registry):
    cols = [c for c in ("person_id", "personal_number", "email") if c in registry.persons]
    return short.merge(registry.persons[cols], on="person_id", how="left")


@professionals_app.command("compliance", help=t("professionals.help.compliance", "en"))
def compliance_cmd(
    out: Annotated[Path, typer.Option(help="CSV file to write.")],
    data: _Data = None,
    as_of: _AsOf = None,
    institution: Annotated[str | None, typer.Option(help="Only this institution's staff.")]
    = None,
    role: Annotated[str, typer.Option(help="Role of the recipient (fields they may see); from "
                                      "the store, the user's roles decide.")]
    = "province",
    user: _User = "cli",
    read_log: _ReadLog = None,
    horizon_days: Annotated[int, typer.Option(help="Due when act-by is within this many "
                                              "days.")] = 365,
    store: _Store = False, url: _URL = None, as_user: _As = None,
    rules: _Rules = None,
    lang: _Lang = "en",
    force: Force = False,
) -> None:
    from ..files import check_out_file, write_output_file
    from ..professionals import compliance
    from ..professionals.ledger import current_employment
    from ..professionals.privacy import export_records

    lang = _lang(lang)
    day = _as_of(as_of)
    check_out_file(out, "--out", ".csv")
    src = _open(data, store, url, as_user, rules, day, "compliance")
    registry = src.registry
    if institution is not None:
        _institution(registry, institution)
        if src.stored:
            _head_of(src, institution)
    reader = src.reader or _reader(user, role, [institution] if institution else [])
    short = compliance(registry, day, src.rules, institution_id=institution,
                       horizon_days=horizon_days)
    shown = export_records(_with_contacts(short, registry), reader, src.log,
                           purpose="compliance", staff=current_employment(registry, day))
    for col in ("valid_to", "act_by", "next_session_date"):
        if col in shown:
            shown[col] = shown[col].dt.strftime("%Y-%m-%d")
    write_output_file(shown, out, command="socialkit professionals compliance", force=force,
                      suffix=".csv")
    if not src.stored:
        _append_log(src.log, read_log or out.parent / "read_log.csv")
    typer.echo(t("professionals.cli.compliance_written", lang, path=out, n=len(shown)))


@professionals_app.command("reminders", help=t("professionals.help.reminders", "en"))
def reminders_cmd(
    institution: Annotated[str, typer.Option(help="The institution whose head gets the list.")],
    out: Annotated[Path, typer.Option(help="The .xlsx workbook to write.")],
    data: _Data = None,
    as_of: _AsOf = None,
    user: _User = "institution-head",
    read_log: _ReadLog = None,
    store: _Store = False, url: _URL = None, as_user: _As = None,
    rules: _Rules = None,
    lang: _Lang = "en",
    force: Force = False,
) -> None:
    from ..files import check_out_file, write_output_file
    from ..professionals import compliance
    from ..professionals.display import institution_names, reminders_workbook
    from ..professionals.ledger import current_employment
    from ..professionals.privacy import export_records

    lang = _lang(lang)
    day = _as_of(as_of)
    check_out_file(out, "--out", ".xlsx")
    src = _open(data, store, url, as_user, rules, day, "reminders")
    registry = src.registry
    _institution(registry, institution)
    _head_of(src, institution)
    reader = src.reader or _reader(user, "institution_head", [institution])
    short = compliance(registry, day, src.rules, institution_id=institution)
    shown = export_records(_with_contacts(short, registry), reader, src.log,
                           purpose="reminders", staff=current_employment(registry, day))
    name = institution_names(registry.institutions, lang)[institution]
    wb = reminders_workbook(shown, lang, name, day)
    write_output_file(wb, out, command="socialkit professionals reminders", force=force,
                      suffix=".xlsx")
    if not src.stored:
        _append_log(src.log, read_log or out.parent / "read_log.csv")
    typer.echo(t("professionals.cli.reminders_written", lang, path=out, n=len(shown)))


@professionals_app.command("certificates", help=t("professionals.help.certificates", "en"))
def certificates_cmd(
    out: Annotated[Path, typer.Option(help="Folder for the PDFs.")],
    institution: Annotated[str, typer.Option(help="Institution: certificates of its staff "
                                             "and its report.")],
    data: _Data = None,
    session: Annotated[str | None, typer.Option(help="Only this session.")] = None,
    as_of: _AsOf = None,
    user: _User = "institution-head",
    read_log: _ReadLog = None,
    store: _Store = False, url: _URL = None, as_user: _As = None,
    rules: _Rules = None,
    lang: _Lang = "en",
    force: Force = False,
) -> None:
    from ..files import check_out_dir, write_outputs
    from ..professionals import compliance
    from ..professionals.display import certificate_records, coverage, institution_names
    from ..professionals.ledger import current_employment, points_ledger
    from ..professionals.privacy import export_records
    from ..reporting.professionals import certificate_pdf, institution_report_pdf

    lang = _lang(lang)
    day = _as_of(as_of)
    check_out_dir(out)
    src = _open(data, store, url, as_user, rules, day, "certificate")
    registry, rules_ = src.registry, src.rules
    _institution(registry, institution)
    _head_of(src, institution)
    reader = src.reader or _reader(user, "institution_head", [institution])
    staff = current_employment(registry, day)
    mine = set(staff.loc[staff["institution_id"] == institution, "person_id"])
    records = certificate_records(registry, rules_)
    records = records[records["person_id"].isin(mine)]
    if session is not None:
        records = records[records["session_id"] == session]
    src.log.record(reader, sorted(set(records["person_id"])), "certificate")
    files = {f"certificate-{r.participation_id}-{lang}.pdf":
             certificate_pdf(r._asdict(), lang) for r in records.itertuples(index=False)}
    ledger = points_ledger(registry, rules_)
    cov = coverage(registry, day, rules_, ledger)
    short = export_records(compliance(registry, day, rules_, institution_id=institution,
                                      ledger=ledger), reader, src.log, purpose="report",
                           staff=staff)
    names = institution_names(registry.institutions, lang)
    required = rules_.rule_set_on(day).required_points
    files[f"report-{institution}-{lang}.pdf"] = institution_report_pdf(
        institution, day, cov, short, names, required, lang)
    write_outputs(files, out, command="socialkit professionals certificates", force=force)
    if not src.stored:
        _append_log(src.log, read_log or Path(out) / "read_log.csv")
    typer.echo(t("professionals.cli.certificates_written", lang, out=out, n=len(records)))


@professionals_app.command("overview", help=t("professionals.help.overview", "en"))
def overview_cmd(
    out: Annotated[Path, typer.Option(help="The PDF to write.")],
    data: _Data = None,
    as_of: _AsOf = None,
    store: _Store = False, url: _URL = None, as_user: _As = None,
    rules: _Rules = None,
    lang: _Lang = "en",
    force: Force = False,
) -> None:
    """The province's overview: coverage and compliance counts of every institution, no
    names (counts 1-4 blank)."""
    from ..files import check_out_file, write_output_file
    from ..professionals.display import coverage, institution_names
    from ..reporting.professionals import institution_report_pdf

    lang = _lang(lang)
    day = _as_of(as_of)
    check_out_file(out, "--out", ".pdf")
    src = _open(data, store, url, as_user, rules, day, "overview")
    if src.stored and src.reader.role == "institution_head":
        from ..store import AccessDeniedError

        raise AccessDeniedError("registry_denied", user=src.reader.user)
    cov = coverage(src.registry, day, src.rules)
    names = institution_names(src.registry.institutions, lang)
    required = src.rules.rule_set_on(day).required_points
    pdf = institution_report_pdf("*", day, cov, cov.iloc[0:0], names, required, lang,
                                 province=True)
    write_output_file(pdf, out, command="socialkit professionals overview", force=force,
                      suffix=".pdf")
    typer.echo(t("professionals.cli.overview_written", lang, path=out,
                 n=int((cov["institution_id"] != "*").sum())))


@professionals_app.command("import", help=t("professionals.help.import", "en"))
def import_cmd(
    data: Annotated[Path, typer.Argument(help="Registry: a folder of CSV files or an .xlsx.")],
    parent: Annotated[str | None, typer.Option(help="Store institution the registry's "
                                               "institutions belong under (e.g. the "
                                               "provincial institute).")] = None,
    url: _URL = None, as_user: _As = None, rules: _Rules = None, lang: _Lang = "en",
) -> None:
    """Check a registry (every problem named by file, row and column) and save it in the
    database, replacing the registry there: all or nothing."""
    from ..professionals.registry import TABLES, _raw
    from ..store.registry import save_registry

    lang = _lang(lang)
    registry, _ = _load(data, rules)
    db, actor = _store_and_actor(url, as_user)
    counts = save_registry(db, actor, {t_: _raw(registry, t_) for t_ in TABLES},
                           parent_id=parent)
    typer.echo(t("professionals.cli.imported", lang, persons=counts["persons"],
                 participations=counts["participations"]))


@professionals_app.command("add-participations",
                           help=t("professionals.help.add_participations", "en"))
def add_participations_cmd(
    file: Annotated[Path, typer.Argument(help="CSV of participations: participation_id, "
                                         "person_id, session_id, role.")],
    url: _URL = None, as_user: _As = None, rules: _Rules = None, lang: _Lang = "en",
) -> None:
    """Add participations to the registry in the database: an unknown person or session, a
    session outside its programme's accreditation, points claimed twice, a role the rules do
    not define — each refused with file, row and column; nothing is added then."""
    from ..professionals import add_participations, load_rules
    from ..professionals.registry import _read_csv, stored_registry
    from ..store.registry import add_participations as store_add
    from ..store.registry import read_registry

    lang = _lang(lang)
    if not file.is_file():
        raise SocialkitError(t("professionals.cli.no_file", default_lang(), path=file))
    new = _read_csv(file)
    rules_ = load_rules(rules)
    db, actor = _store_and_actor(url, as_user)
    from ..store.registry import _require_registry_admin

    _require_registry_admin(actor, "participations")
    current = stored_registry(read_registry(db, actor, dt.date.today(), "import").tables)
    add_participations(current, new, source=str(file), rules=rules_)  # raises on any problem
    n = store_add(db, actor, new)
    typer.echo(t("professionals.cli.participations_added", lang, n=n, path=file))


@professionals_app.command("read-log", help=t("professionals.help.read_log", "en"))
def read_log_cmd(
    out: Annotated[Path, typer.Option(help="CSV file to write.")],
    person: Annotated[str | None, typer.Option(help="Only reads of this person's record.")]
    = None,
    url: _URL = None, as_user: _As = None, lang: _Lang = "en", force: Force = False,
) -> None:
    """Write the database's read log (who read whose record, when, why): administrators
    only."""
    from ..files import check_out_file, write_output_file
    from ..store.registry import read_log

    lang = _lang(lang)
    check_out_file(out, "--out", ".csv")
    db, actor = _store_and_actor(url, as_user)
    log = read_log(db, actor, [person] if person else None)
    write_output_file(log, out, command=_LOG_COMMAND, force=force, suffix=".csv")
    typer.echo(t("professionals.cli.read_log_written", lang, path=out, n=len(log)))


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
