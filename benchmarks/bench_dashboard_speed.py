"""Dashboard speed as one official meets it: server start, the Needs page on a cold and on a
warm server, and switching municipality on every page (issue 18).

For each source tree given (``--tree``, default this one; ``--before OLD_TREE`` adds an older
checkout, e.g. ``git worktree add /tmp/old <commit>``) the benchmark starts
``socialkit serve`` with that tree first on ``PYTHONPATH`` on the demo catalog, with an empty
cache folder (``SOCIALKIT_CACHE_DIR``), and drives Debian's headless Chromium at 1366x768:

* **server ready**: from starting the process until ``/`` answers (the first page is built);
* **restart ready**: the same for a second start on the same cache folder (what a restart
  after an update of the code, not of the data, costs);
* **Needs, cold**: the first ``?page=needs`` of the restarted server until its map is drawn;
* **Needs, warm**: a second browser opening the same page on the same server;
* **switch on <page>**: choose another municipality in the sidebar until the page shows
  it (its heading replaced and its first section drawn; on the Overview, the key figures'
  title), ``--switches`` times per page.

With ``--before`` the table ends with the ratios before/after. Results go to
``benchmarks/results/bench_dashboard_speed.json``.

Usage::

    .venv/bin/python benchmarks/bench_dashboard_speed.py [--before /tmp/old] [--switches 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("SOCIALKIT_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PAGES = ["glance", "overview", "maturity", "needs", "passport", "monitoring"]

# the newest heading of the page, the height of its open section, whether a map is drawn
_STATE = """() => {
  const all = [];
  const visit = (root) => root.querySelectorAll('*').forEach((el) => {
    all.push(el); if (el.shadowRoot) visit(el.shadowRoot); });
  visit(document);
  const h1 = all.find((el) => el.tagName === 'H1' && el.getClientRects().length);
  let section = 0;
  for (const el of all)
    if (el.classList && el.classList.contains('sk-section') && el.getClientRects().length)
      section = Math.max(section, el.getBoundingClientRect().height);
  const map = all.some((el) => el.tagName === 'CANVAS' && el.getClientRects().length
      && el.getBoundingClientRect().height > 200);
  const figures = all.find((el) => el.classList && el.classList.contains('sk-figures-title'));
  const deep = (el) => (el.shadowRoot ? deep(el.shadowRoot) : '') + [...el.childNodes].map(
      (c) => c.nodeType === 3 ? c.textContent
          : (c.nodeType === 1 && c.nodeName !== 'STYLE' ? deep(c) : '')).join('');
  return {fresh: !!h1 && !h1.__old, section, map,
          figures: figures ? deep(figures).trim() : ''};
}"""
_MARK = """() => {
  const visit = (root) => root.querySelectorAll('*').forEach((el) => {
    if (el.tagName === 'H1') el.__old = true; if (el.shadowRoot) visit(el.shadowRoot); });
  visit(document);
}"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(tree: Path, catalog: Path, cache: Path) -> tuple[subprocess.Popen, str, float]:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(tree), "SOCIALKIT_CACHE_DIR": str(cache)}
    exe = Path(sys.executable).with_name("socialkit")
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(exe), "serve", "--catalog", str(catalog), "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    base = f"http://localhost:{port}"
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"server of {tree} exited")
        try:
            urllib.request.urlopen(base + "/", timeout=300)
            break
        except OSError:
            time.sleep(0.1)
    return proc, base, time.perf_counter() - t0


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


def _until(page, check, timeout: float = 300.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check(page.evaluate(_STATE)):
            return
        page.wait_for_timeout(25)
    raise TimeoutError("the page did not get there")


def _open_needs(browser, base: str) -> float:
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    t0 = time.perf_counter()
    page.goto(f"{base}/?page=needs&lang=en", timeout=300_000)
    _until(page, lambda s: s["fresh"] and s["map"])
    took = time.perf_counter() - t0
    context.close()
    return took


def _switches(browser, base: str, names: list[str], switches: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    for p in PAGES:
        page.goto(f"{base}/?page={p}&lang=en", timeout=300_000)
        flat = p in ("glance", "overview", "library")  # no section tabs

        def drawn(s, flat=flat) -> bool:
            return s["fresh"] and (flat or s["section"] > 50)

        _until(page, drawn)
        page.wait_for_timeout(500)
        times = []
        for k in range(switches):
            target = names[(k + 1) % len(names)]
            page.evaluate(_MARK)
            t0 = time.perf_counter()
            page.locator(".sk-municipality select").select_option(label=target)
            if p == "overview":  # patched in place: the key figures' title changes
                _until(page, lambda s, t=target: s["figures"].endswith(t))
            else:
                _until(page, drawn)
            times.append(time.perf_counter() - t0)
        out[p] = times
    context.close()
    return out


def measure(tree: Path, catalog: Path, names: list[str], switches: int) -> dict:
    from playwright.sync_api import sync_playwright

    cache = Path(tempfile.mkdtemp(prefix="bench-cache-"))
    result: dict = {"tree": str(tree)}
    proc, base, result["server_ready_s"] = _start(tree, catalog, cache)
    _stop(proc)
    proc, base, result["restart_ready_s"] = _start(tree, catalog, cache)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            result["needs_cold_s"] = _open_needs(browser, base)
            result["needs_warm_s"] = _open_needs(browser, base)
            result["switch_s"] = _switches(browser, base, names, switches)
            browser.close()
    finally:
        _stop(proc)
        shutil.rmtree(cache, ignore_errors=True)
    return result


def _row(label: str, values: list[float | None]) -> str:
    cells = "".join(f"{v:>12.2f}" if v is not None else f"{'':>12}" for v in values)
    return f"{label:<34}{cells}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, default=HERE.parent)
    parser.add_argument("--before", type=Path, default=None, help="an older source tree")
    parser.add_argument("--switches", type=int, default=3)
    args = parser.parse_args(argv)
    catalog = args.tree / "catalogs" / "demo" / "catalog.yaml"
    import pandas as pd

    names = pd.read_csv(catalog.parent / "municipalities.csv")["name"].tolist()
    trees = ([args.before] if args.before else []) + [args.tree]
    runs = [measure(t.resolve(), catalog, names, args.switches) for t in trees]
    heads = ["before", "after", "before/after"] if args.before else ["seconds"]
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; medians of "
          f"{args.switches} switches")
    print(f"{'measure':<34}" + "".join(f"{h:>12}" for h in heads))
    keys = [("server ready", "server_ready_s"), ("restart ready", "restart_ready_s"),
            ("Needs page, cold server", "needs_cold_s"), ("Needs page, warm", "needs_warm_s")]
    rows = [(label, [r[k] for r in runs]) for label, k in keys]
    rows += [(f"switch municipality: {p}", [statistics.median(r["switch_s"][p]) for r in runs])
             for p in PAGES]
    for label, values in rows:
        if args.before:
            values = [*values, values[0] / values[1] if values[1] else None]
        print(_row(label, values))
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / "bench_dashboard_speed.json").write_text(json.dumps(runs, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
