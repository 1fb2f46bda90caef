"""The passport framework (``socialkit/frameworks/passport.yaml``), validated with pydantic.

>>> spec = read_passport_spec()
>>> spec.denominator("elderly_alone"), spec.per
('pop_60_plus', 1000)
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from . import read_yaml, validate_model

__all__ = ["DENOMINATORS", "GroupSpec", "PassportSpec", "ReachSpec", "read_passport_spec"]

#: Settlement columns a rate may be per.
DENOMINATORS: tuple[str, ...] = ("population", "pop_0_17", "pop_18_59", "pop_60_plus")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GroupSpec(_Model):
    """One vulnerable group: a passport indicator and the population its rate is per."""

    id: str
    denominator: Literal["population", "pop_0_17", "pop_18_59", "pop_60_plus"]


class ReachSpec(_Model):
    """The headline distance: settlements farther than ``threshold_km`` from a ``kind``."""

    kind: str = "social_service_centre"
    threshold_km: float = Field(10.0, gt=0)


class PassportSpec(_Model):
    """What the passport profiles and how (see the YAML file for the meaning of each key)."""

    per: int = Field(1000, gt=0)
    groups: tuple[GroupSpec, ...]
    size_classes: tuple[float, ...] = (10000, 20000, 50000)
    facility_kinds: tuple[str, ...]
    without_kinds: tuple[str, ...] = ()
    reach: ReachSpec = ReachSpec()

    @model_validator(mode="after")
    def _check(self) -> PassportSpec:
        ids = [g.id for g in self.groups]
        if len(set(ids)) != len(ids):
            raise ValueError("group ids must be unique")
        if list(self.size_classes) != sorted(self.size_classes) or any(
                b <= 0 for b in self.size_classes):
            raise ValueError("size_classes must be increasing positive bounds")
        extra = [k for k in self.without_kinds if k not in self.facility_kinds]
        if extra:
            raise ValueError(f"without_kinds: '{extra[0]}' is not in facility_kinds")
        return self

    @property
    def group_ids(self) -> tuple[str, ...]:
        """Group ids in report order."""
        return tuple(g.id for g in self.groups)

    def denominator(self, group: str) -> str:
        """The settlements column the rate of ``group`` is per."""
        return next(g.denominator for g in self.groups if g.id == group)


def read_passport_spec(path: str | Path | PassportSpec | None = None) -> PassportSpec:
    """Read and validate a passport framework (default: the one shipped with socialkit).

    Raises
    ------
    FrameworkError
        The file is missing, not YAML, or a key is wrong (the message names the key).
    """
    if isinstance(path, PassportSpec):
        return path
    data, source = read_yaml(path, "passport")
    return validate_model(PassportSpec, data, source)
