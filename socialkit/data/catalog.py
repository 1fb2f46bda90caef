"""Intake catalogs: writing the demo catalog, opening any catalog, reading one entry.

socialkit uses Intake 2's **v2 catalog format** (``version: 2``), which ``intake`` itself
opens with ``intake.from_yaml_file(path)`` (and ``intake.open_catalog``). Why v2 and not v1:
v1 needs the separate ``intake-excel``/``intake-sql`` plugins, which are unmaintained, while
v2's built-in readers (``PandasCSV``, ``PandasExcel``, ``PandasSQLAlchemy``) cover CSV, Excel
and SQL with no plugin. Paths are relative to the catalog's folder through intake's
``{CATALOG_DIR}`` template, so a catalog and its files can be moved together.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ..errors import DataValidationError, Problem, SocialkitError
from .fingerprint import catalog_not_found
from .schemas import SCHEMAS, TABLES

__all__ = [
    "catalog_currency",
    "catalog_dict",
    "catalog_text",
    "csv_dtypes",
    "entry_source",
    "open_catalog",
    "read_entry",
    "template_catalog",
    "write_catalog",
]

_PANDAS_DTYPES = {"str": "str", "Int64": "Int64", "float64": "float64", "int64": "Int64"}


def csv_dtypes(table: str) -> dict[str, str]:
    """The ``dtype`` mapping to read ``table`` from text (ids stay strings, counts ``Int64``)."""
    out: dict[str, str] = {}
    for name, col in SCHEMAS[table].columns.items():
        dtype = str(col.dtype)
        if dtype in ("str", "string", "object"):
            out[name] = "str"
        elif dtype.lower().startswith("int"):
            # years are plain ints in the schema; read every integer column as nullable
            out[name] = "Int64"
        elif dtype.startswith("float"):
            out[name] = "float64"
    return out


def catalog_dict(tables: list[str], metadata: dict[str, Any] | None = None,
                 fmt: str = "csv", prefix: str = "", boundaries: str | None = None
                 ) -> dict[str, Any]:
    """A v2 intake catalog (as a dict) with one entry per table stored as ``<table>.csv``.

    ``prefix`` is a folder relative to the catalog's own folder (e.g. ``"demo/"``).
    ``boundaries`` names a GeoJSON file beside the tables for the optional ``boundaries``
    entry (read by intake's ``GeoPandasReader``; see :mod:`socialkit.data.boundaries`).
    """
    if fmt != "csv":
        raise ValueError("only csv catalogs are generated; see catalogs/ for Excel and SQL")
    data: dict[str, Any] = {}
    entries: dict[str, Any] = {}
    for table in tables:
        key = f"{table}_file"
        data[key] = {
            "datatype": "intake.readers.datatypes:CSV",
            "kwargs": {"url": "{CATALOG_DIR}/" + f"{prefix}{table}.csv",
                       "storage_options": None},
            "metadata": {},
            "user_parameters": {},
        }
        entries[table] = {
            "kwargs": {"args": ["{data(" + key + ")}"], "dtype": csv_dtypes(table),
                       "keep_default_na": False, "na_values": [""]},
            "metadata": {"table": table, "description": f"socialkit table '{table}'"},
            "output_instance": "pandas:DataFrame",
            "reader": "intake.readers.readers:PandasCSV",
            "user_parameters": {},
        }
    if boundaries:
        data["boundaries_file"] = {
            "datatype": "intake.readers.datatypes:GeoJSON",
            "kwargs": {"url": "{CATALOG_DIR}/" + f"{prefix}{boundaries}",
                       "storage_options": None},
            "metadata": {},
            "user_parameters": {},
        }
        entries["boundaries"] = {
            "kwargs": {"args": ["{data(boundaries_file)}"]},
            "metadata": {"table": "boundaries",
                         "description": "municipality and settlement polygons (EPSG:4326)"},
            "output_instance": "geopandas:GeoDataFrame",
            "reader": "intake.readers.readers:GeoPandasReader",
            "user_parameters": {},
        }
    return {
        "version": 2,
        "aliases": {},
        "metadata": dict(metadata or {}),
        "user_parameters": {},
        "data": data,
        "entries": entries,
    }


_SQL_QUERY = "SELECT * FROM {table}"
_SQL_QUERY_BY_MUNICIPALITY = (
    "SELECT * FROM {table} WHERE (:municipality_id = '' OR municipality_id = :municipality_id)"
)
_PG_QUERY_BY_MUNICIPALITY = (
    "SELECT * FROM {table} WHERE (%(municipality_id)s = '' OR municipality_id = %(municipality_id)s)"
)
_UP = "intake.readers.user_parameters:SimpleUserParameter"
_DB_URL_HELP = {
    "sqlite": "SQLAlchemy database URL, e.g. sqlite:////path/socialkit.sqlite",
    # psycopg 3 (a socialkit dependency); the password is best kept out of the URL, in
    # ~/.pgpass or PGPASSWORD, which libpq reads
    "postgresql": "SQLAlchemy database URL (driver psycopg 3), e.g. "
                  "postgresql+psycopg://user@host:5432/db or, on a Unix socket, "
                  "postgresql+psycopg://user@/db?host=/run/postgresql",
}


def template_catalog(kind: str) -> dict[str, Any]:
    """The template catalog for tables kept in an Excel workbook or a SQL database.

    ``kind`` is ``"excel"`` (one sheet per table in ``socialkit_data.xlsx`` beside the
    catalog), ``"sqlite"`` or ``"postgresql"`` (one database table per table; the database URL
    comes from the ``db_url`` user parameter, by default the ``SOCIALKIT_DB_URL`` environment
    variable). In SQL catalogs a ``municipality_id`` user parameter (empty = all) reaches the
    query as a **bound parameter**, never by string formatting: the query is handed to the
    driver as it stands (``:municipality_id`` for sqlite3, ``%(municipality_id)s`` for
    psycopg, which sends it to PostgreSQL as ``$1`` with the value apart).
    """
    if kind not in ("excel", "sqlite", "postgresql"):
        raise ValueError(f"unknown template kind {kind!r}; expected excel, sqlite or postgresql")
    data: dict[str, Any] = {}
    entries: dict[str, Any] = {}
    user_parameters: dict[str, Any] = {}
    if kind == "excel":
        data["workbook"] = {
            "datatype": "intake.readers.datatypes:Excel",
            "kwargs": {"url": "{CATALOG_DIR}/socialkit_data.xlsx", "storage_options": None},
            "metadata": {}, "user_parameters": {},
        }
    else:
        user_parameters = {
            "db_url": {"cls": _UP, "description": _DB_URL_HELP[kind],
                       "default": "env(SOCIALKIT_DB_URL)", "dtype": "str"},
            "municipality_id": {"cls": _UP, "description": "read only this municipality's "
                                "rows (empty: all)", "default": "", "dtype": "str"},
        }
    for table in TABLES:
        if kind == "excel":
            entries[table] = {
                "kwargs": {"args": ["{data(workbook)}"], "sheet_name": table,
                           "dtype": csv_dtypes(table)},
                "metadata": {"table": table}, "output_instance": "pandas:DataFrame",
                "reader": "intake.readers.readers:PandasExcel", "user_parameters": {},
            }
            continue
        by_mun = "municipality_id" in SCHEMAS[table].columns
        query = (_PG_QUERY_BY_MUNICIPALITY if kind == "postgresql" else _SQL_QUERY_BY_MUNICIPALITY
                 ) if by_mun else _SQL_QUERY
        data[f"{table}_query"] = {
            "datatype": "intake.readers.datatypes:SQLQuery",
            "kwargs": {"conn": "{db_url}", "query": query.format(table=table)},
            "metadata": {}, "user_parameters": {},
        }
        kwargs: dict[str, Any] = {"args": ["{data(" + table + "_query)}"]}
        if by_mun:
            kwargs["params"] = {"municipality_id": "{municipality_id}"}
        entries[table] = {
            "kwargs": kwargs, "metadata": {"table": table},
            "output_instance": "pandas:DataFrame",
            "reader": "intake.readers.readers:PandasSQLAlchemy", "user_parameters": {},
        }
    return {"version": 2, "aliases": {},
            "metadata": {"title": f"socialkit tables from {kind}", "synthetic": False},
            "user_parameters": user_parameters, "data": data, "entries": entries}


def catalog_text(tables: list[str] | dict[str, Any], metadata: dict[str, Any] | None = None,
                 prefix: str = "", boundaries: str | None = None) -> str:
    """A v2 intake catalog as YAML text.

    ``tables`` is a list of table names (CSV files beside the catalog) or a whole catalog dict
    (e.g. from :func:`template_catalog`); ``boundaries`` as in :func:`catalog_dict`.
    """
    spec = tables if isinstance(tables, dict) else catalog_dict(tables, metadata, prefix=prefix,
                                                                boundaries=boundaries)
    return yaml.safe_dump(spec, sort_keys=False, allow_unicode=True)


def write_catalog(path: Path, tables: list[str] | dict[str, Any],
                  metadata: dict[str, Any] | None = None, prefix: str = "",
                  boundaries: str | None = None) -> Path:
    """Write a v2 intake catalog to ``path`` atomically (see :func:`catalog_text`)."""
    from ..files import atomic_write_text

    return atomic_write_text(Path(path), catalog_text(tables, metadata, prefix, boundaries))


@cache
def _open_cached(path: str, mtime_ns: int):
    """Parse the file once, refuse anything that would run code (:mod:`.catalog_safety`),
    then let intake build the catalog from that same checked text (as
    ``intake.from_yaml_file`` does, without reading the file a second time)."""
    import fsspec
    from intake.readers.entry import Catalog

    from .catalog_safety import check_catalog_spec

    spec = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    check_catalog_spec(spec, path)
    cat = Catalog.from_dict(spec)
    of = fsspec.open(path)
    cat.user_parameters["CATALOG_PATH"] = path
    cat.user_parameters["CATALOG_DIR"] = of.fs.unstrip_protocol(of.fs._parent(path))
    cat.user_parameters["STORAGE_OPTIONS"] = {}
    return cat


def open_catalog(path: str | Path) -> Any:
    """Open an intake catalog file with ``intake`` itself; a clear error if that fails."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise catalog_not_found(path)
    _check_catalog_shape(path)
    try:
        return _open_cached(str(path.resolve()), path.stat().st_mtime_ns)
    except (ValueError, KeyError, TypeError, AttributeError, yaml.YAMLError) as exc:
        raise SocialkitError(
            f"{path}: not a readable intake v2 catalog ({_first_line(exc)}); expected "
            "'version: 2' with 'entries' and 'data' sections"
        ) from None


def catalog_currency(path: str | Path) -> str | None:
    """The catalog metadata's ``currency`` (ISO 4217: the money of its amounts and of the
    reports made from it), or None when it names none.

    A value that is not a three-letter code is refused, naming the catalog.
    """
    cur = (open_catalog(path).metadata or {}).get("currency")
    if cur is None:
        return None
    if not (isinstance(cur, str) and len(cur) == 3 and cur.isascii() and cur.isupper()):
        raise SocialkitError(f"{path}: metadata 'currency' is {cur!r}; expected an ISO 4217 "
                             "code such as UAH, MDL, RSD or BYN")
    return cur


#: Metadata keys of a catalog that name a folder of further data beside it, with an example.
CATALOG_FOLDERS: dict[str, str] = {
    "contracting": "belarus_contracting (the state social order's region-years)",
    "strategies": "strategy (the strategy cycles)",
    "tests": "serbia_professionals (the assessment tests' key files test_*.yaml)",
}


def catalog_folder(path: str | Path, key: str) -> Path | None:
    """The folder the catalog's metadata ``key`` names (one of :data:`CATALOG_FOLDERS`,
    relative to the catalog's folder), or None when it names none.

    A value that is not a relative path inside the catalog's folder tree is refused, naming
    the catalog (a catalog never points the dashboard at an arbitrary place on the server).
    """
    value = (open_catalog(path).metadata or {}).get(key)
    if value is None:
        return None
    base = Path(path).resolve().parent
    target = (base / str(value)).resolve() if isinstance(value, str) else None
    if target is None or Path(str(value)).is_absolute() or not target.is_relative_to(base):
        raise SocialkitError(f"{path}: metadata '{key}' is {value!r}; expected a folder beside "
                             f"the catalog, e.g. {CATALOG_FOLDERS[key]}")
    return target


def _check_catalog_shape(path: Path) -> None:
    """Refuse a catalog file that is not a YAML mapping with ``version: 2`` and ``entries``
    before intake sees it (an empty file or a list makes intake fail with a traceback).

    A file that passed is not parsed again until its size or mtime changes (a warm report
    kernel opens its catalog several times per report; parsing it was ~0.03 s each time).
    """
    try:
        stat = path.stat()
    except OSError:
        _check_shape_of(str(path))
        return
    _shape_checked(str(path), str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _shape_checked(name: str, resolved: str, mtime_ns: int, size: int) -> None:
    """:func:`_check_shape_of` once per file version (a refused file raises, so is not kept;
    ``name`` is the path as the caller wrote it, for the messages)."""
    _check_shape_of(name)


def _check_shape_of(name: str) -> None:
    path = Path(name)
    expected = "expected an intake v2 catalog: a mapping with 'version: 2' and 'entries'"
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SocialkitError(f"{path}: cannot be read as YAML ({_first_line(exc)}); "
                             f"{expected}") from None
    if spec is None:
        raise SocialkitError(f"{path}: the catalog is empty; {expected}")
    if not isinstance(spec, dict):
        raise SocialkitError(f"{path}: the catalog is a {type(spec).__name__}, not a mapping; "
                             f"{expected}")
    if spec.get("version") != 2:
        raise SocialkitError(f"{path}: key 'version' is {spec.get('version')!r}; {expected}")
    for key in ("entries", "data"):
        if not isinstance(spec.get(key, {}), dict):
            raise SocialkitError(f"{path}: key '{key}' is not a mapping; {expected}")


def entry_source(cat: Any, name: str, catalog_path: Path) -> str:
    """A human-readable description of where ``name`` comes from (a file path or a query)."""
    try:
        desc = cat.entries[name]
        data = desc.kwargs["args"][0]
        token = data[len("{data("):-2] if isinstance(data, str) else None
        ddesc = cat.data[token] if token else None
        kw = ddesc.kwargs if ddesc is not None else {}
        url = kw.get("url")
        if url:
            return str(url).replace("{CATALOG_DIR}", str(catalog_path.parent))
        if kw.get("query"):
            return f"{catalog_path.name}: entry '{name}' (SQL query)"
    except (KeyError, IndexError, AttributeError, TypeError):
        pass
    return f"{catalog_path.name}: entry '{name}'"


def read_entry(path: str | Path, name: str, **user_parameters: Any) -> pd.DataFrame:
    """Read the entry ``name`` of the catalog at ``path`` as a DataFrame (not validated)."""
    path = Path(path)
    cat = open_catalog(path)
    if name not in cat.entries:
        known = ", ".join(sorted(cat.entries)) or "none"
        raise DataValidationError(
            [Problem(source=str(path), message=f"the catalog has no entry '{name}'",
                     expected=f"one of the tables {', '.join(TABLES)} (entries here: {known})",
                     table=name)]
        )
    source = entry_source(cat, name, path)
    params = {k: v for k, v in user_parameters.items() if k in cat.user_parameters}
    read_kwargs = {k: v for k, v in user_parameters.items() if k not in params}
    try:
        reader = (cat(**params) if params else cat)[name]
        frame = reader.read(**read_kwargs)
    except FileNotFoundError as exc:
        raise DataValidationError(
            [Problem(source=source, message="file not found", table=name, code="file_not_found",
                     expected_code="catalog_file",
                     expected="the file the catalog names, relative to the catalog's folder")]
        ) from exc
    except (ValueError, TypeError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataValidationError(
            [Problem(source=source, message=f"cannot be read: {_first_line(exc)}", table=name,
                     expected="a well-formed table with a header row", code="unreadable",
                     params={"error": _first_line(exc)}, expected_code="well_formed")]
        ) from exc
    except Exception as exc:  # database drivers, openpyxl: many error types
        raise DataValidationError(
            [Problem(source=source, message=f"cannot be read: {_first_line(exc)}", table=name,
                     code="unreadable", params={"error": _first_line(exc)})]
        ) from exc
    return frame


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
