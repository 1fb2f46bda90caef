"""Benchmark: socialkit's HTML → PDF step against stock nbconvert + WeasyPrint.

Run ``python benchmarks/bench_render.py [--n N] [--nbs PATH]``. In one run it

1. gets executed report notebooks: from ``--nbs`` (a pickle of ``[(ReportJob, NotebookNode),
   …]``), or by executing every report of the bundled demo catalog (``catalogs/demo.yaml``)
   for the first ``--n`` municipalities in English and Ukrainian (static SVG figures, as the
   batch runner does);
2. times, per report and in CPU seconds of this process (``time.process_time``, the mean of
   ``--repeat`` runs — not the best, which would hide the garbage collections that come every
   other report — the two sides interleaved so both see the same machine load):

   - **naive**: ``nbconvert``'s default HTML (lab template, no input) laid out by WeasyPrint
     with its defaults — what a user would write;
   - **socialkit**: :func:`socialkit.reporting.render.render_pdf` — the project's print
     template (title page, contents, running header/footer, number cells) and the WeasyPrint
     shortcuts of ``render.py`` (the naive side runs with WeasyPrint's own SVG text drawing);
3. prints seconds per report for each, the ratios, and writes them to
   ``benchmarks/results/bench_render.json``.

Nothing is written to the source tree.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _executed_notebooks(n: int) -> list:
    """Execute every demo report for the first ``n`` municipalities, in en and uk."""
    os.environ["SOCIALKIT_STATIC_FIGURES"] = "1"
    os.environ.setdefault("SOCIALKIT_SVG_FONTTYPE", "none")
    from socialkit.reporting.jobs import _execute
    from socialkit.reporting.runner import plan_jobs

    catalog = ROOT / "catalogs" / "demo.yaml"
    items = []
    for lang in ("en", "uk"):
        jobs, _ = plan_jobs("all", catalog=catalog, lang=lang)
        ids = sorted({job.municipality_id for job in jobs})[:n]
        for job in jobs:
            if job.municipality_id in ids:
                nb, error = _execute(job)
                if error:
                    raise RuntimeError(f"{job.report} {job.municipality_id}: {error}")
                items.append((job, nb))
    return items


def _cpu(fn) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1, help="demo municipalities (without --nbs)")
    parser.add_argument("--nbs", type=Path, default=None,
                        help="pickle of [(ReportJob, executed NotebookNode), ...]")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    parser.add_argument("--json", type=Path, default=HERE / "results" / "bench_render.json",
                        help="where to write the results as JSON")
    args = parser.parse_args(argv)

    if args.nbs:
        with args.nbs.open("rb") as fh:
            items = pickle.load(fh)
        source = str(args.nbs)
    else:
        items = _executed_notebooks(args.n)
        source = f"catalogs/demo.yaml, {args.n} municipalities, en + uk"

    import weasyprint
    from nbconvert import HTMLExporter

    from socialkit._compat.weasyprint import stock_svg_text
    from socialkit.reporting.jobs import _title
    from socialkit.reporting.render import render_pdf, warm_up_renderer

    warm_up_renderer()
    naive_exporter = HTMLExporter(exclude_input=True)

    def naive(nb) -> bytes:  # WeasyPrint's own SVG text drawing (socialkit._compat off)
        html, _ = naive_exporter.from_notebook_node(nb)
        with stock_svg_text():
            return weasyprint.HTML(string=html).write_pdf()

    for job, nb in items[:1]:  # warm caches (fonts, templates) outside the timings
        naive(nb)
        render_pdf(nb, _title(job))

    rows = []
    for job, nb in items:
        title = _title(job)
        runs: dict[str, list[float]] = {"naive": [], "socialkit": []}
        for _ in range(args.repeat):
            runs["naive"].append(_cpu(lambda nb=nb: naive(nb)))
            runs["socialkit"].append(_cpu(lambda nb=nb, t=title: render_pdf(nb, t)))
        mean = {key: statistics.fmean(values) for key, values in runs.items()}
        pdf = render_pdf(nb, title)
        rows.append({"report": job.report, "lang": job.lang, "municipality_id": job.municipality_id,
                     "pdf_bytes": len(pdf), **{k: round(v, 4) for k, v in mean.items()}})
        print(f"{job.report:9s} {job.lang} {job.municipality_id}: naive {mean['naive']:.3f} s, "
              f"socialkit {mean['socialkit']:.3f} s")

    mean = {key: statistics.fmean(row[key] for row in rows) for key in ("naive", "socialkit")}
    ratio = mean["naive"] / mean["socialkit"]
    print(f"\nCPU seconds per report (mean of {len(rows)} reports × {args.repeat} runs):")
    print(f"  naive nbconvert + WeasyPrint   {mean['naive']:.3f}")
    print(f"  socialkit render_pdf           {mean['socialkit']:.3f}   ({ratio:.2f}× faster)")
    result = {
        "benchmark": "render",
        "source": source,
        "weasyprint": weasyprint.__version__,
        "python": sys.version.split()[0],
        "repeat": args.repeat,
        "statistic": "mean CPU seconds (time.process_time) per report",
        "seconds_per_report": {k: round(v, 4) for k, v in mean.items()},
        "ratio_naive_over_socialkit": round(ratio, 2),
        "reports": rows,
    }
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False))
        print(f"results: {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
