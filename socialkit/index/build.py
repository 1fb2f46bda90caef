"""Run a spec: the steps in order, each stage recorded, results ranked.

Conventions followed
--------------------
COINr's coin + ``Regen()``: every step is a pure function of the previous data set; the spec
that ran is stored in the result so ``build(idata, imeta, res.spec)`` regenerates it. Ranks
are COINr ``rank(-x, ties.method = "min", na.last = "keep")``: descending, ties share the
lowest rank, missing stays missing; in a panel units are ranked within each Time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..frameworks.index_spec import AggregateParams, Spec
from ._frame import id_columns, stage_frame, time_groups
from ._stats import rank_min
from .aggregate import aggregate, aggregate_values
from .denominate import denominate
from .impute import impute
from .meta import Framework, framework, validate_data, validate_meta
from .normalise import normalise
from .screen import screen
from .treat import empty_treatment, treat
from .weights import resolve_weights

__all__ = ["STAGES", "IndexResult", "build", "rank_results"]

#: Stage name written by each step (``weights`` changes weights, not data).
STAGES: dict[str, str] = {
    "denominate": "denominated",
    "impute": "imputed",
    "screen": "screened",
    "treat": "treated",
    "normalise": "normalised",
    "aggregate": "aggregated",
}


@dataclass
class IndexResult:
    """Everything a build produced.

    Attributes
    ----------
    stages : dict
        ``{"denominated" | "imputed" | "screened" | "treated" | "normalised" | "aggregated":
        frame}`` for the steps that ran; each frame has ``uCode`` first (then ``Time`` in a
        panel) and one column per iCode present at that stage.
    results : pandas.DataFrame
        ``uCode, uName, [Time]``, one score column per aggregate (top level first) then
        ``<iCode>_rank`` columns.
    treatment : pandas.DataFrame
        One row per indicator (per Time): skew/kurtosis before and after, points winsorised,
        whether logged (empty if no treat step).
    spec : Spec
        The spec that ran.
    imeta : pandas.DataFrame
        The validated metadata.
    weights : dict
        ``{iCode: weight}`` used by the aggregation.
    screened_out : pandas.DataFrame
        Units removed by ``screen`` with their data availability.
    framework : Framework
        The index tree.
    data : pandas.DataFrame
        The validated input iData.
    """

    stages: dict[str, pd.DataFrame]
    results: pd.DataFrame
    treatment: pd.DataFrame
    spec: Spec
    imeta: pd.DataFrame
    weights: dict[str, float] = field(default_factory=dict)
    screened_out: pd.DataFrame = field(default_factory=pd.DataFrame)
    framework: Framework | None = None
    data: pd.DataFrame = field(default_factory=pd.DataFrame)

    def final(self) -> pd.DataFrame:
        """The last stage that ran."""
        return list(self.stages.values())[-1]


@dataclass
class _State:
    data: pd.DataFrame
    fw: Framework
    imeta: pd.DataFrame
    spec: Spec
    weights: dict[str, float]
    treatment: pd.DataFrame
    screened_out: pd.DataFrame
    source: str


def _do_denominate(st: _State, p) -> None:
    st.data = denominate(st.data, st.fw, p)


def _do_impute(st: _State, p) -> None:
    st.data = impute(st.data, st.fw, p, source=st.source)


def _do_screen(st: _State, p) -> None:
    st.data, st.screened_out = screen(st.data, st.fw, p)


def _do_treat(st: _State, p) -> None:
    st.data, st.treatment = treat(st.data, st.fw, p)


def _do_normalise(st: _State, p) -> None:
    st.data = normalise(st.data, st.fw, p, imeta=st.imeta)


def _do_weights(st: _State, p) -> None:
    agg = st.spec.params("aggregate") or AggregateParams()
    groups = list(time_groups(st.data))

    def values(level: int, w: dict[str, float]) -> dict[str, np.ndarray]:
        base = {c: st.data[c].to_numpy(dtype=float) for c in st.fw.indicators}
        vals = aggregate_values(base, st.fw, agg, w, groups, upto=level) if level > 1 else base
        return {c: vals[c] for c in st.fw.levels[level]}

    st.weights = resolve_weights(st.fw, p, st.spec.weight_sets, values)


def _do_aggregate(st: _State, p) -> None:
    st.data = aggregate(st.data, st.fw, p, st.weights)


_STEP_RUNNERS: dict[str, Callable[[_State, object], None]] = {
    "denominate": _do_denominate,
    "impute": _do_impute,
    "screen": _do_screen,
    "treat": _do_treat,
    "normalise": _do_normalise,
    "weights": _do_weights,
    "aggregate": _do_aggregate,
}


def rank_results(data: pd.DataFrame, fw: Framework) -> pd.DataFrame:
    """Scores and ranks of every aggregate present in ``data`` (top level first)."""
    keys = id_columns(data)
    out = data[keys[:1] + (["uName"] if "uName" in data else []) + keys[1:]].reset_index(
        drop=True).copy()
    if "uName" not in out:
        out.insert(1, "uName", out["uCode"])
    codes = [c for lev in sorted(fw.levels, reverse=True) if lev > 1 for c in fw.levels[lev]
             if c in data.columns]
    scores = {c: data[c].to_numpy(dtype=float) for c in codes}
    ranks = {}
    for c in codes:
        r = np.full(len(data), np.nan)
        for idx in time_groups(data):
            r[idx] = rank_min(scores[c][idx], descending=True)
        ranks[f"{c}_rank"] = pd.array(r, dtype="Int64")
    return pd.concat([out, pd.DataFrame(scores), pd.DataFrame(ranks)], axis=1)


def build(idata: pd.DataFrame, imeta: pd.DataFrame,
          spec: Spec | dict | str | Path | None = None,
          source: str = "iData", meta_source: str = "iMeta") -> IndexResult:
    """Build a composite index: run the spec's steps on ``idata`` and rank the aggregates.

    Parameters
    ----------
    idata : pandas.DataFrame
        COINr iData: ``uCode``, ``uName``, optional group columns, optional ``Time``,
        denominator columns, indicator columns. Not modified.
    imeta : pandas.DataFrame
        COINr iMeta (validated here, see :func:`~socialkit.index.meta.validate_meta`).
    spec : Spec, dict, str, Path or None
        Steps to run (``None``: :data:`~socialkit.frameworks.index_spec.DEFAULT_STEPS`).
    source, meta_source : str
        Names used in error messages (file paths when read from disk).

    Returns
    -------
    IndexResult

    Examples
    --------
    >>> import pandas as pd
    >>> idata = pd.DataFrame({"uCode": ["a", "b", "c"], "x": [1.0, 2.0, 3.0],
    ...                       "y": [3.0, 1.0, 2.0]})
    >>> imeta = pd.DataFrame({"iCode": ["x", "y", "I"], "Level": [1, 1, 2],
    ...                       "Parent": ["I", "I", None],
    ...                       "Type": ["Indicator", "Indicator", "Aggregate"]})
    >>> res = build(idata, imeta, {"steps": [{"normalise": {}}, {"aggregate": {}}]})
    >>> res.results[["uCode", "I", "I_rank"]].values.tolist()
    [['a', 50.0, 2], ['b', 25.0, 3], ['c', 75.0, 1]]
    """
    spec = Spec.coerce(spec)
    meta = validate_meta(imeta, idata, source=meta_source)
    fw = framework(meta)
    data = validate_data(idata, fw, source=source)
    panel = "Time" in data.columns
    st = _State(data, fw, meta, spec, dict(fw.weight), empty_treatment(panel),
                pd.DataFrame(columns=id_columns(data) + ["availability", "nonzero"]), source)
    stages: dict[str, pd.DataFrame] = {}
    for name, params in spec.steps:
        _STEP_RUNNERS[name](st, params)
        if name in STAGES:
            codes = list(fw.indicators) + (list(fw.aggregates) if name == "aggregate" else [])
            stages[STAGES[name]] = stage_frame(st.data, codes)
    results = rank_results(st.data, fw)
    return IndexResult(stages=stages, results=results, treatment=st.treatment, spec=spec,
                       imeta=meta, weights=st.weights, screened_out=st.screened_out,
                       framework=fw, data=data)
