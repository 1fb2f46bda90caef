"""The social passport of a community: vulnerable groups, demography, social infrastructure.

>>> from socialkit.passport import build_passport                      # doctest: +SKIP
>>> p = build_passport(None, "UA14020100006634663")                    # doctest: +SKIP
>>> p.profile[["indicator_id", "count", "rate", "region_rate"]]        # doctest: +SKIP

* :mod:`~socialkit.frameworks.passport` — the passport framework (groups, denominators, size classes);
* :mod:`~socialkit.passport.rates` — settlement rates per 1,000 and pooled rates;
* :mod:`~socialkit.passport.build` — :func:`build_passport` and the :class:`Passport` result;
* :mod:`~socialkit.passport.display` — localised tables for notebooks and dashboards.
"""

from ..frameworks.passport import PassportSpec, read_passport_spec
from .build import (
    TABLES_NEEDED,
    Passport,
    build_passport,
    load_tables,
    municipality_name,
    resolve_municipality,
    size_class,
)
from .display import (
    comparison_frame,
    demography_frame,
    first_page,
    headline,
    infrastructure_frame,
    passport_table,
    region_label,
)
from .findings import passport_findings
from .rates import pooled_rates, settlement_rates

__all__ = [
    "TABLES_NEEDED",
    "Passport",
    "PassportSpec",
    "build_passport",
    "comparison_frame",
    "demography_frame",
    "first_page",
    "headline",
    "infrastructure_frame",
    "load_tables",
    "municipality_name",
    "passport_findings",
    "passport_table",
    "pooled_rates",
    "read_passport_spec",
    "region_label",
    "resolve_municipality",
    "settlement_rates",
    "size_class",
]
