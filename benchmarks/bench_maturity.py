"""Digital-maturity assessment speed on every hromada of Ukraine (1,469 municipalities).

Data: the demo generator's ``maturity_responses`` for 1,469 municipalities, two rounds and the
shipped framework's 40 items (about 117,000 answers, ~3 % missing, one municipality without
the follow-up, one thin dimension).

Measured in the same run, each against the obvious alternative:

1. **scoring** (answers -> items -> dimensions -> overall with ``dat_thresh``):
   :func:`socialkit.maturity.scoring.score` (pivot + :func:`socialkit.index.build`,
   vectorised) vs a straightforward pandas ``groupby(...).apply`` computing each
   municipality × round × dimension's weighted mean and then each overall mean. Both must give
   the same scores (checked, NA where insufficient).
2. **benchmarks** (rank, percentile, peer mean/best per peer group):
   :func:`socialkit.maturity.benchmarks.benchmark` (grouped ``rank``/``transform``) vs a loop
   over municipality × round × code × peer group that filters its peers (timed on
   ``--baseline-share`` of the rows and scaled; values checked equal on those rows).
3. **assess end to end** (validation, scoring, levels, benchmarks, progress with statements,
   gaps, action plan with scheduling), no alternative: the total a user waits.

Usage::

    .venv/bin/python benchmarks/bench_maturity.py [--units 1469] [--repeat 3]

Prints a table and writes ``benchmarks/results/bench_maturity.json``.
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

from socialkit.data.demo import geography  # noqa: E402
from socialkit.data.demo import maturity as demo_part  # noqa: E402
from socialkit.maturity import OVERALL, assess, load_framework  # noqa: E402
from socialkit.maturity.benchmarks import benchmark, peer_groups  # noqa: E402
from socialkit.maturity.progress import _cached_number  # noqa: E402
from socialkit.maturity.scoring import check_responses, score  # noqa: E402


def _time(func, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def naive_scores(responses: pd.DataFrame, fw) -> pd.DataFrame:
    """The obvious pandas way: groupby-apply per dimension, then per overall."""
    items = fw.items_frame().set_index("item_id")
    dim_thresh, all_thresh = fw.spec.params("aggregate").dat_thresh
    df = responses.join(items, on="item_id")
    df["norm"] = 100 * (df["score"] - df["scale_min"]) / (df["scale_max"] - df["scale_min"])
    n_items = items.groupby("dimension").size()

    def dim(g: pd.DataFrame) -> float:
        ok = g["norm"].notna()
        if ok.sum() / n_items[g.name[2]] < dim_thresh:
            return np.nan
        return float((g.loc[ok, "norm"] * g.loc[ok, "weight"]).sum() / g.loc[ok, "weight"].sum())

    d = df.groupby(["municipality_id", "round", "dimension"]).apply(dim, include_groups=False)
    d = d.rename("score").reset_index()
    weights = {x.id: x.weight for x in fw.dimensions}

    def overall(g: pd.DataFrame) -> float:
        ok = g["score"].notna()
        if ok.sum() / len(fw.dimensions) < all_thresh:
            return np.nan
        w = g.loc[ok, "dimension"].map(weights)
        return float((g.loc[ok, "score"] * w).sum() / w.sum())

    o = d.groupby(["municipality_id", "round"]).apply(overall, include_groups=False)
    o = o.rename("score").reset_index().assign(dimension=OVERALL)
    return pd.concat([d, o], ignore_index=True).rename(columns={"dimension": "code"})


def naive_benchmark(scores: pd.DataFrame, municipalities: pd.DataFrame, fw,
                    rows: pd.DataFrame) -> pd.DataFrame:
    """Loop: for each requested row, filter its peers and compute the statistics."""
    groups = peer_groups(scores["municipality_id"], municipalities, fw)
    member = groups.set_index(["municipality_id", "peer_group"])["peer_value"]
    value_of = {g: groups[groups["peer_group"] == g].set_index("municipality_id")["peer_value"]
                for g in groups["peer_group"].unique()}
    out = []
    for r in rows.itertuples(index=False):
        peers_ids = value_of[r.peer_group]
        peers_ids = peers_ids[peers_ids == member[(r.municipality_id, r.peer_group)]].index
        peers = scores[(scores["round"] == r.round) & (scores["code"] == r.code)
                       & scores["municipality_id"].isin(peers_ids)]["score"].dropna()
        x = scores[(scores["round"] == r.round) & (scores["code"] == r.code)
                   & (scores["municipality_id"] == r.municipality_id)]["score"].iloc[0]
        rank = np.nan if np.isnan(x) else 1 + int((peers > x).sum())
        out.append((rank, peers.max() - x))
    return pd.DataFrame(out, columns=["rank", "distance_to_best"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=1469)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--baseline-share", type=float, default=0.02)
    args = ap.parse_args(argv)

    geo = geography.generate(np.random.default_rng([2021, 0]), args.units)
    responses = demo_part.generate(np.random.default_rng([2021, 2]), geo)["maturity_responses"]
    mun = geo["municipalities"]
    fw = load_framework()
    clean = check_responses(responses, fw)
    rows = []

    t_fast, (scores, _) = _time(lambda: score(clean, fw), args.repeat)
    t_naive, naive = _time(lambda: naive_scores(clean, fw), 1)
    merged = scores.merge(naive, on=["municipality_id", "round", "code"], suffixes=("", "_n"))
    assert len(merged) == len(scores)
    assert np.allclose(merged["score"], merged["score_n"], equal_nan=True), "scores differ"
    rows.append(("scoring (items -> dimensions -> overall)", t_fast, t_naive, t_naive / t_fast))

    t_fast, bench = _time(lambda: benchmark(scores, mun, fw), args.repeat)
    sample = bench.sample(frac=args.baseline_share, random_state=1).reset_index(drop=True)
    t0 = time.perf_counter()
    nb = naive_benchmark(scores, mun, fw, sample)
    t_sample = time.perf_counter() - t0
    t_naive = t_sample * len(bench) / len(sample)
    assert np.allclose(sample["rank"].astype(float), nb["rank"], equal_nan=True), "ranks differ"
    assert np.allclose(sample["distance_to_best"], nb["distance_to_best"], equal_nan=True)
    rows.append((f"benchmarks ({len(bench):,} rows; loop timed on {len(sample):,}, scaled)",
                 t_fast, t_naive, t_naive / t_fast))

    def cold_assess():
        _cached_number.cache_clear()  # no help from an earlier run's number cache
        return assess(responses, fw, municipalities=mun)

    t_all, res = _time(cold_assess, args.repeat)
    rows.append(("assess end to end (all six tables)", t_all, float("nan"), float("nan")))

    print(f"\nmaturity benchmark: {args.units} municipalities, {len(responses):,} answers, "
          f"{len(res.action_plan):,} planned actions\n")
    print(f"{'step':<62} {'socialkit s':>12} {'alternative s':>14} {'ratio':>8}")
    for name, a, b, ratio in rows:
        print(f"{name:<62} {a:>12.3f} {b:>14.3f} {ratio:>8.1f}")
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "bench_maturity.json").write_text(json.dumps({
        "units": args.units, "answers": len(responses), "python": platform.python_version(),
        "machine": platform.machine(),
        "rows": [{"step": n, "socialkit_s": a, "alternative_s": None if np.isnan(b) else b,
                  "ratio": None if np.isnan(r) else r} for n, a, b, r in rows]},
        indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
