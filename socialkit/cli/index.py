"""``socialkit index build`` (and ``socialkit index uncertainty``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..i18n import t
from . import app
from ._checks import Force, check_lang, check_range, lang_help

__all__ = ["index_app"]

index_app = typer.Typer(help=t("index.cli.help", "en"), no_args_is_help=True)
app.add_typer(index_app, name="index")


@index_app.command("build", help=t("index.cli.build_help", "en"))
def build_cmd(
    data: Annotated[Path, typer.Option(help="iData CSV (uCode, uName, [Time], groups, "
                                       "denominators, indicators).")],
    meta: Annotated[Path, typer.Option(help="iMeta CSV (Level, iCode, iName, Direction, "
                                       "Weight, Parent, Type, Denominator, Target).")],
    out: Annotated[Path, typer.Option(help="Folder for the stage CSVs, results.csv and "
                                      "treatment.csv.")],
    spec: Annotated[Path | None, typer.Option(help="Spec YAML (default: denominate, screen, "
                                              "impute, treat, normalise, aggregate).")] = None,
    lang: Annotated[str, typer.Option(help=lang_help("Language of messages."))] = "en",
    force: Force = False,
) -> None:
    """Build an index and write one CSV per stage that ran."""
    from ..files import check_out_dir
    from ..index import Spec, build
    from ..index.io import read_idata, write_result
    from ..index.meta import read_imeta

    check_lang(lang)
    check_out_dir(out)
    the_spec = Spec.from_yaml(spec) if spec is not None else Spec.default()
    idata = read_idata(data)
    imeta = read_imeta(meta)
    res = build(idata, imeta, the_spec, source=str(data), meta_source=str(meta))
    files = write_result(res, out, force=force)
    typer.echo(t("index.cli.built", lang, units=len(res.final()),
                 indicators=len(res.framework.indicators), n=len(files), out=out))


@index_app.command("uncertainty", help=t("index.cli.uncertainty_help", "en"))
def uncertainty_cmd(
    data: Annotated[Path, typer.Option(help="iData CSV.")],
    meta: Annotated[Path, typer.Option(help="iMeta CSV.")],
    vary: Annotated[Path, typer.Option(help="YAML of the inputs to vary, e.g. {normalise: "
                                       "[minmax, zscore], impute: [true, false], weights: "
                                       "{noise: 0.25}, aggregate: [amean, gmean]}.")],
    out: Annotated[Path, typer.Option(help="Folder for summary.csv, runs.csv, ranks.csv "
                                      "(and indices.csv with --sensitivity).")],
    spec: Annotated[Path | None, typer.Option(help="Spec YAML of the nominal index.")] = None,
    n: Annotated[int, typer.Option(help="Runs (uncertainty) or base sample size N "
                                   "(sensitivity: N × (inputs + 2) runs).")] = 1000,
    sensitivity: Annotated[bool, typer.Option(help="Also estimate first-order and total "
                                              "sensitivity indices.")] = False,
    target: Annotated[str | None, typer.Option(help="Aggregate to analyse (default: "
                                               "the top one).")] = None,
    time: Annotated[str | None, typer.Option(help="In a panel, the Time to analyse.")] = None,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    n_boot: Annotated[int, typer.Option(help="Bootstrap draws for the intervals.")] = 1000,
    lang: Annotated[str, typer.Option(help=lang_help("Language of messages."))] = "en",
    force: Force = False,
) -> None:
    """Re-run the index many times, varying chosen steps; write rank bands (and indices)."""
    import yaml

    from ..errors import FrameworkError
    from ..files import check_out_dir
    from ..index import Spec
    from ..index import sensitivity as sa
    from ..index.io import read_idata, write_frames
    from ..index.meta import read_imeta

    check_lang(lang)
    check_range("--n", n, 1, 1_000_000)
    check_range("--n-boot", n_boot, 1, 1_000_000)
    check_range("--seed", seed, 0, 2**63 - 1)
    check_out_dir(out)
    if not vary.is_file():
        raise FrameworkError(str(vary), "file not found")
    try:
        choices = yaml.safe_load(vary.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise FrameworkError(str(vary), f"not valid YAML: {exc}") from None
    if not isinstance(choices, dict) or not choices:
        raise FrameworkError(str(vary), "expected a mapping of inputs to their alternatives")
    the_spec = Spec.from_yaml(spec) if spec is not None else Spec.default()
    idata, imeta = read_idata(data), read_imeta(meta)
    if sensitivity:
        res = sa.sensitivity(idata, imeta, the_spec, vary=choices, n=n, seed=seed,
                             n_boot=n_boot, target=target, time=time, vary_source=str(vary))
    else:
        res = sa.uncertainty(idata, imeta, the_spec, vary=choices, n=n, seed=seed,
                             target=target, time=time, vary_source=str(vary))
    frames = {"summary.csv": res.summary, "runs.csv": res.runs,
              "ranks.csv": res.ranks.T.rename_axis("uCode").reset_index()}
    if res.indices is not None:
        frames["indices.csv"] = res.indices
    files = write_frames(frames, out, command="socialkit index uncertainty", force=force)
    typer.echo(t("index.cli.uncertainty_done", lang, runs=len(res.runs), n=len(files), out=out))
