"""The service-quality rubric: minimum quality standards as a YAML file validated on load.

Shape (as in minimum quality standards for social services)::

    standard  ->  expected result(s)  ->  indicator(s) of achievement (the scored criteria)

Every indicator of achievement is a criterion (``criterion_id`` in ``service_scores``) scored by
each evaluator on the rubric's scale (``scale.min`` .. ``scale.max``). A standard's score is the
mean of its criteria; the service's score is the weighted mean of its standards' scores
(``weight`` per standard, default 1).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..config import framework_path
from .indicators import Text, _parse_yaml

__all__ = ["Criterion", "ExpectedResult", "Rubric", "Scale", "Standard", "load_rubric"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Criterion(_Model):
    """An indicator of achievement: one scored item."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_.]*$")
    text: Text


class ExpectedResult(_Model):
    id: str
    text: Text
    indicators: tuple[Criterion, ...] = Field(min_length=1)


class Standard(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Text
    weight: float = Field(default=1.0, gt=0)
    results: tuple[ExpectedResult, ...] = Field(min_length=1)


class Scale(_Model):
    min: float
    max: float
    labels: dict[int, Text] = {}

    @model_validator(mode="after")
    def _order(self) -> Scale:
        if self.max <= self.min:
            raise ValueError("scale.max must be greater than scale.min")
        return self


class Rubric(_Model):
    id: str
    version: int
    name: Text
    scale: Scale
    standards: tuple[Standard, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Rubric:
        seen: set[str] = set()
        for c in self.criterion_ids():
            if c in seen:
                raise ValueError(f"duplicate criterion id '{c}'")
            seen.add(c)
        if len({s.id for s in self.standards}) != len(self.standards):
            raise ValueError("duplicate standard id")
        return self

    def criterion_ids(self) -> list[str]:
        """Every criterion (indicator of achievement) id, in rubric order."""
        return [c.id for s in self.standards for r in s.results for c in r.indicators]

    def criterion_standard(self) -> dict[str, str]:
        """Map criterion id -> standard id."""
        return {c.id: s.id for s in self.standards for r in s.results for c in r.indicators}

    def standard(self, standard_id: str) -> Standard:
        return {s.id: s for s in self.standards}[standard_id]


def load_rubric(path: str | Path | None = None) -> Rubric:
    """Load and validate a rubric (default: the shipped ``service_quality.yaml``)."""
    return _load(str(Path(path).resolve()) if path else str(framework_path("service_quality")))


@cache
def _load(path: str) -> Rubric:
    return _parse_yaml(path, Rubric)
