"""Evidence packs for every hromada: how long one takes once the shared steps are done.

Data: ``socialkit demo --scale N`` (default 1,469 hromadas, the whole synthetic Ukraine) in a
temporary folder. Timed:

1. **load**: reading and validating the catalog (once per batch);
2. **context**: :func:`socialkit.strategy.evidence.evidence_context` — the vulnerability index
   of every settlement and municipality, the maturity assessment, the indicator framework
   (once per batch, shared by every pack);
3. **pack**: :func:`~socialkit.strategy.evidence.build_evidence` of one hromada (its passport,
   needs, maturity and M&E findings in one language), its workbook, and its PDF
   (:func:`socialkit.strategy.display.evidence_sections` → WeasyPrint), for ``--packs`` hromadas.

The batch reports' speed to compare with is in docs/reporting.md (seconds per report, warm
kernels). Usage::

    .venv/bin/python benchmarks/bench_strategy.py [--scale 1469] [--packs 20] [--lang uk]

Prints a table and writes ``benchmarks/results/bench_strategy.json``. Nothing is written to the
source tree but that file.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=int, default=1469)
    ap.add_argument("--packs", type=int, default=20)
    ap.add_argument("--lang", default="uk")
    args = ap.parse_args(argv)

    from socialkit.cli import main as cli
    from socialkit.data import load_all
    from socialkit.i18n import display_name
    from socialkit.reporting.render import TitlePage, html_to_pdf, today
    from socialkit.reporting.strategy import evidence_workbook, sections_html
    from socialkit.strategy.display import evidence_sections
    from socialkit.strategy.evidence import build_evidence, evidence_context

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "demo"
        t0 = time.perf_counter()
        try:
            cli(["demo", "--out", str(out), "--scale", str(args.scale)])
        except SystemExit as exc:
            if exc.code:
                raise
        t_demo = time.perf_counter() - t0
        catalog = out / "catalog.yaml"
        t0 = time.perf_counter()
        tables = load_all(catalog)
        t_load = time.perf_counter() - t0
        t0 = time.perf_counter()
        ctx = evidence_context(tables, catalog)
        t_ctx = time.perf_counter() - t0
        munis = tables["municipalities"].set_index("municipality_id", drop=False)
        build, render = [], []
        for mid in munis.index[: args.packs]:
            t0 = time.perf_counter()
            pack = build_evidence(tables, [mid], langs=(args.lang,), catalog=catalog,
                                  context=ctx)
            evidence_workbook(pack, args.lang)
            t1 = time.perf_counter()
            name = display_name(munis.loc[mid], args.lang)
            title = TitlePage(report="strategy.title.evidence", municipality=name, region="",
                              country=str(munis.at[mid, "country"]), data_as_of=today(),
                              synthetic=True, lang=args.lang, generated=today())
            html_to_pdf(sections_html(evidence_sections(pack, args.lang, name), title))
            render.append(time.perf_counter() - t1)
            build.append(t1 - t0)
    per_pack = statistics.median(b + r for b, r in zip(build, render, strict=True))
    result = {
        "scale": args.scale, "packs": len(build), "lang": args.lang,
        "demo_s": round(t_demo, 2), "load_s": round(t_load, 2), "context_s": round(t_ctx, 2),
        "build_median_s": round(statistics.median(build), 3),
        "render_median_s": round(statistics.median(render), 3),
        "per_pack_median_s": round(per_pack, 3),
        "all_hromadas_one_core_min": round((t_load + t_ctx + per_pack * args.scale) / 60, 1),
        "python": platform.python_version(), "machine": platform.machine(),
    }
    for k, v in result.items():
        print(f"{k:28} {v}")
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "bench_strategy.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    main()
