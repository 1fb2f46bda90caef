"""Validate a whole catalog: every table against its schema and the references between them.

:func:`validate_catalog` collects every problem in one run — file, row, column, value and
what was expected — so an analyst can fix a file in one pass rather than one error at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .. import config
from ..errors import DataValidationError, Problem
from ..frameworks.indicators import load_framework as load_indicators
from ..frameworks.maturity import load_framework as load_maturity
from ..frameworks.rubric import load_rubric
from .catalog import entry_source, open_catalog
from .loading import _read_raw, check_frame, resolve_catalog
from .schemas import TABLES

__all__ = ["REFERENCES", "Reference", "require_columns", "validate_catalog", "validate_tables"]


@dataclass(frozen=True)
class Reference:
    """``table.column`` must hold ids present in ``target.target_column``."""

    table: str
    column: str
    target: str
    target_column: str


REFERENCES: tuple[Reference, ...] = (
    Reference("settlements", "municipality_id", "municipalities", "municipality_id"),
    Reference("facilities", "municipality_id", "municipalities", "municipality_id"),
    Reference("facilities", "settlement_id", "settlements", "settlement_id"),
    Reference("passport_values", "municipality_id", "municipalities", "municipality_id"),
    Reference("passport_values", "settlement_id", "settlements", "settlement_id"),
    Reference("maturity_responses", "municipality_id", "municipalities", "municipality_id"),
    Reference("indicator_values", "municipality_id", "municipalities", "municipality_id"),
    Reference("indicator_targets", "municipality_id", "municipalities", "municipality_id"),
    Reference("services", "municipality_id", "municipalities", "municipality_id"),
    Reference("service_scores", "service_id", "services", "service_id"),
)


def require_columns(frame: pd.DataFrame, columns: Iterable[str], table: str) -> None:
    """Raise if ``frame`` lacks any of ``columns``."""
    if not isinstance(frame, pd.DataFrame):
        raise DataValidationError(
            [Problem(table, f"expected a table (DataFrame), got {type(frame).__name__}", table=table)]
        )
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataValidationError(
            [
                Problem(table, "column is missing", column=c, expected="a column of this name",
                        table=table)
                for c in missing
            ]
        )



def _row(idx: Any) -> int:
    return int(idx) + 2


def _check_references(tables: dict[str, pd.DataFrame], sources: dict[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    for ref in REFERENCES:
        if ref.table not in tables or ref.target not in tables:
            continue
        frame, target = tables[ref.table], tables[ref.target]
        if ref.column not in frame or ref.target_column not in target:
            continue
        values = frame[ref.column]
        bad = values.notna() & ~values.isin(set(target[ref.target_column].dropna()))
        for idx, value in values[bad].items():
            problems.append(Problem(
                source=sources[ref.table], row=_row(idx), column=ref.column, value=value,
                message=f"unknown {ref.column.removesuffix('_id').replace('_', ' ')} id",
                expected=f"an id listed in '{ref.target}' ({sources[ref.target]})",
                table=ref.table, code="unknown_ref", params={"column": ref.column},
                expected_code="listed_in",
                expected_params={"table": ref.target, "source": sources[ref.target]},
            ))
    # a row's settlement must lie in the row's municipality
    if "settlements" in tables:
        owner = tables["settlements"].set_index("settlement_id")["municipality_id"]
        owner = owner[~owner.index.duplicated()]
        for table in ("facilities", "passport_values"):
            if table not in tables:
                continue
            frame = tables[table]
            if not {"settlement_id", "municipality_id"} <= set(frame.columns):
                continue
            expected = frame["settlement_id"].map(owner)
            bad = expected.notna() & (expected != frame["municipality_id"])
            for idx in frame.index[bad.fillna(False).to_numpy(dtype=bool)]:
                problems.append(Problem(
                    source=sources[table], row=_row(idx), column="municipality_id",
                    value=frame.at[idx, "municipality_id"], table=table,
                    message=f"settlement {frame.at[idx, 'settlement_id']} lies in another "
                            "municipality",
                    expected=f"{expected[idx]} (from 'settlements')",
                    code="other_municipality",
                    params={"settlement": frame.at[idx, "settlement_id"]},
                    expected_code="from_settlements", expected_params={"id": expected[idx]},
                ))
    return problems


def _check_age_structure(tables: dict[str, pd.DataFrame], sources: dict[str, str]
                         ) -> list[Problem]:
    st = tables.get("settlements")
    cols = ["population", "pop_0_17", "pop_18_59", "pop_60_plus"]
    if st is None or not set(cols) <= set(st.columns):
        return []
    # a table that failed its schema is still raw text here: compare numbers, not strings
    num = st[cols].apply(pd.to_numeric, errors="coerce")
    parts = num[cols[1:]].sum(axis=1, min_count=3)
    bad = num["population"].notna() & parts.notna() & (parts != num["population"])
    return [
        Problem(source=sources["settlements"], row=_row(idx), column="population",
                value=st.at[idx, "population"], table="settlements",
                message="age groups do not add up to the population",
                expected=f"pop_0_17 + pop_18_59 + pop_60_plus = {int(parts[idx])}",
                code="age_sum", expected_code="age_sum",
                expected_params={"total": int(parts[idx])})
        for idx in st.index[bad.fillna(False).to_numpy(dtype=bool)]
    ]


def _framework_ids(name: str, key: str) -> set[str] | None:
    """Ids of kind ``key`` in the shipped framework ``name``, read through the framework's own
    model (``socialkit.frameworks``); None when the file is absent."""
    if not config.framework_path(name).is_file():
        return None
    if name == "maturity":
        return set(load_maturity().items_frame()["item_id"])
    if name == "me_indicators":
        fw = load_indicators()
        return {x.id for x in (fw.data_elements if key == "data_elements" else fw.indicators)}
    if name == "service_quality":
        return set(load_rubric().criterion_ids())
    raise KeyError(name)


#: (table, column, framework file, kind of id (the framework's YAML key), what it is)
FRAMEWORK_REFERENCES: tuple[tuple[str, str, str, str, str], ...] = (
    ("maturity_responses", "item_id", "maturity", "items", "an item of the maturity framework"),
    ("indicator_values", "indicator_id", "me_indicators", "data_elements",
     "a data element of the M&E framework"),
    ("indicator_targets", "indicator_id", "me_indicators", "indicators",
     "an indicator of the M&E framework"),
    ("service_scores", "criterion_id", "service_quality", "indicators",
     "an indicator of achievement of the service-quality rubric"),
)


def _check_frameworks(tables: dict[str, pd.DataFrame], sources: dict[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    for table, column, fw, key, what in FRAMEWORK_REFERENCES:
        if table not in tables or column not in tables[table]:
            continue
        ids = _framework_ids(fw, key)
        if not ids:
            continue
        values = tables[table][column]
        bad = values.notna() & ~values.isin(ids)
        for idx, value in values[bad].items():
            problems.append(Problem(
                source=sources[table], row=_row(idx), column=column, value=value, table=table,
                message="unknown id", expected=f"{what} ({config.framework_path(fw).name})",
                code="unknown_id", expected_code=f"framework_{fw}",
                expected_params={"file": config.framework_path(fw).name},
            ))
    return problems


def _check_scales(tables: dict[str, pd.DataFrame], sources: dict[str, str]) -> list[Problem]:
    """Scores on the scale of the shipped framework: each maturity item's own points (whole
    numbers), the service-quality rubric's ``scale: {min, max}``."""
    problems: list[Problem] = []
    checks: list[tuple[str, pd.Series, pd.Series, bool, str]] = []
    mr = tables.get("maturity_responses")
    if mr is not None and {"item_id", "score"} <= set(mr.columns) \
            and config.framework_path("maturity").is_file():
        items = load_maturity().items_frame().set_index("item_id")
        scales = {k: (float(r.scale_min), float(r.scale_max)) for k, r in items.iterrows()}
        lo = mr["item_id"].map({k: v[0] for k, v in scales.items()})
        hi = mr["item_id"].map({k: v[1] for k, v in scales.items()})
        checks.append(("maturity_responses", lo, hi, True,
                       config.framework_path("maturity").name))
    ss = tables.get("service_scores")
    if ss is not None and "score" in ss.columns \
            and config.framework_path("service_quality").is_file():
        scale = load_rubric().scale
        lo = pd.Series(float(scale.min), index=ss.index)
        hi = pd.Series(float(scale.max), index=ss.index)
        checks.append(("service_scores", lo, hi, False,
                       config.framework_path("service_quality").name))
    for table, lo, hi, whole, file in checks:
        frame = tables[table]
        num = pd.to_numeric(frame["score"], errors="coerce").astype("float64")
        off = num.notna() & lo.notna() & ((num < lo) | (num > hi))
        if whole:
            off |= num.notna() & lo.notna() & (num != num.round())
        for idx in frame.index[off.to_numpy(dtype=bool)]:
            low, high = int(lo[idx]), int(hi[idx])
            problems.append(Problem(
                source=sources[table], row=_row(idx), column="score", value=frame.at[idx, "score"],
                table=table, message="score off the framework's scale", code="off_scale",
                expected=f"{'a whole number' if whole else 'a number'} from {low} to {high} "
                         f"(the scale in {file})",
                expected_code="scale_whole" if whole else "scale",
                expected_params={"low": low, "high": high, "file": file}))
    return problems


def _check_counts(tables: dict[str, pd.DataFrame], sources: dict[str, str]) -> list[Problem]:
    """A passport count is at most the population it is counted in: the settlement's, or the
    municipality's when the row has no settlement."""
    pv = tables.get("passport_values")
    if pv is None or not {"municipality_id", "settlement_id", "value"} <= set(pv.columns):
        return []
    pops: list[tuple[str, pd.Series, str]] = []
    st = tables.get("settlements")
    if st is not None and {"settlement_id", "population"} <= set(st.columns):
        pop = pd.to_numeric(st.drop_duplicates("settlement_id").set_index("settlement_id")[
            "population"], errors="coerce")
        pops.append(("settlement_id", pop, "settlements"))
    mu = tables.get("municipalities")
    if mu is not None and {"municipality_id", "population"} <= set(mu.columns):
        pop = pd.to_numeric(mu.drop_duplicates("municipality_id").set_index("municipality_id")[
            "population"], errors="coerce")
        pops.append(("municipality_id", pop, "municipalities"))
    value = pd.to_numeric(pv["value"], errors="coerce")
    has_settlement = pv["settlement_id"].notna()
    problems: list[Problem] = []
    for column, pop, table in pops:
        rows = has_settlement if column == "settlement_id" else ~has_settlement
        limit = pv[column].map(pop)
        bad = rows & value.notna() & limit.notna() & (value > limit)
        for idx in pv.index[bad.to_numpy(dtype=bool)]:
            problems.append(Problem(
                source=sources["passport_values"], row=_row(idx), column="value",
                value=pv.at[idx, "value"], table="passport_values", code="above_population",
                message=f"more people counted than live in {column.removesuffix('_id')} "
                        f"{pv.at[idx, column]}",
                params={"kind": column.removesuffix("_id"), "id": pv.at[idx, column]},
                expected=f"at most its population, {int(limit[idx]):,} (from '{table}')",
                expected_code="at_most_population",
                expected_params={"population": int(limit[idx]), "table": table}))
    return problems


def _check_answered(tables: dict[str, pd.DataFrame], sources: dict[str, str]) -> list[Problem]:
    """Every municipality has digital-maturity answers when the catalog holds any: a
    municipality without them has no maturity report (its figures have no data)."""
    mu, mr = tables.get("municipalities"), tables.get("maturity_responses")
    if mu is None or mr is None or len(mr) == 0 or "municipality_id" not in mu \
            or "municipality_id" not in mr:
        return []
    answered = set(mr["municipality_id"].dropna())
    missing = mu["municipality_id"].notna() & ~mu["municipality_id"].isin(answered)
    return [Problem(source=sources["municipalities"], row=_row(idx), column="municipality_id",
                    value=mu.at[idx, "municipality_id"], table="municipalities",
                    code="no_answers", message="no answers in any round of "
                    f"maturity_responses ({sources['maturity_responses']})",
                    params={"source": sources["maturity_responses"]},
                    expected="at least one round of digital-maturity answers for every "
                             "municipality (the maturity report needs them)",
                    expected_code="some_answers")
            for idx in mu.index[missing.to_numpy(dtype=bool)]]


def _check_not_empty(tables: dict[str, pd.DataFrame], sources: dict[str, str]) -> list[Problem]:
    return [Problem(source=sources[name], table=name, message="the table has no rows",
                    code="no_rows", expected="at least one row under the header",
                    expected_code="some_rows")
            for name, frame in tables.items() if len(frame) == 0]


def validate_tables(tables: dict[str, pd.DataFrame], sources: dict[str, str] | None = None
                    ) -> list[Problem]:
    """Every problem in ``tables`` (schemas, references, frameworks, scales, counts above the
    population they are counted in, empty tables); empty when all is well."""
    sources = {t: (sources or {}).get(t, t) for t in tables}
    problems: list[Problem] = []
    checked: dict[str, pd.DataFrame] = {}
    for name, frame in tables.items():
        out, found = check_frame(frame, name, sources[name])
        problems.extend(found)
        checked[name] = out if not found else frame
    problems.extend(_check_references(checked, sources))
    problems.extend(_check_age_structure(checked, sources))
    problems.extend(_check_frameworks(checked, sources))
    problems.extend(_check_scales(checked, sources))
    problems.extend(_check_counts(checked, sources))
    problems.extend(_check_answered(checked, sources))
    problems.extend(_check_not_empty(tables, sources))
    return problems


def validate_catalog(catalog: str | Path | None = None, *, raise_on_error: bool = True
                     ) -> list[Problem]:
    """Check every table of a catalog and the references between them.

    Parameters
    ----------
    catalog : path, optional
        Intake catalog; default :func:`socialkit.config.default_catalog`.
    raise_on_error : bool
        Raise :class:`DataValidationError` listing every problem (default) or return them.

    Returns
    -------
    list of Problem
        Empty when the catalog is valid.
    """
    path = resolve_catalog(catalog)
    cat = open_catalog(path)
    tables: dict[str, pd.DataFrame] = {}
    sources: dict[str, str] = {}
    problems: list[Problem] = []
    for name in TABLES:
        if name not in cat.entries:
            continue
        sources[name] = entry_source(cat, name, path)
        try:
            tables[name], _ = _read_raw(path, name, {})
        except DataValidationError as exc:
            problems.extend(exc.problems)
    for name in ("municipalities", "settlements"):
        if name not in cat.entries:
            problems.append(Problem(source=str(path), message=f"no entry '{name}'", table=name,
                                    code="no_entry", params={"name": name},
                                    expected_code="core_entries",
                                    expected="an entry for every core table"))
    problems.extend(validate_tables(tables, sources))
    if "boundaries" in cat.entries:  # optional polygons: their own checks
        from .boundaries import load_boundaries

        try:
            load_boundaries(path)
        except DataValidationError as exc:
            problems.extend(exc.problems)
    if problems and raise_on_error:
        raise DataValidationError(problems, header=f"{len(problems)} problem(s) in {path}")
    return problems
