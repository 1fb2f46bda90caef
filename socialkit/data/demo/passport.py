"""Synthetic social-passport counts: vulnerable groups per settlement for two years.

Counts follow Poisson draws around rates that vary by municipality (a latent vulnerability),
by the settlement's remoteness and age structure. Warts: about 1 % of counts missing, a few
outliers (a registry error multiplying a count tenfold, up to the settlement's population).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..schemas import PASSPORT_INDICATORS
from .countries import country_profile

__all__ = ["YEARS", "generate"]

YEARS: tuple[int, ...] = (2020, 2021)

# indicator -> (base column, base rate per person of that column, municipal spread)
_RATES: dict[str, tuple[str, float, float]] = {
    "elderly_alone": ("pop_60_plus", 0.11, 0.25),
    "disability": ("population", 0.065, 0.20),
    "idp": ("population", 0.05, 0.90),
    "families_difficult": ("population", 0.004, 0.40),
    "children_no_care": ("pop_0_17", 0.009, 0.45),
    "low_income": ("population", 0.045, 0.35),
    "unemployed": ("pop_18_59", 0.07, 0.35),
}
_GROWTH: dict[str, float] = {
    "elderly_alone": 1.04, "disability": 1.02, "idp": 1.25, "families_difficult": 1.06,
    "children_no_care": 0.97, "low_income": 1.08, "unemployed": 1.05,
}


def generate(rng: np.random.Generator, geo: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Generate ``passport_values`` for every settlement, indicator and year in :data:`YEARS`."""
    st = geo["settlements"]
    mun = geo["municipalities"]
    n = len(st)
    m_index = pd.Index(mun["municipality_id"]).get_indexer(st["municipality_id"])
    remote = rng.uniform(0, 1, n)  # stands for distance to services
    frames = []
    # internally displaced persons (Ukraine) or refugees are rarer in the other countries
    idp_scale = country_profile(mun["country"].iloc[0]).idp_scale
    for ind in PASSPORT_INDICATORS:
        col, rate, spread = _RATES[ind]
        if ind == "idp" and idp_scale != 1.0:
            rate *= idp_scale
        base = st[col].astype("float64").fillna(0).to_numpy()
        # a settlement with unknown population still has its groups counted by the registry
        base = np.where(st["population"].isna().to_numpy(), 120 * (rate if col != "population"
                                                                    else 1), base)
        mfactor = rng.lognormal(0, spread, len(mun))[m_index]
        sfactor = rng.lognormal(0, 0.25, n) * (1 + 0.5 * remote)
        lam = base * rate * mfactor * sfactor
        for i, year in enumerate(YEARS):
            growth = _GROWTH[ind] ** i * rng.lognormal(0, 0.05, n)
            values = rng.poisson(lam * growth).astype(np.int64)
            frames.append(
                pd.DataFrame(
                    {
                        "municipality_id": st["municipality_id"].to_numpy(),
                        "settlement_id": st["settlement_id"].to_numpy(),
                        "year": year,
                        "indicator_id": ind,
                        "value": pd.array(values, dtype="Int64"),
                    }
                )
            )
    out = pd.concat(frames, ignore_index=True)
    out = out.sort_values(["municipality_id", "settlement_id", "year", "indicator_id"],
                          kind="stable").reset_index(drop=True)
    # warts: missing counts and a few outliers
    missing = rng.uniform(0, 1, len(out)) < 0.01
    out.loc[missing, "value"] = pd.NA
    outliers = rng.choice(len(out), size=max(1, len(out) // 2000), replace=False)
    out.loc[outliers, "value"] = out.loc[outliers, "value"] * 10 + 7
    # ... but never more people than live in the settlement (validation refuses that)
    pop = out["settlement_id"].map(st.set_index("settlement_id")["population"]).astype("Int64")
    over = (out["value"] > pop).fillna(False).to_numpy(dtype=bool)
    out.loc[over, "value"] = pop[over]
    return {"passport_values": out}
