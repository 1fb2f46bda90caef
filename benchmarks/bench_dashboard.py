"""Dashboard speed with concurrent sessions: time to interactive, municipality switch, memory.

Starts ``socialkit serve`` on a free localhost port with a freshly generated demo catalog,
opens ``--sessions`` browser contexts at once in Debian's headless Chromium (Playwright, async),
and measures per session:

* **time to interactive**: from ``page.goto`` until the Overview's key-figures table is shown
  (server session created, data from the process cache, figures rendered, websocket live);
* **switch**: from choosing another municipality in the sidebar until the page shows that
  municipality's key figures (``--switches`` times per session, all sessions at once);

and the server's resident memory (``VmRSS`` of the process) before and after the sessions.

The obvious alternative to the process-wide cache is that every session loads and validates
the catalog itself; that cost (``load_all``) is measured in the same run against a cache hit
(``load_data`` on the warm cache), and the page render time on the server is reported too.

Targets (issue 8): page interactive < 2 s on localhost, switch well under 1 s.

Usage::

    .venv/bin/python benchmarks/bench_dashboard.py [--sessions 20] [--switches 3] [--scale 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _wait(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError("server exited")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(url)


def _summary(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    return {
        "n": len(values),
        "median_s": statistics.median(values),
        "p90_s": values[min(len(values) - 1, int(round(0.9 * (len(values) - 1))))],
        "max_s": values[-1],
    }


async def _session(browser, base: str, names: list[str], k: int, switches: int, start_evt):
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    await start_evt.wait()
    t0 = time.perf_counter()
    await page.goto(base + "/")
    await page.wait_for_selector(".sk-key-figures table", timeout=60_000)
    tti = time.perf_counter() - t0
    await page.wait_for_load_state("networkidle")
    times = []
    for j in range(switches):
        target = names[(k + j + 1) % len(names)]
        heading = page.locator(".sk-page h3").first
        t1 = time.perf_counter()
        await page.locator(".sk-municipality select").select_option(label=target)
        await heading.filter(has_text=target).wait_for(timeout=60_000)
        times.append(time.perf_counter() - t1)
    await context.close()
    return tti, times


async def _browse(base: str, names: list[str], sessions: int, switches: int):
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        # one warm-up session (first import of Bokeh JS into the browser cache is not the app)
        await _session(browser, base, names, 0, 1, _set(asyncio.Event()))
        start = asyncio.Event()
        tasks = [asyncio.create_task(_session(browser, base, names, k, switches, start))
                 for k in range(sessions)]
        await asyncio.sleep(0.5)
        wall = time.perf_counter()
        start.set()
        results = await asyncio.gather(*tasks)
        wall = time.perf_counter() - wall
        await browser.close()
    return results, wall


def _set(evt: asyncio.Event) -> asyncio.Event:
    evt.set()
    return evt


def _cache_ratio(catalog: Path) -> dict[str, float]:
    """Cold load + validation per session (the alternative) vs a cache hit, and page render."""
    from socialkit.data import load_all
    from socialkit.views import create_app
    from socialkit.views.data import clear_cache, load_data

    clear_cache()
    t = time.perf_counter()
    load_all(catalog)
    cold = time.perf_counter() - t
    data = load_data(catalog)
    t = time.perf_counter()
    for _ in range(100):
        load_data(catalog)
    hit = (time.perf_counter() - t) / 100
    app = create_app(data=data, users=None)
    app.page("overview")._view()  # warm
    t = time.perf_counter()
    for mid in data.municipality_ids:
        app.state.select(mid)
        app.page("overview")._view()
    render = (time.perf_counter() - t) / len(data.municipality_ids)
    return {"load_all_cold_s": cold, "cache_hit_s": hit, "ratio_cold_over_hit": cold / hit,
            "server_render_overview_s": render}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--switches", type=int, default=3)
    parser.add_argument("--scale", type=int, default=10, help="demo municipalities")
    args = parser.parse_args(argv)

    from socialkit.data.demo import write_demo

    work = Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    catalog = write_demo(work / "demo", n=args.scale)
    import pandas as pd

    names = pd.read_csv(work / "demo" / "municipalities.csv")["name"].tolist()
    port = _free_port()
    exe = Path(sys.executable).with_name("socialkit")
    log = (work / "server.log").open("w")
    proc = subprocess.Popen([str(exe), "serve", "--catalog", str(catalog), "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://localhost:{port}"
    try:
        _wait(base + "/", proc)
        rss_idle = _rss_mb(proc.pid)
        results, wall = asyncio.run(_browse(base, names, args.sessions, args.switches))
        rss_after = _rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()
    tti = _summary([r[0] for r in results])
    switch = _summary([s for r in results for s in r[1]])
    cache = _cache_ratio(catalog)
    out = {
        "sessions": args.sessions, "switches_per_session": args.switches,
        "municipalities": args.scale, "cpu_count": os.cpu_count(),
        "time_to_interactive": tti, "switch": switch, "wall_all_sessions_s": wall,
        "server_rss_mb": {"idle_after_start": rss_idle, "after_sessions": rss_after},
        **cache,
        "targets_met": {"interactive_lt_2s_median": tti["median_s"] < 2.0,
                        "switch_lt_1s_p90": switch["p90_s"] < 1.0},
    }
    print(f"{args.sessions} concurrent sessions, {args.scale} municipalities, "
          f"{os.cpu_count()} CPUs (shared)")
    print(f"{'measure':<38}{'median':>9}{'p90':>9}{'max':>9}")
    for label, s in (("time to interactive (s)", tti), ("municipality switch (s)", switch)):
        print(f"{label:<38}{s['median_s']:>9.3f}{s['p90_s']:>9.3f}{s['max_s']:>9.3f}")
    print(f"server RSS: {rss_idle:.0f} MB after start, {rss_after:.0f} MB after the sessions")
    print(f"catalog load+validate per session (no cache): {cache['load_all_cold_s']:.3f} s; "
          f"cache hit: {cache['cache_hit_s'] * 1e6:.1f} µs "
          f"(x{cache['ratio_cold_over_hit']:,.0f}); "
          f"server render of Overview: {cache['server_render_overview_s'] * 1000:.0f} ms")
    results_dir = HERE / "results"
    results_dir.mkdir(exist_ok=True)
    (results_dir / "bench_dashboard.json").write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
