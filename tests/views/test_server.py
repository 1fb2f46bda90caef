"""Serving options are checked before the server starts; auth pages need no internet."""

from __future__ import annotations

import re

import pytest

from socialkit.cli import main
from socialkit.errors import SocialkitError
from socialkit.views.auth_pages import write_auth_templates
from socialkit.views.server import check_basic_auth_file, serve


@pytest.mark.parametrize(("text", "match"), [
    ("not json", "not valid JSON"),
    ("[]", "expected a JSON object"),
    ('{"olena": ""}', "key 'olena': expected a non-empty password"),
])
def test_basic_auth_file_is_checked(tmp_path, text, match):
    path = tmp_path / "creds.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SocialkitError, match=match):
        check_basic_auth_file(path)


def test_users_file_requires_basic_auth(tmp_path):
    users = tmp_path / "users.yaml"
    users.write_text("olena: '*'\n", encoding="utf-8")
    with pytest.raises(SocialkitError, match="needs --basic-auth"):
        serve(users=users, start=False)


def test_cli_reports_bad_options_without_traceback(tmp_path, capsys):
    creds = tmp_path / "creds.json"
    creds.write_text("{", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["serve", "--basic-auth", str(creds), "--port", "0"])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "creds.json: not valid JSON" in err and "Traceback" not in err


def test_bad_catalog_fails_before_serving(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["serve", "--catalog", str(tmp_path / "missing.yaml"), "--port", "0"])
    assert exc.value.code == 1
    assert "missing.yaml" in capsys.readouterr().err


def test_auth_templates_are_offline_and_bilingual(tmp_path):
    login, logout = write_auth_templates(tmp_path)
    html = login.read_text(encoding="utf-8")
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    assert "{{ login_endpoint }}" in html and "{{ errormessage|escape }}" in html
    assert "Sign in" in html and "Увійти" in html
    assert 'name="username"' in html and 'name="password"' in html
    assert "{{ LOGIN_ENDPOINT }}" in logout.read_text(encoding="utf-8")
