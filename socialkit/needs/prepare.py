"""Preparing a frame for clustering: rates, transforms, scaling, pruning or PCA.

Each step is a pure function over a DataFrame; :func:`socialkit.needs.cluster` chains them.

* :func:`to_rates` — counts to rates per ``per`` residents (clustering counts would only find
  big and small places);
* :data:`TRANSFORMS` — ``"log1p"`` (:math:`\\log(1+x)`) or ``"asinh"`` (:math:`\\sinh^{-1} x`)
  for skewed shares, for all columns or per column;
* :data:`SCALERS` — ``"zscore"``: :math:`(x - \\bar x)/s` with the *sample* standard deviation
  (``ddof=1``), exactly R's ``scale()``; ``None`` leaves the values as they are;
* :func:`prune_correlated` — drop a variable whose :math:`|r|` with an earlier kept variable
  exceeds a threshold; :func:`pca_reduce` — principal components reaching a share of variance.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from ..errors import DataValidationError, Problem

__all__ = [
    "SCALERS",
    "TRANSFORMS",
    "apply_transform",
    "numeric_matrix",
    "pca_reduce",
    "prune_correlated",
    "scale_frame",
    "to_rates",
    "zscore",
]


def to_rates(counts: pd.DataFrame, population: pd.Series, per: float = 1000.0) -> pd.DataFrame:
    """Counts per ``per`` residents: :math:`r = 1000\\, c / P`.

    A missing count or population, or a population of 0, gives a missing rate.

    >>> to_rates(pd.DataFrame({"idp": [5, 30]}), pd.Series([1000, 6000])).idp.tolist()
    [5.0, 5.0]
    """
    pop = pd.to_numeric(population, errors="coerce").astype(float)
    pop = pop.where(pop > 0)
    out = counts.apply(lambda c: pd.to_numeric(c, errors="coerce").astype(float))
    return out.div(pop, axis=0) * per


def zscore(frame: pd.DataFrame) -> pd.DataFrame:
    """Centre and divide by the sample standard deviation (``ddof=1``), as R's ``scale()``."""
    return (frame - frame.mean()) / frame.std(ddof=1)


#: Scalers by name (``None``: no scaling).
SCALERS: dict[str | None, Callable[[pd.DataFrame], pd.DataFrame]] = {
    "zscore": zscore,
    None: lambda frame: frame.copy(),
}


def _log1p(x: pd.Series) -> pd.Series:
    if (x <= -1).any():
        raise ValueError(f"log1p needs values > -1; column '{x.name}' has {x.min()!r}")
    return np.log1p(x)


#: Transforms for skewed variables, by name.
TRANSFORMS: dict[str, Callable[[pd.Series], pd.Series]] = {
    "log1p": _log1p,
    "asinh": np.arcsinh,
}


def apply_transform(frame: pd.DataFrame, transform: str | Mapping[str, str] | None) -> pd.DataFrame:
    """Apply a transform to every column (a name) or to some (``{column: name}``)."""
    if transform is None:
        return frame.copy()
    plan = dict.fromkeys(frame.columns, transform) if isinstance(transform, str) else dict(transform)
    unknown = {c: t for c, t in plan.items() if t is not None and t not in TRANSFORMS}
    if unknown:
        raise ValueError(f"unknown transform(s) {unknown}; expected one of {sorted(TRANSFORMS)}")
    missing = [c for c in plan if c not in frame.columns]
    if missing:
        raise ValueError(f"transform names column(s) not in the frame: {missing}")
    out = frame.copy()
    for col, name in plan.items():
        if name is not None:
            out[col] = TRANSFORMS[name](out[col])
    return out


def numeric_matrix(frame: pd.DataFrame, columns: Sequence[str] | None = None,
                   allow_counts: bool = False, source: str = "frame") -> pd.DataFrame:
    """The columns to cluster on as a float frame, after checking them.

    Raises :class:`~socialkit.errors.DataValidationError` naming each missing column, each text
    column, each integer (count) column unless ``allow_counts``, and each missing value (by row
    label and column).
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a DataFrame, got {type(frame).__name__}")
    if columns is None:
        columns = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])
                   and not pd.api.types.is_bool_dtype(frame[c])]
    problems = []
    for col in columns:
        if col not in frame.columns:
            problems.append(Problem(source, "column is missing", column=col, table=source))
        elif not pd.api.types.is_numeric_dtype(frame[col]):
            problems.append(Problem(source, "column is not numeric", column=col,
                                    expected="rates or shares (numbers)", table=source))
        elif pd.api.types.is_integer_dtype(frame[col]) and not allow_counts:
            problems.append(Problem(
                source, "column holds integer counts", column=col,
                expected="rates or shares; convert with socialkit.needs.to_rates()",
                table=source))
    if problems:
        raise DataValidationError(problems)
    if len(columns) == 0:
        raise DataValidationError([Problem(source, "no numeric column to cluster on",
                                           expected="rates or shares", table=source)])
    out = frame[list(columns)].astype(float)
    na = out.isna().to_numpy()
    if na.any():
        rows, cols = np.nonzero(na)
        raise DataValidationError(
            [Problem(source, f"missing value in row '{out.index[r]}'", row=int(r) + 2,
                     column=str(out.columns[c]), expected="a number (impute or drop the row)",
                     table=source) for r, c in list(zip(rows, cols, strict=True))[:20]],
            header=f"{int(na.sum())} missing value(s) in the data to cluster",
        )
    if len(out) < 3:
        raise DataValidationError([Problem(source, f"only {len(out)} row(s)",
                                           expected="at least 3 rows to cluster", table=source)])
    return out


def scale_frame(frame: pd.DataFrame, scale: str | None) -> tuple[pd.DataFrame, dict[str, str]]:
    """Scale with a named scaler; constant columns are dropped (returned with the reason)."""
    if scale not in SCALERS:
        raise ValueError(f"unknown scale {scale!r}; expected one of {list(SCALERS)}")
    sd = frame.std(ddof=1)
    constant = [c for c in frame.columns if not (sd[c] > 0)]
    dropped = dict.fromkeys(constant, "constant")
    kept = frame.drop(columns=constant)
    if kept.shape[1] == 0:
        raise DataValidationError([Problem("frame", "every column is constant",
                                           expected="variables that differ between rows")])
    return SCALERS[scale](kept), dropped


def prune_correlated(frame: pd.DataFrame, threshold: float = 0.9) -> tuple[pd.DataFrame, dict]:
    """Drop near-duplicate variables: keep columns in order, drop one with :math:`|r| >` threshold
    (Pearson) against an already kept column. Returns the kept frame and ``{dropped: reason}``.
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"prune threshold must be in (0, 1], got {threshold!r}")
    r = np.corrcoef(frame.to_numpy(), rowvar=False).reshape(frame.shape[1], frame.shape[1])
    kept: list[int] = []
    dropped: dict[str, str] = {}
    for j, col in enumerate(frame.columns):
        hits = [i for i in kept if abs(r[i, j]) > threshold]
        if hits:
            i = hits[0]
            dropped[col] = f"|r| = {abs(r[i, j]):.3f} with {frame.columns[i]}"
        else:
            kept.append(j)
    return frame.iloc[:, kept].copy(), dropped


def pca_reduce(frame: pd.DataFrame, variance: float = 0.9) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Principal-component scores covering at least ``variance`` of the total variance.

    Returns the scores (columns ``PC1``…) and the loadings (variables × components, with the
    explained-variance share in ``attrs``).
    """
    from sklearn.decomposition import PCA

    if not 0 < variance <= 1:
        raise ValueError(f"pca variance share must be in (0, 1], got {variance!r}")
    full = PCA().fit(frame.to_numpy())
    n = int(np.searchsorted(np.cumsum(full.explained_variance_ratio_), variance - 1e-12) + 1)
    n = min(n, frame.shape[1])
    names = [f"PC{i + 1}" for i in range(n)]
    scores = pd.DataFrame(full.transform(frame.to_numpy())[:, :n], index=frame.index,
                          columns=names)
    loadings = pd.DataFrame(full.components_[:n].T, index=frame.columns, columns=names)
    loadings.attrs["explained_variance_ratio"] = full.explained_variance_ratio_[:n].tolist()
    return scores, loadings
