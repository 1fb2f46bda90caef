"""User-facing text in several languages, and number/date formatting per language.

Messages are gettext catalogs (``.po``), one folder per language and one file per domain, read
compiled (see :mod:`socialkit.i18n.catalogs`)::

    socialkit/i18n/locale/en/LC_MESSAGES/core.po      # keys are "core.<key>"
    socialkit/i18n/locale/uk/LC_MESSAGES/core.po
    socialkit/i18n/locale/sr/LC_MESSAGES/maturity.po  # Serbian in Cyrillic; sr-Latn is derived

A message's key is its gettext context (``msgctxt "maturity.levels.initial"``), its English
text the ``msgid``. Texts are ``str.format`` templates. A key missing in a language falls back
to English; a key missing in English is returned as the key itself (and the i18n tests fail on
any such key). The translator's workflow is in ``docs/i18n.md``.

A message that depends on a count has plural forms (``msgid_plural``; CLDR plural rules from
Babel) and is read with :func:`tn`, which picks the form for the language (Ukrainian: 1, 21 →
one; 2–4, 22 → few; 5–20, 25 → many).

Numbers and dates are formatted with Babel's CLDR data for the language, so ``1234.5`` reads
``1,234.5`` in English and ``1 234,5`` in Ukrainian.

>>> t("core.yes", "uk")
'так'
>>> format_number(1234.5, "uk", decimals=1).replace("\\xa0", " ")
'1 234,5'
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from functools import cache

from babel import dates as _bdates
from babel import numbers as _bnumbers

from ..config import SUPPORTED_LANGS, default_lang, resolve_lang
from .catalogs import LOCALES as _LOCALES
from .catalogs import read_messages
from .names import display_name, display_names, reads_local_names
from .translit import to_cyrillic, to_latin

__all__ = [
    "LANGS",
    "Translator",
    "available_keys",
    "display_name",
    "display_names",
    "reads_local_names",
    "format_date",
    "language_name_in",
    "currency_name",
    "format_money",
    "format_number",
    "format_percent",
    "format_period",
    "language_name",
    "plural_form",
    "t",
    "tn",
    "to_cyrillic",
    "to_latin",
]

LANGS: tuple[str, ...] = SUPPORTED_LANGS

#: CLDR plural categories a plural message may carry (``other`` is required).
PLURAL_FORMS: frozenset[str] = frozenset({"zero", "one", "two", "few", "many", "other"})


def _catalogs(lang: str) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    return read_messages(lang)


def _catalog(lang: str) -> dict[str, str]:
    return _catalogs(lang)[0]


def available_keys(lang: str = "en") -> set[str]:
    """Every message key defined for ``lang``."""
    return set(_catalog(lang))


def _check_lang(lang: str | None) -> str:
    lang = resolve_lang(lang) if lang else default_lang()
    if lang not in _LOCALES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    return lang


def t(key: str, lang: str | None = None, /, **kwargs: object) -> str:
    """Translate ``key`` into ``lang`` and fill its ``{placeholders}`` from ``kwargs``.

    Falls back to English, then to the key itself.
    """
    lang = _check_lang(lang)
    template = _catalog(lang).get(key)
    if template is None:
        template = _catalog("en").get(key, key)
    return template.format(**kwargs) if kwargs else template


def plural_form(n: float | int, lang: str | None = None) -> str:
    """The CLDR plural category of ``n`` in ``lang`` (Babel): ``one``, ``few``, ``many``, ``other``.

    >>> [plural_form(n, "uk") for n in (1, 2, 5, 21)]
    ['one', 'few', 'many', 'one']
    >>> [plural_form(n, "en") for n in (1, 2, 5, 21)]
    ['one', 'other', 'other', 'other']
    """
    lang = _check_lang(lang)
    return _locale(lang).plural_form(abs(n))


@cache
def _locale(lang: str):
    from babel import Locale

    return Locale.parse(_LOCALES[lang])


def language_name(lang: str, capital: bool = False) -> str:
    """The name of ``lang`` in that language (CLDR, via Babel), with the script where the
    language has two: what a language switch and a report's title page show.

    >>> language_name("uk"), language_name("sr-Latn", capital=True), language_name("en")
    ('українська', 'Srpski (latinica)', 'English')
    """
    lang = _check_lang(lang)
    loc = _locale(lang)
    name = loc.get_language_name(loc) or lang
    if loc.script:
        name += f" ({loc.get_script_name(loc)})"
    return name[:1].upper() + name[1:] if capital else name


def language_name_in(lang: str, reader: str | None = None, capital: bool = False) -> str:
    """The name of ``lang`` in the ``reader``'s language (CLDR, via Babel), with the script
    where the language has two: what a list of documents says a document is written in.

    >>> language_name_in("uk", "en"), language_name_in("en", "uk", capital=True)
    ('Ukrainian', 'Англійська')
    >>> language_name_in("sr-Latn", "en")
    'Serbian (Latin)'
    """
    lang, reader = _check_lang(lang), _check_lang(reader)
    loc, into = _locale(lang), _locale(reader)
    name = into.languages.get(loc.language) or lang
    if loc.script:
        name += f" ({into.scripts.get(loc.script, loc.script)})"
    return name[:1].upper() + name[1:] if capital else name


def tn(key: str, n: float | int, lang: str | None = None, /, **kwargs: object) -> str:
    """Translate a count-dependent message: the plural form of ``n`` in ``lang``.

    ``{n}`` in the message is ``n`` formatted for the language (unless ``n=`` is given);
    other placeholders come from ``kwargs``. A plain (non-plural) message works too. Falls back
    to ``other``, then to English, then to the key.

    >>> tn("summary.count.settlements", 21, "uk")
    '21 населений пункт'
    >>> tn("summary.count.settlements", 5, "en")
    '5 settlements'
    """
    lang = _check_lang(lang)
    if "n" not in kwargs:
        kwargs["n"] = format_number(n, lang)
    for code in (lang, "en"):
        forms = _catalogs(code)[1].get(key)
        if forms is not None:
            form = plural_form(n, code)
            return forms.get(form, forms["other"]).format(**kwargs)
        if key in _catalog(code):
            return _catalog(code)[key].format(**kwargs)
    return key


def currency_name(code: str, lang: str | None = None) -> str:
    """A currency's short name in ``lang`` (``core.currency.<ISO>``: грн, lei, руб.), else its
    ISO code; several codes joined by ", " each get their name."""
    lang = _check_lang(lang)
    keys = available_keys(lang)
    return ", ".join(t(f"core.currency.{c}", lang) if f"core.currency.{c}" in keys else c
                     for c in code.split(", ") if c)


def format_money(value: float, currency: str, lang: str | None = None) -> str:
    """An amount with the currency's name for ``lang`` (``core.money``), whole units, on one
    line (no-break spaces): ``1 450 000 грн``."""
    return t("core.money", lang, amount=format_number(value, lang),
             currency=currency_name(currency, lang)).replace(" ", "\u00a0")


def format_number(value: float | int | None, lang: str | None = None, decimals: int = 0) -> str:
    """Format a number for ``lang`` with a fixed number of decimals; missing gives ``"–"``."""
    lang = _check_lang(lang)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    try:
        if value != value:  # pandas NA/NaN
            return "–"
    except TypeError:
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return _bnumbers.format_decimal(
        round(float(value), decimals), format=pattern, locale=_LOCALES[lang]
    )


_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


def format_period(period: object, lang: str | None = None) -> str:
    """An ISO period for a reader of ``lang``: a quarter ``2021Q3`` reads ``3 кв. 2021`` in
    Ukrainian (``2021 Q3`` in English); years and months are unchanged.

    >>> format_period("2021Q3", "uk"), format_period("2021Q3", "en"), format_period("2021", "uk")
    ('3 кв. 2021', '2021 Q3', '2021')
    """
    lang = _check_lang(lang)
    text = str(period)
    m = _QUARTER.match(text)
    if m is None:
        return text
    return t("summary.quarter", lang, year=m.group(1), q=m.group(2))


def format_percent(value: float | None, lang: str | None = None, decimals: int = 0) -> str:
    """Format a share (0.25) as a percentage for ``lang`` (``25%`` / ``25 %``)."""
    lang = _check_lang(lang)
    if value is None or value != value:
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "") + "%"
    return _bnumbers.format_percent(value, format=pattern, locale=_LOCALES[lang])


def format_date(value: _dt.date | str, lang: str | None = None, fmt: str = "long") -> str:
    """Format a date for ``lang`` (``fmt`` is a Babel format: short, medium, long)."""
    lang = _check_lang(lang)
    if isinstance(value, str):
        value = _dt.date.fromisoformat(value[:10])
    return _bdates.format_date(value, format=fmt, locale=_LOCALES[lang])


class Translator:
    """A translator bound to one language: ``tr = Translator("uk"); tr("core.yes")``."""

    def __init__(self, lang: str | None = None):
        self.lang = _check_lang(lang)

    def __call__(self, key: str, /, **kwargs: object) -> str:
        return t(key, self.lang, **kwargs)

    def n(self, key: str, n: float | int, /, **kwargs: object) -> str:
        return tn(key, n, self.lang, **kwargs)

    def number(self, value: float | None, decimals: int = 0) -> str:
        return format_number(value, self.lang, decimals)

    def percent(self, value: float | None, decimals: int = 0) -> str:
        return format_percent(value, self.lang, decimals)

    def date(self, value: _dt.date | str, fmt: str = "long") -> str:
        return format_date(value, self.lang, fmt)
