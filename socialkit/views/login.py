"""Login for ``socialkit serve``: hashed passwords, throttling, server-side sessions, XSRF.

:class:`LoginProvider` is a Bokeh/Panel auth provider (what ``--basic-auth`` plugs into the
server) that does what Panel's ``BasicAuthProvider`` does not:

* passwords are checked against argon2 hashes (:mod:`socialkit.views.credentials`), off the
  server's event loop, with the same work for unknown users;
* failed sign-ins are throttled per user name and per client address
  (:class:`LoginThrottle`): after a few free failures each further one locks that key for an
  exponentially growing time; a locked request is answered ``429`` with ``Retry-After`` and the
  password is not even checked;
* a sign-in creates a **server-side session** (:class:`SessionStore`): the browser holds a
  signed random session id beside the signed user name, and every request (page, WebSocket)
  must present a session that still exists. Signing out deletes the session on the server, so
  a copied cookie stops working, and closes the connection of every page still open with it;
  signing out is a POST with the XSRF token (``GET /logout`` only shows the form), so another
  site cannot sign a user out; removing the user from the credentials file ends their
  sessions too;
* the login form carries Tornado's XSRF token (cookie + hidden field), and a POST from another
  origin is refused (``403``);
* cookies are ``HttpOnly`` and ``SameSite=Lax`` (the XSRF cookie ``Strict``), and ``Secure``
  when the request came over HTTPS (directly, or through a reverse proxy that says so with
  ``X-Forwarded-Proto`` when the server runs with ``--behind-proxy``).

Sessions and throttling state live in the server process's memory: restarting the server
signs everyone out and forgets failures.
"""

from __future__ import annotations

import math
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from bokeh.server.auth_provider import AuthProvider
from jinja2 import Environment
from markupsafe import Markup
from tornado.ioloop import IOLoop
from tornado.web import HTTPError, RequestHandler, decode_signed_value

from .credentials import load_credentials, verify_password

__all__ = ["LoginProvider", "LoginThrottle", "SessionStore", "XsrfForms"]

USER_COOKIE = "user"  # what Panel reads for ``pn.state.user``
SESSION_COOKIE = "sk_session"


@dataclass
class _Failures:
    count: int = 0
    last: float = 0.0
    locked_until: float = 0.0


@dataclass
class LoginThrottle:
    """Failed sign-ins per key (``user:<name>``, ``addr:<ip>``) with exponential backoff.

    After ``free`` failures of a key, the ``n``-th further failure locks the key for
    ``min(base * 2 ** (n - 1), cap)`` seconds. A key's failures are forgotten ``window``
    seconds after its last failure, or when the user signs in.

    >>> now = [0.0]
    >>> th = LoginThrottle(free_user=2, free_address=10, base=1.0, clock=lambda: now[0])
    >>> [th.fail("olena", "10.0.0.1") for _ in range(4)]
    [0.0, 0.0, 1.0, 2.0]
    >>> th.retry_after("olena", "10.0.0.1")
    2.0
    >>> now[0] = 2.5; th.retry_after("olena", "10.0.0.1")
    0.0
    """

    free_user: int = 5
    free_address: int = 20
    base: float = 30.0
    cap: float = 900.0
    window: float = 3600.0
    clock: Callable[[], float] = time.monotonic
    _keys: dict[str, _Failures] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _entries(self, user: str, address: str) -> list[tuple[str, int]]:
        return [(f"user:{user}", self.free_user), (f"addr:{address}", self.free_address)]

    def retry_after(self, user: str, address: str) -> float:
        """Seconds before this user/address may try again (0: now)."""
        now = self.clock()
        with self._lock:
            waits = [self._keys[k].locked_until - now for k, _ in self._entries(user, address)
                     if k in self._keys]
        return max([0.0, *waits])

    def fail(self, user: str, address: str) -> float:
        """Record a failure; return the lock (seconds) it starts (0: none yet)."""
        now = self.clock()
        lock = 0.0
        with self._lock:
            for key, free in self._entries(user, address):
                f = self._keys.get(key)
                if f is None or now - f.last > self.window:
                    f = self._keys[key] = _Failures()
                f.count += 1
                f.last = now
                over = f.count - free
                if over > 0:
                    wait = min(self.base * 2 ** (over - 1), self.cap)
                    f.locked_until = max(f.locked_until, now + wait)
                    lock = max(lock, wait)
            if len(self._keys) > 100_000:  # forget stale keys (a flood of made-up names)
                self._keys = {k: v for k, v in self._keys.items() if now - v.last <= self.window}
        return lock

    def succeed(self, user: str, address: str) -> None:
        """Forget the user's failures (the address keeps its own)."""
        with self._lock:
            self._keys.pop(f"user:{user}", None)


@dataclass
class _Session:
    user: str
    created: float


@dataclass
class SessionStore:
    """Server-side sessions: random ids mapped to a user, ended by logout or after ``lifetime``.

    >>> store = SessionStore()
    >>> sid = store.create("olena")
    >>> store.user(sid)
    'olena'
    >>> store.end(sid); store.user(sid) is None
    True
    """

    lifetime: float = 12 * 3600.0
    clock: Callable[[], float] = time.time
    _sessions: dict[str, _Session] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def create(self, user: str) -> str:
        sid = secrets.token_urlsafe(32)
        now = self.clock()
        with self._lock:
            self._sessions = {k: s for k, s in self._sessions.items()
                              if now - s.created < self.lifetime}
            self._sessions[sid] = _Session(user, now)
        return sid

    def user(self, sid: str | None) -> str | None:
        if not sid:
            return None
        with self._lock:
            s = self._sessions.get(sid)
            if s is None:
                return None
            if self.clock() - s.created >= self.lifetime:
                del self._sessions[sid]
                return None
            return s.user

    def end(self, sid: str | None) -> None:
        with self._lock:
            self._sessions.pop(sid or "", None)

    def end_user(self, user: str) -> None:
        with self._lock:
            self._sessions = {k: s for k, s in self._sessions.items() if s.user != user}


def _safe_next(value: str | None) -> str:
    """A local path to go to after signing in (``/`` for anything else)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


_ENV = Environment(autoescape=True)


class XsrfForms:
    """For a handler whose forms POST to the server (the login, the public page's comments):
    the XSRF cookie is HttpOnly, SameSite=Strict and Secure over HTTPS, and a POST from another
    origin is refused before Tornado's double-submit token check."""

    @property
    def settings(self):
        s = dict(self.application.settings)
        s["xsrf_cookie_kwargs"] = {"httponly": True, "samesite": "Strict",
                                   "secure": self.request.protocol == "https"}
        return s

    def check_xsrf_cookie(self) -> None:
        origin = self.request.headers.get("Origin")
        if origin is not None and (origin == "null" or urlparse(origin).netloc
                                   != self.request.host):
            raise HTTPError(403, "cross-origin request refused")
        super().check_xsrf_cookie()


class _Handler(XsrfForms, RequestHandler):
    provider: LoginProvider  # set on the per-provider subclass

    def cookie_flags(self) -> dict:
        return {"httponly": True, "samesite": "Lax", "secure": self.request.protocol == "https",
                "path": "/"}


class _LoginHandler(_Handler):
    def _page(self, error: str = "", status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Cache-Control", "no-store")
        html = self.provider.login_template.render(
            login_endpoint=self.provider.login_url, errormessage=error,
            xsrf_form_html=Markup(self.xsrf_form_html()),
        )
        self.write(html)

    def get(self) -> None:
        code = self.get_argument("error", "")
        self._page(self.provider.messages.get(code, "") if code else "")

    async def post(self) -> None:
        self.check_xsrf_cookie()
        user = self.get_argument("username", "")[:200]
        password = self.get_argument("password", "")[:1000]
        address = self.request.remote_ip or "?"
        provider = self.provider
        wait = provider.throttle.retry_after(user, address)
        if wait > 0:
            seconds = math.ceil(wait)
            self.set_header("Retry-After", str(seconds))
            self._page(provider.throttled_message(seconds), status=429)
            return
        stored = provider.credentials().get(user)
        ok = await IOLoop.current().run_in_executor(None, verify_password, stored, password)
        if not ok:
            provider.throttle.fail(user, address)
            self.redirect(f"{provider.login_url}?error=invalid", status=303)
            return
        provider.throttle.succeed(user, address)
        sid = provider.sessions.create(user)
        flags = self.cookie_flags()
        self.set_signed_cookie(USER_COOKIE, user, expires_days=None, **flags)
        self.set_signed_cookie(SESSION_COOKIE, sid, expires_days=None, **flags)
        self.clear_cookie("is_guest", path="/")
        self.redirect(_safe_next(self.get_argument("next", None)), status=303)


def close_live_sessions(application, secret: str | None, sid: str) -> int:
    """Close the WebSocket of every open dashboard page signed in with session ``sid``
    (Bokeh keeps the cookies each page was opened with); return how many were closed."""
    closed = 0
    for ctx in getattr(application, "_applications", {}).values():
        for session in list(ctx.sessions):
            try:
                raw = session.document.session_context.request.cookies.get(SESSION_COOKIE)
            except AttributeError:
                continue
            value = decode_signed_value(secret, SESSION_COOKIE, raw.strip('"'),
                                        max_age_days=1) if raw and secret else None
            if value is None or value.decode("utf-8") != sid:
                continue
            session.request_expiration()
            for connection in list(session._subscribed_connections):
                connection._socket.close()
                closed += 1
    return closed


class _LogoutHandler(_Handler):
    """``GET /logout`` only asks (a form that POSTs with the XSRF token); ``POST /logout``
    with the token ends the session on the server. A GET never signs anyone out, so a link,
    image or redirect on another site cannot."""

    def get(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.write(self.provider.logout_template.render(
            confirm=True, logout_endpoint=self.provider.logout_url,
            xsrf_form_html=Markup(self.xsrf_form_html()),
            LOGIN_ENDPOINT=self.provider.login_url))

    def post(self) -> None:
        self.check_xsrf_cookie()
        sid = self.get_signed_cookie(SESSION_COOKIE, max_age_days=1)
        self.provider.sessions.end(sid.decode() if sid else None)
        if sid:  # pages still open with this session stop talking to the server
            close_live_sessions(self.application, self.application.settings.get("cookie_secret"),
                                sid.decode())
        for name in (USER_COOKIE, SESSION_COOKIE, "id_token"):
            self.clear_cookie(name, path="/")
        self.set_header("Cache-Control", "no-store")
        self.write(self.provider.logout_template.render(confirm=False,
                                                        LOGIN_ENDPOINT=self.provider.login_url))


class LoginProvider(AuthProvider):
    """Sign-in against a hashed credentials file (see the module docstring).

    Parameters
    ----------
    credentials : path
        JSON file ``{user: argon2 hash}``; re-read when it changes (a removed user's sessions
        stop working at their next request).
    login_template, logout_template : path
        Jinja2 pages (:func:`socialkit.views.auth_pages.write_auth_templates`).
    messages : dict
        ``{"invalid": ..., "throttled": ...}`` texts for the login page (``throttled`` has a
        ``{seconds}`` field).
    """

    def __init__(self, credentials: str | Path, login_template: str | Path,
                 logout_template: str | Path, messages: dict[str, str],
                 throttle: LoginThrottle | None = None, sessions: SessionStore | None = None):
        self.credentials_path = Path(credentials)
        self.login_template = _ENV.from_string(Path(login_template).read_text(encoding="utf-8"))
        self.logout_template = _ENV.from_string(Path(logout_template).read_text(encoding="utf-8"))
        self.messages = {k: v for k, v in messages.items() if k != "throttled"}
        self._throttled = messages.get("throttled", "{seconds}")
        self.throttle = throttle or LoginThrottle()
        self.sessions = sessions or SessionStore()
        self._creds: tuple[tuple[int, int], dict[str, str]] | None = None
        self._creds_lock = threading.Lock()
        self.credentials()  # fail now on a bad file
        provider = self
        self._login_cls = type("LoginHandler", (_LoginHandler,), {"provider": provider})
        self._logout_cls = type("LogoutHandler", (_LogoutHandler,), {"provider": provider})
        super().__init__()

    def throttled_message(self, seconds: int) -> str:
        return self._throttled.format(seconds=seconds)

    def credentials(self) -> dict[str, str]:
        """The credentials file's ``{user: hash}``, re-read when its size or time changes."""
        st = self.credentials_path.stat()
        key = (st.st_mtime_ns, st.st_size)
        with self._creds_lock:
            if self._creds is None or self._creds[0] != key:
                self._creds = (key, load_credentials(self.credentials_path))
            return self._creds[1]

    def current_user(self, handler: RequestHandler) -> str | None:
        """The signed-in user of a request: a live session whose user matches the cookie."""
        user = handler.get_signed_cookie(USER_COOKIE, max_age_days=1)
        sid = handler.get_signed_cookie(SESSION_COOKIE, max_age_days=1)
        if not user or not sid:
            return None
        name = self.sessions.user(sid.decode("utf-8"))
        if name is None or name != user.decode("utf-8"):
            return None
        try:
            known = name in self.credentials()
        except Exception:  # the file is being replaced: keep the session, check next time
            known = True
        if not known:
            self.sessions.end_user(name)
            return None
        return name

    @property
    def get_user(self):
        return self.current_user

    @property
    def login_url(self) -> str:
        return "/login"

    @property
    def login_handler(self):
        return self._login_cls

    @property
    def logout_url(self) -> str:
        return "/logout"

    @property
    def logout_handler(self):
        return self._logout_cls

