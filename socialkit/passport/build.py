"""Build the social passport of one municipality from the data-model tables.

Conventions followed
--------------------
* Rates per 1,000 of the group's denominator population (``passport.yaml``); pooled rates are
  ratios of sums over settlements where count and base are both known
  (:func:`~socialkit.passport.rates.pooled_rates`), so the oblast and peer averages are
  population-weighted, as state statistics publish them.
* Populations are the settlements table's (one census per data set), so a change between
  years is the change of the count over the same base.
* Peers: municipalities of the same size class (``size_classes`` in ``passport.yaml``, on the
  municipalities table's population), the municipality itself included, like the oblast.
* Small cells: the suppression pattern is computed once for the whole data set
  (:func:`socialkit.passport.protect.passport_pattern`): counts ``1 <= n < threshold`` are
  suppressed (primary), and further cells (settlement counts, other municipalities' counts,
  oblast or peer rates) so that no suppressed count can be recovered from the settlement,
  municipal, oblast and peer figures of any passport together (secondary; convention in
  :mod:`socialkit.disclosure`). A rate or change whose count is suppressed is withheld.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..access import nearest_destination
from ..disclosure import resolve_threshold
from ..errors import DataValidationError, Problem, SocialkitError
from ..frameworks.passport import PassportSpec, read_passport_spec
from ..i18n import display_name
from ..memo import rows_of
from .protect import PassportPattern, passport_pattern
from .rates import municipal_pools, pick_year, pooled_rates, settlement_rates, size_class

__all__ = [
    "TABLES_NEEDED",
    "Passport",
    "build_passport",
    "load_tables",
    "municipality_name",
    "resolve_municipality",
    "size_class",
]

#: Tables of the data model the passport reads.
TABLES_NEEDED: tuple[str, ...] = ("municipalities", "settlements", "facilities",
                                  "passport_values")


@dataclass
class Passport:
    """The social passport of one municipality (every frame is new; inputs are untouched).

    Attributes
    ----------
    municipality : dict
        ``municipality_id, name, name_local, region, district, region_local, district_local``
        (the last two None when not recorded), ``population, size_class``; and, where the
        data have them, ``country`` and names per language (``name_be``, ``region_be``…), as
        :func:`socialkit.i18n.display_name` reads them.
    year, previous_year : int or None
        The year profiled and the one compared with (None when the data hold no earlier year).
    summary : dict
        Headline figures: ``settlements``, ``residents`` (sum of known settlement
        populations), ``settlements_no_population``, ``residents_age_known`` (residents of
        the settlements whose age structure is known), ``facilities``, ``settlements_no_ssc``
        (no social-service centre in the settlement), ``settlements_beyond_reach`` and
        ``reach_km`` / ``reach_kind`` (nearest facility of that kind farther than reach_km),
        ``peers`` (municipalities in the size class), ``region_municipalities``.
    profile : DataFrame
        One row per group: ``indicator_id, denominator, count, count_prev, change, base,
        rate, rate_prev, rate_change, region_rate, peer_rate, settlements_no_count,
        settlements_no_base`` and ``count_suppressed, count_prev_suppressed`` (bool).
    by_settlement : DataFrame
        Settlement × group for ``year``: ``settlement_id, name, name_local, indicator_id,
        count, base, rate, suppressed, suppression``.
    demography : DataFrame
        ``age_group`` (0-17, 18-59, 60+), ``population``, ``share`` (of the known age total),
        ``settlements_unknown``.
    settlement_kinds : DataFrame
        ``kind, settlements, population, share, settlements_no_population``.
    infrastructure : DataFrame
        Per facility kind: ``facilities, capacity`` (sum of known), ``capacity_unknown``,
        ``settlements_with, settlements_without, population_without``.
    without : DataFrame
        Settlements lacking a facility kind: ``settlement_id, name, name_local, kind,
        population, facility_kind, nearest_km`` (great-circle km to the nearest of that kind
        anywhere in the data, NaN when there is none).
    threshold : int
        Small-cell threshold used.
    spec : PassportSpec
    """

    municipality: dict
    year: int
    previous_year: int | None
    summary: dict
    profile: pd.DataFrame
    by_settlement: pd.DataFrame
    demography: pd.DataFrame
    settlement_kinds: pd.DataFrame
    infrastructure: pd.DataFrame
    without: pd.DataFrame
    threshold: int
    spec: PassportSpec = field(repr=False)


def load_tables(tables: Mapping[str, pd.DataFrame] | str | Path | None,
                needed: tuple[str, ...] = TABLES_NEEDED) -> dict[str, pd.DataFrame]:
    """The tables the passport needs: from a mapping, or loaded from a catalog path.

    ``None`` loads from :func:`socialkit.config.default_catalog`.
    """
    if isinstance(tables, Mapping):
        missing = [n for n in needed if n not in tables]
        if missing:
            raise SocialkitError("the passport needs the table(s) " + ", ".join(missing)
                                 + "; pass them in the mapping or give a catalog")
        return {n: tables[n] for n in needed}
    from ..data import load

    return {n: load(n, tables) for n in needed}


def resolve_municipality(municipalities: pd.DataFrame, municipality_id: str | None) -> str:
    """``municipality_id`` checked against the table, or the table's first one when None."""
    ids = municipalities["municipality_id"]
    if municipality_id is None:
        if ids.empty:
            raise SocialkitError("municipalities: the table is empty")
        return str(ids.iloc[0])
    if municipality_id not in set(ids):
        raise DataValidationError([Problem(
            "municipalities", "unknown municipality", column="municipality_id",
            value=municipality_id, expected="a municipality_id of the municipalities table",
            table="municipalities")])
    return str(municipality_id)


def municipality_name(municipalities: pd.DataFrame, municipality_id: str,
                      lang: str = "en") -> str:
    """The municipality's name in ``lang`` (:func:`socialkit.i18n.display_name`)."""
    row = municipalities.loc[municipalities["municipality_id"] == municipality_id].iloc[0]
    return display_name(row, lang)


def _masked(values, mask: np.ndarray, dtype: str) -> pd.array:
    arr = pd.array(values, dtype=dtype).copy()
    arr[mask] = pd.NA
    return arr


def _by_settlement(pattern: pd.DataFrame, municipality_id: str, years: list[int]
                   ) -> pd.DataFrame:
    """The municipality's settlement cells of the data-set-wide suppression pattern."""
    mine = pattern.loc[(pattern["municipality_id"] == municipality_id)
                       & pattern["year"].isin(years)]
    return mine[["year", "indicator_id", "settlement_id", "count", "suppressed",
                 "suppression"]].reset_index(drop=True)


def build_passport(tables: Mapping[str, pd.DataFrame] | str | Path | None,
                   municipality_id: str | None = None, year: int | None = None,
                   threshold: int | None = None,
                   spec: PassportSpec | str | Path | None = None,
                   visible: Collection[str] | None | str = "self",
                   no_suppression: bool = False) -> Passport:
    """Build the social passport of ``municipality_id``.

    Parameters
    ----------
    tables : mapping of DataFrame, catalog path or None
        ``municipalities, settlements, facilities, passport_values`` as loaded by
        :func:`socialkit.data.load`, or an intake catalog to load them from (None: default).
    municipality_id : str, optional
        The municipality to profile (default: the first of the municipalities table).
    year : int, optional
        Year profiled (default: the latest with counts for the municipality); the change is
        against the latest earlier year in the data.
    threshold : int, optional
        Counts ``1 <= n < threshold`` are suppressed (default :func:`config.suppress_below`;
        it may be raised, not lowered: :func:`socialkit.disclosure.resolve_threshold`).
    spec : PassportSpec or path, optional
        Passport framework (default ``socialkit/frameworks/passport.yaml``).
    visible : collection of str, ``"self"`` or None
        The municipalities the passport's reader sees (default: this one; a dashboard passes
        the user's scope; ``None``: every one). An oblast or peer rate from which a municipality
        outside them could be worked out is withheld (:mod:`socialkit.passport.scoped`).
    no_suppression : bool
        Internal use only: publish every count (a warning goes to stderr; the passport's
        ``threshold`` is 0).

    Returns
    -------
    Passport

    Notes
    -----
    Rate of group :math:`g` in area :math:`A`: :math:`1000 \\sum_{s \\in A} c_{gs} /
    \\sum_{s \\in A} b_{gs}` over settlements with both count :math:`c` and base :math:`b`
    known. Change: :math:`c_{g,y} - c_{g,y'}` and :math:`r_{g,y} - r_{g,y'}`.
    """
    spec = read_passport_spec(spec)
    threshold = resolve_threshold(threshold, no_suppression=no_suppression,
                                  what="the social passport")
    t = load_tables(tables)
    mun, st, fac, pv = (t["municipalities"], t["settlements"], t["facilities"],
                        t["passport_values"])
    municipality_id = resolve_municipality(mun, municipality_id)
    year, prev = pick_year(pv, municipality_id, year)
    mrow = mun.loc[mun["municipality_id"] == municipality_id].iloc[0]
    classes = size_class(mun["population"], spec.size_classes)
    cls_of = dict(zip(mun["municipality_id"], classes, strict=True))
    region_of = dict(zip(mun["municipality_id"], mun["region"], strict=True))
    my_class = cls_of[municipality_id]

    years = [y for y in (year, prev) if y is not None]
    own = pv.iloc[rows_of(pv, "municipality_id", municipality_id)]
    mine = settlement_rates(st, own.loc[own["year"].isin(years)], spec)
    muni = pooled_rates(mine, [], spec.per)
    pools = municipal_pools(st, pv, spec)
    in_region = pools["municipality_id"].map(region_of) == mrow["region"]
    region = _pool(pools.loc[in_region.to_numpy()], spec.per)
    peers = (_pool(pools.loc[(pools["municipality_id"].map(cls_of) == my_class).to_numpy()],
                   spec.per) if not pd.isna(my_class) else region.iloc[0:0])

    pattern = passport_pattern(t, spec, threshold)
    sett = _by_settlement(pattern.settlements, municipality_id, years)
    profile = _profile(spec, muni, region, peers, pattern, municipality_id, mrow["region"],
                       my_class, year, prev)
    by_settlement = _settlement_table(mine, sett, st, year)
    my_st = st.iloc[rows_of(st, "municipality_id", municipality_id)]
    my_fac = fac.iloc[rows_of(fac, "municipality_id", municipality_id)]
    without = _without(my_st, fac, spec)
    summary = _summary(spec, my_st, my_fac, fac, mun, cls_of, my_class, mrow)
    info = {
        "municipality_id": municipality_id, "name": mrow["name"],
        "name_local": mrow["name_local"], "region": mrow["region"],
        "district": mrow["district"],
        "region_local": _local(mrow, "region_local"),
        "district_local": _local(mrow, "district_local"),
        "population": None if pd.isna(mrow["population"]) else int(mrow["population"]),
        "size_class": None if pd.isna(my_class) else int(my_class),
        # what socialkit.i18n.display_name reads besides: the country, names per language
        **{c: mrow[c] for c in mrow.index
           if (c == "country" or c.split("_")[0] in ("name", "region", "district")) and c not in
           ("name", "name_local", "region", "district", "region_local", "district_local")
           and not pd.isna(mrow[c])},
    }
    if visible is not None:  # oblast/peer rates must not reveal a municipality not shown
        from .scoped import withhold_unsafe

        seen = {municipality_id} if visible == "self" else set(visible)
        profile = withhold_unsafe(profile, t, spec, municipality_id, seen, year)
    return Passport(
        municipality=info, year=year, previous_year=prev, summary=summary, profile=profile,
        by_settlement=by_settlement, demography=_demography(my_st),
        settlement_kinds=_settlement_kinds(my_st),
        infrastructure=_infrastructure(spec, my_st, my_fac), without=without,
        threshold=threshold, spec=spec)


def _local(row: pd.Series, column: str) -> str | None:
    """An optional local-language name of a municipalities row (None when not recorded)."""
    value = row.get(column)
    return str(value) if isinstance(value, str) and value else None


def _pool(pools: pd.DataFrame, per: int) -> pd.DataFrame:
    """Sum municipal numerators and bases per year and group: the pooled rate of an area.

    Equal to pooling the area's settlements directly, because each settlement's count and
    base enter a municipal pool together or not at all.
    """
    g = pools.groupby(["year", "indicator_id"], sort=True)[["numerator", "base"]].sum()
    g = g.reset_index()
    b = g["base"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(b > 0, g["numerator"].to_numpy(dtype=float) / b * per, np.nan)
    g["rate"] = pd.array(np.where(np.isnan(rate), None, rate), dtype="Float64")
    return g


def _profile(spec: PassportSpec, muni: pd.DataFrame, region: pd.DataFrame,
             peers: pd.DataFrame, pattern: PassportPattern, municipality_id: str,
             region_id: str, my_class, year: int, prev: int | None) -> pd.DataFrame:
    def at(frame: pd.DataFrame, y: int | None) -> pd.DataFrame:
        if y is None:
            return frame.iloc[0:0].set_index("indicator_id")
        return frame.loc[frame["year"] == y].set_index("indicator_id")

    def flag(frame: pd.DataFrame, col: str, y: int | None) -> np.ndarray:
        if y is None:
            return np.zeros(len(ids), dtype=bool)
        return at(frame, y)[col].reindex(ids).fillna(False).to_numpy(dtype=bool)

    ids = pd.Index(spec.group_ids, name="indicator_id")
    cur, old = at(muni, year).reindex(ids), at(muni, prev).reindex(ids)
    pm = pattern.municipalities.loc[pattern.municipalities["municipality_id"]
                                    == municipality_id]
    sup_cur, sup_old = flag(pm, "count_suppressed", year), flag(pm, "count_suppressed", prev)
    rate_cur = sup_cur | flag(pm, "rate_suppressed", year)
    rate_old = sup_old | flag(pm, "rate_suppressed", prev)
    ref_hidden = {
        "region_rate": flag(pattern.regions.loc[pattern.regions["region"] == region_id],
                            "suppressed", year),
        "peer_rate": (flag(pattern.peers.loc[pattern.peers["size_class"] == my_class],
                           "suppressed", year) if not pd.isna(my_class)
                      else np.ones(len(ids), dtype=bool)),
    }
    out = pd.DataFrame({"indicator_id": pd.array(list(ids), dtype="str")})
    out["denominator"] = pd.array([spec.denominator(g) for g in ids], dtype="str")
    c = pd.to_numeric(cur["count"]).to_numpy(dtype=float, na_value=np.nan)
    p = pd.to_numeric(old["count"]).to_numpy(dtype=float, na_value=np.nan)
    r = pd.to_numeric(cur["rate"]).to_numpy(dtype=float, na_value=np.nan)
    rp = pd.to_numeric(old["rate"]).to_numpy(dtype=float, na_value=np.nan)
    out["count"] = _masked(np.where(np.isnan(c), None, c), sup_cur, "Int64")
    out["count_prev"] = _masked(np.where(np.isnan(p), None, p), sup_old, "Int64")
    either = sup_cur | sup_old
    out["change"] = _masked(np.where(np.isnan(c - p), None, c - p), either, "Int64")
    out["base"] = pd.array(cur["base"].to_numpy(), dtype="Int64")
    out["rate"] = _masked(np.where(np.isnan(r), None, r), rate_cur, "Float64")
    out["rate_prev"] = _masked(np.where(np.isnan(rp), None, rp), rate_old, "Float64")
    out["rate_change"] = _masked(np.where(np.isnan(r - rp), None, r - rp),
                                 either | rate_cur | rate_old, "Float64")
    for name, frame in (("region_rate", region), ("peer_rate", peers)):
        ref = at(frame, year).reindex(ids)
        vals = pd.to_numeric(ref["rate"]).to_numpy(dtype=float, na_value=np.nan)
        out[name] = _masked(np.where(np.isnan(vals), None, vals), ref_hidden[name], "Float64")
    out["settlements_no_count"] = cur["settlements_no_count"].fillna(0).to_numpy(dtype=int)
    out["settlements_no_base"] = cur["settlements_no_base"].fillna(0).to_numpy(dtype=int)
    out["count_suppressed"] = sup_cur
    out["count_prev_suppressed"] = sup_old
    return out


def _settlement_table(mine: pd.DataFrame, sett: pd.DataFrame, st: pd.DataFrame,
                      year: int) -> pd.DataFrame:
    cur = mine.loc[mine["year"] == year].reset_index(drop=True)
    s = sett.loc[sett["year"] == year]
    s = s.set_index(["settlement_id", "indicator_id"])
    key = pd.MultiIndex.from_frame(cur[["settlement_id", "indicator_id"]])
    hidden = s["suppressed"].reindex(key).fillna(False).to_numpy(dtype=bool)
    names = st.set_index("settlement_id")[["name", "name_local", *_other_names(st)]]
    out = cur[["settlement_id"]].join(names, on="settlement_id")
    out["indicator_id"] = cur["indicator_id"]
    out["count"] = _masked(cur["count"].to_numpy(), hidden, "Int64")
    out["base"] = pd.array(cur["base"].to_numpy(), dtype="Int64")
    out["rate"] = _masked(cur["rate"].to_numpy(), hidden, "Float64")
    out["suppressed"] = hidden
    out["suppression"] = s["suppression"].reindex(key).to_numpy()
    return out.reset_index(drop=True)


_AGE_COLUMNS = ["pop_0_17", "pop_18_59", "pop_60_plus"]


def _demography(st: pd.DataFrame) -> pd.DataFrame:
    cols = dict(zip(("0-17", "18-59", "60+"), _AGE_COLUMNS, strict=True))
    known = st[list(cols.values())].notna().all(axis=1)
    pops = [int(pd.to_numeric(st.loc[known, c]).sum()) for c in cols.values()]
    total = sum(pops)
    return pd.DataFrame({
        "age_group": pd.array(list(cols), dtype="str"),
        "population": pd.array(pops, dtype="Int64"),
        "share": [p / total if total else np.nan for p in pops],
        "settlements_unknown": int((~known).sum()),
    })


def _settlement_kinds(st: pd.DataFrame) -> pd.DataFrame:
    pop = pd.to_numeric(st["population"])
    g = pd.DataFrame({"kind": st["kind"], "pop": pop.fillna(0).astype("int64"),
                      "no_pop": pop.isna().astype(int)})
    agg = g.groupby("kind", sort=False).agg(settlements=("pop", "size"),
                                            population=("pop", "sum"),
                                            settlements_no_population=("no_pop", "sum"))
    order = [k for k in ("city", "town", "village") if k in agg.index] + \
        [k for k in agg.index if k not in ("city", "town", "village")]
    agg = agg.reindex(order).reset_index()
    total = agg["population"].sum()
    agg["population"] = pd.array(agg["population"], dtype="Int64")
    agg["share"] = agg["population"].astype(float) / total if total else np.nan
    return agg[["kind", "settlements", "population", "share", "settlements_no_population"]]


def _infrastructure(spec: PassportSpec, st: pd.DataFrame, fac: pd.DataFrame) -> pd.DataFrame:
    pop = pd.to_numeric(st.set_index("settlement_id")["population"])
    rows = []
    for kind in spec.facility_kinds:
        f = fac.loc[fac["kind"] == kind]
        cap = pd.to_numeric(f["capacity"])
        have = set(f["settlement_id"]) & set(st["settlement_id"])
        lacking = pop.loc[~pop.index.isin(list(have))]
        rows.append({
            "kind": kind, "facilities": len(f),
            "capacity": int(cap.sum()) if cap.notna().any() else pd.NA,
            "capacity_unknown": int(cap.isna().sum()),
            "settlements_with": len(have), "settlements_without": len(st) - len(have),
            "population_without": int(lacking.sum()),
        })
    out = pd.DataFrame(rows, columns=["kind", "facilities", "capacity", "capacity_unknown",
                                      "settlements_with", "settlements_without",
                                      "population_without"])
    out["kind"] = out["kind"].astype("str")
    out["capacity"] = pd.array(out["capacity"], dtype="Int64")
    return out


def _without(st: pd.DataFrame, all_fac: pd.DataFrame, spec: PassportSpec) -> pd.DataFrame:
    frames = []
    for kind in spec.facility_kinds:
        f = all_fac.iloc[rows_of(all_fac, "kind", kind)]
        lacking = st.loc[~st["settlement_id"].isin(f["settlement_id"])]
        if lacking.empty:
            continue
        near = nearest_destination(lacking, f)
        part = lacking[["settlement_id", "name", "name_local", "kind", "population",
                        *_other_names(st)]].copy()
        part["facility_kind"] = kind
        part["nearest_km"] = near["cost"].reindex(lacking["settlement_id"]).to_numpy()
        frames.append(part)
    cols = ["settlement_id", "name", "name_local", "kind", "population", "facility_kind",
            "nearest_km"]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in cols[:4]}
                            | {"population": pd.Series(dtype="Int64"),
                               "facility_kind": pd.Series(dtype="str"),
                               "nearest_km": pd.Series(dtype=float)})
    out = pd.concat(frames, ignore_index=True)
    out["facility_kind"] = out["facility_kind"].astype("str")
    return out[cols + _other_names(st)]


def _other_names(st: pd.DataFrame) -> list[str]:
    """Names per language the settlements carry besides ``name_local`` (``name_be``), which
    :func:`socialkit.i18n.display_names` shows to readers of that language."""
    return [c for c in st.columns if c.startswith("name_") and c != "name_local"]


def _summary(spec: PassportSpec, st: pd.DataFrame, my_fac: pd.DataFrame,
             all_fac: pd.DataFrame, mun: pd.DataFrame, cls_of: dict, my_class,
             mrow: pd.Series) -> dict:
    pop = pd.to_numeric(st["population"])
    kind = spec.reach.kind
    ssc = all_fac.iloc[rows_of(all_fac, "kind", kind)]
    near = nearest_destination(st, ssc)["cost"].to_numpy(dtype=float)
    beyond = int((np.nan_to_num(near, nan=np.inf) > spec.reach.threshold_km).sum())
    return {
        "settlements": len(st),
        "residents": int(pop.sum()),
        "settlements_no_population": int(pop.isna().sum()),
        "residents_age_known": int(pop[st[_AGE_COLUMNS].notna().all(axis=1)].sum()),
        "facilities": len(my_fac),
        "settlements_no_ssc": int((~st["settlement_id"].isin(ssc["settlement_id"])).sum()),
        "reach_kind": kind,
        "reach_km": spec.reach.threshold_km,
        "settlements_beyond_reach": beyond,
        "peers": int(sum(1 for v in cls_of.values() if not pd.isna(my_class)
                         and not pd.isna(v) and v == my_class)),
        "region_municipalities": int((mun["region"] == mrow["region"]).sum()),
    }
