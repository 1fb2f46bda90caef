"""Cluster profiles, plain-language names and outliers.

A profile is the mean z-score of each variable in a cluster (the variables after the transform,
standardised with the sample sd as R's ``scale()``, whatever scaling the clustering used), so
"+1.2" reads "1.2 standard deviations above the average unit". A cluster is named after its
largest deviations: the ``max_terms`` variables with the largest :math:`|\\bar z|` of at least
``min_z``, each as a phrase from the ``needs`` message catalog (``needs.variables.<name>.high``
or ``.low``; unknown variables read "high <name>" / "low <name>"), e.g. *"many elderly living
alone, remote from social services"*. A cluster with no deviation of ``min_z`` is "close to the
average". Units are never dropped: an outlier (some :math:`|z| >` ``outlier_z``) stays in its
cluster and is flagged.
"""

from __future__ import annotations

import pandas as pd

from ..i18n import available_keys, t

__all__ = [
    "cluster_profiles",
    "name_clusters",
    "outlier_flags",
    "profile_terms",
    "variable_label",
    "variable_phrase",
]

_SUFFIXES = ("_per_1000", "_rate", "_share", "_pct")


def _variable_key(variable: str, lang: str, leaf: str) -> str | None:
    keys = available_keys("en") | available_keys(lang)
    candidates = [variable] + [variable.removesuffix(s) for s in _SUFFIXES if variable.endswith(s)]
    for name in candidates:
        key = f"needs.variables.{name}.{leaf}"
        if key in keys:
            return key
    return None


def variable_label(variable: str, lang: str = "en") -> str:
    """Human label of a variable (``needs.variables.<name>.label``), else the name spaced out."""
    key = _variable_key(variable, lang, "label")
    return t(key, lang) if key else variable.replace("_", " ")


def variable_phrase(variable: str, direction: str, lang: str = "en") -> str:
    """Phrase for a variable well above (``"high"``) or below (``"low"``) the average."""
    if direction not in ("high", "low"):
        raise ValueError(f"direction must be 'high' or 'low', got {direction!r}")
    key = _variable_key(variable, lang, direction)
    if key:
        return t(key, lang)
    return t(f"needs.name.{direction}", lang, label=variable_label(variable, lang))


def cluster_profiles(z: pd.DataFrame, labels: pd.Series) -> pd.DataFrame:
    """Mean z-score of every variable per cluster (rows: clusters ``1..k``)."""
    prof = z.groupby(labels.to_numpy()).mean()
    prof.index.name = "cluster"
    return prof


def _terms(row: pd.Series, max_terms: int, min_z: float) -> list[tuple[str, str]]:
    order = row.abs().sort_values(ascending=False, kind="stable")
    picked = [v for v in order.index[:max_terms] if abs(row[v]) >= min_z]
    return [(v, "high" if row[v] > 0 else "low") for v in picked]


def name_clusters(profiles: pd.DataFrame, lang: str = "en", max_terms: int = 2,
                  min_z: float = 0.5) -> pd.Series:
    """Plain-language name of every cluster from its largest deviations.

    Parameters
    ----------
    profiles : DataFrame
        Mean z-scores, clusters × variables (:func:`cluster_profiles`).
    lang : str
        Language of the names.
    max_terms : int
        At most this many variables in a name.
    min_z : float
        Smallest :math:`|\\bar z|` that makes a variable part of the name.

    Returns
    -------
    Series
        Name per cluster; names that would repeat get the cluster number appended.
    """
    names = {}
    for cluster, row in profiles.iterrows():
        terms = _terms(row, max_terms, min_z)
        if terms:
            text = t("needs.name.join", lang).join(variable_phrase(v, d, lang) for v, d in terms)
        else:
            text = t("needs.name.average", lang)
        names[cluster] = text[:1].upper() + text[1:]
    out = pd.Series(names, name="name", dtype="str")
    out.index.name = "cluster"
    dup = out.duplicated(keep=False)
    for cluster in out.index[dup.to_numpy()]:
        out[cluster] = t("needs.name.numbered", lang, name=out[cluster], n=cluster)
    return out


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
