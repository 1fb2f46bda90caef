"""Step ``normalise``: bring indicators onto a common scale, higher = better.

Conventions followed
--------------------
COINr ``Normalise()``: each indicator is first multiplied by its iMeta ``Direction`` (so a
−1 indicator is flipped), then the named ``n_*`` function is applied column by column over
the units (per Time in a panel, or over all Times together with ``global: true``, as COINr's
``Normalise.purse(global = TRUE)``). With :math:`x` the direction-adjusted column:

============  =================================================================  ==============
method        formula                                                            COINr
============  =================================================================  ==============
minmax        :math:`(x-\\min)/(\\max-\\min)\\,(u-l)+l`, ``range`` = [l, u] [0,100]  ``n_minmax``
zscore        :math:`(x-\\bar x)/s\\cdot sd + mean`, *s* sample sd (n−1)           ``n_zscore``
rank          ``rank(x, ties = "min")``                                          ``n_rank``
prank         :math:`(r_{min}-1)/(n-1)`, *n* observed values                     ``n_prank``
borda         :math:`r_{min}-1`                                                  ``n_borda``
fracmax       :math:`x/\\max x`                                                   ``n_fracmax``
dist2max      :math:`1-(\\max x - x)/(\\max x - \\min x)`                           ``n_dist2max``
dist2target   :math:`(x-\\min x)/(t\\cdot d-\\min x)`, *t* = iMeta Target, *d* the  ``n_dist2targ``
              Direction; ``cap: true`` sets scores > 1 to 1
goalposts     :math:`(x-l)/(u-l)` (direction 1) or :math:`(x-u)/(l-u)` on the raw  ``n_goalposts``
              values (direction −1), truncated to [0, 1] (``trunc``), × ``scale``
scaled        :math:`(x-l)/(u-l)\\cdot 100` with ``range`` = [l, u] (not minmax)  ``n_scaled``
dist2ref      :math:`1-(x_r - x)/(x_r - \\min x)`, *r* the unit ``ref``; ``cap``    ``n_dist2ref``
============  =================================================================  ==============

Per-indicator parameters: ``indiv: {iCode: {method: borda}}`` (COINr ``indiv_specs``; ``none``
leaves an indicator as it is) and ``use_imeta: true`` (COINr ``f_n_para = "use_iMeta"``: iMeta
columns ``minmax_lower``/``minmax_upper``, ``zscore_mean``/``zscore_sd``,
``goalpost_lower``/``goalpost_upper``/``goalpost_scale``/``goalpost_trunc2posts``,
``dist2targ_cap_max``). Indicators that share parameters are normalised in one array
operation.

Missing values stay missing and do not enter any statistic. A column with no spread gives
NaN for minmax/dist2max (COINr warns and returns NaN).

For ``goalposts`` COINr passes the direction-flipped values together with goalposts
multiplied by the direction; that is algebraically the formula above on the raw values, which
is what we compute.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from ..errors import DataValidationError, Problem
from ..frameworks.index_spec import NORMALISE_METHODS, NormaliseParams
from ._frame import replace_columns, time_groups
from .meta import Framework

__all__ = ["NORMALISERS", "normalise", "normalise_matrix"]

#: ``f(x, params, ctx)`` with ``x`` direction-adjusted, ``ctx`` holding per-indicator extras.
Normaliser = Callable[[np.ndarray, NormaliseParams, dict], np.ndarray]


def _minmax(x: np.ndarray, p: NormaliseParams, ctx: dict) -> np.ndarray:
    lo, hi = np.nanmin(x, axis=0), np.nanmax(x, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (x - lo) / (hi - lo) * (p.range[1] - p.range[0]) + p.range[0]


def _zscore(x: np.ndarray, p: NormaliseParams, ctx: dict) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return (x - np.nanmean(x, axis=0)) / np.nanstd(x, axis=0, ddof=1) * p.sd + p.mean


def _ranks(x: np.ndarray) -> np.ndarray:
    return pd.DataFrame(x).rank(method="min", na_option="keep").to_numpy()


def _rank(x: np.ndarray, p: NormaliseParams, ctx: dict) -> np.ndarray:
    return _ranks(x)


def _prank(x: np.ndarray, p: NormaliseParams, ctx: dict) -> np.ndarray:
    n = (~np.isnan(x)).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (_ranks(x) - 1) / (n - 1)


def _borda(x: np.ndarray, p: NormaliseParams, ctx: dict) -> np.ndarray:
    return _ranks(x) - 1


def _fracmax(x: np.ndarray, p: NormaliseParams, ctx: dict) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return x / np.nanmax(x, axis=0)


def _dist2max(x: np.ndarray, p: NormaliseParams, ctx: dict) -> np.ndarray:
    lo, hi = np.nanmin(x, axis=0), np.nanmax(x, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return 1 - (hi - x) / (hi - lo)


def _dist2target(x: np.ndarray, p: NormaliseParams, ctx: dict) -> np.ndarray:
    targ = ctx["target"] * ctx["direction"]
    lo = np.nanmin(x, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        y = (x - lo) / (targ - lo)
    if p.cap:
        y = np.where(y > 1, 1.0, y)
    return y


def _goalposts(x: np.ndarray, p: NormaliseParams, ctx: dict) -> np.ndarray:
    raw = x * ctx["direction"]
    lo, hi, d = ctx["gp_lower"], ctx["gp_upper"], ctx["direction"]
    with np.errstate(divide="ignore", invalid="ignore"):
        y = np.where(d == -1, (raw - hi) / (lo - hi), (raw - lo) / (hi - lo))
    if p.trunc:
        y = np.clip(y, 0, 1)
    return y * p.scale


def _scaled(x: np.ndarray, p: NormaliseParams, ctx: dict) -> np.ndarray:
    lo, hi = p.range
    return (x - lo) / (hi - lo) * 100


def _dist2ref(x: np.ndarray, p: NormaliseParams, ctx: dict) -> np.ndarray:
    ref = x[ctx["ref_row"]]
    lo = np.nanmin(x, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        y = 1 - (ref - x) / (ref - lo)
    if p.cap:
        y = np.where(y > 1, 1.0, y)
    return y


#: Normalisation methods by name (COINr ``n_*`` functions).
NORMALISERS: dict[str, Normaliser] = {
    "minmax": _minmax,
    "zscore": _zscore,
    "rank": _rank,
    "prank": _prank,
    "borda": _borda,
    "fracmax": _fracmax,
    "dist2max": _dist2max,
    "dist2target": _dist2target,
    "goalposts": _goalposts,
    "scaled": _scaled,
    "dist2ref": _dist2ref,
}
assert tuple(NORMALISERS) == NORMALISE_METHODS, "spec.NORMALISE_METHODS names every method"


_IMETA_PARAMS: dict[str, dict[str, str]] = {
    "minmax": {"minmax_lower": "range.0", "minmax_upper": "range.1"},
    "zscore": {"zscore_mean": "mean", "zscore_sd": "sd"},
    "goalposts": {"goalpost_scale": "scale", "goalpost_trunc2posts": "trunc"},
    "dist2target": {"dist2targ_cap_max": "cap"},
}


def _imeta_value(imeta: pd.DataFrame, code: str, col: str) -> object:
    v = imeta.loc[imeta["iCode"] == code, col]
    return v.iloc[0] if len(v) else None


def _indicator_params(fw: Framework, params: NormaliseParams, imeta: pd.DataFrame | None,
                      source: str) -> list[NormaliseParams | None]:
    """Effective parameters of each indicator (``None`` = left as it is)."""
    out: list[NormaliseParams | None] = []
    unknown = sorted(set(params.indiv) - set(fw.indicators))
    if unknown:
        raise DataValidationError([Problem(source, f"normalise.indiv names '{unknown[0]}', "
                                           "which is not an indicator", column="iCode",
                                           value=unknown[0], expected="an indicator iCode")])
    base = params.model_dump(by_alias=True, exclude={"indiv", "use_imeta"})
    problems: list[Problem] = []
    for code in fw.indicators:
        sub = params.indiv.get(code, {})
        if sub == "none":
            out.append(None)
            continue
        data = base | sub
        if params.use_imeta:
            needed = _IMETA_PARAMS.get(data["method"], {})
            if imeta is None or not set(needed) <= set(imeta.columns):
                problems.append(Problem(source, "use_imeta needs iMeta columns "
                                        + ", ".join(needed), column=", ".join(needed),
                                        expected=f"columns for {data['method']} parameters"))
                break
            rng = list(data["range"])
            for col, key in needed.items():
                v = _imeta_value(imeta, code, col)
                if v is None or (isinstance(v, float) and np.isnan(v)):
                    continue
                if key.startswith("range."):
                    rng[int(key[-1])] = float(v)
                elif key in ("trunc", "cap"):
                    data[key] = str(v).strip().lower() in ("true", "1", "yes")
                else:
                    data[key] = float(v)
            data["range"] = rng
        out.append(NormaliseParams.model_validate(data))
    if problems:
        raise DataValidationError(problems)
    return out


def _context(fw: Framework, params: NormaliseParams, imeta: pd.DataFrame | None,
             source: str, codes: list[str] | None = None) -> dict:
    codes = list(codes if codes is not None else fw.indicators)
    ctx = {"direction": np.array([fw.direction[c] for c in codes], dtype=float)}
    problems: list[Problem] = []
    if params.method == "dist2target":
        ctx["target"] = np.array([fw.target.get(c, np.nan) for c in codes], dtype=float)
        for c, v in zip(codes, ctx["target"], strict=True):
            if np.isnan(v):
                problems.append(Problem(source, f"indicator '{c}' has no Target",
                                        column="Target", value=c,
                                        expected="a Target for dist2target normalisation"))
    if params.method == "goalposts":
        given = params.goalposts or {}
        lo, hi = [], []
        for c in codes:
            if c in given:
                lo.append(given[c][0])
                hi.append(given[c][1])
                continue
            row = None
            if imeta is not None and {"goalpost_lower", "goalpost_upper"} <= set(imeta.columns):
                row = imeta.loc[imeta["iCode"] == c, ["goalpost_lower", "goalpost_upper"]]
            vals = (pd.to_numeric(row.iloc[0], errors="coerce").to_numpy(dtype=float)
                    if row is not None and len(row) else np.array([np.nan, np.nan]))
            if np.isnan(vals).any():
                problems.append(Problem(source, f"indicator '{c}' has no goalposts",
                                        column="goalpost_lower", value=c,
                                        expected="normalise.goalposts.<iCode>: [low, high] or "
                                        "iMeta columns goalpost_lower/goalpost_upper"))
            lo.append(vals[0])
            hi.append(vals[1])
        ctx["gp_lower"], ctx["gp_upper"] = np.array(lo, float), np.array(hi, float)
    if problems:
        raise DataValidationError(problems)
    return ctx


def normalise_matrix(x: np.ndarray, fw: Framework, params: NormaliseParams,
                     imeta: pd.DataFrame | None = None, source: str = "iMeta",
                     pooled_groups: list[np.ndarray] | None = None,
                     units: np.ndarray | None = None) -> np.ndarray:
    """Normalise a units × indicators matrix (columns in ``fw.indicators`` order).

    Indicators sharing effective parameters are normalised together (one array operation);
    ``pooled_groups`` are the row sets normalised separately (default: all rows together);
    ``units`` (the uCode of each row) is needed by ``dist2ref``.
    """
    plans = _indicator_params(fw, params, imeta, source)
    groups: dict[str, list[int]] = {}
    for j, p in enumerate(plans):
        groups.setdefault("none" if p is None else p.model_dump_json(), []).append(j)
    rows = pooled_groups if pooled_groups is not None else [np.arange(x.shape[0])]
    y = np.full_like(x, np.nan, dtype=float)
    codes = list(fw.indicators)
    for js in groups.values():
        p = plans[js[0]]
        if p is None:
            y[:, js] = x[:, js]
            continue
        ctx = _context(fw, p, imeta, source, [codes[j] for j in js])
        func = NORMALISERS[p.method]
        for idx in rows:
            local = ctx
            if p.method == "dist2ref":
                local = ctx | {"ref_row": _ref_row(p.ref, units, idx, source)}
            y[np.ix_(idx, js)] = func(x[np.ix_(idx, js)] * ctx["direction"], p, local)
    return y


def _ref_row(ref: str | None, units: np.ndarray | None, idx: np.ndarray, source: str) -> int:
    if not ref:
        raise DataValidationError([Problem(source, "dist2ref needs 'ref' (the uCode of the "
                                           "reference unit)", expected="normalise.ref")])
    hits = [] if units is None else np.flatnonzero(np.asarray(units)[idx] == ref)
    if len(hits) == 0:
        raise DataValidationError([Problem(source, f"reference unit '{ref}' of dist2ref is "
                                           "not in the data", column="uCode", value=ref,
                                           expected="a uCode of the (screened) data")])
    return int(hits[0])


def normalise(data: pd.DataFrame, fw: Framework, params: NormaliseParams | None = None,
              imeta: pd.DataFrame | None = None, source: str = "iMeta") -> pd.DataFrame:
    """Return a copy of ``data`` with normalised indicator columns.

    Parameters
    ----------
    data : pandas.DataFrame
        Working data.
    fw : Framework
        The index tree (directions, targets).
    params : NormaliseParams
        ``method`` and its parameters; ``global`` pools all Times.
    imeta : pandas.DataFrame, optional
        Needed for goalposts given as iMeta columns.

    Examples
    --------
    >>> import pandas as pd
    >>> from socialkit.index.meta import Framework
    >>> fw = Framework(("x", "y"), {1: ("x", "y")}, {}, {}, {"x": 1, "y": -1}, {}, {}, {}, ())
    >>> df = pd.DataFrame({"uCode": list("abc"), "x": [1.0, 2.0, 5.0], "y": [1.0, 2.0, 5.0]})
    >>> out = normalise(df, fw)
    >>> out["x"].tolist(), out["y"].tolist()
    ([0.0, 25.0, 100.0], [100.0, 75.0, 0.0])
    """
    params = params or NormaliseParams()
    cols = list(fw.indicators)
    x = data[cols].to_numpy(dtype=float)
    y = normalise_matrix(x, fw, params, imeta, source,
                         list(time_groups(data, pooled=params.global_)),
                         data["uCode"].astype(str).to_numpy())
    return replace_columns(data, cols, y)
