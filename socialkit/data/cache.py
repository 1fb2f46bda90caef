"""The per-process table cache of :func:`socialkit.data.load` (off unless switched on).

:func:`socialkit.data.load` parses and validates a whole table with pandera on every call. A
process that reads the same catalog many times — a warm report kernel making hundreds of
reports, the dashboard server — switches the cache on with :func:`enable_cache`; ``load``
then keeps each validated table keyed by ``(table, catalog, catalog_stamp)`` (the size and
mtime of the catalog and of every file it references, :func:`.fingerprint.catalog_stamp`): a
changed file is a miss. Each caller gets a shallow copy, which under pandas' copy-on-write
behaves like a private copy. Cached frames are pinned in :mod:`socialkit.memo`, so memoised
whole-data-set results are looked up without hashing the tables again.
``SOCIALKIT_REPORT_CACHE=0`` (:func:`socialkit.config.report_cache_enabled`) keeps it off.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from .. import config, memo
from .fingerprint import catalog_stamp

__all__ = ["cache_enabled", "cached_keys", "clear_cache", "enable_cache", "load_cached"]

_CACHE: dict[tuple, pd.DataFrame] = {}
_MAX_ENTRIES = 64
_ON = False


def enable_cache(on: bool = True) -> bool:
    """Switch the table cache on (or off); returns whether it is now on.

    It stays off when the configuration says so (``SOCIALKIT_REPORT_CACHE=0``).
    """
    global _ON
    _ON = bool(on) and config.report_cache_enabled()
    if not _ON:
        clear_cache()
    return _ON


def cache_enabled() -> bool:
    """Whether :func:`socialkit.data.load` uses the cache."""
    return _ON


def cached_keys() -> frozenset[tuple]:
    """Keys of the tables held (for callers that watch what the process keeps)."""
    return frozenset(_CACHE)


def clear_cache() -> None:
    """Forget every cached table (and unpin it in :mod:`socialkit.memo`)."""
    for frame in _CACHE.values():
        memo.unpin(frame)
    _CACHE.clear()


def load_cached(name: str, catalog: Path, load: Callable[[str, Path], pd.DataFrame]
                ) -> pd.DataFrame:
    """``load(name, catalog)`` through the cache: a shallow copy of the cached frame."""
    try:
        key = (name, str(catalog), catalog_stamp(catalog))
    except Exception:  # an unreadable catalog: let load() raise its own clear error
        return load(name, catalog)
    frame = _CACHE.get(key)
    if frame is None:
        frame = load(name, catalog)
        if len(_CACHE) >= _MAX_ENTRIES:
            clear_cache()
        _CACHE[key] = frame
        # never handed out or changed, only shallow copies: its column hashes can be kept
        memo.pin(frame)
    return frame.copy(deep=False)
