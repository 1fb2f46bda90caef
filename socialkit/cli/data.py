"""``socialkit demo`` and ``socialkit validate``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .. import config
from ..errors import SocialkitError
from ..i18n import t
from . import app
from ._checks import Force, check_choice, check_lang, check_range, lang_help


@app.command("demo")
def demo(
    out: Annotated[Path | None, typer.Option(help="Folder to write the data set into "
                                             "(default: the folder catalogs/demo.yaml uses).")] = None,
    scale: Annotated[int | None, typer.Option(
        help="Number of municipalities (1 to 1469; Ukraine only, default 10).")] = None,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives identical files.")] = 2021,
    country: Annotated[str, typer.Option(
        help="Programme: ua (Ukraine, default), md (Moldova: Cantemir district), "
             "rs (Serbia: Vojvodina), by (Belarus: Homel and Mahilioŭ regions). "
             "Default --out for md, rs, by: catalogs/moldova, catalogs/serbia, "
             "catalogs/belarus.")] = "ua",
    lang: Annotated[str, typer.Option(help=lang_help("Language of messages."))] = "en",
    force: Force = False,
) -> None:
    """Write the synthetic demo data set and its intake catalog (catalog.yaml)."""
    from ..data.demo import COUNTRIES, MAX_MUNICIPALITIES, write_demo
    from ..data.demo.countries import municipality_count

    check_lang(lang)
    check_choice("--country", country, tuple(COUNTRIES))
    if scale is not None and country != "ua":
        raise SocialkitError(t("demo.scale_ua_only", lang, value=scale, country=country))
    check_range("--scale", scale, 1, MAX_MUNICIPALITIES)
    check_range("--seed", seed, 0, 2**63 - 1)
    n = 10 if scale is None else scale
    target = out if out is not None else config.demo_data_dir(country)
    path = write_demo(target, n=n, seed=seed, force=force, country=country)
    if country != "ua":
        n = municipality_count(country)
    typer.echo(t("core.demo_written", lang, path=path, n=n))


@app.command("validate")
def validate(
    catalog: Annotated[Path | None, typer.Option(help="Intake catalog to check "
                                                 "(default: the demo catalog).")] = None,
    lang: Annotated[str, typer.Option(help=lang_help("Language of messages."))] = "en",
) -> None:
    """Check every table of a catalog and the references between them; exit 1 on problems."""
    from ..data import resolve_catalog, validate_catalog

    check_lang(lang)
    path = resolve_catalog(catalog)
    problems = validate_catalog(path, raise_on_error=False)
    if problems:
        typer.echo(t("core.validate_failed", lang, n=len(problems), path=path), err=True)
        for p in problems:
            typer.echo(f"  - {p.render(lang)}", err=True)
        raise typer.Exit(1)
    typer.echo(t("core.validate_ok", lang, path=path))


@app.command("export")
def export(
    out: Annotated[Path, typer.Option(help="Folder to write the workbook/database and catalog.")],
    to: Annotated[str, typer.Option(help="excel or sqlite.")] = "excel",
    catalog: Annotated[Path | None, typer.Option(help="Catalog to read (default: demo).")] = None,
    lang: Annotated[str, typer.Option(help=lang_help("Language of messages."))] = "en",
    force: Force = False,
) -> None:
    """Copy every table of a catalog into an Excel workbook or a SQLite database."""
    from ..data import load_all
    from ..data.export import EXPORTERS, export_tables
    from ..files import check_out_dir

    check_lang(lang)
    check_choice("--to", to, tuple(EXPORTERS))
    check_out_dir(out)
    path = export_tables(load_all(catalog), out, to, force=force)
    typer.echo(t("core.export_written", lang, path=path))
