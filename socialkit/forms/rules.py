"""Validation rules across fields and periods, as DHIS2 has them, and outlier flags.

A rule compares a **left side** and a **right side** (each an expression in the form's
subset, plus ``previous(${field})`` = the same institution's value in the previous period)
with an **operator** (``==``, ``!=``, ``>``, ``>=``, ``<``, ``<=``, ``compulsory_pair``,
``exclusive_pair``); each side has a **missing-value strategy**:

* ``SKIP_IF_ANY_VALUE_MISSING`` — the rule is not checked when any value of the side is
  missing;
* ``SKIP_IF_ALL_VALUES_MISSING`` (the default, as in DHIS2) — not checked when all are missing;
* ``NEVER_SKIP`` — always checked, missing values counting as 0.

``compulsory_pair`` is violated when exactly one side has values, ``exclusive_pair`` when both
have. Rules live in ``<form>.rules.yaml`` beside the form; violations are listed with the
rule's **importance** (``high``, ``medium``, ``low``) for follow-up, never refused.

Outliers: the modified z-score of Iglewicz & Hoaglin, ``0.6745 · (x − median) / MAD``, per
field across institutions (and periods); ``|z| > 3.5`` is flagged, as in DHIS2's outlier
detection.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..config import resolve_lang
from ..errors import FrameworkError
from ..frameworks import read_yaml, validate_model
from .expressions import (
    BinOp,
    Call,
    Context,
    ExpressionError,
    Neg,
    Node,
    Ref,
    Value,
    evaluate,
    parse,
    walk,
)
from .model import Form, pick_text

__all__ = ["RuleSet", "evaluate_rules", "flag_outliers", "load_rules", "previous_period",
           "rules_path"]

Strategy = Literal["SKIP_IF_ANY_VALUE_MISSING", "SKIP_IF_ALL_VALUES_MISSING", "NEVER_SKIP"]
_OPS = ("==", "!=", ">", ">=", "<", "<=", "compulsory_pair", "exclusive_pair")


class Side(BaseModel):
    model_config = ConfigDict(extra="forbid")
    expression: str
    missing_value_strategy: Strategy = "SKIP_IF_ALL_VALUES_MISSING"

    @field_validator("expression")
    @classmethod
    def _parses(cls, v: str) -> str:
        try:
            parse(v)
        except ExpressionError as err:
            raise ValueError(f"{err} in {v!r}") from None
        return v


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    name: dict[str, str]
    instruction: dict[str, str] = Field(default_factory=dict)
    importance: Literal["high", "medium", "low"] = "medium"
    operator: Literal[_OPS]  # type: ignore[valid-type]
    left: Side
    right: Side


class RuleSet(BaseModel):
    model_config = ConfigDict(extra="forbid")
    form_id: str
    rules: list[Rule]


def rules_path(form_path: str | Path) -> Path:
    """The rules file beside a form: ``dv.xlsx`` → ``dv.rules.yaml``."""
    p = Path(form_path)
    return p.with_name(p.stem + ".rules.yaml")


def load_rules(path: str | Path, form: Form) -> RuleSet:
    """Read and check a rules YAML file against ``form`` (every ``${field}`` must be a
    numeric or calculated field of the form outside repeats)."""
    data, source = read_yaml(path, "")
    rs = validate_model(RuleSet, data, source)
    if rs.form_id != form.form_id:
        raise FrameworkError(source, f"the rules are for the form '{rs.form_id}', not "
                                     f"'{form.form_id}'", key="form_id")
    seen: set[str] = set()
    for i, rule in enumerate(rs.rules):
        if rule.id in seen:
            raise FrameworkError(source, f"the rule id '{rule.id}' is used twice",
                                 key=f"rules[{i}].id")
        seen.add(rule.id)
        for side in ("left", "right"):
            for name in _refs(parse(getattr(rule, side).expression)):
                f = form.by_name.get(name)
                if f is None or not f.has_value or f.repeat is not None:
                    raise FrameworkError(
                        source, f"${{{name}}} is not a field of the form '{form.form_id}' "
                                f"outside repeats", key=f"rules[{i}].{side}.expression")
    return rs


def _refs(node: Node) -> set[str]:
    return {n.name for n in walk(node) if isinstance(n, Ref)}


def previous_period(period: str, period_type: str | None) -> str | None:
    """The period before ``period``: ``2024Q1`` → ``2023Q4``, ``2024`` → ``2023``,
    ``2024-01`` → ``2023-12``.

    >>> previous_period("2024Q1", "quarter"), previous_period("2024-01", "month")
    ('2023Q4', '2023-12')
    """
    try:
        if period_type == "quarter":
            y, q = int(period[:4]), int(period[5])
            return f"{y - 1}Q4" if q == 1 else f"{y}Q{q - 1}"
        if period_type == "year":
            return str(int(period) - 1)
        if period_type == "month":
            y, m = int(period[:4]), int(period[5:7])
            return f"{y - 1}-12" if m == 1 else f"{y}-{m - 1:02d}"
    except (ValueError, IndexError):
        return None
    return None


class _RuleCtx(Context):
    def __init__(self, frame: pd.DataFrame, prev: pd.DataFrame, zero_missing: bool):
        self.frame, self.prev, self.zero = frame, prev, zero_missing
        self.n = len(frame)
        self.today = _dt.date.today()

    def _num(self, col: pd.Series) -> Value:
        x = pd.to_numeric(col, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        return Value.num(np.nan_to_num(x, nan=0.0) if self.zero else x)

    def ref(self, name: str) -> Value:
        return self._num(self.frame[name]) if name in self.frame else \
            Value.num(np.full(self.n, 0.0 if self.zero else np.nan))

    def current(self) -> Value:
        raise ExpressionError("'.' has no meaning in a validation rule")

    def previous(self, name: str) -> Value:
        return self._num(self.prev[name]) if name in self.prev else \
            Value.num(np.full(self.n, 0.0 if self.zero else np.nan))


def _side_refs(node: Node) -> list[tuple[str, bool]]:
    """(field, is previous period) for every value a side reads."""
    if isinstance(node, Ref):
        return [(node.name, False)]
    if isinstance(node, Call) and node.name == "previous":
        return [(node.args[0].name, True)] if isinstance(node.args[0], Ref) else []
    out: list[tuple[str, bool]] = []
    for child in (node.args if isinstance(node, Call) else
                  (node.left, node.right) if isinstance(node, BinOp) else
                  (node.operand,) if isinstance(node, Neg) else ()):
        out += _side_refs(child)
    return out


def _side_missing(node: Node, frame: pd.DataFrame, prev: pd.DataFrame) -> np.ndarray:
    """(n, k) mask: which of the side's k values are missing, per record."""
    cols = []
    for name, is_prev in _side_refs(node):
        src = prev if is_prev else frame
        cols.append(pd.to_numeric(src[name], errors="coerce").isna().to_numpy()
                    if name in src else np.ones(len(frame), dtype=bool))
    if not cols:
        return np.zeros((len(frame), 0), dtype=bool)
    return np.column_stack(cols)


def evaluate_rules(form: Form, rules: RuleSet, records: pd.DataFrame,
                   lang: str = "en") -> pd.DataFrame:
    """Check every rule on every record.

    Parameters
    ----------
    records
        one row per record: ``institution_id``, ``period`` and one column per field.

    Returns
    -------
    DataFrame
        one row per violation: ``rule_id``, ``rule`` (name in ``lang``), ``importance``,
        ``institution_id``, ``period``, ``left``, ``operator``, ``right``, ``instruction``.
    """
    frame = records.reset_index(drop=True)
    if "institution_id" in frame and "period" in frame:
        prev_key = frame["period"].map(lambda p: previous_period(str(p), form.period_type))
        lookup = frame.set_index(["institution_id", "period"])
        lookup = lookup[~lookup.index.duplicated()]
        idx = pd.MultiIndex.from_arrays([frame["institution_id"], prev_key])
        prev = lookup.reindex(idx).reset_index(drop=True)
    else:
        prev = pd.DataFrame(index=frame.index)
    out = []
    for rule in rules.rules:
        sides = {}
        for name in ("left", "right"):
            side: Side = getattr(rule, name)
            node = parse(side.expression)
            miss = _side_missing(node, frame, prev)
            if side.missing_value_strategy == "SKIP_IF_ANY_VALUE_MISSING":
                skip = miss.any(axis=1)
            elif side.missing_value_strategy == "SKIP_IF_ALL_VALUES_MISSING":
                skip = miss.all(axis=1) if miss.shape[1] else np.zeros(len(frame), dtype=bool)
            else:
                skip = np.zeros(len(frame), dtype=bool)
            has_values = ~miss.all(axis=1) if miss.shape[1] else np.ones(len(frame), dtype=bool)
            value = evaluate(node, _RuleCtx(frame, prev, zero_missing=True)).as_num()
            sides[name] = (value, skip, has_values)
        (lv, lskip, lhas), (rv, rskip, rhas) = sides["left"], sides["right"]
        if rule.operator == "compulsory_pair":
            bad = lhas != rhas
        elif rule.operator == "exclusive_pair":
            bad = lhas & rhas
        else:
            tol = 1e-9
            ok = {"==": np.abs(lv - rv) <= tol, "!=": np.abs(lv - rv) > tol,
                  ">": lv > rv + tol, ">=": lv >= rv - tol,
                  "<": lv < rv - tol, "<=": lv <= rv + tol}[rule.operator]
            bad = ~ok & ~lskip & ~rskip
        for i in np.flatnonzero(bad):
            out.append({
                "rule_id": rule.id,
                "rule": pick_text(_codes(rule.name), lang) or rule.id,
                "importance": rule.importance,
                "institution_id": frame["institution_id"].iloc[i] if "institution_id" in frame
                else None,
                "period": frame["period"].iloc[i] if "period" in frame else None,
                "left": float(lv[i]), "operator": rule.operator, "right": float(rv[i]),
                "instruction": pick_text(_codes(rule.instruction), lang) or "",
            })
    cols = ["rule_id", "rule", "importance", "institution_id", "period", "left", "operator",
            "right", "instruction"]
    result = pd.DataFrame(out, columns=cols)
    order = {"high": 0, "medium": 1, "low": 2}
    return result.sort_values(["importance", "institution_id", "period", "rule_id"],
                              key=lambda s: s.map(order) if s.name == "importance" else s,
                              kind="stable").reset_index(drop=True)


def _codes(texts: Mapping[str, str]) -> dict[str, str]:
    return {resolve_lang(k): v for k, v in texts.items()}


def flag_outliers(records: pd.DataFrame, fields: Sequence[str], *,
                  by: Sequence[str] = (), threshold: float = 3.5,
                  min_values: int = 5) -> pd.DataFrame:
    """Values far from the others by the modified z-score (Iglewicz & Hoaglin 1993).

    Parameters
    ----------
    records
        one row per record, with ``fields`` numeric and ``institution_id``/``period``.
    fields
        the fields to screen.
    by
        columns to compare within (e.g. ``["period"]``: each quarter separately); default:
        all records together (across institutions and periods).
    threshold
        ``|z|`` above which a value is flagged (3.5, as recommended and as DHIS2 uses).
    min_values
        groups with fewer non-missing values are not screened.

    Returns
    -------
    DataFrame
        ``institution_id``, ``period``, ``field``, ``value``, ``median``, ``mad``, ``z`` —
        one row per flagged value, largest ``|z|`` first.

    Notes
    -----
    .. math:: z_i = 0.6745\\,(x_i - \\tilde{x}) / \\mathrm{MAD},\\quad
              \\mathrm{MAD} = \\operatorname{median}|x_i - \\tilde{x}|

    A group whose MAD is 0 (more than half the values equal) is not screened: the score is
    undefined there.

    >>> df = pd.DataFrame({"institution_id": list("abcdefg"), "period": "2024Q1",
    ...                    "staff": [10, 11, 9, 10, 12, 10, 95]})
    >>> flag_outliers(df, ["staff"])[["institution_id", "value"]].to_dict("records")
    [{'institution_id': 'g', 'value': 95.0}]
    """
    keys = [c for c in ("institution_id", "period") if c in records.columns]
    long = records[[*dict.fromkeys([*keys, *by]), *fields]].melt(
        id_vars=list(dict.fromkeys([*keys, *by])), value_vars=list(fields),
        var_name="field", value_name="value")
    long["value"] = pd.to_numeric(long["value"], errors="coerce")
    long = long.dropna(subset=["value"])
    groups = ["field", *by]
    g = long.groupby(groups)["value"]
    long["median"] = g.transform("median")
    long["mad"] = (long["value"] - long["median"]).abs().groupby(
        [long[c] for c in groups]).transform("median")
    long["n"] = g.transform("count")
    ok = (long["mad"] > 0) & (long["n"] >= min_values)
    long["z"] = np.where(ok, 0.6745 * (long["value"] - long["median"]) /
                         long["mad"].where(ok, 1.0), np.nan)
    flagged = long[ok & (long["z"].abs() > threshold)].copy()
    flagged["abs"] = flagged["z"].abs()
    flagged = flagged.sort_values("abs", ascending=False, kind="stable")
    return flagged[[*keys, *[b for b in by if b not in keys], "field", "value", "median",
                    "mad", "z"]].reset_index(drop=True)
