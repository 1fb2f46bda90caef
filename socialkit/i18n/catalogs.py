"""Reading the gettext catalogs: languages, their folders, compiled ``.mo`` files, plural forms.

Messages are gettext catalogs, one ``.po`` file per language and domain::

    socialkit/i18n/locale/uk/LC_MESSAGES/core.po      # keys "core.<key>"
    socialkit/i18n/locale/sr/LC_MESSAGES/maturity.po  # Serbian, Cyrillic

Each message has the key as its context (``msgctxt "maturity.levels.initial"``), the English
text as ``msgid`` and the translation as ``msgstr``; a count-dependent message has
``msgid_plural`` and one ``msgstr[i]`` per gettext plural form of the language (Babel's
``Plural-Forms``). Catalogs are read compiled. An installed package carries them compiled:
its build (``setup.py``) writes the ``.mo`` beside each ``.po`` and, in each locale folder,
``compiled.json`` with the SHA-256 of the ``.po`` each ``.mo`` came from; :func:`compiled` reads
that ``.mo`` while the ``.po`` is unchanged. A ``.po`` without one (a source checkout) or edited
since (a translator's change) is compiled on first use into :func:`socialkit.config.cache_dir`
under the hash of its content, so an edited ``.po`` is always compiled again and an unchanged
one never. Fuzzy messages are not compiled: they read as English until a translator confirms
them.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path

from .. import config
from .translit import to_latin

__all__ = [
    "PLURAL_FORMS",
    "CATALOG_LANG",
    "LOCALES",
    "SCRIPTS",
    "catalog_plural_categories",
    "compiled",
    "shipped",
    "is_text_node",
    "read_messages",
    "text_nodes",
]

#: Babel locale of each supported language (numbers, dates, plural rules).
LOCALES: dict[str, str] = {"en": "en_GB", "uk": "uk_UA", "ro": "ro_MD",
                           "sr-Cyrl": "sr_Cyrl_RS", "sr-Latn": "sr_Latn_RS",
                           "ru": "ru_BY", "be": "be_BY"}
#: The catalog folder (gettext language code) each language is read from. Serbian is stored
#: once, in Cyrillic, under ``sr`` (gettext's and Weblate's code for Serbian in Cyrillic).
CATALOG_LANG: dict[str, str] = {"en": "en", "uk": "uk", "ro": "ro", "sr-Cyrl": "sr",
                                "sr-Latn": "sr", "ru": "ru", "be": "be"}
#: Languages derived from another one's catalog by a change of script.
SCRIPTS: dict[str, Callable[[str], str]] = {"sr-Latn": to_latin}

_ORDER = ("zero", "one", "two", "few", "many", "other")

_EAST_SLAVIC = ("(n % 1 == 0 && n % 10 == 1 && n % 100 != 11 ? 0 : "
                "n % 1 == 0 && n % 10 >= 2 && n % 10 <= 4 && (n % 100 > 14 || n % 100 < 12) ? 1 : "
                "n % 1 == 0 && (n % 10 == 0 || (n % 10 >= 5 && n % 10 <= 9) || "
                "(n % 100 >= 11 && n % 100 <= 14)) ? 2 : 3)")
#: Languages whose catalogs carry a form for fractions that gettext's usual rule has no room
#: for: ``(nplurals, plural expression)``. CLDR gives Ukrainian, Russian and Belarusian four
#: categories, ``one few many other``, ``other`` being the fractions ("16,7 бала", not
#: "балів"); gettext's usual three-form rule counts whole numbers only. The four-form rule is
#: the one Transifex and Weblate use for these languages (``n % 1`` tells a fraction); it is
#: the ``Plural-Forms`` of their ``.po`` files, and new catalogs get it.
PLURAL_FORMS: dict[str, tuple[int, str]] = {code: (4, _EAST_SLAVIC) for code in ("uk", "ru", "be")}


@cache
def catalog_plural_categories(code: str) -> tuple[str, ...]:
    """The CLDR plural category of each gettext plural form (``msgstr[i]``) of ``code``.

    gettext numbers the forms in CLDR order. Ukrainian, Russian and Belarusian have all four
    CLDR categories, ``other`` being the form for fractions (:data:`PLURAL_FORMS`); elsewhere
    the number of forms is Babel's ``Plural-Forms`` for the language.

    >>> catalog_plural_categories("uk"), catalog_plural_categories("ro")
    (('one', 'few', 'many', 'other'), ('one', 'few', 'other'))
    >>> catalog_plural_categories("en")
    ('one', 'other')
    """
    from babel import Locale
    from babel.messages.plurals import get_plural

    tags = Locale.parse(code.replace("-", "_")).plural_form.tags
    cats = [c for c in _ORDER if c in tags or c == "other"]
    n = PLURAL_FORMS[code][0] if code in PLURAL_FORMS else get_plural(
        code.replace("-", "_")).num_plurals
    return tuple(cats[:n])


def _writable(folder: Path) -> Path | None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


#: The manifest of a locale folder's shipped ``.mo`` files (written by the build, ``setup.py``).
MANIFEST = "compiled.json"


@cache
def _manifest(root: Path) -> dict[str, str]:
    try:
        data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def shipped(po: Path, digest: str | None = None) -> Path | None:
    """The ``.mo`` the package was built with for ``po``, if it was compiled from this very
    content (``digest``: the SHA-256 of the ``.po``), else ``None``."""
    mo = po.with_suffix(".mo")
    root = po.parent.parent.parent
    if not mo.is_file():
        return None
    digest = digest or hashlib.sha256(po.read_bytes()).hexdigest()
    return mo if _manifest(root).get(po.relative_to(root).as_posix()) == digest else None


def compiled(po: Path) -> Path:
    """The ``.mo`` file compiled from ``po``: the one shipped beside it (:func:`shipped`), else
    one compiled now if this content never was.

    Compiled ones are kept in ``<cache_dir>/i18n/`` under the SHA-256 of the ``.po``; when that
    folder cannot be written (a read-only home), in the system's temporary folder.
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    data = po.read_bytes()
    full = hashlib.sha256(data).hexdigest()
    mo = shipped(po, full)
    if mo is not None:
        return mo
    digest = full[:20]
    lang = po.parent.parent.name
    folder = (_writable(config.cache_dir() / "i18n")
              or _writable(Path(tempfile.gettempdir()) / f"socialkit-{os.getuid()}" / "i18n"))
    if folder is None:
        raise OSError("no writable folder for the compiled message catalogs; "
                      "set SOCIALKIT_CACHE_DIR")
    mo = folder / f"{lang}-{po.stem}-{digest}.mo"
    if not mo.is_file():
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=lang.replace("-", "_"), domain=po.stem)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".mo.tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                write_mo(out, catalog, use_fuzzy=False)
            os.replace(tmp, mo)  # atomic: parallel workers may compile the same file
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return mo


def po_files(root: Path, code: str) -> list[Path]:
    """The ``.po`` files of catalog language ``code`` under ``root`` (sorted by domain)."""
    return sorted((root / code / "LC_MESSAGES").glob("*.po"))


@cache
def _read(root: Path, code: str, domains: tuple[str, ...] | None
          ) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    from babel.messages.mofile import read_mo

    plain: dict[str, str] = {}
    plurals: dict[str, dict[str, str]] = {}
    cats = catalog_plural_categories(code)
    for po in po_files(root, code):
        if domains is not None and po.stem not in domains:
            continue
        with compiled(po).open("rb") as fh:
            catalog = read_mo(fh)
        for m in catalog:
            if not m.id:
                continue
            key = m.context or (m.id[0] if isinstance(m.id, (list, tuple)) else m.id)
            if isinstance(key, bytes):  # Babel's read_mo leaves the context undecoded
                key = key.decode("utf-8")
            if isinstance(m.id, (list, tuple)):
                forms = {c: s for c, s in zip(cats, m.string, strict=False) if s}
                if not forms:
                    continue
                forms.setdefault("other", forms[cats[-1]] if cats[-1] in forms
                                 else list(forms.values())[-1])
                plurals[key] = forms
                plain[key] = forms["other"]
            elif m.string:
                plain[key] = m.string
    return plain, plurals


def read_messages(lang: str, root: Path | None = None, domains: tuple[str, ...] | None = None
                  ) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Messages of supported language ``lang``: ``{key: text}`` and ``{key: {category: text}}``
    for the plural ones (each also in the first mapping, as its ``other`` form).

    ``root`` is the locale folder (default :func:`socialkit.config.locale_dir`); ``domains``
    limits the files read (framework translations: one domain per framework).
    """
    root = _resolved(root or config.locale_dir())
    plain, plurals = _read(root, CATALOG_LANG.get(lang, lang), domains)
    script = SCRIPTS.get(lang)
    if script is None:
        return plain, plurals
    return _scripted(root, lang, domains)


@lru_cache(maxsize=64)
def _resolved(root: Path) -> Path:
    """``root.resolve()`` once per path: every ``t()`` reads the messages through
    :func:`read_messages`, and resolving the folder (a system call per path component) was
    most of its cost (~500 calls per report)."""
    return root.resolve()


@cache
def _scripted(root: Path, lang: str, domains: tuple[str, ...] | None):
    plain, plurals = _read(root, CATALOG_LANG[lang], domains)
    script = SCRIPTS[lang]
    return ({k: script(v) for k, v in plain.items()},
            {k: {c: script(v) for c, v in forms.items()} for k, forms in plurals.items()})


def clear_cache() -> None:
    """Forget the catalogs read in this process (after a ``.po`` changed)."""
    _read.cache_clear()
    _resolved.cache_clear()
    _scripted.cache_clear()
    _manifest.cache_clear()


_LANG_KEY = __import__("re").compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")


def is_text_node(node: object) -> bool:
    """Whether ``node`` is a framework text in several languages: ``{en: ..., uk: ...}``."""
    return (isinstance(node, dict) and isinstance(node.get("en"), str)
            and bool(node["en"].strip())
            and all(isinstance(k, str) and _LANG_KEY.match(k) for k in node)
            and all(v is None or isinstance(v, str) for v in node.values()))


def text_nodes(data: object):
    """Every text node of a parsed framework file, in file order (a generator)."""
    if is_text_node(data):
        yield data
    elif isinstance(data, dict):
        for v in data.values():
            yield from text_nodes(v)
    elif isinstance(data, list):
        for v in data:
            yield from text_nodes(v)
