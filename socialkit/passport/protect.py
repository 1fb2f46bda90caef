"""The suppression pattern of every count and rate the passport family publishes, data-set wide.

The social passport (one per municipality, all of them in a batch), the vulnerability index
CSVs and the needs tables all publish, for each year and group, figures a reader can combine:

* settlement counts ``c_s`` (and settlement rates, which give them back with the public base);
* the municipal count ``C_m = sum c_s`` (count known) and the municipal rate, whose numerator
  ``N_m`` sums the settlements with both count and base (``N_m`` is ``C_m`` when every
  settlement with a count has a base);
* the oblast rate, numerator ``R_o = sum N_m`` over the oblast's municipalities, and the peer
  rate, numerator ``P_k = sum N_m`` over the size class;
* and, unpublished but derivable, the data set's total ``V = sum R_o = sum P_k (+ N_m of
  municipalities without an oblast or a class)``, which ties the oblast and peer totals
  together.

:func:`passport_pattern` lays these out as one system of cells and additive lines and runs
:func:`socialkit.disclosure.suppress_lines` on it, so a cell hidden in one output cannot be
recovered from another (convention: see :mod:`socialkit.disclosure`). It is computed once per
data set (memoised), so every passport of a batch uses the same pattern.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..disclosure import Lines, resolve_threshold, suppress_lines
from ..frameworks.passport import PassportSpec, read_passport_spec
from ..memo import fingerprint, memoised
from .rates import settlement_rates, size_class

__all__ = ["PassportPattern", "passport_pattern"]


@dataclass
class PassportPattern:
    """Which published passport figures are suppressed (every frame keyed by ids).

    Attributes
    ----------
    settlements : DataFrame
        :func:`~socialkit.passport.rates.settlement_rates` of every settlement and year, plus
        ``suppressed`` (count and rate withheld) and ``suppression`` (``primary`` /
        ``secondary`` / None).
    municipalities : DataFrame
        ``municipality_id, year, indicator_id, count, numerator, count_suppressed,
        rate_suppressed`` (the rate's numerator is suppressed; the passport also withholds
        the rate when the count is).
    regions, peers : DataFrame
        ``region`` / ``size_class``, ``year, indicator_id, numerator, suppressed``.
    threshold : int

    Notes
    -----
    Shared, not copied: the memo hands every caller the same pattern (copying 700,000
    settlement cells for each of 1,469 passports cost a second each), so treat its frames as
    read-only — select from them, never assign into them.
    """

    settlements: pd.DataFrame
    municipalities: pd.DataFrame
    regions: pd.DataFrame
    peers: pd.DataFrame
    threshold: int

    def __deepcopy__(self, memo: dict) -> PassportPattern:
        return self


def passport_pattern(tables: Mapping[str, pd.DataFrame], spec: PassportSpec | None = None,
                     threshold: int | None = None) -> PassportPattern:
    """Primary and secondary suppression of every passport figure of the data set.

    Parameters
    ----------
    tables : mapping
        ``municipalities``, ``settlements``, ``passport_values``.
    spec : PassportSpec, optional
        Groups, denominators and size classes (default: the shipped passport framework).
    threshold : int, optional
        Default :func:`socialkit.disclosure.resolve_threshold` (0: nothing suppressed).

    Returns
    -------
    PassportPattern
        Memoised on the tables' content, the spec and the threshold.
    """
    spec = spec or read_passport_spec()
    threshold = resolve_threshold() if threshold is None else int(threshold)
    t = {k: tables[k] for k in ("municipalities", "settlements", "passport_values")}
    key = ("passport_pattern", fingerprint(t), spec.model_dump_json(), threshold)
    return memoised(key, lambda: _pattern(t, spec, threshold))


def _codes(frame: pd.DataFrame, cols: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Group code per row (-1 where a key is missing) and the groups' keys, in code order."""
    g = frame.groupby(cols, sort=True, dropna=True, observed=True)
    keys = g.size().index.to_frame(index=False)
    return g.ngroup().to_numpy(), keys


def _sums(codes: np.ndarray, values: np.ndarray, include: np.ndarray, n: int) -> np.ndarray:
    """Sum of ``values`` per code over ``include`` rows; NaN for a code with none."""
    ok = include & (codes >= 0)
    total = np.bincount(codes[ok], weights=values[ok], minlength=n)
    has = np.bincount(codes[ok], minlength=n) > 0
    return np.where(has, total, np.nan)


def _pattern(t: dict[str, pd.DataFrame], spec: PassportSpec, threshold: int) -> PassportPattern:

    mun, st, pv = t["municipalities"], t["settlements"], t["passport_values"]
    rates = settlement_rates(st, pv, spec)
    count = pd.to_numeric(rates["count"]).to_numpy(dtype=float, na_value=np.nan)
    base = pd.to_numeric(rates["base"]).to_numpy(dtype=float, na_value=np.nan)
    has_count = ~np.isnan(count)
    both = has_count & (np.nan_to_num(base) > 0)
    n_s = len(rates)

    # municipal cells: C (all known counts) and N (counts with a base)
    m_code, m_keys = _codes(rates, ["municipality_id", "year", "indicator_id"])
    n_m = len(m_keys)
    c_val = _sums(m_code, count, has_count, n_m)
    n_val = _sums(m_code, count, both, n_m)
    differ = np.bincount(m_code[(m_code >= 0) & has_count & ~both], minlength=n_m) > 0
    # cell positions: settlements, C, separate N (where it differs), regions, peers, totals
    c_pos = n_s + np.arange(n_m)
    n_pos = c_pos.copy()
    extra = np.flatnonzero(differ)
    n_pos[extra] = n_s + n_m + np.arange(extra.size)
    nxt = n_s + n_m + extra.size

    region_of = dict(zip(mun["municipality_id"], mun["region"], strict=True))
    cls = size_class(mun["population"], spec.size_classes)
    class_of = dict(zip(mun["municipality_id"], cls, strict=True))
    mk = m_keys.assign(region=m_keys["municipality_id"].map(region_of),
                       size_class=pd.array(m_keys["municipality_id"].map(class_of),
                                           dtype="Int64"))
    r_code, r_keys = _codes(mk, ["region", "year", "indicator_id"])
    p_code, p_keys = _codes(mk, ["size_class", "year", "indicator_id"])
    v_code, v_keys = _codes(mk, ["year", "indicator_id"])
    has_n = ~np.isnan(n_val)
    r_val = _sums(r_code, np.nan_to_num(n_val), has_n, len(r_keys))
    p_val = _sums(p_code, np.nan_to_num(n_val), has_n, len(p_keys))
    v_val = _sums(v_code, np.nan_to_num(n_val), has_n, len(v_keys))
    r_pos = nxt + np.arange(len(r_keys))
    p_pos = r_pos[-1] + 1 + np.arange(len(p_keys)) if len(r_keys) else nxt + np.arange(
        len(p_keys))
    nxt = nxt + len(r_keys) + len(p_keys)
    v_pos = nxt + np.arange(len(v_keys))              # the data set's total, per year x group
    vp_pos = v_pos + len(v_keys)                     # ... the part in a size class
    total_cells = int(vp_pos[-1] + 1) if len(v_keys) else nxt

    values = np.full(total_cells, np.nan)
    values[:n_s] = count
    values[c_pos] = c_val
    values[n_pos[extra]] = n_val[extra]
    values[r_pos] = r_val
    values[p_pos] = p_val
    values[v_pos] = v_val
    values[vp_pos] = _sums(v_code[p_code >= 0], np.nan_to_num(n_val)[p_code >= 0],
                           has_n[p_code >= 0], len(v_keys)) if len(v_keys) else []
    virtual = np.zeros(total_cells, dtype=bool)
    virtual[v_pos] = True
    virtual[vp_pos] = True

    s_m = m_code
    # settlements -> municipal count C; where N differs, nested: (settlements with a base ->
    # N) and (N + settlements without a base -> C), so no two lines overlap
    in_c = has_count & ~(differ[np.maximum(s_m, 0)] & both)
    c_line = Lines.grouped(np.where(in_c & (s_m >= 0), s_m, -1), c_pos)
    if extra.size:
        c_line = Lines(np.r_[c_line.line, extra], np.r_[c_line.cell, n_pos[extra]],
                       np.r_[c_line.is_total, np.zeros(extra.size, bool)])
    parts = [
        c_line,
        # municipalities' N -> oblast R, -> peer group P
        Lines(np.concatenate([r_code[r_code >= 0], np.arange(len(r_keys))]),
              np.concatenate([n_pos[r_code >= 0], r_pos]),
              np.r_[np.zeros(int((r_code >= 0).sum()), bool), np.ones(len(r_keys), bool)]),
        Lines(np.concatenate([p_code[p_code >= 0], np.arange(len(p_keys))]),
              np.concatenate([n_pos[p_code >= 0], p_pos]),
              np.r_[np.zeros(int((p_code >= 0).sum()), bool), np.ones(len(p_keys), bool)]),
    ]
    if extra.size:  # settlements with a base -> separate N
        line_of = np.full(n_m, -1)
        line_of[extra] = np.arange(extra.size)
        member = np.where(both & (s_m >= 0), line_of[np.maximum(s_m, 0)], -1)
        parts.append(Lines.grouped(member, n_pos[extra]))
    if len(v_keys):
        # V = sum of oblast totals (+ N of municipalities without an oblast)
        rv = _key_code(r_keys, v_keys)
        pv_ = _key_code(p_keys, v_keys)
        no_r = np.flatnonzero((r_code < 0) & (v_code >= 0))
        no_p = np.flatnonzero((p_code < 0) & (v_code >= 0))
        parts.append(Lines(np.concatenate([rv, v_code[no_r], np.arange(len(v_keys))]),
                           np.concatenate([r_pos, n_pos[no_r], v_pos]),
                           np.r_[np.zeros(rv.size + no_r.size, bool),
                                 np.ones(len(v_keys), bool)]))
        # V = (part in a size class) + N of municipalities without one; part = sum of P
        parts.append(Lines(np.concatenate([np.arange(len(v_keys)), v_code[no_p],
                                           np.arange(len(v_keys))]),
                           np.concatenate([vp_pos, n_pos[no_p], v_pos]),
                           np.r_[np.zeros(len(v_keys) + no_p.size, bool),
                                 np.ones(len(v_keys), bool)]))
        parts.append(Lines(np.concatenate([pv_, np.arange(len(v_keys))]),
                           np.concatenate([p_pos, vp_pos]),
                           np.r_[np.zeros(pv_.size, bool), np.ones(len(v_keys), bool)]))
    lines = Lines.concat(parts)
    # the crossed part (oblasts x size classes, tied by the total) is audited exactly
    crossed = np.zeros(lines.n, dtype=bool)
    first_upper = parts[0].n
    crossed[first_upper:first_upper + parts[1].n + parts[2].n] = True
    if len(v_keys):
        crossed[lines.n - parts[-1].n - parts[-2].n - parts[-3].n:] = True
    # a separate municipal numerator is the last choice: hiding it hides the municipal rate
    # and opens the oblast and peer sums (the municipal count is in no other sum)
    cost = np.zeros(total_cells)
    cost[n_pos[extra]] = 1.0
    suppressed, primary = suppress_lines(values, lines, threshold, virtual=virtual,
                                         audit=crossed, cost=cost)

    sett = rates.copy()
    sett["suppressed"] = suppressed[:n_s]
    sett["suppression"] = pd.Series(np.where(primary[:n_s], "primary", np.where(
        suppressed[:n_s], "secondary", None)), index=sett.index, dtype=object)
    munis = m_keys.copy()
    munis["count"] = pd.array(np.where(np.isnan(c_val), None, c_val), dtype="Int64")
    munis["numerator"] = pd.array(np.where(np.isnan(n_val), None, n_val), dtype="Int64")
    munis["count_suppressed"] = suppressed[c_pos]
    munis["rate_suppressed"] = suppressed[n_pos]
    regions = r_keys.assign(numerator=r_val, suppressed=suppressed[r_pos])
    peers = p_keys.assign(numerator=p_val, suppressed=suppressed[p_pos])
    return PassportPattern(sett, munis, regions, peers, threshold)


def _key_code(keys: pd.DataFrame, v_keys: pd.DataFrame) -> np.ndarray:
    """Position in ``v_keys`` (year, indicator_id) of each row of ``keys``."""
    idx = pd.MultiIndex.from_frame(v_keys[["year", "indicator_id"]])
    return idx.get_indexer(pd.MultiIndex.from_frame(keys[["year", "indicator_id"]]))
