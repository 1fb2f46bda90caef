"""The store under 20 concurrent entry sessions, on SQLite and on PostgreSQL.

Each session is a separate process (as users of a server with several worker processes, or of
several servers on one PostgreSQL), acting as the worker of its own CSW. It repeats: open its
record, change a value, save it with the version it opened (optimistic locking); every
``--hot-every``-th step it also adds 1 to a counter in a **shared** record that every session
edits, retrying after a refused save (:class:`ConcurrentEditError`) as a user would after
reopening the record. Measured:

* **saves/s** over the whole run (every successful save, own and shared records);
* **save latency** p50/p95/max of one ``Store.save`` call (goal: p95 < 300 ms);
* with ``--think S`` each user waits a random time (mean S seconds) before each save, as people
  typing do; without it the sessions save back to back (the saturation test);
* **no lost update**: each own record ends at version ``1 + steps`` with the last value its
  session wrote and one audit row per version; the shared counter equals the number of
  increments that were accepted (refused ones were retried), and its audit trail has one row
  per accepted save.

PostgreSQL: ``--pg-url`` (or ``SOCIALKIT_BENCH_PG_URL``) names a database the benchmark may
fill; otherwise a throwaway server is started with ``initdb``/``postgres`` from Debian's
``postgresql`` package (fsync on: the numbers are for durable commits).

Usage::

    .venv/bin/python benchmarks/bench_store.py [--sessions 20] [--steps 50] [--only sqlite]

Prints a table and writes ``benchmarks/results/bench_store.json``.
"""

from __future__ import annotations

import argparse
import glob
import json
import multiprocessing as mp
import os
import platform
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

FORM = ("csw_state", "1")
PERIOD = "2026Q1"
HOT = "csw-hot"


def _setup(url: str, sessions: int) -> None:
    from socialkit.store import Actor, open_store

    store = open_store(url)
    admin = Actor.system("bench")
    store.add_institution(admin, "province", "province", "Province")
    store.add_institution(admin, HOT, "csw", "Shared", parent_id="province")
    store.register_form(admin, *FORM)
    for i in range(sessions):
        inst = f"csw-{i:02d}"
        store.add_institution(admin, inst, "csw", f"CSW {i}", parent_id="province")
        store.grant(admin, f"w{i}", "worker", inst)
        store.grant(admin, f"w{i}", "worker", HOT)
    store.save(admin, *FORM, HOT, PERIOD, {"counter": 0})


def _session(url: str, i: int, steps: int, hot_every: int, think: float, barrier, out) -> None:
    from socialkit.store import ConcurrentEditError, open_store

    store = open_store(url)
    me = store.actor(f"w{i}")
    inst = f"csw-{i:02d}"
    latencies: list[float] = []
    conflicts = increments = 0
    store.get(me, FORM[0], HOT, PERIOD)  # connect before the start, as an open session would
    barrier.wait()  # every session has imported socialkit and connected: all start together
    began = time.time()

    def timed_save(*a, **k):
        t0 = time.perf_counter()
        try:
            return store.save(*a, **k)
        finally:
            latencies.append(time.perf_counter() - t0)

    rec = timed_save(me, *FORM, inst, PERIOD, {"staff": 0, "vacancies": i})
    rng = np.random.default_rng(i)
    for step in range(1, steps + 1):
        if think:  # a user types between two saves (exponential, mean `think` seconds)
            time.sleep(rng.exponential(think))
        opened = store.get(me, FORM[0], inst, PERIOD)
        rec = timed_save(me, *FORM, inst, PERIOD, {**opened.values, "staff": step},
                         expected_version=opened.version)
        if step % hot_every == 0:
            while True:
                hot = store.get(me, FORM[0], HOT, PERIOD)
                try:
                    timed_save(me, *FORM, HOT, PERIOD, {"counter": hot.values["counter"] + 1},
                               expected_version=hot.version)
                    increments += 1
                    break
                except ConcurrentEditError:
                    latencies.pop()  # a refused save is not a save; it is counted apart
                    conflicts += 1
    out.put({"session": i, "latencies": latencies, "conflicts": conflicts,
             "increments": increments, "final_version": rec.version, "began": began,
             "ended": time.time()})


def _check(url: str, results: list[dict], steps: int) -> dict:
    from socialkit.store import Actor, open_store

    store = open_store(url)
    admin = Actor.system("bench")
    problems = []
    for r in results:
        inst = f"csw-{r['session']:02d}"
        rec = store.get(admin, FORM[0], inst, PERIOD)
        if rec.version != steps + 1 or rec.values["staff"] != steps:
            problems.append(f"{inst}: version {rec.version}, staff {rec.values['staff']}")
        if len(store.history(admin, rec.record_id)) != rec.version:
            problems.append(f"{inst}: audit rows != versions")
    hot = store.get(admin, FORM[0], HOT, PERIOD)
    increments = sum(r["increments"] for r in results)
    if hot.values["counter"] != increments:
        problems.append(f"shared counter {hot.values['counter']} != {increments} increments")
    if len(store.history(admin, hot.record_id)) != increments + 1:
        problems.append("shared record: audit rows != accepted saves")
    return {"lost_updates": problems, "shared_counter": hot.values["counter"],
            "increments": increments}


def _pg_server(folder: Path):
    bindir = next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                              key=lambda p: [int(x) for x in re.findall(r"\d+", p)])[-1:]), None)
    if bindir is None:
        return None, None
    prefix = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
        prefix = ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"]
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    subprocess.run([*prefix, f"{bindir}/initdb", "-D", str(folder / "data"), "-U", "bench",
                    "--auth=trust", "-E", "UTF8"], check=True, capture_output=True, env=env)
    if prefix:  # the server dies with the benchmark
        prefix.insert(-1, "--pdeathsig=INT")
    proc = subprocess.Popen([*prefix, f"{bindir}/postgres", "-D", str(folder / "data"), "-k",
                             str(folder), "-c", "listen_addresses=", "-c", "max_connections=100"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    import sqlalchemy as sa

    admin = sa.create_engine(f"postgresql+psycopg://bench@/postgres?host={folder}",
                             isolation_level="AUTOCOMMIT")
    for _ in range(300):
        try:
            with admin.connect() as con:
                con.exec_driver_sql("CREATE DATABASE socialkit_bench")
            break
        except sa.exc.OperationalError:
            time.sleep(0.1)
    admin.dispose()
    return proc, f"postgresql+psycopg://bench@/socialkit_bench?host={folder}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--steps", type=int, default=50, help="saves of its own record per session")
    ap.add_argument("--hot-every", type=int, default=5,
                    help="every n-th step also edits the shared record")
    ap.add_argument("--think", type=float, default=0.0,
                    help="mean seconds a user takes between two saves (0: back to back, the "
                         "saturation test)")
    ap.add_argument("--only", choices=["sqlite", "postgresql"])
    ap.add_argument("--pg-url", default=os.environ.get("SOCIALKIT_BENCH_PG_URL"))
    args = ap.parse_args(argv)

    rows = []
    with tempfile.TemporaryDirectory(prefix="socialkit-bench-store-") as tmp:
        tmp = Path(tmp)
        targets = []
        if args.only in (None, "sqlite"):
            targets.append(("sqlite", f"sqlite:///{tmp / 'bench.sqlite'}"))
        proc = None
        if args.only in (None, "postgresql"):
            url = args.pg_url
            if url is None:  # its own folder: the postgres user cannot enter ours (0700)
                pg_dir = Path(tempfile.mkdtemp(prefix="socialkit-bench-pg-"))
                proc, url = _pg_server(pg_dir)
            if url is None:
                print("PostgreSQL not found: skipped (install the Debian package postgresql)")
            else:
                targets.append(("postgresql", url))
        try:
            for name, url in targets:
                t0 = time.perf_counter()
                row = run(name, url, args)
                row["total_s_with_setup"] = round(time.perf_counter() - t0, 1)
                rows.append(row)
        finally:
            if proc is not None:
                proc.send_signal(2)
                proc.wait(timeout=60)
                shutil.rmtree(pg_dir, ignore_errors=True)
    print(f"\n{'database':<11} {'saves':>6} {'saves/s':>8} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'max ms':>7} {'retried':>8}  lost updates")
    for r in rows:
        print(f"{r['database']:<11} {r['saves']:>6} {r['saves_per_s']:>8} {r['p50_ms']:>7} "
              f"{r['p95_ms']:>7} {r['max_ms']:>7} {r['conflicts_retried']:>8}  "
              f"{len(r['lost_updates']) or 'none'}")
    out = HERE / "results" / f"bench_store{'_think' if args.think else ''}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"machine": platform.platform(), "cpus": os.cpu_count(),
                               "load_average": os.getloadavg(),
                               "args": vars(args) | {"pg_url": bool(args.pg_url)},
                               "results": rows}, indent=2) + "\n")
    return 1 if any(r["lost_updates"] for r in rows) else 0


def run(name: str, url: str, args) -> dict:
    """Set up the database, run the sessions together, check for lost updates."""
    from socialkit.store import close_stores

    _setup(url, args.sessions)
    close_stores()
    ctx = mp.get_context("spawn")
    barrier, out = ctx.Barrier(args.sessions), ctx.Queue()
    procs = [ctx.Process(target=_session,
                         args=(url, i, args.steps, args.hot_every, args.think, barrier, out))
             for i in range(args.sessions)]
    for p in procs:
        p.start()
    results = [out.get(timeout=3600) for _ in procs]
    for p in procs:
        p.join()
    elapsed = max(r["ended"] for r in results) - min(r["began"] for r in results)
    lat = np.concatenate([r["latencies"] for r in results]) * 1000
    check = _check(url, results, args.steps)
    close_stores()
    return {
        "database": name, "sessions": args.sessions, "think_s": args.think,
        "saves": int(lat.size),
        "elapsed_s": round(elapsed, 2), "saves_per_s": round(lat.size / elapsed, 1),
        "p50_ms": round(float(np.percentile(lat, 50)), 1),
        "p95_ms": round(float(np.percentile(lat, 95)), 1),
        "max_ms": round(float(lat.max()), 1),
        "conflicts_retried": int(sum(r["conflicts"] for r in results)), **check,
    }


if __name__ == "__main__":
    sys.exit(main())
