"""Load tables from an intake catalog and validate them against their pandera schemas."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
from pandera.errors import SchemaError, SchemaErrors

from .. import config
from ..errors import DataValidationError, Problem
from .catalog import entry_source, open_catalog, read_entry
from .schemas import KEYS, SCHEMAS, TABLES

__all__ = ["check_frame", "load", "load_all", "resolve_catalog", "validate_frame"]


def resolve_catalog(catalog: str | Path | None) -> Path:
    """The catalog path to use: ``catalog`` if given, else :func:`config.default_catalog`."""
    return Path(catalog).expanduser() if catalog is not None else config.default_catalog()


def _expected(check: str) -> str:
    """Turn a pandera check name into words a municipal analyst understands."""
    rules: list[tuple[str, str]] = [
        (r"^column_in_dataframe", "the column to be present"),
        (r"^coerce_dtype\('?(\w+)'?\)|^dtype\('?(\w+)'?\)", "dtype"),
        (r"^greater_than_or_equal_to\((.+)\)", "a value ≥ {0}"),
        (r"^greater_than\((.+)\)", "a value > {0}"),
        (r"^less_than_or_equal_to\((.+)\)", "a value ≤ {0}"),
        (r"^in_range\((.+), (.+)\)", "a value from {0} to {1}"),
        (r"^isin\((.+)\)", "one of {0}"),
        (r"^str_matches\('(.+)'\)", "text matching the pattern {0}"),
        (r"^field_uniqueness|^multiple_fields_uniqueness", "unique values (no duplicates)"),
        (r"^not_nullable", "a value (empty cells are not allowed here)"),
    ]
    for pattern, text in rules:
        m = re.match(pattern, check)
        if m:
            if text == "dtype":
                kind = next(g for g in m.groups() if g)
                return {"Int64": "a whole number", "int64": "a whole number",
                        "float64": "a number", "str": "text"}.get(kind, kind)
            return text.format(*[g for g in m.groups() if g is not None])
    return check


_PERIOD_HELP = {
    "period": "an ISO period such as 2021, 2021Q1 or 2021-03",
    "round": "a round as YYYY-MM, e.g. 2020-12",
}


def check_frame(frame: pd.DataFrame, table: str, source: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate ``frame`` as ``table``; return the coerced frame and every problem found.

    Row numbers in problems are file lines: the first data row is line 2 (after the header).
    """
    schema = SCHEMAS[table]
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
        if check == "column_in_dataframe":
            column, message = str(value), "required column is missing"
            value = None
        elif check.startswith("multiple_fields_uniqueness"):
            message = f"duplicate row for key ({', '.join(KEYS[table])})"
        elif check.startswith("field_uniqueness"):
            message = "duplicate id"
        elif check.startswith(("coerce_dtype", "dtype")):
            message = "wrong type"
        elif check == "not_nullable":
            message = "empty value"
        else:
            message = "value not allowed"
        expected = _expected(check)
        if column in _PERIOD_HELP and check.startswith("str_matches"):
            expected = _PERIOD_HELP[column]
        key = (row, column, message, str(value))
        if key in seen:
            continue
        seen.add(key)
        problems.append(Problem(source=source, message=message, row=row, column=column,
                                value=value, expected=expected, table=table))
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
    if entry is not None and any(k in str(getattr(entry, "reader", "")) for k in ("CSV", "Excel")):
        # read text as text so that pandera can coerce and report the exact bad cell
        raw_kwargs["dtype"] = str
    return read_entry(path, table, **raw_kwargs), source


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
        The table is missing, unreadable or breaks its schema (every problem is listed).
    """
    path = resolve_catalog(catalog)
    frame, source = _read_raw(path, name, params)
    return validate_frame(frame, name, source)


def load_all(catalog: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Load and validate every table the catalog holds (known tables only)."""
    path = resolve_catalog(catalog)
    cat = open_catalog(path)
    return {t: load(t, path) for t in TABLES if t in cat.entries}
