"""Needs clustering at the scale of Ukraine's 1,469 hromadas.

Data: synthetic, seeded — ``--units`` rows (default 1,469) × 10 variables, four Gaussian groups
of different sizes plus 2 % scattered outliers.

Measured in the same run, each against the obvious alternative:

1. **``cluster()`` end to end** (k chosen from 2..8 by the gap statistic with B = 50, 100
   bootstrap resamples for stability) for ``kmeans`` and ``ward``.
2. **gap statistic for a hierarchical method**: one tree per reference data set cut at every k
   (socialkit) vs a new ``linkage`` for every k (the literal ``clusGap`` loop, which calls the
   clustering function once per k); gap values checked equal.
3. **one BLAS/OpenMP thread per fit** (what ``cluster()`` does) vs the library default threads,
   for the 50 × 8 k-means fits of the gap statistic; labels checked equal.
4. **within-cluster dispersion** :math:`W_k` with :math:`d^2`: closed form
   :math:`\\tfrac12 \\sum_r \\sum_i \\lVert x_i - \\bar x_r \\rVert^2` vs ``pdist`` over all pairs.
5. **the needs report's national computation** (with ``--catalog``, e.g. the full-scale
   synthetic Ukraine of ``socialkit demo --scale 1469``): the index of every settlement and
   municipality with the framework's uncertainty runs (the report's cell 2) and the needs
   clustering of every settlement (cell 5), CPU seconds in a fresh memo. With ``--exact`` the
   clustering is also run without the large-data sampling of the gap statistic and the
   stability (``gap_max_n=None, boot_max_n=None``), and the gap values compared.

Usage::

    .venv/bin/python benchmarks/bench_needs.py [--units 1469] [--repeat 3]
        [--catalog /tmp/ua/catalog.yaml [--exact]]

Prints a table and writes ``benchmarks/results/bench_needs.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from scipy.cluster.hierarchy import cut_tree, linkage  # noqa: E402
from scipy.spatial.distance import pdist  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from socialkit.needs import cluster  # noqa: E402
from socialkit.needs.methods import METHODS  # noqa: E402
from socialkit.needs.validity import gap_statistic, within_dispersion  # noqa: E402


def make_data(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    sizes = np.array([0.4, 0.3, 0.2, 0.1])
    counts = np.floor(sizes * n).astype(int)
    counts[0] += n - counts.sum()
    centres = rng.normal(0, 2.5, (4, 10))
    X = np.concatenate([c + rng.normal(0, 1, (m, 10)) for c, m in zip(centres, counts,
                                                                        strict=True)])
    out = rng.random(n) < 0.02
    X[out] += rng.normal(0, 6, (out.sum(), 10))
    return pd.DataFrame(X, columns=[f"v{i}" for i in range(10)],
                        index=[f"M{i:04d}" for i in range(n)])


def timed(fn, repeat: int):
    best, out = np.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def _naive_hier(method: str):
    def fit(X, ks, random_state, n_init):
        from socialkit.needs.methods import Fit

        return [Fit(cut_tree(linkage(X, method), n_clusters=k).ravel()) for k in ks]

    return fit


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=1469)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--gap-b", type=int, default=50)
    ap.add_argument("--catalog", type=Path, default=None,
                    help="catalog of a full data set: time the needs report's computation")
    ap.add_argument("--exact", action="store_true",
                    help="with --catalog: also cluster without large-data sampling")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "bench_needs.json")
    args = ap.parse_args(argv)
    if args.catalog is not None:
        return _report(args)
    frame = make_data(args.units)
    X = ((frame - frame.mean()) / frame.std(ddof=1)).to_numpy()
    ks = list(range(1, 9))
    rows = []

    for method in ("kmeans", "ward"):
        t, res = timed(lambda m=method: cluster(frame, method=m, gap_b=args.gap_b), 1)
        rows.append({"step": f"cluster() {method}: gap B={args.gap_b}, 100 bootstraps",
                     "units": len(frame), "socialkit_s": t, "other_s": np.nan, "ratio": np.nan,
                     "check": f"k = {res.k}, mean Jaccard {res.stability['jaccard_mean'].mean():.2f}"})
        print(rows[-1]["step"], "done", flush=True)

    with threadpool_limits(1):
        fits = METHODS["ward"](X, ks, 0, 1)
        t_ours, g1 = timed(lambda: gap_statistic(X, ks, fits, "ward", B=args.gap_b), 1)
        METHODS["ward_naive"] = _naive_hier("ward")
        try:
            t_naive, g2 = timed(lambda: gap_statistic(X, ks, fits, "ward_naive", B=args.gap_b), 1)
        finally:
            del METHODS["ward_naive"]
    rows.append({"step": "gap statistic, ward: one tree cut at all k vs linkage per k",
                 "units": len(frame), "socialkit_s": t_ours, "other_s": t_naive,
                 "ratio": t_naive / t_ours,
                 "check": f"max |gap diff| = {np.abs(g1['gap'] - g2['gap']).max():.1e}"})
    print(rows[-1]["step"], "done", flush=True)

    km = METHODS["kmeans"]
    with threadpool_limits(1):
        fits = km(X, ks, 0, 10)
        t_one, g_one = timed(lambda: gap_statistic(X, ks, fits, "kmeans", B=10, n_init=10), 1)
    t_def, g_def = timed(lambda: gap_statistic(X, ks, fits, "kmeans", B=10, n_init=10), 1)
    rows.append({"step": "gap statistic, kmeans B=10: 1 thread per fit vs default threads",
                 "units": len(frame), "socialkit_s": t_one, "other_s": t_def,
                 "ratio": t_def / t_one,
                 "check": f"max |gap diff| = {np.abs(g_one['gap'] - g_def['gap']).max():.1e}"})
    print(rows[-1]["step"], "done", flush=True)

    labels = METHODS["ward"](X, [4], 0, 1)[0].labels
    t_closed, w1 = timed(lambda: within_dispersion(X, labels, 2), args.repeat)

    def via_pdist():
        return 0.5 * sum((pdist(X[labels == r]) ** 2).sum() / (labels == r).sum()
                         for r in np.unique(labels))

    t_pd, w2 = timed(via_pdist, args.repeat)
    rows.append({"step": "W_k (d^2): closed form vs pdist over pairs", "units": len(frame),
                 "socialkit_s": t_closed, "other_s": t_pd, "ratio": t_pd / t_closed,
                 "check": f"relative diff {abs(w1 - w2) / w2:.1e}"})

    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 200, "display.max_columns", 20,
                           "display.max_colwidth", 70, "display.float_format", "{:.4g}".format):
        print(table.to_string(index=False))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "benchmark": "needs",
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "parameters": vars(args) | {"out": str(args.out)},
        "rows": json.loads(table.to_json(orient="records", double_precision=15)),
    }, indent=2), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


def _cpu(fn):
    start = time.process_time()
    out = fn()
    return time.process_time() - start, out


def _report(args) -> int:
    """The needs report's national computation (cells 2 and 5), CPU seconds."""
    from socialkit import memo
    from socialkit.passport import load_tables
    from socialkit.vulnerability import (
        needs_clusters,
        read_vulnerability_spec,
        vulnerability_index,
    )

    memo.clear()
    tables = load_tables(args.catalog)
    runs = read_vulnerability_spec().uncertainty.runs
    t_idx, (settlements, _) = _cpu(lambda: (
        vulnerability_index(tables, "settlement", uncertainty_runs=runs),
        vulnerability_index(tables, "municipality", uncertainty_runs=runs)))
    t_clu, res = _cpu(lambda: needs_clusters(settlements))
    n = len(res.labels)
    rows = [
        {"step": f"report cell 2: index of settlements + municipalities, {runs} runs",
         "units": len(settlements.scores), "socialkit_s": t_idx, "other_s": np.nan,
         "ratio": np.nan, "check": ""},
        {"step": "report cell 5: needs clusters of settlements (framework settings)",
         "units": n, "socialkit_s": t_clu, "other_s": np.nan, "ratio": np.nan,
         "check": f"k = {res.k}"},
    ]
    if args.exact:
        t_ex, ex = _cpu(lambda: needs_clusters(settlements, gap_max_n=None, boot_max_n=None))
        diff = (res.validity["gap"] - ex.validity["gap"]).abs().max()
        rows[-1] |= {"other_s": t_ex, "ratio": t_ex / t_clu,
                     "check": f"k = {res.k} (exact {ex.k}), max |gap diff| = {diff:.1e}, "
                              f"max gap_se {ex.validity['gap_se'].max():.1e}"}
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 200, "display.max_colwidth", 80,
                           "display.float_format", "{:.4g}".format):
        print(table.to_string(index=False))
    out = args.out.with_name(args.out.stem + "_report.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "benchmark": "needs report (national)",
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "parameters": {k: str(v) for k, v in vars(args).items()},
        "rows": json.loads(table.to_json(orient="records", double_precision=15)),
    }, indent=2), encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
