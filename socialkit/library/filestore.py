"""Where the library keeps its files: one file per content, named by its SHA-256.

``<root>/<first two hex digits>/<sha256>.<format>``. A file is written atomically
(:func:`socialkit.files.atomic_write_bytes`: a temporary name, ``fsync``, rename), so a reader
or a listing never sees half an upload; the same content uploaded twice is stored once. The
checksum is the name, so a file changed on disk is found by :meth:`FileStore.verify`.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ..files import atomic_write_bytes
from .checks import KINDS, Upload

__all__ = ["FileStore"]

_SHA = re.compile(r"^[0-9a-f]{64}$")


class FileStore:
    """Content-addressed files under ``root`` (a folder; created when first written)."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def path(self, sha256: str, fmt: str) -> Path:
        """Where the content ``sha256`` of format ``fmt`` is kept (no file is read)."""
        if not _SHA.match(sha256) or fmt not in KINDS:
            raise ValueError(f"not a stored file: {sha256!r}.{fmt!r}")
        return self.root / sha256[:2] / f"{sha256}.{fmt}"

    def put(self, upload: Upload, data: bytes) -> str:
        """Keep ``data`` (already accepted as ``upload``); returns its SHA-256."""
        sha = hashlib.sha256(data).hexdigest()
        path = self.path(sha, upload.format)
        if not path.is_file():
            atomic_write_bytes(path, data)
        return sha

    def open(self, sha256: str, fmt: str) -> bytes:
        """The stored bytes (``FileNotFoundError`` when missing)."""
        return self.path(sha256, fmt).read_bytes()

    def verify(self, sha256: str, fmt: str) -> bool:
        """True when the stored file still has the checksum it is named by."""
        path = self.path(sha256, fmt)
        return path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha256
