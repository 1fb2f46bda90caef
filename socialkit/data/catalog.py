"""Intake catalogs: writing the demo catalog, opening any catalog, reading one entry.

socialkit uses Intake 2's **v2 catalog format** (``version: 2``), which ``intake`` itself
opens with ``intake.from_yaml_file(path)`` (and ``intake.open_catalog``). Why v2 and not v1:
v1 needs the separate ``intake-excel``/``intake-sql`` plugins, which are unmaintained, while
v2's built-in readers (``PandasCSV``, ``PandasExcel``, ``PandasSQLAlchemy``) cover CSV, Excel
and SQL with no plugin. Paths are relative to the catalog's folder through intake's
``{CATALOG_DIR}`` template, so a catalog and its files can be moved together.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ..errors import DataValidationError, Problem, SocialkitError
from .schemas import SCHEMAS, TABLES

__all__ = [
    "catalog_dict",
    "csv_dtypes",
    "entry_source",
    "open_catalog",
    "read_entry",
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
                 fmt: str = "csv") -> dict[str, Any]:
    """A v2 intake catalog (as a dict) with one entry per table stored as ``<table>.csv``."""
    if fmt != "csv":
        raise ValueError("only csv catalogs are generated; see catalogs/ for Excel and SQL")
    data: dict[str, Any] = {}
    entries: dict[str, Any] = {}
    for table in tables:
        key = f"{table}_file"
        data[key] = {
            "datatype": "intake.readers.datatypes:CSV",
            "kwargs": {"url": "{CATALOG_DIR}/" + f"{table}.csv", "storage_options": None},
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
    return {
        "version": 2,
        "aliases": {},
        "metadata": dict(metadata or {}),
        "user_parameters": {},
        "data": data,
        "entries": entries,
    }


def write_catalog(path: Path, tables: list[str], metadata: dict[str, Any] | None = None) -> Path:
    """Write a v2 intake catalog for ``tables`` (CSV files beside it) to ``path``."""
    text = yaml.safe_dump(catalog_dict(tables, metadata), sort_keys=False, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


@cache
def _open_cached(path: str, mtime_ns: int):
    import intake

    return intake.from_yaml_file(path)


def open_catalog(path: str | Path) -> Any:
    """Open an intake catalog file with ``intake`` itself; a clear error if that fails."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise SocialkitError(
            f"{path}: catalog file not found. Give the path of an intake catalog "
            "(for the demo: run 'socialkit demo' and use its catalog.yaml)."
        )
    try:
        return _open_cached(str(path.resolve()), path.stat().st_mtime_ns)
    except (ValueError, KeyError, TypeError, yaml.YAMLError) as exc:
        raise SocialkitError(
            f"{path}: not a readable intake v2 catalog ({exc}); expected 'version: 2' with "
            "'entries' and 'data' sections"
        ) from exc


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
    try:
        reader = cat[name]
        frame = reader.read(**user_parameters) if user_parameters else reader.read()
    except FileNotFoundError as exc:
        raise DataValidationError(
            [Problem(source=source, message="file not found", table=name,
                     expected="the file the catalog names, relative to the catalog's folder")]
        ) from exc
    except (ValueError, TypeError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataValidationError(
            [Problem(source=source, message=f"cannot be read: {_first_line(exc)}", table=name,
                     expected="a well-formed table with a header row")]
        ) from exc
    except Exception as exc:  # database drivers, openpyxl: many error types
        raise DataValidationError(
            [Problem(source=source, message=f"cannot be read: {_first_line(exc)}", table=name)]
        ) from exc
    return frame


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
