"""Demo service-quality competition: ``services`` and ``service_scores``.

Ten community social services (as in the Moldovan partner's competition) spread over the
municipalities of ``geo``, each scored on every indicator of achievement of the shipped rubric
(``service_quality.yaml``) by 3–5 of a panel of six evaluators. A score is

    round(quality[service, standard] + severity[evaluator] + noise), clipped to the scale,

so services differ in level and in their strong and weak standards, evaluators differ in
severity, and agreement between evaluators is real but imperfect. About 1 % of scores are
missing (an evaluator skipped an item).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...frameworks.rubric import load_rubric
from .countries import country_profile

__all__ = ["KINDS", "N_SERVICES", "generate"]

N_SERVICES = 10
_EVALUATORS = np.array([f"E{i}" for i in range(1, 7)])
#: The ten services: kind and English name (local names come from the country's profile).
KINDS: tuple[tuple[str, str], ...] = (
    ("home_care", "Home care for older persons"),
    ("day_care_disability", "Day care for persons with disabilities"),
    ("family_support", "Social support for families with children"),
    ("mobile_team", "Mobile social team"),
    ("social_taxi", "Social taxi"),
    ("respite_care", "Respite care"),
    ("supported_living", "Supported living"),
    ("crisis_shelter", "Crisis shelter for survivors of violence"),
    ("palliative_care", "Palliative care at home"),
    ("psychological_support", "Psychological support"),
)
_MISSING = 0.01


def generate(rng: np.random.Generator, geo: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Generate ``services`` and ``service_scores`` for the municipalities in ``geo``.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness; the same seed gives the same tables.
    geo : dict of DataFrame
        Needs ``geo["municipalities"]`` with ``municipality_id``, ``name`` and (optional)
        ``name_local``.

    Returns
    -------
    dict
        ``{"services": ..., "service_scores": ...}``.
    """
    rubric = load_rubric()
    munis = geo["municipalities"]
    country = country_profile(munis["country"].iloc[0])
    ngos = np.array(country.ngos)
    pick = rng.permutation(len(munis))[:N_SERVICES]
    pick = np.resize(pick, N_SERVICES)
    mids = munis["municipality_id"].astype(str).to_numpy()[pick]
    mnames = munis["name"].astype(str).to_numpy()[pick]
    local = munis["name_local"] if "name_local" in munis else munis["name"]
    mlocal = local.fillna(munis["name"]).astype(str).to_numpy()[pick]
    ngo = rng.random(N_SERVICES) < 0.4
    which = rng.integers(0, len(ngos), N_SERVICES)
    ngos_local = np.array(country.ngos_local or country.ngos)
    municipal_local = country.provider_local or country.provider
    ids = np.array([f"SRV{i:02d}" for i in range(1, N_SERVICES + 1)])
    kinds = np.array([k[0] for k in KINDS])
    services = pd.DataFrame({
        "service_id": ids,
        "municipality_id": mids,
        "name": [f"{k[1]} ({m})" for k, m in zip(KINDS, mnames, strict=True)],
        "name_local": list(country.services_local),
        "provider": np.where(
            ngo, ngos[which], np.array([country.provider.format(name=m) for m in mnames]),
        ),
        "provider_local": np.where(
            ngo, ngos_local[which],
            np.array([municipal_local.format(name=m) for m in mlocal]),
        ),
        "provider_type": np.where(ngo, "ngo", "municipal"),
        "kind": kinds,
    })

    crit_std = rubric.criterion_standard()
    criteria = np.array(list(crit_std))
    std_ids = list(dict.fromkeys(crit_std.values()))
    std_index = np.array([std_ids.index(crit_std[c]) for c in criteria])
    lo, hi = rubric.scale.min, rubric.scale.max
    level = rng.uniform(lo + 0.35 * (hi - lo), lo + 0.85 * (hi - lo), N_SERVICES)
    quality = level[:, None] + rng.normal(0, 0.5, (N_SERVICES, len(std_ids)))
    severity = rng.normal(0, 0.3, _EVALUATORS.size)
    n_eval = rng.integers(3, 6, N_SERVICES)
    # evaluator panel per service: a random subset of n_eval of the six
    order = np.argsort(rng.random((N_SERVICES, _EVALUATORS.size)), axis=1)
    chosen = [np.sort(order[s, : n_eval[s]]) for s in range(N_SERVICES)]
    svc = np.concatenate([np.full(len(c), s) for s, c in enumerate(chosen)])
    ev = np.concatenate(chosen)
    n_c = criteria.size
    svc_r = np.repeat(svc, n_c)
    ev_r = np.repeat(ev, n_c)
    crit_r = np.tile(np.arange(n_c), svc.size)
    raw = (quality[svc_r, std_index[crit_r]] + severity[ev_r]
           + rng.normal(0, 0.5, svc_r.size))
    score = np.clip(np.round(raw), lo, hi).astype(float)
    score[rng.random(score.size) < _MISSING] = np.nan
    scores = pd.DataFrame({
        "service_id": ids[svc_r],
        "criterion_id": criteria[crit_r],
        "evaluator": _EVALUATORS[ev_r],
        "score": score,
    })
    return {"services": services, "service_scores": scores}
