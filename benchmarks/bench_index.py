"""Composite-index engine speed: the default pipeline and a 1,000-run uncertainty analysis.

Data: a synthetic, seeded iData of 1,469 units (the number of Ukrainian hromadas) × 60
indicators in 10 pillars of 6, 3 sub-indices and one index; lognormal and normal indicators
(so that treatment has work to do), 4 % of values missing, a population denominator for a
third of the indicators, directions mixed.

Measured in the same run, each against the obvious alternative:

1. **default pipeline** (denominate, screen, impute, treat, normalise minmax, aggregate amean,
   ranks): :func:`socialkit.index.build` vs a straightforward pandas implementation (Series
   methods per column, vectorised weighted means), and vs the same with
   ``DataFrame.apply(axis=1)`` per aggregate, as COINr's ``Aggregate`` applies ``a_amean``
   row by row. All must give the same ranks (checked).
2. **uncertainty analysis, 1,000 runs** varying the normalisation method (minmax, zscore,
   prank), imputation on/off and ±25 % weight noise: :func:`socialkit.index.sensitivity.
   uncertainty` vs re-running the straightforward pipeline for every run (COINr's
   ``get_sensitivity`` regenerates the coin per run). The alternative is timed on
   ``--baseline-runs`` of the same runs (default 20; ranks checked equal) and scaled to 1,000.
3. **sensitivity analysis**: Saltelli/Jansen indices with N = 200 (1,000 runs), 1,000
   bootstrap draws.

Usage::

    .venv/bin/python benchmarks/bench_index.py [--units 1469] [--baseline-runs 10] [--repeat 3]

Prints a table and writes ``benchmarks/results/bench_index.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from socialkit.index import build  # noqa: E402
from socialkit.index.meta import framework, validate_meta  # noqa: E402
from socialkit.index.sensitivity import sensitivity, uncertainty  # noqa: E402

N_IND, N_PILLAR = 60, 10
VARY = {"normalise": ["minmax", "zscore", "prank"], "impute": [True, False],
        "weights": {"noise": 0.25}}


def synthetic(n_units: int = 1469, seed: int = 2024) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Seeded iData and iMeta: ``n_units`` × 60 indicators, 4 levels."""
    rng = np.random.default_rng(seed)
    codes = [f"i{j:02d}" for j in range(N_IND)]
    pillars = [f"P{k}" for k in range(N_PILLAR)]
    subs = ["S0", "S1", "S2"]
    data = {"uCode": [f"UA{i:05d}" for i in range(n_units)],
            "uName": [f"Hromada {i}" for i in range(n_units)],
            "oblast": rng.choice([f"O{k:02d}" for k in range(24)], n_units),
            "pop": rng.lognormal(9, 1, n_units).round()}
    latent = rng.normal(size=n_units)
    for j, c in enumerate(codes):
        noise = rng.normal(size=n_units)
        x = (np.exp(0.8 * latent + noise) if j % 3 == 0 else 50 + 10 * (0.5 * latent + noise))
        if j % 3 == 1:
            x = x * data["pop"] / 1e4
        x[rng.random(n_units) < 0.04] = np.nan
        data[c] = x
    idata = pd.DataFrame(data)
    rows = []
    for j, c in enumerate(codes):
        rows.append({"Level": 1, "iCode": c, "iName": c, "Direction": -1 if j % 7 == 3 else 1,
                     "Weight": 1.0 + (j % 2), "Parent": pillars[j // 6], "Type": "Indicator",
                     "Denominator": "pop" if j % 3 == 1 else None})
    for k, p in enumerate(pillars):
        rows.append({"Level": 2, "iCode": p, "iName": p, "Direction": 1, "Weight": 1.0,
                     "Parent": subs[0 if k < 4 else 1 if k < 7 else 2], "Type": "Aggregate"})
    for s in subs:
        rows.append({"Level": 3, "iCode": s, "iName": s, "Direction": 1, "Weight": 1.0,
                     "Parent": "Index", "Type": "Aggregate"})
    rows.append({"Level": 4, "iCode": "Index", "iName": "Index", "Direction": 1, "Weight": 1.0,
                 "Parent": None, "Type": "Aggregate"})
    rows.append({"iCode": "pop", "iName": "Population", "Type": "Denominator"})
    rows.append({"iCode": "oblast", "iName": "Oblast", "Type": "Group"})
    return idata, pd.DataFrame(rows)


# -- the obvious alternative: a straightforward pandas implementation ------------------------

def _treat_series(x: pd.Series, winmax=5, sk=2.0, ku=3.5) -> pd.Series:
    def fails(s):
        return abs(s.skew()) >= sk and s.kurt() >= ku

    if not fails(x):
        return x
    y = x.copy()
    nwin, imax, imin = 0, [], []
    while fails(y) and nwin < winmax:
        if y.skew() >= 0:
            imax = y.index[y == y.max()]
            y[imax] = y.drop(imax).max()
        else:
            imin = y.index[y == y.min()]
            y[imin] = y.drop(imin).min()
        nwin = len(imax) + len(imin)
    if fails(y):
        return np.log(x - x.min() + 0.01 * (x.max() - x.min()))
    return y


def _normalise_series(x: pd.Series, method: str) -> pd.Series:
    if method == "minmax":
        return (x - x.min()) / (x.max() - x.min()) * 100
    if method == "zscore":
        return (x - x.mean()) / x.std()
    r = x.rank(method="min")
    return (r - 1) / (x.notna().sum() - 1)


def pandas_pipeline(idata: pd.DataFrame, imeta: pd.DataFrame, normalise: str = "minmax",
                    impute: bool = True, weights: dict | None = None,
                    rowwise: bool = False) -> pd.Series:
    """Straightforward pandas: denominate, screen, impute, treat, normalise, aggregate, rank.

    Aggregation is vectorised pandas (``mul``/``sum`` skipping NaN, weights renormalised) or,
    with ``rowwise``, ``DataFrame.apply(axis=1)`` as COINr applies ``a_amean`` row by row.
    """
    df = idata.copy()
    ind = imeta[imeta.Type == "Indicator"]
    codes = list(ind.iCode)
    for c, d in zip(ind.iCode, ind.Denominator, strict=True):
        if isinstance(d, str):
            df[c] = df[c] / df[d]
    df = df[df[codes].notna().mean(axis=1) >= 2 / 3].reset_index(drop=True)
    if impute:
        for c in codes:
            df[c] = df[c].fillna(df[c].mean())
    for c in codes:
        df[c] = _treat_series(df[c])
    for c, d in zip(ind.iCode, ind.Direction, strict=True):
        df[c] = _normalise_series(df[c] * d, normalise)
    w = weights or dict(zip(imeta.iCode, imeta.Weight, strict=False))
    tree = imeta[imeta.Type == "Aggregate"].sort_values("Level")
    for agg in tree.iCode:
        kids = list(imeta.loc[imeta.Parent == agg, "iCode"])
        wk = pd.Series([w[k] for k in kids], index=kids)
        if rowwise:
            def wmean(row, wk=wk):
                ok = row.notna()
                return (row[ok] * wk[ok]).sum() / wk[ok].sum() if ok.any() else np.nan

            df[agg] = df[kids].apply(wmean, axis=1)
        else:
            present = df[kids].notna().mul(wk, axis=1).sum(axis=1)
            df[agg] = df[kids].mul(wk, axis=1).sum(axis=1) / present.where(present > 0)
    return df.set_index("uCode")["Index"].rank(ascending=False, method="min")


# -- measurement -------------------------------------------------------------------------------

def _time(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=1469)
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--baseline-runs", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    idata, imeta = synthetic(args.units)
    meta = validate_meta(imeta, idata)
    fw = framework(meta)
    rows = []

    t_ours, res = _time(lambda: build(idata, imeta), args.repeat)
    ours = res.results.set_index("uCode")["Index_rank"].astype(float)
    for label, rowwise, rep in (("straightforward pandas (vectorised)", False, args.repeat),
                                ("pandas with row-wise apply (COINr style)", True, 1)):
        t_pd, ranks_pd = _time(lambda rw=rowwise: pandas_pipeline(idata, meta, rowwise=rw), rep)
        same = bool((ours.loc[ranks_pd.index] == ranks_pd).all())
        rows.append({"task": f"default pipeline ({args.units}×{N_IND})", "socialkit_s": t_ours,
                     "alternative_s": t_pd, "alternative": label,
                     "ratio": t_pd / t_ours, "same_result": same})

    t_ua, ua = _time(lambda: uncertainty(idata, imeta, vary=VARY, n=args.runs, seed=1), 1)
    k = min(args.baseline_runs, args.runs)
    t0 = time.perf_counter()
    agree = True
    for r in range(k):
        run = ua.runs.iloc[r]
        w = ua.inputs["weights"][int(run["weights"])]
        ranks = pandas_pipeline(idata, meta, normalise=run["normalise"],
                                impute=bool(run["impute"]), weights=w)
        agree &= bool((ua.ranks.iloc[r].to_numpy() == ranks.loc[ua.ranks.columns]).all())
    per_run = (time.perf_counter() - t0) / k
    rows.append({"task": f"uncertainty, {args.runs} runs", "socialkit_s": t_ua,
                 "alternative_s": per_run * args.runs,
                 "alternative": f"vectorised pandas pipeline per run (timed on {k} runs, "
                                f"×{args.runs / k:g})",
                 "ratio": per_run * args.runs / t_ua, "same_result": agree})

    n_sa = max(2, args.runs // (len(VARY) + 2))
    t_sa, sa = _time(lambda: sensitivity(idata, imeta, vary=VARY, n=n_sa, n_boot=1000, seed=2), 1)
    rows.append({"task": f"sensitivity, N={n_sa} ({n_sa * (len(VARY) + 2)} runs)",
                 "socialkit_s": t_sa, "alternative_s": per_run * n_sa * (len(VARY) + 2),
                 "alternative": "pandas pipeline per run (same per-run time)",
                 "ratio": per_run * n_sa * (len(VARY) + 2) / t_sa, "same_result": None})

    print(f"\nsocialkit.index on {args.units} units × {len(fw.indicators)} indicators "
          f"({platform.processor() or platform.machine()}, Python {platform.python_version()})")
    print(f"{'task':32} {'socialkit':>10} {'alternative':>12} {'ratio':>8}  same  alternative")
    for r in rows:
        print(f"{r['task']:32} {r['socialkit_s']:9.2f}s {r['alternative_s']:11.2f}s "
              f"{r['ratio']:7.1f}×  {r['same_result']!s:5} {r['alternative']}")
    print("\nsensitivity indices (mean absolute rank change of Index):")
    print(sa.indices.round(3).to_string(index=False))
    out = HERE / "results" / "bench_index.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({
        "benchmark": "index", "units": args.units, "indicators": len(fw.indicators),
        "python": platform.python_version(), "rows": rows,
        "sensitivity": sa.indices.to_dict(orient="records"),
    }, indent=2, default=float))
    print(f"\nwrote {out}")
    return 0 if all(r["same_result"] in (True, None) for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
