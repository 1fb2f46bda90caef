"""Run every benchmark in this folder, one after another: ``make bench``.

Each ``bench_*.py`` is a standalone script that prints a table and writes JSON under
``benchmarks/results/``. Pass names to run a subset: ``python benchmarks/run_all.py index access``.
Extra options for one benchmark go after ``--``:
``python benchmarks/run_all.py reports -- --n 4``.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    extra: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1:]
    scripts = sorted(HERE.glob("bench_*.py"))
    if argv:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in argv]
    failed = []
    for script in scripts:
        print(f"\n=== {script.stem} ===", flush=True)
        start = time.perf_counter()
        res = subprocess.run([sys.executable, str(script), *extra], cwd=HERE.parent)
        print(f"--- {script.stem}: {time.perf_counter() - start:.1f} s, exit {res.returncode}")
        if res.returncode:
            failed.append(script.stem)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
