"""Code that runs *inside* a warm report kernel: warm-up, per-report reset, data cache.

:mod:`socialkit.reporting.engine` starts one Jupyter kernel per worker and calls
:func:`warm_up` once, then :func:`reset` before every notebook. Nothing here is needed in
JupyterLab; a notebook behaves the same with or without it.

The data cache
--------------
Report notebooks read their tables with :func:`socialkit.data.load`, which parses and validates
the whole table with pandera on every call. In a batch, hundreds of reports read the same
catalog, so :func:`warm_up` switches on the data layer's per-process table cache
(:mod:`socialkit.data.cache`, keyed by the catalog's files' sizes and mtimes); nothing here
replaces ``load``. Figures are static because :func:`warm_up` calls
``socialkit.plots.setup(static=True)``, a choice the notebook's own ``setup()`` keeps.
"""

from __future__ import annotations

import importlib
import sys

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

def install_data_cache() -> bool:
    """Switch on the data layer's per-process table cache (:mod:`socialkit.data.cache`);
    return whether it is on (``SOCIALKIT_REPORT_CACHE=0`` keeps it off)."""
    from ..data.cache import enable_cache

    return enable_cache()


def warm_up(modules: tuple[str, ...] = WARM_MODULES) -> list[str]:
    """Import the heavy libraries once, select static figures and install the data cache.

    Returns
    -------
    list of str
        The modules that were imported.
    """
    install_data_cache()
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
    cache = sys.modules.get("socialkit.data.cache")
    tables = cache.cached_keys() if cache is not None else frozenset()
    return (tables, frozenset(getattr(memo, "_STORE", ())), len(sys.modules))


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
