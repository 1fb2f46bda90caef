"""Helpers shared by the browser tests: Chromium settings, a page session that records console
errors and requests leaving localhost (the server: ``real_server`` in tests/conftest.py)."""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = Path(os.environ.get("SOCIALKIT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORDS = {"admin": "admin-secret", "olena": "olena-secret", "nobody": "nobody-secret"}
PDF = b"%PDF-1.4\n% socialkit test document\n"


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


