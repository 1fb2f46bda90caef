"""Load tables from an intake catalog and validate them against their pandera schemas."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
from pandera.errors import SchemaError, SchemaErrors

from .. import config
from ..errors import DataValidationError, Problem
from . import cache as _cache
from .catalog import entry_source, open_catalog, read_entry
from .schemas import ID_PATTERN, KEYS, SCHEMAS, TABLES

__all__ = ["check_frame", "load", "load_all", "resolve_catalog", "validate_frame"]


def resolve_catalog(catalog: str | Path | None) -> Path:
    """The catalog path to use: ``catalog`` if given, else :func:`config.default_catalog`."""
    return Path(catalog).expanduser() if catalog is not None else config.default_catalog()


def _expected(check: str) -> tuple[str, str, dict[str, str]]:
    """A pandera check name in words a municipal analyst understands: (English, code, params)."""
    rules: list[tuple[str, str, str, tuple[str, ...]]] = [
        (r"^column_in_dataframe", "the column to be present", "column_present", ()),
        (r"^coerce_dtype\('?(\w+)'?\)|^dtype\('?(\w+)'?\)", "dtype", "dtype", ()),
        (r"^greater_than_or_equal_to\((.+)\)", "a value ≥ {0}", "ge", ("bound",)),
        (r"^greater_than\((.+)\)", "a value > {0}", "gt", ("bound",)),
        (r"^less_than_or_equal_to\((.+)\)", "a value ≤ {0}", "le", ("bound",)),
        (r"^in_range\((.+), (.+)\)", "a value from {0} to {1}", "range", ("low", "high")),
        (r"^isin\((.+)\)", "one of {0}", "one_of", ("values",)),
        (r"^str_matches\('(.+)'\)", "text matching the pattern {0}", "pattern", ("pattern",)),
        (r"^field_uniqueness|^multiple_fields_uniqueness", "unique values (no duplicates)",
         "unique", ()),
        (r"^not_nullable", "a value (empty cells are not allowed here)", "not_empty", ()),
        (r"^finite", "a finite number (not inf)", "finite", ()),
    ]
    if check == f"str_matches('{ID_PATTERN}')":
        return ("an id of 1 to 64 letters, digits, '_', '.' or '-' starting with a letter, a "
                "digit or '_' (not '.' or '..', no spaces, slashes or control characters)",
                "id_pattern", {})
    for pattern, text, code, names in rules:
        m = re.match(pattern, check)
        if m:
            groups = [g for g in m.groups() if g is not None]
            if code == "dtype":
                kind = groups[0]
                code = {"Int64": "whole_number", "int64": "whole_number",
                        "float64": "number", "str": "text"}.get(kind, "dtype")
                english = {"whole_number": "a whole number", "number": "a number",
                           "text": "text"}.get(code, kind)
                return english, code, {"dtype": kind}
            return text.format(*groups), code, dict(zip(names, groups, strict=False))
    return check, "check", {"check": check}


_PERIOD_HELP = {
    "period": ("an ISO period such as 2021, 2021Q1 or 2021-03", "period"),
    "round": ("a round as YYYY-MM, e.g. 2020-12", "round"),
}


def check_frame(frame: pd.DataFrame, table: str, source: str, schema=None
                ) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate ``frame`` as ``table``; return the coerced frame and every problem found.

    Row numbers in problems are file lines: the first data row is line 2 (after the header).
    ``schema`` (a pandera ``DataFrameSchema``) checks a table that is not one of
    :data:`~socialkit.data.schemas.SCHEMAS` (its key is the schema's ``unique`` columns).
    """
    keys = KEYS.get(table) if schema is None else list(schema.unique or [])
    schema = SCHEMAS[table] if schema is None else schema
    try:
        return schema.validate(frame, lazy=True), []
    except SchemaErrors as exc:
        cases = exc.failure_cases
    except SchemaError as exc:  # pragma: no cover - lazy=True collects, kept for safety
        return frame, [Problem(source=source, message=str(exc), table=table)]
    problems: list[Problem] = []
    bad_dtype_cols = set(cases.loc[cases["check"].astype(str).str.startswith("coerce_dtype"),
                                   "column"].dropna())
    seen: set[tuple] = set()
    for case in cases.itertuples(index=False):
        check = str(case.check)
        column = None if pd.isna(case.column) else str(case.column)
        if check.startswith("dtype(") and column in bad_dtype_cols:
            continue  # already reported as a coercion failure
        value = case.failure_case
        if column in bad_dtype_cols and isinstance(value, str) and "TypeError" in value:
            continue  # a range check that failed only because of the wrong type
        idx = case.index
        row = int(idx) + 2 if idx is not None and not pd.isna(idx) else None
        params: dict[str, str] = {}
        if check == "column_in_dataframe":
            column, message, code = str(value), "required column is missing", "missing_column"
            value = None
        elif check.startswith("multiple_fields_uniqueness"):
            params = {"key": ", ".join(keys or [])}
            message, code = f"duplicate row for key ({params['key']})", "duplicate_row"
        elif check.startswith("field_uniqueness"):
            message, code = "duplicate id", "duplicate_id"
        elif check.startswith(("coerce_dtype", "dtype")):
            message, code = "wrong type", "wrong_type"
        elif check == "not_nullable":
            message, code = "empty value", "empty_value"
        else:
            message, code = "value not allowed", "value_not_allowed"
        expected, expected_code, expected_params = _expected(check)
        if column in _PERIOD_HELP and check.startswith("str_matches"):
            expected, expected_code = _PERIOD_HELP[column]
            expected_params = {}
        key = (row, column, message, str(value))
        if key in seen:
            continue
        seen.add(key)
        problems.append(Problem(source=source, message=message, row=row, column=column,
                                value=value, expected=expected, table=table, code=code,
                                params=params, expected_code=expected_code,
                                expected_params=expected_params))
    problems.sort(key=lambda p: (p.row or 0, p.column or ""))
    return frame, problems


def validate_frame(frame: pd.DataFrame, table: str, source: str | None = None) -> pd.DataFrame:
    """Validate ``frame`` as ``table`` and return it coerced; raise on any problem.

    Raises
    ------
    DataValidationError
        Listing every problem, each with its source, row, column, value and what was expected.
    """
    if table not in SCHEMAS:
        raise DataValidationError(
            [Problem(source=source or table, message=f"unknown table '{table}'",
                     expected=f"one of {', '.join(TABLES)}")]
        )
    out, problems = check_frame(frame, table, source or table)
    if problems:
        raise DataValidationError(problems, header=f"{len(problems)} problem(s) in table '{table}'")
    return out


def _read_raw(path: Path, table: str, params: dict[str, Any]) -> tuple[pd.DataFrame, str]:
    cat = open_catalog(path)
    source = entry_source(cat, table, path)
    raw_kwargs: dict[str, Any] = dict(params)
    entry = cat.entries.get(table)
    reader = str(getattr(entry, "reader", "")) if entry is not None else ""
    if any(k in reader for k in ("CSV", "Excel")):
        # read text as text so that pandera can coerce and report the exact bad cell
        raw_kwargs["dtype"] = str
    if "Excel" in reader:
        _check_excel_source(source, table)
    frame = read_entry(path, table, **raw_kwargs)
    _check_header(frame, table, source)
    return frame, source


def _check_excel_source(source: str, table: str) -> None:
    """Refuse a zip bomb before pandas inflates it, and formula cells in ``table``'s sheet."""
    from .excel import check_workbook, formula_cells

    book = Path(source)
    if not book.is_file() or book.suffix.lower() not in (".xlsx", ".xlsm"):
        return  # a remote or missing file: read_entry reports it
    check_workbook(book)
    problems = formula_cells(book, sheets=[table])
    if problems:
        raise DataValidationError(problems, header=f"{len(problems)} formula cell(s) in {book}")


_MANGLED = re.compile(r"^(.*)\.(\d+)$")


def _check_header(frame: pd.DataFrame, table: str, source: str) -> None:
    """Refuse a header that names a column twice (pandas renames the second ``name.1``)."""
    columns = [str(c) for c in frame.columns]
    known = set(SCHEMAS[table].columns) if table in SCHEMAS else set()
    problems = []
    for c in columns:
        m = _MANGLED.match(c)
        if m and m.group(1) in columns and (m.group(1) in known or not known):
            problems.append(Problem(
                source=source, row=1, column=m.group(1), table=table, code="duplicate_header",
                message="the header names this column more than once",
                expected="each column named once in the header row",
                expected_code="header_once"))
    if problems:
        raise DataValidationError(problems)


def load(name: str, catalog: str | Path | None = None, **params: Any) -> pd.DataFrame:
    """Read one table from an intake catalog and validate it.

    Parameters
    ----------
    name : str
        Table name, one of :data:`socialkit.data.schemas.TABLES`.
    catalog : path, optional
        An intake catalog file; default :func:`socialkit.config.default_catalog`.
    **params
        User parameters passed to the catalog entry (e.g. ``municipality_id`` for SQL
        catalogs, where it reaches the query as a bound parameter).

    Returns
    -------
    DataFrame
        The table with the schema's types.

    Raises
    ------
    DataValidationError
        The table is missing, unreadable, empty (no rows; unless ``params`` select rows) or
        breaks its schema (every problem is listed).
    """
    path = resolve_catalog(catalog)
    if not params and _cache.cache_enabled():
        return _cache.load_cached(name, path.resolve(), _load_uncached)
    return _load_uncached(name, path, **params)


def _load_uncached(name: str, path: Path, **params: Any) -> pd.DataFrame:
    frame, source = _read_raw(path, name, params)
    if len(frame) == 0 and not params:
        raise DataValidationError(
            [Problem(source=source, table=name, message="the table has no rows",
                     code="no_rows", expected="at least one row under the header",
                     expected_code="some_rows")],
            header=f"table '{name}' is empty")
    return validate_frame(frame, name, source)


def load_all(catalog: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Load and validate every table the catalog holds (known tables only)."""
    path = resolve_catalog(catalog)
    cat = open_catalog(path)
    return {t: load(t, path) for t in TABLES if t in cat.entries}
