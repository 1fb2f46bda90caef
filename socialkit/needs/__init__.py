"""Needs analysis of settlements and municipalities: clustering by needs.

>>> from socialkit.needs import cluster   # doctest: +SKIP
>>> res = cluster(rates, method="ward")   # doctest: +SKIP
>>> from socialkit.needs.display import cluster_summary  # doctest: +SKIP
>>> cluster_summary(res, "uk")            # doctest: +SKIP

* :mod:`~socialkit.needs.features` — rates, shares and distances from the data model;
* :mod:`~socialkit.needs.prepare` — rates, transforms, z-scores (R ``scale()``), pruning, PCA;
* :mod:`~socialkit.needs.methods` — kmeans, ward, complete, average, gmm (registry);
* :mod:`~socialkit.needs.validity` — silhouette, Calinski–Harabasz, Davies–Bouldin, gap, BIC;
* :mod:`~socialkit.needs.stability` — bootstrap Jaccard as ``fpc::clusterboot``;
* :mod:`~socialkit.needs.profiles` — mean z-score profiles, the terms behind names, outliers;
* :mod:`~socialkit.needs.cluster` — :func:`cluster` and :class:`ClusterResult` (language-free);
* :mod:`~socialkit.needs.display` — names, summary and the choice of k in a language.
"""

from .cluster import ClusterResult, cluster
from .display import name_clusters
from .features import LEVELS, needs_features
from .methods import METHODS
from .prepare import SCALERS, TRANSFORMS, to_rates, zscore
from .stability import STABILITY_BANDS, bootstrap_stability, stability_band
from .validity import K_RULES, gap_statistic, max_se

__all__ = [
    "K_RULES",
    "LEVELS",
    "METHODS",
    "SCALERS",
    "STABILITY_BANDS",
    "TRANSFORMS",
    "ClusterResult",
    "bootstrap_stability",
    "cluster",
    "gap_statistic",
    "max_se",
    "name_clusters",
    "needs_features",
    "stability_band",
    "to_rates",
    "zscore",
]
