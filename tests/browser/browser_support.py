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
PASSWORDS = {"admin": "admin-secret", "olena": "olena-secret", "nobody": "nobody-secret",
             "editor": "editor-secret"}
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


_RECORD_WEBM = """async (ms) => {
    const canvas = document.createElement("canvas");
    canvas.width = 160; canvas.height = 90;
    const ctx = canvas.getContext("2d");
    const stream = canvas.captureStream(25);
    const rec = new MediaRecorder(stream, {mimeType: "video/webm"});
    const chunks = [];
    rec.ondataavailable = (e) => chunks.push(e.data);
    const done = new Promise((resolve) => { rec.onstop = resolve; });
    rec.start();
    const t0 = performance.now();
    while (performance.now() - t0 < ms) {
        const f = (performance.now() - t0) / ms;
        ctx.fillStyle = `rgb(${Math.round(255 * f)}, 114, 178)`;
        ctx.fillRect(0, 0, 160, 90);
        await new Promise((r) => setTimeout(r, 40));
    }
    rec.stop();
    await done;
    const buf = await new Blob(chunks, {type: "video/webm"}).arrayBuffer();
    return Array.from(new Uint8Array(buf));
}"""


def record_webm(browser, ms: int = 1200) -> bytes:
    """A short real WebM video, recorded by Chromium itself from a canvas (no file in the
    repository, nothing downloaded)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content("<html><body></body></html>")
        return bytes(page.evaluate(_RECORD_WEBM, ms))
    finally:
        context.close()
