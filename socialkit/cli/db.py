"""``socialkit db …``: the store's schema, institutions and roles, and a record's audit trail."""

from __future__ import annotations

import getpass
import json
from typing import Annotated

import typer

from ..i18n import t, tn
from . import app
from ._checks import lang_help

db_app = typer.Typer(help="The suite's database (SQLite file by default, PostgreSQL through "
                     "SOCIALKIT_DB_URL): schema, institutions, roles, audit trail.",
                     no_args_is_help=True)
app.add_typer(db_app, name="db")

_URL = Annotated[str | None, typer.Option(
    "--url", help="SQLAlchemy URL of the database (default: SOCIALKIT_DB_URL, or the SQLite "
    "file in the data dir).")]
_LANG = Annotated[str, typer.Option(help=lang_help("Language of messages."))]
_AS = Annotated[str | None, typer.Option(
    "--as", help="Act as this user, with their roles (default: the administrator).")]


def _engine(url: str | None):
    from ..store import create_store_engine

    return create_store_engine(url)


def _store_and_actor(url: str | None, user: str | None):
    from ..store import Actor, open_store

    store = open_store(url)
    return store, (store.actor(user) if user else Actor.system(getpass.getuser()))


@db_app.command("upgrade")
def upgrade(url: _URL = None, lang: _LANG = "en") -> None:
    """Bring the database to the newest schema (back it up first; see docs/store.md)."""
    from ..store import schema

    engine = _engine(url)
    try:
        before = schema.status(engine)
        after = schema.upgrade(engine)
    finally:
        engine.dispose()
    key = "store.cli.up_to_date" if before.current == after.current else "store.cli.upgraded"
    typer.echo(t(key, lang, url=after.url, old=before.current or "-", revision=after.current))


@db_app.command("status")
def status(url: _URL = None, lang: _LANG = "en") -> None:
    """Where the database's schema stands; exit code 1 when it needs `socialkit db upgrade`."""
    from ..store import schema

    engine = _engine(url)
    try:
        st = schema.status(engine)
    finally:
        engine.dispose()
    if st.up_to_date:
        typer.echo(t("store.cli.status_ok", lang, url=st.url, revision=st.current))
        return
    if st.current is None and st.foreign_tables:
        typer.echo(t("store.cli.status_foreign", lang, url=st.url,
                     tables=", ".join(st.foreign_tables[:5])))
    elif st.current is None:
        typer.echo(t("store.cli.status_empty", lang, url=st.url, head=st.head))
    else:
        typer.echo(t("store.cli.status_behind", lang, url=st.url, current=st.current,
                     head=st.head))
    raise typer.Exit(1)


@db_app.command("institution")
def institution(
    institution_id: Annotated[str, typer.Argument(help="Stable id, e.g. csw-novi-sad.")],
    kind: Annotated[str, typer.Option(help="csw, residential, provider, province, …")],
    name: Annotated[str, typer.Option(help="Name as people write it.")],
    municipality: Annotated[str | None, typer.Option(help="Municipality id.")] = None,
    parent: Annotated[str | None, typer.Option(help="Id of the institution above it.")] = None,
    url: _URL = None, lang: _LANG = "en",
) -> None:
    """Add an institution or change it."""
    store, admin = _store_and_actor(url, None)
    store.add_institution(admin, institution_id, kind, name, municipality, parent)
    typer.echo(t("store.cli.institution_saved", lang, institution=institution_id), err=True)


@db_app.command("grant")
def grant(
    user: Annotated[str, typer.Argument(help="Login name (as in the credentials file).")],
    role: Annotated[str, typer.Argument(help="worker, head, province or dv.")],
    institution_id: Annotated[str | None, typer.Option(
        "--institution", help="Where the role applies (province and dv: omit for all).")] = None,
    url: _URL = None, lang: _LANG = "en",
) -> None:
    """Give a user a role at an institution."""
    store, admin = _store_and_actor(url, None)
    store.grant(admin, user, role, institution_id)
    typer.echo(t("store.cli.granted", lang, user=user, role=role,
                 institution=institution_id or t("store.cli.everywhere", lang)), err=True)


@db_app.command("revoke")
def revoke(
    user: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Argument(help="worker, head, province or dv.")],
    institution_id: Annotated[str | None, typer.Option("--institution")] = None,
    url: _URL = None, lang: _LANG = "en",
) -> None:
    """Take a role away from a user."""
    store, admin = _store_and_actor(url, None)
    n = store.revoke(admin, user, role, institution_id)
    typer.echo(tn("store.cli.revoked", n, lang, user=user, role=role), err=True)


@db_app.command("records")
def records(
    form: Annotated[str | None, typer.Option(help="Only this form.")] = None,
    status: Annotated[str | None, typer.Option(help="draft, submitted, approved, accepted."
                                               )] = None,
    as_user: _AS = None, url: _URL = None,
) -> None:
    """List the records (those the user may read)."""
    store, actor = _store_and_actor(url, as_user)
    frame = store.records(actor, form_id=form, status=status)
    typer.echo(frame.to_string(index=False) if len(frame) else "-")


@db_app.command("history")
def history(
    record_id: Annotated[int | None, typer.Argument(help="Record id (see `socialkit db "
                                                    "records`).")] = None,
    form: Annotated[str | None, typer.Option(help="Form id (instead of the record id).")] = None,
    institution_id: Annotated[str | None, typer.Option("--institution")] = None,
    period: Annotated[str | None, typer.Option(help="Period, e.g. 2026Q1.")] = None,
    as_user: _AS = None, url: _URL = None, lang: _LANG = "en",
) -> None:
    """The audit trail of a record: every saved state, who, when, old → new, why."""
    from ..errors import SocialkitError

    store, actor = _store_and_actor(url, as_user)
    if record_id is None:
        if not (form and institution_id and period):
            raise SocialkitError(t("store.cli.history_which", lang))
        rec = store.get(actor, form, institution_id, period)
        if rec is None:
            raise SocialkitError(t("store.errors.no_record", lang,
                                   record=f"{form} / {institution_id} / {period}"))
        record_id = rec.record_id
    rec = store.record(actor, record_id)
    typer.echo(t("store.cli.history_head", lang, record=rec.label, id=rec.record_id,
                 status=t(f"store.status.{rec.status}", lang), version=rec.version))
    for row in store.history(actor, record_id).itertuples(index=False):
        typer.echo(t("store.cli.history_line", lang, version=row.version,
                     action=t(f"store.action.{row.action}", lang), user=row.saved_by,
                     at=f"{row.saved_at:%Y-%m-%d %H:%M:%S}",
                     status=t(f"store.status.{row.status}", lang)))
        if row.reason:
            typer.echo("    " + t("store.cli.history_reason", lang, reason=row.reason))
        for field, (old, new) in (row.changes or {}).items():
            typer.echo(f"    {field}: {_show(old)} → {_show(new)}")


def _show(value: object) -> str:
    return "∅" if value is None else json.dumps(value, ensure_ascii=False)
