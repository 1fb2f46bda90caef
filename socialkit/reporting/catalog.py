"""What the batch runner needs to know about a catalog: its files, fingerprint and metadata.

The **data fingerprint** identifies the exact data a report was made from: the SHA-256 of the
catalog file and of every local file it references (``{CATALOG_DIR}/...`` paths and other
paths that exist), in a stable order. A changed cell in any CSV changes the fingerprint, so
``socialkit report --resume`` redoes reports whose data changed. Remote sources (SQL, URLs)
cannot be hashed; for them only the catalog text counts.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import ReportError, SocialkitError

__all__ = [
    "CatalogInfo",
    "catalog_files",
    "catalog_info",
    "data_fingerprint",
]

_CHUNK = 1 << 20


def _read_yaml(path: Path) -> dict[str, Any]:
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


def catalog_files(catalog: Path) -> list[Path]:
    """The catalog file followed by every local file it references, sorted, without repeats.

    ``{CATALOG_DIR}`` is replaced by the catalog's folder; relative paths are taken relative to
    it; strings that are not paths of existing files (readers, dtypes, queries) are ignored.
    """
    catalog = Path(catalog).expanduser().resolve()
    data = _read_yaml(catalog)
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


def data_fingerprint(catalog: Path) -> str:
    """SHA-256 (hex, first 20 characters) of the catalog and every local file it references.

    Each file contributes its name relative to the catalog's folder and its bytes, so moving
    the catalog together with its files keeps the fingerprint.
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


@dataclass(frozen=True)
class CatalogInfo:
    """Facts about a catalog shown on a report's title page and stored in the manifest."""

    path: Path
    fingerprint: str
    synthetic: bool
    data_as_of: str  # ISO date


def catalog_info(catalog: Path) -> CatalogInfo:
    """Read a catalog's fingerprint and metadata (``synthetic``, ``data_as_of``).

    ``data_as_of`` is the catalog metadata's ``data_as_of`` (ISO date); without one, the date
    the newest data file was last modified.
    """
    catalog = Path(catalog).expanduser().resolve()
    meta = _read_yaml(catalog).get("metadata") or {}
    if not isinstance(meta, dict):
        raise ReportError(f"{catalog}: 'metadata' must be a mapping")
    as_of = meta.get("data_as_of")
    if as_of is None:
        newest = max(p.stat().st_mtime for p in catalog_files(catalog))
        as_of = _dt.date.fromtimestamp(newest).isoformat()
    else:
        try:
            as_of = _dt.date.fromisoformat(str(as_of)[:10]).isoformat()
        except ValueError as exc:
            raise ReportError(
                f"{catalog}: metadata 'data_as_of' is {as_of!r}; expected a date like 2021-12-31"
            ) from exc
    synthetic = meta.get("synthetic", False)
    return CatalogInfo(
        path=catalog,
        fingerprint=data_fingerprint(catalog),
        synthetic=synthetic is True or str(synthetic).lower() in ("true", "yes", "1"),
        data_as_of=as_of,
    )
