"""Spatial accessibility at the scale of Ukraine: socialkit.access against PySAL ``access``.

Data: synthetic, seeded points spread uniformly over Ukraine's bounding box (lat 44.4–52.4,
lon 22.1–40.2): ``--settlements`` settlements (default 28,000, about every settlement of
Ukraine) with populations 20–20,000, and ``--facilities`` facilities (default 10,000) with
capacities 1–50.

Measured in the same run:

1. **cost pairs within ``--max-km``**: :func:`socialkit.access.great_circle_costs` (BallTree,
   haversine, sparse long frame) vs the obvious alternative, a dense haversine matrix in numpy
   thresholded afterwards (timed on ``--dense-settlements`` rows and scaled to all rows, since
   the full 28,000 × 10,000 matrix alone needs 2.2 GB); pairs checked equal on those rows.
2. **floating catchments** on the same long cost frame, socialkit vs ``access`` 1.1
   (``Access.two_stage_fca`` binary and Gaussian, ``three_stage_fca``, ``fca_ratio`` with
   settlement–settlement neighbour costs): time, ratio, and the largest absolute difference of
   the results (must be ≤ 1e-9; missing in the same places).
3. **RAAM** at ``--raam-settlements`` × ``--raam-facilities`` (default 2,000 × 500):
   ``access.raam`` pivots the cost frame into a dense matrix and iterates on it, so it cannot
   run at 28,000 × 10,000 (2.2 GB per matrix, several copies); socialkit's sparse port is also
   run at full scale. Settlements with no facility in reach are left out of the comparison
   (``access`` assigns them to an arbitrary facility, see ``socialkit.access.raam``).
4. :func:`socialkit.access.settlement_access` for all five facility kinds at full scale.

Usage::

    .venv/bin/python benchmarks/bench_access.py [--settlements 28000 --facilities 10000]
        [--max-km 15] [--repeat 3] [--skip-access-above 50000]

Prints a table and writes ``benchmarks/results/bench_access.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from socialkit.access import (  # noqa: E402
    FACILITY_KINDS,
    fca_ratio,
    gaussian,
    great_circle_costs,
    haversine_km,
    raam,
    settlement_access,
    three_step_fca,
    two_step_fca,
)

LAT, LON = (44.4, 52.4), (22.1, 40.2)


def make_data(n: int, m: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    settlements = pd.DataFrame({
        "settlement_id": [f"UA{i:017d}" for i in range(n)],
        "municipality_id": [f"M{i % 1469:04d}" for i in range(n)],
        "lat": rng.uniform(*LAT, n), "lon": rng.uniform(*LON, n),
        "population": rng.integers(20, 20000, n),
    })
    facilities = pd.DataFrame({
        "facility_id": [f"F{j:06d}" for j in range(m)],
        "kind": rng.choice(FACILITY_KINDS, m),
        "lat": rng.uniform(*LAT, m), "lon": rng.uniform(*LON, m),
        "capacity": rng.integers(1, 50, m),
    })
    return settlements, facilities


def timed(fn, repeat: int):
    best, out = np.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def max_diff(ours: pd.Series, theirs: pd.Series) -> tuple[float, bool]:
    theirs = theirs.reindex(ours.index)
    same_missing = bool((ours.isna() == theirs.isna()).all())
    diff = (ours - theirs).abs().max()
    return float(0.0 if pd.isna(diff) else diff), same_missing


def dense_pairs(s: pd.DataFrame, f: pd.DataFrame, max_km: float) -> pd.DataFrame:
    d = haversine_km(s["lat"].to_numpy()[:, None], s["lon"].to_numpy()[:, None],
                     f["lat"].to_numpy()[None, :], f["lon"].to_numpy()[None, :])
    oi, di = np.nonzero(d <= max_km)
    return pd.DataFrame({"origin": s["settlement_id"].to_numpy()[oi],
                         "dest": f["facility_id"].to_numpy()[di], "cost": d[oi, di]})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--settlements", type=int, default=28000)
    ap.add_argument("--facilities", type=int, default=10000)
    ap.add_argument("--max-km", type=float, default=15.0)
    ap.add_argument("--dense-settlements", type=int, default=2000)
    ap.add_argument("--raam-settlements", type=int, default=2000)
    ap.add_argument("--raam-facilities", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-access-above", type=int, default=5_000_000,
                    help="skip PySAL access when the cost frame has more pairs than this")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "bench_access.json")
    args = ap.parse_args(argv)
    import access as pysal_access

    warnings.simplefilter("ignore")
    import logging

    logging.getLogger("access").setLevel(logging.WARNING)

    s, f = make_data(args.settlements, args.facilities)
    rows: list[dict] = []

    # 1. cost pairs
    t_sparse, cost = timed(lambda: great_circle_costs(s, f, args.max_km), args.repeat)
    sub = s.iloc[: args.dense_settlements]
    t_dense_sub, dense = timed(lambda: dense_pairs(sub, f, args.max_km), args.repeat)
    sparse_sub = great_circle_costs(sub, f, args.max_km)
    same = (len(dense) == len(sparse_sub)
            and (dense[["origin", "dest"]].to_numpy() == sparse_sub[["origin", "dest"]]
                 .to_numpy()).all())
    t_dense = t_dense_sub * len(s) / len(sub)
    rows.append({"step": "cost pairs (BallTree vs dense matrix)", "settlements": len(s),
                 "facilities": len(f), "pairs": len(cost), "socialkit_s": t_sparse,
                 "other_s": t_dense, "other": f"dense numpy, scaled from {len(sub)} rows",
                 "ratio": t_dense / t_sparse, "max_abs_diff": 0.0 if same else np.nan,
                 "same_missing": bool(same)})
    print(f"cost pairs: {len(cost):,} within {args.max_km:g} km", flush=True)

    demand = s.set_index("settlement_id")["population"].astype(float).rename("pop")
    demand.index.name = "geoid"
    supply = f.set_index("facility_id")["capacity"].astype(float).rename("cap")
    supply.index.name = "geoid"
    neigh = great_circle_costs(s, s, args.max_km, origin_id="settlement_id",
                               dest_id="settlement_id")
    run_access = len(cost) <= args.skip_access_above

    def access_obj():
        return pysal_access.Access(
            demand_df=demand.to_frame(), demand_value="pop", supply_df=supply.to_frame(),
            supply_value="cap", cost_df=cost, cost_origin="origin", cost_dest="dest",
            cost_name="cost", neighbor_cost_df=neigh, neighbor_cost_origin="origin",
            neighbor_cost_dest="dest", neighbor_cost_name="cost")

    sigma = args.max_km / 2
    cases = [
        ("2SFCA binary", lambda: two_step_fca(demand, supply, cost, args.max_km),
         lambda: access_obj().two_stage_fca(name="x", max_cost=args.max_km)["x_cap"]),
        ("2SFCA gaussian", lambda: two_step_fca(demand, supply, cost, args.max_km,
                                                weight=gaussian(sigma)),
         lambda: access_obj().two_stage_fca(
             name="x", max_cost=args.max_km,
             weight_fn=pysal_access.weights.gaussian(sigma))["x_cap"]),
        ("2SFCA normalised", lambda: two_step_fca(demand, supply, cost, args.max_km,
                                                  normalize=True),
         lambda: access_obj().two_stage_fca(name="x", max_cost=args.max_km,
                                            normalize=True)["x_cap"]),
        ("3SFCA gaussian", lambda: three_step_fca(demand, supply, cost, args.max_km,
                                                  weight=gaussian(sigma)),
         lambda: access_obj().three_stage_fca(
             name="x", max_cost=args.max_km,
             weight_fn=pysal_access.weights.gaussian(sigma))["x_cap"]),
        ("FCA ratio", lambda: fca_ratio(demand, supply, cost, neigh, args.max_km),
         lambda: access_obj().fca_ratio(name="x", max_cost=args.max_km)["x_cap"]),
    ]
    for name, ours_fn, theirs_fn in cases:
        t_ours, ours = timed(ours_fn, args.repeat)
        row = {"step": name, "settlements": len(s), "facilities": len(f), "pairs": len(cost),
               "socialkit_s": t_ours, "other": "PySAL access 1.1"}
        if run_access:
            t_theirs, theirs = timed(theirs_fn, 1)
            diff, same_missing = max_diff(ours, theirs)
            row |= {"other_s": t_theirs, "ratio": t_theirs / t_ours, "max_abs_diff": diff,
                    "same_missing": same_missing}
        rows.append(row)
        print(f"{name}: done", flush=True)

    # 3. RAAM: compared where access's dense matrix fits; ours also at full scale
    rs, rf = make_data(args.raam_settlements, args.raam_facilities, seed=1)
    r_cost = great_circle_costs(rs, rf, 4 * args.max_km)
    reach = rs["settlement_id"].isin(r_cost["origin"])
    r_dem = rs.loc[reach].set_index("settlement_id")["population"].astype(float).rename("pop")
    r_sup = rf.set_index("facility_id")["capacity"].astype(float).rename("cap")
    t_ours, ours = timed(lambda: raam(r_dem, r_sup, r_cost, tau=30), args.repeat)
    t_theirs, theirs = timed(lambda: pysal_access.raam.raam(
        r_dem.to_frame(), r_sup.to_frame(), r_cost, demand_name="pop", supply_name="cap",
        tau=30), 1)
    diff, same_missing = max_diff(ours, theirs)
    rows.append({"step": "RAAM", "settlements": int(reach.sum()), "facilities": len(rf),
                 "pairs": len(r_cost), "socialkit_s": t_ours, "other_s": t_theirs,
                 "other": "PySAL access 1.1 (dense)", "ratio": t_theirs / t_ours,
                 "max_abs_diff": diff, "same_missing": same_missing})
    full_reach = demand[demand.index.isin(cost["origin"])]
    t_full, _ = timed(lambda: raam(full_reach, supply, cost, tau=30), 1)
    rows.append({"step": "RAAM full scale", "settlements": len(full_reach),
                 "facilities": len(f), "pairs": len(cost), "socialkit_s": t_full,
                 "other": "access: dense matrix does not fit"})
    print("RAAM: done", flush=True)

    # 4. the one call of the reports
    t_sa, acc = timed(lambda: settlement_access(s, f, threshold_km=args.max_km), 1)
    rows.append({"step": "settlement_access, 5 kinds", "settlements": len(s),
                 "facilities": len(f), "pairs": np.nan, "socialkit_s": t_sa,
                 "other": "(nearest + within + 2SFCA per kind)"})

    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 200, "display.max_columns", 20,
                           "display.float_format", "{:.4g}".format):
        print(table.to_string(index=False))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    result = {
        "benchmark": "access",
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "access": pysal_access.__version__ if hasattr(pysal_access, "__version__")
                    else "1.1"},
        "parameters": vars(args) | {"out": str(args.out)},
        "rows": json.loads(table.to_json(orient="records", double_precision=15)),
    }
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"wrote {args.out}")
    bad = table["max_abs_diff"].dropna()
    return 0 if (bad <= 1e-9).all() and table["same_missing"].dropna().astype(bool).all() else 1


if __name__ == "__main__":
    sys.exit(main())
