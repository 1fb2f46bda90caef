"""The needs features as they may be published: rates of suppressed counts withheld.

:func:`~socialkit.needs.needs_features` turns counts into rates per 1,000 residents; with the
public population, ``rate × population / 1000`` gives the count back. So a rate is withheld
where the data set's one suppression pattern
(:func:`socialkit.passport.protect.passport_pattern`, shared with every passport and the
vulnerability CSVs) withholds its count (settlements) or its count or numerator
(municipalities), and :func:`socialkit.disclosure.publish` blanks any rate whose implied
count is still 1–4. The clustering itself runs on the unsuppressed rates; only the
published table is protected.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..disclosure import publish
from ..passport.protect import passport_pattern

__all__ = ["published_features"]


def published_features(features: pd.DataFrame, tables: Mapping[str, pd.DataFrame],
                       level: str = "settlement", year: int | None = None,
                       threshold: int | None = None, per: float = 1000.0) -> pd.DataFrame:
    """``features`` with the rates of suppressed counts set to NA.

    Parameters
    ----------
    features : DataFrame
        :func:`~socialkit.needs.needs_features` output (indexed by unit id).
    tables : mapping
        ``municipalities``, ``settlements``, ``passport_values``.
    level : {"settlement", "municipality"}
    year : int, optional
        The passport year of ``features`` (default: the latest).
    threshold : int, optional
        Default :func:`socialkit.disclosure.resolve_threshold`.

    Returns
    -------
    DataFrame
        A copy of ``features``.
    """
    pv = tables["passport_values"]
    year = int(pv["year"].max()) if year is None else int(year)
    pattern = passport_pattern(tables, threshold=threshold)
    units = features.index
    if level == "settlement":
        cells = pattern.settlements.loc[pattern.settlements["year"] == year]
        key, flag = "settlement_id", "suppressed"
        pop = pd.to_numeric(tables["settlements"].set_index("settlement_id")["population"])
        base = pop.reindex(units).to_numpy(dtype=float, na_value=np.nan)
    else:
        cells = pattern.municipalities.loc[pattern.municipalities["year"] == year]
        key, flag, base = "municipality_id", "rate_suppressed", None
    groups = set(pv["indicator_id"].unique())
    hidden: dict[str, np.ndarray] = {}
    rates: dict[str, tuple[np.ndarray, float]] = {}
    for col in features.columns:
        if col not in groups:
            continue
        g = cells.loc[cells["indicator_id"] == col].set_index(key)
        # a group the passport does not profile has no pattern: withhold it entirely
        hidden[col] = (g[flag].reindex(units).fillna(False).to_numpy(dtype=bool) if len(g)
                       else np.ones(len(units), dtype=bool))
        if base is not None:
            rates[col] = (base, per)
    out = publish(features.reset_index(), hidden={k: v for k, v in hidden.items()},
                  rates=rates, threshold=pattern.threshold)
    return out.set_index(features.index.name or "index")
