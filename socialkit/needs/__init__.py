"""Needs analysis of settlements and municipalities: clustering by needs.

>>> from socialkit.needs import cluster   # doctest: +SKIP
>>> res = cluster(rates, method="ward")   # doctest: +SKIP
>>> res.summary("uk")                     # doctest: +SKIP

* :mod:`~socialkit.needs.features` — rates, shares and distances from the data model;
* :mod:`~socialkit.needs.prepare` — rates, transforms, z-scores (R ``scale()``), pruning, PCA;
* :mod:`~socialkit.needs.methods` — kmeans, ward, complete, average, gmm (registry);
* :mod:`~socialkit.needs.validity` — silhouette, Calinski–Harabasz, Davies–Bouldin, gap, BIC;
* :mod:`~socialkit.needs.stability` — bootstrap Jaccard as ``fpc::clusterboot``;
* :mod:`~socialkit.needs.profiles` — mean z-score profiles, names, outliers;
* :mod:`~socialkit.needs.cluster` — :func:`cluster` and :class:`ClusterResult`.
"""

from .cluster import ClusterResult, cluster
from .features import LEVELS, needs_features
from .methods import METHODS
from .prepare import SCALERS, TRANSFORMS, to_rates, zscore
from .profiles import name_clusters
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
