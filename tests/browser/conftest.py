"""A real dashboard server on a free localhost port and Debian's headless Chromium.

The server is started with ``socialkit serve`` (basic auth + users file) in a subprocess on the
demo catalog. Every page opened through the ``browser_page`` fixture records console errors and
every request whose URL is not on the test server; a test fails if any occurred.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("SOCIALKIT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORDS = {"admin": "admin-secret", "olena": "olena-secret", "nobody": "nobody-secret"}
PDF = b"%PDF-1.4\n% socialkit test document\n"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


@pytest.fixture(scope="session")
def dashboard(demo_catalog, demo_tables, tmp_path_factory):
    """``(base_url, ids)``: the served dashboard and the demo municipality ids."""
    ids = demo_tables["municipalities"]["municipality_id"].tolist()
    names = demo_tables["municipalities"]["name"].tolist()
    work = tmp_path_factory.mktemp("dashboard")
    creds = work / "creds.json"
    creds.write_text(json.dumps(PASSWORDS), encoding="utf-8")
    users = work / "users.yaml"
    users.write_text(f"admin: '*'\nolena: [{ids[1]}]\n", encoding="utf-8")
    docs = work / "documents"
    (docs / ids[1]).mkdir(parents=True)
    (docs / ids[1] / "passport_2021.pdf").write_bytes(PDF)
    (docs / ids[0]).mkdir(parents=True)
    (docs / ids[0] / "other_municipality.pdf").write_bytes(b"%PDF-1.4 not yours")
    port = free_port()
    env = {**os.environ, "SOCIALKIT_DOCUMENTS_DIR": str(docs), "SOCIALKIT_LANG": "en"}
    log = (work / "server.log").open("w")
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("socialkit")), "serve",
         "--catalog", str(demo_catalog), "--port", str(port), "--address", "localhost",
         "--basic-auth", str(creds), "--users", str(users)],
        stdout=log, stderr=subprocess.STDOUT, env=env,
    )
    base = f"http://localhost:{port}"
    try:
        wait_for_http(f"{base}/login", proc)
        yield {"base": base, "ids": ids, "names": names, "pid": proc.pid,
               "log": work / "server.log"}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


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


_DEEP_TEXT = """([sel, visibleOnly]) => {
  const skip = new Set(['STYLE', 'SCRIPT', 'TEMPLATE']);
  const collect = (node, out) => {
    if (node.nodeType === 3) { out.push(node.textContent); return; }
    if (skip.has(node.nodeName)) return;
    if (node.shadowRoot) collect(node.shadowRoot, out);
    node.childNodes.forEach((c) => collect(c, out));
  };
  let found = [];
  const visit = (root) => {
    root.querySelectorAll(sel).forEach((el) => found.push(el));
    root.querySelectorAll('*').forEach((el) => { if (el.shadowRoot) visit(el.shadowRoot); });
  };
  visit(document);
  const out = [];
  if (visibleOnly) found = found.filter((el) => el.checkVisibility());
  found.filter((el) => !found.some((o) => o !== el && o.contains(el)))
       .forEach((el) => collect(el, out));
  return out.join(' ').replace(/\\s+/g, ' ').trim();
}"""


class Session:
    """One browser context with offline and console-error bookkeeping."""

    def __init__(self, browser, base: str):
        self.base = base
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000},
                                           accept_downloads=True)
        self.page = self.context.new_page()
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", self._request)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        # Anything not for the test server is recorded and aborted (we are offline).
        self.context.route("**/*", self._route)

    def _request(self, request) -> None:
        if not self._local(request.url):
            self.outside.append(request.url)

    def _route(self, route) -> None:
        if self._local(route.request.url):
            route.continue_()
        else:
            route.abort()

    def _local(self, url: str) -> bool:
        return url.startswith((self.base, self.base.replace("http", "ws"), "data:", "blob:"))

    def login(self, user: str, password: str | None = None, query: str = "") -> None:
        page = self.page
        page.goto(f"{self.base}/login")
        page.fill("input[name=username]", user)
        page.fill("input[name=password]", password or PASSWORDS[user])
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        if query:
            page.goto(f"{self.base}/{query}")
        page.wait_for_selector(".sk-page", timeout=30_000)

    def shot(self, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def text(self, selector: str, visible_only: bool = False) -> str:
        """Text under every element matching ``selector``, shadow roots included (only the
        elements the browser shows with ``visible_only``)."""
        return self.page.evaluate(_DEEP_TEXT, [selector, visible_only])


@pytest.fixture
def session(browser, dashboard):
    s = Session(browser, dashboard["base"])
    yield s
    s.context.close()
    assert s.outside == [], f"requests left localhost: {s.outside}"
    assert s.errors == [], f"browser console errors: {s.errors}"
