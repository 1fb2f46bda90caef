"""State social order at the scale of a busy region-year: 500 competitions, 3,000 applications.

Data: the contracting demo generator (``socialkit.contracting.demo.generate_region_year``)
with ``--competitions`` competitions of one lot each and ``--apps`` applications per lot
(3 evaluators × 3 quality criteria each, so 27,000 scores at the default), written to a folder
of CSV files as a user would have it.

Timed, each step on its own and then the whole chain (the goal: < 10 s):

1. **read + validate** the folder (pandera schemas, every reference and rule);
2. **evaluate**: completeness, admission, weighted scores, ranking, Krippendorff's alpha and
   ICC per competition;
3. **sensitivity**: the ±10 % check of every weight of every lot and the exact smallest flip;
4. **export**: OCDS releases, release package validated against the shipped OCDS 1.1 schema,
   compiled records (``ocdsmerge``), record package validated, the flat workbook's sheets.

Usage::

    .venv/bin/python benchmarks/bench_contracting.py [--competitions 500] [--apps 6] [--repeat 3]

Prints a table and writes ``benchmarks/results/bench_contracting.json``.
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

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from socialkit.contracting import (  # noqa: E402
    evaluate,
    minimal_flip,
    read_contracting,
    weight_sensitivity,
)
from socialkit.contracting.demo import demo_files, generate_region_year  # noqa: E402
from socialkit.contracting.flatten import flatten_compiled  # noqa: E402
from socialkit.contracting.ocds import (  # noqa: E402
    build_releases,
    compile_records,
    record_package,
    release_package,
    validate_package,
)

URI = "https://example.org/bench/release-package.json"


def _timed(fn, repeat: int):
    """``(result, median wall seconds, median CPU seconds of this process)``."""
    wall, cpu, out = [], [], None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        out = fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return out, statistics.median(wall), statistics.median(cpu)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--competitions", type=int, default=500)
    ap.add_argument("--apps", type=int, default=6)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    data, *t_gen = _timed(lambda: generate_region_year(
        "homel", 2025, n_competitions=args.competitions, apps_per_lot=args.apps), 1)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "region_year"
        folder.mkdir()
        for name, text in demo_files(data).items():
            (folder / name).write_text(text, encoding="utf-8")
        data, *t_read = _timed(lambda: read_contracting(folder), args.repeat)
    ev, *t_eval = _timed(lambda: evaluate(data), args.repeat)

    def sensitivity():
        return weight_sensitivity(ev), minimal_flip(ev)

    (sens, flips), *t_sens = _timed(sensitivity, args.repeat)

    def export():
        rels = build_releases(data)
        validate_package(release_package(rels, uri=URI))
        validate_package(record_package(rels, uri=URI), "record")
        return rels, flatten_compiled(compile_records(rels))

    _, *t_first = _timed(export, 1)  # compiles the schema validators once per process
    (rels, sheets), *t_export = _timed(export, args.repeat)
    total = [sum(t[k] for t in (t_read, t_eval, t_sens, t_export)) for k in (0, 1)]
    n_rel = sum(len(r) for r in rels.values())
    rows = [("generate (not in the chain)", t_gen), ("read + validate", t_read),
            ("evaluate (scores, ranks, agreement)", t_eval),
            ("sensitivity (±10 % and exact flip)", t_sens),
            ("export OCDS, first call (+ compiling the schema)", t_first),
            ("export OCDS (build, validate x2, compile, flatten)", t_export),
            ("chain: read → export", total)]
    print(f"{len(data.competitions)} competitions, {len(data.applications)} applications, "
          f"{len(data.scores)} scores, {n_rel} releases; "
          f"{int(sens['changed'].sum())} weight changes flip a winner "
          f"({sens.loc[sens['changed'], 'lot_id'].nunique()} lots)")
    print(f"  {'step (median of ' + str(args.repeat) + ')':<52} {'wall':>8} {'CPU':>8}")
    for label, (wall, cpu) in rows:
        print(f"  {label:<52} {wall:8.2f} {cpu:8.2f} s")
    print(f"goal < 10 s: {'met' if total[0] < 10 else 'NOT met'} (wall), "
          f"{'met' if total[1] < 10 else 'NOT met'} (CPU; wall includes waiting for a busy "
          "machine)")
    result = {"competitions": len(data.competitions), "applications": len(data.applications),
              "scores": len(data.scores), "releases": n_rel,
              "seconds_wall": {label: round(t[0], 3) for label, t in rows},
              "seconds_cpu": {label: round(t[1], 3) for label, t in rows},
              "python": platform.python_version(), "machine": platform.machine()}
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "bench_contracting.json").write_text(json.dumps(result, indent=2) + "\n")
    assert len(flips) == len(data.lots) and sheets["awards"].shape[0] == len(data.awards)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
