"""Small random inputs for comparing socialkit.access with PySAL access."""

from __future__ import annotations

import numpy as np
import pandas as pd


def random_case(seed: int, n: int = 30, m: int = 8, p: float = 0.5, zero_supply: bool = True,
                reach_all: bool = False):
    """Demand/supply Series and a sparse long cost frame; some origins reach nothing."""
    rng = np.random.default_rng(seed)
    demand = pd.Series(rng.integers(1, 1000, n).astype(float),
                       index=pd.Index([f"o{i:03d}" for i in range(n)], name="geoid"), name="pop")
    low = 0 if zero_supply else 1
    supply = pd.Series(rng.integers(low, 10, m).astype(float),
                       index=pd.Index([f"d{j:03d}" for j in range(m)], name="geoid"), name="cap")
    rows = [(o, d, float(rng.uniform(0, 60))) for o in demand.index for d in supply.index
            if rng.random() < p or (reach_all and d == supply.index[0])]
    cost = pd.DataFrame(rows, columns=["origin", "dest", "cost"])
    return demand, supply, cost
