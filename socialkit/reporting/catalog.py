"""What the batch runner needs to know about a catalog: its files, fingerprint and metadata.

The **data fingerprint** identifies the exact data a report was made from:
:func:`socialkit.data.fingerprint.catalog_digest`, the SHA-256 of the catalog file and of every
local file it references, in a stable order. A changed cell in any CSV changes the fingerprint, so
``socialkit report --resume`` redoes reports whose data changed. Remote sources (SQL, URLs)
cannot be hashed; for them only the catalog text counts.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path

from ..data.fingerprint import catalog_digest, catalog_files, read_catalog_yaml
from ..errors import ReportError

__all__ = ["CatalogInfo", "catalog_info"]


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
    meta = read_catalog_yaml(catalog).get("metadata") or {}
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
        fingerprint=catalog_digest(catalog),
        synthetic=synthetic is True or str(synthetic).lower() in ("true", "yes", "1"),
        data_as_of=as_of,
    )
