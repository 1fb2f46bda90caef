"""Validate submissions against a form: types, choices, relevance, calculations, required,
constraints — for one submission (as the user types) or a whole frame at once (bulk import).

The order is ODK's: values are typed (a value of the wrong type is an error and counts as
empty); then, field by field in dependency order, relevance is evaluated (a field is relevant
when its own ``relevant`` and every enclosing group's are true), non-relevant values are
cleared and calculations computed; finally ``required`` is checked where the field is relevant
and ``constraint`` where it is relevant and not empty, ``.`` being the field's value.

Every step works on whole columns (see :mod:`socialkit.forms.expressions`), so a frame of
100,000 submissions is validated with a few numpy operations per field.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import Problem
from ..i18n import t
from .expressions import Context, ExpressionError, Value, evaluate, references
from .model import Field, Form, pick_text

__all__ = [
    "FrameResult",
    "Issue",
    "SubmissionResult",
    "evaluation_order",
    "validate_frame",
    "validate_submission",
]


@dataclass(frozen=True)
class Issue:
    """One problem with one value: ``row`` is the submission's position in the frame,
    ``instance`` the 0-based repeat instance (``None`` at the top level)."""

    row: int
    field: str
    code: str                      # type_integer, type_decimal, type_date, choice, choices,
    value: object = None           # geopoint, required, constraint
    instance: int | None = None
    params: Mapping[str, object] = field(default_factory=dict)

    def message(self, form: Form, lang: str = "en") -> str:
        """The message for a reader of ``lang``: the form's own constraint/required message
        in that language when it has one, otherwise socialkit's."""
        f = form.by_name[self.field]
        own = {"constraint": f.constraint_messages, "required": f.required_messages}.get(
            self.code)
        text = pick_text(own, lang, form.default_language) if own else None
        if text:
            return text
        return t(f"forms.error.{self.code}", lang, **self.params)

    def key(self, form: Form) -> str:
        """Where the issue is shown: the field's name, or ``repeat[i]/name`` (1-based)."""
        f = form.by_name[self.field]
        if f.repeat is None or self.instance is None:
            return self.field
        return f"{f.repeat}[{self.instance + 1}]/{self.field}"


@dataclass
class FrameResult:
    """Validated values: ``values`` (one row per submission; typed, non-relevant values
    cleared, calculations computed), ``repeats`` (one frame per repeat, ``_parent`` = row of
    ``values``), and every :class:`Issue`."""

    form: Form
    values: pd.DataFrame
    repeats: dict[str, pd.DataFrame]
    issues: list[Issue]
    #: top-level field (groups included) → whether it is relevant, per submission
    relevant: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.issues

    def issues_by_row(self) -> dict[int, list[Issue]]:
        out: dict[int, list[Issue]] = {}
        for i in self.issues:
            out.setdefault(i.row, []).append(i)
        return out

    def records(self) -> list[dict[str, object]]:
        """One dict of values per submission (empty values left out; repeats as lists)."""
        out = _dicts(self.values)
        for name, frame in self.repeats.items():
            cols = [c for c in frame.columns if c != "_parent"]
            for parent, inst in zip(frame["_parent"].tolist(), _dicts(frame[cols]),
                                    strict=True):
                out[int(parent)].setdefault(name, []).append(inst)
        return out


def _dicts(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Rows as dicts of plain Python values, empty values left out (fast: column lists)."""
    names = list(frame.columns)
    lists = []
    for c in names:
        col = frame[c]
        vals = col.astype(object).where(col.notna(), None).tolist()
        if col.dtype.kind not in "iufb":
            vals = [None if v == "" else v for v in vals]
        lists.append(vals)
    return [{k: v for k, v in zip(names, row, strict=True) if v is not None}
            for row in zip(*lists, strict=True)] if names else [{} for _ in range(len(frame))]


def _empty(v: object) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, float) and v != v:
        return True
    return isinstance(v, str) and v == ""


@dataclass
class SubmissionResult:
    """One validated submission: ``values`` (cleaned and calculated) and ``errors``
    (field key → messages in the user's language; empty when the submission is valid)."""

    values: dict[str, object]
    errors: dict[str, list[str]]
    issues: list[Issue]
    #: top-level field or group → whether it is relevant (an entry page hides the others)
    relevant: dict[str, bool] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def missing_required(self) -> list[str]:
        """Keys of the fields whose only problem is that they are still empty (a draft may
        be saved with them; submitting needs them)."""
        codes: dict[str, set[str]] = {}
        for issue in self.issues:
            codes.setdefault(issue.field, set()).add(issue.code)
        return [name for name, c in codes.items() if c == {"required"}]

    @property
    def blocking(self) -> list[Issue]:
        """The issues that stop even a draft from being saved (everything but an empty
        required field: a mistyped value, a value off the list, a broken constraint)."""
        return [i for i in self.issues if i.code != "required"]


# ----------------------------------------------------------------------------- order

def evaluation_order(form: Form) -> tuple[str, ...]:
    """Fields and groups in an order where everything an expression refers to comes first
    (computed once per form and kept on it).

    Raises ``ExpressionError`` naming the fields of a cycle (a calculation that depends on
    itself through others).
    """
    cached = form.__dict__.get("_evaluation_order")
    if cached is None:
        cached = form.__dict__["_evaluation_order"] = _order(form)
    return cached


def _order(form: Form) -> tuple[str, ...]:
    deps: dict[str, set[str]] = {}
    for f in form.fields:
        d: set[str] = set(f.parents)
        for node in (f.relevant, f.calculation):
            if node is not None:
                d |= references(node)
        d.discard(f.name)
        deps[f.name] = {x for x in d if x in form.by_name}
    # a repeat's relevance and aggregates of its fields need the fields first only when
    # referenced; a group needs nothing from its children.
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> None:
        s = state.get(name, 0)
        if s == 2:
            return
        if s == 1:
            cycle = trail[trail.index(name):] + [name]
            err = ExpressionError("the expressions form a cycle: " + " → ".join(cycle))
            err.cycle = cycle
            raise err
        state[name] = 1
        for dep in sorted(deps[name], key=lambda n: form.by_name[n].row):
            visit(dep, [*trail, name])
        state[name] = 2
        order.append(name)

    for f in form.fields:
        visit(f.name, [])
    return tuple(order)


# ----------------------------------------------------------------------------- typing

_MISSING_STRINGS = {"", "nan", "NaN", "None", "NaT", "<NA>", "n/a"}


def _as_text(col: pd.Series) -> np.ndarray:
    """Raw cells as stripped strings, ``''`` for empty (numbers as written: 3.0 → '3')."""
    if col.dtype.kind in "iub":
        return col.astype(str).to_numpy(dtype=object)
    if col.dtype.kind == "f":
        return Value.num(col.to_numpy(dtype="float64")).as_str()
    s = col.astype(object)
    if pd.api.types.infer_dtype(s, skipna=True) in ("string", "empty"):
        out = s.where(s.notna(), "").str.strip().to_numpy(dtype=object).copy()
        out[pd.Series(out, dtype=object).isin(_MISSING_STRINGS).to_numpy()] = ""
        return out
    out = np.empty(len(s), dtype=object)
    arr = s.to_numpy()
    isna = pd.isna(s).to_numpy()
    out[isna] = ""
    rest = ~isna
    vals = arr[rest]
    conv = []
    for v in vals:
        if isinstance(v, str):
            conv.append(v.strip())
        elif isinstance(v, bool | np.bool_):
            conv.append("true" if v else "false")
        elif isinstance(v, float | np.floating) and float(v).is_integer():
            conv.append(str(int(v)))
        elif isinstance(v, _dt.datetime | pd.Timestamp):
            conv.append(v.strftime("%Y-%m-%d"))
        elif isinstance(v, _dt.date):
            conv.append(v.isoformat())
        else:
            conv.append(str(v).strip())
    out[rest] = conv
    miss = pd.Series(out, dtype=object).isin(_MISSING_STRINGS).to_numpy()
    out[miss] = ""
    return out


def _type_column(f: Field, raw: np.ndarray) -> tuple[Value, np.ndarray, str | None, dict]:
    """(typed value, mask of bad cells, issue code, params) for field ``f``."""
    n = len(raw)
    empty = raw == ""
    if f.type in ("integer", "decimal"):
        s = pd.Series(raw, dtype=object).str.replace(",", ".", regex=False)
        num = pd.to_numeric(s.where(~empty, None), errors="coerce").to_numpy(
            dtype="float64", na_value=np.nan).copy()
        bad = ~empty & np.isnan(num)
        if f.type == "integer":
            with np.errstate(invalid="ignore"):
                bad |= ~np.isnan(num) & (num != np.round(num))
        num[bad] = np.nan
        return Value.num(num), bad, f"type_{f.type}", {}
    if f.type == "date":
        parsed = pd.to_datetime(pd.Series(raw, dtype=object).str.slice(0, 10),
                                format="%Y-%m-%d", errors="coerce")
        arr = parsed.to_numpy(dtype="datetime64[D]")
        bad = ~empty & np.isnat(arr)
        return Value.date(arr), bad, "type_date", {}
    if f.type == "select_one":
        allowed = sorted(f.choice_names)
        bad = ~empty & ~pd.Series(raw, dtype=object).isin(allowed).to_numpy()
        out = raw.copy()
        out[bad] = ""
        return Value.str_(out), bad, "choice", {"choices": ", ".join(allowed)}
    if f.type == "select_multiple":
        allowed = sorted(f.choice_names)
        norm = pd.Series(raw, dtype=object).str.replace(",", " ", regex=False).str.split()
        exploded = norm.explode()
        bad_tok = exploded.notna() & ~exploded.isin(allowed)
        bad = bad_tok.groupby(level=0).any().reindex(range(n), fill_value=False).to_numpy()
        joined = norm.str.join(" ").fillna("").to_numpy(dtype=object).copy()
        joined[bad] = ""
        return Value.str_(joined), bad, "choices", {"choices": ", ".join(allowed)}
    if f.type == "geopoint":
        parts = pd.Series(raw, dtype=object).str.split()
        k = parts.str.len().fillna(0).to_numpy()
        lat = pd.to_numeric(parts.str[0], errors="coerce").to_numpy(dtype="float64",
                                                                    na_value=np.nan)
        lon = pd.to_numeric(parts.str[1], errors="coerce").to_numpy(dtype="float64",
                                                                    na_value=np.nan)
        with np.errstate(invalid="ignore"):
            good = (k >= 2) & (k <= 4) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
        bad = ~empty & ~good
        out = raw.copy()
        out[bad] = ""
        return Value.str_(out), bad, "geopoint", {}
    return Value.str_(raw), np.zeros(n, dtype=bool), None, {}


# ----------------------------------------------------------------------------- contexts

class _State:
    def __init__(self, form: Form, n: int, sizes: dict[str, int],
                 parents: dict[str, np.ndarray], today: _dt.date):
        self.form, self.n, self.sizes, self.parents, self.today = form, n, sizes, parents, today
        self.values: dict[str, Value] = {}
        self.relevant: dict[str, np.ndarray] = {}


class _Ctx(Context):
    def __init__(self, state: _State, level: str | None, current: Value | None = None):
        self.s, self.level, self._current = state, level, current
        self.n = state.n if level is None else state.sizes[level]
        self.today = state.today

    def ref(self, name: str) -> Value:
        f = self.s.form.by_name[name]
        v = self.s.values.get(name)
        if v is None:  # a group or a note: no value
            v = Value.str_(np.full(self.s.n if f.repeat is None else self.s.sizes[f.repeat],
                                   "", dtype=object))
        if f.repeat == self.level:
            return v
        if f.repeat is None:
            return v.take(self.s.parents[self.level])
        raise ExpressionError(f"${{{name}}} is in another repeat")

    def current(self) -> Value:
        if self._current is None:
            raise ExpressionError("'.' has no value here")
        return self._current

    def aggregate(self, name: str, func: str) -> Value | None:
        f = self.s.form.by_name[name]
        if f.repeat is None or f.repeat == self.level:
            return None
        parent = self.s.parents[f.repeat]
        v = self.s.values.get(name)
        if func == "count":
            return Value.num(np.bincount(parent, minlength=self.n).astype("float64"))
        x = v.as_num() if v is not None else np.full(len(parent), np.nan)
        ok = ~np.isnan(x)
        if func == "sum":
            return Value.num(np.bincount(parent[ok], weights=x[ok], minlength=self.n))
        frame = pd.DataFrame({"p": parent[ok], "x": x[ok]})
        agg = frame.groupby("p")["x"].agg(func).reindex(range(self.n))
        return Value.num(agg.to_numpy(dtype="float64", na_value=np.nan))


# ----------------------------------------------------------------------------- frames

def _raw(frame: pd.DataFrame | None, f: Field, n: int) -> tuple[np.ndarray, bool]:
    if frame is not None and f.name in frame.columns:
        return _as_text(frame[f.name]), True
    return np.full(n, "", dtype=object), False


def validate_frame(form: Form, data: pd.DataFrame,
                   repeats: Mapping[str, pd.DataFrame] | None = None,
                   today: _dt.date | None = None) -> FrameResult:
    """Validate many submissions at once.

    Parameters
    ----------
    form
        the loaded form.
    data
        one row per submission, one column per field (by name); missing columns take the
        field's ``default``; other columns are ignored.
    repeats
        per repeat name, one row per instance with ``_parent`` = the 0-based row of ``data``.
    today
        the date ``today()`` returns (default: today).

    Returns
    -------
    FrameResult
    """
    data = data.reset_index(drop=True)
    repeats = dict(repeats or {})
    n = len(data)
    today = today or _dt.date.today()
    sizes: dict[str, int] = {}
    parents: dict[str, np.ndarray] = {}
    for r in form.repeats:
        rf = repeats.get(r.name)
        if rf is None:
            rf = pd.DataFrame({"_parent": np.array([], dtype="int64")})
        rf = rf.reset_index(drop=True)
        repeats[r.name] = rf
        sizes[r.name] = len(rf)
        parents[r.name] = rf["_parent"].to_numpy(dtype="int64")
    state = _State(form, n, sizes, parents, today)
    issues: list[Issue] = []
    bad_masks: dict[str, np.ndarray] = {}
    pending: list[tuple] = []  # type errors, reported where the field is relevant

    def rows_of(f: Field, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        if f.repeat is None:
            return idx, None
        return parents[f.repeat][idx], idx

    def add(f: Field, mask: np.ndarray, code: str, raw: np.ndarray | None, params: dict) -> None:
        idx = np.flatnonzero(mask)
        if not len(idx):
            return
        rows, inst = rows_of(f, idx)
        for j, (r, i) in enumerate(zip(rows, idx, strict=True)):
            issues.append(Issue(int(r), f.name, code,
                                None if raw is None else raw[i],
                                None if inst is None else int(inst[j]), params))

    # 1. types
    for f in form.value_fields:
        if f.type == "calculate":
            continue
        size = n if f.repeat is None else sizes[f.repeat]
        raw, present = _raw(data if f.repeat is None else repeats[f.repeat], f, size)
        if not present and f.default is not None:
            raw = np.full(size, f.default, dtype=object)
        value, bad, code, params = _type_column(f, raw)
        if bad.any():
            pending.append((f, bad, code, raw, params))
        state.values[f.name] = value
        bad_masks[f.name] = bad

    # 2. relevance and calculations, in dependency order
    for name in evaluation_order(form):
        f = form.by_name[name]
        ctx = _Ctx(state, f.repeat if f.type != "repeat" else None,
                   state.values.get(name))
        size = ctx.n
        rel = np.ones(size, dtype=bool)
        if f.parents:
            parent = form.by_name[f.parents[-1]]
            prel = state.relevant[parent.name]
            if parent.type == "repeat":
                prel = prel[parents[parent.name]]
            rel = prel.copy()
        if f.relevant is not None:
            rel &= evaluate(f.relevant, ctx).as_bool()
        state.relevant[name] = rel
        if f.type == "calculate":
            v = evaluate(f.calculation, ctx)
            v = Value(v.kind, v.arr.copy())
            state.values[name] = v
        v = state.values.get(name)
        if v is not None and not rel.all():
            arr = v.arr.copy()
            arr[~rel] = {"num": np.nan, "date": np.datetime64("NaT"), "bool": False}.get(
                v.kind, "")
            if v.kind == "bool":
                v = Value.str_(np.where(rel, np.where(v.arr, "true", "false"), ""))
            else:
                v = Value(v.kind, arr)
            state.values[name] = v

    # 3. type errors where relevant, required and constraints
    for f, bad, code, raw, params in pending:
        add(f, bad & state.relevant[f.name], code, raw, params)
    for f in form.value_fields:
        if f.type == "calculate" or (f.required is None and f.constraint is None):
            continue
        v = state.values[f.name]
        rel = state.relevant[f.name]
        ctx = _Ctx(state, f.repeat, v)
        miss = v.missing()
        if f.required is not None:
            req = evaluate(f.required, ctx).as_bool()
            add(f, rel & req & miss & ~bad_masks[f.name], "required", None, {})
        if f.constraint is not None:
            # a constraint reading a value that had a type error is not checked: that value's
            # own error is already reported, and it counts as empty here
            check = rel & ~miss & ~bad_masks[f.name]
            for ref in references(f.constraint):
                other = form.by_name.get(ref)
                if ref == f.name or other is None or ref not in bad_masks:
                    continue
                if other.repeat == f.repeat:
                    check &= ~bad_masks[ref]
                elif other.repeat is None:
                    check &= ~bad_masks[ref][parents[f.repeat]]
            if check.any():
                ok = evaluate(f.constraint, ctx).as_bool()
                raw = v.as_str()
                add(f, check & ~ok, "constraint", raw,
                    {"expression": f.constraint_text or ""})

    issues.sort(key=lambda i: (i.row, form.by_name[i.field].row, i.instance or 0))
    values = _frame(form, state, None, n)
    rep = {}
    for r in form.repeats:
        frame = _frame(form, state, r.name, sizes[r.name])
        frame.insert(0, "_parent", parents[r.name])
        rep[r.name] = frame
    relevant = {f.name: state.relevant[f.name] for f in form.fields
                if f.repeat is None and f.name in state.relevant}
    return FrameResult(form, values, rep, issues, relevant)


def _frame(form: Form, state: _State, level: str | None, n: int) -> pd.DataFrame:
    cols: dict[str, object] = {}
    for f in form.value_fields:
        if f.repeat != level:
            continue
        v = state.values[f.name]
        if v.kind == "num":
            if f.type == "integer":
                cols[f.name] = pd.array(v.arr, dtype="Float64").astype("Int64")
            else:
                cols[f.name] = pd.array(v.arr, dtype="Float64")
        elif v.kind == "date":
            cols[f.name] = Value.date(v.arr).as_str()
        elif v.kind == "bool":
            cols[f.name] = v.as_str()
        else:
            cols[f.name] = v.arr
    return pd.DataFrame(cols, index=pd.RangeIndex(n))


# ----------------------------------------------------------------------------- one submission

def validate_submission(form: Form, values: Mapping[str, object], lang: str = "en",
                        today: _dt.date | None = None) -> SubmissionResult:
    """Validate one submission (a mapping field name → value; a repeat's name → a list of
    mappings) and return cleaned values and the errors per field in ``lang``.

    >>> # result = validate_submission(form, {"staff_total": "-1"}, "uk")
    >>> # result.errors == {"staff_total": ["Кількість не може бути від'ємною"]}
    """
    top = {k: v for k, v in values.items()
           if not (k in form.by_name and form.by_name[k].type == "repeat")}
    data = pd.DataFrame([{k: v for k, v in top.items() if k in form.by_name}]) if top else \
        pd.DataFrame(index=range(1))
    reps: dict[str, pd.DataFrame] = {}
    for r in form.repeats:
        items: Sequence[Mapping[str, object]] = values.get(r.name) or []
        reps[r.name] = pd.DataFrame([{**dict(i), "_parent": 0} for i in items]) if items \
            else pd.DataFrame({"_parent": np.array([], dtype="int64")})
    res = validate_frame(form, data, reps, today)
    errors: dict[str, list[str]] = {}
    for issue in res.issues:
        errors.setdefault(issue.key(form), []).append(issue.message(form, lang))
    relevant = {name: bool(mask[0]) for name, mask in res.relevant.items() if len(mask)}
    return SubmissionResult(res.records()[0], errors, res.issues, relevant)


def issues_to_problems(form: Form, issues: Sequence[Issue], source: str,
                       row_of: Mapping[int, int] | None = None,
                       column_of: Mapping[str, str] | None = None,
                       lang: str = "en") -> list[Problem]:
    """:class:`~socialkit.errors.Problem` per issue, for a file: ``row_of`` maps a frame row to
    the file's line, ``column_of`` a field name to the file's column."""
    out = []
    for i in issues:
        f = form.by_name[i.field]
        expected = None
        if i.code in ("type_integer", "type_decimal", "type_date", "choice", "choices",
                      "geopoint"):
            expected = t(f"forms.expected.{i.code}", lang, **i.params)
        elif i.code == "constraint" and f.constraint_text:
            expected = f.constraint_text
        column = (column_of or {}).get(i.field, f.column)
        if i.instance is not None:
            column = f"{column} ({f.repeat} #{i.instance + 1})"
        out.append(Problem(source=source, message=i.message(form, lang),
                           row=(row_of or {}).get(i.row, i.row), column=column,
                           value=i.value if i.value not in ("", None) else None,
                           expected=expected))
    return out
