"""Login and logout pages for basic auth, with no external resources.

Panel's built-in login page loads its logo from a CDN, which breaks the "no request leaves the
server" rule. :func:`write_auth_templates` writes Jinja2 templates for Panel's
``BasicAuthProvider`` (``login_template`` / ``logout_template``) whose text comes from
:mod:`socialkit.i18n` in every supported language; Panel fills in ``login_endpoint``,
``errormessage`` and ``LOGIN_ENDPOINT``
(:class:`socialkit.views.login.LoginProvider` also ``confirm``, ``logout_endpoint`` and
``xsrf_form_html`` for the sign-out form).
"""

from __future__ import annotations

import html
from pathlib import Path

from ..config import SUPPORTED_LANGS
from ..i18n import t

__all__ = ["login_messages", "write_auth_templates"]

_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{title}</title>
<style>
body {{ font-family: "DejaVu Sans", sans-serif; background: #f4f6f8; margin: 0; }}
.box {{ max-width: 380px; margin: 10vh auto; background: white; padding: 24px 32px;
        border: 1px solid #d0d7de; border-radius: 6px; }}
h1 {{ font-size: 1.3em; color: #0072B2; }}
label {{ display: block; margin-top: 12px; font-size: 0.9em; }}
input {{ width: 100%; padding: 8px; box-sizing: border-box; margin-top: 4px; }}
button {{ margin-top: 18px; width: 100%; padding: 10px; background: #0072B2; color: white;
          border: 0; border-radius: 4px; font-size: 1em; cursor: pointer; }}
.error {{ color: #b00020; font-weight: bold; }}
.lang {{ color: #555; font-size: 0.85em; margin-top: 16px; }}
</style>
</head>
<body><div class="box">{body}</div></body>
</html>
"""


def _both(key: str) -> str:
    """The message in every language, the default language first, joined by " · "."""
    texts = []
    for lang in SUPPORTED_LANGS:
        text = html.escape(t(key, lang))
        if text not in texts:
            texts.append(text)
    return " · ".join(texts)


def login_messages() -> dict[str, str]:
    """Texts of the login page's error line, in every language (not HTML-escaped):
    ``invalid`` (wrong user name or password) and ``throttled`` (with a ``{seconds}`` field)."""
    def both(key: str, **kw) -> str:
        texts: list[str] = []
        for lang in SUPPORTED_LANGS:
            text = t(key, lang, **kw)
            if text not in texts:
                texts.append(text)
        return " · ".join(texts)

    return {"invalid": both("security.login.invalid"),
            "throttled": both("security.login.throttled", seconds="{seconds}")}


def _login() -> str:
    body = f"""
<h1>{_both("views.app_title")}</h1>
<form class="login-form" action=".{{{{ login_endpoint }}}}" method="post">
  {{{{ xsrf_form_html }}}}
  <p class="error" id="error-message">{{{{ errormessage|escape }}}}</p>
  <label for="username">{_both("views.auth.username")}</label>
  <input id="username" name="username" type="text" autocapitalize="off" autocorrect="off"
         autocomplete="username">
  <label for="password">{_both("views.auth.password")}</label>
  <input id="password" name="password" type="password" autocomplete="current-password">
  <button type="submit">{_both("views.auth.sign_in")}</button>
</form>"""
    return _PAGE.format(lang="uk", title=_both("views.auth.sign_in"), body=body)


def _logout() -> str:
    # ``confirm`` (GET /logout): a form that signs out by POST with the XSRF token, so a link
    # or image on another site cannot sign anyone out; otherwise the signed-out page.
    body = f"""
<h1>{_both("views.app_title")}</h1>
{{% if confirm %}}
<p>{_both("security.logout.confirm")}</p>
<form class="logout-form" action=".{{{{ logout_endpoint }}}}" method="post">
  {{{{ xsrf_form_html }}}}
  <button type="submit">{_both("security.logout.sign_out")}</button>
</form>
{{% else %}}
<p>{_both("views.auth.signed_out")}</p>
<form action=".{{{{ LOGIN_ENDPOINT }}}}" method="get">
  <button type="submit">{_both("views.auth.sign_in")}</button>
</form>
{{% endif %}}"""
    return _PAGE.format(lang="uk", title=_both("views.auth.signed_out"), body=body)


def write_auth_templates(folder: str | Path) -> tuple[Path, Path]:
    """Write ``login.html`` and ``logout.html`` into ``folder``; return their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    login, logout = folder / "login.html", folder / "logout.html"
    login.write_text(_login(), encoding="utf-8")
    logout.write_text(_logout(), encoding="utf-8")
    return login, logout
