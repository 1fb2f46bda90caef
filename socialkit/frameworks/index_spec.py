"""The index spec: an ordered list of steps, each a one-key mapping, validated with pydantic.

>>> spec = Spec.from_yaml("steps:\\n  - normalise: {method: zscore}\\n  - aggregate: {}")
>>> spec.step_names
('normalise', 'aggregate')
>>> spec.params("normalise").method
'zscore'

Steps run in the order given; a step that is left out is skipped. Unknown steps, unknown
parameters and bad values raise :class:`~socialkit.errors.FrameworkError` naming the key, e.g.
``steps[2].normalise.method``.

Conventions followed
--------------------
COINr's coin log: each step's arguments are recorded so that the build can be regenerated
(``Regen``); parameter defaults are COINr's (``Treat``: winmax 5, skew 2, kurtosis 3.5;
``n_minmax``: [0, 100]; ``n_zscore``: mean 0, sd 1; ``Screen``: here 2/3 as the issue asks;
``a_genmean``: p = 2). Names are shortened (``skew`` for ``skew_thresh``, ``range`` for
``l_u``, ``dat_thresh`` kept).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import FrameworkError

#: Names the ``normalise`` step accepts (``normalise.NORMALISERS`` implements each one).
NORMALISE_METHODS: tuple[str, ...] = (
    "minmax", "zscore", "rank", "prank", "borda", "fracmax", "dist2max", "dist2target",
    "goalposts", "scaled", "dist2ref",
)
#: Names the ``aggregate`` step accepts (``aggregate.AGGREGATORS`` implements each one).
AGGREGATE_METHODS: tuple[str, ...] = ("amean", "gmean", "hmean", "genmean", "copeland")

__all__ = [
    "DEFAULT_STEPS",
    "AggregateParams",
    "DenominateParams",
    "ImputeParams",
    "NormaliseParams",
    "ScreenParams",
    "Spec",
    "TreatParams",
    "WeightsParams",
]


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class DenominateParams(_Params):
    """``denominate``: divide each indicator by the iData column its iMeta row names."""

    scale: float = 1.0
    """Multiply every ratio by this factor (e.g. 1000 for "per 1,000"); COINr default 1."""


class ImputeParams(_Params):
    """``impute``: fill missing values column by column (per Time in a panel)."""

    method: Literal["mean", "median", "mean_group", "median_group"] = "mean"
    group: str | None = None
    """iData column defining groups, required for ``*_group`` methods."""

    @model_validator(mode="after")
    def _group_needed(self) -> ImputeParams:
        if self.method.endswith("_group") and not self.group:
            raise ValueError(f"method '{self.method}' needs 'group' (a group column of iData)")
        return self


class ScreenParams(_Params):
    """``screen``: drop units whose share of non-missing indicators is below ``threshold``."""

    threshold: float = Field(2 / 3, ge=0, le=1)
    by: Literal["na", "zeros", "na_and_zeros"] = "na"
    """COINr ``unit_screen``: ``byNA``, ``byzeros`` or ``byNAandzeros``."""
    nonzero_threshold: float = Field(0.05, ge=0, le=1)
    """Share of non-zero values among its available indicators a unit needs when screening
    by zeros (COINr ``nonzero_thresh``, default 0.05)."""
    force: dict[str, bool] = Field(default_factory=dict)
    """``{uCode: true | false}``: always keep / always remove (COINr ``Force``)."""


class TreatParams(_Params):
    """``treat``: COINr default outlier treatment (winsorise, then log_CT)."""

    winmax: int = Field(5, ge=0)
    skew: float = Field(2.0, gt=0)
    kurtosis: float = 3.5
    log: bool = True
    """Apply log_CT to the original values when winsorisation fails (COINr ``f2``)."""
    skip: tuple[str, ...] = ()
    """iCodes left untreated (COINr ``indiv_specs = list(iCode = "none")``)."""


class NormaliseParams(_Params):
    """``normalise``: one method for every indicator, after multiplying by Direction."""

    method: str = "minmax"
    range: tuple[float, float] = (0.0, 100.0)
    mean: float = 0.0
    sd: float = Field(1.0, gt=0)
    cap: bool = False
    """``dist2target``/``dist2ref``: cap scores above 1 at 1 (COINr ``cap_max``)."""
    ref: str | None = None
    """``dist2ref``: uCode of the reference unit (COINr ``iref``)."""
    goalposts: dict[str, tuple[float, float]] | None = None
    """``goalposts``: ``{iCode: [low, high]}`` in the indicator's own units; iCodes not
    listed use iMeta columns ``goalpost_lower``/``goalpost_upper``."""
    scale: float = 1.0
    """``goalposts``: multiply the 0–1 score by this (COINr ``gposts[3]``)."""
    trunc: bool = True
    """``goalposts``: truncate to the goalposts (COINr ``trunc2posts``)."""
    global_: bool = Field(False, alias="global")
    """Panels: normalise all Times together so rounds compare."""
    use_imeta: bool = False
    """Per-indicator parameters from iMeta columns (COINr ``f_n_para = "use_iMeta"``):
    ``minmax_lower``/``minmax_upper``, ``zscore_mean``/``zscore_sd``, ``goalpost_lower``/
    ``goalpost_upper``/``goalpost_scale``/``goalpost_trunc2posts``, ``dist2targ_cap_max``."""
    indiv: dict[str, Any] = Field(default_factory=dict)
    """Per-indicator overrides (COINr ``indiv_specs``): ``{iCode: {method: borda}}``, or
    ``{iCode: none}`` to leave an indicator as it is."""

    @field_validator("indiv")
    @classmethod
    def _indiv_valid(cls, v: dict[str, Any]) -> dict[str, Any]:
        for code, sub in v.items():
            if sub == "none":
                continue
            if not isinstance(sub, dict):
                raise ValueError(f"indiv.{code}: expected a mapping of parameters or 'none'")
            bad = {"global", "global_", "indiv", "use_imeta"} & set(sub)
            if bad:
                raise ValueError(f"indiv.{code}: '{sorted(bad)[0]}' applies to the whole step")
            try:
                NormaliseParams.model_validate(sub)
            except ValidationError as exc:
                err = exc.errors()[0]
                where = ".".join(str(x) for x in err["loc"])
                raise ValueError(f"indiv.{code}.{where}: "
                                 + err["msg"].removeprefix("Value error, ")) from None
        return v

    @field_validator("method")
    @classmethod
    def _known(cls, v: str) -> str:
        if v not in NORMALISE_METHODS:
            raise ValueError(f"unknown method '{v}'; expected one of "
                             f"{', '.join(NORMALISE_METHODS)}")
        return v

    @field_validator("range")
    @classmethod
    def _ordered(cls, v: tuple[float, float]) -> tuple[float, float]:
        if not v[0] < v[1]:
            raise ValueError("range must be [low, high] with low < high")
        return v


class WeightsParams(_Params):
    """``weights``: which weights the aggregation uses."""

    method: Literal["meta", "equal", "pca", "set"] = "meta"
    set: str | None = None
    """Name of a weight set under the spec's top-level ``weight_sets`` (implies method set)."""
    levels: tuple[int, ...] = (1,)
    """``pca``: levels whose members get PCA weights within each parent (COINr ``Level``,
    default 1 = indicators); other levels keep iMeta weights."""

    @model_validator(mode="after")
    def _set_named(self) -> WeightsParams:
        if self.method == "set" and not self.set:
            raise ValueError("method 'set' needs 'set' (the name of a weight set)")
        if self.set and self.method not in ("set", "meta"):
            raise ValueError("give either 'set' or a method other than 'set', not both")
        return self


class AggregateParams(_Params):
    """``aggregate``: level by level, one method for all levels or a list (one per level)."""

    method: str | list[str] | dict[str, str] = "amean"
    """A name, a list (one per level, level 2 first) or a mapping like COINr's ``f_ag``
    overrides: ``{default: amean, "3": gmean, Physical: hmean}`` (keys ``default``, a level
    number, or an aggregate's iCode)."""
    dat_thresh: float | list[float] | None = None
    p: float = 2.0
    """``genmean`` exponent (COINr ``a_genmean`` ``p``; must not be 0)."""

    @field_validator("method", mode="before")
    @classmethod
    def _keys_as_text(cls, v: object) -> object:
        if isinstance(v, dict):
            return {str(k): val for k, val in v.items()}
        return v

    @field_validator("method")
    @classmethod
    def _known(cls, v: str | list[str]) -> str | list[str]:
        names = [v] if isinstance(v, str) else list(v.values()) if isinstance(v, dict) else v
        for m in names:
            if m not in AGGREGATE_METHODS:
                raise ValueError(f"unknown method '{m}'; expected one of "
                                 f"{', '.join(AGGREGATE_METHODS)}")
        return v

    @field_validator("dat_thresh")
    @classmethod
    def _share(cls, v: float | list[float] | None) -> float | list[float] | None:
        for x in [] if v is None else [v] if not isinstance(v, list) else v:
            if not 0 <= x <= 1:
                raise ValueError("dat_thresh must be between 0 and 1")
        return v

    @field_validator("p")
    @classmethod
    def _nonzero(cls, v: float) -> float:
        if v == 0:
            raise ValueError("p must not be 0 (use gmean)")
        return v


def _is_union_tag(part: object) -> bool:
    """pydantic puts the tried member type (``str``, ``list[str]``…) in union error paths."""
    return isinstance(part, str) and (part in {"str", "int", "float", "bool", "none"}
                                      or "[" in part)


STEP_PARAMS: dict[str, type[_Params]] = {
    "denominate": DenominateParams,
    "impute": ImputeParams,
    "screen": ScreenParams,
    "treat": TreatParams,
    "normalise": NormaliseParams,
    "weights": WeightsParams,
    "aggregate": AggregateParams,
}

#: The default pipeline: COINr's steps and defaults, screening before imputing.
DEFAULT_STEPS: tuple[dict[str, dict], ...] = (
    {"denominate": {}},
    {"screen": {}},
    {"impute": {"method": "mean"}},
    {"treat": {}},
    {"normalise": {"method": "minmax", "range": [0, 100]}},
    {"aggregate": {"method": "amean"}},
)


class Spec:
    """An ordered, validated list of pipeline steps plus named weight sets.

    Build with :meth:`from_yaml`, :meth:`from_dict` or :meth:`default`; :meth:`to_dict` /
    :meth:`to_yaml` give back a spec that re-runs identically.
    """

    def __init__(self, steps: list[tuple[str, _Params]],
                 weight_sets: dict[str, dict[str, float]] | None = None,
                 source: str = "spec"):
        self.steps: tuple[tuple[str, _Params], ...] = tuple(steps)
        self.weight_sets: dict[str, dict[str, float]] = dict(weight_sets or {})
        self.source = source

    @property
    def step_names(self) -> tuple[str, ...]:
        """Names of the steps in run order."""
        return tuple(n for n, _ in self.steps)

    def params(self, name: str) -> Any:
        """Parameters of step ``name`` (``None`` if the spec does not run it)."""
        for n, p in self.steps:
            if n == name:
                return p
        return None

    def replace(self, name: str, **changes: Any) -> Spec:
        """A new spec with step ``name``'s parameters changed (added at its place if absent).

        A missing step is inserted where the default pipeline has it (screen before impute,
        weights just before aggregate).

        >>> Spec.from_dict({"steps": ["screen", "aggregate"]}).replace("impute").step_names
        ('screen', 'impute', 'aggregate')
        """
        out, found = [], False
        for n, p in self.steps:
            if n == name:
                data = p.model_dump(by_alias=True) | changes
                out.append((n, STEP_PARAMS[n].model_validate(data)))
                found = True
            else:
                out.append((n, p))
        if not found:
            order = [n for n, _ in (next(iter(d.items())) for d in DEFAULT_STEPS)]
            order[order.index("normalise") + 1:order.index("normalise") + 1] = ["weights"]
            new = (name, STEP_PARAMS[name].model_validate(changes))
            pos = next((i for i, (n, _) in enumerate(out)
                        if order.index(n) > order.index(name)), len(out))
            out.insert(pos, new)
        return Spec(out, self.weight_sets, self.source)

    def without(self, name: str) -> Spec:
        """A new spec without step ``name``."""
        return Spec([(n, p) for n, p in self.steps if n != name], self.weight_sets, self.source)

    @classmethod
    def default(cls) -> Spec:
        """The default pipeline :data:`DEFAULT_STEPS`."""
        return cls.from_dict({"steps": list(DEFAULT_STEPS)}, source="default spec")

    @classmethod
    def from_dict(cls, data: dict, source: str = "spec") -> Spec:
        """Validate a mapping ``{"steps": [{name: {params}}, ...], "weight_sets": {...}}``."""
        if not isinstance(data, dict):
            raise FrameworkError(source, "a spec must be a mapping with a 'steps' list")
        unknown = set(data) - {"steps", "weight_sets"}
        if unknown:
            raise FrameworkError(source, "unknown top-level key; expected 'steps' or "
                                 "'weight_sets'", key=sorted(unknown)[0])
        raw_steps = data.get("steps")
        if not isinstance(raw_steps, list) or not raw_steps:
            raise FrameworkError(source, "expected a non-empty list of steps", key="steps")
        steps: list[tuple[str, _Params]] = []
        for i, item in enumerate(raw_steps):
            key = f"steps[{i}]"
            if isinstance(item, str):
                item = {item: {}}
            if not isinstance(item, dict) or len(item) != 1:
                raise FrameworkError(source, "each step must be a one-key mapping such as "
                                     "'normalise: {method: minmax}'", key=key)
            (name, params), = item.items()
            if name not in STEP_PARAMS:
                raise FrameworkError(source, f"unknown step '{name}'; expected one of "
                                     + ", ".join(STEP_PARAMS), key=key)
            if name in [n for n, _ in steps]:
                raise FrameworkError(source, f"step '{name}' appears twice", key=key)
            params = params or {}
            if not isinstance(params, dict):
                raise FrameworkError(source, "step parameters must be a mapping",
                                     key=f"{key}.{name}")
            try:
                steps.append((name, STEP_PARAMS[name].model_validate(params)))
            except ValidationError as exc:
                err = exc.errors()[0]
                loc = ".".join(str(x) for x in err["loc"]
                               if not str(x).startswith("function") and not _is_union_tag(x))
                where = f"{key}.{name}" + (f".{loc}" if loc else "")
                raise FrameworkError(source, err["msg"].removeprefix("Value error, "),
                                     key=where) from None
        names = [n for n, _ in steps]
        if "weights" in names and "aggregate" in names and names.index("weights") > names.index(
                "aggregate"):
            raise FrameworkError(source, "'weights' must come before 'aggregate'",
                                 key=f"steps[{names.index('weights')}]")
        wsets = data.get("weight_sets") or {}
        if not isinstance(wsets, dict):
            raise FrameworkError(source, "expected a mapping {name: {iCode: weight}}",
                                 key="weight_sets")
        clean: dict[str, dict[str, float]] = {}
        for name, ws in wsets.items():
            if not isinstance(ws, dict):
                raise FrameworkError(source, "expected a mapping {iCode: weight}",
                                     key=f"weight_sets.{name}")
            clean[str(name)] = {}
            for code, w in ws.items():
                if isinstance(w, bool) or not isinstance(w, int | float) or w < 0:
                    raise FrameworkError(source, f"weight must be a number ≥ 0, got {w!r}",
                                         key=f"weight_sets.{name}.{code}")
                clean[str(name)][str(code)] = float(w)
        wp = dict(steps).get("weights")
        if wp is not None and wp.set and wp.set not in clean:
            raise FrameworkError(source, f"weight set '{wp.set}' is not defined under "
                                 "weight_sets", key=f"steps[{names.index('weights')}].weights.set")
        return cls(steps, clean, source)

    @classmethod
    def from_yaml(cls, path_or_text: str | Path) -> Spec:
        """Read a spec from a YAML file path or a YAML string."""
        source = "spec"
        text = str(path_or_text)
        p = Path(text) if "\n" not in text and len(text) < 4096 else None
        if p is not None and p.suffix.lower() in (".yaml", ".yml") or (p and p.is_file()):
            if not p.is_file():
                raise FrameworkError(str(p), "file not found")
            source, text = str(p), p.read_text(encoding="utf-8")
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise FrameworkError(source, f"not valid YAML: {exc}") from None
        return cls.from_dict(data, source=source)

    @classmethod
    def coerce(cls, spec: Spec | dict | str | Path | None) -> Spec:
        """Accept a Spec, a mapping, a YAML path/text, or ``None`` (the default)."""
        if spec is None:
            return cls.default()
        if isinstance(spec, Spec):
            return spec
        if isinstance(spec, dict):
            return cls.from_dict(spec)
        return cls.from_yaml(spec)

    def to_dict(self) -> dict:
        """Plain mapping that :meth:`from_dict` turns back into an equal spec."""
        steps = []
        for n, p in self.steps:
            d = p.model_dump(by_alias=True, mode="json")
            steps.append({n: d})
        out: dict[str, Any] = {"steps": steps}
        if self.weight_sets:
            out["weight_sets"] = self.weight_sets
        return out

    def to_yaml(self) -> str:
        """YAML text of :meth:`to_dict`."""
        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Spec) and self.to_dict() == other.to_dict()

    def __repr__(self) -> str:
        return f"Spec(steps={list(self.step_names)})"
