"""Spatial accessibility of social infrastructure.

* :mod:`~socialkit.access.distances` — great-circle distances and the sparse long cost frame;
* :mod:`~socialkit.access.fca` — 2SFCA, FCA ratio, 3SFCA (PySAL ``access`` conventions);
* :mod:`~socialkit.access.raam` — the Rational Agent Access Model;
* :mod:`~socialkit.access.weights` — distance-decay weights;
* :mod:`~socialkit.access.settlements` — per-settlement nearest facility, coverage, underserved.
"""

from .distances import EARTH_RADIUS_KM, great_circle_costs, haversine_km, nearest_destination
from .fca import WAN_2012_WEIGHTS, fca_ratio, normalize_access, three_step_fca, two_step_fca
from .raam import raam
from .settlements import FACILITY_KINDS, coverage, settlement_access, underserved
from .weights import gaussian, gravity, resolve_weight, step_fn

__all__ = [
    "EARTH_RADIUS_KM",
    "FACILITY_KINDS",
    "WAN_2012_WEIGHTS",
    "coverage",
    "fca_ratio",
    "gaussian",
    "gravity",
    "great_circle_costs",
    "haversine_km",
    "nearest_destination",
    "normalize_access",
    "raam",
    "resolve_weight",
    "settlement_access",
    "step_fn",
    "three_step_fca",
    "two_step_fca",
    "underserved",
]
