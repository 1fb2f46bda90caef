"""Names of places in the reader's language: the one rule every report and page uses.

A municipality, settlement, service or facility carries an English name (``name``; ``region``,
``district``) and may carry its name in the country's own language (``name_local``,
``region_local``, ``district_local``). Whether a reader of ``lang`` sees the local name depends
on the place's country, as listed in ``socialkit/i18n/local_names.yaml``: a Ukrainian hromada's
local name is Ukrainian, so it is shown in Ukrainian reports and the English name everywhere
else; a Serbian municipality's local name is Cyrillic, shown in ``sr-Cyrl`` and transliterated
in ``sr-Latn``. A column ``name_<lang>`` (``name_ru``), where filled, wins for that language.

The country of a row is its ``country`` column, else the two-letter prefix of its id
(``municipality_id``, ``settlement_id``, any ``*_id``: ``UA14020100006634663`` → ``UA``) when
that is a country of the rules. A row whose country cannot be told shows its local name to every
reader but an English one (as socialkit did before it knew more than one country), in the
reader's script where the language has two (``sr-Latn`` reads it transliterated). Where a row
has no ``<field>_local`` but a column in its country's language (``name_ru`` of a Belarusian
row), that column is its local name.

>>> row = {"municipality_id": "UA1402", "name": "Mykolaivka", "name_local": "Миколаївка"}
>>> display_name(row, "uk"), display_name(row, "ro"), display_name(row, "en")
('Миколаївка', 'Mykolaivka', 'Mykolaivka')
>>> rs = {"country": "RS", "name": "Novi Sad", "name_local": "Нови Сад"}
>>> display_name(rs, "sr-Cyrl"), display_name(rs, "sr-Latn"), display_name(rs, "uk")
('Нови Сад', 'Novi Sad', 'Novi Sad')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

import yaml

from ..config import PACKAGE_DIR, resolve_lang
from .catalogs import CATALOG_LANG, SCRIPTS

__all__ = ["display_name", "display_names", "local_names_rules", "reads_local_names"]

_RULES_FILE = PACKAGE_DIR / "i18n" / "local_names.yaml"
_COUNTRY = re.compile(r"^([A-Z]{2})")


@cache
def local_names_rules() -> dict[str, dict[str, Any]]:
    """``{country: {"names_in": lang, "shown_for": [lang, ...]}}`` from ``local_names.yaml``."""
    data = yaml.safe_load(_RULES_FILE.read_text(encoding="utf-8")) or {}
    return {str(c): {"names_in": v["names_in"], "shown_for": list(v["shown_for"])}
            for c, v in data.items()}


def _blank(value: object) -> bool:
    if value is None:
        return True
    try:
        if value != value:  # NaN / NA
            return True
    except TypeError:
        return True
    return not str(value).strip()


def _country_of(row: Mapping[str, Any], country: str | None) -> str | None:
    if country:
        return country
    value = row.get("country") if hasattr(row, "get") else None
    if not _blank(value):
        return str(value)
    keys = [k for k in ("municipality_id", "settlement_id") if k in row]
    keys += [k for k in row if str(k).endswith("_id") and k not in keys]
    for k in keys:
        m = _COUNTRY.match(str(row[k])) if not _blank(row[k]) else None
        if m and m.group(1) in local_names_rules():
            return m.group(1)
    return None


def _converter(lang: str, country: str | None):
    """How a local name of ``country`` is shown to a reader of ``lang``: ``None`` (not shown)
    or a function of the name (identity, or a change of script)."""
    if country is None:  # nothing says whose name it is: any reader but an English one sees it
        return None if lang == "en" else SCRIPTS.get(lang, str)
    rule = local_names_rules().get(country)
    if rule is None or lang not in rule["shown_for"]:
        return None
    names_in = rule["names_in"]
    if lang != names_in and lang in SCRIPTS and CATALOG_LANG.get(names_in) == CATALOG_LANG[lang]:
        return SCRIPTS[lang]
    return str


def reads_local_names(lang: str, country: str) -> bool:
    """Whether a reader of ``lang`` is shown ``country``'s texts in its local language (the
    ``shown_for`` of ``local_names.yaml``): e.g. Russian and Belarusian readers in Belarus.

    >>> reads_local_names("be", "BY"), reads_local_names("en", "BY")
    (True, False)
    """
    return _converter(resolve_lang(lang), country) is not None


def display_name(row: Mapping[str, Any], lang: str, field: str = "name",
                 country: str | None = None) -> str:
    """The name of one place (a row: dict or pandas Series) as a reader of ``lang`` sees it.

    ``field`` is ``name``, ``region`` or ``district`` (read from ``<field>``,
    ``<field>_local`` and ``<field>_<lang>``); ``country`` overrides the row's own.
    """
    lang = resolve_lang(lang)
    own = row.get(f"{field}_{CATALOG_LANG.get(lang, lang)}")
    if not _blank(own):
        return SCRIPTS[lang](str(own)) if lang in SCRIPTS else str(own)
    english = row.get(field)
    local = row.get(f"{field}_local")
    place = _country_of(row, country)
    if _blank(local) and place in local_names_rules():
        names_in = local_names_rules()[place]["names_in"]
        local = row.get(f"{field}_{CATALOG_LANG.get(names_in, names_in)}")
    if not _blank(local):
        convert = _converter(lang, place)
        if convert is not None:
            return convert(str(local))
    if _blank(english):
        return "" if _blank(local) else str(local)
    return str(english)


def display_names(frame, lang: str, field: str = "name", country: str | None = None):
    """:func:`display_name` of every row of a DataFrame, as a Series aligned with it."""
    import pandas as pd

    cols = [c for c in frame.columns
            if c in (field, f"{field}_local", "country") or str(c).endswith("_id")
            or str(c).startswith(f"{field}_")]
    if not cols:
        return pd.Series([""] * len(frame), index=frame.index, dtype=object)
    sub = frame[cols]
    return pd.Series([display_name(r, lang, field, country) for r in sub.to_dict("records")],
                     index=frame.index, dtype=object)

