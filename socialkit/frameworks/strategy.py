"""The strategy cycle's published rules, as data: the code book and the priority criteria.

Both are YAML files validated by pydantic on load (a bad file is a
:class:`~socialkit.errors.FrameworkError` naming the key), shipped as
``socialkit/frameworks/strategy_codebook.yaml`` and ``strategy_criteria.yaml``; a working group
passes its own with ``codebook:`` / ``criteria:`` in its ``strategy.yaml``.

* **Code book**: the themes an excerpt of a focus group or interview may be coded with, and the
  participant groups; each theme may name the evidence items (ids of the evidence pack, a
  trailing ``*`` matches a prefix) that speak to the same problem, which is how "the voices
  agree or differ with the data" is decided (:func:`socialkit.strategy.consultation.compare_with_data`).
* **Criteria**: the published criteria the working group scores candidate problems on, each
  with a weight and a direction (``benefit``: a higher score raises the priority; ``cost``: a
  higher score lowers it), and the rating scale.

>>> cb = load_codebook()
>>> "transport" in cb.theme_ids
True
>>> cr = load_criteria()
>>> round(sum(cr.weights().values()), 9)
1.0
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from . import read_yaml, validate_model

__all__ = ["Codebook", "Criteria", "Criterion", "Group", "Theme", "label_of", "load_codebook",
           "load_criteria"]

_ID = r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$"


def label_of(label: Mapping[str, str], lang: str) -> str:
    """A multilingual label in ``lang`` (English, then any language, when missing)."""
    return label.get(lang) or label.get("en") or next(iter(label.values()), "")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Theme(_Model):
    id: str = Field(pattern=_ID)
    label: dict[str, str]
    evidence: tuple[str, ...] = ()


class Group(_Model):
    id: str = Field(pattern=_ID)
    label: dict[str, str]
    kind: Literal["residents", "professionals"] = "residents"


class Codebook(_Model):
    id: str = Field(pattern=_ID)
    version: int = 1
    themes: tuple[Theme, ...] = Field(min_length=1)
    groups: tuple[Group, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Codebook:
        for name, items in (("themes", self.themes), ("groups", self.groups)):
            ids = [i.id for i in items]
            dup = sorted({i for i in ids if ids.count(i) > 1})
            if dup:
                raise ValueError(f"{name}: duplicate id(s) {', '.join(dup)}")
        return self

    @property
    def theme_ids(self) -> list[str]:
        return [x.id for x in self.themes]

    @property
    def group_ids(self) -> list[str]:
        return [x.id for x in self.groups]

    def theme(self, theme_id: str) -> Theme:
        return {x.id: x for x in self.themes}[theme_id]

    def group(self, group_id: str) -> Group:
        return {x.id: x for x in self.groups}[group_id]


class Criterion(_Model):
    id: str = Field(pattern=_ID)
    weight: float = Field(gt=0)
    direction: Literal["benefit", "cost"] = "benefit"
    label: dict[str, str]
    description: dict[str, str] = Field(default_factory=dict)


class Scale(_Model):
    min: int
    max: int

    @model_validator(mode="after")
    def _order(self) -> Scale:
        if self.max <= self.min:
            raise ValueError("max must be greater than min")
        return self


class Criteria(_Model):
    id: str = Field(pattern=_ID)
    version: int = 1
    scale: Scale
    criteria: tuple[Criterion, ...] = Field(min_length=2)
    top: int = Field(default=3, ge=1)
    step: float = Field(default=0.10, gt=0, lt=1)

    @model_validator(mode="after")
    def _unique(self) -> Criteria:
        ids = [c.id for c in self.criteria]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"criteria: duplicate id(s) {', '.join(dup)}")
        return self

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.criteria]

    def weights(self) -> dict[str, float]:
        """Weights normalised to sum to 1, in the file's order."""
        total = sum(c.weight for c in self.criteria)
        return {c.id: c.weight / total for c in self.criteria}

    def criterion(self, cid: str) -> Criterion:
        return {c.id: c for c in self.criteria}[cid]


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Load a code book (default: the shipped ``strategy_codebook.yaml``)."""
    data, source = read_yaml(path, "strategy_codebook")
    return validate_model(Codebook, data, source)


def load_criteria(path: str | Path | None = None) -> Criteria:
    """Load the published priority criteria (default: ``strategy_criteria.yaml``)."""
    data, source = read_yaml(path, "strategy_criteria")
    return validate_model(Criteria, data, source)
