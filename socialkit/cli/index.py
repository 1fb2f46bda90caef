"""``socialkit index build`` (and ``socialkit index uncertainty``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..i18n import t
from . import app

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
    lang: Annotated[str, typer.Option(help="Language of messages (en, uk).")] = "en",
) -> None:
    """Build an index and write one CSV per stage that ran."""
    from ..index import Spec, build
    from ..index.io import read_idata, write_result
    from ..index.meta import read_imeta

    the_spec = Spec.from_yaml(spec) if spec is not None else Spec.default()
    idata = read_idata(data)
    imeta = read_imeta(meta)
    res = build(idata, imeta, the_spec, source=str(data), meta_source=str(meta))
    files = write_result(res, out)
    typer.echo(t("index.cli.built", lang, units=len(res.final()),
                 indicators=len(res.framework.indicators), n=len(files), out=out))
