"""A real dashboard server on a free localhost port and Debian's headless Chromium.

The server is started with ``socialkit serve`` (basic auth + users file) in a subprocess on the
demo catalog, by the ``real_server`` context manager of ``tests/conftest.py`` (shared with
``tests/views/test_server_security.py``). Every page opened through the ``session`` fixture records console errors and
every request whose URL is not on the test server; a test fails if any occurred.
"""

from __future__ import annotations

import sys
from pathlib import Path

# helpers beside this file must import under any --import-mode (prepend or importlib)
sys.path.insert(0, str(Path(__file__).resolve().parent))

import json

import pytest
from browser_support import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    PASSWORDS,
    PDF,
    Session,
)

from socialkit import config
from socialkit.library import FileStore, Library, Reader
from socialkit.store import close_stores, open_store
from socialkit.views.credentials import hash_password


@pytest.fixture(scope="session")
def dashboard(demo_catalog, demo_tables, tmp_path_factory, real_server):
    """``(base_url, ids)``: the served dashboard and the demo municipality ids."""
    ids = demo_tables["municipalities"]["municipality_id"].tolist()
    names = demo_tables["municipalities"]["name"].tolist()
    work = tmp_path_factory.mktemp("dashboard")
    creds = work / "creds.json"
    creds.write_text(json.dumps({u: hash_password(p) for u, p in PASSWORDS.items()}),
                     encoding="utf-8")
    users = work / "users.yaml"
    users.write_text(f"admin: '*'\nolena: [{ids[1]}]\neditor: [{ids[0]}]\n", encoding="utf-8")
    docs = work / "documents"
    docs.mkdir()
    # the e-platform library: a store and its files, an editor of the first municipality,
    # a published internal document of each of the first two municipalities
    db_url, files = f"sqlite:///{work / 'store.sqlite'}", work / "library"
    library = Library(open_store(db_url), FileStore(files))
    library.grant(Reader.system(), "editor", "editor", ids[0])
    for mid, name, data in [(ids[1], "passport_2021.pdf", PDF),
                            (ids[0], "other_municipality.pdf", b"%PDF-1.4 not yours")]:
        library.add(Reader.system(), name, data, mid, item_type="passport",
                    titles={"en": name}, publish=True)
    # a draft strategy in public consultation (residents comment on the public page)
    library.add(Reader.system(), "consultation.pdf", b"%PDF-1.4 draft for consultation", ids[0],
                item_type="strategy", titles={"uk": "Проєкт стратегії для обговорення"},
                visibility="public", publish=True, comments_until="2099-12-31")
    close_stores()
    with real_server(["--catalog", demo_catalog, "--basic-auth", creds, "--users", users],
                     work, address="localhost",
                     env={"SOCIALKIT_DOCUMENTS_DIR": str(docs), "SOCIALKIT_DB_URL": db_url,
                          "SOCIALKIT_LIBRARY_DIR": str(files),
                          # the strategy page of the first municipality (Mykolaivka's cycle)
                          "SOCIALKIT_STRATEGIES": str(config.strategy_demo_dir())}
                     ) as running:
        yield {"base": running.base, "ids": ids, "names": names, "pid": running.proc.pid,
               "log": running.log}


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y "
                    "chromium) or set SOCIALKIT_CHROMIUM")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def session(browser, dashboard):
    s = Session(browser, dashboard["base"])
    yield s
    s.context.close()
    assert s.outside == [], f"requests left localhost: {s.outside}"
    assert s.errors == [], f"browser console errors: {s.errors}"
