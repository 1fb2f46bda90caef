"""Code that runs *inside* a warm report kernel: warm-up, per-report reset, data cache.

:mod:`socialkit.reporting.engine` starts one Jupyter kernel per worker and calls
:func:`warm_up` once, then :func:`reset` before every notebook. Nothing here is needed in
JupyterLab; a notebook behaves the same with or without it.

The data cache
--------------
Report notebooks read their tables with :func:`socialkit.data.load`, which parses and validates
the whole table with pandera on every call. In a batch, hundreds of reports read the same
catalog, so :func:`install_data_cache` wraps ``load`` with a per-process cache keyed by
``(table, catalog path, size and mtime of the catalog and of every file it references)``: a
changed file is a cache miss. Each caller gets a shallow copy, which under pandas'
copy-on-write behaves like a private copy (changing it never changes the cached frame).
Set ``SOCIALKIT_REPORT_CACHE=0`` to switch it off. Cached frames are pinned in
:mod:`socialkit.memo`, so memoised whole-data-set results are looked up without hashing the
national tables again for every report.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

__all__ = ["WARM_MODULES", "freeze_long_lived", "install_data_cache", "reset", "warm_up"]

#: Modules imported once per kernel (missing optional ones are skipped).
WARM_MODULES: tuple[str, ...] = (
    "numpy", "pandas", "matplotlib.pyplot", "holoviews", "socialkit", "socialkit.i18n",
    "socialkit.plots", "socialkit.data", "socialkit.maturity", "socialkit.needs",
    "socialkit.access", "socialkit.monitoring", "socialkit.passport",
    "socialkit.plots.maturity", "socialkit.plots.needs", "socialkit.plots.maps",
    "socialkit.plots.monitoring", "socialkit.plots.passport", "socialkit.plots.index",
    "IPython.display", "geopandas", "mapclassify", "socialkit.data.boundaries",
)

_CACHE: dict[tuple, Any] = {}
_MAX_ENTRIES = 64
_FILES: dict[tuple, list[Path]] = {}  # (catalog, size, mtime) -> the files it references


def _stamp(catalog: Path) -> tuple:
    """Size and mtime of the catalog and every file it references (a changed file: new stamp).

    The list of referenced files is re-read only when the catalog file itself changes.
    """
    from .catalog import catalog_files

    st = catalog.stat()
    key = (str(catalog), st.st_size, st.st_mtime_ns)
    files = _FILES.get(key)
    if files is None:
        files = catalog_files(catalog)
        if len(_FILES) >= _MAX_ENTRIES:
            _FILES.clear()
        _FILES[key] = files
    out = [key]
    for path in files[1:]:
        st = path.stat()
        out.append((str(path), st.st_size, st.st_mtime_ns))
    return tuple(out)


def _clear_cache() -> None:
    from .. import memo

    for frame in _CACHE.values():
        memo.unpin(frame)
    _CACHE.clear()


def _cached(load: Callable[..., Any]) -> Callable[..., Any]:
    if getattr(load, "_socialkit_cached", False):
        return load

    @wraps(load)
    def cached_load(name: str, catalog: str | Path | None = None, **params: Any) -> Any:
        if params:
            return load(name, catalog, **params)
        from ..data.loading import resolve_catalog

        path = resolve_catalog(catalog).resolve()
        try:
            key = (name, str(path), _stamp(path))
        except Exception:  # an unreadable catalog: let load() raise its own clear error
            return load(name, catalog)
        frame = _CACHE.get(key)
        if frame is None:
            frame = load(name, catalog)
            if len(_CACHE) >= _MAX_ENTRIES:
                _clear_cache()
            _CACHE[key] = frame
            # never handed out or changed, only shallow copies: its column hashes can be kept
            from .. import memo

            memo.pin(frame)
        return frame.copy(deep=False)

    cached_load._socialkit_cached = True  # type: ignore[attr-defined]
    return cached_load


def install_data_cache() -> bool:
    """Wrap :func:`socialkit.data.load` with the per-process cache; return whether it is on."""
    if os.environ.get("SOCIALKIT_REPORT_CACHE", "1") in ("0", "false", "no"):
        return False
    try:
        data = importlib.import_module("socialkit.data")
        loading = importlib.import_module("socialkit.data.loading")
    except ImportError:
        return False
    original = getattr(loading, "load", None)
    if original is None:
        return False
    wrapped = _cached(original)
    loading.load = wrapped
    if getattr(data, "load", None) is not None:
        data.load = wrapped
    return True


def warm_up(modules: tuple[str, ...] = WARM_MODULES) -> list[str]:
    """Import the heavy libraries once, select static figures and install the data cache.

    Returns
    -------
    list of str
        The modules that were imported.
    """
    os.environ["SOCIALKIT_STATIC_FIGURES"] = "1"
    install_data_cache()  # before the analyses import ``load``
    done = []
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # an optional module; a real error shows when a notebook imports it
            continue
        done.append(name)
    from ..plots import setup

    setup(static=True)
    return done


def reset() -> None:
    """Forget the previous report: empty the user namespace and output cache, close figures.

    Like ``%reset -f`` but without its repeated garbage collections (which cost ~0.5 s):
    every name the notebook defined is deleted; IPython's own names and dunders stay.
    Imported modules stay loaded, which is the point of a warm kernel.
    """
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        ns, hidden = shell.user_ns, shell.user_ns_hidden
        for name in [n for n in ns if n not in hidden and not n.startswith("__")]:
            del ns[name]
        for name in ("_", "__", "___"):
            ns[name] = ""
        shell.history_manager.output_hist.clear()
        ns.get("_oh", {}).clear()
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close("all")
    freeze_long_lived()


_FROZEN: tuple | None = None


def _long_lived_state() -> tuple:
    memo = sys.modules.get("socialkit.memo")
    return (frozenset(_CACHE), frozenset(getattr(memo, "_STORE", ())), len(sys.modules))


def freeze_long_lived() -> bool:
    """Keep what the kernel holds between reports out of the cyclic garbage collector's walks.

    A warm kernel holds the national tables (millions of objects: text columns are object
    arrays) and memoised results for its whole life. Python's full (generation 2) collections
    walk every tracked object; measured at 1,469 municipalities one took ~0.6 s and came
    every few reports. When the data cache, the memo or the loaded modules have changed since
    the last call, this collects once and then :func:`gc.freeze` moves every surviving object
    to the permanent generation, which later collections skip. Objects of a report (created
    after the freeze) are collected as usual; frozen objects are still freed by reference
    counting when dropped. Returns whether it froze.
    """
    import gc

    global _FROZEN
    state = _long_lived_state()
    if state == _FROZEN:
        return False
    gc.collect()
    gc.freeze()
    _FROZEN = state
    return True
