"""Indicator metadata (COINr's ``iMeta``): reading, validation and the framework tree.

iMeta has one row per indicator, aggregate, group column or denominator column:

=============  ===========================================================================
column         meaning
=============  ===========================================================================
Level          1 for indicators, 2 … L for aggregates (empty for Group/Denominator rows)
iCode          the column name in iData (indicators) or the name of the aggregate
iName          a human name (optional)
Direction      1 (higher is better) or -1 (higher is worse)
Weight         relative weight within the parent (default 1)
Parent         iCode of the aggregate one level up (empty at the top level)
Type           ``Indicator`` | ``Aggregate`` | ``Group`` | ``Denominator`` | ``Other``
Denominator    (indicators) the iCode of a ``Denominator`` column to divide by
Target         (indicators) the target used by ``dist2target`` normalisation
=============  ===========================================================================

Conventions followed
--------------------
COINr ``new_coin()`` checks: iCodes unique; indicators are Level 1; every Parent exists and is
an ``Aggregate`` exactly one level up; every aggregate has children; exactly the top level has
no parent; every indicator (and every denominator an indicator names) has a column in iData.
Every problem is reported with the file line number (header = line 1), not just the first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataValidationError, Problem

__all__ = ["Framework", "framework", "read_imeta", "validate_data", "validate_meta"]

TYPES: tuple[str, ...] = ("Indicator", "Aggregate", "Group", "Denominator", "Other")
REQUIRED: tuple[str, ...] = ("iCode", "Type")
_NUMERIC = ("Level", "Direction", "Weight", "Target")
_ID_COLUMNS = ("uCode", "uName", "Time")


@dataclass(frozen=True)
class Framework:
    """The index tree derived from a validated iMeta.

    Attributes
    ----------
    indicators : tuple of str
        Level-1 iCodes in file order.
    levels : dict
        ``{level: (iCode, ...)}`` for every level (1 = indicators).
    children : dict
        ``{aggregate iCode: (child iCode, ...)}``.
    parent : dict
        ``{iCode: parent iCode or None}``.
    direction, weight, target : dict
        Per-iCode values from iMeta.
    denominators : dict
        ``{indicator: denominator column}`` for indicators that name one.
    groups : tuple of str
        iCodes of ``Group`` rows.
    """

    indicators: tuple[str, ...]
    levels: dict[int, tuple[str, ...]]
    children: dict[str, tuple[str, ...]]
    parent: dict[str, str | None]
    direction: dict[str, int]
    weight: dict[str, float]
    target: dict[str, float]
    denominators: dict[str, str]
    groups: tuple[str, ...]
    names: dict[str, str] = field(default_factory=dict)

    @property
    def n_levels(self) -> int:
        """Number of levels including the indicator level."""
        return max(self.levels) if self.levels else 0

    @property
    def aggregates(self) -> tuple[str, ...]:
        """Aggregate iCodes, lowest level first."""
        return tuple(c for lev in sorted(self.levels) if lev > 1 for c in self.levels[lev])


def read_imeta(path: str | Path) -> pd.DataFrame:
    """Read an iMeta CSV and validate it (see :func:`validate_meta`).

    Parameters
    ----------
    path : str or Path
        A CSV file in COINr's iMeta layout.

    Returns
    -------
    pandas.DataFrame
        The cleaned metadata (typed columns, defaults filled).
    """
    path = Path(path)
    if not path.is_file():
        raise DataValidationError([Problem(str(path), "file not found", expected="an iMeta CSV")])
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise DataValidationError([Problem(str(path), f"cannot parse CSV: {exc}")]) from exc
    return validate_meta(raw, source=str(path))


def _rows(df: pd.DataFrame) -> list[tuple[int, dict]]:
    """``(index, row dict)`` pairs — much faster than ``iterrows`` and keeps dtypes."""
    return list(zip(df.index, df.to_dict("records"), strict=True))


def _clean_str(v: object) -> str | None:
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        return None
    text = str(v).strip()
    return text or None


def _num(raw: pd.DataFrame, col: str, source: str, problems: list[Problem]) -> pd.Series:
    if col not in raw:
        return pd.Series(np.nan, index=raw.index, dtype=float)
    out = pd.to_numeric(raw[col], errors="coerce").astype(float)
    bad = out.isna() & raw[col].notna() & (raw[col].astype(str).str.strip() != "")
    for i in raw.index[bad]:
        problems.append(Problem(source, "not a number", row=int(i) + 2, column=col,
                                value=raw.at[i, col], expected="a number"))
    return out


def validate_meta(imeta: pd.DataFrame, idata: pd.DataFrame | None = None,
                  source: str = "iMeta") -> pd.DataFrame:
    """Check an iMeta table and return a cleaned copy.

    Parameters
    ----------
    imeta : pandas.DataFrame
        Metadata in COINr's layout (see module docstring); not modified.
    idata : pandas.DataFrame, optional
        If given, also check that every indicator and denominator has a column.
    source : str
        Name used in messages (usually the file path).

    Returns
    -------
    pandas.DataFrame
        Typed copy: ``Level`` Int64, ``Direction`` int (default 1), ``Weight`` float
        (default 1), ``Target`` float, string columns stripped.

    Raises
    ------
    DataValidationError
        Listing every problem with its file line (header = line 1).
    """
    problems: list[Problem] = []
    raw = imeta.reset_index(drop=True).copy()
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise DataValidationError([Problem(source, f"missing column '{c}'", column=c,
                                           expected="iMeta columns " + ", ".join(REQUIRED))
                                   for c in missing])
    for col in ("iCode", "Type", "Parent", "Denominator", "iName"):
        if col in raw:
            raw[col] = pd.Series([_clean_str(v) for v in raw[col]], index=raw.index,
                                 dtype="object")
    out = pd.DataFrame({"iCode": raw["iCode"], "Type": raw["Type"]})
    nums = {c: _num(raw, c, source, problems) for c in _NUMERIC}
    out["Level"] = nums["Level"]
    out["iName"] = raw["iName"] if "iName" in raw else out["iCode"]
    out["Parent"] = raw["Parent"] if "Parent" in raw else None
    out["Denominator"] = raw["Denominator"] if "Denominator" in raw else None
    out["Direction"] = nums["Direction"]
    out["Weight"] = nums["Weight"]
    out["Target"] = nums["Target"]
    for extra in raw.columns:
        if extra not in out.columns:
            out[extra] = raw[extra]

    def add(i: int, msg: str, col: str | None = None, value: object = None,
            expected: str | None = None) -> None:
        problems.append(Problem(source, msg, row=i + 2, column=col, value=value,
                                expected=expected))

    seen: dict[str, int] = {}
    for i, row in _rows(out):
        code, typ = row["iCode"], row["Type"]
        if code is None:
            add(i, "empty iCode", "iCode", expected="a unique code")
            continue
        if code in seen:
            add(i, f"duplicate iCode '{code}' (first on row {seen[code] + 2})", "iCode", code,
                "unique iCodes")
        seen.setdefault(code, i)
        if typ not in TYPES:
            add(i, "unknown Type", "Type", typ, " | ".join(TYPES))
            continue
        lev = row["Level"]
        if typ in ("Indicator", "Aggregate"):
            if pd.isna(lev) or lev != int(lev) or lev < 1:
                add(i, f"{typ} '{code}' needs an integer Level ≥ 1", "Level", row["Level"],
                    "1 for indicators, 2+ for aggregates")
            elif typ == "Indicator" and lev != 1:
                add(i, f"indicator '{code}' must be at Level 1", "Level", lev, "1")
            elif typ == "Aggregate" and lev < 2:
                add(i, f"aggregate '{code}' must be at Level 2 or above", "Level", lev, "≥ 2")
            d = row["Direction"]
            if not pd.isna(d) and d not in (1, -1):
                add(i, "Direction must be 1 or -1", "Direction", d, "1 or -1")
            w = row["Weight"]
            if not pd.isna(w) and (w < 0 or not np.isfinite(w)):
                add(i, "Weight must be a non-negative number", "Weight", w, "≥ 0")
    out["Direction"] = out["Direction"].fillna(1)
    out["Weight"] = out["Weight"].fillna(1.0)
    out["Level"] = out["Level"].astype("Int64") if not problems else out["Level"]
    tree = out[out["Type"].isin(["Indicator", "Aggregate"])]
    types = dict(zip(out["iCode"], out["Type"], strict=False))
    levels = dict(zip(tree["iCode"], tree["Level"], strict=False))
    if not problems:
        max_level = int(tree["Level"].max()) if len(tree) else 0
        for i, row in _rows(tree):
            code, par, lev = row["iCode"], row["Parent"], int(row["Level"])
            if par is None:
                if lev != max_level:
                    add(i, f"'{code}' (Level {lev}) has no Parent", "Parent", None,
                        f"an aggregate at Level {lev + 1}")
                continue
            if par not in types:
                add(i, f"Parent '{par}' of '{code}' does not exist", "Parent", par,
                    "the iCode of an Aggregate row")
            elif types[par] != "Aggregate":
                add(i, f"Parent '{par}' of '{code}' is a {types[par]} row, not an Aggregate",
                    "Parent", par, "the iCode of an Aggregate row")
            elif int(levels[par]) != lev + 1:
                add(i, f"Parent '{par}' of '{code}' is at Level {int(levels[par])}",
                    "Parent", par, f"an aggregate at Level {lev + 1}")
        problems.extend(_cycles(tree, source))
        parents = set(tree["Parent"].dropna())
        for i, row in _rows(tree):
            if row["Type"] == "Aggregate" and row["iCode"] not in parents:
                add(i, f"aggregate '{row['iCode']}' has no children", "iCode", row["iCode"],
                    "at least one row naming it as Parent")
        ind = out[out["Type"] == "Indicator"]
        for i, row in _rows(ind):
            den = row["Denominator"]
            if den is not None and types.get(den) != "Denominator":
                add(i, f"Denominator '{den}' of '{row['iCode']}' is not a Denominator row",
                    "Denominator", den, "the iCode of a row with Type Denominator")
        if ind.empty:
            problems.append(Problem(source, "no rows with Type 'Indicator'", column="Type",
                                    expected="at least one indicator"))
    if idata is not None and not problems:
        cols = set(idata.columns)
        for i, row in _rows(out):
            if row["Type"] in ("Indicator", "Denominator", "Group") and row["iCode"] not in cols:
                add(i, f"{row['Type'].lower()} '{row['iCode']}' has no column in iData",
                    "iCode", row["iCode"], "a column of that name in iData")
    if problems:
        raise DataValidationError(problems, header=f"{len(problems)} problem(s) in {source}")
    out["Level"] = out["Level"].astype("Int64")
    out["Direction"] = out["Direction"].astype(int)
    return out


def _cycles(tree: pd.DataFrame, source: str) -> list[Problem]:
    """One problem per cycle of Parent links, at the row of its first member."""
    parent = dict(zip(tree["iCode"], tree["Parent"], strict=False))
    rows = {c: i for i, c in zip(tree.index, tree["iCode"], strict=False)}
    out: list[Problem] = []
    reported: set[frozenset[str]] = set()
    for code in parent:
        path = [code]
        p = parent.get(code)
        while p is not None and p in parent and p not in path:
            path.append(p)
            p = parent.get(p)
        if p is None or p not in path:
            continue
        loop = path[path.index(p):]
        key = frozenset(loop)
        if key in reported:
            continue
        reported.add(key)
        first = min(loop, key=lambda c: rows[c])
        k = loop.index(first)
        ordered = loop[k:] + loop[:k]
        out.append(Problem(source, "cycle in Parent links: " + " → ".join(ordered + [first]),
                           row=rows[first] + 2, column="Parent",
                           expected="a tree (no aggregate is its own ancestor)"))
    return out


def framework(imeta: pd.DataFrame) -> Framework:
    """Derive the :class:`Framework` tree from a validated iMeta."""
    tree = imeta[imeta["Type"].isin(["Indicator", "Aggregate"])]
    levels: dict[int, tuple[str, ...]] = {}
    for lev, sub in tree.groupby("Level", sort=True):
        levels[int(lev)] = tuple(sub["iCode"])
    children: dict[str, tuple[str, ...]] = {}
    for code, par in zip(tree["iCode"], tree["Parent"], strict=False):
        if par is not None and not pd.isna(par):
            children.setdefault(par, ())
            children[par] = children[par] + (code,)
    ind = tree[tree["Type"] == "Indicator"]
    dens = {c: d for c, d in zip(ind["iCode"], ind["Denominator"], strict=False)
            if d is not None and not pd.isna(d)}
    return Framework(
        indicators=tuple(ind["iCode"]),
        levels=levels,
        children=children,
        parent={c: (p if p is not None and not pd.isna(p) else None)
                for c, p in zip(tree["iCode"], tree["Parent"], strict=False)},
        direction={c: int(d) for c, d in zip(tree["iCode"], tree["Direction"], strict=False)},
        weight={c: float(w) for c, w in zip(tree["iCode"], tree["Weight"], strict=False)},
        target={c: float(v) for c, v in zip(tree["iCode"], tree["Target"], strict=False)},
        denominators=dens,
        groups=tuple(imeta.loc[imeta["Type"] == "Group", "iCode"]),
        names={c: (n if isinstance(n, str) else c)
               for c, n in zip(tree["iCode"], tree["iName"], strict=False)},
    )


def validate_data(idata: pd.DataFrame, fw: Framework, source: str = "iData") -> pd.DataFrame:
    """Check iData against the framework and return a typed copy.

    Checks: a ``uCode`` column, unique ``uCode`` (per ``Time`` if present), indicator and
    denominator columns numeric (each bad cell reported with its line and column).
    """
    problems: list[Problem] = []
    if "uCode" not in idata.columns:
        raise DataValidationError([Problem(source, "missing column 'uCode'", column="uCode",
                                           expected="a unit code column")])
    df = idata.reset_index(drop=True).copy()
    df["uCode"] = df["uCode"].astype(str)
    if "uName" not in df:
        df["uName"] = df["uCode"]
    keys = ["uCode"] + (["Time"] if "Time" in df else [])
    dup = df.duplicated(keys, keep="first")
    for i in df.index[dup]:
        problems.append(Problem(source, "duplicate unit" + (" and Time" if len(keys) > 1 else ""),
                                row=int(i) + 2, column="uCode", value=df.at[i, "uCode"],
                                expected="one row per " + " × ".join(keys)))
    numeric_cols = list(fw.indicators) + sorted(set(fw.denominators.values()))
    converted: dict[str, np.ndarray] = {}
    for col in numeric_cols:
        if col not in df:
            problems.append(Problem(source, f"no column for '{col}' named in iMeta",
                                    column=col, expected="a numeric column"))
            continue
        s = df[col]
        if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            converted[col] = s.to_numpy(dtype=float)
            continue
        text = s.astype("object").map(lambda v: None if v is None or (isinstance(v, float)
                                                                     and np.isnan(v)) else
                                      str(v).strip())
        text = text.map(lambda v: None if v in ("", "NA", "NaN", "nan") else v)
        conv = pd.to_numeric(text, errors="coerce")
        bad = conv.isna() & text.notna()
        for i in df.index[bad]:
            problems.append(Problem(source, "not a number", row=int(i) + 2, column=col,
                                    value=s.iat[i], expected="a number or an empty cell"))
        converted[col] = conv.to_numpy(dtype=float)
    if problems:
        raise DataValidationError(problems, header=f"{len(problems)} problem(s) in {source}")
    df = pd.DataFrame({c: converted.get(c, df[c]) for c in df.columns}, index=df.index)
    if "Time" in df:
        df["Time"] = df["Time"].astype(str)
    return df
