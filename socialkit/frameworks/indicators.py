"""The M&E indicator framework: a YAML file validated by pydantic on load.

The framework follows DHIS2's split between *data elements* (what is reported: counts by
municipality, quarter and disaggregation) and *indicators* (a formula over data elements)::

    indicator = factor * aggregate(numerator) / aggregate(denominator)

``factor`` is 1 (a plain ratio or count), 100 (a percentage) or 1000 (a rate per 1,000), as
DHIS2's indicator types. An indicator without a denominator is a count (``factor * numerator``).

In the ``indicator_values`` table the ``indicator_id`` column names a **data element** (the
numerator or denominator counts, as DHIS2 data values do); in ``indicator_targets`` it names an
**indicator** (baselines and targets are on the indicator's scale).

Each indicator carries its own aggregation rules: ``time`` (how quarters are combined into a
year or a cumulative window) and ``space`` (how municipalities are combined into a district,
oblast or the programme), each ``sum``, ``average`` or ``last``; the rule is applied to the
numerator and the denominator separately and the ratio is taken afterwards (never an average of
ratios). A stock such as a waiting list uses ``time: last`` and is never summed over quarters.
``last`` makes no sense across municipalities and is refused for ``space``. In DHIS2's terms,
``time: last, space: sum`` is "last value (sum in org unit hierarchy)" and ``time: average,
space: sum`` is "average (sum in org unit hierarchy)".
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..config import framework_path, resolve_lang
from . import read_yaml, validate_model

__all__ = [
    "DISAGGREGATIONS",
    "Aggregation",
    "DataElement",
    "Indicator",
    "IndicatorFramework",
    "ValidationRule",
    "load_framework",
]

#: Disaggregation dimensions and their categories (``total`` means "not disaggregated").
DISAGGREGATIONS: dict[str, tuple[str, ...]] = {
    "sex": ("female", "male"),
    "age_group": ("0-17", "18-59", "60+"),
}


_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Model):
    """A text in English and other languages (``uk``, ``ro``, ``sr-Cyrl``…; see
    :func:`socialkit.frameworks.read_yaml`, which fills the languages a file lacks)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    en: str
    uk: str | None = None

    @model_validator(mode="after")
    def _languages(self) -> Text:
        odd = [k for k in (self.model_extra or {}) if not _LANG.match(k)]
        if odd:
            raise ValueError(f"unknown key '{odd[0]}' (expected language codes such as en, uk)")
        return self

    def get(self, lang: str) -> str:
        """The text in ``lang`` (an alias such as ``sr`` resolved; ``sr-Latn`` transliterated
        from the Serbian text where it has no Latin one), falling back to English.

        >>> Text(en="Staff", uk="Персонал", sr="Особље").get("sr-Latn")
        'Osoblje'
        """
        from ..i18n.catalogs import CATALOG_LANG, SCRIPTS

        lang = resolve_lang(lang)
        texts = {"en": self.en, "uk": self.uk, **(self.model_extra or {})}
        if texts.get(lang):
            return texts[lang]
        base = CATALOG_LANG.get(lang, lang)
        source = texts.get(base) or texts.get(f"{base}-Cyrl")
        if source and lang in SCRIPTS:
            return SCRIPTS[lang](source)
        return source if source and lang == f"{base}-Cyrl" else self.en


class Aggregation(_Model):
    """How an indicator's numerator and denominator are combined over time and space."""

    time: Literal["sum", "average", "last"]
    space: Literal["sum", "average"]


class DataElement(_Model):
    """A reported count (a numerator or a denominator)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Text
    unit: str
    source: str


class Indicator(_Model):
    """One indicator of the results chain."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    level: Literal["impact", "outcome", "output"]
    name: Text
    unit: Literal["count", "percent", "per_1000", "ratio"]
    numerator: str
    denominator: str | None = None
    factor: Literal[1, 100, 1000]
    direction: Literal["higher", "lower"]
    aggregation: Aggregation
    target_type: Literal["cumulative", "per_period"]
    disaggregations: tuple[Literal["sex", "age_group"], ...] = ()
    source: str
    frequency: Literal["quarterly", "annual"]
    thresholds: dict[str, float] | None = None

    @model_validator(mode="after")
    def _check(self) -> Indicator:
        if self.unit == "count" and self.denominator is not None:
            raise ValueError("a 'count' indicator has no denominator")
        if self.unit != "count" and self.denominator is None:
            raise ValueError(f"a '{self.unit}' indicator needs a denominator")
        return self

    def label(self, lang: str) -> str:
        return self.name.get(lang)


class ValidationRule(_Model):
    """``left <operator> right`` between two data elements, same municipality/period/cell."""

    id: str
    left: str
    operator: Literal["<=", "<", ">=", ">", "=="]
    right: str
    name: Text


class StatusThresholds(_Model):
    """Progress at or above ``on_track`` is on track; at or above ``at_risk`` at risk."""

    on_track: float
    at_risk: float

    @model_validator(mode="after")
    def _order(self) -> StatusThresholds:
        if self.at_risk > self.on_track:
            raise ValueError("at_risk must not exceed on_track")
        return self


class DataQualitySettings(_Model):
    """Outlier thresholds: |z| above ``z_score``; |x - median| / (1.4826 MAD) above ``mad``."""

    z_score: float = 3.0
    mad: float = 3.5


class Programme(_Model):
    name: Text
    start: str = Field(pattern=r"^\d{4}Q[1-4]$")
    end: str = Field(pattern=r"^\d{4}Q[1-4]$")


class IndicatorFramework(_Model):
    """The whole framework: programme, data elements, indicators, rules, thresholds."""

    id: str
    version: int
    programme: Programme
    status_thresholds: StatusThresholds
    data_quality: DataQualitySettings = DataQualitySettings()
    #: A trend is "stable" when |slope| / mean(|value|) per quarter is at most this.
    trend_stable_within: float = Field(default=0.01, ge=0)
    data_elements: tuple[DataElement, ...]
    indicators: tuple[Indicator, ...]
    validation_rules: tuple[ValidationRule, ...] = ()

    @model_validator(mode="after")
    def _references(self) -> IndicatorFramework:
        elements = [e.id for e in self.data_elements]
        _unique(elements, "data_elements")
        _unique([i.id for i in self.indicators], "indicators")
        known = set(elements)
        disagg: dict[str, tuple[str, ...]] = {}
        for ind in self.indicators:
            for el in (ind.numerator, ind.denominator):
                if el is None:
                    continue
                if el not in known:
                    raise ValueError(f"indicator '{ind.id}' uses unknown data element '{el}'")
                seen = disagg.setdefault(el, ind.disaggregations)
                if set(seen) != set(ind.disaggregations):
                    raise ValueError(
                        f"data element '{el}' is used with different disaggregations "
                        f"({list(seen)} and {list(ind.disaggregations)} in '{ind.id}')"
                    )
        for rule in self.validation_rules:
            for el in (rule.left, rule.right):
                if el not in known:
                    raise ValueError(f"validation rule '{rule.id}' uses unknown data element '{el}'")
        return self

    # -- lookups -------------------------------------------------------------------------
    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with this id (``KeyError`` if unknown)."""
        return self._indicators()[indicator_id]

    def element(self, element_id: str) -> DataElement:
        return {e.id: e for e in self.data_elements}[element_id]

    def indicator_ids(self) -> list[str]:
        return [i.id for i in self.indicators]

    def element_ids(self) -> list[str]:
        return [e.id for e in self.data_elements]

    def element_disaggregations(self, element_id: str) -> tuple[str, ...]:
        """Dimensions a data element is reported by (those of the indicators using it)."""
        for ind in self.indicators:
            if element_id in (ind.numerator, ind.denominator):
                return tuple(d for d in DISAGGREGATIONS if d in ind.disaggregations)
        return ()

    def thresholds_for(self, indicator_id: str) -> StatusThresholds:
        """Status thresholds of an indicator (its own, else the framework's)."""
        own = self.indicator(indicator_id).thresholds
        return StatusThresholds(**own) if own else self.status_thresholds

    def _indicators(self) -> dict[str, Indicator]:
        return {i.id: i for i in self.indicators}


def _unique(ids: list[str], where: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"duplicate id '{i}' in {where}")
        seen.add(i)


def load_framework(path: str | Path | None = None) -> IndicatorFramework:
    """Load and validate an indicator framework (default: the shipped ``me_indicators.yaml``).

    Raises
    ------
    FrameworkError
        When the file is missing, not YAML, or breaks the model; the message names the key.
    """
    return _load(str(Path(path).resolve()) if path else str(framework_path("me_indicators")))


@cache
def _load(path: str) -> IndicatorFramework:
    return _parse_yaml(path, IndicatorFramework)


def _parse_yaml(path: str, model: type[BaseModel]):
    data, source = read_yaml(path, Path(path).stem)
    return validate_model(model, data, source)
