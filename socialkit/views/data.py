"""Data behind the dashboard, loaded and computed once per server process.

A dashboard session never reads a catalog itself: it asks :func:`load_data`, which loads every
table of the catalog once (through :func:`socialkit.data.load_all`, so it is validated) and keeps
it in a process-wide cache keyed by the catalog's *fingerprint* (resolved path plus the size and
modification time of every file in the catalog's folder). Editing a data file therefore changes
the fingerprint and the next session sees fresh data; sessions on unchanged data share one copy.

Analyses run for the dashboard go through :meth:`DashboardData.computed`, which memoises a result
per (fingerprint, name, arguments) for the life of the process. Sessions asking for the same
result at once wait for one computation instead of each running it.

With the disk cache on (:func:`socialkit.config.dashboard_cache_dir`, the default), the validated
tables and the results named in :data:`PERSISTED` are also kept on disk, in a folder named by
the data's fingerprint and by a stamp of the installed code (its files' sizes and modification
times), so a restarted server is ready without validating the catalog again and its first
Needs page does not wait for the index and the clusters; changed data or changed code is a new
folder. A cache that cannot be read or written is ignored (the result is computed).
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import threading
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .. import config

__all__ = ["DashboardData", "boundaries", "catalog_fingerprint", "clear_cache", "from_frames",
           "load_data"]

_LOCK = threading.RLock()
_DATA: dict[str, DashboardData] = {}
_LOG = logging.getLogger(__name__)
_MISSING = object()

#: Results kept on disk too: the whole-data analyses and the per-municipality reports that
#: take seconds; everything cheap or scoped to one user stays in memory only.
PERSISTED = frozenset({
    "boundaries", "needs.vulnerability", "needs.clusters", "maturity.assess",
    "monitoring.overview", "monitoring.report", "passport", "glance.municipal_vulnerability",
})


@dataclass(eq=False)
class DashboardData:
    """Every table of one catalog plus a memo of results computed from them.

    Attributes
    ----------
    frames : dict of str to DataFrame
        The validated tables (``municipalities``, ``settlements``, ...). Treat as read-only.
    fingerprint : str
        Identifies the data; part of every cache key.
    source : str
        Where the data came from (catalog path), for messages.
    currency : str or None
        The catalog's currency (metadata ``currency``, ISO 4217): money on the pages is
        written in it (maturity cost bands).
    contracting : Path or None
        The state social order data the catalog names (metadata ``contracting``), shown on
        the contracting page (``$SOCIALKIT_CONTRACTING`` overrides it).
    tests : Path or None
        The assessment tests' folder the catalog names (metadata ``tests``), offered on the
        assessment page (``$SOCIALKIT_TESTS`` overrides it).
    strategies : Path or None
        The strategy cycles the catalog names (metadata ``strategies``), shown on the strategy
        page (``$SOCIALKIT_STRATEGIES`` overrides it).
    """

    frames: Mapping[str, pd.DataFrame]
    fingerprint: str
    source: str = "frames"
    store: Path | None = None
    currency: str | None = None
    contracting: Path | None = None
    strategies: Path | None = None
    tests: Path | None = None
    _memo: dict[tuple[Hashable, ...], Any] = field(default_factory=dict, repr=False)
    _memo_lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _key_locks: dict[tuple[Hashable, ...], threading.Lock] = field(default_factory=dict,
                                                                   repr=False)

    def table(self, name: str) -> pd.DataFrame:
        """The table ``name``, or an empty frame when the catalog does not have it."""
        frame = self.frames.get(name)
        return frame if frame is not None else pd.DataFrame()

    @property
    def municipality_ids(self) -> list[str]:
        """Municipality ids in catalog order."""
        frame = self.table("municipalities")
        return [] if frame.empty else frame["municipality_id"].astype(str).tolist()

    def computed(self, name: str, func: Callable[..., Any], *args: Hashable) -> Any:
        """``func(self, *args)``, computed once per process for these data and arguments.

        Parameters
        ----------
        name : str
            Name of the computation (part of the cache key); a name in :data:`PERSISTED`
            is also read from and written to :attr:`store`.
        func : callable
            Called as ``func(data, *args)`` on a cache miss; must not mutate the frames.
        *args : hashable
            Further key parts and arguments (for example a municipality id).
        """
        key = (name, *args)
        with self._memo_lock:
            if key in self._memo:
                return self._memo[key]
            lock = self._key_locks.setdefault(key, threading.Lock())
        with lock:  # one computation per key: sessions asking at once wait for it
            with self._memo_lock:
                if key in self._memo:
                    return self._memo[key]
            persisted = self.store is not None and name in PERSISTED
            result = _read(self._path(key)) if persisted else _MISSING
            if result is _MISSING:
                result = func(self, *args)
                if persisted:
                    _write(self._path(key), result)
            with self._memo_lock:
                return self._memo.setdefault(key, result)

    def _path(self, key: tuple) -> Path:
        digest = hashlib.sha256(repr(key).encode("utf-8")).hexdigest()[:32]
        return self.store / f"{digest}.pkl"  # type: ignore[operator]


#: Length of the HMAC-SHA256 tag that precedes every cached pickle.
_TAG = 32


def _key(root: Path) -> bytes | None:
    """The secret that signs this cache's pickles: ``<cache dir>/.key``, created on first use
    with mode 0600. A key file another account owns or may read is refused (``None``): the
    cache is then not used, since whoever can forge a tag can make the server run code."""
    import os
    import secrets

    path = root / ".key"
    try:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(32))
        st = os.stat(path, follow_symlinks=False)
        if st.st_uid != os.getuid() or st.st_mode & 0o077 or not path.is_file():
            _LOG.warning("dashboard cache key %s is not private to this account; cache off", path)
            return None
        key = path.read_bytes()
        return key if len(key) == 32 else None
    except OSError:
        return None


def _tag(key: bytes, payload: bytes) -> bytes:
    import hmac

    return hmac.new(key, payload, hashlib.sha256).digest()


def _read(path: Path) -> Any:
    """The object pickled at ``path``, or ``_MISSING`` (no file, unreadable, or not signed by
    this server's key: a pickle is unpickled only after its HMAC-SHA256 tag checks out, so a
    file someone else put in the cache folder never runs code)."""
    import hmac

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return _MISSING
    except OSError:
        return _MISSING
    key = _key(path.parent.parent)
    if key is None or len(raw) < _TAG or not hmac.compare_digest(raw[:_TAG],
                                                                   _tag(key, raw[_TAG:])):
        _LOG.warning("dashboard cache %s not signed by this server; recomputing", path)
        return _MISSING
    try:
        return pickle.loads(raw[_TAG:])
    except Exception:  # a truncated file: compute again
        _LOG.warning("dashboard cache %s unreadable; recomputing", path, exc_info=True)
        return _MISSING


def _write(path: Path, obj: Any) -> None:
    """Pickle ``obj`` to ``path`` atomically (:func:`socialkit.files.atomic_write_bytes`: a
    reader never sees half a file), signed with the cache's key (see :func:`_read`); failures
    are logged and ignored (the cache is only an optimisation)."""
    from ..files import atomic_write_bytes

    key = _key(path.parent.parent)
    if key is None:
        return
    try:
        payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        atomic_write_bytes(path, _tag(key, payload) + payload)
    except Exception:
        _LOG.warning("dashboard cache %s not written", path, exc_info=True)


#: Cache folders kept (other data or code); older ones are removed.
KEEP_FOLDERS = 6


def _prune(root: Path, keep: Path) -> None:
    """Remove all but the :data:`KEEP_FOLDERS` most recently written cache folders."""
    import shutil

    try:
        folders = sorted((p for p in root.iterdir() if p.is_dir() and p != keep),
                         key=lambda p: p.stat().st_mtime, reverse=True)
        for old in folders[KEEP_FOLDERS - 1:]:
            shutil.rmtree(old, ignore_errors=True)
    except OSError:
        pass


_CODE_STAMP: str | None = None


def code_stamp() -> str:
    """A digest of the installed package's code, frameworks and messages (paths, sizes and
    modification times): results on disk are only reused by the same code."""
    global _CODE_STAMP
    if _CODE_STAMP is None:
        from .. import __version__

        parts = [__version__]
        for path in sorted(config.PACKAGE_DIR.rglob("*")):
            if path.suffix in (".py", ".yaml", ".yml", ".po", ".json", ".csv"):
                st = path.stat()
                parts.append(f"{path.relative_to(config.PACKAGE_DIR)}:{st.st_size}:"
                             f"{st.st_mtime_ns}")
        _CODE_STAMP = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]
    return _CODE_STAMP


def _load_boundaries(data: DashboardData):
    from ..data.boundaries import load_boundaries

    source = Path(str(data.source))
    if not source.is_file():
        return None
    return load_boundaries(source)


def boundaries(data: DashboardData, municipality_id: str | None = None):
    """The catalog's boundaries (a GeoDataFrame, read once per process), only the features of
    ``municipality_id`` when given; ``None`` when the catalog has no ``boundaries`` entry or
    the data were not read from a catalog file (maps then draw points)."""
    b = data.computed("boundaries", _load_boundaries)
    if b is None or municipality_id is None:
        return b
    return b.loc[b["municipality_id"] == municipality_id]


def catalog_fingerprint(catalog: str | Path) -> str:
    """A digest of :func:`socialkit.data.fingerprint.catalog_stamp` (path, size and mtime of
    the catalog and of every file it references): a changed file is a new fingerprint."""
    from ..data.fingerprint import catalog_stamp

    return hashlib.sha256(repr(catalog_stamp(catalog)).encode()).hexdigest()[:16]


def load_data(catalog: str | Path | None = None) -> DashboardData:
    """Load (once per process and catalog fingerprint) every table of ``catalog``.

    Parameters
    ----------
    catalog : path, optional
        An intake catalog; by default :func:`socialkit.config.default_catalog`.

    Returns
    -------
    DashboardData
        Shared by every session of the server: do not mutate its frames.

    Raises
    ------
    socialkit.errors.DataValidationError
        When a table does not match its schema (raised by :func:`socialkit.data.load_all`).
    """
    from ..data import load_all

    path = Path(catalog).expanduser().resolve() if catalog else config.default_catalog()
    key = catalog_fingerprint(path)
    with _LOCK:
        cached = _DATA.get(key)
        if cached is not None:
            return cached
        root = config.dashboard_cache_dir()
        store = root / f"{key}-{code_stamp()}" if root is not None else None
        frames = _read(store / "tables.pkl") if store is not None else _MISSING
        if frames is _MISSING:
            frames = dict(load_all(path))
            if store is not None:
                _write(store / "tables.pkl", frames)
                _prune(store.parent, keep=store)
        from ..data.catalog import catalog_currency, catalog_folder

        data = DashboardData(frames=dict(frames), fingerprint=key, source=str(path),
                             store=store, currency=catalog_currency(path),
                             contracting=catalog_folder(path, "contracting"),
                             strategies=catalog_folder(path, "strategies"),
                             tests=catalog_folder(path, "tests"))
        _DATA[key] = data
        return data


def from_frames(frames: Mapping[str, pd.DataFrame], name: str = "frames") -> DashboardData:
    """Wrap frames built in memory (tests, notebooks) as :class:`DashboardData`.

    The fingerprint hashes the frames' contents, so equal frames share computed results.
    """
    from ..memo import fingerprint

    digest = hashlib.sha256(f"{name}\0{fingerprint(frames)}".encode())
    return DashboardData(frames=dict(frames), fingerprint=digest.hexdigest()[:16], source=name)


def clear_cache() -> None:
    """Forget every loaded catalog (tests; a running server never needs it)."""
    with _LOCK:
        _DATA.clear()
