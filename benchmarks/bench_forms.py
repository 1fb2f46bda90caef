"""Bulk validation speed of socialkit.forms: 100,000 domestic-violence reports.

Data: synthetic, seeded rows of the shipped ``domestic_violence`` form (31 value fields, 24
constraints of which 20 refer to another field, 2 calculations, 6 validation rules): the
cells are consistent (victims by sex and by age add up), as strings, the way a CSV or an ODK
Central export delivers them; institutions ``csw_00001``… with one row per quarter.

Measured in the same run:

1. **validate_frame** on ``--rows`` rows (types, relevance, calculations, required,
   constraints — vectorised) vs the same rows one at a time through ``validate_submission``
   (what a row-by-row validator costs; timed on ``--baseline-rows`` and scaled); results
   checked equal on those rows;
2. **import_file** of the rows written as CSV: read + validate + one record per row — the
   whole bulk import of the issue's goal (< 30 s for 100,000 rows on 2 cores);
3. the same import of a copy with 1 % of the cells made wrong: refused, every problem listed;
4. **import_file** of ``--xlsx-rows`` rows as .xlsx (openpyxl reading dominates);
5. **evaluate_rules** (6 DHIS2-style rules) and **flag_outliers** (every count field) on the
   validated records.

Usage::

    .venv/bin/python benchmarks/bench_forms.py [--rows 100000] [--xlsx-rows 20000] [--repeat 3]

Prints a table and writes ``benchmarks/results/bench_forms.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
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

from socialkit.forms import (  # noqa: E402
    FormImportError,
    evaluate_rules,
    flag_outliers,
    form_path,
    import_file,
    load_form,
    load_rules,
    rules_path,
    validate_frame,
    validate_submission,
)

TODAY = dt.date(2026, 12, 1)


def make_rows(n: int, seed: int = 17) -> pd.DataFrame:
    """``n`` consistent domestic-violence reports as strings."""
    rng = np.random.default_rng(seed)
    total = rng.poisson(25, n)
    female = rng.binomial(total, 0.8)
    ages = np.stack([rng.multinomial(t, [0.15, 0.25, 0.5, 0.1]) for t in total])
    rel = np.stack([rng.multinomial(t, [0.45, 0.2, 0.3, 0.05]) for t in total])
    inst = np.arange(n) // 8
    quarter = np.arange(n) % 8
    cols = {
        "institution_id": [f"csw_{i:05d}" for i in inst],
        "period": [f"{2023 + q // 4}Q{q % 4 + 1}" for q in quarter],
        "reports_received": total + rng.poisson(5, n),
        "victims_total": total, "victims_female": female, "victims_male": total - female,
        "victims_age_0_17": ages[:, 0], "victims_age_18_29": ages[:, 1],
        "victims_age_30_64": ages[:, 2], "victims_age_65": ages[:, 3],
        "ipv_women_18": np.minimum(female, rel[:, 0] + rel[:, 1]) // 2,
        "femicides": rng.binomial(1, 0.01, n),
        "violence_physical": rng.binomial(total, 0.6),
        "violence_psychological": rng.binomial(total, 0.8),
        "violence_sexual": rng.binomial(total, 0.1),
        "violence_economic": rng.binomial(total, 0.2),
        "violence_stalking": rng.binomial(total, 0.1),
        "perpetrator_partner": rel[:, 0], "perpetrator_former_partner": rel[:, 1],
        "perpetrator_family": rel[:, 2], "perpetrator_other": rel[:, 3],
        "perpetrators_male": rng.binomial(total, 0.85),
        "perpetrators_female": rng.binomial(total, 0.1),
    }
    urgent = rng.poisson(10, n)
    requested = rng.poisson(5, n)
    cols |= {"urgent_measures": urgent, "urgent_measures_extended": rng.binomial(urgent, 0.7),
             "protection_orders_requested": requested,
             "protection_orders_issued": rng.binomial(requested, 0.6),
             "individual_plans": rng.poisson(8, n), "referrals_shelter": rng.poisson(2, n),
             "referrals_health": rng.poisson(3, n), "referrals_legal": rng.poisson(2, n),
             "referrals_counselling": rng.poisson(4, n)}
    return pd.DataFrame({k: np.asarray(v).astype(str) for k, v in cols.items()})


def spoil(frame: pd.DataFrame, share: float, seed: int = 5) -> pd.DataFrame:
    """A copy with ``share`` of the count cells wrong (negative, text or too large)."""
    rng = np.random.default_rng(seed)
    out = frame.copy()
    cols = [c for c in frame.columns if c not in ("institution_id", "period")]
    k = int(len(frame) * len(cols) * share)
    rows = rng.integers(0, len(frame), k)
    which = rng.integers(0, len(cols), k)
    bad = np.array(["-1", "many", "99999"], dtype=object)[rng.integers(0, 3, k)]
    for r, c, v in zip(rows, which, bad, strict=True):
        out.iat[r, out.columns.get_loc(cols[c])] = v
    return out


CPU: dict[str, float] = {}


def _time(fn, repeat: int):
    """Median wall time of ``repeat`` runs (and the CPU time of this process, kept in CPU
    under the call's position, since a shared machine inflates wall time)."""
    times, cpus, result = [], [], None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    CPU[str(len(CPU))] = statistics.median(cpus)
    return statistics.median(times), result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--xlsx-rows", type=int, default=20_000)
    ap.add_argument("--baseline-rows", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    form = load_form(form_path("domestic_violence"))
    rules = load_rules(rules_path(form_path("domestic_violence")), form)
    frame = make_rows(args.rows)
    data = frame.drop(columns=["institution_id", "period"])
    out: list[tuple[str, float, float | None, str]] = []

    t_frame, res = _time(lambda: validate_frame(form, data, today=TODAY), args.repeat)
    assert res.ok, res.issues[:5]
    k = min(args.baseline_rows, args.rows)
    t0 = time.perf_counter()
    one = [validate_submission(form, row, today=TODAY)
           for row in data.head(k).to_dict("records")]
    t_one = (time.perf_counter() - t0) * args.rows / k
    assert [o.values for o in one] == res.records()[:k], "frame and one-by-one differ"
    out.append(("validate_frame", t_frame, t_one / t_frame,
                f"{args.rows:,} rows; one-by-one timed on {k} rows, scaled"))

    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "dv.csv"
        frame.to_csv(csv, index=False)
        t_csv, imported = _time(lambda: import_file(form, csv, today=TODAY), args.repeat)
        out.append(("import_file CSV, accepted", t_csv, None,
                    f"{len(imported.records):,} records (read + validate + records)"))

        bad_csv = Path(tmp) / "dv_bad.csv"
        spoil(frame, 0.01).to_csv(bad_csv, index=False)

        def refuse():
            try:
                import_file(form, bad_csv, today=TODAY)
            except FormImportError as err:
                return len(err.problems)
            raise AssertionError("the spoiled file was accepted")
        t_bad, n_problems = _time(refuse, args.repeat)
        out.append(("import_file CSV, 1 % cells wrong", t_bad, None,
                    f"refused, {n_problems:,} problems listed"))

        xlsx = Path(tmp) / "dv.xlsx"
        numeric = frame.head(args.xlsx_rows).copy()
        for c in numeric.columns[2:]:
            numeric[c] = numeric[c].astype("int64")   # numbers in cells, as Excel keeps them
        numeric.to_excel(xlsx, index=False)
        t_x, ximp = _time(lambda: import_file(form, xlsx, today=TODAY), 1)
        out.append(("import_file XLSX, accepted", t_x, None,
                    f"{len(ximp.records):,} rows ({t_x / len(ximp.records) * 1e5:.1f} s per "
                    "100,000 rows)"))

    records = pd.concat([frame[["institution_id", "period"]], res.values], axis=1)
    t_rules, viol = _time(lambda: evaluate_rules(form, rules, records), args.repeat)
    out.append(("evaluate_rules", t_rules, None,
                f"{len(rules.rules)} rules, {len(viol):,} violations"))
    counts = [f.name for f in form.value_fields if f.type == "integer"]
    t_out, flagged = _time(lambda: flag_outliers(records, counts, by=["period"]), args.repeat)
    out.append(("flag_outliers", t_out, None,
                f"{len(counts)} fields × 8 quarters, {len(flagged):,} flagged"))

    print(f"\nsocialkit.forms, {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}")
    cpu = list(CPU.values())
    print(f"{'step':<34} {'wall s':>8} {'CPU s':>8} {'vs one-by-one':>14}  notes")
    for (name, t, ratio, notes), c in zip(out, cpu, strict=True):
        r = f"{ratio:,.0f}×" if ratio else ""
        print(f"{name:<34} {t:>8.2f} {c:>8.2f} {r:>14}  {notes}")
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / "bench_forms.json").write_text(json.dumps(
        {"rows": args.rows, "python": platform.python_version(), "cpus": os.cpu_count(),
         "load_average": os.getloadavg()[0],
         "steps": [{"step": n, "seconds": t, "cpu_seconds": c, "speed_up": r, "notes": s}
                   for (n, t, r, s), c in zip(out, cpu, strict=True)]}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
