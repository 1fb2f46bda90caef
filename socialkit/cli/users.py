"""``socialkit users add|remove|migrate``: the dashboard's credentials (hashes) and scopes."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from ..errors import SocialkitError
from ..i18n import t
from . import app
from ._checks import lang_help

users_app = typer.Typer(help="Dashboard users: passwords (stored as argon2 hashes) and the "
                        "municipalities each may see.", no_args_is_help=True)
app.add_typer(users_app, name="users")

_CREDENTIALS = Annotated[Path, typer.Option(
    "--credentials", help="Credentials file (JSON user -> argon2 hash) that "
    "`socialkit serve --basic-auth` reads; created if missing.")]
_LANG = Annotated[str, typer.Option(help=lang_help("Language of messages."))]


def _read_password(user: str, stdin: bool, lang: str) -> str:
    from ..views.credentials import MIN_PASSWORD_LENGTH

    if stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise SocialkitError(t("security.users.no_password", lang))
    else:
        password = typer.prompt(t("security.users.password", lang, user=user), hide_input=True,
                                confirmation_prompt=True)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise SocialkitError(t("security.users.password_short", lang, n=MIN_PASSWORD_LENGTH))
    return password


def _write_users(path: Path, user: str, value: str | list[str] | None) -> None:
    """Set (or with ``None`` remove) ``user``'s entry of the users file, keeping the others."""
    import yaml

    from ..views.scope import load_users

    entries: dict = {}
    if path.exists():
        load_users(path)  # refuse to rewrite a malformed file
        text = path.read_text(encoding="utf-8")
        entries = dict(json.loads(text) if path.suffix == ".json" else yaml.safe_load(text))
    if value is None:
        entries.pop(user, None)
    else:
        entries[user] = value
    text = (json.dumps(entries, indent=2, ensure_ascii=False) + "\n" if path.suffix == ".json"
            else yaml.safe_dump(entries, allow_unicode=True, sort_keys=True))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


@users_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Login name.")],
    credentials: _CREDENTIALS,
    users: Annotated[Path | None, typer.Option(
        help="Users file (YAML/JSON user -> municipality ids) to record the scope in.")] = None,
    municipality: Annotated[list[str] | None, typer.Option(
        help="Municipality id the user may see (repeatable).")] = None,
    customer: Annotated[list[str] | None, typer.Option(
        help="Customer of the state social order (a district executive committee's "
             "customer_id) whose competitions and contracts the user may see (repeatable).")
    ] = None,
    all_municipalities: Annotated[bool, typer.Option(
        "--all", help="The user may see every municipality.")] = False,
    password_stdin: Annotated[bool, typer.Option(
        help="Read the password from the first line of standard input instead of prompting.")
    ] = False,
    lang: _LANG = "en",
) -> None:
    """Add a user, or set a user's password (asked twice, stored only as an argon2 hash)."""
    from ..views.credentials import (
        hash_password,
        is_hash,
        read_credentials_raw,
        write_credentials,
    )

    municipality = [*(municipality or []), *(customer or [])]  # one scope: ids the user sees
    if municipality and all_municipalities:
        raise SocialkitError(t("security.users.scope_conflict", lang))
    if (municipality or all_municipalities) and users is None:
        raise SocialkitError(t("security.users.users_file_needed", lang))
    existing = read_credentials_raw(credentials) if credentials.exists() else {}
    password = _read_password(name, password_stdin, lang)
    hashed = {u: v if is_hash(v) else hash_password(v) for u, v in existing.items()}
    hashed[name] = hash_password(password)
    write_credentials(credentials, hashed)
    typer.echo(t("security.users.added", lang, user=name, path=credentials), err=True)
    if users is not None and (municipality or all_municipalities):
        value: str | list[str] = "*" if all_municipalities else list(municipality or [])
        _write_users(users, name, value)
        what = (t("security.users.all_municipalities", lang) if all_municipalities
                else ", ".join(municipality or []))
        typer.echo(t("security.users.scoped", lang, user=name, what=what, path=users), err=True)


@users_app.command("remove")
def remove(
    name: Annotated[str, typer.Argument(help="Login name.")],
    credentials: _CREDENTIALS,
    users: Annotated[Path | None, typer.Option(help="Users file to remove the user from too.")
                     ] = None,
    lang: _LANG = "en",
) -> None:
    """Remove a user (a running server ends their sessions at their next request)."""
    from ..views.credentials import load_credentials, write_credentials

    creds = load_credentials(credentials)
    if name not in creds:
        raise SocialkitError(t("security.users.not_found", lang, user=name, path=credentials))
    write_credentials(credentials, {u: h for u, h in creds.items() if u != name})
    if users is not None and users.exists():
        _write_users(users, name, None)
    typer.echo(t("security.users.removed", lang, user=name, path=credentials), err=True)


@users_app.command("migrate")
def migrate(
    credentials: Annotated[Path, typer.Argument(help="Credentials file holding plain-text "
                                                "passwords (the old --basic-auth format).")],
    lang: _LANG = "en",
) -> None:
    """Replace plain-text passwords in a credentials file by their argon2 hashes, in place."""
    from ..views.credentials import migrate_credentials

    done = migrate_credentials(credentials)
    if done:
        typer.echo(t("security.users.migrated", lang, path=credentials, n=len(done),
                     users=", ".join(done)), err=True)
    else:
        typer.echo(t("security.users.nothing_to_migrate", lang, path=credentials), err=True)
