"""The points rules for continuing education: a YAML file with dated blocks, validated on load.

The shipped file, ``socialkit/frameworks/training_points.yaml``, holds the table of the
Serbian licensing rulebook (Official Gazette RS 42/2013): for each *activity* (an accredited
programme with a knowledge test, one without, a national conference, …) the points of each
*role* (author, certified trainer, participant, …). A change of rules is a new block under
``rule_sets`` with its own ``valid_from``; a participation is scored by the block in force on
its session's date. The points a licence period needs (``required_points``) is a setting of
each block.

>>> rules = load_rules()
>>> rules.points("training_tested", "participant", "2024-03-01")
15
>>> rules.rule_set_on("2024-03-01").required_points
120
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..errors import FrameworkError
from . import read_yaml, validate_model

__all__ = ["Activity", "PointsRules", "RuleSet", "load_rules", "points_table"]

_ID = r"^[A-Za-z_][A-Za-z0-9_]{0,63}$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Activity(_Model):
    """One kind of activity and the points of each role in it."""

    requires_accreditation: bool = False
    requires_knowledge_test: bool = False
    roles: dict[str, int] = Field(min_length=1)

    @field_validator("roles")
    @classmethod
    def _roles(cls, roles: dict[str, int]) -> dict[str, int]:
        import re

        for name, pts in roles.items():
            if not re.match(_ID, name):
                raise ValueError(f"role '{name}': expected letters, digits and '_'")
            if pts < 0:
                raise ValueError(f"role '{name}': points must not be negative (found {pts})")
        return roles


class RuleSet(_Model):
    """A dated block of rules."""

    id: str = Field(pattern=_ID)
    valid_from: dt.date
    valid_to: dt.date | None = None
    required_points: int = Field(gt=0)
    act_by_days_before_expiry: int = Field(default=0, ge=0, le=3650)
    activities: dict[str, Activity] = Field(min_length=1)

    @model_validator(mode="after")
    def _dates(self) -> RuleSet:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError(f"valid_to {self.valid_to} is before valid_from {self.valid_from}")
        return self


class PointsRules(_Model):
    """The whole rules file."""

    source: dict[str, str] = Field(default_factory=dict)
    licence_types: list[str] = Field(min_length=1)
    rule_sets: list[RuleSet] = Field(min_length=1)

    @field_validator("rule_sets")
    @classmethod
    def _no_overlap(cls, rule_sets: list[RuleSet]) -> list[RuleSet]:
        blocks = sorted(rule_sets, key=lambda r: r.valid_from)
        ids = [r.id for r in blocks]
        if len(set(ids)) != len(ids):
            raise ValueError("rule set ids must be unique")
        for a, b in zip(blocks, blocks[1:], strict=False):
            if a.valid_to is None or a.valid_to >= b.valid_from:
                raise ValueError(f"rule sets '{a.id}' and '{b.id}' overlap: '{a.id}' must end "
                                 f"(valid_to) before {b.valid_from}")
        return rule_sets

    def rule_set_on(self, day: dt.date | str) -> RuleSet:
        """The block in force on ``day``; :class:`FrameworkError` if none is."""
        day = dt.date.fromisoformat(str(day)[:10]) if not isinstance(day, dt.date) else day
        for block in self.rule_sets:
            if block.valid_from <= day and (block.valid_to is None or day <= block.valid_to):
                return block
        raise FrameworkError("points rules", f"no rule set is in force on {day}")

    def points(self, activity: str, role: str, day: dt.date | str) -> int:
        """Points of ``role`` in ``activity`` on ``day``."""
        block = self.rule_set_on(day)
        try:
            return block.activities[activity].roles[role]
        except KeyError:
            raise FrameworkError("points rules", f"no points for role '{role}' of activity "
                                 f"'{activity}' in rule set '{block.id}'") from None

    def roles(self) -> set[str]:
        """Every role named in any block."""
        return {r for b in self.rule_sets for a in b.activities.values() for r in a.roles}


def load_rules(path: str | Path | None = None) -> PointsRules:
    """Load and validate a points-rules file (default: the shipped ``training_points.yaml``)."""
    if path is None:
        return _default()
    data, source = read_yaml(path, "training_points")
    return validate_model(PointsRules, data, source)


@cache
def _default() -> PointsRules:
    data, source = read_yaml(None, "training_points")
    return validate_model(PointsRules, data, source)


def points_table(rules: PointsRules) -> pd.DataFrame:
    """The rules as one tidy table: a row per rule set × activity × role.

    Columns ``rule_set, valid_from, valid_to, activity, role, points, requires_accreditation,
    requires_knowledge_test, required_points, act_by_days`` (dates as ``datetime64``; an open
    end is ``NaT``).
    """
    rows = []
    for b in rules.rule_sets:
        for name, act in b.activities.items():
            for role, pts in act.roles.items():
                rows.append((b.id, b.valid_from, b.valid_to, name, role, pts,
                             act.requires_accreditation, act.requires_knowledge_test,
                             b.required_points, b.act_by_days_before_expiry))
    out = pd.DataFrame(rows, columns=["rule_set", "valid_from", "valid_to", "activity", "role",
                                      "points", "requires_accreditation",
                                      "requires_knowledge_test", "required_points",
                                      "act_by_days"])
    out["valid_from"] = pd.to_datetime(out["valid_from"])
    out["valid_to"] = pd.to_datetime(out["valid_to"])
    return out
