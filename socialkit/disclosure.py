"""Small-cell protection for published counts: primary and secondary suppression.

Rules (the usual statistical-office convention for tables of counts):

* **primary**: a count ``1 <= n < threshold`` is suppressed (``threshold`` defaults to
  :func:`socialkit.config.suppress_below`, i.e. 5, so 1–4 are suppressed). Zeros are published.
* **secondary**: a table's margins (totals along each dimension) are treated as published, so
  a line of cells (all cells that share every coordinate but one) holding exactly one
  suppressed cell would let a reader recover it by subtraction. In such a line the smallest
  non-zero published cell is suppressed too (ties: first in the frame's order); when the line
  has no other cell, its total (if present in the frame) is suppressed. This repeats until no
  line has exactly one suppressed cell, which also covers the total rows/columns themselves.
* **rates**: a rate whose numerator is suppressed is withheld (:func:`suppress_rates`).

>>> import pandas as pd
>>> t = pd.DataFrame({"sex": ["female", "male", "total"], "n": [3, 40, 43]})
>>> out = suppress_counts(t, "n", by=["sex"], total_rows={"sex": "total"})
>>> out["n"].tolist()
[<NA>, <NA>, 43]
>>> out["suppression"].tolist()
['primary', 'secondary', None]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from . import config

__all__ = ["suppress_counts", "suppress_rates", "suppression_note"]


def suppression_note(lang: str = "en", threshold: int | None = None) -> str:
    """The one sentence every output (PDF, dashboard, export) uses to explain suppression.

    Driven by ``threshold`` (default :func:`config.suppress_below`): counts ``1`` to
    ``threshold - 1`` are suppressed, so with the default 5 it reads "1 to 4".

    >>> "1 to 4" in suppression_note("en", 5)
    True
    """
    from .i18n import format_number, t

    threshold = config.suppress_below() if threshold is None else int(threshold)
    return t("summary.suppression_note", lang, below=format_number(threshold - 1, lang),
             mark=t("passport.suppressed", lang))


def _lines(frame: pd.DataFrame, dim: str, others: list[str]) -> list[np.ndarray]:
    """Positional indices of the cells forming each line along ``dim``."""
    if len(frame) == 0:
        return []
    if not others:
        return [np.arange(len(frame))]
    codes = frame.groupby(others, sort=False, dropna=False, observed=True).ngroup().to_numpy()
    order = np.argsort(codes, kind="stable")
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    return np.split(order, bounds)


def suppress_counts(
    frame: pd.DataFrame,
    value_col: str,
    by: Sequence[str],
    total_rows: Mapping[str, str] | None = None,
    threshold: int | None = None,
    within: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Suppress small counts and whatever would reveal them through totals.

    Parameters
    ----------
    frame : DataFrame
        A tidy table of counts, possibly holding several independent sub-tables (see
        ``within``) and other numeric columns (rates, denominators), which are carried along.
    value_col : str
        The count column.
    by : sequence of str
        The dimensions of each sub-table (e.g. ``["sex", "age_group"]``). Each dimension's
        categories add up to its total, which is assumed to be published.
    total_rows : mapping, optional
        For a dimension whose total is a row of ``frame``, the label of that category
        (e.g. ``{"sex": "total", "age_group": "total"}``). Such rows take part in the lines of
        the *other* dimensions and are suppressed themselves when needed.
    threshold : int, optional
        Counts ``1 <= n < threshold`` are suppressed; default :func:`config.suppress_below`.
    within : sequence of str, optional
        Columns whose values identify independent sub-tables (e.g. ``["indicator_id",
        "period"]``). Default: every non-numeric column other than ``value_col`` and ``by``.

    Returns
    -------
    DataFrame
        A copy of ``frame`` with ``value_col`` set to NA where suppressed, plus ``suppressed``
        (bool) and ``suppression`` (``"primary"``, ``"secondary"`` or None).

    Notes
    -----
    Primary: ``1 <= n < threshold``. Secondary: in every line along a dimension of ``by``
    (cells equal in all other columns, the dimension's total row left out) with exactly one
    suppressed cell, suppress the smallest non-zero published cell; repeat to a fixed point.
    Missing counts (NA) count as neither published nor suppressed.
    """
    threshold = config.suppress_below() if threshold is None else int(threshold)
    total_rows = dict(total_rows or {})
    by = list(by)
    for col in [value_col, *by, *(within or [])]:
        if col not in frame.columns:
            raise KeyError(f"suppress_counts: column '{col}' is not in the frame")
    out = frame.copy()
    values = pd.to_numeric(out[value_col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    known = ~np.isnan(values)
    primary = known & (values >= 1) & (values < threshold)
    suppressed = primary.copy()
    if within is None:
        rest = [c for c in out.columns if c not in (value_col, *by)
                and not pd.api.types.is_numeric_dtype(out[c])
                and not pd.api.types.is_bool_dtype(out[c])]
    else:
        rest = list(within)
    groups = []  # (positions of the line's cells, position of its total or -1)
    for dim in by:
        is_total = (out[dim] == total_rows[dim]).to_numpy() if dim in total_rows else \
            np.zeros(len(out), dtype=bool)
        for line in _lines(out, dim, rest + [d for d in by if d != dim]):
            cells = line[~is_total[line]]
            tot = line[is_total[line]]
            groups.append((cells, int(tot[0]) if tot.size else -1))
    changed = True
    while changed:
        changed = False
        for cells, total in groups:
            hidden = suppressed[cells]
            if hidden.sum() != 1:
                continue
            candidates = cells[~hidden & known[cells] & (values[cells] > 0)]
            if candidates.size:
                pick = candidates[np.argmin(values[candidates])]
            elif total >= 0 and not suppressed[total]:
                pick = total
            else:
                continue
            suppressed[pick] = True
            changed = True
    kind = np.where(primary, "primary", np.where(suppressed, "secondary", None))
    col = out[value_col]
    col = col.astype("Int64") if col.dtype.kind in "iu" else col.copy()
    col[suppressed] = pd.NA
    out[value_col] = col
    out["suppressed"] = suppressed
    out["suppression"] = pd.Series(kind, index=out.index, dtype=object)
    return out


def suppress_rates(
    frame: pd.DataFrame, rate_cols: Sequence[str], suppressed_col: str = "suppressed"
) -> pd.DataFrame:
    """Withhold rates whose numerator was suppressed.

    Parameters
    ----------
    frame : DataFrame
        Output of :func:`suppress_counts` (run on the numerator) with rate columns beside it.
    rate_cols : sequence of str
        Columns to set to NA where ``frame[suppressed_col]`` is true.

    Returns
    -------
    DataFrame
        A copy with those rates set to NA.
    """
    out = frame.copy()
    mask = out[suppressed_col].to_numpy(dtype=bool)
    for col in rate_cols:
        series = out[col].astype("Float64") if out[col].dtype.kind in "iuf" else out[col].copy()
        series[mask] = pd.NA
        out[col] = series
    return out
