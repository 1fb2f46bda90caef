"""Data behind the dashboard, loaded and computed once per server process.

A dashboard session never reads a catalog itself: it asks :func:`load_data`, which loads every
table of the catalog once (through :func:`socialkit.data.load_all`, so it is validated) and keeps
it in a process-wide cache keyed by the catalog's *fingerprint* (resolved path plus the size and
modification time of every file in the catalog's folder). Editing a data file therefore changes
the fingerprint and the next session sees fresh data; sessions on unchanged data share one copy.

Analyses run for the dashboard go through :meth:`DashboardData.computed`, which memoises a result
per (fingerprint, name, arguments) for the life of the process.
"""

from __future__ import annotations

import hashlib
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
    """

    frames: Mapping[str, pd.DataFrame]
    fingerprint: str
    source: str = "frames"
    _memo: dict[tuple[Hashable, ...], Any] = field(default_factory=dict, repr=False)
    _memo_lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

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
            Name of the computation (part of the cache key).
        func : callable
            Called as ``func(data, *args)`` on a cache miss; must not mutate the frames.
        *args : hashable
            Further key parts and arguments (for example a municipality id).
        """
        key = (name, *args)
        with self._memo_lock:
            if key in self._memo:
                return self._memo[key]
        result = func(self, *args)
        with self._memo_lock:
            return self._memo.setdefault(key, result)


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
        frames = load_all(path)
        data = DashboardData(frames=dict(frames), fingerprint=key, source=str(path))
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
