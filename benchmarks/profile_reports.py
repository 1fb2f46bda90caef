"""Profile a warm report worker in one process: where each report's time goes.

Run ``python benchmarks/profile_reports.py --catalog /tmp/ua/catalog.yaml --n 4``. It does
what one batch worker does, without the kernel process in between, so one profiler sees
everything:

1. an IPython shell in this process is warmed up as a report kernel is
   (:func:`socialkit.reporting.kernel.warm_up`);
2. for each of the first ``--n`` municipalities (after ``--skip`` of them), each report of
   ``--report`` in turn (the order a batch kernel gets them): :func:`kernel.reset`, then the
   parameterised notebook's cells, each timed (CPU and wall), outputs captured;
3. the captured outputs are rendered to a PDF (:func:`socialkit.reporting.render.render_pdf`),
   timed.

The first ``--warm`` municipalities are run but not counted (first calls: national results
into the memo, first figures). Prints CPU seconds per report (execute, render) and the
slowest cells; ``--profile DIR`` writes a cProfile of execute and of render per report kind
(``pstats`` files, e.g. for ``snakeviz`` or ``python -m pstats``); ``--pdf DIR`` keeps the
PDFs. Figures are static with SVG text labels, as in the batch.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path


def _outputs(captured, results: list) -> list:
    from nbformat.v4 import new_output

    outs = []
    if captured.stdout:
        outs.append(new_output("stream", name="stdout", text=captured.stdout))
    for o in captured.outputs:
        outs.append(new_output("display_data", data=o.data, metadata=o.metadata or {}))
    for data, metadata in results:  # the cell's value, as a kernel's execute_result
        outs.append(new_output("execute_result", data=data, metadata=metadata or {},
                               execution_count=1))
    results.clear()
    return outs


def _capture_results(shell) -> list:
    """Make the shell's display hook keep a cell's value (every format) instead of printing it."""
    results: list = []
    hook = shell.displayhook
    hook.write_output_prompt = lambda: None
    hook.write_format_data = lambda data, md=None: results.append((data, md))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", required=True)
    parser.add_argument("--report", default="maturity,needs,passport")
    parser.add_argument("--n", type=int, default=4, help="municipalities counted")
    parser.add_argument("--warm", type=int, default=1, help="municipalities run first, not counted")
    parser.add_argument("--skip", type=int, default=0, help="municipalities skipped at the start")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--profile", type=Path, default=None, help="folder for pstats files")
    parser.add_argument("--sampler", action="store_true",
                        help="with --profile: pyinstrument (sampling, if installed) instead of "
                             "cProfile; writes a text tree per report kind and part")
    parser.add_argument("--pdf", type=Path, default=None, help="folder for the PDFs")
    parser.add_argument("--notebooks", type=Path, default=None,
                        help="folder for the executed notebooks")
    parser.add_argument("--no-render", action="store_true")
    parser.add_argument("--cells", type=int, default=12, help="slowest cells listed")
    args = parser.parse_args(argv)

    os.environ.setdefault("SOCIALKIT_SVG_FONTTYPE", "none")
    os.environ.setdefault("MPLBACKEND", "Agg")
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()  # before HoloViews is imported: it looks for IPython
    from IPython.utils.capture import capture_output
    from nbformat.v4 import new_code_cell
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    from socialkit.reporting import kernel, plan_jobs
    from socialkit.reporting.jobs import _title
    from socialkit.reporting.render import render_pdf, warm_up_renderer

    results = _capture_results(shell)
    # as the engine does: in the shell (HoloViews' notebook display hooks need it running)
    shell.run_cell("import socialkit.reporting.kernel as _k\n_k.warm_up()\ndel _k",
                   store_history=False).raise_error()
    warm_up_renderer()
    jobs, _ = plan_jobs(args.report, catalog=args.catalog, lang=args.lang)
    ids = list(dict.fromkeys(j.municipality_id for j in jobs))
    ids = ids[args.skip: args.skip + args.warm + args.n]
    counted = set(ids[args.warm:])
    by_id = defaultdict(list)
    for j in jobs:
        by_id[j.municipality_id].append(j)
    profiles: dict[tuple[str, str], object] = {}

    def profiler(key):
        if key not in profiles:
            if args.sampler:
                from pyinstrument import Profiler

                profiles[key] = Profiler(interval=0.0005)
            else:
                profiles[key] = cProfile.Profile()
        prof = profiles[key]
        return (prof.start, prof.stop) if args.sampler else (prof.enable, prof.disable)

    rows: list[dict] = []
    cells: dict[tuple[str, int], list[float]] = defaultdict(list)
    heads: dict[tuple[str, int], str] = {}
    print(f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
    for mid in ids:
        for job in by_id[mid]:
            count = mid in counted
            nb = parameterize_notebook(load_notebook_node(job.notebook), job.parameters,
                                       kernel_name="python3", language="python")
            prof = None
            if count and args.profile:
                prof = profiler((job.report, "execute"))
            c0, w0 = time.process_time(), time.perf_counter()
            kernel.reset()
            executed = []
            for i, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    executed.append(cell)
                    continue
                cc = time.process_time()
                with capture_output() as captured:
                    if prof:
                        prof[0]()
                    res = shell.run_cell(cell.source, store_history=False)
                    if prof:
                        prof[1]()
                if res.error_in_exec or res.error_before_exec:
                    err = res.error_in_exec or res.error_before_exec
                    raise RuntimeError(f"{job.report} {mid} cell {i}: {err!r}")
                if count:
                    cells[(job.report, i)].append(time.process_time() - cc)
                    lines = [x for x in cell.source.splitlines() if x and x[0] not in "#"]
                    heads[(job.report, i)] = (lines or [""])[0][:60]
                out = new_code_cell(cell.source, metadata=cell.metadata)
                out.outputs = _outputs(captured, results)
                executed.append(out)
            nb.cells = executed
            if args.notebooks:
                import nbformat

                args.notebooks.mkdir(parents=True, exist_ok=True)
                nbformat.write(nb, args.notebooks / f"{mid}.{job.report}.{job.lang}.ipynb")
            c1, w1 = time.process_time(), time.perf_counter()
            pdf = b""
            if not args.no_render:
                prof = None
                if count and args.profile:
                    prof = profiler((job.report, "render"))
                    prof[0]()
                pdf = render_pdf(nb, _title(job), base_url=str(Path(job.notebook).parent))
                if prof:
                    prof[1]()
                if args.pdf:
                    args.pdf.mkdir(parents=True, exist_ok=True)
                    (args.pdf / f"{mid}.{job.report}.{job.lang}.pdf").write_bytes(pdf)
            c2, w2 = time.process_time(), time.perf_counter()
            row = {"mid": mid, "report": job.report, "count": count,
                   "exec_cpu": c1 - c0, "exec_wall": w1 - w0,
                   "render_cpu": c2 - c1, "render_wall": w2 - w1}
            rows.append(row)
            print(f"{mid:>12} {job.report:<14} execute {row['exec_cpu']:6.2f} CPU s "
                  f"({row['exec_wall']:6.2f} wall)  render {row['render_cpu']:5.2f} CPU s "
                  f"{'' if count else '(warm-up, not counted)'}", flush=True)
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")
    print("\n| CPU s per report (mean) | execute | render | total | n |\n|---|---|---|---|---|")
    for report in dict.fromkeys(r["report"] for r in rows):
        got = [r for r in rows if r["report"] == report and r["count"]]
        if not got:
            continue
        e = statistics.mean(r["exec_cpu"] for r in got)
        r_ = statistics.mean(r["render_cpu"] for r in got)
        print(f"| {report} | {e:.2f} | {r_:.2f} | {e + r_:.2f} | {len(got)} |")
    every = [r for r in rows if r["count"]]
    if every:
        tot = statistics.mean(r["exec_cpu"] + r["render_cpu"] for r in every)
        print(f"| all | | | {tot:.2f} | {len(every)} |")
    print("\nslowest cells (CPU s, mean):")
    for (report, i), v in sorted(cells.items(), key=lambda kv: -statistics.mean(kv[1]))[
            : args.cells]:
        print(f"  {report:<14} cell {i:>2}: {statistics.mean(v):.3f}  {heads[(report, i)]}")
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
        for (report, part), prof in profiles.items():
            if args.sampler:
                (args.profile / f"{report}.{part}.txt").write_text(
                    prof.output_text(unicode=True, show_all=False))
            else:
                prof.dump_stats(args.profile / f"{report}.{part}.pstats")
        print(f"profiles: {args.profile}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
