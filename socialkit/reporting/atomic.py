"""Atomic file writes (kept for existing imports): see :mod:`socialkit.files`."""

from __future__ import annotations

from ..files import atomic_write_bytes, atomic_write_text

__all__ = ["atomic_write_bytes", "atomic_write_text"]
