"""Serving the dashboard: option checks and :func:`serve` (``socialkit serve`` calls it).

``socialkit serve`` uses Panel's own server (:func:`panel.serve`, the machinery behind
``panel serve``) with the same options: ``basic_auth`` (Panel's ``BasicAuthProvider``: a
JSON file ``{"user": "password"}``, or one shared password) and a signed-cookie secret.
"""

from __future__ import annotations

import json
import secrets
import tempfile
from pathlib import Path
from typing import Any

import panel as pn

from .. import config
from ..errors import SocialkitError
from ..i18n import t
from .app import create_app, panel_extension
from .auth_pages import write_auth_templates
from .data import load_data
from .scope import load_users

__all__ = ["check_basic_auth_file", "serve"]


def check_basic_auth_file(path: str | Path) -> Path:
    """Check a basic-auth file: a JSON object mapping user names to passwords.

    Raises
    ------
    SocialkitError
        Naming the file and what is wrong.
    """
    path = Path(path).expanduser().resolve()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SocialkitError(f"{path}: cannot read the basic-auth file ({exc.strerror})") from exc
    except ValueError as exc:
        raise SocialkitError(f"{path}: not valid JSON ({exc}); expected "
                             '{"user": "password", ...}') from exc
    if not isinstance(raw, dict) or not raw:
        raise SocialkitError(f'{path}: expected a JSON object {{"user": "password", ...}}')
    for user, password in raw.items():
        if not isinstance(password, str) or not password:
            raise SocialkitError(f"{path}, key '{user}': expected a non-empty password string")
    return path


def serve(
    catalog: str | Path | None = None,
    *,
    port: int = 5006,
    address: str = "localhost",
    basic_auth: str | Path | None = None,
    users: str | Path | None = None,
    cookie_secret: str | None = None,
    allow_websocket_origin: list[str] | None = None,
    show: bool = False,
    start: bool = True,
    **kwargs: Any,
):
    """Check the options, load the data once, and serve the dashboard at ``/``.

    Parameters
    ----------
    catalog : path, optional
        Intake catalog (default: the demo catalog).
    port, address : int, str
        Where to listen (``port=0`` picks a free port).
    basic_auth : path, optional
        JSON file ``{"user": "password"}``; enables the login page.
    users : path, optional
        Users file mapping user names to municipality ids (see :mod:`socialkit.views.scope`);
        requires ``basic_auth`` (or OAuth via ``panel serve``), since scopes need a known user.
    cookie_secret : str, optional
        Secret that signs the login cookie; a random one per process by default.
    allow_websocket_origin : list of str, optional
        Hosts browsers may connect from (needed when ``address`` is not localhost).
    start : bool
        Start the server and block (default); with ``False`` the server is returned unstarted
        (``server.port`` is then known) and the caller runs ``server.start()`` and
        ``server.io_loop.start()``.

    Returns
    -------
    panel.io.server.Server

    Raises
    ------
    SocialkitError
        Before anything is served, for a bad catalog, basic-auth file or users file.
    """
    users = users if users is not None else config.dashboard_users_file()
    if users is not None and basic_auth is None:
        raise SocialkitError(
            f"{users}: a users file limits logged-in users to their municipalities, so it needs "
            "--basic-auth FILE (or OAuth with `panel serve`, see docs/dashboards.md)"
        )
    if users is not None:
        load_users(users)  # fail now, not in the first session
    auth = str(check_basic_auth_file(basic_auth)) if basic_auth is not None else None
    catalog_path = Path(catalog).expanduser().resolve() if catalog else config.default_catalog()
    load_data(catalog_path)  # validate and warm the cache before the first visitor
    panel_extension()
    users_path = Path(users).resolve() if users is not None else None

    def _session() -> pn.viewable.Viewable:
        return create_app(catalog_path, users_path)

    if auth:
        login, logout = write_auth_templates(tempfile.mkdtemp(prefix="socialkit-auth-"))
        kwargs.setdefault("basic_login_template", str(login))
        kwargs.setdefault("logout_template", str(logout))
    origins = allow_websocket_origin or None
    return pn.serve(
        _session, port=port, address=address, basic_auth=auth,
        cookie_secret=cookie_secret or (secrets.token_hex(32) if auth else None),
        websocket_origin=origins, show=show, start=start, verbose=False,
        title=t("views.app_title", config.default_lang()), **kwargs,
    )
