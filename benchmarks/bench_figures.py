"""Static report figures: socialkit's one-draw SVG against HoloViews' default SVG path.

Every figure of the three batch reports (maturity, needs, passport) is built as the report
notebooks build it, for one municipality, then rendered to the SVG mime bundle the Jupyter
display hook produces (``renderer.components(obj)``), two ways in the same run:

1. **holoviews**: HoloViews' own Matplotlib renderer and plotting code as shipped
   (``bbox_inches="tight"``: a measuring pass and a drawing pass; a colour bar adds an Agg draw
   of the whole figure; each plotting method re-validates all rcParams twice);
2. **socialkit**: after ``socialkit.plots.setup(static=True)``: one draw, cropped by
   ``viewBox``; colour bars placed without a draw; raw rcParams save/restore; id-only groups
   dropped from the SVG.

Both render the same figure objects, so changes inside the figure functions (the radar grid
as one path, the municipality bars as one bar per unit, ...) speed up both sides and are not in
the ratio. Times are CPU seconds (``time.process_time``), best of ``--repeat``, the two modes
interleaved. With ``--pdf`` (default) the figures of each mode are also drawn by WeasyPrint on
one HTML page, as the batch PDF step does (its cost grows with the SVG's node count).

Usage::

    .venv/bin/python benchmarks/bench_figures.py [--catalog PATH] [--municipality ID]
        [--lang en] [--repeat 5] [--no-pdf]

The full-scale catalog (1,469 municipalities) is ``socialkit demo --scale 1469 --out DIR``;
the default is the bundled demo. Prints a table and writes
``benchmarks/results/bench_figures.json``. Nothing is written to the source tree otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ["SOCIALKIT_STATIC_FIGURES"] = "1"
os.environ.setdefault("SOCIALKIT_SVG_FONTTYPE", "none")  # as the batch runner sets it

from holoviews.plotting.mpl import plot as _mpl_plot  # noqa: E402

_HOLOVIEWS_RC_CONTEXT = _mpl_plot._rc_context  # before socialkit replaces it


def maturity_figures(catalog: str | None, mid: str | None, lang: str) -> dict:
    """The three figures of notebooks/digital_maturity.ipynb, as zero-argument builders."""
    from socialkit.i18n import t
    from socialkit.maturity import report
    from socialkit.maturity.files import assess_catalog
    from socialkit.plots.maturity import maturity_heatmap, maturity_progress, maturity_radar

    result = assess_catalog(catalog, round=None)
    mid = mid or report.first_municipality(result)
    shown = report.pick_round(result, mid, None)
    name = report.municipality_name(result, mid, lang)
    radar = report.radar_frame(result, mid, shown, lang)
    peers = report.peer_label(result, mid, shown, lang, radar["peer_group"].iloc[0])
    heat = report.heatmap_frame(result, shown, lang, mid)
    progress = report.progress_frame(result, mid, lang)
    return {
        "maturity.radar": lambda: maturity_radar(
            radar, name=name, peer_name=peers, title=t("maturity.plot.radar_title", lang)),
        "maturity.heatmap": lambda: maturity_heatmap(
            heat, title=t("maturity.plot.heatmap_title", lang),
            xlabel=t("maturity.plot.axis_dimension", lang),
            ylabel=t("maturity.plot.axis_municipality", lang),
            clabel=t("maturity.plot.axis_score", lang)),
        "maturity.progress": lambda: maturity_progress(
            progress, title=t("maturity.plot.progress_title", lang),
            xlabel=t("maturity.plot.axis_dimension", lang),
            ylabel=t("maturity.plot.axis_score", lang)),
    }


def needs_figures(catalog: str | None, mid: str | None, lang: str) -> dict:
    """The five figures of notebooks/needs_analysis.ipynb."""
    from socialkit.i18n import t
    from socialkit.needs.display import cluster_names
    from socialkit.passport import load_tables, municipality_name, resolve_municipality
    from socialkit.plots.maps import cluster_map
    from socialkit.plots.needs import profile_heatmap
    from socialkit.plots.vulnerability import municipality_position, rank_bands, settlement_map
    from socialkit.vulnerability import (
        facility_points,
        municipality_clusters,
        needs_clusters,
        position_peers,
        read_vulnerability_spec,
        settlement_points,
        vulnerability_index,
    )

    tables = load_tables(catalog)
    mid = resolve_municipality(tables["municipalities"], mid)
    name = municipality_name(tables["municipalities"], mid, lang)
    spec = read_vulnerability_spec()
    runs = spec.uncertainty.runs
    settlements = vulnerability_index(tables, "settlement", uncertainty_runs=runs)
    municipalities = vulnerability_index(tables, "municipality", uncertainty_runs=runs)
    local = "name_local" if lang == "uk" else "name"
    mine = settlements.scores.loc[settlements.scores["municipality_id"] == mid]
    points = settlement_points(settlements, tables["settlements"], mid, lang)
    facilities = facility_points(settlements, tables["settlements"], tables["facilities"],
                                 mid, lang)
    clusters = needs_clusters(settlements)
    labels = municipality_clusters(clusters, settlements, mid)
    ms = position_peers(municipalities, mid)
    return {
        "needs.rank_bands": lambda: rank_bands(
            mine.assign(label=mine[local]), label="label", rank=f"{spec.top}_rank",
            title=t("vulnerability.plot.ranking_title", lang),
            rank_label=t("vulnerability.plot.rank_axis", lang),
            label_label=t("vulnerability.columns.settlement", lang)),
        "needs.settlement_map": lambda: settlement_map(
            points, facilities, title=t("vulnerability.plot.map_title", lang),
            value_label=t("vulnerability.plot.score_axis", lang),
            lon_label=t("vulnerability.plot.longitude", lang),
            lat_label=t("vulnerability.plot.latitude", lang)),
        "needs.profile_heatmap": lambda: profile_heatmap(
            clusters.profiles, cluster_names(clusters, lang), lang=lang,
            title=t("vulnerability.plot.profiles_title", lang)),
        "needs.cluster_map": lambda: cluster_map(
            points, labels, cluster_names(clusters, lang), facilities, lang=lang,
            title=t("vulnerability.plot.clusters_map_title", lang, name=name)),
        "needs.municipality_position": lambda: municipality_position(
            ms.assign(label=ms[local], score=ms[spec.top], highlight=ms["unit_id"] == mid),
            label="label", title=t("vulnerability.plot.municipality_title", lang),
            value_label=t("vulnerability.plot.score_axis", lang),
            label_label=t("vulnerability.columns.municipality", lang),
            marker=t("vulnerability.plot.this_municipality", lang)),
    }


def passport_figures(catalog: str | None, mid: str | None, lang: str) -> dict:
    """The three figures of notebooks/social_passport.ipynb."""
    from socialkit.i18n import t
    from socialkit.passport import (
        build_passport,
        comparison_frame,
        demography_frame,
        infrastructure_frame,
    )
    from socialkit.plots.passport import demography_bars, infrastructure_bars, rates_comparison

    p = build_passport(catalog, mid, year=None)
    rates, ages, infra = comparison_frame(p, lang), demography_frame(p, lang), \
        infrastructure_frame(p, lang)
    return {
        "passport.rates": lambda: rates_comparison(
            rates, title=t("passport.plot.rates_title", lang),
            value_label=t("passport.plot.rate_axis", lang),
            group_label=t("passport.plot.group_axis", lang),
            area_label=t("passport.plot.area", lang)),
        "passport.demography": lambda: demography_bars(
            ages, title=t("passport.plot.demography_title", lang),
            value_label=t("passport.plot.population_axis", lang),
            label_label=t("passport.plot.age_axis", lang)),
        "passport.infrastructure": lambda: infrastructure_bars(
            infra, title=t("passport.plot.infrastructure_title", lang),
            value_label=t("passport.plot.settlements_axis", lang),
            kind_label=t("passport.columns.facility_kind", lang),
            status_label=t("passport.plot.status", lang)),
    }


@contextmanager
def holoviews_default():
    """HoloViews' own rcParams contexts and colour-bar placement, for the comparison."""
    from holoviews.plotting.mpl.element import ColorbarPlot

    ours = (_mpl_plot._rc_context, ColorbarPlot._draw_colorbar)
    _mpl_plot._rc_context = _HOLOVIEWS_RC_CONTEXT
    ColorbarPlot._draw_colorbar = getattr(ours[1], "__wrapped__", ours[1])
    try:
        yield
    finally:
        _mpl_plot._rc_context, ColorbarPlot._draw_colorbar = ours


def render(renderer, build) -> tuple[float, str]:
    """CPU seconds to build the figure and produce its mime bundle, and its HTML."""
    start = time.process_time()
    data, _ = renderer.components(build())
    return time.process_time() - start, data["text/html"]


def pdf_seconds(htmls: list[str], repeat: int) -> float:
    from weasyprint import HTML

    page = "<html><body>" + "".join(f"<div>{h}</div>" for h in htmls) + "</body></html>"
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        HTML(string=page).write_pdf()
        best = min(best, time.process_time() - start)
    return best


def svg_nodes(html: str) -> int:
    import base64

    b64 = html.split("base64,", 1)[1].split("'", 1)[0].split('"', 1)[0]
    return base64.b64decode(b64).decode("utf-8").count("<") - 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--catalog", default=None, help="intake catalog; default: the demo")
    ap.add_argument("--municipality", default=None)
    ap.add_argument("--lang", default="en")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--pdf", action=argparse.BooleanOptionalAction, default=True)
    args = ap.parse_args(argv)

    import holoviews as hv
    from holoviews.plotting.mpl.renderer import MPLRenderer

    import socialkit.plots

    socialkit.plots.setup(static=True)
    fast = hv.renderer("matplotlib")
    plain = MPLRenderer.instance(dpi=fast.dpi, fig="svg")
    figures = {}
    for make in (maturity_figures, needs_figures, passport_figures):
        figures.update(make(args.catalog, args.municipality, args.lang))

    best = {k: {"holoviews": float("inf"), "socialkit": float("inf")} for k in figures}
    html: dict[str, dict[str, str]] = {"holoviews": {}, "socialkit": {}}
    for build in figures.values():  # warm-up: imports, font caches
        with holoviews_default():
            render(plain, build)
        render(fast, build)
    for _ in range(args.repeat):
        for name, build in figures.items():
            with holoviews_default():
                t, html["holoviews"][name] = render(plain, build)
            best[name]["holoviews"] = min(best[name]["holoviews"], t)
            t, html["socialkit"][name] = render(fast, build)
            best[name]["socialkit"] = min(best[name]["socialkit"], t)

    results: dict[str, dict] = {"figures": {}, "reports": {}}
    print(f"{'figure':<30}{'holoviews':>11}{'socialkit':>11}{'ratio':>8}{'SVG nodes':>16}")
    for name, b in best.items():
        nodes = {m: svg_nodes(html[m][name]) for m in html}
        results["figures"][name] = {**{f"{m}_s": b[m] for m in b},
                                    "ratio": b["holoviews"] / b["socialkit"],
                                    **{f"{m}_svg_nodes": nodes[m] for m in nodes}}
        print(f"{name:<30}{b['holoviews']:>10.3f}s{b['socialkit']:>10.3f}s"
              f"{b['holoviews'] / b['socialkit']:>7.1f}x"
              f"{nodes['holoviews']:>8}{nodes['socialkit']:>8}")
    for report in ("maturity", "needs", "passport"):
        names = [n for n in figures if n.startswith(report + ".")]
        row = {m: sum(best[n][m] for n in names) for m in ("holoviews", "socialkit")}
        row["ratio"] = row["holoviews"] / row["socialkit"]
        if args.pdf:
            for m in ("holoviews", "socialkit"):
                row[f"{m}_weasyprint_s"] = pdf_seconds([html[m][n] for n in names], 3)
        results["reports"][report] = row
        extra = (f"   WeasyPrint {row['holoviews_weasyprint_s']:.3f}s -> "
                 f"{row['socialkit_weasyprint_s']:.3f}s" if args.pdf else "")
        print(f"{report + ' (all figures)':<30}{row['holoviews']:>10.3f}s"
              f"{row['socialkit']:>10.3f}s{row['ratio']:>7.1f}x{extra}")
    out = HERE / "results" / "bench_figures.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"catalog": args.catalog or "demo", "lang": args.lang,
                               "repeat": args.repeat, "python": platform.python_version(),
                               "machine": platform.machine(), "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
