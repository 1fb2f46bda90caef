"""``socialkit access``: distances, coverage and underserved settlements from a catalog."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..i18n import t
from . import app
from ._checks import Force, check_lang, check_range, lang_help


@app.command("access", help=t("access.cli.help", "en"))
def access_cmd(
    out: Annotated[Path, typer.Option(help="Folder for settlement_access.csv, coverage.csv "
                                      "and underserved.csv.")],
    catalog: Annotated[Path | None, typer.Option(
        help="Intake catalog with settlements and facilities (default: demo).")] = None,
    threshold_km: Annotated[float, typer.Option(
        help="Catchment: a facility at most this far (km, or travel-cost unit) is in reach.")
    ] = 10.0,
    kind: Annotated[list[str] | None, typer.Option(
        help="Facility kind to measure (repeat; default: all five).")] = None,
    travel_cost: Annotated[Path | None, typer.Option(
        help="CSV travel-time matrix: origin (settlement_id), dest (facility_id), cost.")
    ] = None,
    supply: Annotated[str | None, typer.Option(
        help="Facility column with capacity for the 2SFCA (default: 1 per facility).")] = None,
    lang: Annotated[str, typer.Option(help=lang_help("Language of messages."))] = "en",
    force: Force = False,
) -> None:
    """Nearest facility per kind, 2SFCA, coverage per municipality, underserved settlements."""
    import pandas as pd

    from ..access import FACILITY_KINDS, coverage, settlement_access, underserved
    from ..data import load
    from ..errors import SocialkitError
    from ..files import check_out_dir, write_outputs

    check_lang(lang)
    check_out_dir(out)
    bad = [k for k in kind or [] if k not in FACILITY_KINDS]
    if bad:
        raise SocialkitError(f"--kind {bad[0]}: expected one of {', '.join(FACILITY_KINDS)}")
    check_range("--threshold-km", threshold_km, 0)
    settlements = load("settlements", catalog)
    facilities = load("facilities", catalog)
    matrix = None
    if travel_cost is not None:
        if not travel_cost.is_file():
            raise SocialkitError(f"{travel_cost}: file not found; expected a CSV with origin, "
                                 "dest, cost")
        matrix = pd.read_csv(travel_cost, dtype={"origin": "str", "dest": "str"})
        matrix.attrs["source"] = str(travel_cost)
    if supply is not None and supply not in facilities.columns:
        raise SocialkitError(f"--supply {supply}: not a column of facilities; expected one of "
                             f"{', '.join(facilities.columns)}")
    acc = settlement_access(settlements, facilities, kinds=kind or None,
                            threshold_km=threshold_km, travel_cost=matrix, supply=supply)
    tables = {"settlement_access.csv": acc, "coverage.csv": coverage(acc),
              "underserved.csv": underserved(acc)}
    # everything is computed before the first file is written, and written all or nothing
    write_outputs(tables, out, command="socialkit access", force=force)
    typer.echo(t("access.cli.done", lang, settlements=len(acc),
                 underserved=len(tables["underserved.csv"]), out=out))
