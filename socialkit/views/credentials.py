"""The dashboard's credentials file: user names and argon2 password hashes, never passwords.

The file is JSON, ``{"user": "$argon2id$v=19$m=65536,t=3,p=4$...", ...}``, written by
``socialkit users add`` (see :mod:`socialkit.cli.users`) with permissions ``0600``.
Hashes are argon2id (argon2-cffi's defaults, RFC 9106's low-memory profile), so a stolen file
does not give the passwords away cheaply. A file holding a plain-text password is refused when
the server starts, naming the user; ``socialkit users migrate FILE`` replaces plain-text
passwords by their hashes in place (the users keep their passwords).

>>> h = hash_password("correct horse battery")
>>> h.startswith("$argon2id$"), verify_password(h, "correct horse battery")
(True, True)
>>> verify_password(h, "wrong")
False
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ..config import default_lang
from ..errors import SocialkitError
from ..i18n import t

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "CredentialsError",
    "hash_password",
    "is_hash",
    "load_credentials",
    "migrate_credentials",
    "read_credentials_raw",
    "verify_password",
    "write_credentials",
]

#: Shortest password ``socialkit users add`` accepts.
MIN_PASSWORD_LENGTH = 10

_HASHER = PasswordHasher()
#: A hash checked when the user name is unknown, so both cases take the same time.
_DUMMY = _HASHER.hash("socialkit-no-such-user")


class CredentialsError(SocialkitError):
    """The credentials file is missing, malformed or holds plain-text passwords."""


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (a new random salt each call)."""
    return _HASHER.hash(password)


def is_hash(value: object) -> bool:
    """True for an argon2 hash string (what the credentials file must hold)."""
    return isinstance(value, str) and value.startswith(("$argon2id$", "$argon2i$", "$argon2d$"))


def verify_password(stored: str | None, password: str) -> bool:
    """True when ``password`` matches the ``stored`` hash; ``None`` (unknown user) is False
    after the same amount of work."""
    try:
        return _HASHER.verify(stored if stored is not None else _DUMMY, password) and (
            stored is not None)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def read_credentials_raw(path: str | Path) -> dict[str, str]:
    """The file's mapping as written (hashes or, in an old file, passwords), checked for shape."""
    lang = default_lang()
    path = Path(path).expanduser()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CredentialsError(t("security.credentials.missing", lang, path=path)) from exc
    except OSError as exc:
        raise CredentialsError(t("security.credentials.unreadable", lang, path=path,
                                 error=exc.strerror)) from exc
    except ValueError as exc:
        raise CredentialsError(t("security.credentials.not_json", lang, path=path,
                                 error=exc)) from exc
    if not isinstance(raw, dict) or not raw:
        raise CredentialsError(t("security.credentials.not_mapping", lang, path=path))
    for user, value in raw.items():
        if not isinstance(value, str) or not value:
            raise CredentialsError(t("security.credentials.empty", lang, path=path, user=user))
    return raw


def load_credentials(path: str | Path) -> dict[str, str]:
    """Read the credentials file: ``{user: argon2 hash}``.

    Raises
    ------
    CredentialsError
        Naming the file, and the user whose entry is a plain-text password or malformed.
    """
    raw = read_credentials_raw(path)
    plain = [user for user, value in raw.items() if not is_hash(value)]
    if plain:
        raise CredentialsError(t("security.credentials.plaintext", default_lang(),
                                 path=Path(path), users=", ".join(plain)))
    return raw


def write_credentials(path: str | Path, credentials: dict[str, str]) -> Path:
    """Write ``{user: hash}`` to ``path`` atomically, readable by the owner only (0600)."""
    path = Path(path).expanduser()
    if any(not is_hash(v) for v in credentials.values()):
        raise ValueError("only argon2 hashes may be written to a credentials file")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(credentials, f, indent=2, sort_keys=True)
            f.write("\n")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def migrate_credentials(path: str | Path) -> list[str]:
    """Replace plain-text passwords in ``path`` by their hashes; return the users migrated."""
    raw = read_credentials_raw(path)
    migrated = [user for user, value in raw.items() if not is_hash(value)]
    if migrated:
        write_credentials(path, {u: v if is_hash(v) else hash_password(v)
                                 for u, v in raw.items()})
    return migrated
