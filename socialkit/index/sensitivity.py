"""Uncertainty and sensitivity analysis: re-run the index many times, varying chosen steps.

Conventions followed
--------------------
COINr ``get_sensitivity()``:

* Each uncertain input is sampled as a uniform number :math:`u \\in [0, 1)` mapped to one of
  its alternatives, :math:`\\lfloor u k \\rfloor` (COINr: ``ceiling(u * k)``, 1-based). Inputs:
  ``normalise`` (list of methods or parameter mappings), ``aggregate`` (list of methods),
  ``impute`` (``[true, false]``: imputation on/off; off keeps gaps, which aggregation skips),
  ``weights`` (``{"noise": f}`` or ``{"noise": {level: f}}``: COINr ``get_noisy_weights``,
  ``n`` noisy weight sets are drawn beforehand, each weight of the given levels becomes
  :math:`w + (2U - 1) f w`, and :math:`u` picks one set).
* ``uncertainty``: ``n`` runs from a random sample; per unit the nominal rank, median rank and
  the 5 % and 95 % quantiles of its rank (R ``quantile`` type 7 = numpy ``linear``).
* ``sensitivity``: COINr ``SA_sample``/``SA_estimate``, the Saltelli et al. (2010) design with matrices A, B and :math:`A_B^{(i)}`
  (``n (d + 2)`` runs; rank statistics from the A and B runs only, as COINr). Output :math:`Y` = mean absolute rank change of the target aggregate
  against the nominal ranks (COINr's sensitivity output). With :math:`V = \\mathrm{Var}(Y_A,
  Y_B)`, first order :math:`S_i = \\frac{1}{n V}\\sum_j Y_B^j (Y_{A_B^{(i)}}^j - Y_A^j)`
  (Saltelli 2010) and total :math:`S_{Ti} = \\frac{1}{2 n V}\\sum_j (Y_A^j -
  Y_{A_B^{(i)}}^j)^2` (Jansen 1999), :math:`V` the sample variance (n − 1); 5–95 % intervals
  from ``n_boot`` bootstrap resamples of each input's terms (V fixed), as COINr.

Speed: the data up to normalisation is built once per (imputation, normalisation)
alternative with :func:`~socialkit.index.build`; then every run is only an aggregation,
done for all runs of a configuration at once with matrix products (quasi-arithmetic means
:math:`\\varphi^{-1}(\\sum w \\varphi(x) / \\sum w)`, missing children skipped).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError

from ..errors import FrameworkError, SocialkitError
from ..frameworks.index_spec import AggregateParams, NormaliseParams, Spec
from .aggregate import AGGREGATORS, aggregate_values, resolve_methods
from .build import build

__all__ = ["UncertaintyResult", "nanquantile_columns", "rank_rows", "sa_estimate", "sensitivity",
           "uncertainty"]

_PHI = {
    "amean": (lambda x, p: x, lambda y, p: y),
    "gmean": (lambda x, p: np.log(x), lambda y, p: np.exp(y)),
    "hmean": (lambda x, p: 1.0 / x, lambda y, p: 1.0 / y),
    "genmean": (lambda x, p: x**p, lambda y, p: y ** (1.0 / p)),
}


@dataclass
class UncertaintyResult:
    """Outcome of :func:`uncertainty` or :func:`sensitivity`.

    Attributes
    ----------
    summary : pandas.DataFrame
        Per unit: ``uCode, uName, nominal_score, nominal_rank, median_rank, q05_rank,
        q95_rank, mean_rank``.
    ranks : pandas.DataFrame
        Runs × units matrix of ranks of the target (columns are uCodes).
    runs : pandas.DataFrame
        One row per run: the alternative chosen for every uncertain input, and ``Y`` (mean
        absolute rank change).
    indices : pandas.DataFrame or None
        ``sensitivity`` only: per input ``Si, Si_q05, Si_q95, STi, STi_q05, STi_q95``.
    target : str
    variance : float or None
        ``sensitivity`` only: the output variance :math:`V` the indices are divided by
        (COINr ``get_sensitivity()$Variance`` / ``SA_estimate()$Variance``).
    """

    summary: pd.DataFrame
    ranks: pd.DataFrame
    runs: pd.DataFrame
    target: str
    indices: pd.DataFrame | None = None
    inputs: dict[str, list[Any]] = field(default_factory=dict)
    variance: float | None = None


def rank_rows(scores: np.ndarray) -> np.ndarray:
    """Descending ranks with ties min, NaN kept, for each row of a 2-D array.

    >>> rank_rows(np.array([[1.0, 3.0, 3.0, np.nan]])).tolist()
    [[3.0, 1.0, 1.0, nan]]
    """
    scores = np.atleast_2d(scores)
    out = np.full(scores.shape, np.nan)
    for r in range(scores.shape[0]):
        x = -scores[r]
        ok = ~np.isnan(x)
        srt = np.sort(x[ok])
        out[r, ok] = np.searchsorted(srt, x[ok], side="left") + 1
    return out


def _alternatives(vary: dict[str, Any], n_weight_sets: int, fw, rng,
                  base_weights: dict[str, float] | None = None,
                  source: str = "vary") -> dict[str, list[Any]]:
    """Validated alternatives per uncertain input; errors name ``source`` and the key."""
    if not isinstance(vary, dict) or not vary:
        raise FrameworkError(source, "expected a mapping of inputs to their alternatives, "
                             "e.g. {normalise: [minmax, zscore]}")
    alts: dict[str, list[Any]] = {}
    for name, val in vary.items():
        if name not in ("normalise", "aggregate", "impute", "weights"):
            raise FrameworkError(source, f"cannot vary '{name}'; expected normalise, aggregate, "
                                 "impute or weights", key=str(name))
        if name == "weights":
            if not isinstance(val, dict) or "noise" not in val:
                raise FrameworkError(source, "expected {noise: f} or {noise: {level: f}}",
                                     key="weights")
            alts[name] = _noisy_weights(fw, val, n_weight_sets, rng, base_weights, source)
            continue
        if not isinstance(val, list | tuple) or not val:
            raise FrameworkError(source, "expected a non-empty list of alternatives", key=name)
        if name == "normalise":
            alts[name] = []
            for i, v in enumerate(val):
                try:
                    alts[name].append(NormaliseParams.model_validate(
                        {"method": v} if isinstance(v, str) else v))
                except ValidationError as exc:
                    err = exc.errors()[0]
                    raise FrameworkError(source, err["msg"].removeprefix("Value error, "),
                                         key=f"normalise[{i}]") from None
        elif name == "aggregate":
            for i, v in enumerate(val):
                if v not in AGGREGATORS:
                    raise FrameworkError(source, f"unknown aggregation method '{v}'; expected "
                                         "one of " + ", ".join(AGGREGATORS),
                                         key=f"aggregate[{i}]")
            alts[name] = list(val)
        else:
            for i, v in enumerate(val):
                if not isinstance(v, bool):
                    raise FrameworkError(source, f"expected true or false, got {v!r}",
                                         key=f"impute[{i}]")
            alts[name] = list(val)
    return alts


def _noisy_weights(fw, val: Any, n_sets: int, rng: np.random.Generator,
                   base_weights: dict[str, float] | None = None,
                   source: str = "vary") -> list[dict]:
    """COINr ``get_noisy_weights``: :math:`w (1 + f (2U - 1))` for the levels given.

    ``base_weights`` are the nominal weights (the spec's weights step, else iMeta).
    """
    noise = val.get("noise", 0.25) if isinstance(val, dict) else val
    levels = {lev for lev in fw.levels if lev < fw.n_levels}
    try:
        spec = ({int(k): float(v) for k, v in noise.items()} if isinstance(noise, dict)
                else dict.fromkeys(levels, float(noise)))
    except (TypeError, ValueError):
        raise FrameworkError(source, f"noise must be a number or {{level: number}}, got "
                             f"{noise!r}", key="weights.noise") from None
    for lev, f in spec.items():
        if lev not in levels or not 0 <= f:
            raise FrameworkError(source, f"noise for level {lev} is invalid; expected levels "
                                 f"{sorted(levels)} and factors ≥ 0", key=f"weights.noise.{lev}")
    codes = list(fw.weight)
    level_of = {c: lev for lev, cs in fw.levels.items() for c in cs}
    nominal = base_weights or fw.weight
    base = np.array([nominal.get(c, fw.weight[c]) for c in codes])
    factor = np.array([spec.get(level_of[c], 0.0) for c in codes])
    u = rng.random((n_sets, base.size))
    noisy = base + (u * 2 - 1) * factor * base
    return [dict(zip(codes, row, strict=True)) for row in noisy]


class _Engine:
    """Pre-built normalised matrices and a batched aggregator."""

    def __init__(self, idata, imeta, spec: Spec, target: str | None,
                 time: str | None = None):
        self.idata, self.imeta, self.spec = idata, imeta, spec
        self.nominal = build(idata, imeta, spec)
        self.fw = self.nominal.framework
        if self.fw.n_levels < 2:
            raise SocialkitError("uncertainty needs an index with at least one aggregate")
        self.target = target or self.fw.levels[self.fw.n_levels][0]
        if self.target not in self.fw.aggregates:
            raise SocialkitError(f"uncertainty: '{self.target}' is not an aggregate")
        res = self.nominal.results
        self.all_units = res["uCode"].tolist()
        self.rows = np.arange(len(res))
        if "Time" in res:
            times = sorted(res["Time"].astype(str).unique())
            if time is None and len(times) > 1:
                raise SocialkitError("uncertainty: the data is a panel; choose the Time to "
                                     "analyse (time=…; one of " + ", ".join(times) + ")")
            if time is not None:
                if str(time) not in times:
                    raise SocialkitError(f"uncertainty: Time '{time}' is not in the data; "
                                         "expected one of " + ", ".join(times))
                self.rows = np.flatnonzero(res["Time"].astype(str).to_numpy() == str(time))
        self.results = res.iloc[self.rows].reset_index(drop=True)
        self.units = self.results["uCode"].tolist()
        self.nominal_scores = self.results[self.target].to_numpy(dtype=float)
        self.nominal_ranks = rank_rows(self.nominal_scores)[0]
        self.agg = spec.params("aggregate") or AggregateParams()
        self._cache: dict[tuple, np.ndarray] = {}

    def matrix(self, impute_on: bool | None, norm: NormaliseParams | None) -> np.ndarray:
        key = (impute_on, None if norm is None else norm.model_dump_json())
        if key not in self._cache:
            spec = self.spec
            if impute_on is False:
                spec = spec.without("impute")
            elif impute_on is True and spec.params("impute") is None:
                spec = spec.replace("impute")
            if norm is not None:
                spec = spec.replace("normalise", **norm.model_dump(by_alias=True))
            spec = Spec([(n, p) for n, p in spec.steps if n not in ("aggregate", "weights")],
                        spec.weight_sets)
            res = build(self.idata, self.imeta, spec)
            if res.final()["uCode"].tolist() != self.all_units:
                raise SocialkitError("uncertainty: varying the steps changed the set of units "
                                     "(put screen before impute)")
            x = res.final()[list(self.fw.indicators)].to_numpy(dtype=float)
            # normalised on the whole panel (global or per Time), analysed for one Time
            self._cache[key] = x[self.rows]
        return self._cache[key]

    def scores(self, x: np.ndarray, method: str | None, w: np.ndarray) -> np.ndarray:
        """Target scores for runs sharing ``x`` and ``method``; ``w`` is runs × all iCodes."""
        fw = self.fw
        codes = list(fw.weight)
        col = {c: i for i, c in enumerate(codes)}
        plan = resolve_methods(self.agg, fw, method)
        runs = w.shape[0]
        vals: dict[str, np.ndarray] = {c: x[:, j] for j, c in enumerate(fw.indicators)}
        shared = True  # values identical across runs (level 1)
        for lev in range(2, fw.n_levels + 1):
            new = {}
            for code in fw.levels[lev]:
                m, th = plan[code]
                kids = fw.children[code]
                wk = w[:, [col[k] for k in kids]]
                if m not in _PHI:
                    new[code] = self._slow(vals, kids, wk, m, shared)
                    continue
                fwd, inv = _PHI[m]
                if shared:
                    xk = np.column_stack([vals[k] for k in kids])
                    _check_domain(xk, m, code, self.agg.p)
                    mask = ~np.isnan(xk)
                    with np.errstate(divide="ignore", invalid="ignore"):
                        phi = np.where(mask, fwd(xk, self.agg.p), 0.0)
                    # einsum, not BLAS: small products, no thread start-up on busy machines
                    num = np.einsum("rc,nc->rn", wk, phi)
                    den = np.einsum("rc,nc->rn", wk, mask.astype(float))
                    avail = mask.mean(axis=1)[None, :]
                else:
                    xk = np.stack([vals[k] for k in kids], axis=2)
                    _check_domain(xk, m, code, self.agg.p)
                    mask = ~np.isnan(xk)
                    with np.errstate(divide="ignore", invalid="ignore"):
                        num = np.einsum("rnc,rc->rn", np.where(mask, fwd(xk, self.agg.p), 0.0),
                                        wk)
                    den = np.einsum("rnc,rc->rn", mask.astype(float), wk)
                    avail = mask.mean(axis=2)
                with np.errstate(divide="ignore", invalid="ignore"):
                    y = np.where(den > 0, inv(num / den, self.agg.p), np.nan)
                if th is not None:
                    y = np.where(avail < th, np.nan, y)
                new[code] = y
            vals = {**vals, **new}
            shared = False
            vals = {c: (np.broadcast_to(v, (runs, v.shape[-1])) if v.ndim == 1 else v)
                    for c, v in vals.items()}
        return vals[self.target]

    def _slow(self, vals, kids, wk, method, shared) -> np.ndarray:
        runs = wk.shape[0]
        out = []
        for r in range(runs):
            xk = np.column_stack([vals[k] if vals[k].ndim == 1 else vals[k][r] for k in kids])
            weights = dict(zip(kids, wk[r], strict=True))
            res = aggregate_values({k: xk[:, i] for i, k in enumerate(kids)},
                                   _single(kids), AggregateParams(method=method, p=self.agg.p),
                                   weights)
            out.append(res["_"])
        return np.vstack(out)


def _single(kids):
    from .meta import Framework

    return Framework(tuple(kids), {1: tuple(kids), 2: ("_",)}, {"_": tuple(kids)},
                     {**{k: "_" for k in kids}, "_": None}, {}, {}, {}, {}, ())


def _check_domain(x: np.ndarray, method: str, code: str, p: float = 2.0) -> None:
    bad = {"gmean": x <= 0, "hmean": x == 0,
           "genmean": (x <= 0) if p < 0 else np.zeros_like(x, dtype=bool)}.get(method)
    if bad is not None and np.any(bad & ~np.isnan(x)):
        raise SocialkitError(f"uncertainty: aggregate '{code}' with {method} meets values "
                             "outside its domain; use a normalisation onto a positive range")


def _evaluate(engine: _Engine, alts: dict[str, list[Any]], u: np.ndarray) -> np.ndarray:
    """Target scores (runs × units) for the sample matrix ``u`` (runs × inputs)."""
    names = list(alts)
    choice = {nm: np.minimum((u[:, i] * len(alts[nm])).astype(int), len(alts[nm]) - 1)
              for i, nm in enumerate(names)}
    runs = u.shape[0]
    base_w = np.array(list(engine.fw.weight.values()), dtype=float)
    w_all = np.tile(base_w, (runs, 1))
    if "weights" in alts:
        sets = np.array([list(ws.values()) for ws in alts["weights"]])
        w_all = sets[choice["weights"]]
    if engine.nominal.weights:
        nominal_w = np.array([engine.nominal.weights[c] for c in engine.fw.weight])
        if "weights" not in alts:
            w_all = np.tile(nominal_w, (runs, 1))
    keys = {
        "impute": lambda r: alts["impute"][choice["impute"][r]] if "impute" in alts else None,
        "normalise": lambda r: choice["normalise"][r] if "normalise" in alts else -1,
        "aggregate": lambda r: alts["aggregate"][choice["aggregate"][r]]
        if "aggregate" in alts else None,
    }
    configs: dict[tuple, list[int]] = {}
    for r in range(runs):
        configs.setdefault((keys["impute"](r), keys["normalise"](r), keys["aggregate"](r)),
                           []).append(r)
    out = np.full((runs, len(engine.units)), np.nan)
    for (imp, ni, agg), rows in configs.items():
        norm = alts["normalise"][ni] if ni >= 0 else None
        x = engine.matrix(imp, norm)
        out[rows] = engine.scores(x, agg, w_all[rows])
    return out


def nanquantile_columns(a: np.ndarray, q: list[float]) -> np.ndarray:
    """``np.nanquantile(a, q, axis=0)`` (R ``quantile`` type 7, NaN left out), vectorised.

    NumPy computes a column with a NaN on its own (``apply_along_axis``), ~50 µs a column.
    Here the columns with the same number of NaNs are sorted together (NaN last) and their
    non-missing values handed to ``np.quantile`` at once: the same order statistics and the
    same interpolation, so the values are identical; all-NaN columns give NaN (no warning).

    >>> a = np.array([[1.0, np.nan], [2.0, 5.0], [4.0, 7.0]])
    >>> nanquantile_columns(a, [0.5]).tolist()
    [[2.0, 6.0]]
    """
    a = np.asarray(a, dtype=float)
    out = np.full((len(q), a.shape[1]), np.nan)
    missing = np.isnan(a).sum(axis=0)
    for m in np.unique(missing):
        cols = np.flatnonzero(missing == m)
        keep = a.shape[0] - int(m)
        if keep == 0:
            continue
        block = a[:, cols]
        if m:
            block = np.sort(block, axis=0)[:keep]
        out[:, cols] = np.quantile(block, q, axis=0)
    return out


def _summary(engine: _Engine, ranks: np.ndarray) -> pd.DataFrame:
    res = engine.results
    q = nanquantile_columns(ranks, [0.05, 0.5, 0.95])
    return pd.DataFrame({
        "uCode": res["uCode"], "uName": res["uName"],
        "nominal_score": engine.nominal_scores, "nominal_rank": engine.nominal_ranks,
        "median_rank": q[1], "q05_rank": q[0], "q95_rank": q[2],
        "mean_rank": np.nanmean(ranks, axis=0),
    })


def _runs_frame(alts, u, y) -> pd.DataFrame:
    cols = {}
    for i, nm in enumerate(alts):
        idx = np.minimum((u[:, i] * len(alts[nm])).astype(int), len(alts[nm]) - 1)
        if nm == "normalise":
            cols[nm] = [alts[nm][j].method for j in idx]
        elif nm == "weights":
            cols[nm] = idx
        else:
            cols[nm] = [alts[nm][j] for j in idx]
    return pd.DataFrame(cols | {"Y": y})


def _y(engine: _Engine, ranks: np.ndarray) -> np.ndarray:
    return np.nanmean(np.abs(ranks - engine.nominal_ranks[None, :]), axis=1)


def uncertainty(idata: pd.DataFrame, imeta: pd.DataFrame,
                spec: Spec | dict | str | Path | None = None, *,
                vary: dict[str, Any], n: int = 1000, seed: int = 0,
                target: str | None = None, time: str | None = None,
                vary_source: str = "vary") -> UncertaintyResult:
    """Re-run the index ``n`` times with randomly chosen alternatives.

    Parameters
    ----------
    idata, imeta, spec
        As for :func:`~socialkit.index.build` (the spec gives the nominal index).
    vary : dict
        ``{"normalise": ["minmax", "zscore"], "aggregate": ["amean", "gmean"],
        "impute": [true, false], "weights": {"noise": 0.25}}`` (any subset).
    n : int
        Number of runs.
    seed : int
        Random seed (same seed → same result).
    target : str, optional
        Aggregate whose ranks are analysed (default: the top one).
    vary_source : str
        Name of the file ``vary`` came from, for error messages.
    time : str, optional
        In a panel, the Time analysed (required when there are several); normalisation still
        runs as the spec says (per Time or ``global``).

    Returns
    -------
    UncertaintyResult
    """
    if n < 1:
        raise SocialkitError("uncertainty: n must be at least 1")
    engine = _Engine(idata, imeta, Spec.coerce(spec), target, time)
    rng = np.random.default_rng(seed)
    alts = _alternatives(vary, n, engine.fw, rng, engine.nominal.weights, vary_source)
    u = rng.random((n, len(alts)))
    ranks = rank_rows(_evaluate(engine, alts, u))
    return UncertaintyResult(summary=_summary(engine, ranks),
                             ranks=pd.DataFrame(ranks, columns=engine.units),
                             runs=_runs_frame(alts, u, _y(engine, ranks)),
                             target=engine.target, inputs=alts)


def sensitivity(idata: pd.DataFrame, imeta: pd.DataFrame,
                spec: Spec | dict | str | Path | None = None, *,
                vary: dict[str, Any], n: int = 100, seed: int = 0, n_boot: int = 1000,
                target: str | None = None, time: str | None = None,
                vary_source: str = "vary") -> UncertaintyResult:
    """Variance-based sensitivity indices of the inputs in ``vary`` (``n (d + 2)`` runs).

    Returns an :class:`UncertaintyResult` whose ``indices`` has one row per input with
    ``Si``, ``STi`` and their 5–95 % bootstrap intervals (see module notes for formulas).
    """
    if n < 2:
        raise SocialkitError("sensitivity: n must be at least 2")
    engine = _Engine(idata, imeta, Spec.coerce(spec), target, time)
    rng = np.random.default_rng(seed)
    alts = _alternatives(vary, n, engine.fw, rng, engine.nominal.weights, vary_source)
    d = len(alts)
    a, b = rng.random((n, d)), rng.random((n, d))
    abs_ = []
    for i in range(d):
        m = a.copy()
        m[:, i] = b[:, i]
        abs_.append(m)
    u = np.vstack([a, b, *abs_])
    ranks = rank_rows(_evaluate(engine, alts, u))
    y = _y(engine, ranks)
    variance, indices = sa_estimate(y, n, d, n_boot, rng, return_variance=True)
    indices.insert(0, "input", list(alts))
    return UncertaintyResult(summary=_summary(engine, ranks[: 2 * n]),
                             ranks=pd.DataFrame(ranks, columns=engine.units),
                             runs=_runs_frame(alts, u, y), target=engine.target,
                             indices=indices, inputs=alts, variance=variance)


def sa_estimate(y: np.ndarray, n: int, d: int, n_boot: int = 0,
                rng: np.random.Generator | None = None, *, return_variance: bool = False
                ) -> pd.DataFrame | tuple[float, pd.DataFrame]:
    """COINr ``SA_estimate``: first-order and total indices from an ``n (d + 2)`` design.

    Returns the indices frame; with ``return_variance`` the pair ``(V, indices)``, which is
    COINr's ``list(Variance, SensInd)``.

    ``y`` holds the outputs of A (first ``n``), B (next ``n``) and each :math:`A_B^{(i)}`.
    :math:`V` is the sample variance (n − 1) of :math:`(Y_A, Y_B)`; bootstrap resamples each
    input's terms with replacement keeping :math:`V` fixed, and reports the 5 % and 95 %
    quantiles, as COINr does.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> a, b = rng.random((4000, 2)), rng.random((4000, 2))
    >>> f = lambda x: x[:, 0] + 0.1 * x[:, 1]
    >>> abi = [np.column_stack([b[:, 0], a[:, 1]]), np.column_stack([a[:, 0], b[:, 1]])]
    >>> out = sa_estimate(np.concatenate([f(a), f(b), *map(f, abi)]), 4000, 2)
    >>> [round(v, 1) for v in out["STi"]]
    [1.0, 0.0]
    """
    y = np.asarray(y, dtype=float)
    if y.size != n * (d + 2):
        raise SocialkitError(f"sa_estimate: expected {n * (d + 2)} outputs, got {y.size}")
    ya, yb = y[:n], y[n:2 * n]
    yab = y[2 * n:].reshape(d, n)
    v = np.var(np.concatenate([ya, yb]), ddof=1)
    si_terms = yb[None, :] * (yab - ya[None, :])
    st_terms = ya[None, :] - yab
    with np.errstate(divide="ignore", invalid="ignore"):
        out = pd.DataFrame({"Si": si_terms.mean(axis=1) / v,
                            "STi": (st_terms**2).sum(axis=1) / (2 * n * v)})
        if n_boot and not (np.isfinite(v) and v > 0):
            # The output never varies (e.g. the target's rank is the same in every run): every
            # index is 0/0, so every bootstrap quantile is undefined too, as in COINr.
            for col in ("Si_q05", "Si_q95", "STi_q05", "STi_q95"):
                out[col] = np.nan
        elif n_boot:
            rng = rng or np.random.default_rng(0)
            idx = rng.integers(0, n, size=(n_boot, d, n))
            rows = np.arange(d)[None, :, None]
            si_b = si_terms[rows, idx].mean(axis=2) / v
            st_b = (st_terms[rows, idx] ** 2).sum(axis=2) / (2 * n * v)
            out["Si_q05"] = np.nanquantile(si_b, 0.05, axis=0)
            out["Si_q95"] = np.nanquantile(si_b, 0.95, axis=0)
            out["STi_q05"] = np.nanquantile(st_b, 0.05, axis=0)
            out["STi_q95"] = np.nanquantile(st_b, 0.95, axis=0)
    return (float(v), out) if return_variance else out

