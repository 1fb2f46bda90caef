"""``socialkit library …`` and ``socialkit strategy publish``: the e-platform from the command
line, as an administrator and as an editor, with clear refusals."""

from __future__ import annotations

import pytest

from socialkit import config
from socialkit.library import Reader, open_library

PDF = b"%PDF-1.4\n% minutes\n"


@pytest.fixture
def env(tmp_path, monkeypatch):
    from socialkit.store import close_stores

    monkeypatch.setenv("SOCIALKIT_DB_URL", f"sqlite:///{tmp_path / 'store.sqlite'}")
    monkeypatch.setenv("SOCIALKIT_LIBRARY_DIR", str(tmp_path / "files"))
    yield tmp_path
    close_stores()


def test_grant_add_publish_list_history(cli, env):
    (env / "minutes.pdf").write_bytes(PDF)
    assert cli("library", "grant", "ed", "editor", "--municipality", "UA1").code == 0
    res = cli("library", "add", env / "minutes.pdf", "--municipality", "UA1", "--type",
              "minutes", "--title", "uk=Протокол засідання", "--title", "en=Minutes",
              "--tag", "робоча група", "--as", "ed")
    assert res.code == 0 and res.out.strip() == "1" and "Draft" in res.err
    refused = cli("library", "add", env / "minutes.pdf", "--municipality", "UA2", "--type",
                  "minutes", "--title", "en=Minutes", "--as", "ed")
    assert refused.code == 1 and "ed is not an editor of UA2" in refused.err
    bad = cli("library", "add", env / "minutes.pdf", "--municipality", "UA1", "--type",
              "minutes", "--title", "Minutes")
    assert bad.code == 1 and "--title Minutes: expected LANG=TEXT" in bad.err
    stale = cli("library", "publish", "1", "--version", "7", "--as", "ed")
    assert stale.code == 1 and "was changed by ed" in stale.err
    assert cli("library", "publish", "1", "--version", "1", "--as", "ed").code == 0
    listing = cli("library", "list", "--lang", "uk").out
    assert "Протокол засідання" in listing and "published" in listing
    history = cli("library", "history", "1").out
    assert "upload" in history and "publish" in history
    # an official without a role sees only published items and cannot publish
    assert cli("library", "withdraw", "1", "--as", "someone").code == 1


def test_reports_are_registered_from_a_reports_folder(cli, env):
    out = env / "reports"
    (out / "UA1").mkdir(parents=True)
    (out / "UA1" / "needs_en.pdf").write_bytes(PDF)
    (out / "manifest.json").write_text(
        '{"reports": [{"municipality_id": "UA1", "report": "needs", "lang": "en", '
        '"status": "ok", "output": "UA1/needs_en.pdf"}]}')
    res = cli("library", "register-reports", out)
    assert res.code == 0 and "1 added" in res.err
    items = open_library().items(Reader.system())
    assert list(items["item_type"]) == ["report"] and list(items["visibility"]) == ["internal"]


def test_a_strategy_cycle_is_published_for_public_consultation(cli, env):
    cycle = config.strategy_demo_dir() / "ua_mykolaivka"
    res = cli("strategy", "publish", "--cycle", cycle, "--lang", "uk")
    assert res.code == 0, res.output
    items = open_library().items(Reader.public(), lang="uk")
    assert set(items["item_type"]) == {"strategy", "action_plan"}
    assert set(items["municipality_id"]) == {"UA14020100006634663"}
    title = items.loc[items["item_type"] == "strategy", "title"].iloc[0]
    assert title.startswith("Проєкт стратегії розвитку соціальних послуг")
    assert "громадського обговорення" in title and "2027–2029" in title
    item, path = open_library().open(Reader.public(), int(items["item_id"].iloc[0]))
    assert path.read_bytes()[:4] in (b"%PDF", b"PK\x03\x04")
    district = config.strategy_demo_dir() / "md_cantemir"
    refused = cli("strategy", "publish", "--cycle", district)
    assert refused.code == 1 and "--municipality" in refused.err
