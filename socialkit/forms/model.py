"""A loaded form: fields, choice lists, labels per language, socialkit's settings.

Built by :func:`socialkit.forms.load_form` from an XLSForm; immutable; no database, no UI.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from ..config import resolve_lang
from ..i18n.catalogs import CATALOG_LANG, SCRIPTS
from .expressions import Node

__all__ = ["LANGUAGE_CODES", "Choice", "Field", "Form", "language_code", "pick_text"]

#: socialkit's language codes for the languages a form's label columns may carry.
LANGUAGE_CODES: tuple[str, ...] = ("en", "uk", "ro", "sr-Cyrl", "sr-Latn", "ru", "be")

_NAMES = {
    "english": "en", "ukrainian": "uk", "українська": "uk", "romanian": "ro", "română": "ro",
    "romana": "ro", "moldovenească": "ro", "serbian": "sr-Cyrl", "српски": "sr-Cyrl",
    "srpski": "sr-Latn", "serbian (latin)": "sr-Latn", "russian": "ru", "русский": "ru",
    "belarusian": "be", "беларуская": "be",
}
_CODES = {"en": "en", "uk": "uk", "ua": "uk", "ro": "ro", "mo": "ro", "sr": "sr-Cyrl",
          "sr-cyrl": "sr-Cyrl", "sr-latn": "sr-Latn", "ru": "ru", "be": "be"}


def language_code(header_language: str) -> str:
    """socialkit's code for an XLSForm language name (``"Srpski (sr)"`` → ``"sr-Cyrl"``).

    The code in parentheses wins (``sr`` is Serbian in Cyrillic, as in socialkit's catalogs;
    ``sr-Latn`` the Latin script); otherwise the language's name; an unknown language keeps
    its own name, so forms in other languages still load.

    >>> language_code("Srpski (sr)"), language_code("English (en)"), language_code("Română")
    ('sr-Cyrl', 'en', 'ro')
    >>> language_code("Magyar (hu)")
    'hu'
    """
    text = header_language.strip()
    m = re.search(r"\(([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)\)\s*$", text)
    if m:
        code = m.group(1).replace("_", "-")
        return _CODES.get(code.lower(), code)
    return _NAMES.get(text.lower(), text)


def _other_script(texts: Mapping[str, str], lang: str) -> str | None:
    """The text of ``lang``'s language in its other script, when ``lang`` is derived from it
    by transliteration (``sr-Latn`` from ``sr-Cyrl``; :data:`socialkit.i18n.catalogs.SCRIPTS`)."""
    if lang not in SCRIPTS:
        return None
    base = CATALOG_LANG[lang]
    return next((texts[code] for code, b in CATALOG_LANG.items()
                 if b == base and code != lang and code not in SCRIPTS and code in texts), None)


def pick_text(texts: Mapping[str, str], lang: str, default_lang: str | None = None) -> str | None:
    """The text of ``texts`` (language code → text) for a reader of ``lang``.

    ``sr`` means ``sr-Cyrl``; ``sr-Latn`` without a Latin column is transliterated from the
    Cyrillic one when :mod:`socialkit.i18n.translit` is available. Falls back to the form's
    default language, then English, then any text; ``None`` if there is none.

    >>> pick_text({"en": "Staff", "sr-Cyrl": "Особље"}, "sr")
    'Особље'
    >>> pick_text({"en": "Staff"}, "uk")
    'Staff'
    """
    if not texts:
        return None
    lang = resolve_lang(lang)
    if lang in texts:
        return texts[lang]
    source = _other_script(texts, lang)
    if source is not None:
        return SCRIPTS[lang](source)
    for code in (default_lang, "default", "en"):
        if code and code in texts:
            return texts[code]
    return next(iter(texts.values()))


@dataclass(frozen=True)
class Choice:
    """One option of a choice list."""

    name: str
    labels: Mapping[str, str] = field(default_factory=dict)


#: XLSForm types whose value socialkit validates, and how it stores them.
VALUE_TYPES: frozenset[str] = frozenset({
    "integer", "decimal", "text", "select_one", "select_multiple", "date", "geopoint", "calculate",
})
#: Metadata types ODK/Kobo forms carry (start, end, …): kept as text, never required.
META_TYPES: frozenset[str] = frozenset({
    "start", "end", "today", "deviceid", "username", "phonenumber", "simserial", "subscriberid",
    "email", "audit", "start-geopoint",
})


@dataclass(frozen=True, eq=False)
class Field:
    """One row of the survey sheet (a question, a calculation, a note, a group or a repeat)."""

    name: str
    type: str                           # integer, decimal, text, select_one, …, group, repeat
    row: int                            # line of the survey sheet (header = 1)
    path: tuple[str, ...]               # enclosing groups/repeats, outermost first, then name
    repeat: str | None = None           # the repeat this field belongs to (None: top level)
    labels: Mapping[str, str] = field(default_factory=dict)
    hints: Mapping[str, str] = field(default_factory=dict)
    list_name: str | None = None
    choices: tuple[Choice, ...] = ()
    required: Node | None = None        # None: not required
    required_messages: Mapping[str, str] = field(default_factory=dict)
    constraint: Node | None = None
    constraint_text: str | None = None
    constraint_messages: Mapping[str, str] = field(default_factory=dict)
    relevant: Node | None = None
    relevant_text: str | None = None
    calculation: Node | None = None
    calculation_text: str | None = None
    default: str | None = None
    parents: tuple[str, ...] = ()       # names of the enclosing groups/repeats

    @property
    def has_value(self) -> bool:
        """Whether a submission carries a value for this field."""
        return self.type in VALUE_TYPES or self.type in META_TYPES

    @property
    def column(self) -> str:
        """The field's column in a Kobo/ODK export: its group path joined with ``/``."""
        return "/".join(self.path)

    @cached_property
    def choice_names(self) -> frozenset[str]:
        return frozenset(c.name for c in self.choices)


@dataclass(frozen=True, eq=False)
class Form:
    """A loaded XLSForm.

    ``settings`` holds the settings sheet as read; socialkit's own keys are parsed into
    ``period_type`` (``quarter``, ``year``, ``month`` or ``None``), ``sensitive`` (records
    need the domestic-violence right) and ``institution_type``.
    """

    form_id: str
    version: str
    source: str
    fields: tuple[Field, ...]
    titles: Mapping[str, str] = field(default_factory=dict)
    languages: tuple[str, ...] = ()
    default_language: str | None = None
    period_type: str | None = None
    sensitive: bool = False
    institution_type: str | None = None
    settings: Mapping[str, str] = field(default_factory=dict)

    @cached_property
    def by_name(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}

    def field(self, name: str) -> Field:
        return self.by_name[name]

    @property
    def value_fields(self) -> tuple[Field, ...]:
        """Fields that carry a value, in the order of the survey sheet."""
        return tuple(f for f in self.fields if f.has_value)

    @property
    def repeats(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.type == "repeat")

    def label(self, name: str, lang: str = "en") -> str:
        """The label of field ``name`` for a reader of ``lang`` (the name if it has none)."""
        f = self.by_name[name]
        return pick_text(f.labels, lang, self.default_language) or name

    def title(self, lang: str = "en") -> str:
        return pick_text(self.titles, lang, self.default_language) or self.form_id

    def choice_label(self, name: str, choice: str, lang: str = "en") -> str:
        for c in self.by_name[name].choices:
            if c.name == choice:
                return pick_text(c.labels, lang, self.default_language) or choice
        return choice
