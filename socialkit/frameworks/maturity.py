"""The digital-maturity framework: a YAML file validated by pydantic.

A framework carries everything the assessment needs that is not code: dimensions and items
(with a descriptor for every point of each item's scale, a weight, an evidence hint and the
respondent role), maturity levels with 0-100 thresholds, the :mod:`socialkit.index` spec that
scores items -> dimensions -> overall, size classes for peer groups, and the action library.
Its text comes in the languages the framework supports (``{en: ..., uk: ...}``); English is
required and is the fallback.

A bad file raises :class:`~socialkit.errors.FrameworkError` naming the key, e.g.
``dimensions[2].items[0].scale``.

>>> fw = load_framework()
>>> fw.dimension_ids[:3], fw.level_for(55.0).id
(['STR', 'INF', 'SKL'], 'established')
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import yaml
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from ..errors import FrameworkError
from . import read_yaml, validate_model
from .index_spec import Spec

__all__ = [
    "OVERALL",
    "Action",
    "CostBand",
    "Dimension",
    "Item",
    "Level",
    "MaturityFramework",
    "load_framework",
    "text",
]

#: iCode / ``code`` of the overall score in every table.
OVERALL = "overall"
_ID = r"^[A-Za-z0-9_.\-]+$"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")


def _has_english(v: dict[str, str]) -> dict[str, str]:
    odd = [k for k in v if not _LANG.match(str(k))]
    if odd:
        raise ValueError(f"unknown key '{odd[0]}' (expected language codes such as en, uk; "
                         "text containing ', ' or ': ' must be quoted)")
    if not str(v.get("en") or "").strip():
        raise ValueError("needs an English text under 'en'")
    return v


#: Text in several languages, ``{"en": ..., "uk": ...}``; English required.
LocalText = Annotated[dict[str, str | None], AfterValidator(_has_english)]


def text(value: dict[str, str] | None, lang: str) -> str:
    """The text of ``value`` in ``lang``, falling back to English (``""`` for ``None``).

    >>> text({"en": "Initial", "uk": "Початковий"}, "uk")
    'Початковий'
    >>> text({"en": "Initial"}, "uk")
    'Initial'
    """
    if not value:
        return ""
    return value.get(lang) or value["en"]


def _consecutive(v: dict[int, dict[str, str]]) -> dict[int, dict[str, str]]:
    points = sorted(v)
    if len(points) < 2:
        raise ValueError("a scale needs at least two points, each with a descriptor")
    if points != list(range(points[0], points[-1] + 1)):
        raise ValueError(f"scale points must be consecutive integers, found {points}")
    return dict(sorted(v.items()))


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Item(_Model):
    """One question: its text, scale (a descriptor per point), weight, evidence and respondent."""

    id: str = Field(pattern=_ID)
    text: LocalText
    scale: Annotated[dict[int, LocalText], AfterValidator(_consecutive)]
    weight: float = Field(1.0, ge=0)
    evidence: LocalText | None = None
    respondent: str | None = None

    @property
    def scale_min(self) -> int:
        return min(self.scale)

    @property
    def scale_max(self) -> int:
        return max(self.scale)


class Dimension(_Model):
    """A dimension of maturity: a weighted group of items."""

    id: str = Field(pattern=_ID)
    name: LocalText
    description: LocalText | None = None
    weight: float = Field(1.0, ge=0)
    items: list[Item] = Field(min_length=1)


class Level(_Model):
    """A maturity level; it starts at ``min`` (inclusive) on the 0-100 score."""

    level: int = Field(ge=1)
    id: str = Field(pattern=_ID)
    min: float = Field(ge=0, le=100)
    name: LocalText
    description: LocalText | None = None


class Effort(_Model):
    """An effort band; ``value`` divides the priority of an action."""

    value: float = Field(gt=0)
    name: LocalText


class SizeClass(_Model):
    """A peer group by population: from ``min`` residents (inclusive)."""

    id: str = Field(pattern=_ID)
    min: float = Field(ge=0)
    name: LocalText


_CURRENCY = r"^[A-Z]{3}$"


class CostBand(_Model):
    """What an action costs: a fixed text (``name``, e.g. "No extra cost (staff time)"), or
    the amounts the band spans per currency (ISO 4217 code -> amount): above ``min``, up to
    ``max`` (either may be left out). A report writes such a band in the reader's language
    and the catalog's currency ("До 50 000 грн", "Până la 30.000 lei"):
    :func:`socialkit.maturity.report.cost_label`."""

    name: LocalText | None = None
    min: dict[Annotated[str, Field(pattern=_CURRENCY)], float] | None = None
    max: dict[Annotated[str, Field(pattern=_CURRENCY)], float] | None = None

    @property
    def currencies(self) -> set[str]:
        """The currencies the band has amounts in."""
        return set(self.min or {}) | set(self.max or {})


def _band(v: Any) -> Any:
    """A band written as plain text in several languages (``{en: ..., uk: ...}``, the format
    before amounts per currency) is a band with that ``name``."""
    if isinstance(v, dict) and v and not set(v) & {"name", "min", "max"}:
        return {"name": v}
    return v


class Action(_Model):
    """An action of the library: helps ``dimension`` reach ``target_level``."""

    id: str = Field(pattern=_ID)
    dimension: str
    target_level: int
    effort: str
    cost: str
    responsible: str
    duration_quarters: int = Field(1, ge=1, le=20)
    title: LocalText
    description: LocalText
    indicator: LocalText


class MaturityFramework(_Model):
    """A validated maturity framework (see the module docstring)."""

    id: str
    version: str = "1"
    title: LocalText
    description: LocalText | None = None
    languages: list[str] = Field(default_factory=lambda: ["en"])
    roles: dict[str, LocalText] = Field(default_factory=dict)
    levels: list[Level] = Field(min_length=2)
    effort: dict[str, Effort] = Field(min_length=1)
    cost_bands: dict[str, Annotated[CostBand, BeforeValidator(_band)]] = Field(
        default_factory=dict)
    #: The currency of the cost bands' amounts when the catalog names none (its metadata's
    #: ``currency``), and when it names one the bands have no amounts in.
    currency: str = Field("UAH", pattern=_CURRENCY)
    size_classes: list[SizeClass] = Field(default_factory=list)
    index: dict[str, Any]
    dimensions: list[Dimension] = Field(min_length=1)
    actions: list[Action] = Field(default_factory=list)
    source: str = "framework"

    # -- lookups -------------------------------------------------------------------------
    @property
    def dimension_ids(self) -> list[str]:
        """Dimension ids in framework order."""
        return [d.id for d in self.dimensions]

    @property
    def spec(self) -> Spec:
        """The :class:`socialkit.index.Spec` of the ``index`` section."""
        try:
            return Spec.from_dict(self.index, source=self.source)
        except FrameworkError as exc:
            raise FrameworkError(self.source, str(exc).split(": ", 1)[-1],
                                 key=f"index.{exc.key}" if exc.key else "index") from None

    def dimension(self, dim_id: str) -> Dimension:
        """The dimension with id ``dim_id``."""
        for d in self.dimensions:
            if d.id == dim_id:
                return d
        raise KeyError(dim_id)

    def items_frame(self) -> pd.DataFrame:
        """One row per item: ``item_id, dimension, weight, scale_min, scale_max, respondent``."""
        rows = [(i.id, d.id, i.weight, i.scale_min, i.scale_max, i.respondent)
                for d in self.dimensions for i in d.items]
        return pd.DataFrame(rows, columns=["item_id", "dimension", "weight", "scale_min",
                                           "scale_max", "respondent"])

    def level_for(self, score: float) -> Level:
        """The level whose band holds ``score`` (0-100).

        >>> load_framework().level_for(80.0).level
        5
        """
        chosen = self.levels[0]
        for lev in self.levels:
            if score >= lev.min:
                chosen = lev
        return chosen

    def level(self, number: int) -> Level:
        """The level with number ``number``."""
        for lev in self.levels:
            if lev.level == number:
                return lev
        raise KeyError(number)

    @property
    def top_level(self) -> int:
        return self.levels[-1].level




def _check(fw: MaturityFramework, source: str) -> None:
    """Cross-references pydantic cannot see; raise naming the key of the first problem."""

    def fail(key: str, msg: str) -> None:
        raise FrameworkError(source, msg, key=key)

    seen: dict[str, str] = {}
    for di, dim in enumerate(fw.dimensions):
        if dim.id in seen or dim.id == OVERALL:
            fail(f"dimensions[{di}].id", f"id '{dim.id}' is used twice or reserved")
        seen[dim.id] = f"dimensions[{di}]"
        for ii, item in enumerate(dim.items):
            key = f"dimensions[{di}].items[{ii}]"
            if item.id in seen:
                fail(f"{key}.id", f"id '{item.id}' is already used at {seen[item.id]}")
            seen[item.id] = key
            if item.respondent is not None and fw.roles and item.respondent not in fw.roles:
                fail(f"{key}.respondent", f"unknown role '{item.respondent}'; expected one of "
                     + ", ".join(fw.roles))
    numbers = [lev.level for lev in fw.levels]
    if numbers != list(range(1, len(numbers) + 1)):
        fail("levels", f"levels must be numbered 1, 2, 3 ... in order, found {numbers}")
    mins = [lev.min for lev in fw.levels]
    if mins[0] != 0:
        fail("levels[0].min", "the first level must start at 0")
    for i in range(1, len(mins)):
        if mins[i] <= mins[i - 1]:
            fail(f"levels[{i}].min", "thresholds must increase from level to level")
    for i, sc in enumerate(fw.size_classes):
        if i == 0 and sc.min != 0:
            fail("size_classes[0].min", "the first size class must start at 0")
        if i > 0 and sc.min <= fw.size_classes[i - 1].min:
            fail(f"size_classes[{i}].min", "size classes must increase")
    for key, band in fw.cost_bands.items():
        where = f"cost_bands.{key}"
        if band.name is None and not band.currencies:
            fail(where, "a band needs a 'name' ({en: ...}) or amounts ('min', 'max': "
                 "{UAH: 50000, ...})")
        if band.currencies and fw.currency not in band.currencies:
            fail(where, f"no amount in the framework's currency {fw.currency}")
        if band.min and band.max:
            for cur in sorted(set(band.min) & set(band.max)):
                if band.min[cur] >= band.max[cur]:
                    fail(f"{where}.max.{cur}", f"{band.max[cur]:g} is not above min "
                         f"{band.min[cur]:g}")
    ids: set[str] = set()
    for ai, act in enumerate(fw.actions):
        key = f"actions[{ai}]"
        if act.id in ids:
            fail(f"{key}.id", f"action id '{act.id}' is used twice")
        ids.add(act.id)
        if act.dimension not in fw.dimension_ids:
            fail(f"{key}.dimension", f"unknown dimension '{act.dimension}'; expected one of "
                 + ", ".join(fw.dimension_ids))
        if act.target_level not in numbers[1:]:
            fail(f"{key}.target_level", f"expected a level from 2 to {numbers[-1]}")
        for field, table in (("effort", fw.effort), ("cost", fw.cost_bands),
                             ("responsible", fw.roles)):
            value = getattr(act, field)
            if value not in table:
                fail(f"{key}.{field}", f"unknown {field} '{value}'; expected one of "
                     + ", ".join(table))
    spec = fw.spec  # raises FrameworkError naming index.steps[i]...
    if spec.params("aggregate") is None:
        fail("index.steps", "the spec needs an 'aggregate' step (items -> dimensions -> overall)")


def load_framework(path: str | Path | dict | MaturityFramework | None = None
                   ) -> MaturityFramework:
    """Read and validate a maturity framework.

    Parameters
    ----------
    path : path, dict, MaturityFramework or None
        A YAML file (default: the shipped ``socialkit/frameworks/maturity.yaml``), an
        already parsed mapping, or a framework (returned as is).

    Returns
    -------
    MaturityFramework

    Raises
    ------
    FrameworkError
        The file is missing, not YAML, or invalid; the message names the key, e.g.
        ``dimensions[2].items[0].scale``.
    """
    if isinstance(path, MaturityFramework):
        return path
    if isinstance(path, dict):
        data, source = path, "framework"
    else:
        data, source = read_yaml(path, "maturity", loader=_LOADER)
    if not isinstance(data, dict):
        raise FrameworkError(source, "expected a mapping with 'dimensions', 'levels', 'index' ...")
    fw = validate_model(MaturityFramework, {**data, "source": source}, source)
    _check(fw, source)
    return fw
