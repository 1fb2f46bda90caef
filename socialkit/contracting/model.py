"""The in-memory model of a region-year of state social order: one validated frame per table.

:class:`ContractingData` is what every analysis of this package takes. It is built by
:func:`~socialkit.contracting.load.read_contracting` (a folder of CSV files or a workbook) or by
the demo generator, and it is plain data: a store can persist each frame as one table with the
same columns and keys (:data:`~socialkit.contracting.schemas.KEYS`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import pandas as pd

from .schemas import SCHEMAS, TABLES

__all__ = ["COUNTRY", "ContractingData", "code_text", "empty_table", "local_text"]

#: The country of the state social order (whose local-name rule decides who reads Russian).
COUNTRY = "BY"


def _blank(value: object) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value)) or (
        isinstance(value, str) and not value.strip())


def local_text(row, field: str, lang: str) -> str:
    """The text of ``field`` of ``row`` (a dict or Series) for a reader of ``lang``.

    ``<field>`` is English, ``<field>_ru`` Russian, ``<field>_be`` Belarusian; which one a
    reader sees is the suite's rule for Belarus' local names
    (:func:`socialkit.i18n.display_name`, ``socialkit/i18n/local_names.yaml``): Russian and
    Belarusian readers the Belarusian text where given, else the Russian one; other readers
    the English text (the Russian one when there is no English).

    >>> row = {"name": "Staff", "name_ru": "Персонал"}
    >>> local_text(row, "name", "ru"), local_text(row, "name", "be"), local_text(row, "name", "uk")
    ('Персонал', 'Персонал', 'Staff')
    """
    from ..i18n import display_name

    get = row.get
    view = {field: None if _blank(get(field)) else get(field),
            f"{field}_local": None if _blank(get(f"{field}_ru")) else get(f"{field}_ru"),
            f"{field}_be": None if _blank(get(f"{field}_be")) else get(f"{field}_be")}
    return display_name(view, lang, field, country=COUNTRY)


def code_text(kind: str, code: object, lang: str) -> str:
    """A code in words for ``lang`` (``contracting.<kind>.<code>``: ``services``,
    ``documents``), or the code itself when the catalogs do not know it.

    >>> code_text("documents", "charter", "ru"), code_text("documents", "own_form", "ru")
    ('Устав организации', 'own_form')
    """
    from ..i18n import available_keys, t

    key = f"contracting.{kind}.{code}"
    return t(key, lang) if key in available_keys(lang) else str(code)


def empty_table(name: str) -> pd.DataFrame:
    """An empty frame with the columns of table ``name``."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in SCHEMAS[name].columns})


def _empty(name: str):
    return field(default_factory=lambda: empty_table(name))


@dataclass(frozen=True)
class ContractingData:
    """One region-year: every table of :mod:`socialkit.contracting.schemas` as a frame.

    ``sources`` maps each table to where it was read from (a file, or a workbook sheet), so
    messages can name it.
    """

    customers: pd.DataFrame = _empty("customers")
    ngos: pd.DataFrame = _empty("ngos")
    evaluators: pd.DataFrame = _empty("evaluators")
    orders: pd.DataFrame = _empty("orders")
    competitions: pd.DataFrame = _empty("competitions")
    lots: pd.DataFrame = _empty("lots")
    criteria: pd.DataFrame = _empty("criteria")
    required_documents: pd.DataFrame = _empty("required_documents")
    applications: pd.DataFrame = _empty("applications")
    application_documents: pd.DataFrame = _empty("application_documents")
    eligibility: pd.DataFrame = _empty("eligibility")
    declarations: pd.DataFrame = _empty("declarations")
    scores: pd.DataFrame = _empty("scores")
    awards: pd.DataFrame = _empty("awards")
    contracts: pd.DataFrame = _empty("contracts")
    schedule: pd.DataFrame = _empty("schedule")
    deliveries: pd.DataFrame = _empty("deliveries")
    payments: pd.DataFrame = _empty("payments")
    sources: dict[str, str] = field(default_factory=dict)
    #: True for the synthetic demo (its reports say so); read from the folder's output stamp.
    synthetic: bool = False

    def tables(self) -> dict[str, pd.DataFrame]:
        """``{table: frame}`` in :data:`TABLES` order."""
        return {name: getattr(self, name) for name in TABLES}

    def source(self, table: str) -> str:
        """Where ``table`` came from (its file name when unknown)."""
        return self.sources.get(table, f"{table}.csv")

    def replace(self, **frames: pd.DataFrame) -> ContractingData:
        """A copy with some tables replaced."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(frames)
        return ContractingData(**values)


#: Tables every region-year repeats (the reference tables), with their key.
REFERENCE_KEYS: dict[str, str] = {"customers": "customer_id", "ngos": "ngo_id",
                                  "evaluators": "evaluator_id"}


def combine(parts: list[ContractingData]) -> ContractingData:
    """Several region-years as one: every table concatenated; a customer, organisation or
    evaluator that several region-years list is kept once (its first row).

    >>> from socialkit.contracting.demo import generate_region_year
    >>> a, b = generate_region_year("homel", 2025), generate_region_year("homel", 2026)
    >>> both = combine([a, b])
    >>> len(both.competitions) == len(a.competitions) + len(b.competitions)
    True
    >>> len(both.customers) == len(a.customers)
    True
    """
    if not parts:
        return ContractingData()
    frames = {}
    for name in TABLES:
        frame = pd.concat([getattr(p, name) for p in parts], ignore_index=True)
        if name in REFERENCE_KEYS:
            frame = frame.drop_duplicates(REFERENCE_KEYS[name], keep="first")
        frames[name] = frame.reset_index(drop=True)
    sources = {k: v for p in parts for k, v in p.sources.items()}
    return ContractingData(**frames, sources=sources,
                           synthetic=all(p.synthetic for p in parts))
