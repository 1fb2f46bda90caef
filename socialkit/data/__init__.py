"""Catalog access, schemas, validation and the demo-data generator.

>>> from socialkit.data import load
>>> municipalities = load("municipalities")          # the demo catalog by default
"""

from .catalog import open_catalog, write_catalog
from .loading import load, load_all, resolve_catalog, validate_frame
from .schemas import KEYS, SCHEMAS, TABLES
from .validation import validate_catalog, validate_tables

__all__ = [
    "KEYS",
    "SCHEMAS",
    "TABLES",
    "load",
    "load_all",
    "open_catalog",
    "resolve_catalog",
    "validate_catalog",
    "validate_frame",
    "validate_tables",
    "write_catalog",
]
