"""Serving options are checked before the server starts; auth pages need no internet."""

from __future__ import annotations

import re

import pytest

from socialkit.cli import main
from socialkit.errors import SocialkitError
from socialkit.views.auth_pages import write_auth_templates
from socialkit.views.credentials import verify_password
from socialkit.views.login import LoginThrottle, SessionStore
from socialkit.views.server import check_basic_auth_file, serve


@pytest.mark.parametrize(("text", "match"), [
    ("not json", "not valid JSON"),
    ("[]", "expected a JSON object"),
    ('{"olena": ""}', "key 'olena': expected an argon2 password hash"),
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


def _ok(argv):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 0


def _stdin(monkeypatch, text):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_users_add_stores_only_an_argon2_hash(tmp_path, monkeypatch):
    import json
    import stat

    import yaml

    creds, users = tmp_path / "creds.json", tmp_path / "users.yaml"
    users.write_text("admin: '*'\n", encoding="utf-8")
    _stdin(monkeypatch, "olena-secret-1\n")
    _ok(["users", "add", "olena", "--credentials", str(creds), "--users", str(users),
         "--municipality", "UA1", "--municipality", "UA2", "--password-stdin"])
    text = creds.read_text(encoding="utf-8")
    assert "olena-secret-1" not in text
    stored = json.loads(text)["olena"]
    assert stored.startswith("$argon2id$") and verify_password(stored, "olena-secret-1")
    assert not verify_password(stored, "olena-secret-2")
    assert stat.S_IMODE(creds.stat().st_mode) == 0o600
    assert yaml.safe_load(users.read_text(encoding="utf-8")) == {"admin": "*",
                                                                 "olena": ["UA1", "UA2"]}
    check_basic_auth_file(creds)  # the server accepts it


def test_users_add_scopes_a_customer_of_the_state_social_order(tmp_path, monkeypatch):
    import yaml

    creds, users = tmp_path / "creds.json", tmp_path / "users.yaml"
    _stdin(monkeypatch, "mazyr-secret-1\n")
    _ok(["users", "add", "mazyr", "--credentials", str(creds), "--users", str(users),
         "--customer", "hom-mazyr-ec", "--password-stdin"])
    assert yaml.safe_load(users.read_text(encoding="utf-8")) == {"mazyr": ["hom-mazyr-ec"]}


def test_users_add_refuses_a_short_password(tmp_path, monkeypatch, capsys):
    _stdin(monkeypatch, "short\n")
    with pytest.raises(SystemExit) as exc:
        main(["users", "add", "olena", "--credentials", str(tmp_path / "c.json"),
              "--password-stdin"])
    assert exc.value.code == 1 and "at least 10 characters" in capsys.readouterr().err
    assert not (tmp_path / "c.json").exists()


def test_plaintext_credentials_are_refused_then_migrated(tmp_path, capsys):
    import json

    creds = tmp_path / "creds.json"
    creds.write_text('{"olena": "olena-secret-1"}', encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["serve", "--basic-auth", str(creds), "--port", "0"])
    err = capsys.readouterr().err
    assert exc.value.code == 1 and "plain-text password for olena" in err
    assert f"socialkit users migrate {creds}" in err and "Traceback" not in err
    _ok(["users", "migrate", str(creds)])
    stored = json.loads(creds.read_text(encoding="utf-8"))["olena"]
    assert stored.startswith("$argon2id$") and verify_password(stored, "olena-secret-1")
    check_basic_auth_file(creds)


def test_throttle_backs_off_per_user_and_per_address():
    now = [0.0]
    th = LoginThrottle(free_user=3, free_address=5, base=1.0, clock=lambda: now[0])
    waits = [th.fail("olena", "10.0.0.1") for _ in range(5)]
    assert waits == [0.0, 0.0, 0.0, 1.0, 2.0]
    assert th.retry_after("olena", "10.0.0.9") == 2.0  # the user, from anywhere
    now[0] = 10.0
    th.succeed("olena", "10.0.0.1")
    assert th.retry_after("olena", "10.0.0.9") == 0.0
    # many user names from one address: the address is locked
    for i in range(6):
        th.fail(f"guess{i}", "10.0.0.2")
    assert th.retry_after("someone-else", "10.0.0.2") > 0
    assert th.retry_after("someone-else", "10.0.0.3") == 0.0
    # backoff is capped
    for _ in range(40):
        th.fail("olena", "10.0.0.4")
    assert th.retry_after("olena", "10.0.0.4") <= th.cap


def test_sessions_end_at_logout_and_expire():
    now = [0.0]
    store = SessionStore(lifetime=100.0, clock=lambda: now[0])
    a, b = store.create("olena"), store.create("olena")
    assert a != b and store.user(a) == store.user(b) == "olena"
    store.end(a)
    assert store.user(a) is None and store.user(b) == "olena"
    now[0] = 100.0
    assert store.user(b) is None
    assert store.user("forged") is None
