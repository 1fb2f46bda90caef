"""A small content-keyed memo for whole-data-set computations.

The needs report computes the index of every settlement and municipality, and clusters them,
once per report; the batch runner executes many reports in one warm kernel on the same data.
Keys are a hash of the input frames' contents (so a changed catalog is recomputed, never
served stale) plus the arguments; results are deep-copied in and out, so a caller that
changes a result cannot change what the next caller gets.
"""

from __future__ import annotations

import copy
import hashlib
import os
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

__all__ = ["clear", "fingerprint", "memoised"]

_MAX = 8
_STORE: OrderedDict[tuple, Any] = OrderedDict()


def fingerprint(frames: Mapping[str, pd.DataFrame]) -> str:
    """Hash of the names, columns, dtypes and values of ``frames``."""
    h = hashlib.blake2b(digest_size=16)
    for name in sorted(frames):
        f = frames[name]
        h.update(name.encode())
        h.update(repr([(str(c), str(t)) for c, t in f.dtypes.items()]).encode())
        h.update(pd.util.hash_pandas_object(f, index=False).to_numpy().tobytes())
    return h.hexdigest()


def memoised(key: tuple, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per ``key`` (``SOCIALKIT_MEMO=0`` turns the memo off)."""
    if os.environ.get("SOCIALKIT_MEMO", "1") in ("0", "false", "no"):
        return compute()
    if key in _STORE:
        _STORE.move_to_end(key)
        return copy.deepcopy(_STORE[key])
    value = compute()
    _STORE[key] = copy.deepcopy(value)
    while len(_STORE) > _MAX:
        _STORE.popitem(last=False)
    return value


def clear() -> None:
    """Forget every memoised result."""
    _STORE.clear()
