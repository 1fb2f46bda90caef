"""The registry of professionals at the scale of a country: 20,000 professionals over six years.

Data: a synthetic registry built here with numpy (seeded): ``--persons`` professionals in
``--institutions`` centres, two licence periods each (six years long, staggered), a career of
one or two employments, 60 programmes (accredited with a knowledge test, untested, national
conferences) with ~100 sessions a year from 2020 to 2025, and three participations per person
and year (~360,000 in all) in roles the rules define.

Timed (median of ``--repeat`` runs; the goal of issue 19 is **ledger + compliance < 2 s**):

1. **check**: :func:`socialkit.professionals.check_registry` (schemas, links, accreditation
   periods, roles in the rule set in force, points claimed twice);
2. **ledger**: :func:`points_ledger` (every participation × every licence period it counts
   for);
3. **compliance**: :func:`compliance` on 2025-12-01 with the ledger of step 2;
4. **ledger + compliance** from the checked registry, as ``socialkit professionals
   compliance`` runs them;
5. with ``--store``: saving the registry in a SQLite store and reading it back as the
   administrator (every person logged in the read log).

Usage::

    .venv/bin/python benchmarks/bench_professionals.py [--persons 20000] [--repeat 3] [--store]

Prints a table and writes ``benchmarks/results/bench_professionals.json``.
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

from socialkit.professionals import check_registry, compliance, points_ledger  # noqa: E402
from socialkit.professionals.schemas import jmbg_check_digit  # noqa: E402

AS_OF = "2025-12-01"
YEARS = range(2020, 2026)


def _dates(days: np.ndarray) -> np.ndarray:
    return (np.datetime64("1970-01-01") + days.astype("timedelta64[D]")).astype(str)


def synthetic_registry(persons: int, institutions: int = 100, seed: int = 7
                       ) -> dict[str, pd.DataFrame]:
    """The registry's seven tables as text, as read from files."""
    rng = np.random.default_rng(seed)
    n = persons
    inst = [f"csr-{i:03d}" for i in range(institutions)]
    t: dict[str, pd.DataFrame] = {}
    t["institutions"] = pd.DataFrame({"institution_id": inst,
                                      "name": [f"Centre {i}" for i in range(institutions)],
                                      "name_local": [f"Центар {i}" for i in range(institutions)],
                                      "municipality": [f"M{i}" for i in range(institutions)],
                                      "kind": "centre_for_social_work"})
    pid = np.array([f"p{i:06d}" for i in range(n)])
    # personal numbers: day/month/year of birth, region 80, a serial, the control digit
    first12 = [f"{1 + i % 28:02d}{1 + i % 12:02d}{960 + i % 40:03d}80{i % 1000:03d}"
               for i in range(n)]
    t["persons"] = pd.DataFrame({
        "person_id": pid, "surname": "Surname", "given_name": "Name",
        "personal_number": [f + str(jmbg_check_digit(f)) for f in first12],
        "profession": "social_worker", "email": None})
    # careers: one employment, for a fifth a move to another centre in 2022
    home = rng.integers(0, institutions, n)
    moved = rng.random(n) < 0.2
    start = rng.integers(np.datetime64("2005-01-01").astype(int),
                         np.datetime64("2019-12-31").astype(int), n)
    move = np.datetime64("2022-06-30").astype(int)
    emp1_end = np.where(moved, _dates(np.full(n, move)), None)
    t["employments"] = pd.DataFrame({
        "person_id": np.concatenate([pid, pid[moved]]),
        "institution_id": np.concatenate([np.array(inst)[home],
                                          np.array(inst)[(home[moved] + 1) % institutions]]),
        "start": np.concatenate([_dates(start), _dates(np.full(moved.sum(), move + 1))]),
        "end": np.concatenate([emp1_end, np.full(moved.sum(), None)])})
    # two six-year licence periods, staggered so some end inside the benchmark's window
    lic_start = rng.integers(np.datetime64("2017-01-01").astype(int),
                             np.datetime64("2022-12-31").astype(int), n)
    six = 6 * 365
    t["licences"] = pd.DataFrame({
        "licence_id": np.concatenate([np.char.add(pid, "-1"), np.char.add(pid, "-2")]),
        "person_id": np.concatenate([pid, pid]),
        "licence_type": "basic",
        "number": np.concatenate([np.char.add("BA-1-", pid), np.char.add("BA-2-", pid)]),
        "valid_from": np.concatenate([_dates(lic_start), _dates(lic_start + six)]),
        "valid_to": np.concatenate([_dates(lic_start + six - 1),
                                    _dates(lic_start + 2 * six - 1)]),
        "renews": np.concatenate([np.full(n, None), np.char.add(pid, "-1")])})
    kinds = [("training_tested", True, True), ("training_untested", False, False),
             ("conference_national", False, False)]
    progs = [(f"prog-{i:02d}", *kinds[i % 3]) for i in range(60)]
    t["programmes"] = pd.DataFrame({
        "programme_id": [p[0] for p in progs], "title": [f"Programme {p[0]}" for p in progs],
        "title_local": None, "activity": [p[1] for p in progs],
        "accredited": ["true" if p[2] else "false" for p in progs],
        "accreditation_number": [f"110-{p[0]}" if p[2] else None for p in progs],
        "accredited_from": ["2019-01-01" if p[2] else None for p in progs],
        "accredited_to": ["2031-12-31" if p[2] else None for p in progs],
        "hours": "16", "knowledge_test": ["true" if p[3] else "false" for p in progs]})
    per_year = 100
    sess_rows = []
    for year in YEARS:
        days = rng.integers(np.datetime64(f"{year}-01-10").astype(int),
                            np.datetime64(f"{year}-12-20").astype(int), per_year)
        for j in range(per_year):
            sess_rows.append((f"s{year}-{j:03d}", progs[(j * 7 + year) % 60][0],
                              _dates(np.array([days[j]]))[0]))
    sessions = pd.DataFrame(sess_rows, columns=["session_id", "programme_id", "date"])
    sessions["place"] = "Novi Sad"
    sessions["online"] = "false"
    t["sessions"] = sessions
    activity = dict(zip(t["programmes"]["programme_id"], t["programmes"]["activity"],
                        strict=True))
    roles = {"training_tested": "participant", "training_untested": "participant",
             "conference_national": "passive"}
    # three distinct sessions per person and year
    parts = []
    for k in range(len(YEARS)):
        base = rng.integers(0, per_year, n)
        for step in range(3):
            idx = (base + step * (per_year // 3)) % per_year + k * per_year
            parts.append((pid, sessions["session_id"].to_numpy()[idx],
                          sessions["programme_id"].to_numpy()[idx]))
    person = np.concatenate([p[0] for p in parts])
    sess = np.concatenate([p[1] for p in parts])
    prog = np.concatenate([p[2] for p in parts])
    t["participations"] = pd.DataFrame({
        "participation_id": [f"x{i:07d}" for i in range(len(person))],
        "person_id": person, "session_id": sess,
        "role": pd.Series(prog).map(activity).map(roles).to_numpy()})
    return {k: v.astype(object).where(v.notna(), None).astype("str") for k, v in t.items()}


def _timed(fn, repeat: int):
    """``(result, (median wall seconds, median CPU seconds of this process))``: on a shared
    machine the CPU time is the one to compare with the goal."""
    wall, cpu, out = [], [], None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        out = fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return out, (statistics.median(wall), statistics.median(cpu))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--persons", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--store", action="store_true", help="also time the SQLite store")
    args = ap.parse_args(argv)

    raw, t_gen = _timed(lambda: synthetic_registry(args.persons), 1)
    registry, t_check = _timed(lambda: check_registry(raw), 1)
    ledger, t_ledger = _timed(lambda: points_ledger(registry), args.repeat)
    short, t_comp = _timed(lambda: compliance(registry, AS_OF, ledger=ledger), args.repeat)
    _, t_both = _timed(lambda: compliance(registry, AS_OF, ledger=points_ledger(registry)),
                       args.repeat)
    rows = [("generate (not timed against the goal)", t_gen), ("check", t_check),
            ("ledger", t_ledger), ("compliance", t_comp), ("ledger + compliance", t_both)]
    if args.store:
        from socialkit.professionals.registry import TABLES, _raw
        from socialkit.store import Actor, open_store
        from socialkit.store.registry import read_registry, save_registry

        with tempfile.TemporaryDirectory() as tmp:
            store = open_store(f"sqlite:///{tmp}/bench.sqlite")
            admin = Actor.system()
            tables = {t: _raw(registry, t) for t in TABLES}
            _, t_save = _timed(lambda: save_registry(store, admin, tables), 1)
            _, t_read = _timed(lambda: read_registry(store, admin, AS_OF, "bench"), 1)
            store.engine.dispose()
        rows += [("store: save (one transaction)", t_save),
                 ("store: read back + read log", t_read)]
    sizes = {"persons": len(registry.persons), "licences": len(registry.licences),
             "sessions": len(registry.sessions),
             "participations": len(registry.participations), "ledger_rows": len(ledger),
             "short_licences": len(short)}
    print(", ".join(f"{k} {v:,}" for k, v in sizes.items()))
    print(f"{'step':42s} {'wall s':>8s} {'CPU s':>8s}")
    for name, (wall, cpu) in rows:
        print(f"{name:42s} {wall:8.3f} {cpu:8.3f}")
    goal = t_both[1] < 2.0  # CPU seconds: wall time on a shared machine measures the queue
    print(f"goal ledger + compliance < 2 s: {'met' if goal else 'NOT met'} "
          f"(wall {t_both[0]:.2f} s, CPU {t_both[1]:.2f} s)")
    out = HERE / "results" / "bench_professionals.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"sizes": sizes, "seconds": {k: {"wall": w, "cpu": c} for k, (w, c) in rows}, "goal_met": goal,
                               "machine": platform.platform(),
                               "python": platform.python_version()}, indent=1),
                   encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
