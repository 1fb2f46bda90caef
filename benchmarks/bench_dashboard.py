"""Dashboard speed with concurrent sessions: time to interactive, municipality switch, memory.

Starts ``socialkit serve`` on a free localhost port with a freshly generated demo catalog and
drives Debian's headless Chromium (Playwright, async) in four phases:

1. one session alone: time to interactive and ``--switches`` municipality switches;
2. ``--sessions`` sessions opened at the same instant (burst): time to interactive of each;
3. all of them switching municipality ``--switches`` times with random think time (0-3 s);
4. one more session opened while the others stay connected: time to interactive;
5. server only: ``--sessions`` Bokeh client sessions pulled at once (``bokeh.client``, no
   browser), to separate the server's share of the burst from the browser's rendering.

*Time to interactive* runs from ``page.goto`` until the Overview's key-figures table is shown
(session created on the server, data from the process cache, figures drawn, websocket live);
a *switch* from choosing another municipality in the sidebar until that municipality's key
figures are shown. The server's resident memory (``VmRSS``) is read after start and with all
sessions open.

The obvious alternative to the process-wide cache is that every session loads and validates
the catalog itself; that cost (``load_all``) is measured in the same run against a cache hit
(``load_data`` on the warm cache), with the server-side render time of the Overview.

Browser and server share the machine's CPUs, so with many sessions the numbers include the
browser's own rendering of every page; the load average is reported with the results.
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


async def _open(browser, base: str) -> tuple[object, object, float]:
    """A new context and page on the dashboard; returns them and the time to interactive."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    t0 = time.perf_counter()
    await page.goto(base + "/?page=overview", timeout=300_000)
    await page.wait_for_selector(".sk-key-figures table", timeout=300_000)
    return context, page, time.perf_counter() - t0


async def _switch(page, target: str) -> float:
    """Choose ``target`` in the sidebar; seconds until its key figures are shown."""
    heading = page.locator(".sk-figures-title")
    t0 = time.perf_counter()
    await page.locator(".sk-municipality select").select_option(label=target)
    await heading.filter(has_text=target).wait_for(timeout=300_000)
    return time.perf_counter() - t0


async def _browse(base: str, names: list[str], sessions: int, switches: int, seed: int = 0):
    """Single session, then ``sessions`` opened at once (burst), then staggered switches in
    every open session, then one more session opened while the others stay connected."""
    import random

    from playwright.async_api import async_playwright

    rng = random.Random(seed)
    out: dict[str, list[float]] = {}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        ctx, page, _ = await _open(browser, base)  # warm-up (browser cache, server imports)
        await ctx.close()
        ctx, page, tti = await _open(browser, base)
        out["tti_single"] = [tti]
        out["switch_single"] = [await _switch(page, names[(k + 1) % len(names)])
                                for k in range(switches)]
        await ctx.close()
        opened = await asyncio.gather(*[_open(browser, base) for _ in range(sessions)])
        out["tti_burst"] = [o[2] for o in opened]

        async def _user(k: int, page) -> list[float]:
            times = []
            for j in range(switches):
                await asyncio.sleep(rng.uniform(0.0, 3.0))  # think time
                times.append(await _switch(page, names[(k + j + 1) % len(names)]))
            return times

        per_user = await asyncio.gather(*[_user(k, o[1]) for k, o in enumerate(opened)])
        out["switch_concurrent"] = [t for times in per_user for t in times]
        ctx, page, tti = await _open(browser, base)
        out["tti_with_open_sessions"] = [tti]
        await ctx.close()
        for o in opened:
            await o[0].close()
        await browser.close()
    return out


def _pull_burst(base: str, sessions: int) -> list[float]:
    """Server only: ``sessions`` Bokeh client sessions pulled at once (no browser rendering);
    seconds until each has the whole document."""
    from concurrent.futures import ThreadPoolExecutor

    import panel  # noqa: F401  (registers Panel's models for deserialisation)
    from bokeh.client import pull_session

    def _one(_: int) -> float:
        t0 = time.perf_counter()
        session = pull_session(url=base + "/")
        took = time.perf_counter() - t0
        session.close()
        return took

    with ThreadPoolExecutor(sessions) as pool:
        return list(pool.map(_one, range(sessions)))


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
        t0 = time.perf_counter()
        runs = asyncio.run(_browse(base, names, args.sessions, args.switches))
        wall = time.perf_counter() - t0
        runs["server_only_burst"] = _pull_burst(base, args.sessions)
        rss_after = _rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()
    stats = {k: _summary(v) for k, v in runs.items()}
    cache = _cache_ratio(catalog)
    out = {
        "sessions": args.sessions, "switches_per_session": args.switches,
        "municipalities": args.scale, "cpu_count": os.cpu_count(),
        "load_average_1min": os.getloadavg()[0], "wall_s": wall, **stats,
        "server_rss_mb": {"idle_after_start": rss_idle, "after_sessions": rss_after},
        **cache,
        "targets_met": {
            "interactive_lt_2s_with_open_sessions":
                stats["tti_with_open_sessions"]["max_s"] < 2.0,
            "interactive_lt_2s_burst_median": stats["tti_burst"]["median_s"] < 2.0,
            "switch_lt_1s_p90_concurrent": stats["switch_concurrent"]["p90_s"] < 1.0,
        },
    }
    print(f"{args.sessions} concurrent sessions, {args.scale} municipalities, "
          f"{os.cpu_count()} CPUs shared with the browser (load average "
          f"{out['load_average_1min']:.1f})")
    print(f"{'measure (seconds)':<46}{'n':>4}{'median':>9}{'p90':>9}{'max':>9}")
    labels = {
        "tti_single": "time to interactive, one session",
        "switch_single": "municipality switch, one session",
        "tti_burst": f"time to interactive, {args.sessions} opened at once",
        "switch_concurrent": f"switch, {args.sessions} sessions switching",
        "tti_with_open_sessions": f"time to interactive, {args.sessions} others open",
        "server_only_burst": f"server only: {args.sessions} sessions pulled at once",
    }
    for key, label in labels.items():
        st = stats[key]
        print(f"{label:<46}{st['n']:>4}{st['median_s']:>9.3f}{st['p90_s']:>9.3f}"
              f"{st['max_s']:>9.3f}")
    print(f"server RSS: {rss_idle:.0f} MB after start, {rss_after:.0f} MB with "
          f"{args.sessions} sessions")
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
