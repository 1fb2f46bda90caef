"""The synthetic demo region: a deterministic data set and its intake catalog.

``generate_demo(n=10, seed=2021)`` returns every table of the data model for ``n`` hromadas;
``write_demo(out, ...)`` writes them as CSV with a ``catalog.yaml`` beside them. The same seed
gives byte-identical files. The data are **synthetic**: place names may be real, numbers are not.

``country="md"``, ``"rs"`` or ``"by"`` gives the demo of another programme instead: Moldova's
Cantemir district, Serbia's Vojvodina, Belarus' Homieĺ and Mahilioŭ regions, with their real
place names (:mod:`.countries`, :mod:`.places`); the other parts are the same for every
country.

Each part of the data set is a module of this package exposing
``generate(rng, geo) -> dict[str, DataFrame]``; every part draws from its own random stream
(``numpy.random.default_rng([seed, k])``), so changing one part leaves the others unchanged.
"""

from __future__ import annotations

import datetime as _dt
import importlib
from pathlib import Path

import numpy as np
import pandas as pd

from ... import config
from ...errors import SocialkitError
from ...files import atomic_write_text, write_outputs
from ..catalog import catalog_text
from ..schemas import TABLES
from . import boundaries, geography
from .countries import COUNTRIES, generate_places

__all__ = [
    "COUNTRIES", "DEFAULT_SEED", "MAX_MUNICIPALITIES", "PARTS", "generate_demo", "write_demo",
]

DEFAULT_SEED = 2021
#: Number of hromadas in Ukraine: the largest ``--scale``.
MAX_MUNICIPALITIES = 1469
#: Modules of this package that generate tables from the geography, in order.
PARTS: tuple[str, ...] = ("passport", "maturity", "monitoring", "services")
#: The synthetic boundaries written beside the tables (see :mod:`.boundaries`).
BOUNDARIES_FILE = "boundaries.geojson"
#: The date the demo data describe ("data as of").
DATA_AS_OF = "2021-12-31"


def generate_demo(n: int = 10, seed: int = DEFAULT_SEED, country: str = "ua"
                  ) -> dict[str, pd.DataFrame]:
    """Generate every table of the demo data set for ``n`` municipalities.

    Parameters
    ----------
    n : int
        Number of municipalities, 1 to :data:`MAX_MUNICIPALITIES`. The first ten are the
        partner hromadas of Donetsk and Luhansk oblasts. Ukraine only: the other countries'
        demos hold every municipality of their region (``n`` is ignored).
    seed : int
        Random seed; the same seed gives the same tables.
    country : str
        ``ua`` (Ukraine), ``md`` (Moldova), ``rs`` (Serbia) or ``by`` (Belarus).

    Returns
    -------
    dict of DataFrame
        Keyed by table name, in the order of :data:`socialkit.data.schemas.TABLES`.
    """
    if country not in COUNTRIES:
        raise SocialkitError(
            f"--country {country}: expected one of {', '.join(COUNTRIES)}")
    if country != "ua":
        tables = generate_places(np.random.default_rng([seed, 0]), country)
    elif not 1 <= n <= MAX_MUNICIPALITIES:
        raise SocialkitError(
            f"--scale {n}: expected a number of municipalities from 1 to {MAX_MUNICIPALITIES}"
        )
    else:
        tables = geography.generate(np.random.default_rng([seed, 0]), n)
    geo = dict(tables)
    for k, part in enumerate(PARTS, start=1):
        module = importlib.import_module(f"{__name__}.{part}")
        tables.update(module.generate(np.random.default_rng([seed, k]), geo))
    return {t: tables[t] for t in TABLES if t in tables}


def write_demo(out: str | Path, n: int = 10, seed: int = DEFAULT_SEED, force: bool = False,
               country: str = "ua") -> Path:
    """Write the demo data set and its intake catalog into ``out``; return the catalog path.

    Beside the tables' CSV files: ``boundaries.geojson``, synthetic settlement and
    municipality polygons (:mod:`socialkit.data.demo.boundaries`), the catalog's
    ``boundaries`` entry.

    The files are written all or nothing, and never over files socialkit did not write (real
    data in ``out``) unless ``force`` (:func:`socialkit.files.write_outputs`). When ``out`` is
    the folder of the embedded demo (:func:`socialkit.config.demo_data_dir`),
    ``catalogs/demo.yaml`` is rewritten too (for another ``country``, the catalog beside its
    bundled folder, e.g. ``catalogs/moldova.yaml``).
    """
    out = Path(out).expanduser()
    tables = generate_demo(n, seed, country)
    profile = COUNTRIES[country]
    metadata = {
        "title": profile.title,
        "description": (
            "Synthetic demonstration data: place names may be real, the numbers are not."
        ),
        "synthetic": True,
        "generator": "socialkit demo" + ("" if country == "ua" else f" --country {country}"),
        "seed": seed,
        "municipalities": len(tables["municipalities"]) if country != "ua" else n,
        "data_as_of": DATA_AS_OF,
        "created": _dt.date(2021, 12, 31).isoformat(),
    }
    if country != "ua":  # the Ukrainian catalog stays as it was
        metadata.update(country=profile.iso, currency=profile.currency, language=profile.lang)
    files: dict[str, object] = {f"{name}.csv": frame for name, frame in tables.items()}
    source = boundaries.SOURCE if country == "ua" else boundaries.SOURCE_MUNICIPALITY
    files[BOUNDARIES_FILE] = boundaries.boundaries_geojson(boundaries.generate(tables), source)
    files["catalog.yaml"] = catalog_text(list(tables), metadata, boundaries=BOUNDARIES_FILE)
    write_outputs(files, out, command="socialkit demo", force=force)
    if out.resolve() == config.demo_data_dir(country).resolve():
        if country == "by":  # the bundled catalog names the bundled state social order demo
            metadata["contracting"] = config.contracting_demo_dir().parent.name
        if country in ("ua", "md"):  # ... and the bundled strategy cycles
            metadata["strategies"] = config.strategy_demo_dir().name
        if country == "rs":  # ... and the assessment test of the professionals' demo
            metadata["tests"] = "serbia_professionals"
        atomic_write_text(out.parent / f"{out.name}.yaml",
                          catalog_text(list(tables), metadata, prefix=f"{out.name}/",
                                       boundaries=BOUNDARIES_FILE))
    return out / "catalog.yaml"
