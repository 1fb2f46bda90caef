"""Which files a catalog's data come from, and fingerprints of them: one implementation.

Three questions, three functions, used by every layer that caches or records data:

* :func:`catalog_files` — the catalog file and every local file it references
  (``{CATALOG_DIR}/...`` and other paths that exist), sorted, without repeats.
* :func:`catalog_stamp` — a cheap stamp of those files (path, size, mtime): a changed file is
  a new stamp. Used as a cache key by the per-process table cache (:mod:`.cache`) and by the
  dashboard's data cache.
* :func:`catalog_digest` — the SHA-256 of their names and bytes: identifies the exact data a
  report was made from (the report manifest; ``socialkit report --resume``). Moving the
  catalog together with its files keeps the digest.

Frames built in memory are fingerprinted by :func:`socialkit.memo.fingerprint`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from ..errors import SocialkitError

__all__ = ["catalog_digest", "catalog_files", "catalog_stamp", "read_catalog_yaml"]

_CHUNK = 1 << 20
_FILES: dict[tuple, list[Path]] = {}  # (catalog, size, mtime) -> the files it references
_MAX_ENTRIES = 64


def read_catalog_yaml(path: Path) -> dict[str, Any]:
    """The catalog file as a mapping (a clear error when missing, not YAML, or not a mapping)."""
    if not path.is_file():
        raise SocialkitError(f"{path}: catalog file not found; give the path of an intake catalog")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise SocialkitError(f"{path}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise SocialkitError(f"{path}: expected a mapping (an intake catalog)")
    return data


def _strings(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _strings(value)


def catalog_files(catalog: str | Path) -> list[Path]:
    """The catalog file followed by every local file it references, sorted, without repeats.

    ``{CATALOG_DIR}`` is replaced by the catalog's folder; relative paths are taken relative to
    it; strings that are not paths of existing files (readers, dtypes, queries) are ignored.
    """
    catalog = Path(catalog).expanduser().resolve()
    data = read_catalog_yaml(catalog)
    found: set[Path] = set()
    for text in _strings(data):
        if "/" not in text and "." not in text:
            continue
        candidate = text.replace("{CATALOG_DIR}", str(catalog.parent))
        if candidate.startswith("file://"):
            candidate = candidate[len("file://"):]
        if "://" in candidate or "\n" in candidate or len(candidate) > 4096:
            continue
        path = Path(candidate).expanduser()
        if not path.is_absolute():
            path = catalog.parent / path
        try:
            if path.is_file():
                found.add(path.resolve())
        except OSError:
            continue
    found.discard(catalog)
    return [catalog, *sorted(found)]


def catalog_not_found(path: Path) -> SocialkitError:
    """The error for a catalog path that is not a file (one wording for every reader)."""
    return SocialkitError(
        f"{path}: catalog file not found. Give the path of an intake catalog "
        "(for the demo: run 'socialkit demo' and use its catalog.yaml)."
    )


def catalog_stamp(catalog: str | Path) -> tuple:
    """``((path, size, mtime_ns), ...)`` of the catalog and every file it references.

    The list of referenced files is re-read only when the catalog file itself changes, so a
    stamp costs one ``stat`` per file.
    """
    catalog = Path(catalog).expanduser().resolve()
    if not catalog.is_file():
        raise catalog_not_found(catalog)
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
        try:
            st = path.stat()
        except OSError as exc:
            raise SocialkitError(f"{catalog}: the catalog names the file {path}, which cannot be "
                                 f"read ({exc.strerror}); expected an existing file") from None
        out.append((str(path), st.st_size, st.st_mtime_ns))
    return tuple(out)


def catalog_digest(catalog: str | Path) -> str:
    """SHA-256 (hex, first 20 characters) of the catalog and every local file it references.

    Each file contributes its name relative to the catalog's folder and its bytes, so moving
    the catalog together with its files keeps the digest. Remote sources (SQL, URLs) cannot be
    hashed; for them only the catalog text counts.
    """
    files = catalog_files(catalog)
    root = files[0].parent
    digest = hashlib.sha256()
    for path in files:
        try:
            name = path.relative_to(root).as_posix()
        except ValueError:
            name = path.as_posix()
        digest.update(name.encode("utf-8") + b"\0")
        with path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                digest.update(chunk)
        digest.update(b"\0")
    return digest.hexdigest()[:20]
