"""Localised passport tables and the headline sentence for notebooks, dashboards and PDFs.

Numbers are formatted for the language with :mod:`socialkit.i18n`; a suppressed cell reads
``t("passport.suppressed")`` (so a reader can tell it from a missing one, "–").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from ..i18n import display_name, display_names, format_number, format_percent, t, tn
from .build import Passport

__all__ = [
    "TABLE_NAMES",
    "region_label",
    "comparison_frame",
    "demography_frame",
    "findings_labels",
    "first_page",
    "headline",
    "infrastructure_frame",
    "passport_table",
]


def _num(values, lang: str, decimals: int = 0, hidden=None) -> list[str]:
    vals = pd.Series(values).tolist()
    hidden = np.zeros(len(vals), dtype=bool) if hidden is None else np.asarray(hidden)
    return [t("passport.suppressed", lang) if h else format_number(
        None if pd.isna(v) else float(v), lang, decimals) for v, h in zip(vals, hidden,
                                                                       strict=True)]


def _signed(values, lang: str, decimals: int, hidden) -> list[str]:
    out = _num(values, lang, decimals, hidden)
    return [("+" + s) if not pd.isna(v) and float(v) > 0 and not h else s
            for s, v, h in zip(out, pd.Series(values).tolist(), hidden, strict=True)]


def _pct(values, lang: str) -> list[str]:
    return [format_percent(None if pd.isna(v) else float(v), lang, 1) for v in values]


def _col(name: str, lang: str) -> str:
    return t(f"passport.columns.{name}", lang)


def _profile(p: Passport, lang: str, **_: object) -> pd.DataFrame:
    f = p.profile
    hid = f["count_suppressed"].to_numpy(bool)
    either = hid | f["count_prev_suppressed"].to_numpy(bool)
    return pd.DataFrame({
        _col("group", lang): [t(f"passport.groups.{g}", lang) for g in f["indicator_id"]],
        _col("per", lang): [t(f"passport.per.{d}", lang) for d in f["denominator"]],
        _col("count", lang): _num(f["count"], lang, 0, hid),
        _col("change", lang): _signed(f["change"], lang, 0, either),
        _col("rate", lang): _num(f["rate"], lang, 1, hid),
        _col("rate_change", lang): _signed(f["rate_change"], lang, 1, either),
        _col("region_rate", lang): _num(f["region_rate"], lang, 1),
        _col("peer_rate", lang): _num(f["peer_rate"], lang, 1),
    })


def _demography(p: Passport, lang: str, **_: object) -> pd.DataFrame:
    f = p.demography
    return pd.DataFrame({
        _col("age_group", lang): [t(f"passport.age_groups.{a}", lang) for a in f["age_group"]],
        _col("population", lang): _num(f["population"], lang),
        _col("share", lang): _pct(f["share"], lang),
    })


def _settlement_kinds(p: Passport, lang: str, **_: object) -> pd.DataFrame:
    f = p.settlement_kinds
    return pd.DataFrame({
        _col("settlement_kind", lang): [t(f"passport.settlement_kinds.{k}", lang)
                                        for k in f["kind"]],
        _col("settlements", lang): _num(f["settlements"], lang),
        _col("population", lang): _num(f["population"], lang),
        _col("share", lang): _pct(f["share"], lang),
    })


def _infrastructure(p: Passport, lang: str, **_: object) -> pd.DataFrame:
    f = p.infrastructure
    return pd.DataFrame({
        _col("facility_kind", lang): [t(f"passport.facility_kinds.{k}", lang)
                                      for k in f["kind"]],
        _col("facilities", lang): _num(f["facilities"], lang),
        _col("capacity", lang): _num(f["capacity"], lang),
        _col("settlements_without", lang): _num(f["settlements_without"], lang),
        _col("population_without", lang): _num(f["population_without"], lang),
    })


def _without(p: Passport, lang: str, kinds: Sequence[str] | None = None,
             **_: object) -> pd.DataFrame:
    f = p.without
    if kinds is not None:
        f = f.loc[f["facility_kind"].isin(list(kinds))]
    f = f.sort_values(["facility_kind", "nearest_km"], ascending=[True, False], kind="stable")
    return pd.DataFrame({
        _col("settlement", lang): display_names(f, lang).tolist(),
        _col("settlement_kind", lang): [t(f"passport.settlement_kinds.{k}", lang)
                                        for k in f["kind"]],
        _col("population", lang): [t("passport.no_population", lang) if pd.isna(v)
                                   else format_number(float(v), lang) for v in f["population"]],
        _col("facility_kind", lang): [t(f"passport.facility_kinds.{k}", lang)
                                      for k in f["facility_kind"]],
        _col("nearest_km", lang): _num(f["nearest_km"], lang, 1),
    })


def _by_settlement(p: Passport, lang: str, **_: object) -> pd.DataFrame:
    """Settlement × group counts of the year, small cells (and cells that would reveal them
    through the municipal total) shown as suppressed."""
    f = p.by_settlement
    order = list(dict.fromkeys(f["settlement_id"]))
    first = f.drop_duplicates("settlement_id")
    names = pd.Series(display_names(first, lang).to_numpy(), index=first["settlement_id"])
    out = pd.DataFrame({_col("settlement", lang): [str(names[s]) for s in order]})
    for g in p.spec.group_ids:
        cells = f.loc[f["indicator_id"] == g].set_index("settlement_id").reindex(order)
        out[t(f"passport.groups.{g}", lang)] = _num(
            cells["count"], lang, 0, cells["suppressed"].fillna(False).to_numpy(bool))
    return out


def _consistency(p: Passport, lang: str, **_: object) -> pd.DataFrame:
    """Counts printed in two sections with two values
    (:func:`~socialkit.passport.consistency.check_passport_counts`)."""
    from .consistency import check_passport_counts

    f = check_passport_counts(p)
    return pd.DataFrame({
        t("summary.consistency.col.rule", lang): [t(f"summary.consistency.rule.{r}", lang)
                                                  for r in f["rule"]],
        t("summary.consistency.col.used", lang): _num(f["used"], lang),
        t("summary.consistency.col.other", lang): _num(f["other"], lang),
        t("summary.consistency.col.difference", lang): _signed(
            f["difference"], lang, 0, np.zeros(len(f), dtype=bool)),
    })


_TABLES: dict[str, Callable[..., pd.DataFrame]] = {
    "profile": _profile,
    "by_settlement": _by_settlement,
    "demography": _demography,
    "settlement_kinds": _settlement_kinds,
    "infrastructure": _infrastructure,
    "without": _without,
    "consistency": _consistency,
}
#: Names accepted by :func:`passport_table`.
TABLE_NAMES: tuple[str, ...] = tuple(_TABLES)


def passport_table(passport: Passport, name: str, lang: str = "en", **options: object
                   ) -> pd.DataFrame:
    """A passport table ready to show: localised column names, formatted numbers.

    Parameters
    ----------
    passport : Passport
    name : str
        One of :data:`TABLE_NAMES`.
    lang : str
        ``en`` or ``uk``.
    **options
        ``without`` accepts ``kinds`` (facility kinds to list).

    Returns
    -------
    DataFrame of str
    """
    if name not in _TABLES:
        raise KeyError(f"unknown passport table '{name}'; expected one of "
                       + ", ".join(TABLE_NAMES))
    return _TABLES[name](passport, lang, **options).reset_index(drop=True)


def headline(passport: Passport, lang: str = "en") -> str:
    """One paragraph of headline figures (settlements, residents, reach), for the report text."""
    s, m = passport.summary, passport.municipality
    kind = t(f"passport.facility_kinds.{s['reach_kind']}", lang)
    text = " ".join([
        t("summary.text.passport_headline", lang,
          name=display_name(m, lang),
          settlements=tn("summary.count.settlements", s["settlements"], lang),
          residents=tn("summary.count_residents", s["residents"], lang),
          facilities=tn("summary.count_facilities", s["facilities"], lang)),
        tn("summary.text.passport_no_own", s["settlements_no_ssc"], lang, kind=kind),
        tn("summary.text.passport_beyond", s["settlements_beyond_reach"], lang,
           km=format_number(s["reach_km"], lang)),
    ])
    if s["settlements_no_population"]:
        text += " " + tn("summary.count.settlements_no_population",
                         s["settlements_no_population"], lang)
    return text


def first_page(passport: Passport, lang: str = "en") -> str:
    """The passport's first page (HTML): findings and recommendations of
    :func:`socialkit.passport.findings.passport_findings`."""
    from ..findings import first_page_html
    from .findings import passport_findings

    f = passport_findings(passport)
    labels = findings_labels(passport, lang)
    m = passport.municipality
    lead = t("summary.lead.passport", lang, name=display_name(m, lang), year=passport.year)
    return first_page_html(f, lang, labels, lead=lead)


def findings_labels(passport: Passport, lang: str = "en") -> dict[str, str]:
    """Names in ``lang`` of the ids the passport findings use: groups and facility kinds."""
    labels = {g: t(f"passport.groups.{g}", lang) for g in passport.spec.group_ids}
    labels.update({k: t(f"passport.facility_kinds.{k}", lang)
                   for k in passport.spec.facility_kinds})
    return labels


def comparison_frame(passport: Passport, lang: str = "en") -> pd.DataFrame:
    """Long frame for :func:`socialkit.plots.passport.rates_comparison`.

    Columns ``group``, ``area`` (municipality, oblast, peers; localised) and ``rate``;
    suppressed and missing rates are NA.
    """
    f = passport.profile
    names = [t(f"passport.groups.{g}", lang) for g in f["indicator_id"]]
    parts = []
    for col, area in (("rate", "municipality"), ("region_rate", "region"),
                      ("peer_rate", "peers")):
        parts.append(pd.DataFrame({"group": names, "area": t(f"passport.areas.{area}", lang),
                                   "rate": pd.to_numeric(f[col]).astype("Float64")}))
    return pd.concat(parts, ignore_index=True)


def demography_frame(passport: Passport, lang: str = "en") -> pd.DataFrame:
    """``age_group`` (localised) and ``population`` for the age-structure bars."""
    f = passport.demography
    return pd.DataFrame({"age_group": [t(f"passport.age_groups.{a}", lang)
                                       for a in f["age_group"]],
                         "population": f["population"].to_numpy()})


def infrastructure_frame(passport: Passport, lang: str = "en") -> pd.DataFrame:
    """Long ``kind, status, settlements``: settlements with / without each facility kind."""
    f = passport.infrastructure
    kinds = [t(f"passport.facility_kinds.{k}", lang) for k in f["kind"]]
    return pd.concat([
        pd.DataFrame({"kind": kinds, "status": t("passport.plot.with", lang),
                      "settlements": f["settlements_with"].to_numpy()}),
        pd.DataFrame({"kind": kinds, "status": t("passport.plot.without", lang),
                      "settlements": f["settlements_without"].to_numpy()}),
    ], ignore_index=True)


def region_label(region: str, lang: str = "en", local: object = None,
                 country: str | None = None) -> str:
    """The region's name in ``lang``: the data's local name (``region_local``) where the
    country's rule shows it to a reader of ``lang`` (:func:`socialkit.i18n.display_name`; with
    no ``country``, to every reader but an English one), else the message catalog's, else as
    recorded."""
    row = {"region": region, "region_local": local, "country": country}
    shown = display_name(row, lang, "region")
    if shown != region:
        return shown
    key = f"passport.regions.{region}"
    text = t(key, lang)
    return region if text == key else text
