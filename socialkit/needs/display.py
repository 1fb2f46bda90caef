"""The needs display layer: a :class:`~socialkit.needs.cluster.ClusterResult` in a language.

:func:`~socialkit.needs.cluster.cluster` is language-free: a cluster is known by its number
and by the variables and directions that stand out (``ClusterResult.terms``). Here those become
plain-language names (``needs.variables.<name>.high`` / ``.low`` from the ``needs`` message
catalog; unknown variables read "high <name>" / "low <name>"), e.g. *"many elderly living
alone, remote from social services"*, a sentence on how k was chosen and the summary table,
so one result serves the report and the dashboard in every language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..i18n import available_keys, t
from .profiles import profile_terms

if TYPE_CHECKING:
    from .cluster import ClusterResult

__all__ = [
    "cluster_name",
    "cluster_names",
    "cluster_summary",
    "explain_k",
    "name_clusters",
    "names_from_terms",
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


def names_from_terms(terms: pd.DataFrame, clusters, lang: str = "en") -> pd.Series:
    """Name of every cluster in ``clusters`` from its terms (:func:`profile_terms`).

    A cluster without terms is "close to the average"; names that would repeat get the cluster
    number appended.
    """
    by_cluster = {c: list(zip(g["variable"], g["direction"], strict=True))
                  for c, g in terms.sort_values(["cluster", "rank"]).groupby("cluster")}
    names = {}
    for cluster in clusters:
        picked = by_cluster.get(cluster, [])
        if picked:
            text = t("needs.name.join", lang).join(variable_phrase(v, d, lang) for v, d in picked)
        else:
            text = t("needs.name.average", lang)
        names[cluster] = text[:1].upper() + text[1:]
    out = pd.Series(names, name="name", dtype="str")
    out.index.name = "cluster"
    dup = out.duplicated(keep=False)
    for cluster in out.index[dup.to_numpy()]:
        out[cluster] = t("needs.name.numbered", lang, name=out[cluster], n=cluster)
    return out


def name_clusters(profiles: pd.DataFrame, lang: str = "en", max_terms: int = 2,
                  min_z: float = 0.5) -> pd.Series:
    """Plain-language name of every cluster from its largest deviations.

    Parameters
    ----------
    profiles : DataFrame
        Mean z-scores, clusters × variables
        (:func:`~socialkit.needs.profiles.cluster_profiles`).
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
    return names_from_terms(profile_terms(profiles, max_terms, min_z), profiles.index, lang)


def cluster_names(result: ClusterResult, lang: str = "en") -> pd.Series:
    """Name of every cluster of ``result`` in ``lang`` (indexed by cluster number)."""
    return names_from_terms(result.terms, result.profiles.index, lang)


def cluster_name(result: ClusterResult, cluster: int, lang: str = "en") -> str:
    """Name of one cluster in ``lang``."""
    return str(cluster_names(result, lang).loc[cluster])


def explain_k(result: ClusterResult, lang: str = "en") -> str:
    """One sentence saying how k was chosen, for the report."""
    return t(f"needs.k_rule.{result.k_rule}", lang, k=result.k)


def cluster_summary(result: ClusterResult, lang: str = "en") -> pd.DataFrame:
    """One row per cluster: name, size, share, mean Jaccard and stability band (localised
    names and band names; raw numbers)."""
    out = pd.DataFrame({"name": cluster_names(result, lang), "size": result.sizes,
                        "share": result.sizes / result.sizes.sum()})
    if not result.stability.empty:
        out["jaccard_mean"] = result.stability["jaccard_mean"]
        out["band"] = [t(f"needs.stability.{b}", lang) for b in result.stability["band"]]
    out["outliers"] = result.members.groupby("cluster")["outlier"].sum().reindex(out.index)
    return out
