"""Cluster profiles, the variables that name a cluster, and outliers (language-free).

A profile is the mean z-score of each variable in a cluster (the variables after the transform,
standardised with the sample sd as R's ``scale()``, whatever scaling the clustering used), so
"+1.2" reads "1.2 standard deviations above the average unit". A cluster is named after its
largest deviations: the ``max_terms`` variables with the largest :math:`|\\bar z|` of at least
``min_z`` (:func:`profile_terms`: variable and direction); :mod:`socialkit.needs.display` says
them in a language, e.g. *"many elderly living alone, remote from social services"*. A cluster
with no deviation of ``min_z`` is "close to the average". Units are never dropped: an outlier
(some :math:`|z| >` ``outlier_z``) stays in its cluster and is flagged.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["cluster_profiles", "outlier_flags", "profile_terms"]


def cluster_profiles(z: pd.DataFrame, labels: pd.Series) -> pd.DataFrame:
    """Mean z-score of every variable per cluster (rows: clusters ``1..k``)."""
    prof = z.groupby(labels.to_numpy()).mean()
    prof.index.name = "cluster"
    return prof


def _terms(row: pd.Series, max_terms: int, min_z: float) -> list[tuple[str, str]]:
    order = row.abs().sort_values(ascending=False, kind="stable")
    picked = [v for v in order.index[:max_terms] if abs(row[v]) >= min_z]
    return [(v, "high" if row[v] > 0 else "low") for v in picked]


def outlier_flags(z: pd.DataFrame, outlier_z: float) -> pd.DataFrame:
    """Largest :math:`|z|` of each unit and whether it exceeds ``outlier_z``."""
    max_abs = z.abs().max(axis=1)
    return pd.DataFrame({"max_abs_z": max_abs, "outlier": max_abs > outlier_z}, index=z.index)


def profile_terms(profiles: pd.DataFrame, max_terms: int = 2, min_z: float = 0.5) -> pd.DataFrame:
    """The variables naming each cluster: tidy ``cluster``, ``rank``, ``variable``, ``direction``,
    ``z``."""
    rows = []
    for cluster, row in profiles.iterrows():
        for rank, (v, d) in enumerate(_terms(row, max_terms, min_z), start=1):
            rows.append({"cluster": cluster, "rank": rank, "variable": v, "direction": d,
                         "z": float(row[v])})
    return pd.DataFrame(rows, columns=["cluster", "rank", "variable", "direction", "z"])
