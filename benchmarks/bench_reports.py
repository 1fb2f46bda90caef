"""Benchmark: socialkit's batch reports against the loop a user would write.

Run ``python benchmarks/bench_reports.py [--n N]``. In one run it

1. writes a synthetic demo catalog (``--scale`` municipalities, default ``N``) to a temp dir;
2. runs ``socialkit.reporting.run_reports`` for the first ``N`` municipalities and every report
   whose notebook exists (``--workers``, default all cores): warm kernels, rendering in the
   worker, catalog cached per worker;
3. runs the naive loop for ``--naive-n`` municipalities (default 2), one report after another:
   ``papermill`` CLI, then ``jupyter nbconvert --to webpdf`` (headless Chromium: Debian's
   ``/usr/bin/chromium`` through ``_nbconvert_webpdf.py``; if that fails, ``--to html`` and the
   ``weasyprint`` CLI, and the output says so). Both sides get ``SOCIALKIT_STATIC_FIGURES=1``
   and ``SOCIALKIT_SVG_FONTTYPE=none``,
   so they render the same content;
4. prints seconds per report for both, the ratio, where the naive loop's time goes (from
   papermill's per-cell timings), and an extrapolation to the full synthetic Ukraine
   (1,469 hromadas × 3 reports) on this machine's cores.

Nothing is written to the source tree.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
UKRAINE = 1469
UKRAINE_REPORTS = 3


def _run(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:3])} … failed:\n{proc.stderr[-2000:]}")
    return time.perf_counter() - start


def _cell_seconds(path: Path) -> float:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return sum((c.get("metadata", {}).get("papermill", {}).get("duration") or 0.0)
               for c in nb["cells"])


def naive_loop(jobs, work: Path, env: dict[str, str]) -> dict:
    """papermill CLI then nbconvert per report, sequentially; seconds per stage."""
    papermill = [str(BIN / "papermill")]
    webpdf = [sys.executable, str(HERE / "_nbconvert_webpdf.py"), "--to", "webpdf",
              "--disable-chromium-sandbox", "--no-input"]
    mode = "webpdf (Chromium)"
    rows = []
    for job in jobs:
        executed = work / f"{job.municipality_id}-{job.report}.ipynb"
        t_exec = _run([*papermill, job.notebook, str(executed), "--no-progress-bar",
                       "-p", "catalog", job.catalog, "-p", "municipality_id",
                       job.municipality_id, "-p", "lang", job.lang], env)
        cells = _cell_seconds(executed)
        try:
            if mode.startswith("webpdf"):
                t_pdf = _run([*webpdf, str(executed)], env)
            else:
                raise RuntimeError
        except RuntimeError as exc:
            if mode.startswith("webpdf"):
                print(f"webpdf unavailable, falling back to html + weasyprint: {exc}",
                      file=sys.stderr)
            mode = "html + weasyprint CLI (webpdf unavailable)"
            start = time.perf_counter()
            _run([str(BIN / "jupyter-nbconvert"), "--to", "html", "--no-input", str(executed)], env)
            _run([str(BIN / "weasyprint"), str(executed.with_suffix(".html")),
                  str(executed.with_suffix(".pdf"))], env)
            t_pdf = time.perf_counter() - start
        rows.append({"execute": t_exec, "cells": cells, "pdf": t_pdf, "total": t_exec + t_pdf})
    return {"mode": mode, "rows": rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10, help="municipalities for socialkit")
    parser.add_argument("--scale", type=int, default=None,
                        help="municipalities in the catalog (default N; 1469 = all Ukraine)")
    parser.add_argument("--naive-n", type=int, default=2, help="municipalities for the naive loop")
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--report", default="all")
    parser.add_argument("--json", type=Path, default=HERE / "results" / "bench_reports.json",
                        help="where to write the results as JSON")
    args = parser.parse_args(argv)

    from socialkit.data.demo import write_demo
    from socialkit.reporting import plan_jobs, run_reports

    tmp = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    env = dict(os.environ, SOCIALKIT_STATIC_FIGURES="1", SOCIALKIT_SVG_FONTTYPE="none",
               PYDEVD_DISABLE_FILE_VALIDATION="1")
    try:
        catalog = write_demo(tmp / "data", n=args.scale or args.n)
        jobs, _ = plan_jobs(args.report, catalog=catalog)
        ids = list(dict.fromkeys(j.municipality_id for j in jobs))[: args.n]
        reports = sorted({j.report for j in jobs})
        print(f"catalog: {args.scale or args.n} municipalities; reports: {', '.join(reports)}; "
              f"cores: {os.cpu_count()}; workers: {args.workers}; "
              f"load average before: {os.getloadavg()[0]:.1f}", flush=True)

        start = time.perf_counter()
        summary = run_reports(args.report, municipalities=ids, catalog=catalog, out=tmp / "sk",
                              workers=args.workers, progress=False)
        sk_wall = time.perf_counter() - start
        n_sk = len(summary.records)
        failed = summary.failed
        per_job = [t["total"] for t in summary.timings]
        # the first job of each worker pays process start, imports and kernel warm-up
        steady = sorted(per_job)[: max(1, n_sk - args.workers)]
        steady_mean = statistics.mean(steady)
        cold = max(per_job)
        exec_mean = statistics.mean(t.get("execute", 0) for t in summary.timings)
        render_mean = statistics.mean(t.get("render", 0) for t in summary.timings)

        naive_jobs = [j for j in jobs if j.municipality_id in ids[: args.naive_n]]
        naive = naive_loop(naive_jobs, tmp, env)
        rows = naive["rows"]
        naive_per = statistics.mean(r["total"] for r in rows)
        naive_exec = statistics.mean(r["execute"] for r in rows)
        naive_cells = statistics.mean(r["cells"] for r in rows)
        naive_pdf = statistics.mean(r["pdf"] for r in rows)

        sk_per = sk_wall / n_sk
        total_ukraine = UKRAINE * UKRAINE_REPORTS
        extrapolated = cold + total_ukraine * steady_mean / args.workers
        result = {
            "n_reports_socialkit": n_sk, "failed": len(failed), "workers": args.workers,
            "socialkit_wall_s": sk_wall, "socialkit_s_per_report": sk_per,
            "socialkit_steady_s_per_report_per_worker": steady_mean,
            "socialkit_cold_first_report_s": cold,
            "socialkit_execute_s": exec_mean, "socialkit_render_s": render_mean,
            "naive_mode": naive["mode"], "n_reports_naive": len(rows),
            "naive_s_per_report": naive_per, "naive_papermill_s": naive_exec,
            "naive_cells_s": naive_cells, "naive_pdf_s": naive_pdf,
            "ratio_wall_per_report": naive_per / sk_per,
            "ratio_steady_single_worker": naive_per / steady_mean,
            "ukraine_reports": total_ukraine, "ukraine_extrapolated_s": extrapolated,
            "catalog_municipalities": args.scale or args.n,
            "load_average_after": os.getloadavg()[0],
        }
        print(f"""
| | seconds per report |
|---|---|
| naive loop ({naive['mode']}), {len(rows)} reports | {naive_per:.2f} |
|   papermill CLI (process + kernel start/imports + cells + shutdown) | {naive_exec:.2f} |
|     of which the cells themselves | {naive_cells:.2f} |
|   nbconvert → PDF | {naive_pdf:.2f} |
| socialkit, {n_sk} reports on {args.workers} workers (wall / reports) | {sk_per:.2f} |
|   steady state, one worker (execute {exec_mean:.2f} + render {render_mean:.2f} on average) | {steady_mean:.2f} |
|   first report of a worker (process start, imports, kernel warm-up) | {cold:.2f} |

ratio, wall time per report: {result['ratio_wall_per_report']:.1f}×
ratio, one warm worker vs the naive loop: {result['ratio_steady_single_worker']:.1f}×
failed: {len(failed)}{' ' + str([(r['municipality_id'], r['report'], r['error']) for r in failed]) if failed else ''}
full synthetic Ukraine ({UKRAINE} × {UKRAINE_REPORTS} = {total_ukraine} reports) on {args.workers} workers: \
~{extrapolated / 60:.0f} min (naive loop: ~{total_ukraine * naive_per / 3600:.1f} h)""")
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(result, indent=2))
            print(f"results: {args.json}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
