"""``socialkit entry …``: forms into the store — register forms, bulk import, the workflow
steps, rule violations and outliers for follow-up (docs/forms.md, "Entering data")."""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import Annotated

import typer

from ..errors import SocialkitError
from ..i18n import t, tn
from . import app
from ._checks import Force, check_choice, lang_help
from .db import _LANG, _URL

entry_app = typer.Typer(help="Enter data with the forms into the store: register forms, bulk "
                        "import, submit / approve / return / accept, follow-up lists.",
                        no_args_is_help=True)
app.add_typer(entry_app, name="entry")

_AS = Annotated[str | None, typer.Option(
    "--as", help="Act as this user, with the roles the store gives them (default: the "
    "administrator).")]
_FORM = Annotated[str, typer.Argument(
    help="A shipped form (providers, domestic_violence, csw_state, residential, "
    "research_template) or the path of an XLSForm .xlsx.")]


def _lg(lang: str) -> str:
    from ..config import resolve_lang

    return resolve_lang(lang)


def _form(name: str, lang: str):
    from ..forms import SHIPPED_FORMS, form_path, load_form

    path = Path(name)
    if path.suffix.lower() == ".xlsx" or path.exists():
        return load_form(path)
    if name in SHIPPED_FORMS:
        return load_form(form_path(name))
    raise SocialkitError(t("entry.cli.no_form", _lg(lang), form=name,
                           forms=", ".join(SHIPPED_FORMS)))


def _store_and_actor(url: str | None, user: str | None):
    from ..store import Actor, open_store

    store = open_store(url)
    return store, (store.actor(user) if user else Actor.system(getpass.getuser()))


def _store_errors(lang: str):
    """Re-raise a store refusal as a plain message in ``lang``."""
    from contextlib import contextmanager

    from ..store import StoreError

    @contextmanager
    def guard():
        try:
            yield
        except StoreError as exc:
            raise SocialkitError(exc.render(_lg(lang))) from None

    return guard()


@entry_app.command("register")
def register(
    forms: Annotated[list[str] | None, typer.Argument(
        help="Forms to register (default: the five shipped instruments).")] = None,
    url: _URL = None, lang: _LANG = "en",
) -> None:
    """Make forms known to the store (a `sensitive` form is restricted to the dv right)."""
    from ..store.entry import register_form, register_shipped_forms

    store, admin = _store_and_actor(url, None)
    if forms:
        loaded = [_form(name, lang) for name in forms]
        for form in loaded:
            register_form(store, admin, form)
    else:
        loaded = register_shipped_forms(store, admin)
    for form in loaded:
        typer.echo(t("entry.cli.registered", _lg(lang), form=form.form_id,
                     version=form.version), err=True)


@entry_app.command("import")
def import_(
    form: _FORM,
    file: Annotated[Path, typer.Argument(help="Excel (.xlsx) or CSV in the form's layout, or a "
                                         "KoboToolbox / ODK Central export.")],
    institution_id: Annotated[str | None, typer.Option(
        "--institution", help="The institution of every row (else the institution_id "
        "column).")] = None,
    period: Annotated[str | None, typer.Option(
        help="The period of every row, e.g. 2026Q1 (else the period column).")] = None,
    reason: Annotated[str | None, typer.Option(help="Why (kept in the audit trail).")] = None,
    as_user: _AS = None, url: _URL = None, lang: _LANG = "en",
) -> None:
    """Import a file as drafts: every row validated; all rows saved, or none."""
    from ..store.entry import import_entries

    loaded = _form(form, lang)
    store, actor = _store_and_actor(url, as_user)
    with _store_errors(lang):
        saved = import_entries(store, actor, loaded, file, institution_id=institution_id,
                               period=period, lang=lang, reason=reason)
    typer.echo(tn("entry.cli.imported", len(saved), _lg(lang), file=file.name,
                  form=loaded.form_id))


def _step(action: str, record_id: int, comment: str | None, as_user: str | None,
          url: str | None, lang: str, form: str | None) -> None:
    from ..store.entry import submit_entry

    store, actor = _store_and_actor(url, as_user)
    with _store_errors(lang):
        rec = store.record(actor, record_id)
        if action == "submit":
            loaded = _form(form or rec.form_id, lang)
            rec = submit_entry(store, actor, loaded, record_id, rec.version, lang=lang,
                               comment=comment)
        else:
            method = {"approve": store.approve, "return": store.return_record,
                      "accept": store.accept, "reopen": store.reopen}[action]
            rec = method(actor, record_id, rec.version, comment)
    typer.echo(t("entry.cli.step_done", _lg(lang), record=rec.label,
                 status=t(f"store.status.{rec.status}", _lg(lang)), version=rec.version))


_RECORD = Annotated[int, typer.Argument(help="Record id (see `socialkit db records`).")]
_COMMENT = Annotated[str | None, typer.Option(help="A comment (kept with the record).")]
_WHY = Annotated[str, typer.Option("--comment", help="Why (required; the institution sees it).")]


@entry_app.command("submit")
def submit(record_id: _RECORD, comment: _COMMENT = None,
           form: Annotated[str | None, typer.Option(
               help="The form to validate with, if not a shipped one (path).")] = None,
           as_user: _AS = None, url: _URL = None, lang: _LANG = "en") -> None:
    """Submit a draft for approval (refused while a required field is empty or wrong)."""
    _step("submit", record_id, comment, as_user, url, lang, form)


@entry_app.command("approve")
def approve(record_id: _RECORD, comment: _COMMENT = None, as_user: _AS = None,
            url: _URL = None, lang: _LANG = "en") -> None:
    """Approve a submitted record (the institution's head); it is locked from then on."""
    _step("approve", record_id, comment, as_user, url, lang, None)


@entry_app.command("return")
def return_(record_id: _RECORD, comment: _WHY, as_user: _AS = None, url: _URL = None,
            lang: _LANG = "en") -> None:
    """Send a record back to draft with a comment (head: submitted; province: approved)."""
    _step("return", record_id, comment, as_user, url, lang, None)


@entry_app.command("accept")
def accept(record_id: _RECORD, comment: _COMMENT = None, as_user: _AS = None,
           url: _URL = None, lang: _LANG = "en") -> None:
    """Accept an approved record (the province): from then on reports use it."""
    _step("accept", record_id, comment, as_user, url, lang, None)


@entry_app.command("reopen")
def reopen(record_id: _RECORD, comment: _WHY, as_user: _AS = None, url: _URL = None,
           lang: _LANG = "en") -> None:
    """Unlock a record for editing (head: approved; province: accepted), with the reason."""
    _step("reopen", record_id, comment, as_user, url, lang, None)


@entry_app.command("check")
def check(
    form: _FORM,
    status: Annotated[str | None, typer.Option(help="Only records of this status.")] = None,
    rules: Annotated[Path | None, typer.Option(help="A rules YAML file (default: the shipped "
                                               "form's).")] = None,
    as_user: _AS = None, url: _URL = None, lang: _LANG = "en",
) -> None:
    """List rule violations and outliers among the records you may read, for follow-up."""
    from ..store.entry import follow_up

    loaded = _form(form, lang)
    store, actor = _store_and_actor(url, as_user)
    with _store_errors(lang):
        violations, outliers = follow_up(store, actor, loaded, lang=lang, status=status,
                                         rules_file=rules)
    lg = _lg(lang)
    typer.echo(tn("entry.cli.violations", len(violations), lg, form=loaded.form_id))
    for v in violations.itertuples(index=False):
        typer.echo(f"  [{v.importance}] {v.institution_id} {v.period}: {v.rule} "
                   f"({_num(v.left)} {v.operator} {_num(v.right)})")
        if v.instruction:
            typer.echo(f"      {v.instruction}")
    typer.echo(tn("entry.cli.outliers", len(outliers), lg, form=loaded.form_id))
    for o in outliers.itertuples(index=False):
        typer.echo(f"  {o.institution_id} {o.period}: {loaded.label(o.field, lang)} = "
                   f"{_num(o.value)} (median {_num(o.median)}, z = {o.z:.1f})")


def _num(value: object) -> str:
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return json.dumps(value, ensure_ascii=False)
    if f != f:
        return "∅"
    return f"{f:g}"


@entry_app.command("dv-tables")
def dv_tables_cmd(
    unit: Annotated[str, typer.Option(
        help="Rows per municipality, institution (CSW) or the whole province.")] = "municipality",
    out: Annotated[Path | None, typer.Option(
        help="Write victims.csv, forms.csv and measures.csv into this folder.")] = None,
    as_user: _AS = None, url: _URL = None, lang: _LANG = "en",
) -> None:
    """Domestic-violence tables of the accepted records, with small counts suppressed."""
    from ..disclosure import suppression_note
    from ..protection import dv_tables

    units = {"municipality": "municipality_id", "institution": "institution_id",
             "province": None}
    if unit not in units:
        raise SocialkitError(t("entry.cli.bad_unit", _lg(lang), unit=unit,
                               units=", ".join(units)))
    store, actor = _store_and_actor(url, as_user)
    with _store_errors(lang):
        records = store.accepted(actor, "domestic_violence")
    tables = dv_tables(records, unit=units[unit], lang=_lg(lang))
    mark = t("passport.suppressed", _lg(lang))
    if out is not None:
        from ..files import write_outputs

        write_outputs({f"{name}.csv": getattr(tables, name)
                       for name in ("victims", "forms", "measures")},
                      out, command="socialkit entry dv-tables")
    typer.echo(tn("entry.cli.dv_records", len(records), _lg(lang)))
    for row in tables.victims.itertuples(index=False):
        where = " ".join(str(getattr(row, c)) for c in (units[unit], "period") if c)
        value = mark if pd_isna(row.victims) else str(row.victims)
        typer.echo(f"  {where}  {row.label}: {value}")
    typer.echo(suppression_note(_lg(lang)))


@entry_app.command("export")
def export_cmd(
    form: _FORM,
    out: Annotated[Path, typer.Option(help="The CSV file to write.")],
    how: Annotated[str, typer.Option(
        help="When a class of fewer than k people is found: refuse (write nothing), "
        "generalise (quarter to year, municipality to district, until it holds) or suppress "
        "(blank those counts, leave out those respondents).")] = "refuse",
    quasi: Annotated[str | None, typer.Option(
        help="Quasi-identifiers, comma-separated (default: the form's, record_exports.yaml)."
    )] = None,
    k: Annotated[int | None, typer.Option(
        help="Smallest class (default: the form's; never below 5).")] = None,
    spec: Annotated[Path | None, typer.Option(
        help="Another record-exports file (default: the shipped record_exports.yaml).")] = None,
    as_user: _AS = None, url: _URL = None, lang: _LANG = "en", force: Force = False,
) -> None:
    """Record-level export of the accepted records of a form (those the user may read), only
    when k-anonymity holds over its quasi-identifiers."""
    from ..files import check_out_file, write_output_file
    from ..protection.exports import HOW, district_hierarchy, export_records, export_spec

    lg = _lg(lang)
    check_choice("--how", how, HOW)
    check_out_file(out, "--out", ".csv")
    loaded = _form(form, lang)
    qi = [q.strip() for q in quasi.split(",") if q.strip()] if quasi else None
    entry = export_spec(loaded.form_id, spec_path=spec, quasi_identifiers=qi, k=k)
    store, actor = _store_and_actor(url, as_user)
    with _store_errors(lang):
        records = store.records(actor, form_id=loaded.form_id, status="accepted", values=True)
        hierarchy = district_hierarchy(store.institutions(actor))
    if records.empty:
        raise SocialkitError(t("entry.cli.export_none", lg, form=loaded.form_id))
    result = export_records(records, loaded.form_id, how=how, spec=entry, hierarchy=hierarchy,
                            what=out.name, lang=lg)
    write_output_file(result.frame, out, command="socialkit entry export", force=force,
                      suffix=".csv")
    typer.echo(result.check.message(lg, what=out.name))
    if result.generalised:
        typer.echo(t("entry.cli.export_generalised", lg, qi=", ".join(result.generalised)))
    if result.suppressed_classes or result.dropped_rows:
        typer.echo(t("entry.cli.export_suppressed", lg, classes=result.suppressed_classes,
                     rows=result.dropped_rows))
    if result.blanked_cells:
        typer.echo(t("entry.cli.export_blanked", lg, cells=result.blanked_cells))
    typer.echo(t("entry.cli.export_written", lg, path=out, rows=len(result.frame)))


@entry_app.command("report")
def report_cmd(
    catalog: Annotated[Path, typer.Option(
        help="Intake catalog of the store (catalogs/store_sqlite.yaml; with the entry "
        "accepted_values_restricted for domestic violence).")],
    out: Annotated[Path, typer.Option(help="Folder for the PDFs.")],
    municipality: Annotated[list[str] | None, typer.Option(
        help="A municipality (repeat for several; default: every one with a centre).")] = None,
    province: Annotated[bool, typer.Option(help="Also the province's report.")] = True,
    db_url: Annotated[str | None, typer.Option(
        "--db-url", help="The catalog's db_url (default: its own, SOCIALKIT_DB_URL).")] = None,
    benchmarks: Annotated[Path | None, typer.Option(
        help="Benchmarks file (default: socialkit/frameworks/store_report.yaml).")] = None,
    lang: Annotated[str, typer.Option(help=lang_help(
        "Language of the report; its sentences are written in English and Serbian, the "
        "others read them in English until translated."))] = "en",
    force: Force = False,
) -> None:
    """PDF reports from the accepted records: one per municipality (its centre for social
    work, providers, residential institutions, domestic violence) and one for the province."""
    from ..config import SUPPORTED_LANGS
    from ..files import write_outputs
    from ..frameworks.store_report import load_benchmarks
    from ..protection.overview import overview, read_store, store_units
    from ..reporting.store_report import store_report_pdf

    lg = _lg(lang)
    check_choice("--lang", lg, SUPPORTED_LANGS)
    data = read_store(catalog, db_url)
    bench = load_benchmarks(benchmarks)
    units = municipality or store_units(data)
    prov = overview(data, benchmarks=bench)
    files = {}
    for unit in units:
        ov = overview(data, unit, benchmarks=bench)
        files[f"{unit}_{lg}.pdf"] = store_report_pdf(ov, data.institutions, lg, province=prov)
    if province:
        files[f"province_{lg}.pdf"] = store_report_pdf(prov, data.institutions, lg)
    written = write_outputs(files, out, command="socialkit entry report", force=force)
    typer.echo(t("entry.cli.report_written", lg, n=len(written), path=out))


def pd_isna(value: object) -> bool:
    import pandas as pd

    return bool(pd.isna(value))
