"""``socialkit maturity``: score the digital-maturity self-assessment and write the tables."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..i18n import t
from . import app
from ._checks import Force, check_lang, check_range, check_round, lang_help


@app.command("maturity", help=t("maturity.cli.help", "en"))
def maturity(
    out: Annotated[Path, typer.Option(help="Folder for the CSV tables and maturity.xlsx.")],
    catalog: Annotated[Path | None, typer.Option(
        help="Intake catalog with maturity_responses and municipalities (default: demo).")] = None,
    framework: Annotated[Path | None, typer.Option(
        help="Maturity framework YAML (default: the shipped one).")] = None,
    targets: Annotated[Path | None, typer.Option(
        help="CSV of target levels: municipality_id (empty = all), dimension, target_level "
             "(default: the next level of each dimension).")] = None,
    capacity: Annotated[int, typer.Option(
        help="Most actions a municipality runs in one quarter.")] = 3,
    round: Annotated[str | None, typer.Option(
        "--round", help="Round the gaps and action plans start from, e.g. 2020-12 "
                        "(default: each municipality's latest).")] = None,
    lang: Annotated[str, typer.Option(help=lang_help("Language of texts and the workbook."))] = "en",
    force: Force = False,
) -> None:
    """Score the assessment, benchmark, measure progress, and write gaps and action plans."""
    from ..config import default_lang
    from ..errors import SocialkitError
    from ..files import check_out_dir
    from ..maturity.files import assess_catalog, write_outputs
    from ..maturity.scoring import INSUFFICIENT

    check_lang(lang)
    check_range("--capacity", capacity, 1, 100)
    check_round(round)
    check_out_dir(out)
    result = assess_catalog(catalog, framework, targets, capacity=capacity, round=round)
    if round is not None and round not in set(result.scores["round"]):
        rounds = ", ".join(sorted(result.scores["round"].unique()))
        raise SocialkitError(t("files.round_absent", default_lang(), option="--round",
                               value=round, rounds=rounds))
    written = write_outputs(result, out, lang, force=force)
    sc = result.scores
    typer.echo(t("maturity.cli.summary", lang,
                 municipalities=sc["municipality_id"].nunique(),
                 rounds=", ".join(sorted(sc["round"].unique())),
                 insufficient=int(((sc["status"] == INSUFFICIENT)
                                   & (sc["code"] != "overall")).sum()),
                 actions=len(result.action_plan)))
    typer.echo(t("maturity.cli.wrote", lang, n=len(written) - 1, excel=written["excel"].name,
                 out=out))
