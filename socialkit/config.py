"""Every path and setting socialkit uses, in one place.

Nothing else in the package builds a path from scratch: it asks this module. Each setting can
be overridden with an environment variable, read when the function is called (so tests and
batch workers can change it).

================================  ==========================================================
environment variable              meaning
================================  ==========================================================
``SOCIALKIT_CATALOG``             the default intake catalog (default: ``catalogs/demo.yaml``)
``SOCIALKIT_REPORTS_DIR``         where generated reports go (default: ``reports/``)
``SOCIALKIT_LANG``                default language of user-facing text (``en``; one of
                                  :data:`SUPPORTED_LANGS`, or an alias such as ``sr``)
``SOCIALKIT_LOCALE_DIR``          gettext catalogs (``.po``) of the messages (default: the
                                  package's ``i18n/locale``; a translator's checkout)
``SOCIALKIT_CACHE_DIR``           compiled catalogs (``.mo``) and other caches (default:
                                  ``$XDG_CACHE_HOME/socialkit`` or ``~/.cache/socialkit``)
``SOCIALKIT_SUPPRESS_BELOW``      counts from 1 to this value minus one are suppressed (5;
                                  raise only: below 5 is an error, see socialkit.disclosure)
``SOCIALKIT_DOCUMENTS_DIR``       documents served by the dashboard Library (default: reports dir)
``SOCIALKIT_USERS``               dashboard user -> municipality ids mapping file (default: none)
``SOCIALKIT_SVG_FONTTYPE``        static SVG figures: text as ``path`` (default) or ``none`` (text)
================================  ==========================================================
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "FRAMEWORKS_DIR",
    "LANG_ALIASES",
    "PACKAGE_DIR",
    "PROJECT_ROOT",
    "SUPPORTED_LANGS",
    "dashboards_dir",
    "dashboard_users_file",
    "default_catalog",
    "cache_dir",
    "default_lang",
    "demo_data_dir",
    "documents_dir",
    "framework_locale_dir",
    "framework_path",
    "locale_dir",
    "notebooks_dir",
    "reports_dir",
    "resolve_lang",
    "suppress_below",
    "svg_fonttype",
    "templates_dir",
]

PACKAGE_DIR: Path = Path(__file__).resolve().parent
#: The source checkout (holds ``catalogs/``, ``notebooks/``, ``dashboards/``).
PROJECT_ROOT: Path = Path(os.environ.get("SOCIALKIT_ROOT", PACKAGE_DIR.parent)).resolve()
FRAMEWORKS_DIR: Path = PACKAGE_DIR / "frameworks"
#: Languages of user-facing text (BCP 47 tags). Serbian is written in both scripts: its
#: messages are stored once, in Cyrillic, and ``sr-Latn`` is derived by transliteration.
SUPPORTED_LANGS: tuple[str, ...] = ("en", "uk", "ro", "sr-Cyrl", "sr-Latn", "ru", "be")
#: Other spellings accepted wherever a language is given (``--lang``, ``SOCIALKIT_LANG``).
LANG_ALIASES: dict[str, str] = {"sr": "sr-Cyrl", "sr-cyrl": "sr-Cyrl", "sr-latn": "sr-Latn",
                                "sr_Cyrl": "sr-Cyrl", "sr_Latn": "sr-Latn"}


def default_catalog() -> Path:
    """The intake catalog used when none is given (``$SOCIALKIT_CATALOG`` or the demo)."""
    env = os.environ.get("SOCIALKIT_CATALOG")
    if env:
        return Path(env).expanduser().resolve()
    return PROJECT_ROOT / "catalogs" / "demo.yaml"


def demo_data_dir() -> Path:
    """The folder the embedded demo catalog (``catalogs/demo.yaml``) points to."""
    return PROJECT_ROOT / "catalogs" / "demo"


def notebooks_dir() -> Path:
    """Folder of the report notebooks."""
    return Path(os.environ.get("SOCIALKIT_NOTEBOOKS", PROJECT_ROOT / "notebooks")).resolve()


def dashboards_dir() -> Path:
    """Folder of the ``panel serve`` entry files."""
    return PROJECT_ROOT / "dashboards"


def templates_dir() -> Path:
    """Templates of the PDF reports (nbconvert template, CSS)."""
    return PACKAGE_DIR / "reporting" / "templates"


def reports_dir() -> Path:
    """Where generated reports go (``$SOCIALKIT_REPORTS_DIR`` or ``reports/``)."""
    env = os.environ.get("SOCIALKIT_REPORTS_DIR")
    return Path(env).expanduser().resolve() if env else PROJECT_ROOT / "reports"


def documents_dir() -> Path:
    """Folder the dashboard Library lists, one sub-folder per municipality id.

    ``$SOCIALKIT_DOCUMENTS_DIR`` or, by default, :func:`reports_dir` (so generated PDF reports
    appear in the Library without copying).
    """
    env = os.environ.get("SOCIALKIT_DOCUMENTS_DIR")
    return Path(env).expanduser().resolve() if env else reports_dir()


def dashboard_users_file() -> Path | None:
    """The dashboard's user -> municipality ids mapping file (``$SOCIALKIT_USERS``), if set."""
    env = os.environ.get("SOCIALKIT_USERS")
    return Path(env).expanduser().resolve() if env else None


def framework_path(name: str) -> Path:
    """Path of a framework YAML shipped with socialkit, e.g. ``framework_path("maturity")``."""
    return FRAMEWORKS_DIR / f"{name}.yaml"


def resolve_lang(lang: str) -> str:
    """The supported language code ``lang`` stands for (``sr`` → ``sr-Cyrl``); an unknown code
    comes back unchanged (callers check it against :data:`SUPPORTED_LANGS`).

    >>> resolve_lang("sr"), resolve_lang("uk"), resolve_lang("xx")
    ('sr-Cyrl', 'uk', 'xx')
    """
    return LANG_ALIASES.get(lang, lang)


def default_lang() -> str:
    """Default language for user-facing text (``$SOCIALKIT_LANG`` or ``en``)."""
    return resolve_lang(os.environ.get("SOCIALKIT_LANG", "en"))


def locale_dir() -> Path:
    """Folder of the message catalogs: ``<locale>/LC_MESSAGES/<domain>.po``."""
    env = os.environ.get("SOCIALKIT_LOCALE_DIR")
    return Path(env).expanduser().resolve() if env else PACKAGE_DIR / "i18n" / "locale"


def framework_locale_dir() -> Path:
    """Folder of the frameworks' translations: ``<locale>/LC_MESSAGES/<framework>.po``."""
    return FRAMEWORKS_DIR / "locale"


def cache_dir() -> Path:
    """Folder of socialkit's caches (compiled message catalogs): ``$SOCIALKIT_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/socialkit``, else ``~/.cache/socialkit``."""
    env = os.environ.get("SOCIALKIT_CACHE_DIR")
    if env:
        return Path(env).expanduser().resolve()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser().resolve() / "socialkit"


def suppress_below() -> int:
    """Small-cell threshold: published counts ``1 <= n < suppress_below()`` are suppressed."""
    return int(os.environ.get("SOCIALKIT_SUPPRESS_BELOW", "5"))


def svg_fonttype() -> str:
    """How static SVG figures store text (Matplotlib ``svg.fonttype``): ``path`` or ``none``.

    ``none`` keeps labels as text (searchable, ~2.5× faster for WeasyPrint to draw); the
    batch PDF runner sets it, since WeasyPrint has the font. Default ``path``.
    """
    value = os.environ.get("SOCIALKIT_SVG_FONTTYPE", "path")
    return value if value in ("path", "none") else "path"
