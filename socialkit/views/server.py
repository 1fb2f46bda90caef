"""Serving the dashboard: option checks and :func:`serve` (``socialkit serve`` calls it).

``socialkit serve`` uses Panel's own server (:func:`panel.serve`, the machinery behind
``panel serve``) hardened for the open internet (see ``docs/security.md``):

* ``--basic-auth FILE`` signs users in against argon2 hashes (never plain-text passwords) with
  throttling, server-side sessions and an XSRF-protected form (:mod:`socialkit.views.login`);
* Panel's ``/components/`` route, which imports any module named in the URL, is replaced by
  one that only serves the loaded components' files (:mod:`socialkit.views.hardening`);
* every response carries a Content-Security-Policy, ``X-Frame-Options: DENY`` and the other
  secure headers.
"""

from __future__ import annotations

import secrets
import tempfile
from pathlib import Path
from typing import Any

import panel as pn

from .. import config
from ..errors import SocialkitError
from ..i18n import t
from ..library import LIMITS_MB
from .app import create_app, panel_extension
from .auth_pages import login_messages, write_auth_templates
from .credentials import load_credentials
from .data import load_data
from .hardening import SafeComponentHandler, SecurityHeaders
from .library_http import library_routes
from .login import LoginProvider
from .scope import load_users
from .state import municipality_names

__all__ = ["check_basic_auth_file", "serve"]


def check_basic_auth_file(path: str | Path) -> Path:
    """Check a credentials file: a JSON object mapping user names to argon2 password hashes.

    Raises
    ------
    SocialkitError
        Naming the file and what is wrong (a plain-text password names the user and the
        command that replaces it by its hash).
    """
    path = Path(path).expanduser().resolve()
    load_credentials(path)
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
    behind_proxy: bool = False,
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
        Credentials file ``{"user": "<argon2 hash>"}`` (``socialkit users add``); enables the
        login page.
    users : path, optional
        Users file mapping user names to municipality ids (see :mod:`socialkit.views.scope`);
        requires ``basic_auth`` (or OAuth via ``panel serve``), since scopes need a known user.
    cookie_secret : str, optional
        Secret that signs the login cookie; a random one per process by default.
    allow_websocket_origin : list of str, optional
        Hosts browsers may connect from (needed when ``address`` is not localhost).
    behind_proxy : bool
        Trust the reverse proxy's ``X-Forwarded-For`` / ``X-Forwarded-Proto`` headers (client
        address for throttling; ``Secure`` cookies when the proxy speaks HTTPS).
    start : bool
        Start the server, compute the analyses in the background
        (:mod:`socialkit.views.warmup`, unless ``SOCIALKIT_DASHBOARD_WARMUP=0``) and block
        (default); with ``False`` the server is returned unstarted (``server.port`` is then
        known) and the caller runs ``server.start()`` and ``server.io_loop.start()``.

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
    data = load_data(catalog_path)  # validate and warm the cache before the first visitor
    panel_extension()
    users_path = Path(users).resolve() if users is not None else None

    def _session() -> pn.viewable.Viewable:
        return create_app(catalog_path, users_path)

    provider = None
    if auth:
        login, logout = write_auth_templates(tempfile.mkdtemp(prefix="socialkit-auth-"))
        provider = kwargs["auth_provider"] = LoginProvider(auth, login, logout, login_messages())
    extra = [(r"/components/(.*)", SafeComponentHandler, {})]  # before Panel's own route
    # the library's files (checked like the dashboard) and its public page (no login)
    extra += library_routes(lambda lang: municipality_names(data, lang), provider, users_path)
    kwargs["extra_patterns"] = extra + list(kwargs.get("extra_patterns", []))
    # an upload travels in one WebSocket message (base64): room for the largest kind
    kwargs.setdefault("websocket_max_message_size",
                      int(max(LIMITS_MB.values()) * 1024 * 1024 * 1.4) + 1024 * 1024)
    if behind_proxy:
        kwargs["use_xheaders"] = True
    origins = allow_websocket_origin or None
    server = pn.serve(
        _session, port=port, address=address,
        cookie_secret=cookie_secret or (secrets.token_hex(32) if auth else None),
        websocket_origin=origins, show=show, start=False, verbose=False,
        title=t("views.app_title", config.default_lang()), **kwargs,
    )
    server._tornado.transforms.append(SecurityHeaders)
    if start:
        server.start()
        if config.dashboard_warmup():  # the analyses, while the first visitor logs in
            from .warmup import start_warmup

            start_warmup(data)
        server.io_loop.start()
    return server
