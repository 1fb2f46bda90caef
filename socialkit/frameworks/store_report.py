"""Benchmarks of the store report (``socialkit/frameworks/store_report.yaml``, validated on
load): the caseload per case manager and the vacancy rate a centre for social work is compared
with, and the occupancy a residential institution is.

>>> b = load_benchmarks()
>>> b.csw.cases_per_manager, b.residential.occupancy_rate
(45.0, 0.95)
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from . import read_yaml, validate_model

__all__ = ["Benchmarks", "load_benchmarks"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CswBenchmarks(_Model):
    cases_per_manager: float = Field(gt=0)
    vacancy_rate: float = Field(ge=0, le=1)


class ResidentialBenchmarks(_Model):
    occupancy_rate: float = Field(gt=0, le=2)


class Benchmarks(_Model):
    """The whole file."""

    csw: CswBenchmarks
    residential: ResidentialBenchmarks


def load_benchmarks(path: str | Path | None = None) -> Benchmarks:
    """Load and validate a benchmarks file (default: the shipped ``store_report.yaml``)."""
    if path is None:
        return _default()
    data, source = read_yaml(path, "store_report")
    return validate_model(Benchmarks, data, source)


@cache
def _default() -> Benchmarks:
    data, source = read_yaml(None, "store_report")
    return validate_model(Benchmarks, data, source)
