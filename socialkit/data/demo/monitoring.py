"""Demo M&E data: ``indicator_values`` (data elements by quarter) and ``indicator_targets``.

Every data element of the shipped indicator framework (``me_indicators.yaml``) is reported per
municipality and quarter 2020Q1–2021Q4, by the disaggregations the framework gives it (one row
per sex × age-group cell; ``"total"`` for a dimension that is not disaggregated). Counts are
drawn from Poisson and binomial models whose means follow municipality-level trends, so some
municipalities improve faster than others and their status differs.

Baselines (``period="2019"``) and annual targets (``"2020"``, ``"2021"``) are on each
indicator's own scale and are derived from the *expected* (not drawn) values with a random
ambition per municipality and indicator, so progress ranges from off track to above target.
The ``staff_trained`` indicator is cumulative (baseline 0, targets count from 2020Q1).

Warts, on purpose, for data-quality checks to find:

* about 3 % of municipality × quarter reports from services (every element not from state
  statistics) are missing, and about 0.3 % of the remaining values are NA;
* a few outliers (a value ×10) in elements that no validation rule bounds;
* one breach of ``served_le_registered``: the first municipality's 2021Q2 report has one
  cell with more clients served than registered.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...frameworks.indicators import DISAGGREGATIONS, IndicatorFramework, load_framework

__all__ = ["PERIODS", "generate"]

#: Quarters of the demo (t = 0..7); 2019 (t = -4..-1) exists only as the baseline year.
PERIODS: tuple[str, ...] = tuple(f"{y}Q{q}" for y in (2020, 2021) for q in (1, 2, 3, 4))
_T = np.arange(-4, 8)  # 2019Q1 .. 2021Q4
_TN = (_T + 4) / 12.0  # time since 2019Q1, 0..~1
_OUT = slice(4, 12)  # indices of 2020Q1..2021Q4 in _T

#: Shares of each disaggregation category (demo assumptions).
_SEX = {"default": (0.55, 0.45), "elderly_alone": (0.72, 0.28), "elderly_home_care": (0.72, 0.28),
        "staff_trained": (0.8, 0.2)}
_AGE = (0.25, 0.35, 0.40)
_MISSING_REPORT = 0.03
_MISSING_VALUE = 0.003
_OUTLIER_ELEMENTS = ("waiting_list", "care_plans", "families_difficult", "staff_trained")


def _expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _shares(framework: IndicatorFramework, element: str) -> np.ndarray:
    dims = framework.element_disaggregations(element)
    sex = np.array(_SEX.get(element, _SEX["default"])) if "sex" in dims else np.array([1.0])
    age = np.array(_AGE) if "age_group" in dims else np.array([1.0])
    return np.outer(sex, age).ravel()


def _cells(framework: IndicatorFramework, element: str) -> tuple[list[str], list[str]]:
    dims = framework.element_disaggregations(element)
    sexes = list(DISAGGREGATIONS["sex"]) if "sex" in dims else ["total"]
    ages = list(DISAGGREGATIONS["age_group"]) if "age_group" in dims else ["total"]
    return [s for s in sexes for _ in ages], [a for _ in sexes for a in ages]


def _latent(rng: np.random.Generator, pop: np.ndarray) -> dict[str, tuple[np.ndarray, str | None]]:
    """Expected totals per municipality × quarter (M, T) and the parent of binomial parts."""
    m = pop.size
    u = lambda lo, hi: rng.uniform(lo, hi, m)[:, None]  # noqa: E731
    tn = _TN[None, :]
    population = pop[:, None] * (1 - 0.01 * tn)
    p017 = population * u(0.15, 0.21)

    def prob(a: float, a_sd: float, b: float, b_sd: float) -> np.ndarray:
        return _expit(rng.normal(a, a_sd, m)[:, None] + rng.normal(b, b_sd, m)[:, None] * tn * 3)

    return {
        "population": (population, None),
        "population_0_17": (p017, None),
        "families_difficult": (population * u(3, 8) / 1000 * (1 - u(-0.05, 0.35) * tn), None),
        "children_institutions": (p017 * u(2, 6) / 1000 * (1 - u(-0.05, 0.4) * tn), None),
        "clients_registered": (population * u(4, 10) / 1000, None),
        "clients_served": (prob(1.0, 0.4, 0.25, 0.2), "clients_registered"),
        "elderly_alone": (population * u(25, 40) / 1000, None),
        "elderly_home_care": (prob(-1.3, 0.4, 0.25, 0.2), "elderly_alone"),
        "waiting_list": (population * u(0.3, 1.5) / 1000 * (1 - u(-0.1, 0.5) * tn), None),
        "cases_closed": (population * u(1, 3) / 1000, None),
        "cases_closed_positive": (prob(0.3, 0.3, 0.2, 0.15), "cases_closed"),
        "survey_respondents": (np.repeat(u(20, 60), _T.size, axis=1), None),
        "survey_satisfied": (prob(1.0, 0.4, 0.2, 0.2), "survey_respondents"),
        "complaints_received": (population * u(0.1, 0.4) / 1000 + 1, None),
        "complaints_resolved": (prob(1.0, 0.4, 0.2, 0.2), "complaints_received"),
        "staff_trained": (np.repeat(pop[:, None] * u(0.05, 0.2) / 1000 + 0.5, _T.size, axis=1)
                          * (_T >= 0)[None, :], None),
        "applications_total": (population * u(2, 5) / 1000, None),
        "applications_online": (prob(-2.2, 0.4, 0.5, 0.2), "applications_total"),
        "social_workers": (population * u(0.3, 0.8) / 1000 * (1 + u(-0.05, 0.3) * tn), None),
        "care_plans": (population * u(0.5, 2) / 1000, None),
    }


def _draw(rng, framework, latent) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Draw (M, 8, C) counts per element; also return expected totals (M, T)."""
    draws: dict[str, np.ndarray] = {}
    expected: dict[str, np.ndarray] = {}
    for element in framework.element_ids():
        mean, parent = latent[element]
        shares = _shares(framework, element)
        if parent is None:
            expected[element] = mean
            lam = mean[:, _OUT, None] * shares[None, None, :]
            if element.startswith("population") or element == "social_workers":
                draws[element] = np.round(lam)  # registers of stocks, not noisy counts
            else:
                draws[element] = rng.poisson(lam).astype(float)
        else:
            expected[element] = expected[parent] * mean
            draws[element] = rng.binomial(draws[parent].astype(np.int64),
                                          mean[:, _OUT, None]).astype(float)
    return draws, expected


_TIME_AGG = {
    "sum": lambda x: x.sum(axis=1),
    "average": lambda x: x.mean(axis=1),
    "last": lambda x: x[:, -1],
}


def _expected_indicator(framework, expected, ind, t_idx: np.ndarray) -> np.ndarray:
    agg = _TIME_AGG[ind.aggregation.time]
    num = agg(expected[ind.numerator][:, t_idx])
    if ind.denominator is None:
        return num * ind.factor
    return ind.factor * num / agg(expected[ind.denominator][:, t_idx])


def _targets(rng, framework, expected, mids: np.ndarray) -> pd.DataFrame:
    rows = []
    base_idx = np.arange(0, 4)
    for ind in framework.indicators:
        cumulative = ind.target_type == "cumulative"
        if cumulative:
            baseline = np.zeros(mids.size)
        else:
            baseline = _expected_indicator(framework, expected, ind, base_idx)
            baseline = baseline * rng.normal(1.0, 0.02, mids.size)
        ambition = rng.uniform(0.7, 1.6, mids.size)
        sign = 1.0 if ind.direction == "higher" else -1.0
        decimals = 0 if ind.unit == "count" else 1
        records = [("baseline", "2019", baseline)]
        for year, start in (("2020", 4), ("2021", 8)):
            idx = np.arange(4 if cumulative else start, start + 4)
            exp = _expected_indicator(framework, expected, ind, idx)
            target = baseline + (exp - baseline) * ambition
            floor = baseline + sign * np.maximum(np.abs(baseline) * 0.02, 10.0 ** -decimals)
            target = np.maximum(target, floor) if sign > 0 else np.minimum(target, floor)
            records.append(("target", year, target))
        sexes = ["total"] + (list(DISAGGREGATIONS["sex"]) if ind.id == "beneficiary_satisfaction"
                             else [])
        for kind, period, value in records:
            for sex in sexes:
                rows.append(pd.DataFrame({
                    "indicator_id": ind.id, "municipality_id": mids, "period": period,
                    "sex": sex, "age_group": "total", "kind": kind,
                    "value": np.round(np.maximum(value, 0.0), decimals),
                }))
    return pd.concat(rows, ignore_index=True)


def _values(rng, framework, draws, mids) -> pd.DataFrame:
    m, q = mids.size, len(PERIODS)
    parts = []
    # a missing report drops every service-reported element of that municipality-quarter
    missing = rng.random((m, q)) < _MISSING_REPORT
    missing[0, PERIODS.index("2021Q2")] = False  # keep the planted breach visible
    for element in framework.element_ids():
        arr = draws[element]
        c = arr.shape[2]
        sexes, ages = _cells(framework, element)
        keep = np.ones((m, q, c), dtype=bool)
        if framework.element(element).source != "state_statistics":
            keep &= ~missing[:, :, None]
        keep = keep.ravel()
        parts.append(pd.DataFrame({
            "indicator_id": element,
            "municipality_id": np.repeat(mids, q * c)[keep],
            "period": np.tile(np.repeat(np.array(PERIODS), c), m)[keep],
            "sex": np.tile(np.array(sexes), m * q)[keep],
            "age_group": np.tile(np.array(ages), m * q)[keep],
            "value": arr.ravel()[keep],
            "source": framework.element(element).source,
        }))
    values = pd.concat(parts, ignore_index=True)
    value = values["value"].to_numpy(dtype=float, copy=True)
    # outliers in unbounded elements
    pool = np.flatnonzero(values["indicator_id"].isin(_OUTLIER_ELEMENTS).to_numpy())
    n_out = max(3, pool.size // 1000)
    out = rng.choice(pool, size=min(n_out, pool.size), replace=False)
    value[out] = value[out] * 10 + 10
    # the planted validation breach: served > registered
    key = (values["municipality_id"] == mids[0]) & (values["period"] == "2021Q2")
    served = np.flatnonzero((key & (values["indicator_id"] == "clients_served")).to_numpy())
    registered = np.flatnonzero((key & (values["indicator_id"] == "clients_registered")).to_numpy())
    if served.size and registered.size:
        value[served[0]] = value[registered[0]] + 3
    # a few values reported as missing
    na = rng.random(value.size) < _MISSING_VALUE
    na[served[:1]] = False
    value[na] = np.nan
    values["value"] = value
    return values


def generate(rng: np.random.Generator, geo: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Generate ``indicator_values`` and ``indicator_targets`` for the municipalities in ``geo``.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness; the same seed gives the same tables.
    geo : dict of DataFrame
        Needs ``geo["municipalities"]`` with ``municipality_id`` and ``population``.

    Returns
    -------
    dict
        ``{"indicator_values": ..., "indicator_targets": ...}``.
    """
    framework = load_framework()
    munis = geo["municipalities"]
    mids = munis["municipality_id"].astype(str).to_numpy()
    pop = pd.to_numeric(munis["population"], errors="coerce").astype(float).to_numpy()
    pop = np.where(np.isnan(pop), np.nanmedian(pop) if np.isfinite(pop).any() else 10000.0, pop)
    latent = _latent(rng, pop)
    draws, expected = _draw(rng, framework, latent)
    return {
        "indicator_values": _values(rng, framework, draws, mids),
        "indicator_targets": _targets(rng, framework, expected, mids),
    }
