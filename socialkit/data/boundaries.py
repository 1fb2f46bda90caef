"""The optional ``boundaries`` table: municipality and settlement polygons.

A catalog may name a GeoJSON or GeoPackage file in an entry called ``boundaries``, read by
intake 2's own ``GeoPandasReader`` (``geopandas.read_file``; datatypes ``GeoJSON`` or
``GeoPackage``). One feature per unit:

========================  =====================================================================
column                    what it holds
========================  =====================================================================
``unit_id``               the settlement's ``settlement_id`` or the municipality's
                          ``municipality_id`` (text, unique within a level)
``level``                 ``municipality`` or ``settlement``
``municipality_id``       the municipality the unit belongs to (its own id at that level)
``geometry``              a Polygon or MultiPolygon, longitude/latitude (EPSG:4326)
``synthetic`` (optional)  true when the shapes were generated, not surveyed (the demo's are)
========================  =====================================================================

Without the entry, maps fall back to points (:func:`load_boundaries` returns ``None``).
A file that breaks these rules is refused with :class:`socialkit.errors.DataValidationError`
naming the file, the feature (1-based, in file order) and what was expected.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa

from ..errors import DataValidationError, Problem
from .catalog import entry_source, open_catalog, read_entry
from .loading import resolve_catalog

__all__ = ["BOUNDARY_LEVELS", "BOUNDARY_SCHEMA", "ENTRY", "check_boundaries", "load_boundaries"]

#: Name of the catalog entry.
ENTRY = "boundaries"
#: Levels a boundary feature can describe.
BOUNDARY_LEVELS: tuple[str, ...] = ("municipality", "settlement")
_ID = r"^[A-Za-z0-9_.\-]+$"

#: The attribute columns (the geometry is checked by :func:`check_boundaries`).
BOUNDARY_SCHEMA = pa.DataFrameSchema(
    {
        "unit_id": pa.Column(str, pa.Check.str_matches(_ID), nullable=False),
        "level": pa.Column(str, pa.Check.isin(list(BOUNDARY_LEVELS)), nullable=False),
        "municipality_id": pa.Column(str, pa.Check.str_matches(_ID), nullable=False),
    },
    name=ENTRY, coerce=True, strict=False, unique=["level", "unit_id"],
    report_duplicates="all",
)


def _problem(source: str, message: str, expected: str, feature: int | None = None,
             column: str | None = None, value: Any = None) -> Problem:
    where = source if feature is None else f"{source}, feature {feature}"
    return Problem(source=where, message=message, column=column, value=value,
                   expected=expected, table=ENTRY)


def check_boundaries(frame: Any, source: str = ENTRY) -> Any:
    """Validate a boundaries GeoDataFrame; return it (attributes coerced) or raise.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        As read from the file: ``unit_id``, ``level``, ``municipality_id`` and polygon
        geometries in EPSG:4326.
    source : str
        The file, named in every problem.

    Returns
    -------
    geopandas.GeoDataFrame
        The same features, attributes as text, geometries unchanged.

    Raises
    ------
    DataValidationError
        Every problem found, each naming the file, the feature (1-based) and what was expected.
    """
    import geopandas as gpd

    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame:
        raise DataValidationError(
            [_problem(source, "no geometry column", "a GeoJSON or GeoPackage layer of polygons "
                      "(a GeoDataFrame with a geometry column)")],
            header=f"1 problem(s) in boundaries file {source}")
    problems: list[Problem] = []
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        found = "none" if frame.crs is None else frame.crs.to_string()
        problems.append(_problem(source, f"coordinate reference system is {found}",
                                 "longitude/latitude in EPSG:4326 (WGS 84); reproject the "
                                 "file, e.g. ogr2ogr -t_srs EPSG:4326"))
    missing = [c for c in BOUNDARY_SCHEMA.columns if c not in frame.columns]
    for column in missing:
        problems.append(_problem(source, "required column is missing",
                                 f"a '{column}' property on every feature", column=column))
    attrs = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    if not missing:
        try:
            attrs = BOUNDARY_SCHEMA.validate(attrs.reset_index(drop=True), lazy=True)
        except pa.errors.SchemaErrors as exc:
            for case in exc.failure_cases.itertuples(index=False):
                idx = case.index
                feature = None if idx is None or pd.isna(idx) else int(idx) + 1
                column = None if pd.isna(case.column) else str(case.column)
                check = str(case.check)
                if check.startswith("multiple_fields_uniqueness"):
                    message, expected = "duplicate unit", "one feature per (level, unit_id)"
                elif check == "not_nullable":
                    message, expected = "empty value", "a value on every feature"
                elif check.startswith("isin"):
                    message, expected = "value not allowed", " or ".join(BOUNDARY_LEVELS)
                else:
                    message, expected = "value not allowed", "an id (letters, digits, _ . -)"
                problems.append(_problem(source, message, expected, feature, column,
                                         case.failure_case))
    kinds = frame.geometry.geom_type.to_numpy()
    valid = frame.geometry.is_valid.to_numpy()
    for i, (kind, ok) in enumerate(zip(kinds, valid, strict=True), start=1):
        if kind not in ("Polygon", "MultiPolygon"):
            problems.append(_problem(source, "not a polygon", "a Polygon or MultiPolygon "
                                     "geometry", i, "geometry", kind or "no geometry"))
        elif not ok:
            problems.append(_problem(source, "invalid polygon (e.g. self-intersecting)",
                                     "a valid polygon (repair it, e.g. with shapely.make_valid)",
                                     i, "geometry"))
    if problems:
        problems.sort(key=lambda p: p.source)
        raise DataValidationError(
            problems, header=f"{len(problems)} problem(s) in boundaries file {source}")
    out = frame.copy()
    for column in BOUNDARY_SCHEMA.columns:
        out[column] = attrs[column].to_numpy()
    return out


@cache
def _read_cached(path: str, stamp: tuple) -> Any:
    cat = open_catalog(Path(path))
    source = entry_source(cat, ENTRY, Path(path))
    frame = read_entry(Path(path), ENTRY)
    return check_boundaries(frame, source)


def _stamp(path: Path, source: str) -> tuple:
    out: list = [path.stat().st_mtime_ns]
    file = Path(source)
    if file.is_file():
        st = file.stat()
        out += [str(file), st.st_size, st.st_mtime_ns]
    return tuple(out)


def load_boundaries(catalog: str | Path | None = None,
                    municipality_id: str | None = None) -> Any:
    """The catalog's ``boundaries`` as a GeoDataFrame, or ``None`` when it has no such entry.

    Parameters
    ----------
    catalog : path, optional
        Intake catalog; default :func:`socialkit.config.default_catalog`.
    municipality_id : str, optional
        Keep only this municipality's features (its own outline and its settlements).

    Returns
    -------
    geopandas.GeoDataFrame or None
        Validated by :func:`check_boundaries`. A file read once per process is kept (keyed by
        its size and modification time), so a batch of reports reads it once.

    Raises
    ------
    DataValidationError
        The file is missing, unreadable or breaks the rules above.
    """
    path = resolve_catalog(catalog).resolve()
    cat = open_catalog(path)
    if ENTRY not in cat.entries:
        return None
    source = entry_source(cat, ENTRY, path)
    frame = _read_cached(str(path), _stamp(path, source))
    if municipality_id is not None:
        frame = frame.loc[frame["municipality_id"] == municipality_id]
    return frame.copy()
