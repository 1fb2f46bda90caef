"""A small content-keyed memo for whole-data-set computations.

The needs report computes the index of every settlement and municipality, and clusters them,
once per report; the batch runner executes many reports in one warm kernel on the same data.
Keys are a hash of the input frames' contents (so a changed catalog is recomputed, never
served stale) plus the arguments; results are copied in and out (:func:`private_copy`), so a
caller that changes a result cannot change what the next caller gets.

Hashing a national table (700,000 rows of text) takes ~0.1 s, and a report hashes its inputs
several times. Frames that cannot change — the tables a warm report kernel keeps in its data
cache (:mod:`socialkit.reporting.kernel`) — are *pinned* with :func:`pin`: the digest of each
of their columns is then kept, keyed by the address, shape, strides and dtype of the memory
behind the column. A shallow copy (``frame.copy(deep=False)``, what the data cache hands out)
shares that memory, so hashing it again costs nothing. This is sound because pandas'
copy-on-write never writes into memory another frame still references (the pinned frame
holds a reference for as long as it is pinned), and the pinned frame keeps the memory alive,
so its address cannot be reused by other data. Columns not backed by pinned memory are
always hashed in full.
"""

from __future__ import annotations

import copy
import hashlib
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from . import config

__all__ = ["clear", "fingerprint", "memoised", "pin", "private_copy", "row_index", "rows_of",
           "unpin"]

#: Results kept per kind of computation (the first item of the key, e.g.
#: ``"vulnerability_index"``), and in all.
_MAX_PER_KIND = 8
_MAX = 64
_STORE: OrderedDict[tuple, Any] = OrderedDict()
_STORE_PINS: dict[tuple, list[pd.DataFrame]] = {}  # the pinned frames of each stored result
#: Row indexes (:func:`row_index`) kept, least recently used first.
_MAX_ROW_INDEXES = 16
_ROW_INDEXES: OrderedDict[tuple, dict] = OrderedDict()
_NO_ROWS = np.zeros(0, dtype=np.intp)
_NO_ROWS.flags.writeable = False

# pinned frames (by id, held strongly), the memory they own, and digests of columns in it
_PINNED: dict[int, tuple[pd.DataFrame, list[tuple]]] = {}
_PINNED_MEMORY: dict[tuple, int] = {}  # buffer key -> how many pinned frames hold it
_COLUMN_DIGESTS: dict[tuple, bytes] = {}


def _buffers(values: Any) -> tuple | None:
    """``(address, shape, strides, dtype)`` of every NumPy buffer behind a column's values.

    ``None`` for array types whose memory is not (only) NumPy buffers (Arrow, categorical, …).
    """
    if isinstance(values, np.ndarray):
        arrays = [values]
    else:
        arrays = []
        for attr in ("_ndarray", "_data", "_mask"):
            part = getattr(values, attr, None)
            if isinstance(part, np.ndarray):
                arrays.append(part)
            elif part is not None:
                return None
        if not arrays:
            return None
    return tuple((a.__array_interface__["data"][0], a.shape, a.strides, a.dtype.str)
                 for a in arrays)


def _column_key(column: pd.Series) -> tuple | None:
    buffers = _buffers(column.array)
    return None if buffers is None else (str(column.dtype), type(column.array).__name__, buffers)


def _column_digest(column: pd.Series) -> bytes:
    key = _column_key(column) if _PINNED_MEMORY else None
    if key is not None:
        digest = _COLUMN_DIGESTS.get(key)
        if digest is not None:
            return digest
    digest = hashlib.blake2b(
        pd.util.hash_pandas_object(column, index=False).to_numpy().tobytes(), digest_size=16
    ).digest()
    if key is not None and all(b in _PINNED_MEMORY for b in key[2]):
        _COLUMN_DIGESTS[key] = digest
    return digest


def fingerprint(frames: Mapping[str, pd.DataFrame]) -> str:
    """Hash of the names, columns, dtypes, lengths and values of ``frames``.

    Columns of pinned frames (and of shallow copies of them) are hashed once (see :func:`pin`).
    """
    h = hashlib.blake2b(digest_size=16)
    for name in sorted(frames):
        f = frames[name]
        h.update(name.encode())
        h.update(repr([(str(c), str(t)) for c, t in f.dtypes.items()]).encode())
        h.update(len(f).to_bytes(8, "little"))
        for i in range(f.shape[1]):
            h.update(_column_digest(f.iloc[:, i]))
    return h.hexdigest()


def pin(frame: pd.DataFrame) -> None:
    """Declare ``frame`` immutable while pinned, so its columns' digests can be kept.

    The caller must never modify ``frame`` in place while it is pinned (hand out
    ``frame.copy(deep=False)`` instead: copy-on-write then protects it) and must
    :func:`unpin` it when it drops it.
    """
    if id(frame) in _PINNED:
        return
    keys = []
    for i in range(frame.shape[1]):
        key = _column_key(frame.iloc[:, i])
        if key is not None:
            keys.extend(key[2])
    _PINNED[id(frame)] = (frame, keys)
    for b in keys:
        _PINNED_MEMORY[b] = _PINNED_MEMORY.get(b, 0) + 1


def unpin(frame: pd.DataFrame | None = None) -> None:
    """Release ``frame`` (every pinned frame when None) and forget digests of its memory."""
    ids = list(_PINNED) if frame is None else [id(frame)]
    released = False
    for ident in ids:
        entry = _PINNED.pop(ident, None)
        if entry is None:
            continue
        for b in entry[1]:
            left = _PINNED_MEMORY.get(b, 0) - 1
            if left > 0:
                _PINNED_MEMORY[b] = left
            else:
                _PINNED_MEMORY.pop(b, None)
                released = True
    if released:
        for key in [k for k in _COLUMN_DIGESTS if not all(b in _PINNED_MEMORY for b in k[2])]:
            del _COLUMN_DIGESTS[key]


_WALK_DEPTH = 4


def _pandas_objects(value: Any, found: dict[int, Any], depth: int = 0) -> None:
    """Collect (by id) the DataFrames, Series and Indexes in ``value``: itself, or inside its
    dicts, lists, tuples, sets and object attributes, ``_WALK_DEPTH`` levels down."""
    if isinstance(value, (pd.DataFrame, pd.Series, pd.Index)):
        found[id(value)] = value
        return
    if depth >= _WALK_DEPTH or isinstance(value, (str, bytes, int, float, bool, np.ndarray)) \
            or value is None:
        return
    if isinstance(value, dict):
        items = list(value.values())
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = list(value)
    else:
        items = list(getattr(value, "__dict__", {}).values())
        items += [getattr(value, n) for n in getattr(type(value), "__slots__", ())
                  if isinstance(n, str) and hasattr(value, n)]
    for item in items:
        _pandas_objects(item, found, depth + 1)


def _shallow(obj: Any) -> Any:
    if isinstance(obj, pd.Index):
        return obj.copy()  # a new Index object (its name is its own) over the same values
    return obj.copy(deep=False)


def private_copy(value: Any) -> Any:
    """A copy of ``value`` that the caller may change without changing ``value``.

    ``copy.deepcopy``, except for the pandas objects in it (found in its containers and
    attributes, a few levels down): those are copied shallowly — new objects, with their own
    index, columns, names and ``attrs``, over the same memory. Pandas' copy-on-write (always
    on from pandas 3) copies that memory before any change made through either object, and
    arrays taken out of them (``to_numpy()``) are read-only, as from a deep copy; values in
    object columns are not copied by a deep copy either. The difference is the time: the
    national results of a report kernel (the vulnerability index of 52,000 settlements) were
    copied in full every time a report asked for them.
    """
    found: dict[int, Any] = {}
    _pandas_objects(value, found)
    seeded = {ident: _shallow(obj) for ident, obj in found.items()}
    if id(value) in seeded:
        return seeded[id(value)]
    seeded[id(seeded)] = [list(found.values())]  # keep the originals alive (ids stay theirs)
    return copy.deepcopy(value, seeded)


def memoised(key: tuple, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per ``key`` (``SOCIALKIT_MEMO=0`` turns the memo off).

    The least recently used result is forgotten when its kind (``key[0]``) holds more than
    ``_MAX_PER_KIND`` results, or the memo more than ``_MAX``. Counting per kind matters in a
    report batch: a kernel runs the reports of each municipality in turn (maturity, needs,
    passport, M&E), which use some ten national results between them; with one limit of
    eight for all of them, each report's results pushed out the next report's, and every
    report computed its national index, clusters and peers again.
    """
    if not config.memo_enabled():
        return compute()
    if key in _STORE:
        _STORE.move_to_end(key)
        return private_copy(_STORE[key])
    value = compute()
    _keep(key, value)
    kind = key[0] if key else None
    same = [k for k in _STORE if (k[0] if k else None) == kind]
    for old in same[: max(0, len(same) - _MAX_PER_KIND)]:
        _forget(old)
    while len(_STORE) > _MAX:
        _forget(next(iter(_STORE)))
    return value


def _keep(key: tuple, value: Any) -> None:
    """Store a private copy of ``value`` and pin its frames: the copies handed out share their
    memory, so a later :func:`fingerprint` or :func:`rows_of` of them (a report asking for the
    clusters of the memoised index) costs a look-up."""
    stored = private_copy(value)
    found: dict[int, Any] = {}
    _pandas_objects(stored, found)
    frames = [f if isinstance(f, pd.DataFrame) else f.to_frame()
              for f in found.values() if isinstance(f, (pd.DataFrame, pd.Series))]
    for frame in frames:
        pin(frame)
    _STORE[key] = stored
    _STORE_PINS[key] = frames


def _forget(key: tuple) -> None:
    del _STORE[key]
    for frame in _STORE_PINS.pop(key, ()):
        unpin(frame)


def row_index(frame: pd.DataFrame, column: str) -> dict[Any, np.ndarray]:
    """Positions of the rows of ``frame`` holding each value of ``column``.

    ``{value: positions}``, positions ascending (read-only arrays of ``frame.iloc``), missing
    values left out. Computed once per content of the column (the key is its
    :func:`fingerprint`: for a pinned table, such as a warm report kernel's, a dictionary
    look-up), so a report that needs one municipality's rows of a national table takes them
    with ``frame.iloc[rows_of(frame, "municipality_id", mid)]`` instead of comparing every
    row: the same rows, in the same order, as ``frame.loc[frame[column] == value]``.
    ``SOCIALKIT_MEMO=0`` computes it on every call.
    """
    key = (fingerprint({column: frame[[column]]}), column)
    found = _ROW_INDEXES.get(key) if config.memo_enabled() else None
    if found is not None:
        _ROW_INDEXES.move_to_end(key)
        return found
    found = {}
    for value, rows in frame.groupby(column, sort=False, dropna=True).indices.items():
        rows = np.asarray(rows, dtype=np.intp)
        rows.flags.writeable = False
        found[value] = rows
    if config.memo_enabled():
        _ROW_INDEXES[key] = found
        while len(_ROW_INDEXES) > _MAX_ROW_INDEXES:
            _ROW_INDEXES.popitem(last=False)
    return found


def _pinned(column: pd.Series) -> bool:
    key = _column_key(column) if _PINNED_MEMORY else None
    return key is not None and all(b in _PINNED_MEMORY for b in key[2])


def rows_of(frame: pd.DataFrame, column: str, value: Any) -> np.ndarray:
    """Positions of the rows of ``frame`` whose ``column`` equals ``value``, ascending: the
    rows of ``frame.loc[frame[column] == value]``.

    From :func:`row_index` when the column is pinned (:func:`pin`: its index is kept, so a
    look-up costs nothing after the first); otherwise one comparison (hashing the column for
    an index would cost more than that).

    >>> f = pd.DataFrame({"m": ["a", "b", "a", None]})
    >>> rows_of(f, "m", "a").tolist(), rows_of(f, "m", "z").tolist()
    ([0, 2], [])
    """
    if _pinned(frame[column]):
        return row_index(frame, column).get(value, _NO_ROWS)
    return np.flatnonzero((frame[column] == value).to_numpy(dtype=bool, na_value=False))


def clear() -> None:
    """Forget every memoised result and row index (frames pinned by callers stay pinned)."""
    for key in list(_STORE):
        _forget(key)
    _ROW_INDEXES.clear()
