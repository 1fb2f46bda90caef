"""``socialkit passport``: the social passport of one municipality as CSV (the vulnerability
index is ``socialkit vulnerability``, :mod:`socialkit.cli.vulnerability`).

Everything is computed before the first file is written, and the files are written all or
nothing (:func:`socialkit.files.write_outputs`), so a failed run leaves no partial output.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..i18n import display_name, t
from . import app
from ._checks import Force, check_lang, check_range, lang_help

__all__ = ["passport_cmd"]


def _write(files: dict, out: Path, command: str, force: bool) -> None:
    from ..files import write_outputs

    write_outputs(files, out, command=command, force=force)


@app.command("passport", help=t("passport.cli.help", "en"))
def passport_cmd(
    out: Annotated[Path, typer.Option(help="Folder for profile.csv, by_settlement.csv, "
                                      "demography.csv, settlement_kinds.csv, "
                                      "infrastructure.csv and without.csv.")],
    catalog: Annotated[Path | None, typer.Option(help="Intake catalog (default: demo).")] = None,
    municipality: Annotated[str | None, typer.Option(
        help="municipality_id (default: the first of the catalog).")] = None,
    year: Annotated[int | None, typer.Option(help="Year of the counts (default: latest).")
                    ] = None,
    threshold: Annotated[int | None, typer.Option(
        help="Suppress counts from 1 to this minus one (default: SOCIALKIT_SUPPRESS_BELOW "
             "or 5; may be raised, never lowered).")] = None,
    no_suppression: Annotated[bool, typer.Option(
        "--no-suppression", help="Internal use only: publish counts of 1-4 (logged to "
        "stderr and recorded in disclosure.json).")] = False,
    lang: Annotated[str, typer.Option(help=lang_help("Language of messages."))] = "en",
    force: Force = False,
) -> None:
    """Build the social passport of one municipality; suppressed counts are left empty."""
    import json

    from ..files import check_out_dir
    from ..passport import build_passport

    check_lang(lang)
    check_range("--year", year, 1990, 2100)
    check_range("--threshold", threshold, 1)
    check_out_dir(out)
    if no_suppression and threshold is not None:
        from ..errors import SocialkitError

        raise SocialkitError("--threshold and --no-suppression: give one or the other")
    p = build_passport(catalog, municipality, year=year, threshold=threshold,
                       no_suppression=no_suppression)
    frames = {"profile": p.profile, "by_settlement": p.by_settlement,
              "demography": p.demography, "settlement_kinds": p.settlement_kinds,
              "infrastructure": p.infrastructure, "without": p.without}
    files: dict = {f"{k}.csv": v for k, v in frames.items()}
    files["disclosure.json"] = json.dumps(
        {"threshold": p.threshold, "suppression": not no_suppression,
         "convention": "socialkit.disclosure: primary below threshold, secondary over the "
                       "data set's settlement, municipal, oblast and peer figures"},
        indent=2) + "\n"
    _write(files, out, "socialkit passport", force)
    name = display_name(p.municipality, lang)
    typer.echo(t("passport.cli.written", lang, name=name, year=p.year, out=out, n=len(files)))
