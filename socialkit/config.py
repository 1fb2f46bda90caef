"""Every path and setting socialkit uses, in one place.

Nothing else in the package builds a path from scratch: it asks this module. Each setting can
be overridden with an environment variable, read when the function is called (so tests and
batch workers can change it).

================================  ==========================================================
environment variable              meaning
================================  ==========================================================
``SOCIALKIT_CATALOG``             the default intake catalog (default: ``catalogs/demo.yaml``)
``SOCIALKIT_REPORTS_DIR``         where generated reports go (default: ``reports/``; for an
                                  installed package, ``reports/`` of the current folder)
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
``SOCIALKIT_CONTRACTING``         the state social order data the dashboard shows: a folder
                                  of region-year folders, or one region-year (default: the
                                  catalog's metadata ``contracting``, else none)
``SOCIALKIT_STRATEGIES``          the strategy cycles the dashboard shows: a folder of cycle
                                  folders (default: the catalog's metadata ``strategies``)
``SOCIALKIT_TESTS``               the assessment tests the dashboard offers: a folder of key files
                                  ``test_*.yaml``/``test_*.xlsx`` (default: the catalog's ``tests``)
``SOCIALKIT_SVG_FONTTYPE``        static SVG figures: text as ``path`` (default) or ``none`` (text)
``SOCIALKIT_STATIC_FIGURES``      ``1``: notebooks draw static SVG figures by default (a
                                  notebook run by papermill outside the report engine);
                                  ``socialkit.plots.setup(static=...)`` decides explicitly
``SOCIALKIT_MEMO``                ``0``: memoised whole-data-set results are recomputed
``SOCIALKIT_REPORT_CACHE``        ``0``: the per-process table cache stays off
``SOCIALKIT_DASHBOARD_CACHE``     ``0``: the dashboard keeps its loaded tables and whole-data
                                  results in memory only (default: also on disk, in the cache
                                  dir, so a restarted server starts warm)
``SOCIALKIT_DASHBOARD_WARMUP``    ``0``: the dashboard server computes analyses only when a page
                                  asks (default: in the background once it has started)
``SOCIALKIT_MAX_XLSX_MB``         largest uncompressed workbook read (default 512 MB)
``SOCIALKIT_NOTEBOOKS``           folder of the report notebooks (default: ``notebooks/``; for
                                  an installed package, the copy in ``socialkit/_bundled/``)
``SOCIALKIT_ROOT``                the project folder (default: the source checkout)
``SOCIALKIT_DATA_DIR``            where socialkit keeps its own data, e.g. the SQLite store
                                  (default: ``$XDG_DATA_HOME/socialkit``, ``~/.local/share/socialkit``)
``SOCIALKIT_LIBRARY_DIR``         the files of the e-platform library (default: ``library/`` in
                                  the data dir; an object store mounted as a folder works too)
``SOCIALKIT_DB_URL``              the store's database as an SQLAlchemy URL, e.g.
                                  ``postgresql+psycopg://user@host/db`` (default: a SQLite file
                                  ``socialkit.sqlite`` in the data dir)
================================  ==========================================================
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "DEMO_FOLDERS",
    "FRAMEWORKS_DIR",
    "OCDS_SCHEMA_DIR",
    "LANG_ALIASES",
    "PACKAGE_DIR",
    "PROJECT_ROOT",
    "SUPPORTED_LANGS",
    "dashboards_dir",
    "data_dir",
    "db_url",
    "library_dir",
    "dashboard_users_file",
    "default_catalog",
    "cache_dir",
    "dashboard_cache_dir",
    "dashboard_warmup",
    "default_lang",
    "contracting_demo_dir",
    "contracting_dir",
    "strategy_demo_dir",
    "strategies_dir",
    "tests_dir",
    "demo_data_dir",
    "documents_dir",
    "framework_locale_dir",
    "framework_path",
    "max_xlsx_bytes",
    "memo_enabled",
    "locale_dir",
    "notebooks_dir",
    "report_cache_enabled",
    "reports_dir",
    "static_figures",
    "resolve_lang",
    "suppress_below",
    "svg_fonttype",
    "templates_dir",
]

PACKAGE_DIR: Path = Path(__file__).resolve().parent
#: The source checkout (holds ``catalogs/``, ``notebooks/``, ``dashboards/``).
PROJECT_ROOT: Path = Path(os.environ.get("SOCIALKIT_ROOT", PACKAGE_DIR.parent)).resolve()
#: What an installed package (a wheel, no source checkout) carries of the checkout's folders:
#: the report notebooks and the dashboard entry files, copied in by the build (``setup.py``).
BUNDLED_DIR: Path = PACKAGE_DIR / "_bundled"


def _in_checkout_or_bundled(name: str) -> Path:
    """``PROJECT_ROOT/<name>`` in a source checkout, else the copy the wheel carries."""
    here = PROJECT_ROOT / name
    bundled = BUNDLED_DIR / name
    return here if here.is_dir() or not bundled.is_dir() else bundled
FRAMEWORKS_DIR: Path = PACKAGE_DIR / "frameworks"
#: The Open Contracting Data Standard 1.1 schemas shipped with socialkit (offline validation).
OCDS_SCHEMA_DIR: Path = PACKAGE_DIR / "contracting" / "schema"
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


#: The bundled demo of each country (``socialkit demo --country``): its folder in ``catalogs/``,
#: beside a catalog of the same name (``catalogs/moldova.yaml`` reads ``catalogs/moldova/``).
DEMO_FOLDERS: dict[str, str] = {"ua": "demo", "md": "moldova", "rs": "serbia", "by": "belarus"}


def demo_data_dir(country: str = "ua") -> Path:
    """The folder a bundled demo catalog points to: ``catalogs/demo`` (read by the embedded
    ``catalogs/demo.yaml``) for Ukraine, ``catalogs/moldova``, ``catalogs/serbia`` and
    ``catalogs/belarus`` for the other programmes (keys of :data:`DEMO_FOLDERS`)."""
    return PROJECT_ROOT / "catalogs" / DEMO_FOLDERS[country]


def contracting_demo_dir(region_year: str = "homel_2025") -> Path:
    """A region-year of the state social order demo (``catalogs/belarus_contracting/<key>``)."""
    return PROJECT_ROOT / "catalogs" / "belarus_contracting" / region_year


def strategy_demo_dir() -> Path:
    """The synthetic strategy cycles (``catalogs/strategy``: one folder per cycle)."""
    return PROJECT_ROOT / "catalogs" / "strategy"


def contracting_dir() -> Path | None:
    """The state social order data set by ``$SOCIALKIT_CONTRACTING`` for the dashboard's
    contracting page, or ``None`` (then the catalog's metadata ``contracting`` decides:
    :func:`socialkit.data.catalog.catalog_folder`)."""
    env = os.environ.get("SOCIALKIT_CONTRACTING")
    return Path(env).expanduser().resolve() if env else None


def strategies_dir() -> Path | None:
    """The strategy cycles set by ``$SOCIALKIT_STRATEGIES`` for the dashboard's strategy page,
    or ``None`` (then the catalog's metadata ``strategies`` decides)."""
    env = os.environ.get("SOCIALKIT_STRATEGIES")
    return Path(env).expanduser().resolve() if env else None


def tests_dir() -> Path | None:
    """The assessment tests (key files ``test_*.yaml``/``test_*.xlsx``) the dashboard offers,
    set by ``$SOCIALKIT_TESTS``; ``None`` leaves it to the catalog's metadata ``tests``."""
    env = os.environ.get("SOCIALKIT_TESTS")
    return Path(env).expanduser().resolve() if env else None


def notebooks_dir() -> Path:
    """Folder of the report notebooks (``$SOCIALKIT_NOTEBOOKS``; ``notebooks/`` of the source
    checkout; in an installed wheel, the copy it carries)."""
    env = os.environ.get("SOCIALKIT_NOTEBOOKS")
    return Path(env).resolve() if env else _in_checkout_or_bundled("notebooks").resolve()


def dashboards_dir() -> Path:
    """Folder of the ``panel serve`` entry files (the checkout's, else the wheel's copy)."""
    return _in_checkout_or_bundled("dashboards")


def templates_dir() -> Path:
    """Templates of the PDF reports (nbconvert template, CSS)."""
    return PACKAGE_DIR / "reporting" / "templates"


def reports_dir() -> Path:
    """Where generated reports go (``$SOCIALKIT_REPORTS_DIR`` or ``reports/``)."""
    env = os.environ.get("SOCIALKIT_REPORTS_DIR")
    if env:
        return Path(env).expanduser().resolve()
    # an installed package has no project folder: never write beside it in site-packages
    checkout = (PROJECT_ROOT / "pyproject.toml").is_file()
    return (PROJECT_ROOT if checkout else Path.cwd()) / "reports"


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


def _flag(name: str, default: str) -> bool:
    return os.environ.get(name, default) not in ("", "0", "false", "False", "no")


def static_figures() -> bool:
    """Default of :func:`socialkit.plots.setup` when no one chose: static SVG figures if
    ``$SOCIALKIT_STATIC_FIGURES`` is set (a notebook run outside the report engine)."""
    return _flag("SOCIALKIT_STATIC_FIGURES", "")


def dashboard_cache_dir() -> Path | None:
    """Where the dashboard keeps validated tables and whole-data results between runs
    (``<cache dir>/dashboard``), or ``None`` when ``$SOCIALKIT_DASHBOARD_CACHE`` is ``0``."""
    return cache_dir() / "dashboard" if _flag("SOCIALKIT_DASHBOARD_CACHE", "1") else None


def dashboard_warmup() -> bool:
    """Whether ``socialkit serve`` computes the analyses in the background after it has
    started (``$SOCIALKIT_DASHBOARD_WARMUP``, default on)."""
    return _flag("SOCIALKIT_DASHBOARD_WARMUP", "1")


def memo_enabled() -> bool:
    """Whether :func:`socialkit.memo.memoised` keeps results (``$SOCIALKIT_MEMO``, default on)."""
    return _flag("SOCIALKIT_MEMO", "1")


def report_cache_enabled() -> bool:
    """Whether the per-process table cache may be switched on (``$SOCIALKIT_REPORT_CACHE``,
    default on; see :mod:`socialkit.data.cache`)."""
    return _flag("SOCIALKIT_REPORT_CACHE", "1")


def max_xlsx_bytes(default: int) -> int:
    """Largest total uncompressed size of a workbook (``$SOCIALKIT_MAX_XLSX_MB``, in MB)."""
    raw = os.environ.get("SOCIALKIT_MAX_XLSX_MB")
    try:
        return int(float(raw) * 1024 * 1024) if raw else default
    except ValueError:
        return default
def data_dir() -> Path:
    """Where socialkit keeps its own data, e.g. the SQLite store (``$SOCIALKIT_DATA_DIR``, or
    ``$XDG_DATA_HOME/socialkit``, by default ``~/.local/share/socialkit``). Not created here."""
    env = os.environ.get("SOCIALKIT_DATA_DIR")
    if env:
        return Path(env).expanduser().resolve()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return (base / "socialkit").resolve()


def library_dir() -> Path:
    """Where the e-platform library keeps its files (``$SOCIALKIT_LIBRARY_DIR``, or
    ``library/`` in :func:`data_dir`). Not created here."""
    env = os.environ.get("SOCIALKIT_LIBRARY_DIR")
    return Path(env).expanduser().resolve() if env else data_dir() / "library"


def db_url() -> str:
    """The store's database as an SQLAlchemy URL: ``$SOCIALKIT_DB_URL`` (PostgreSQL on a
    provincial server, e.g. ``postgresql+psycopg://user@host:5432/socialkit``) or, by default,
    the SQLite file ``socialkit.sqlite`` in :func:`data_dir`."""
    env = os.environ.get("SOCIALKIT_DB_URL")
    if env:
        return env
    return f"sqlite:///{data_dir() / 'socialkit.sqlite'}"
