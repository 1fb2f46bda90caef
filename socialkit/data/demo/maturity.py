"""Synthetic digital-maturity answers: every municipality, item and assessment round.

Items, their scales and who answers them are read from the shipped maturity framework
(read with :func:`socialkit.frameworks.read_yaml`: :mod:`socialkit.data` does not import
:mod:`socialkit.maturity`).

Model (on the item scale, e.g. 0-4), for municipality *m*, dimension *d*, item *i*, round *r*::

    latent = base[m] + profile[m, d] + difficulty[i] + r * gain[m, d] + noise[r, m, i]
    score  = clip(round(latent), scale_min, scale_max)

``base`` grows with the population (larger hromadas are further on), ``profile`` makes some
dimensions stronger than others, ``gain`` is the improvement between the baseline
(December 2020) and the follow-up (April 2021), mostly positive.

Warts, so that the analysis has to cope: about 3 % of answers missing; the second
municipality answered only one item of one dimension in the baseline ("insufficient data");
the last municipality skipped the follow-up round.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...frameworks.maturity import load_framework

__all__ = ["ROUNDS", "generate"]

#: Assessment rounds: baseline and follow-up.
ROUNDS: tuple[str, ...] = ("2020-12", "2021-04")
_MISSING_SHARE = 0.03


def _items() -> pd.DataFrame:
    """Item id, dimension position, scale bounds and respondent role from the framework."""
    fw = load_framework()
    items = fw.items_frame()
    position = {d: i for i, d in enumerate(fw.dimension_ids)}
    return pd.DataFrame({
        "item_id": items["item_id"].astype(str),
        "dim": items["dimension"].map(position).astype(int),
        "smin": items["scale_min"].astype(int), "smax": items["scale_max"].astype(int),
        "role": items["respondent"].fillna("").astype(str),
    })


def generate(rng: np.random.Generator, geo: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Generate ``maturity_responses`` for every municipality of ``geo`` and both rounds."""
    mun = geo["municipalities"]
    items = _items()
    m, n_items, n_rounds = len(mun), len(items), len(ROUNDS)
    n_dims = int(items["dim"].max()) + 1
    dim_of = items["dim"].to_numpy()
    smin = items["smin"].to_numpy(dtype=float)
    smax = items["smax"].to_numpy(dtype=float)
    span = smax - smin

    pop = mun["population"].astype("float64").fillna(20_000).to_numpy()
    base = rng.normal(0.38, 0.12, m) + 0.08 * np.log10(np.clip(pop, 1_000, None) / 20_000)
    profile = rng.normal(0.0, 0.13, (m, n_dims))
    gain = np.clip(rng.normal(0.07, 0.06, (m, n_dims)), -0.03, None)
    difficulty = rng.normal(0.0, 0.07, n_items)
    noise = rng.normal(0.0, 0.11, (n_rounds, m, n_items))

    # on a 0-1 share of the scale, then mapped to each item's own scale
    share = (base[None, :, None] + profile[None][:, :, dim_of] + difficulty[None, None, :]
             + np.arange(n_rounds)[:, None, None] * gain[None][:, :, dim_of] + noise)
    score = np.clip(np.round(smin + share * span), smin, smax)

    score[rng.uniform(0, 1, score.shape) < _MISSING_SHARE] = np.nan
    if m > 1:  # the second municipality barely answered one dimension in the baseline
        d = min(6, n_dims - 1)
        cols = np.flatnonzero(dim_of == d)
        score[0, 1, cols[1:]] = np.nan

    r_idx, m_idx, i_idx = (a.ravel() for a in np.indices(score.shape))
    out = pd.DataFrame({
        "municipality_id": mun["municipality_id"].to_numpy()[m_idx],
        "round": np.asarray(ROUNDS)[r_idx],
        "item_id": items["item_id"].to_numpy()[i_idx],
        "score": score.ravel(),
        "respondent_role": items["role"].to_numpy()[i_idx],
    })
    if m > 1:  # the last municipality skipped the follow-up
        last = mun["municipality_id"].iloc[-1]
        out = out[~((out["municipality_id"] == last) & (out["round"] == ROUNDS[-1]))]
    out = out.sort_values(["municipality_id", "round"], kind="stable").reset_index(drop=True)
    return {"maturity_responses": out}
