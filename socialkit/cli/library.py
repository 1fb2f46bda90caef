"""``socialkit library …``: the e-platform library from the command line — roles, uploads,
publishing, listing, an item's history and the registration of generated reports."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer

from ..i18n import t
from . import app
from ._checks import lang_help

library_app = typer.Typer(help="The e-platform library (documents, maps, videos of the "
                          "municipalities): roles, upload, publishing, reports.",
                          no_args_is_help=True)
app.add_typer(library_app, name="library")

_URL = Annotated[str | None, typer.Option(
    "--url", help="SQLAlchemy URL of the database (default: SOCIALKIT_DB_URL, or the SQLite "
    "file in the data dir).")]
_FILES = Annotated[Path | None, typer.Option(
    "--files", help="Folder of the library's files (default: SOCIALKIT_LIBRARY_DIR, or "
    "library/ in the data dir).")]
_LANG = Annotated[str, typer.Option(help=lang_help("Language of messages and titles."))]
_AS = Annotated[str | None, typer.Option(
    "--as", help="Act as this user, with their library roles (default: the administrator).")]


def _library(url: str | None, files: Path | None):
    from ..library import open_library

    return open_library(url, files)


def _reader(lib, user: str | None):
    from ..library import Reader

    return lib.reader(user, None) if user else Reader.system(getpass.getuser())


@library_app.command("grant")
def grant(
    user: Annotated[str, typer.Argument(help="Login name (as in the credentials file).")],
    role: Annotated[str, typer.Argument(help="editor or admin.")],
    municipality: Annotated[str | None, typer.Option(
        help="The municipality an editor edits (not for admin).")] = None,
    url: _URL = None, files: _FILES = None, lang: _LANG = "en",
) -> None:
    """Give a user a library role: editor of a municipality, or administrator."""
    lib = _library(url, files)
    lib.grant(_reader(lib, None), user, role, municipality)
    typer.echo(t("library.cli.granted", lang, user=user, role=role,
                 municipality=municipality or "*"), err=True)


@library_app.command("revoke")
def revoke(
    user: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Argument(help="editor or admin.")],
    municipality: Annotated[str | None, typer.Option()] = None,
    url: _URL = None, files: _FILES = None, lang: _LANG = "en",
) -> None:
    """Take a library role away."""
    lib = _library(url, files)
    n = lib.revoke(_reader(lib, None), user, role, municipality)
    typer.echo(t("library.cli.revoked", lang, user=user, role=role, n=n), err=True)


@library_app.command("add")
def add(
    file: Annotated[Path, typer.Argument(help="The file (PDF, DOCX, XLSX, ODT, PNG, JPEG, "
                                         "GeoJSON, MP4, WebM).", exists=True, dir_okay=False)],
    municipality: Annotated[str, typer.Option(help="Municipality id the item belongs to.")],
    item_type: Annotated[str, typer.Option(
        "--type", help="strategy, action_plan, passport, map, report, training_material, "
        "video or minutes.")],
    title: Annotated[list[str], typer.Option(
        help="Title as LANG=TEXT (repeatable: one per language), e.g. uk='Стратегія'.")],
    description: Annotated[list[str] | None, typer.Option(
        help="Description as LANG=TEXT (repeatable).")] = None,
    language: Annotated[str | None, typer.Option(
        help="Language of the content (none for a map or a silent video).")] = None,
    date: Annotated[str | None, typer.Option(help="Date of the item, YYYY-MM-DD "
                                             "(default: today).")] = None,
    tag: Annotated[list[str] | None, typer.Option(help="A tag (repeatable).")] = None,
    public: Annotated[bool, typer.Option(
        "--public/--internal", help="Everyone may see it once published, or only the "
        "municipality's officials.")] = False,
    programme: Annotated[str | None, typer.Option(
        help="A training material's programme id (registry of professionals).")] = None,
    publish: Annotated[bool, typer.Option(help="Publish at once (default: a draft).")] = False,
    as_user: _AS = None, url: _URL = None, files: _FILES = None, lang: _LANG = "en",
) -> None:
    """Upload a file to the library as a draft (or published with --publish)."""
    lib = _library(url, files)
    item = lib.add(_reader(lib, as_user), file.name, file.read_bytes(), municipality,
                   item_type=item_type, titles=_pairs(title, "--title"),
                   descriptions=_pairs(description or [], "--description"), language=language,
                   item_date=date, tags=tag or [], visibility="public" if public else "internal",
                   programme_id=programme, publish=publish, lang=lang)
    typer.echo(t("library.cli.added", lang, item=item.item_id, file=item.file_name,
                 status=t(f"library.status.{item.status}", lang)), err=True)
    typer.echo(str(item.item_id))


def _pairs(values: list[str], option: str) -> dict[str, str]:
    from ..library import LibraryError

    out: dict[str, str] = {}
    for value in values:
        lang, sep, text = value.partition("=")
        if not sep or not lang.strip():
            raise LibraryError("pair", option=option, value=value)
        out[lang.strip()] = text
    return out


def _step(name: str, doc: str):
    def command(
        item_id: Annotated[int, typer.Argument(help="Item id (see `socialkit library list`).")],
        version: Annotated[int | None, typer.Option(
            help="The version you saw (refused if someone changed it since).")] = None,
        as_user: _AS = None, url: _URL = None, files: _FILES = None, lang: _LANG = "en",
    ) -> None:
        lib = _library(url, files)
        item = getattr(lib, name)(_reader(lib, as_user), item_id, version)
        typer.echo(t("library.cli.status", lang, item=item.item_id,
                     status=t(f"library.status.{item.status}", lang)), err=True)

    command.__doc__ = doc
    library_app.command(name)(command)


_step("publish", "Publish a draft.")
_step("unpublish", "Take a published item back to draft.")
_step("withdraw", "Withdraw an item (kept with its history, listed to no one).")


@library_app.command("list")
def list_items(
    municipality: Annotated[str | None, typer.Option(help="Only this municipality.")] = None,
    item_type: Annotated[str | None, typer.Option("--type", help="Only this type.")] = None,
    search: Annotated[str | None, typer.Option(help="Text in a title, description or tag."
                                               )] = None,
    as_user: _AS = None, url: _URL = None, files: _FILES = None, lang: _LANG = "en",
) -> None:
    """List the items (those the user may see)."""
    lib = _library(url, files)
    frame = lib.items(_reader(lib, as_user), municipality_id=municipality, item_type=item_type,
                      text=search, lang=lang)
    cols = ["item_id", "municipality_id", "item_type", "status", "visibility", "item_date",
            "title"]
    typer.echo(frame[cols].to_string(index=False) if len(frame) else "-")


@library_app.command("history")
def history(
    item_id: Annotated[int, typer.Argument(help="Item id.")],
    as_user: _AS = None, url: _URL = None, files: _FILES = None,
) -> None:
    """Every change of an item: who, when, what, why."""
    lib = _library(url, files)
    frame = lib.history(_reader(lib, as_user), item_id)
    typer.echo(frame.to_string(index=False) if len(frame) else "-")


@library_app.command("register-reports")
def register_reports(
    folder: Annotated[Path | None, typer.Argument(
        help="Reports folder of `socialkit report` (default: the reports dir).")] = None,
    url: _URL = None, files: _FILES = None, lang: _LANG = "en",
) -> None:
    """Register the generated PDF reports as library items of type report (internal)."""
    from .. import config

    lib = _library(url, files)
    counts = lib.register_reports(folder or config.reports_dir())
    typer.echo(t("library.cli.registered", lang, **counts), err=True)


@library_app.command("moderate")
def moderate(
    comment_id: Annotated[int, typer.Argument(help="Comment id (see `socialkit library "
                                              "comments`).")],
    status: Annotated[str, typer.Argument(help="published or rejected.")],
    as_user: _AS = None, url: _URL = None, files: _FILES = None, lang: _LANG = "en",
) -> None:
    """Publish or reject a comment of the public consultation."""
    lib = _library(url, files)
    lib.moderate(_reader(lib, as_user), comment_id, status)
    typer.echo(t("views.library.comment_done", lang,
                 status=t(f"library.comment_status.{status}", lang)), err=True)


@library_app.command("comments")
def comments(
    item_id: Annotated[int, typer.Argument(help="Item id (the draft strategy).")],
    out: Annotated[Path | None, typer.Option(
        help="Write the moderated comments as a strategy cycle's comments.csv into this "
        "folder (to answer them).")] = None,
    force: Annotated[bool, typer.Option(help="Replace a comments.csv this command wrote.")
                     ] = False,
    as_user: _AS = None, url: _URL = None, files: _FILES = None,
) -> None:
    """The comments on an item; with --out, the moderated ones in the layout of a strategy
    cycle's comments.csv."""
    lib = _library(url, files)
    reader = _reader(lib, as_user)
    if out is None:
        frame = lib.comments(reader, item_id)
        typer.echo(frame.to_string(index=False) if len(frame) else "-")
        return
    from ..files import write_outputs

    write_outputs({"comments.csv": lib.comments_table(reader, item_id)}, out,
                  command="socialkit library comments", force=force)
    typer.echo(str(out / "comments.csv"))
