"""Who may see which municipality: the users file and the per-session scope.

The users file maps a login name to the municipality ids that user may see (YAML or JSON)::

    # dashboard-users.yaml
    olena: [UA14040000000000001]          # one hromada
    petro: [UA14040000000000001, UA14040000000000002]
    analyst: "*"                          # every municipality

Rules (fail closed): with no users file every visitor sees every municipality (use it only
behind basic auth or OAuth, or for public data); with a users file, a user who is not listed,
or a visitor who is not logged in, sees none. The scope is enforced in the view layer on the
server: :class:`Scope.check` is called before any municipality's data is selected, so neither
a widget value sent by the browser, nor a URL query parameter, nor a download reaches data of
a municipality outside the scope.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from ..errors import SocialkitError

__all__ = ["ALL", "AccessDenied", "Scope", "UsersFileError", "load_users", "resolve_scope"]

#: Value in the users file granting every municipality.
ALL = "*"


class AccessDenied(SocialkitError):
    """A user asked for a municipality outside their scope."""

    def __init__(self, user: str | None, municipality_id: str):
        self.user = user
        self.municipality_id = municipality_id
        super().__init__(
            f"user {user or '(not logged in)'!r} may not see municipality {municipality_id!r}"
        )


class UsersFileError(SocialkitError):
    """The users file is missing or malformed."""


@dataclass(frozen=True)
class Scope:
    """The municipalities one session may see.

    Attributes
    ----------
    user : str or None
        The logged-in user (``pn.state.user``), ``None`` without authentication.
    allowed : frozenset of str or None
        Municipality ids the user may see; ``None`` means every one.

    >>> s = Scope("olena", frozenset({"UA1"}))
    >>> s.allows("UA1"), s.allows("UA2")
    (True, False)
    """

    user: str | None
    allowed: frozenset[str] | None

    def allows(self, municipality_id: str | None) -> bool:
        """True when the session may see ``municipality_id``."""
        if municipality_id is None:
            return False
        return self.allowed is None or str(municipality_id) in self.allowed

    def check(self, municipality_id: str) -> str:
        """Return ``municipality_id`` if allowed, else raise :class:`AccessDenied`."""
        if not self.allows(municipality_id):
            raise AccessDenied(self.user, municipality_id)
        return str(municipality_id)

    def visible(self, municipality_ids: Iterable[str]) -> list[str]:
        """The allowed ids among ``municipality_ids``, in their order."""
        return [str(m) for m in municipality_ids if self.allows(str(m))]

    def filter(self, frame: pd.DataFrame, column: str = "municipality_id") -> pd.DataFrame:
        """Rows of ``frame`` whose ``column`` is an allowed municipality (a new frame)."""
        if self.allowed is None:
            return frame.copy()
        return frame[frame[column].astype(str).isin(self.allowed)].reset_index(drop=True)


def load_users(path: str | Path) -> dict[str, str | frozenset[str]]:
    """Read and check a users file (YAML or JSON): ``{user: [municipality ids] | "*"}``.

    Raises
    ------
    UsersFileError
        Naming the file and the user whose entry is wrong, and what was expected.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsersFileError(f"{path}: cannot read the users file ({exc.strerror})") from exc
    try:
        raw = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise UsersFileError(f"{path}: not valid YAML/JSON ({exc})") from exc
    if not isinstance(raw, Mapping) or not raw:
        raise UsersFileError(
            f"{path}: expected a mapping of user name to a list of municipality ids or '*'"
        )
    users: dict[str, str | frozenset[str]] = {}
    for user, value in raw.items():
        if value == ALL:
            users[str(user)] = ALL
        elif isinstance(value, str):
            users[str(user)] = frozenset({value})
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            users[str(user)] = frozenset(value)
        else:
            raise UsersFileError(
                f"{path}, key '{user}': found {value!r}; "
                "expected a list of municipality ids (strings) or '*'"
            )
    return users


def resolve_scope(
    user: str | None,
    users: Mapping[str, str | frozenset[str]] | None,
) -> Scope:
    """The scope of ``user`` under the users mapping (see module docstring for the rules).

    >>> resolve_scope("a", {"a": frozenset({"UA1"})}).allowed
    frozenset({'UA1'})
    >>> resolve_scope(None, {"a": "*"}).allowed
    frozenset()
    >>> resolve_scope(None, None).allowed is None
    True
    """
    if users is None:
        return Scope(user, None)
    if user is None or user not in users:
        return Scope(user, frozenset())
    value = users[user]
    return Scope(user, None if value == ALL else frozenset(value))
