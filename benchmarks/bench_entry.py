"""Bulk import into the store: a file of N rows of the CSW form validated and saved as drafts
(``socialkit.store.entry.import_entries``: every row through the form, then one transaction),
on SQLite and on PostgreSQL (a throwaway server, as ``bench_store.py`` starts it).

Measured per database: the whole import (read the CSV, validate, save), of which the
validation alone (``socialkit.forms.import_file``), rows/s, the CPU seconds of the importing
process (the PostgreSQL server's own work not included) and the 1-minute load average at the
end (the build machine is shared: compare wall times only at a similar load). Goal of issue 17:
100,000 rows with validation < 30 s on 2 cores.

2026-12-07, 100,000 rows, two runs interleaved with two of the previous ``save_many`` (``INSERT
… RETURNING`` in parameter order, JSON encoded three times), load average 2–3 on the 2 shared
cores: SQLite 9.4 s and 13.4 s (previous 17.1 s, 21.4 s), PostgreSQL 12.2 s and 16.0 s
(previous 27.3 s, 39.1 s); details in docs/forms.md, "Speed of a bulk import into the store".

Usage::

    .venv/bin/python benchmarks/bench_entry.py [--rows 100000] [--only sqlite]

Prints a table and writes ``benchmarks/results/bench_entry.json``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import tempfile
import time
from pathlib import Path

CSW = {"staff_social_workers": "10", "staff_psychologists": "2", "staff_pedagogues": "1",
       "staff_special_educators": "1", "staff_lawyers": "1", "staff_other": "3",
       "positions_approved": "22", "vacancies": "4", "new_hires": "1", "departures": "0",
       "case_managers": "8", "active_cases": "400", "new_cases": "60", "computers": "15",
       "vehicles": "2", "internet": "yes", "case_software": "yes", "premises_m2": "350,5",
       "premises_condition": "good", "premises_accessible": "yes",
       "private_interview_room": "no"}
PERIODS = [f"{y}Q{q}" for y in range(2014, 2027) for q in (1, 2, 3, 4)]


def _write_csv(path: Path, rows: int) -> list[str]:
    insts = [f"csw-{i:05d}" for i in range(rows // len(PERIODS) + 1)]
    vals = ",".join(f'"{v}"' for v in CSW.values())
    lines = [",".join(["institution_id", "period", *CSW])]
    lines += [f"{insts[k // len(PERIODS)]},{PERIODS[k % len(PERIODS)]},{vals}"
              for k in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return insts


def _run(url: str, path: Path, insts: list[str]) -> dict:
    from socialkit.forms import form_path, import_file, load_form
    from socialkit.store import Actor, close_stores, open_store
    from socialkit.store.entry import import_entries, register_shipped_forms

    store = open_store(url)
    admin = Actor.system("bench")
    register_shipped_forms(store, admin)
    import sqlalchemy as sa

    from socialkit.store.models import Institution

    with store.engine.begin() as con:   # set-up, not measured: one transaction
        con.execute(sa.insert(Institution), [{"id": i, "kind": "csw", "name": i}
                                             for i in insts])
    form = load_form(form_path("csw_state"))
    t0 = time.perf_counter()
    import_file(form, path)
    validate = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    saved = import_entries(store, admin, form, path)
    total, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert len(store.records(admin, form_id="csw_state")) == len(saved)
    close_stores()
    return {"validate_s": round(validate, 2), "import_s": round(total, 2),
            "import_cpu_s": round(cpu, 2), "rows_per_s": round(len(saved) / total),
            "load_1min": round(os.getloadavg()[0], 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args(argv)
    spec = importlib.util.spec_from_file_location(
        "_bench_store", Path(__file__).with_name("bench_store.py"))
    bench_store = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench_store)
    results = {"rows": args.rows}
    with tempfile.TemporaryDirectory(prefix="socialkit-bench-entry-") as tmp:
        folder = Path(tmp)
        folder.chmod(0o711)  # the PostgreSQL server's user must reach its own sub-folder
        path = folder / "bulk.csv"
        insts = _write_csv(path, args.rows)
        if args.only in (None, "sqlite"):
            results["sqlite"] = _run(f"sqlite:///{folder / 'store.sqlite'}", path, insts)
            print("sqlite", results["sqlite"], flush=True)
        if args.only in (None, "postgresql"):
            pg_folder = folder / "pg"
            pg_folder.mkdir()
            proc, url = bench_store._pg_server(pg_folder)
            if url is None:
                results["postgresql"] = "no PostgreSQL server binaries"
            else:
                try:
                    results["postgresql"] = _run(url, path, insts)
                finally:
                    proc.terminate()
                    proc.wait(timeout=30)
    print(f"{'database':<12}{'rows':>9}{'validate s':>12}{'import s':>10}{'cpu s':>8}"
          f"{'rows/s':>9}{'load':>7}")
    for db in ("sqlite", "postgresql"):
        r = results.get(db)
        if isinstance(r, dict):
            print(f"{db:<12}{args.rows:>9}{r['validate_s']:>12}{r['import_s']:>10}"
                  f"{r['import_cpu_s']:>8}{r['rows_per_s']:>9}{r['load_1min']:>7}")
    out = Path(__file__).with_name("results") / "bench_entry.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
