"""Adversarial tests against a real ``socialkit serve`` on 127.0.0.1 (no browser).

Each test is an attack from the security review; docs/security.md counts them. The server runs
with a hashed credentials file, a users file and ``--behind-proxy`` (so a test can say it came
over HTTPS with ``X-Forwarded-Proto``, as a reverse proxy would).
"""

from __future__ import annotations

import http.client
import json
import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest

from socialkit.views.credentials import hash_password

PASSWORDS = {"admin": "admin-secret-1", "olena": "olena-secret-1", "target": "target-secret-1"}


class Client:
    """A cookie-keeping HTTP client for one server (no redirects followed)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None,
                headers: dict | None = None) -> http.client.HTTPResponse:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        head = dict(headers or {})
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            head["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=data, headers=head)
        resp = conn.getresponse()
        resp.text = resp.read().decode("utf-8", "replace")
        for raw in resp.headers.get_all("Set-Cookie") or []:
            c = SimpleCookie()
            c.load(raw)
            for name, morsel in c.items():
                if morsel["expires"] and "1970" in morsel["expires"] or (
                        morsel["expires"] and morsel.value == ""):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.coded_value
        conn.close()
        return resp

    def xsrf(self) -> str:
        page = self.request("GET", "/login")
        return re.search(r'name="_xsrf" value="([^"]+)"', page.text).group(1)

    def login(self, user: str, password: str | None = None) -> http.client.HTTPResponse:
        token = self.xsrf()
        return self.request("POST", "/login", {"username": user, "_xsrf": token,
                                               "password": password or PASSWORDS[user]})


@pytest.fixture(scope="module")
def server(demo_catalog, demo_tables, tmp_path_factory, real_server):
    work = tmp_path_factory.mktemp("secure-serve")
    creds = work / "creds.json"
    creds.write_text(json.dumps({u: hash_password(p) for u, p in PASSWORDS.items()}),
                     encoding="utf-8")
    ids = demo_tables["municipalities"]["municipality_id"].tolist()
    users = work / "users.yaml"
    users.write_text(f"admin: '*'\nolena: [{ids[1]}]\ntarget: [{ids[2]}]\n", encoding="utf-8")
    with real_server(["--catalog", demo_catalog, "--basic-auth", creds, "--users", users,
                      "--behind-proxy"], work) as running:
        yield {"port": running.port, "proc": running.proc}


@pytest.mark.parametrize("path", [
    "/components/unittest.__main__/x/_css/y",  # imports unittest.__main__: exits the server
    "/components/this.__main__/x/_css/y",
    "/components/os/system/_css/y",
    "/components/panel.__main__/x/_css/y",
    "/components/socialkit.cli/app/_css/y",
    "/components/antigravity/x/_css/y",
])
def test_components_url_imports_nothing(server, path):
    client = Client(server["port"])
    resp = client.request("GET", path)
    assert resp.status == 404
    assert server["proc"].poll() is None, "the request stopped the server"
    assert client.request("GET", "/login").status == 200


def test_wrong_passwords_are_throttled(server):
    client = Client(server["port"])
    statuses = []
    for _ in range(10):  # bounded, on loopback
        resp = client.login("target", "wrong-password")
        statuses.append(resp.status)
        if resp.status == 429:
            break
    assert 429 in statuses, f"no throttling after {len(statuses)} wrong passwords: {statuses}"
    assert statuses.index(429) <= 6
    assert int(resp.getheader("Retry-After")) >= 1
    # while locked, even the right password is not checked
    assert client.login("target").status == 429
    assert "sk_session" not in client.cookies


def _logout_token(client: Client) -> str:
    page = client.request("GET", "/logout")
    assert page.status == 200
    return re.search(r'name="_xsrf" value="([^"]+)"', page.text).group(1)


def test_session_cookie_is_dead_after_logout(server):
    client = Client(server["port"])
    assert client.login("olena").status == 303
    assert client.request("GET", "/").status == 200
    stolen = dict(client.cookies)
    resp = client.request("POST", "/logout", {"_xsrf": _logout_token(client)})
    assert resp.status == 200 and "You are signed out" in resp.text
    replay = Client(server["port"])
    replay.cookies = stolen
    resp = replay.request("GET", "/")
    assert resp.status == 302 and "/login" in resp.getheader("Location")


@pytest.mark.parametrize("how", ["cross_site_get", "post_no_token", "post_cross_origin",
                                 "post_foreign_token"])
def test_logout_needs_a_post_with_the_xsrf_token(server, how):
    """Another site cannot sign a user out: a GET (link, image, redirect) only shows the
    sign-out form, and a POST without this browser's token (or from another origin) is refused."""
    client = Client(server["port"])
    assert client.login("olena").status == 303
    if how == "cross_site_get":
        resp = client.request("GET", "/logout", headers={"Referer": "https://evil.example/",
                                                         "Sec-Fetch-Site": "cross-site"})
        assert resp.status == 200 and 'method="post"' in resp.text
    elif how == "post_no_token":
        assert client.request("POST", "/logout", {}).status == 403
    elif how == "post_cross_origin":
        token = _logout_token(client)
        resp = client.request("POST", "/logout", {"_xsrf": token},
                              {"Origin": "https://evil.example"})
        assert resp.status == 403
    else:
        other = Client(server["port"])
        resp = client.request("POST", "/logout", {"_xsrf": other.xsrf()})
        assert resp.status == 403
    assert "sk_session" in client.cookies
    assert client.request("GET", "/").status == 200, "the attack signed the user out"
    # and the user can still sign out themselves
    assert client.request("POST", "/logout", {"_xsrf": _logout_token(client)}).status == 200
    assert client.request("GET", "/").status == 302


@pytest.mark.parametrize("how", ["cross_site_no_token", "no_token", "foreign_token"])
def test_login_without_xsrf_token_is_refused(server, how):
    client = Client(server["port"])
    body = {"username": "admin", "password": PASSWORDS["admin"]}
    headers = {}
    if how == "cross_site_no_token":
        headers["Origin"] = "https://evil.example"
    elif how == "foreign_token":
        body["_xsrf"] = Client(server["port"]).xsrf()  # someone else's token, no cookie
    resp = client.request("POST", "/login", body, headers)
    assert resp.status == 403
    assert "sk_session" not in client.cookies and "user" not in client.cookies
    # the same client with its own token gets in
    assert client.login("admin").status == 303


def test_secure_headers_and_cookie_flags(server):
    client = Client(server["port"])
    for path in ("/login", "/components/nothing/x/_css/y"):
        resp = client.request("GET", path)
        csp = resp.getheader("Content-Security-Policy")
        assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
        assert "object-src 'none'" in csp and "https:" not in csp and "http:" not in csp
        assert resp.getheader("X-Frame-Options") == "DENY"
        assert resp.getheader("X-Content-Type-Options") == "nosniff"
        assert resp.getheader("Referrer-Policy") == "same-origin"
    token = client.xsrf()
    resp = client.request("POST", "/login", {"username": "admin", "_xsrf": token,
                                              "password": PASSWORDS["admin"]})
    cookies = {c.split("=", 1)[0]: c for c in resp.headers.get_all("Set-Cookie")}
    for name in ("user", "sk_session"):
        assert "HttpOnly" in cookies[name] and "SameSite=Lax" in cookies[name]
        assert "Secure" not in cookies[name]  # plain HTTP: a Secure cookie would be dropped
    page = client.request("GET", "/")
    assert page.status == 200 and page.getheader("X-Frame-Options") == "DENY"
    # Behind a TLS-terminating proxy (X-Forwarded-Proto: https): Secure cookies and HSTS.
    proxied = Client(server["port"])
    https = {"X-Forwarded-Proto": "https"}
    login_page = proxied.request("GET", "/login", headers=https)
    assert "Secure" in login_page.getheader("Set-Cookie")  # the XSRF cookie
    assert login_page.getheader("Strict-Transport-Security")
    token = re.search(r'name="_xsrf" value="([^"]+)"', login_page.text).group(1)
    resp = proxied.request("POST", "/login", {"username": "admin", "_xsrf": token,
                                              "password": PASSWORDS["admin"]}, https)
    assert resp.status == 303
    assert all("Secure" in c for c in resp.headers.get_all("Set-Cookie") if "sk_session" in c)


def test_mixing_one_users_session_with_anothers_name_is_refused(server):
    olena, admin = Client(server["port"]), Client(server["port"])
    assert olena.login("olena").status == 303 and admin.login("admin").status == 303
    forged = Client(server["port"])
    forged.cookies = {"user": admin.cookies["user"], "sk_session": olena.cookies["sk_session"]}
    assert forged.request("GET", "/").status == 302
    forged.cookies = {"user": admin.cookies["user"]}  # a name alone (Panel's old cookie)
    assert forged.request("GET", "/").status == 302
    forged.cookies = {"user": admin.cookies["user"], "sk_session": "2|1:0|10:1|10:sk_session|"
                      "4:eHl6|" + "0" * 64}  # a session id signed with another key
    assert forged.request("GET", "/").status == 302
    assert admin.request("GET", "/").status == 200


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
def test_no_open_redirect_after_login(server, target):
    client = Client(server["port"])
    token = client.xsrf()
    resp = client.request("POST", f"/login?next={target}", {
        "username": "admin", "password": PASSWORDS["admin"], "_xsrf": token})
    assert resp.status == 303 and resp.getheader("Location") == "/"


def test_login_page_does_not_reflect_text_from_the_url(server):
    bait = "Your account is locked, call +380 44 000 00 00"
    resp = Client(server["port"]).request("GET", "/login?error=" + bait.replace(" ", "%20"))
    assert resp.status == 200 and "+380" not in resp.text
    invalid = Client(server["port"]).request("GET", "/login?error=invalid")
    assert "Invalid user name or password" in invalid.text


def test_unknown_and_known_users_fail_alike(server):
    client = Client(server["port"])
    unknown = client.login("no-such-user", "whatever-password")
    known = client.login("admin", "wrong-password-x")
    assert unknown.status == known.status == 303
    assert unknown.getheader("Location") == known.getheader("Location")
