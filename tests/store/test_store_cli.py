"""``socialkit db``: schema status and upgrade, institutions and roles, a record's audit trail."""

from __future__ import annotations

import string

import pytest

from socialkit.store import Actor, close_stores, open_store


def test_status_upgrade_and_status_again(tmp_path, cli):
    from socialkit.store.schema import head_revision

    head = head_revision()
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    code, out, _ = cli("db", "status", "--url", url).streams()
    assert code == 1 and "empty database" in out
    code, out, _ = cli("db", "upgrade", "--url", url).streams()
    assert code == 0 and f"schema upgraded from - to {head}" in out
    code, out, _ = cli("db", "upgrade", "--url", url).streams()
    assert code == 0 and f"already at the newest revision {head}" in out
    code, out, _ = cli("db", "status", "--url", url, "--lang", "uk").streams()
    assert code == 0 and f"ревізії {head} (найновіша)" in out


def test_history_shows_who_when_old_and_new(tmp_path, cli):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    assert cli("db", "institution", "csw-a", "--kind", "csw", "--name", "CSW A",
               "--url", url).streams()[0] == 0
    assert cli("db", "grant", "wa", "worker", "--institution", "csw-a",
               "--url", url).streams()[0] == 0
    assert cli("db", "grant", "ha", "head", "--institution", "csw-a",
               "--url", url).streams()[0] == 0
    store = open_store(url)
    store.register_form(Actor.system(), "csw_state", "1")
    wa, ha = store.actor("wa"), store.actor("ha")
    r = store.save(wa, "csw_state", "1", "csw-a", "2026Q1", {"staff": 10})
    r = store.save(wa, "csw_state", "1", "csw-a", "2026Q1", {"staff": 12}, expected_version=1)
    r = store.submit(wa, r.record_id, r.version)
    store.return_record(ha, r.record_id, r.version, "staff count is last year's")

    code, out, err = cli("db", "history", "--form", "csw_state", "--institution",
                         "csw-a", "--period", "2026Q1", "--url", url).streams()
    assert code == 0, err
    assert "csw_state / csw-a / 2026Q1 (record 1): draft, version 4" in out
    assert "version 2: saved by wa" in out and "staff: 10 → 12" in out
    assert "version 4: returned by ha" in out and "reason: staff count is last year's" in out
    code, out, _ = cli("db", "history", "1", "--url", url, "--lang", "sr").streams()
    assert "враћено на дораду" in out and "разлог: staff count" in out

    # a user without rights at csw-a gets a message, not a traceback
    code, out, err = cli("db", "history", "1", "--as", "stranger", "--url", url).streams()
    assert code == 1 and "stranger may not see the record" in err and "Traceback" not in err
    code, out, err = cli("db", "grant", "x", "boss", "--url", url).streams()
    assert code == 1 and "unknown role 'boss'" in err
    close_stores()


@pytest.mark.parametrize("lang", ["en", "uk", "ro", "sr", "ru", "be"])
def test_store_messages_exist_in_every_language(lang):
    from socialkit.i18n import available_keys, t, tn

    keys = {k for k in available_keys("en") if k.startswith("store.")}
    assert keys and keys == {k for k in available_keys(lang) if k.startswith("store.")}
    fmt = string.Formatter()
    for key in keys:
        mine = {f for _, f, _, _ in fmt.parse(_raw(lang, key)) if f}
        assert mine == {f for _, f, _, _ in fmt.parse(_raw("en", key)) if f}, (lang, key)
    assert t("store.status.approved", "en") == "approved"
    if lang in ("en", "uk"):
        assert "2" in tn("store.cli.revoked", 2, lang, user="u", role="worker")


def _raw(lang: str, key: str) -> str:
    """The message as the catalog holds it (the .po file; a plural's last form)."""
    from babel.messages.pofile import read_po

    from socialkit import config

    po = config.locale_dir() / lang / "LC_MESSAGES" / "store.po"
    with po.open("rb") as fh:
        catalog = read_po(fh)
    for message in catalog:
        if message.context == key:
            text = message.string
            return text[-1] if isinstance(text, tuple | list) else text
    raise KeyError(f"{po}: no message {key}")
