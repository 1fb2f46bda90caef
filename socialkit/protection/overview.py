"""The store report's analyses: providers and their coverage, the centres' workload against
benchmarks and vacancies, residential occupancy and its trend, domestic violence — from the
accepted records, read through the intake catalog (``catalogs/store_*.yaml``).

:func:`read_store` reads the catalog (the domestic-violence records from its
``accepted_values_restricted`` entry, present only in a catalog for users with that right);
:func:`overview` computes every table for one municipality (its centre for social work, its
providers and institutions) or for the province. Results are language-free (ids, codes,
numbers); every count of people in them has gone through :mod:`socialkit.disclosure`
(counts of 1–4 blanked; a ratio whose count is blanked is blanked with it), the
domestic-violence tables through :func:`~socialkit.protection.dv_tables` (threshold and
secondary suppression), computed for the whole province so that every report cuts the same
published cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..disclosure import publish, resolve_threshold
from ..frameworks.store_report import Benchmarks, load_benchmarks
from .dv import ALL, DVTables, dv_tables, wide_records

__all__ = ["PROVINCE", "Overview", "StoreData", "overview", "read_store", "store_units"]

#: The unit of the province report.
PROVINCE = "province"
_FORMS = ("providers", "csw_state", "residential")


@dataclass(frozen=True)
class StoreData:
    """The accepted records, one row per record and one column per field, per form, and the
    institutions (``institution_id, kind, name, municipality_id, parent_id``)."""

    institutions: pd.DataFrame
    providers: pd.DataFrame
    csw: pd.DataFrame
    residential: pd.DataFrame
    dv: pd.DataFrame | None
    source: str = ""


def _entry(path: Path, name: str, **params) -> pd.DataFrame:
    from ..data.catalog import read_entry

    return read_entry(path, name, **params)


def read_store(catalog: str | Path, db_url: str | None = None) -> StoreData:
    """The accepted records through the intake catalog at ``catalog`` (``db_url``: its
    ``db_url`` parameter, default the catalog's, i.e. ``SOCIALKIT_DB_URL``). Domestic
    violence is read when the catalog has ``accepted_values_restricted``, else ``dv`` is None.
    """
    from ..data.catalog import open_catalog

    path = Path(catalog)
    params = {"db_url": db_url} if db_url else {}
    entries = set(open_catalog(path).entries)
    frames = {}
    for form_id in _FORMS:
        frames[form_id] = wide_records(_entry(path, "accepted_values", form_id=form_id,
                                              **params))
    dv = None
    if "accepted_values_restricted" in entries:
        dv = wide_records(_entry(path, "accepted_values_restricted",
                                 form_id="domestic_violence", **params))
    inst = _entry(path, "institutions", **params)
    return StoreData(inst, frames["providers"], frames["csw_state"], frames["residential"], dv,
                     str(path))


def store_units(data: StoreData) -> list[str]:
    """The municipalities with a centre for social work in the store, sorted."""
    inst = data.institutions
    return sorted(inst.loc[inst["kind"] == "csw", "municipality_id"].dropna().unique())


@dataclass(frozen=True)
class Overview:
    """Every table of one report (language-free; counts already published).

    * ``providers``: one row per provider (latest year): ``institution_id, municipality_id,
      period, services`` (list of codes), ``capacity, users, utilisation, waiting_list``;
    * ``coverage``: per service code, ``municipalities`` offering it (of ``of``), and whether
      the unit's municipality has it (``here``; province: None);
    * ``csw``: one row per centre (latest quarter): ``staff, case_managers, active_cases,
      cases_per_manager, over_benchmark, positions, vacancies, vacancy_rate, over_vacancy``;
    * ``csw_trend``: per quarter, ``active_cases, case_managers, cases_per_manager,
      vacancies, positions`` summed over the unit's centres;
    * ``residential``: per institution (latest year) ``capacity, occupancy, occupancy_rate,
      admissions, discharges, deaths, near_capacity``; ``residential_trend`` per year;
    * ``dv``: the published tables (cut to the unit), ``dv_trend`` victims per quarter.
    """

    unit: str
    municipality_id: str | None
    periods: dict[str, str | None]
    providers: pd.DataFrame
    coverage: pd.DataFrame
    csw: pd.DataFrame
    csw_trend: pd.DataFrame
    residential: pd.DataFrame
    residential_trend: pd.DataFrame
    dv: DVTables | None
    dv_trend: pd.DataFrame | None
    benchmarks: Benchmarks
    municipalities: int


def _num(frame: pd.DataFrame, cols) -> pd.DataFrame:
    out = frame.copy()
    for c in cols:
        out[c] = pd.to_numeric(out[c], errors="coerce") if c in out else np.nan
    return out


def _latest(frame: pd.DataFrame) -> str | None:
    """The latest period for which at least half as many records were accepted as in the
    period with the most (a period still under review is not the report's "latest")."""
    if not len(frame):
        return None
    n = frame.groupby("period").size()
    return str(n[n >= 0.5 * n.max()].index.max())


def _of_unit(frame: pd.DataFrame, municipality_id: str | None) -> pd.DataFrame:
    if municipality_id is None or frame.empty:
        return frame
    return frame[frame["municipality_id"] == municipality_id]


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    num, den = num.astype("Float64"), den.astype("Float64")
    return (num / den.where(den > 0)).astype("Float64")


def _providers(data: StoreData, mun: str | None, threshold: int):
    frame = _num(data.providers, ["capacity", "users_total", "waiting_list"])
    latest = _latest(frame)
    frame = frame[frame["period"] == latest] if latest else frame
    services = frame.get("services_offered", pd.Series("", index=frame.index)).fillna("")
    frame = frame.assign(services=services.map(lambda s: sorted(str(s).split())))
    all_mun = frame.groupby("municipality_id")["services"].sum() if len(frame) else pd.Series()
    codes = sorted({c for lst in frame["services"] for c in lst})
    n_mun = len(store_units(data))
    cov = pd.DataFrame({
        "service": codes,
        "municipalities": [int(sum(c in set(v) for v in all_mun)) for c in codes],
        "of": n_mun,
        "here": [None if mun is None else c in set(all_mun.get(mun, [])) for c in codes]})
    unit = _of_unit(frame, mun)
    out = pd.DataFrame({
        "institution_id": unit["institution_id"], "municipality_id": unit["municipality_id"],
        "period": unit["period"], "services": unit["services"],
        "capacity": unit["capacity"].astype("Int64"),
        "users": unit["users_total"].round().astype("Int64"),
        "waiting_list": unit["waiting_list"].round().astype("Int64")})
    out["utilisation"] = _ratio(out["users"], out["capacity"])
    out = publish(out, counts=["users", "waiting_list"], threshold=threshold)
    out.loc[out["users"].isna(), "utilisation"] = pd.NA     # the rate gives the count back
    return out.sort_values(["municipality_id", "institution_id"]).reset_index(drop=True), \
        cov, latest


def _csw(data: StoreData, mun: str | None, bench: Benchmarks, threshold: int):
    cols = ["staff_total", "case_managers", "active_cases", "positions_approved", "vacancies"]
    frame = _of_unit(_num(data.csw, cols), mun)
    latest = _latest(frame)
    trend = (frame.groupby("period")[["active_cases", "case_managers", "vacancies",
                                      "positions_approved"]].sum(min_count=1).reset_index()
             if len(frame) else pd.DataFrame(columns=["period", "active_cases", "case_managers",
                                                      "vacancies", "positions_approved"]))
    trend = trend.rename(columns={"positions_approved": "positions"})
    trend["centres"] = trend["period"].map(frame.groupby("period").size()).astype("Int64")
    trend["cases_per_manager"] = _ratio(trend["active_cases"], trend["case_managers"])
    trend["vacancy_rate"] = _ratio(trend["vacancies"], trend["positions"])
    for c in ("active_cases", "case_managers", "vacancies", "positions"):
        trend[c] = trend[c].round().astype("Int64")
    trend = publish(trend, counts=["active_cases", "case_managers"], threshold=threshold)
    trend.loc[trend["case_managers"].isna() | trend["active_cases"].isna(),
              "cases_per_manager"] = pd.NA
    cur = frame[frame["period"] == latest] if latest else frame
    out = pd.DataFrame({"institution_id": cur["institution_id"],
                        "municipality_id": cur["municipality_id"], "period": cur["period"]})
    for c in cols:
        out[c] = cur[c].round().astype("Int64")
    out = out.rename(columns={"staff_total": "staff", "positions_approved": "positions"})
    out["cases_per_manager"] = _ratio(out["active_cases"], out["case_managers"])
    out["vacancy_rate"] = _ratio(out["vacancies"], out["positions"])
    out = publish(out, counts=["staff", "case_managers", "active_cases"], threshold=threshold)
    out.loc[out["case_managers"].isna() | out["active_cases"].isna(), "cases_per_manager"] = pd.NA
    out["over_benchmark"] = (out["cases_per_manager"] > bench.csw.cases_per_manager).astype(
        "boolean")
    out["over_vacancy"] = (out["vacancy_rate"] > bench.csw.vacancy_rate).astype("boolean")
    return out.sort_values("municipality_id").reset_index(drop=True), trend, latest


def _residential(data: StoreData, mun: str | None, bench: Benchmarks, threshold: int):
    flows = ["discharges_family", "discharges_foster", "discharges_community",
             "discharges_institution"]
    frame = _of_unit(_num(data.residential, ["capacity", "occupancy", "admissions", "deaths",
                                              *flows]), mun)
    if len(frame):
        frame = frame.assign(discharges=frame[flows].sum(axis=1, min_count=1))
    else:
        frame = frame.assign(discharges=pd.Series(dtype=float))
    latest = _latest(frame)
    counts = ["occupancy", "admissions", "discharges", "deaths"]
    trend = (frame.groupby("period")[["capacity", *counts]].sum(min_count=1).reset_index()
             if len(frame) else pd.DataFrame(columns=["period", "capacity", *counts]))
    for c in ("capacity", *counts):
        trend[c] = trend[c].round().astype("Int64")
    trend["institutions"] = trend["period"].map(frame.groupby("period").size()).astype("Int64")
    trend["occupancy_rate"] = _ratio(trend["occupancy"], trend["capacity"])
    trend = publish(trend, counts=counts, threshold=threshold)
    trend.loc[trend["occupancy"].isna(), "occupancy_rate"] = pd.NA
    cur = frame[frame["period"] == latest] if latest else frame
    out = pd.DataFrame({"institution_id": cur["institution_id"],
                        "municipality_id": cur["municipality_id"], "period": cur["period"],
                        "kind": cur.get("institution_kind")})
    for c in ("capacity", *counts):
        out[c] = cur[c].round().astype("Int64")
    out["occupancy_rate"] = _ratio(out["occupancy"], out["capacity"])
    out = publish(out, counts=counts, threshold=threshold)
    out.loc[out["occupancy"].isna(), "occupancy_rate"] = pd.NA
    out["near_capacity"] = (out["occupancy_rate"] >= bench.residential.occupancy_rate).astype(
        "boolean")
    return out.sort_values(["municipality_id", "institution_id"]).reset_index(drop=True), \
        trend, latest


def _dv(data: StoreData, mun: str | None, threshold: int):
    if data.dv is None:
        return None, None, None
    # the province's municipal table, so every report cuts the same published cells
    tables = dv_tables(data.dv, unit="municipality_id", threshold=threshold)
    key = ALL if mun is None else mun

    def cut(frame: pd.DataFrame) -> pd.DataFrame:
        if frame.empty:
            return frame
        return frame[frame["municipality_id"] == key].drop(columns="municipality_id") \
            .reset_index(drop=True)

    victims = cut(tables.victims)
    if mun is None:   # the province's forms and measures: published from its own sums
        prov = dv_tables(data.dv, unit=None, threshold=threshold)
        forms, measures = prov.forms, prov.measures
    else:
        forms, measures = cut(tables.forms), cut(tables.measures)
    trend = victims[(victims["dimension"] == "sex")].pivot_table(
        index="period", columns="category", values="victims", aggfunc="first",
        dropna=False).reset_index() if len(victims) else None
    if trend is not None:
        trend.columns.name = None
        units = _of_unit(data.dv, mun)
        trend["centres"] = trend["period"].map(units.groupby("period").size()).astype("Int64")
    latest = _latest(_of_unit(data.dv, mun))
    return DVTables(victims, forms, measures), trend, latest


def overview(data: StoreData, municipality_id: str | None = None, *,
             benchmarks: Benchmarks | None = None, threshold: int | None = None) -> Overview:
    """Every table of the report of ``municipality_id`` (None: the province).

    Parameters
    ----------
    data
        :func:`read_store`.
    municipality_id
        A municipality with a centre for social work in the store, or None.
    benchmarks
        Default: the shipped ``store_report.yaml``.
    threshold
        Small-cell threshold (default the suite's, 5; may only be raised).

    Raises
    ------
    SocialkitError
        When the municipality has no centre for social work in the store.
    """
    from ..errors import SocialkitError

    bench = benchmarks or load_benchmarks()
    threshold = resolve_threshold(threshold)
    units = store_units(data)
    if municipality_id is not None and municipality_id not in units:
        raise SocialkitError(f"municipality '{municipality_id}': no centre for social work of "
                             f"the store is in it; expected one of {', '.join(units[:12])}"
                             f"{' …' if len(units) > 12 else ''}")
    providers, coverage, p_year = _providers(data, municipality_id, threshold)
    csw, csw_trend, c_q = _csw(data, municipality_id, bench, threshold)
    res, res_trend, r_year = _residential(data, municipality_id, bench, threshold)
    dv, dv_trend, d_q = _dv(data, municipality_id, threshold)
    return Overview(
        unit=PROVINCE if municipality_id is None else municipality_id,
        municipality_id=municipality_id,
        periods={"providers": p_year, "csw": c_q, "residential": r_year, "dv": d_q},
        providers=providers, coverage=coverage, csw=csw, csw_trend=csw_trend,
        residential=res, residential_trend=res_trend, dv=dv, dv_trend=dv_trend,
        benchmarks=bench, municipalities=len(units))
