"""Counts that differ between sections of the social passport.

The passport prints some counts in more than one section, each taken from a different table:
the population in the summary (the sum of the settlements' populations, the base of every
rate), in the municipalities table (which places the municipality in its size class of peers)
and in the demographic structure (the sum of the age groups); the number of facilities in the
summary and, by kind, in the social-infrastructure table. When two of them differ, a reader
finds two figures for one thing; :func:`check_passport_counts` lists each such pair with the
rule, the figure the report uses, the other figure and the difference.

Rules
-----
``population_municipality``
    The municipality's population (municipalities table) equals the sum of its settlements'
    populations (the report uses the sum: the rates rest on it). Checked only when every
    settlement's population is known.
``population_age_groups``
    Over the settlements whose age structure is known, the age groups 0–17, 18–59 and 60+ add
    up to their population (the report uses the population).
``facilities_kinds``
    The facilities of the summary (every kind) equal the facilities of the infrastructure
    table's kinds (the report uses the summary's count).

>>> import pandas as pd
>>> from types import SimpleNamespace
>>> p = SimpleNamespace(summary={"residents": 1000, "settlements_no_population": 0,
...                              "residents_age_known": 1000, "facilities": 3},
...                     municipality={"population": 1200},
...                     demography=pd.DataFrame({"population": [200, 500, 290]}),
...                     infrastructure=pd.DataFrame({"facilities": [1, 2]}))
>>> check_passport_counts(p)[["rule", "used", "other", "difference"]].values.tolist()
[['population_municipality', 1000, 1200, -200], ['population_age_groups', 1000, 990, 10]]
"""

from __future__ import annotations

import pandas as pd

__all__ = ["PASSPORT_CONSISTENCY_COLUMNS", "check_passport_counts"]

#: Columns of :func:`check_passport_counts`'s result.
PASSPORT_CONSISTENCY_COLUMNS: list[str] = ["rule", "used", "other", "difference"]


def _int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def check_passport_counts(passport) -> pd.DataFrame:
    """Every count the passport prints twice with two different values.

    Parameters
    ----------
    passport : Passport

    Returns
    -------
    DataFrame
        :data:`PASSPORT_CONSISTENCY_COLUMNS`: the rule, the figure the report uses, the other
        figure and ``difference = used - other`` (integers), one row per disagreement.
    """
    s, m = passport.summary, passport.municipality
    pairs = []
    if not s.get("settlements_no_population"):
        pairs.append(("population_municipality", _int(s.get("residents")),
                      _int(m.get("population"))))
    demo = passport.demography
    if demo is not None and len(demo):
        ages = pd.to_numeric(demo["population"]).dropna()
        if len(ages) == len(demo):
            pairs.append(("population_age_groups", _int(s.get("residents_age_known")),
                          int(ages.sum())))
    infra = passport.infrastructure
    if infra is not None and len(infra):
        pairs.append(("facilities_kinds", _int(s.get("facilities")),
                      int(pd.to_numeric(infra["facilities"]).sum())))
    rows = [(rule, used, other, used - other) for rule, used, other in pairs
            if used is not None and other is not None and used != other]
    return pd.DataFrame(rows, columns=PASSPORT_CONSISTENCY_COLUMNS)
