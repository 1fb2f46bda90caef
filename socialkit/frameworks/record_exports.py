"""Record-level exports of the entry forms: per form, the quasi-identifiers, ``k`` and how its
records count people (``socialkit/frameworks/record_exports.yaml``, validated on load).

>>> spec = load_record_exports()
>>> dv = spec.form("domestic_violence")
>>> dv.quasi_identifiers, dv.k
(['municipality_id', 'period', 'victim_sex', 'age_group'], 5)
>>> dv.record_quasi_identifiers
['municipality_id', 'period']
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..errors import FrameworkError
from . import read_yaml, validate_model

__all__ = ["Dimension", "FormExport", "RecordExports", "load_record_exports"]

_NAME = r"^[A-Za-z_][A-Za-z0-9_.-]{0,63}$"
#: Smallest k accepted: counts of 1-4 people never reach an output.
MIN_K = 5


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Dimension(_Model):
    """Count fields that split people by one attribute, and the field of their total."""

    total: str | None = Field(default=None, pattern=_NAME)
    categories: dict[str, str] = Field(min_length=1)

    @model_validator(mode="after")
    def _names(self) -> Dimension:
        for name in self.categories:
            if not re.match(_NAME, name):
                raise ValueError(f"categories: '{name}' is not a field name")
        return self


class FormExport(_Model):
    """How one form's records are exported."""

    unit: Literal["counts", "respondent"]
    k: int = Field(default=MIN_K, ge=MIN_K)
    quasi_identifiers: list[str] = Field(default_factory=list)
    note: str = ""
    dimensions: dict[str, Dimension] = Field(default_factory=dict)
    counts: list[str] = Field(default_factory=list)
    derived: dict[str, list[str]] = Field(default_factory=dict)
    drop: list[str] = Field(default_factory=list)
    generalise: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> FormExport:
        if self.unit == "respondent" and self.dimensions:
            raise ValueError("dimensions: a respondent form's record is one person; "
                             "dimensions are for unit: counts")
        for name in self.generalise:
            if name not in self.quasi_identifiers:
                raise ValueError(f"generalise: '{name}' is not one of the quasi_identifiers "
                                 f"({', '.join(self.quasi_identifiers)})")
        seen: set[str] = set()
        for dim in self.dimensions.values():
            for f in dim.categories:
                if f in seen or f in self.counts:
                    raise ValueError(f"dimensions: field '{f}' is counted twice")
                seen.add(f)
        return self

    @property
    def record_quasi_identifiers(self) -> list[str]:
        """The quasi-identifiers that are columns of the record (not a dimension's)."""
        return [q for q in self.quasi_identifiers if q not in self.dimensions]

    @property
    def count_fields(self) -> list[str]:
        """Every field holding a count of people, totals included, in a stable order."""
        out: list[str] = []
        for dim in self.dimensions.values():
            for f in [*dim.categories, *([dim.total] if dim.total else [])]:
                if f not in out:
                    out.append(f)
        return out + [c for c in self.counts if c not in out]


class RecordExports(_Model):
    """The whole file: one entry per form id."""

    forms: dict[str, FormExport] = Field(min_length=1)

    def form(self, form_id: str, source: str = "record_exports.yaml") -> FormExport:
        """The entry of ``form_id``; :class:`FrameworkError` naming the forms it has."""
        try:
            return self.forms[form_id]
        except KeyError:
            raise FrameworkError(source, f"no record-export entry for form '{form_id}'; the "
                                 f"file has {', '.join(sorted(self.forms))}",
                                 key="forms") from None


def load_record_exports(path: str | Path | None = None) -> RecordExports:
    """Load and validate a record-exports file (default: the shipped one)."""
    if path is None:
        return _default()
    data, source = read_yaml(path, "record_exports")
    return validate_model(RecordExports, data, source)


@cache
def _default() -> RecordExports:
    data, source = read_yaml(None, "record_exports")
    return validate_model(RecordExports, data, source)
