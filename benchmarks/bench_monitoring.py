"""M&E speed on every hromada of Ukraine (1,469 municipalities, ~400,000 data values).

Data: the demo generator's ``indicator_values`` / ``indicator_targets`` for ``--units``
municipalities (20 data elements × 8 quarters × their sex/age cells, with missing reports,
NA values and outliers), and the demo service scores scaled up for the agreement test.

Measured in the same run, each against the obvious alternative:

1. **demo generation** (vectorised numpy), no alternative: the time the generator takes.
2. **indicators** for 2020 and 2021 at municipality level (cells → quarters → years →
   ratio): :func:`socialkit.monitoring.compute_indicators` (merges + grouped aggregation) vs
   a loop over municipality × indicator × year that filters the rows and aggregates them in
   Python (timed on ``--baseline-share`` of the municipalities and scaled; values checked
   equal on those).
3. **progress** at municipality and oblast level, no alternative: what a user waits.
4. **Excel export / import** of ``--excel-units`` municipalities: our streaming writer
   (openpyxl write-only, formatting included) vs ``DataFrame.to_excel`` (openpyxl, no
   formatting); our validating reader (openpyxl read-only, every cell checked) vs
   ``pandas.read_excel`` (no checks).
5. **Krippendorff's alpha** (interval) on ``--alpha-units`` units × 6 raters: the
   coincidence-matrix implementation vs the textbook double loop over units and pairs of
   values (checked equal).

Usage::

    .venv/bin/python benchmarks/bench_monitoring.py [--units 1469] [--repeat 3]

Prints a table and writes ``benchmarks/results/bench_monitoring.json``.
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

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from socialkit.data.demo import geography  # noqa: E402
from socialkit.data.demo import monitoring as demo_part  # noqa: E402
from socialkit.monitoring import (  # noqa: E402
    compute_indicators,
    compute_progress,
    export_workbook,
    krippendorff_alpha,
    load_framework,
    read_workbook,
)
from socialkit.monitoring.indicators import period_quarters  # noqa: E402


def _time(func, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def _total(v: pd.DataFrame, element: str, quarter: str) -> float | None:
    rows = v[(v.indicator_id == element) & (v.period == quarter)]
    if rows.empty or rows["value"].isna().any():
        return None
    return float(rows["value"].sum())


def naive_indicators(values: pd.DataFrame, fw, munis: list[str], years: list[str]) -> dict:
    """Loop over municipality × indicator × year; totals only; the same rules."""
    out = {}
    by_muni = dict(tuple(values.groupby("municipality_id")))
    for m in munis:
        v = by_muni.get(m)
        if v is None:
            continue
        for ind in fw.indicators:
            for y in years:
                quarters = period_quarters(y, ind.target_type == "cumulative", fw.programme.start)
                nums, dens = [], []
                for q in quarters:
                    n = _total(v, ind.numerator, q)
                    d = _total(v, ind.denominator, q) if ind.denominator else 1.0
                    if n is None or d is None:
                        continue
                    nums.append(n)
                    dens.append(d)
                if not nums:
                    continue
                rule = ind.aggregation.time
                agg = {"sum": sum, "average": lambda x: sum(x) / len(x), "last": lambda x: x[-1]}
                a, b = agg[rule](nums), agg[rule](dens)
                value = ind.factor * a if ind.denominator is None else (
                    ind.factor * a / b if b else np.nan)
                out[(ind.id, m, y)] = value
    return out


def naive_alpha(x: np.ndarray) -> float:
    """Krippendorff's interval alpha by the textbook double loop."""
    pairs_o, values = 0.0, []
    n_pairable = 0
    for row in x:
        v = [float(a) for a in row if not np.isnan(a)]
        if len(v) < 2:
            continue
        m = len(v)
        n_pairable += m
        values.extend(v)
        s = 0.0
        for i in range(m):
            for j in range(m):
                if i != j:
                    s += (v[i] - v[j]) ** 2
        pairs_o += s / (m - 1)
    d_o = pairs_o / n_pairable
    total = 0.0
    vs = np.asarray(values)
    for c in vs:
        total += float(((c - vs) ** 2).sum())
    d_e = total / (n_pairable * (n_pairable - 1))
    return 1 - d_o / d_e


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--units", type=int, default=1469)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--baseline-share", type=float, default=0.02)
    ap.add_argument("--excel-units", type=int, default=200)
    ap.add_argument("--alpha-units", type=int, default=2000)
    args = ap.parse_args()

    rows: list[tuple[str, float, float | None, str]] = []
    geo = geography.generate(np.random.default_rng([2021, 0]), args.units)
    t_gen, data = _time(lambda: demo_part.generate(np.random.default_rng(3), geo), args.repeat)
    values, targets = data["indicator_values"], data["indicator_targets"]
    rows.append(("demo generation", t_gen, None, f"{len(values):,} values"))

    fw = load_framework()
    years = ["2020", "2021"]
    t_ours, ours = _time(lambda: compute_indicators(values, fw, periods=years), args.repeat)
    munis = geo["municipalities"]["municipality_id"].tolist()
    k = max(1, int(len(munis) * args.baseline_share))
    t0 = time.perf_counter()
    naive = naive_indicators(values, fw, munis[:k], years)
    t_naive = (time.perf_counter() - t0) * len(munis) / k
    check = ours.set_index(["indicator_id", "unit_id", "period"])["value"]
    diffs = [abs(check.get(key, np.nan) - v) for key, v in naive.items()
             if not (np.isnan(v) and np.isnan(check.get(key, np.nan)))]
    assert max(diffs) < 1e-9, "vectorised and naive indicators differ"
    rows.append(("indicators, municipality × year", t_ours, t_naive / t_ours,
                 f"{len(ours):,} values; naive on {k} municipalities, scaled"))

    t_p, prog = _time(lambda: compute_progress(values, targets, fw), args.repeat)
    rows.append(("progress, municipality", t_p, None, f"{len(prog):,} rows"))
    t_r, _ = _time(lambda: compute_progress(values, targets, fw, level="region",
                                            municipalities=geo["municipalities"]), args.repeat)
    rows.append(("progress, oblast", t_r, None, ""))

    sub = set(munis[: args.excel_units])
    v_x = values[values.municipality_id.isin(sub)]
    t_x = targets[targets.municipality_id.isin(sub)]
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "book.xlsx"
        plain = Path(tmp) / "plain.xlsx"
        p_x = compute_progress(v_x, t_x, fw)
        t_exp, _ = _time(lambda: export_workbook(v_x, t_x, book, fw, progress=p_x), 1)

        def pandas_export():
            with pd.ExcelWriter(plain, engine="openpyxl") as w:
                t_x.to_excel(w, sheet_name="targets", index=False)
                v_x.to_excel(w, sheet_name="values", index=False)
                p_x.to_excel(w, sheet_name="progress", index=False)

        t_pexp, _ = _time(pandas_export, 1)
        rows.append(("Excel export (formatted, streaming)", t_exp, t_pexp / t_exp,
                     f"{len(v_x):,} values; vs DataFrame.to_excel"))
        t_imp, tables = _time(lambda: read_workbook(book, fw), 1)
        assert len(tables["indicator_values"]) == len(v_x)
        t_pimp, _ = _time(lambda: pd.read_excel(plain, sheet_name=["values", "targets"]), 1)
        rows.append(("Excel import (validated)", t_imp, t_pimp / t_imp,
                     "vs pandas.read_excel (no checks)"))

    rng = np.random.default_rng(0)
    truth = rng.integers(0, 5, args.alpha_units)[:, None]
    x = np.clip(truth + rng.integers(-1, 2, (args.alpha_units, 6)), 0, 4).astype(float)
    x[rng.random(x.shape) < 0.1] = np.nan
    t_a, a = _time(lambda: krippendorff_alpha(x), args.repeat)
    t_na, na = _time(lambda: naive_alpha(x), 1)
    assert abs(a - na) < 1e-9, (a, na)
    rows.append(("Krippendorff's alpha (interval)", t_a, t_na / t_a,
                 f"{args.alpha_units:,} units × 6 raters; alpha = {a:.3f}"))

    print(f"{'step':40} {'seconds':>9} {'speed-up':>9}  note")
    for name, sec, ratio, note in rows:
        r = f"{ratio:8.1f}×" if ratio else " " * 9
        print(f"{name:40} {sec:9.3f} {r}  {note}")
    res = {
        "python": platform.python_version(), "machine": platform.machine(),
        "units": args.units, "repeat": args.repeat,
        "rows": [{"step": n, "seconds": s, "speedup_vs_alternative": r, "note": note}
                 for n, s, r, note in rows],
    }
    out = HERE / "results" / "bench_monitoring.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(res, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
