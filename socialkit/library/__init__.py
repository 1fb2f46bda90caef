"""The e-platform's library: documents, maps and videos that municipalities share.

:func:`check_upload` decides a file's type from its content (never from its name) and applies
the size limit of its kind; :class:`FileStore` keeps the accepted bytes under their SHA-256,
written atomically, so nothing half-uploaded is ever listed; :class:`Library` keeps the items'
metadata, publishing workflow, roles and audit trail in the suite's store
(:mod:`socialkit.library.items`); :func:`open_library` opens it where the configuration says.
"""

from __future__ import annotations

from pathlib import Path

from .checks import KINDS, LIMITS_MB, Upload, UploadError, check_upload, sniff
from .filestore import FileStore
from .items import ITEM_STATUSES, ITEM_TYPES, Item, Library, LibraryError, Reader

__all__ = ["ITEM_STATUSES", "ITEM_TYPES", "KINDS", "LIMITS_MB", "FileStore", "Item", "Library",
           "LibraryError", "Reader", "Upload", "UploadError", "check_upload", "open_library",
           "sniff"]


def open_library(db_url: str | None = None, files: str | Path | None = None) -> Library:
    """The library on the store at ``db_url`` (default :func:`socialkit.config.db_url`) with
    its files under ``files`` (default :func:`socialkit.config.library_dir`)."""
    from .. import config
    from ..store import open_store

    return Library(open_store(db_url), FileStore(files or config.library_dir()))
