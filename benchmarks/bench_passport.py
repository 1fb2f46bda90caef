"""Social passport and vulnerability index at the scale of Ukraine's 1,469 hromadas.

Data: the synthetic demo (``socialkit.data.demo.generate_demo``) with ``--municipalities``
hromadas (default 1,469: every hromada, ~50,000 settlements).

Measured in the same run, each against the obvious alternative:

1. **pooled rates** (municipality × year × group; ratio of sums over settlements with count
   and base known): :func:`socialkit.passport.pooled_rates` (one vectorised group-by) vs a
   ``groupby().apply`` with a Python function per group; results checked equal (1e-9).
2. **one passport**: :func:`socialkit.passport.build_passport` for a sample of
   municipalities (it pools the oblast and the peers from every settlement of the data set)
   — mean seconds per passport.
3. **the index of every settlement** with ``--runs`` uncertainty runs: the first call vs a
   repeated call in the same process (memoised on the content of the tables, as the report
   batch does per warm kernel); results checked equal.

Usage::

    .venv/bin/python benchmarks/bench_passport.py [--municipalities 1469] [--runs 200]

Prints a table and writes ``benchmarks/results/bench_passport.json``.
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

from socialkit.data.demo import generate_demo  # noqa: E402
from socialkit.memo import clear  # noqa: E402
from socialkit.passport import (  # noqa: E402
    build_passport,
    pooled_rates,
    read_passport_spec,
    settlement_rates,
)
from socialkit.vulnerability import vulnerability_index  # noqa: E402


def timed(fn, repeat: int = 1):
    best, out = np.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def naive_pooled(rates: pd.DataFrame, per: int) -> pd.DataFrame:
    """The obvious pandas: a Python function per group."""
    def one(g: pd.DataFrame) -> pd.Series:
        c = pd.to_numeric(g["count"]).astype(float)
        b = pd.to_numeric(g["base"]).astype(float)
        both = c.notna() & b.notna() & (b > 0)
        base = b[both].sum()
        return pd.Series({"count": c.sum() if c.notna().any() else np.nan,
                          "rate": c[both].sum() / base * per if base > 0 else np.nan})

    return rates.groupby(["municipality_id", "year", "indicator_id"]).apply(
        one, include_groups=False).reset_index()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--municipalities", type=int, default=1469)
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--passports", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    t_gen, tables = timed(lambda: generate_demo(args.municipalities))
    n_st, n_fac = len(tables["settlements"]), len(tables["facilities"])
    print(f"data: {args.municipalities} municipalities, {n_st} settlements, {n_fac} facilities,"
          f" {len(tables['passport_values'])} passport counts (generated in {t_gen:.2f} s)")
    spec = read_passport_spec()
    rates = settlement_rates(tables["settlements"], tables["passport_values"], spec)
    results: dict[str, dict] = {}

    t_fast, fast = timed(lambda: pooled_rates(rates, ["municipality_id"], spec.per),
                         args.repeat)
    t_slow, slow = timed(lambda: naive_pooled(rates, spec.per), 1)
    key = ["municipality_id", "year", "indicator_id"]
    a = fast.set_index(key).sort_index()
    b = slow.set_index(key).sort_index()
    np.testing.assert_allclose(pd.to_numeric(a["rate"]).to_numpy(float, na_value=np.nan),
                               b["rate"].to_numpy(float), rtol=1e-9, equal_nan=True)
    np.testing.assert_allclose(pd.to_numeric(a["count"]).to_numpy(float, na_value=np.nan),
                               b["count"].to_numpy(float), rtol=1e-9, equal_nan=True)
    results["pooled_rates"] = {"socialkit_s": t_fast, "groupby_apply_s": t_slow,
                               "ratio": t_slow / t_fast, "groups": len(fast)}

    ids = tables["municipalities"]["municipality_id"]
    sample = ids.iloc[np.linspace(0, len(ids) - 1, min(args.passports, len(ids))).astype(int)]
    start = time.perf_counter()
    for mid in sample:
        build_passport(tables, mid)
    per_passport = (time.perf_counter() - start) / len(sample)
    results["build_passport"] = {"seconds_per_passport": per_passport, "sample": len(sample)}

    clear()
    t_first, first = timed(lambda: vulnerability_index(tables, "settlement",
                                                       uncertainty_runs=args.runs))
    t_again, again = timed(lambda: vulnerability_index(tables, "settlement",
                                                       uncertainty_runs=args.runs),
                           args.repeat)
    pd.testing.assert_frame_equal(first.scores, again.scores)
    results["vulnerability_index"] = {"first_s": t_first, "memoised_s": t_again,
                                      "ratio": t_first / t_again, "runs": args.runs,
                                      "units": len(first.scores)}

    print(f"{'measure':<34}{'socialkit':>12}{'alternative':>14}{'ratio':>9}")
    r = results["pooled_rates"]
    print(f"{'pooled rates (' + str(r['groups']) + ' groups)':<34}{r['socialkit_s']:>11.3f}s"
          f"{r['groupby_apply_s']:>13.3f}s{r['ratio']:>8.1f}x")
    r = results["vulnerability_index"]
    print(f"{'index, every settlement (' + str(r['runs']) + ' runs)':<34}{r['memoised_s']:>11.3f}s"
          f"{r['first_s']:>13.3f}s{r['ratio']:>8.0f}x   (memoised vs first call)")
    print(f"{'one passport':<34}{results['build_passport']['seconds_per_passport']:>11.3f}s")
    out = HERE / "results" / "bench_passport.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"municipalities": args.municipalities, "settlements": n_st,
                               "facilities": n_fac, "python": platform.python_version(),
                               "machine": platform.machine(), "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
