"""Opening a catalog never runs code: an allow-list checked on the YAML before intake sees it.

Intake 2 builds a catalog by importing classes **named in the file** and resolves templates in
its strings when an entry is read. Read in ``intake/readers`` (2.0.9), every place that
imports or calls by name:

* ``Tokenizable.from_dict`` imports the ``cls`` of each entry, data and user parameter;
* ``ReaderDescription.to_reader`` imports ``reader``; ``DataDescription.to_data`` imports
  ``datatype``; the readers' mixins import ``output_instance``;
* ``user_parameters._set_values`` resolves a string ``"{func(mod:name)}"`` or
  ``"{import(mod:name)}"`` by importing ``mod`` and returning ``name`` (so a reader such as
  ``intake.readers.convert:GenericFunc`` with ``func: '{func(os:system)}'`` calls
  ``os.system``), ``"{pickle64(...)}"`` by unpickling, ``"{env(VAR)}"`` from the environment,
  ``"{data(name)}"`` by building another entry, and every other string with
  ``str.format_map`` (which follows ``{a.b}`` attributes and ``{a[0]}`` items);
* ``set_values`` matches the same templates, without braces, at the start of a user
  parameter's ``default``;
* ``ReaderDescription.check_imports`` imports the names in ``metadata.imports``.

:func:`check_catalog_spec` therefore accepts only the readers, data types, output types and
user-parameter classes that socialkit supports (:data:`READERS`, :data:`DATATYPES`,
:data:`OUTPUTS`, :data:`PARAMETER_CLASSES`) and only these templates: ``{name}`` of a user
parameter (or ``CATALOG_DIR``/``CATALOG_PATH``), ``{data(<entry of this catalog>)}`` and
``{env(SOCIALKIT_...)}``. Anything else is refused with the entry's name and what is allowed,
before a single intake object exists.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..config import default_lang
from ..errors import SocialkitError
from ..i18n import t

__all__ = ["DATATYPES", "OUTPUTS", "PARAMETER_CLASSES", "READERS", "UnsafeCatalogError",
           "check_catalog_spec"]

_R = "intake.readers.readers:"
_D = "intake.readers.datatypes:"
_U = "intake.readers.user_parameters:"

#: Readers a catalog entry may use: pandas for CSV, Parquet, Excel, Feather and SQL, geopandas
#: for GeoJSON and other vector files.
READERS = frozenset({
    _R + "PandasCSV", _R + "PandasParquet", _R + "PandasExcel", _R + "PandasFeather",
    _R + "PandasSQLAlchemy", _R + "GeoPandasReader",
})
#: Data types a ``data`` section may declare.
DATATYPES = frozenset({
    _D + "CSV", _D + "Parquet", _D + "Excel", _D + "Feather2", _D + "SQLQuery",
    _D + "GeoJSON", _D + "Shapefile", _D + "GeoPackage",
})
#: What an entry may produce.
OUTPUTS = frozenset({"pandas:DataFrame", "geopandas:GeoDataFrame"})
#: User-parameter classes.
PARAMETER_CLASSES = frozenset({
    _U + "SimpleUserParameter", _U + "OptionsUserParameter",
    _U + "MultiOptionUserParameter", _U + "BoundedNumberUserParameter",
})
_ENTRY_CLASS = "intake.readers.entry:ReaderDescription"
_DATA_CLASS = "intake.readers.entry:DataDescription"
_BUILTIN_FIELDS = frozenset({"CATALOG_DIR", "CATALOG_PATH"})
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_ENV = re.compile(r"env\((SOCIALKIT_[A-Z0-9_]*)\)\Z")
_DATA = re.compile(r"data\(([^(),]+)\)\Z")
_TEMPLATE_START = re.compile(r"\s*(func|import|pickle64|env|data)\(")


class UnsafeCatalogError(SocialkitError):
    """A catalog names a reader, class or template that socialkit does not allow."""


def _strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield value, where
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k, f"{where}.{k}")
            yield from _strings(v, f"{where}.{k}")
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            yield from _strings(v, f"{where}[{i}]")


class _Checker:
    def __init__(self, spec: dict, path: Path):
        self.spec = spec
        self.path = path
        self.names = set(_BUILTIN_FIELDS)
        self.refs = set()
        for section in ("entries", "data"):
            if isinstance(spec.get(section), dict):
                self.refs |= set(map(str, spec[section]))
        for holder in [spec, *self._descriptions()]:
            ups = holder.get("user_parameters") if isinstance(holder, dict) else None
            if isinstance(ups, dict):
                self.names |= set(map(str, ups))

    def _descriptions(self) -> list[dict]:
        out = []
        for section in ("entries", "data"):
            block = self.spec.get(section)
            if isinstance(block, dict):
                out += [d for d in block.values() if isinstance(d, dict)]
        return out

    def refuse(self, where: str, found: object, allowed: str, names=()) -> None:
        lang = default_lang()
        text = t(f"security.catalog.{allowed}", lang, names=", ".join(sorted(names))) if names \
            else t(f"security.catalog.{allowed}", lang)
        raise UnsafeCatalogError(t("security.catalog.refused", lang, path=self.path,
                                   where=where, found=repr(found), allowed=text))

    def check_field(self, field: str, where: str, text: str) -> None:
        if field in self.names or _ENV.match(field):
            return
        m = _DATA.match(field)
        if m and m.group(1).strip() in self.refs:
            return
        self.refuse(where, text, "templates")

    def check_string(self, text: str, where: str) -> None:
        if "{" not in text and "}" not in text:
            return
        try:
            parts = list(string.Formatter().parse(text))
        except ValueError:
            self.refuse(where, text, "braces")
        for _, field, spec, conversion in parts:
            if field is None:
                continue
            if spec or conversion or "{" in field:
                self.refuse(where, text, "braces")
            self.check_field(field, where, text)

    def check_default(self, default: object, where: str) -> None:
        if not isinstance(default, str):
            return
        m = _TEMPLATE_START.match(default)
        if m and not _ENV.match(default.strip()):
            self.refuse(where, default, "default")
        self.check_string(default, where)

    def check_parameters(self, ups: object, where: str) -> None:
        if ups is None:
            return
        if not isinstance(ups, dict):
            self.refuse(where, ups, "mapping")
        for name, up in ups.items():
            w = f"{where} '{name}'"
            if not isinstance(up, dict):
                self.refuse(w, up, "mapping")
            cls = up.get("cls", _U + "SimpleUserParameter")
            if cls not in PARAMETER_CLASSES:
                self.refuse(f"{w}, cls", cls, "classes", PARAMETER_CLASSES)
            self.check_default(up.get("default"), f"{w}, default")
            for text, sub in _strings({k: v for k, v in up.items()
                                       if k not in ("cls", "default")}, w):
                self.check_string(text, sub)

    def check_description(self, desc: object, where: str, *, entry: bool) -> None:
        if not isinstance(desc, dict):
            self.refuse(where, desc, "mapping")
        cls = desc.get("cls")
        if cls is not None and cls != (_ENTRY_CLASS if entry else _DATA_CLASS):
            self.refuse(f"{where}, cls", cls, "no_class")
        if entry:
            reader = desc.get("reader")
            if reader not in READERS:
                self.refuse(f"{where}, reader", reader, "readers", READERS)
            out = desc.get("output_instance")
            if out is not None and out not in OUTPUTS:
                self.refuse(f"{where}, output_instance", out, "outputs", OUTPUTS)
        else:
            datatype = desc.get("datatype")
            if datatype not in DATATYPES:
                self.refuse(f"{where}, datatype", datatype, "datatypes", DATATYPES)
        meta = desc.get("metadata")
        if isinstance(meta, dict) and "imports" in meta:
            self.refuse(f"{where}, metadata.imports", meta["imports"], "imports")
        self.check_parameters(desc.get("user_parameters"), f"{where}, user parameter")
        for text, sub in _strings(desc.get("kwargs") or {}, f"{where}, kwargs"):
            self.check_string(text, sub)

    def run(self) -> None:
        self.check_parameters(self.spec.get("user_parameters"), "user parameter")
        for section, entry in (("data", False), ("entries", True)):
            block = self.spec.get(section) or {}
            if not isinstance(block, dict):
                self.refuse(section, type(block).__name__, "mapping")
            for name, desc in block.items():
                kind = "entry" if entry else "data"
                self.check_description(desc, f"{kind} '{name}'", entry=entry)


def check_catalog_spec(spec: object, path: str | Path) -> None:
    """Refuse a parsed catalog that would import or call anything socialkit does not allow.

    Parameters
    ----------
    spec : object
        The catalog file parsed with ``yaml.safe_load`` (not yet given to intake).
    path : path
        The catalog file, for messages.

    Raises
    ------
    UnsafeCatalogError
        Naming the file, the entry and key, the value found, and what is allowed.

    >>> bad = {"version": 2, "entries": {"x": {"reader": "intake.readers.convert:GenericFunc",
    ...        "kwargs": {"func": "{func(os:system)}"}}}}
    >>> try:
    ...     check_catalog_spec(bad, "cat.yaml")
    ... except UnsafeCatalogError as exc:
    ...     print(str(exc).split(";")[0])
    cat.yaml: entry 'x', reader: 'intake.readers.convert:GenericFunc' is not allowed
    """
    if isinstance(spec, dict):
        _Checker(spec, Path(path)).run()
