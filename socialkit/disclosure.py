"""Disclosure control of published counts: one entry point for every published table.

Convention followed (the cell-suppression approach of tau-Argus / R ``sdcTable``):

* **primary suppression**: a count ``1 <= n < threshold`` is suppressed. ``threshold`` is
  :func:`resolve_threshold`: :func:`socialkit.config.suppress_below` (default 5, so 1–4 are
  suppressed); it may be raised, never lowered, and only switched off with an explicit,
  logged ``no_suppression`` (internal use). Zeros are published.
* **rates are counts**: a published rate ``r = 1000 c / b`` with a public base ``b`` gives
  the count back (``c = r b / 1000``), so every rate is treated as its count cell and is
  withheld exactly when that cell is.
* **secondary suppression, checked as a system**: every published table a reader can
  combine is one set of *lines* ``member_1 + ... + member_k = total`` (settlement counts add
  up to the municipal count; municipal numerators add up to the oblast's and the peer
  group's; sex × age cells add up to their margins). A reader who knows all but one term of
  a line gets the last one by subtraction, and a derived term can open the next line.
  :func:`suppress_lines` repeats that elimination (as an attacker would) until nothing more
  can be derived; whenever it would reach a suppressed cell, one more published cell of
  that line is suppressed — the one of least cost (tau-Argus's default cost, the cell
  value: the smallest non-zero member, then the line's total, then a zero member) — and
  it starts again. The result: no suppressed cell can be recovered by adding and
  subtracting published figures. (It does not solve the full linear-programming audit of
  tau-Argus: bounds a reader may derive, e.g. "between 1 and 4", are not widened.)
* **last guard**: :func:`publish` blanks any count of 1 … threshold − 1 and any rate whose
  implied count ``round(r b / per)`` is one, whatever the table; every CSV, Excel sheet,
  PDF table and dashboard frame goes through it.

>>> import pandas as pd
>>> t = pd.DataFrame({"sex": ["female", "male", "total"], "n": [3, 40, 43]})
>>> out = suppress_counts(t, "n", by=["sex"], total_rows={"sex": "total"})
>>> out["n"].tolist()
[<NA>, <NA>, 43]
>>> out["suppression"].tolist()
['primary', 'secondary', None]

**Record-level exports** are checked for **k-anonymity** (Samarati & Sweeney, 1998): over the
named *quasi-identifiers* (attributes a reader may know of a person from elsewhere: the
municipality, the quarter, sex, age group), every *equivalence class* — the people sharing one
combination of their values — must hold at least ``k`` people, so no one can be singled out
among fewer than ``k``. :func:`k_anonymity` counts the classes of a table whose rows are people,
or whose rows carry a count of people (aggregate records); ``k`` follows the small-cell
threshold (5 by default, never lower).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import config
from .errors import SocialkitError

__all__ = [
    "MIN_THRESHOLD",
    "Lines",
    "KAnonymity",
    "KAnonymityError",
    "implied_counts",
    "k_anonymity",
    "publish",
    "resolve_threshold",
    "suppress_counts",
    "suppress_lines",
    "suppress_rates",
    "suppression_note",
]

#: Counts below this are always suppressed in published output (policy floor: 1–4).
MIN_THRESHOLD: int = 5


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


def resolve_threshold(threshold: int | None = None, *, no_suppression: bool = False,
                      what: str = "output") -> int:
    """The small-cell threshold to use: the configured one, or a higher one asked for.

    Parameters
    ----------
    threshold : int, optional
        Requested threshold; None gives :func:`socialkit.config.suppress_below`.
    no_suppression : bool
        Switch suppression off (internal use only): a warning naming ``what`` is written to
        stderr and 0 is returned (nothing is suppressed). Callers record it in the output's
        metadata.
    what : str
        Name of the output, for the warning.

    Returns
    -------
    int

    Raises
    ------
    SocialkitError
        If ``threshold`` is below the configured one, or ``SOCIALKIT_SUPPRESS_BELOW`` is below
        :data:`MIN_THRESHOLD`.

    >>> resolve_threshold(), resolve_threshold(10)
    (5, 10)
    """
    from .errors import SocialkitError

    if no_suppression:
        print(f"WARNING: small-cell suppression is OFF for {what} (--no-suppression): counts "
              "of 1-4 people are published; for internal use only, never share it.",
              file=sys.stderr)
        return 0
    try:
        default = config.suppress_below()
    except ValueError as exc:
        raise SocialkitError("SOCIALKIT_SUPPRESS_BELOW: expected a whole number of at least "
                             f"{MIN_THRESHOLD}") from exc
    if default < MIN_THRESHOLD:
        raise SocialkitError(f"SOCIALKIT_SUPPRESS_BELOW={default}: counts of 1-4 must stay "
                             f"suppressed; set it to {MIN_THRESHOLD} or more")
    if threshold is None:
        return default
    if int(threshold) < default:
        raise SocialkitError(f"threshold {threshold}: the small-cell threshold may be raised, "
                             f"never lowered below {default} (SOCIALKIT_SUPPRESS_BELOW); "
                             "--no-suppression switches it off for internal use")
    return int(threshold)


class Lines:
    """Additive relations ``sum(members) = total`` between the cells of a published system.

    Parameters
    ----------
    line : array of int
        One entry per (line, cell) membership: the line's number ...
    cell : array of int
        ... the cell's position ...
    is_total : array of bool
        ... and whether the cell is the line's total (at most one per line; a line without
        one has a total that is published elsewhere).
    """

    def __init__(self, line, cell, is_total) -> None:
        self.line = np.asarray(line, dtype=np.int64)
        self.cell = np.asarray(cell, dtype=np.int64)
        self.is_total = np.asarray(is_total, dtype=bool)
        self.n = int(self.line.max()) + 1 if self.line.size else 0

    @classmethod
    def concat(cls, parts: Sequence[Lines]) -> Lines:
        """Several sets of lines over the same cells, renumbered."""
        offset, line, cell, tot = 0, [], [], []
        for p in parts:
            line.append(p.line + offset)
            cell.append(p.cell)
            tot.append(p.is_total)
            offset += p.n
        if not line:
            return cls([], [], [])
        return cls(np.concatenate(line), np.concatenate(cell), np.concatenate(tot))

    @classmethod
    def grouped(cls, member_group, total_of_group=None) -> Lines:
        """Lines from a group code per cell (-1: in no line) and the total cell of each group.

        ``member_group[i]`` is the line cell ``i`` is a member of; ``total_of_group[g]`` the
        position of line ``g``'s total (-1 or absent: published elsewhere).
        """
        g = np.asarray(member_group, dtype=np.int64)
        cells = np.flatnonzero(g >= 0)
        line, cell, tot = [g[cells]], [cells], [np.zeros(cells.size, dtype=bool)]
        if total_of_group is not None:
            t = np.asarray(total_of_group, dtype=np.int64)
            has = np.flatnonzero(t >= 0)
            line.append(has)
            cell.append(t[has])
            tot.append(np.ones(has.size, dtype=bool))
        return cls(np.concatenate(line), np.concatenate(cell), np.concatenate(tot))


def _derive(unknown: np.ndarray, lines: Lines, sensitive: np.ndarray, skip: np.ndarray
            ) -> np.ndarray:
    """Eliminate line by line; return the lines whose last unknown is a sensitive cell."""
    unknown = unknown.copy()
    while True:
        per_line = np.bincount(lines.line, weights=unknown[lines.cell], minlength=lines.n)
        one = (per_line == 1) & ~skip
        if not one.any():
            return np.zeros(0, dtype=np.int64)
        entry = one[lines.line] & unknown[lines.cell]
        bad = entry & sensitive[lines.cell]
        if bad.any():
            # one line per exposed cell: a fix in one line often protects the cell in the
            # others (they are re-checked in the next round)
            cells, first = np.unique(lines.cell[bad], return_index=True)
            return np.unique(lines.line[np.flatnonzero(bad)[first]])
        unknown[lines.cell[entry]] = False  # derived by the reader


def _audit(unknown: np.ndarray, lines: Lines, sensitive: np.ndarray, audit: np.ndarray,
           skip: np.ndarray) -> np.ndarray:
    """Exact check over the ``audit`` lines: sensitive cells the lines determine together.

    The lines holding an unknown cell form ``A x = b`` in the unknowns; ``x_j`` is determined
    when the unit vector ``e_j`` lies in the row space of ``A`` (one SVD per connected
    block). Returns one line (not in ``skip``)
    through each determined sensitive cell.
    """
    use = audit[lines.line] & unknown[lines.cell]
    rows_with = np.unique(lines.line[use])
    if rows_with.size == 0:
        return np.zeros(0, dtype=np.int64)
    entry = np.isin(lines.line, rows_with) & unknown[lines.cell]
    cols, col_of = np.unique(lines.cell[entry], return_inverse=True)
    row_of = np.searchsorted(rows_with, lines.line[entry])
    coef = np.where(lines.is_total[entry], -1.0, 1.0)
    # independent blocks (connected components of lines and unknown cells) solved apart
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    r, c = rows_with.size, cols.size
    graph = coo_matrix((np.ones(row_of.size), (row_of, r + col_of)), shape=(r + c, r + c))
    _, comp = connected_components(graph, directed=False)
    fixed = np.zeros(c, dtype=bool)
    order = np.argsort(comp[row_of], kind="stable")
    bounds = np.flatnonzero(np.diff(comp[row_of][order])) + 1
    for block in np.split(order, bounds):
        rows_b, ri = np.unique(row_of[block], return_inverse=True)
        cols_b, ci = np.unique(col_of[block], return_inverse=True)
        a = np.zeros((rows_b.size, cols_b.size))
        np.add.at(a, (ri, ci), coef[block])
        # x_j is determined iff e_j lies in the row space: its projection has norm 1
        _, sv, vt = np.linalg.svd(a, full_matrices=False)
        rank = int((sv > 1e-9 * max(1.0, float(sv.max(initial=0.0)))).sum())
        fixed[cols_b] = np.abs((vt[:rank] ** 2).sum(axis=0) - 1.0) < 1e-9
    exposed = cols[fixed & sensitive[cols]]
    if exposed.size == 0:
        return np.zeros(0, dtype=np.int64)
    through = np.isin(lines.cell, exposed) & audit[lines.line] & ~skip[lines.line]
    cells, first = np.unique(lines.cell[through], return_index=True)
    return np.unique(lines.line[np.flatnonzero(through)[first]])


def suppress_lines(values, lines: Lines, threshold: int, *, hidden=None, virtual=None,
                   protect=None, audit=None, cost=None) -> tuple[np.ndarray, np.ndarray]:
    """Primary and secondary suppression of a system of cells linked by additive lines.

    Parameters
    ----------
    values : array of float
        The cells' counts (NaN: missing, neither published nor in any sum).
    lines : Lines
        The additive relations a reader can use.
    threshold : int
        Primary: ``1 <= value < threshold``.
    hidden : array of bool, optional
        Cells suppressed from the start for another reason (treated like primary ones).
    virtual : array of bool, optional
        Cells that are never published but are not sensitive either (e.g. a national total
        that both the oblast and the peer-group totals add up to); a reader may derive them.
    protect : array of bool, optional
        Cells that must not be chosen for secondary suppression.
    audit : array of bool, optional
        Lines (by number) to check exactly once elimination finds nothing more: a crossed
        structure (oblasts × size classes, sex × level) can give a cell back through a
        combination of lines that no single line reveals. The check solves the linear
        system of those lines (a dense SVD of the lines holding a suppressed cell, so keep
        it to the crossed part).
    cost : array of float, optional
        Extra cost per cell, compared before anything else when choosing a secondary cell
        (default 0: the smallest non-zero member, then the total, then a zero member). Give a
        cell whose loss spreads to other tables (a municipal rate's numerator, which is also
        in the oblast and peer sums) a higher cost.

    Returns
    -------
    suppressed, primary : arrays of bool

    Notes
    -----
    See the module docstring: elimination as a reader would do it; whenever it reaches a
    suppressed cell, the line it came from gets one more suppressed cell (smallest non-zero
    member, else the total, else a zero member), until no suppressed cell can be derived.
    A line where no further cell can be suppressed is left as it is (it is reported by the
    audit in the tests; with totals in the frame this does not happen).
    """
    v = np.asarray(values, dtype=float)
    n = v.size
    known = ~np.isnan(v)
    primary = known & (v >= 1) & (v < threshold)
    suppressed = primary | (np.zeros(n, bool) if hidden is None else np.asarray(hidden, bool))
    virtual = np.zeros(n, bool) if virtual is None else np.asarray(virtual, bool)
    protect = np.zeros(n, bool) if protect is None else np.asarray(protect, bool)
    if lines.n == 0 or not suppressed.any():
        return suppressed, primary
    # a missing member is in no sum; a missing total is unknown to the reader
    keep = known[lines.cell] | lines.is_total
    n_lines = lines.n
    lines = Lines(lines.line[keep], lines.cell[keep], lines.is_total[keep])
    lines.n = n_lines
    audit = None if audit is None else np.asarray(audit, dtype=bool)
    virtual = virtual | ~known
    skip = np.zeros(lines.n, dtype=bool)
    # candidate order: non-zero members by value, then totals, then zero members
    rank_class = np.where(lines.is_total, 1, np.where(v[lines.cell] > 0, 0, 2))
    val = np.nan_to_num(v[lines.cell])
    extra = np.zeros(lines.cell.size) if cost is None else np.asarray(cost, float)[lines.cell]
    while True:
        bad = _derive(suppressed | virtual, lines, suppressed, skip)
        if bad.size == 0 and audit is not None:
            bad = _audit(suppressed | virtual, lines, suppressed, audit, skip)
        if bad.size == 0:
            return suppressed, primary
        in_bad = np.zeros(lines.n, dtype=bool)
        in_bad[bad] = True
        cand = in_bad[lines.line] & ~suppressed[lines.cell] & ~virtual[lines.cell] \
            & ~protect[lines.cell]
        idx = np.flatnonzero(cand)
        order = idx[np.lexsort((val[idx], rank_class[idx], extra[idx], lines.line[idx]))]
        first = np.unique(lines.line[order], return_index=True)
        suppressed[lines.cell[order[first[1]]]] = True
        stuck = np.setdiff1d(bad, first[0])
        skip[stuck] = True


def _dimension_lines(frame: pd.DataFrame, by: list[str], rest: list[str],
                     total_rows: Mapping[str, str]) -> Lines:
    parts = []
    n = len(frame)
    for dim in by:
        others = rest + [d for d in by if d != dim]
        codes = (frame.groupby(others, sort=False, dropna=False, observed=True).ngroup()
                 .to_numpy() if others else np.zeros(n, dtype=np.int64))
        is_total = (frame[dim] == total_rows[dim]).to_numpy(dtype=bool) \
            if dim in total_rows else np.zeros(n, dtype=bool)
        parts.append(Lines(codes, np.arange(n), is_total))
    return Lines.concat(parts)


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
        Counts ``1 <= n < threshold`` are suppressed; default :func:`resolve_threshold`
        (``0``: nothing is, see ``no_suppression`` there).
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
    Primary: ``1 <= n < threshold``. Secondary: :func:`suppress_lines` over the lines along
    each dimension of ``by`` (cells equal in all other columns; the dimension's total row, or
    a total published elsewhere). Missing counts (NA) count as neither published nor
    suppressed.
    """
    threshold = resolve_threshold() if threshold is None else int(threshold)
    total_rows = dict(total_rows or {})
    by = list(by)
    for col in [value_col, *by, *(within or [])]:
        if col not in frame.columns:
            raise KeyError(f"suppress_counts: column '{col}' is not in the frame")
    out = frame.copy()
    values = pd.to_numeric(out[value_col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    if within is None:
        rest = [c for c in out.columns if c not in (value_col, *by)
                and not pd.api.types.is_numeric_dtype(out[c])
                and not pd.api.types.is_bool_dtype(out[c])]
    else:
        rest = list(within)
    lines = _dimension_lines(out, by, rest, total_rows) if len(out) else Lines([], [], [])
    suppressed, primary = suppress_lines(values, lines, threshold)
    kind = np.where(primary, "primary", np.where(suppressed, "secondary", None))
    col = out[value_col]
    col = col.astype("Int64") if col.dtype.kind in "iu" else col.copy()
    col[suppressed] = pd.NA
    out[value_col] = col
    out["suppressed"] = suppressed
    out["suppression"] = pd.Series(kind, index=out.index, dtype=object)
    return out


def implied_counts(rates, bases, per: float = 1000) -> np.ndarray:
    """The counts a reader gets back from rates and their public bases: ``round(r b / per)``."""
    r = pd.to_numeric(pd.Series(rates), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    b = pd.to_numeric(pd.Series(bases), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return np.round(np.asarray(r) * np.asarray(b) / per)


def publish(frame: pd.DataFrame, *, counts: Sequence[str] = (),
            rates: Mapping[str, tuple[str | np.ndarray, float]] | None = None,
            hidden: Mapping[str, np.ndarray] | None = None,
            threshold: int | None = None) -> pd.DataFrame:
    """The one gate every published table goes through: nothing small leaves.

    Parameters
    ----------
    frame : DataFrame
        The table about to be written or shown (not changed).
    counts : sequence of str
        Columns holding counts of people: values ``1 <= n < threshold`` are blanked.
    rates : mapping, optional
        ``rate column -> (base column or array, per)``: a rate whose implied count
        ``round(rate * base / per)`` is ``1 <= n < threshold`` is blanked.
    hidden : mapping, optional
        ``column -> boolean mask``: cells suppressed by the system's pattern
        (:func:`suppress_lines`, secondary cells included), blanked.
    threshold : int, optional
        Default :func:`resolve_threshold` (``0``: nothing is blanked but ``hidden``).

    Returns
    -------
    DataFrame
        A copy with those cells set to NA (integer columns become ``Int64``; float columns
        stay float, with NaN).

    >>> t = pd.DataFrame({"n": [3, 12], "rate": [6.0, 24.0], "base": [500, 500]})
    >>> publish(t, counts=["n"], rates={"rate": ("base", 1000)})[["n", "rate"]].isna().values.tolist()
    [[True, True], [False, False]]
    """
    threshold = resolve_threshold() if threshold is None else int(threshold)
    out = frame.copy()
    masks: dict[str, np.ndarray] = {}
    for col, mask in (hidden or {}).items():
        masks[col] = np.asarray(mask, dtype=bool).copy()
    for col in counts:
        v = pd.to_numeric(out[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        small = (v >= 1) & (v < threshold)
        masks[col] = masks.get(col, np.zeros(len(out), bool)) | small
    for col, (base, per) in (rates or {}).items():
        b = out[base] if isinstance(base, str) else pd.Series(np.asarray(base))
        c = implied_counts(out[col], b, per)
        small = (c >= 1) & (c < threshold)
        masks[col] = masks.get(col, np.zeros(len(out), bool)) | small
    for col, mask in masks.items():
        if not mask.any():
            continue
        s = out[col]
        if isinstance(s.dtype, np.dtype) and s.dtype.kind == "f":
            out[col] = s.mask(mask)  # stays float64 with NaN
            continue
        s = s.astype("Int64") if s.dtype.kind in "iu" else s.copy()
        s[mask] = pd.NA
        out[col] = s
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


#: The value of a quasi-identifier a row does not distinguish (a generalised value, ``*``).
ANY = "*"


class KAnonymityError(SocialkitError):
    """A record-level export refused because k-anonymity does not hold (the message names the
    quasi-identifiers, ``k`` and the classes below ``k``)."""

    def __init__(self, check: KAnonymity, what: str, lang: str = "en") -> None:
        self.check = check
        super().__init__(check.message(lang, what=what))


@dataclass(frozen=True)
class KAnonymity:
    """The equivalence classes of a table over its quasi-identifiers.

    ``classes``: one row per class with at least one person, the quasi-identifiers' values
    (``*``: not distinguished) and ``size`` (people in the class), smallest first.
    """

    quasi_identifiers: tuple[str, ...]
    k: int
    classes: pd.DataFrame

    @property
    def below(self) -> pd.DataFrame:
        """The classes of fewer than ``k`` people (and at least one)."""
        return self.classes[self.classes["size"] < self.k]

    @property
    def holds(self) -> bool:
        """Every class has at least ``k`` people."""
        return self.below.empty

    def message(self, lang: str = "en", what: str = "") -> str:
        """What was found, in ``lang``: the quasi-identifiers, ``k``, the classes below it."""
        from .i18n import format_number, t

        n = format_number(len(self.classes), lang)
        qi = ", ".join(self.quasi_identifiers)
        if self.holds:
            return t("disclosure.k_anonymity.holds", lang, what=what, qi=qi, k=self.k, n=n)
        return t("disclosure.k_anonymity.refused", lang, what=what, qi=qi, k=self.k, n=n,
                 below=format_number(len(self.below), lang),
                 people=format_number(int(self.below["size"].sum()), lang))


def k_anonymity(frame: pd.DataFrame, quasi_identifiers: Sequence[str], k: int | None = None,
                *, count: str | None = None) -> KAnonymity:
    """The equivalence classes of ``frame`` over ``quasi_identifiers`` and whether each holds
    at least ``k`` people.

    Parameters
    ----------
    frame : DataFrame
        One row per person (``count=None``), or rows that each stand for ``count`` people
        (aggregate records: a row per record and category, see
        :func:`socialkit.protection.exports.record_classes`).
    quasi_identifiers : sequence of str
        Columns a reader may know of a person from elsewhere. A missing value is a value of
        its own (a reader sees the blank); ``*`` marks a value the row does not distinguish.
    k : int, optional
        Smallest class allowed: default and floor the small-cell threshold
        (:func:`resolve_threshold`, 5), so counts of 1–4 people never pass.
    count : str, optional
        Column with the number of people each row stands for (non-negative whole numbers).

    Returns
    -------
    KAnonymity
        Classes with at least one person, smallest first.

    Notes
    -----
    A class is the set of people sharing the values of every quasi-identifier; its size is
    the number of rows (or the sum of ``count``) with those values. k-anonymity holds when
    every class with a person in it has ``size >= k`` (classes of 0 people are no one).

    >>> people = pd.DataFrame({"municipality": ["A"] * 5 + ["B"] * 4,
    ...                        "sex": ["f"] * 5 + ["m"] * 4})
    >>> check = k_anonymity(people, ["municipality", "sex"], 5)
    >>> check.holds, check.below[["municipality", "sex", "size"]].values.tolist()
    (False, [['B', 'm', 4]])
    """
    k = resolve_threshold(k, what="k-anonymity")
    qi = list(quasi_identifiers)
    if not qi:
        raise SocialkitError("k-anonymity: name at least one quasi-identifier")
    missing = [c for c in [*qi, *([count] if count else [])] if c not in frame.columns]
    if missing:
        raise SocialkitError(f"k-anonymity: column(s) {', '.join(missing)} not in the table; "
                             f"it has {', '.join(map(str, frame.columns))}")
    if count is None:
        sizes = pd.Series(1, index=frame.index, dtype="int64")
    else:
        sizes = pd.to_numeric(frame[count], errors="coerce")
        bad = frame.index[sizes.isna() & frame[count].notna() | (sizes < 0) | (sizes % 1 != 0)]
        if len(bad):
            raise SocialkitError(f"k-anonymity: column '{count}' row {bad[0]}: expected a "
                                 f"count of people (0 or a positive whole number), found "
                                 f"{frame.loc[bad[0], count]!r}")
        sizes = sizes.fillna(0).astype("int64")
    keys = frame[qi].astype(object).where(frame[qi].notna(), None)
    classes = (keys.assign(size=sizes.to_numpy())
               .groupby(qi, dropna=False, sort=True)["size"].sum().reset_index())
    classes = classes[classes["size"] > 0]
    classes = classes.sort_values("size", kind="stable").reset_index(drop=True)
    return KAnonymity(tuple(qi), k, classes)
