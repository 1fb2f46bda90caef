"""Serbian Cyrillic ↔ Latin transliteration (the standard one-to-one alphabets).

Serbian text is stored once, in Cyrillic (the official script); the Latin-script text
(``sr-Latn``) is derived with :func:`to_latin`. Each of the 30 Cyrillic letters has exactly one
Latin counterpart (``љ`` → ``lj``, ``њ`` → ``nj``, ``џ`` → ``dž``, ``ђ`` → ``đ``, ``ћ`` → ``ć``,
``ж`` → ``ž``, ``ч`` → ``č``, ``ш`` → ``š``…). The three digraphs are written ``Lj``/``Nj``/``Dž``
at the start of a capitalised word and ``LJ``/``NJ``/``DŽ`` inside an all-capitals word.

``{placeholders}`` of a ``str.format`` template are left as they are (their names and format
fields are code, not text), so a template can be transliterated before it is filled:

>>> to_latin("Љубљана, Њива, Џеп, Ђорђе, Ћуприја, Жеља, Чачак, Шабац")
'Ljubljana, Njiva, Džep, Đorđe, Ćuprija, Želja, Čačak, Šabac'
>>> to_latin("ЉИЉА и {name} у {n:,} насеља")
'LJILJA i {name} u {n:,} naselja'
>>> to_cyrillic("Džep, LJILJA, Ljubljana")
'Џеп, ЉИЉА, Љубљана'
"""

from __future__ import annotations

import re

__all__ = ["CYRILLIC_TO_LATIN", "to_cyrillic", "to_latin"]

#: The Serbian Cyrillic alphabet (lower case) and its Latin counterpart, in alphabet order.
CYRILLIC_TO_LATIN: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž", "з": "z",
    "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "ć", "у": "u", "ф": "f", "х": "h", "ц": "c",
    "ч": "č", "џ": "dž", "ш": "š",
}

_TO_LAT: dict[str, str] = {**CYRILLIC_TO_LATIN,
                           **{c.upper(): lat.capitalize() for c, lat in CYRILLIC_TO_LATIN.items()}}
_TO_CYR: dict[str, str] = {lat: c for c, lat in CYRILLIC_TO_LATIN.items()}
_TO_CYR.update({lat.capitalize(): c.upper() for c, lat in CYRILLIC_TO_LATIN.items()})
_TO_CYR.update({lat.upper(): c.upper() for c, lat in CYRILLIC_TO_LATIN.items()})
#: Latin letters and digraphs, longest first (``dž`` before ``d``).
_LATIN = re.compile("|".join(sorted(map(re.escape, _TO_CYR), key=len, reverse=True)))
_FIELD = re.compile(r"(\{\{|\}\}|\{[^{}]*\})")
_DIGRAPH_CAPS = {"Lj": "LJ", "Nj": "NJ", "Dž": "DŽ"}


def _latin_text(text: str) -> str:
    out = []
    for i, ch in enumerate(text):
        lat = _TO_LAT.get(ch, ch)
        if lat in _DIGRAPH_CAPS:
            # all capitals when a neighbouring letter is a capital too: ЉИЉА → LJILJA
            nxt = text[i + 1] if i + 1 < len(text) else ""
            prev = text[i - 1] if i > 0 else ""
            if (nxt.isalpha() and nxt.isupper()) or (prev.isalpha() and prev.isupper()
                                                     and not (nxt.isalpha() and nxt.islower())):
                lat = _DIGRAPH_CAPS[lat]
        out.append(lat)
    return "".join(out)


def _outside_fields(text: str, convert) -> str:
    parts = _FIELD.split(text)
    return "".join(p if i % 2 else convert(p) for i, p in enumerate(parts))


def to_latin(text: str) -> str:
    """Serbian Cyrillic text in the Latin script; ``{placeholders}`` are kept as they are."""
    if not text:
        return text
    return _outside_fields(text, _latin_text)


def to_cyrillic(text: str) -> str:
    """Serbian Latin text in the Cyrillic script (the inverse of :func:`to_latin`).

    Notes
    -----
    Serbian Latin has no way to tell the digraph ``nj`` from the letters ``n`` + ``j`` (e.g.
    *injekcija*); the standard reading as a digraph is used. Foreign words and acronyms written in
    Latin are converted too: pass only Serbian text.
    """
    if not text:
        return text
    return _outside_fields(text, lambda s: _LATIN.sub(lambda m: _TO_CYR[m.group(0)], s))
