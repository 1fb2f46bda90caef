"""The subset of the XLSForm/XPath expression language socialkit evaluates itself.

An expression is parsed once, when its form is loaded, into a small tree; anything outside the
subset raises :class:`ExpressionError` (with the position), and the form loader turns that into
an error naming sheet, row and column. Nothing is ever passed to Python's ``eval``.

Evaluation is **vectorised**: a tree is evaluated over whole columns (one element per
submission, or per repeat instance), so validating 100,000 rows costs a few numpy operations
per expression rather than 100,000 interpreter walks. A single submission is a column of one.

The subset (docs/forms.md has the full table):

* references ``${field}``, the current value ``.``; number and string literals;
* ``or``, ``and``, ``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=``, ``+``, ``-``, ``*``, ``div``,
  ``mod``, unary ``-``, parentheses;
* functions in :data:`FUNCTIONS` (``if``, ``selected``, ``count-selected``, ``string-length``,
  ``regex``, ``today``, ``coalesce``, ``sum``/``count``/``min``/``max`` over a repeat, …).

Semantics follow XPath 1.0 as ODK implements it: an empty value is ``''`` as a string and NaN
as a number (so ``${x} > 3`` is false when ``x`` is empty); ``=`` compares as numbers when one
side is a number, as dates when one side is a date, otherwise as strings.

>>> expr = parse("${a} + 2 * ${b} > 10")
>>> sorted(references(expr))
['a', 'b']
>>> import numpy as np
>>> env = {"a": Value.num(np.array([1.0, 9.0])), "b": Value.num(np.array([2.0, 1.0]))}
>>> evaluate(expr, SimpleContext(env, 2)).as_bool().tolist()
[False, True]
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "AGGREGATES",
    "FUNCTIONS",
    "Call",
    "Context",
    "ExpressionError",
    "Node",
    "SimpleContext",
    "Value",
    "evaluate",
    "parse",
    "references",
]


class ExpressionError(ValueError):
    """An expression outside socialkit's subset (or malformed); ``pos`` is the 0-based offset."""

    def __init__(self, message: str, pos: int | None = None):
        self.pos = pos
        super().__init__(message if pos is None else f"{message} (at character {pos + 1})")
        self.reason = message


# ----------------------------------------------------------------------------- the tree

@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Str:
    value: str


@dataclass(frozen=True)
class Ref:
    name: str


@dataclass(frozen=True)
class Current:
    pass


@dataclass(frozen=True)
class BinOp:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Neg:
    operand: Node


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]


Node = Num | Str | Ref | Current | BinOp | Neg | Call

# ----------------------------------------------------------------------------- tokens

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<num>\d+(?:\.\d*)?|\.\d+)
  | (?P<str>'[^']*'|"[^"]*")
  | (?P<ref>\$\{(?P<refname>[A-Za-z_][A-Za-z0-9_.\-]*)\})
  | (?P<op>!=|<=|>=|=|<|>|\+|-|\*|\(|\)|,)
  | (?P<name>[A-Za-z_][A-Za-z0-9_\-]*(?::[A-Za-z_][A-Za-z0-9_\-]*)?)
  | (?P<dot>\.(?![.\d]))
""", re.VERBOSE)

_WORD_OPS = {"and", "or", "div", "mod"}


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    out: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            ch = text[pos]
            what = {"/": "a path ('/'); refer to fields as ${name}",
                    "[": "a predicate ('[...]')", "|": "a node-set union ('|')",
                    "@": "an attribute ('@')", "$": "a reference not written ${name}"}.get(
                ch, f"the character {ch!r}")
            if text.startswith("..", pos):
                what = "the parent step '..'"
            raise ExpressionError(f"{what} is not supported", pos)
        kind = m.lastgroup
        if kind == "refname":
            kind = "ref"
        if kind != "ws":
            value = m.group("refname") if kind == "ref" else m.group(0)
            if kind == "name" and value in _WORD_OPS:
                kind = "op"
            out.append((kind, value, pos))
        pos = m.end()
    out.append(("end", "", len(text)))
    return out


# ----------------------------------------------------------------------------- parser

class _Parser:
    # XPath precedence, lowest first
    LEVELS: tuple[tuple[str, ...], ...] = (
        ("or",), ("and",), ("=", "!="), ("<", "<=", ">", ">="), ("+", "-"), ("*", "div", "mod"),
    )

    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def take(self) -> tuple[str, str, int]:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, value: str) -> None:
        kind, got, pos = self.take()
        if got != value or kind != "op":
            raise ExpressionError(f"expected {value!r}, found {got or 'the end'!r}", pos)

    def parse(self) -> Node:
        if self.peek()[0] == "end":
            raise ExpressionError("the expression is empty", 0)
        node = self.level(0)
        kind, value, pos = self.peek()
        if kind != "end":
            raise ExpressionError(f"unexpected {value!r}", pos)
        return node

    def level(self, k: int) -> Node:
        if k == len(self.LEVELS):
            return self.unary()
        node = self.level(k + 1)
        while True:
            kind, value, _ = self.peek()
            if kind == "op" and value in self.LEVELS[k]:
                self.take()
                node = BinOp(value, node, self.level(k + 1))
            else:
                return node

    def unary(self) -> Node:
        kind, value, _ = self.peek()
        if kind == "op" and value == "-":
            self.take()
            return Neg(self.unary())
        return self.primary()

    def primary(self) -> Node:
        kind, value, pos = self.take()
        if kind == "num":
            return Num(float(value))
        if kind == "str":
            return Str(value[1:-1])
        if kind == "ref":
            return Ref(value)
        if kind == "dot":
            return Current()
        if kind == "op" and value == "(":
            node = self.level(0)
            self.expect(")")
            return node
        if kind == "name":
            nxt = self.peek()
            if nxt[1] != "(":
                raise ExpressionError(
                    f"the bare name {value!r} is not supported; refer to fields as ${{{value}}}",
                    pos)
            if value not in FUNCTIONS:
                raise ExpressionError(f"the function {value}() is not supported", pos)
            self.take()
            args: list[Node] = []
            if self.peek()[1] != ")":
                args.append(self.level(0))
                while self.peek()[1] == ",":
                    self.take()
                    args.append(self.level(0))
            self.expect(")")
            lo, hi = FUNCTIONS[value].arity
            if not lo <= len(args) <= (hi if hi is not None else len(args)):
                want = f"{lo}" if lo == hi else f"{lo} to {hi}" if hi else f"at least {lo}"
                raise ExpressionError(
                    f"{value}() takes {want} argument(s), found {len(args)}", pos)
            return Call(value, tuple(args))
        raise ExpressionError(f"unexpected {value or 'end of expression'!r}", pos)


def parse(text: str) -> Node:
    """Parse ``text`` into a tree; :class:`ExpressionError` if it is outside the subset."""
    return _Parser(str(text)).parse()


def references(node: Node) -> set[str]:
    """Names of the fields ``${...}`` an expression refers to."""
    out: set[str] = set()
    for n in walk(node):
        if isinstance(n, Ref):
            out.add(n.name)
    return out


def walk(node: Node) -> Iterable[Node]:
    """Every node of the tree, parents before children."""
    yield node
    if isinstance(node, BinOp):
        yield from walk(node.left)
        yield from walk(node.right)
    elif isinstance(node, Neg):
        yield from walk(node.operand)
    elif isinstance(node, Call):
        for a in node.args:
            yield from walk(a)


def uses_current(node: Node) -> bool:
    return any(isinstance(n, Current) for n in walk(node))


# ----------------------------------------------------------------------------- values

_EPOCH = np.datetime64("1970-01-01", "D")


@dataclass(frozen=True)
class Value:
    """A column of XPath values of one kind: ``num`` (float64, NaN = empty), ``str`` (object,
    ``''`` = empty), ``bool`` or ``date`` (datetime64[D], NaT = empty)."""

    kind: str
    arr: np.ndarray

    @staticmethod
    def num(arr) -> Value:
        return Value("num", np.asarray(arr, dtype="float64"))

    @staticmethod
    def str_(arr) -> Value:
        return Value("str", np.asarray(arr, dtype=object))

    @staticmethod
    def bool_(arr) -> Value:
        return Value("bool", np.asarray(arr, dtype=bool))

    @staticmethod
    def date(arr) -> Value:
        return Value("date", np.asarray(arr, dtype="datetime64[D]"))

    def as_num(self) -> np.ndarray:
        if self.kind == "num":
            return self.arr
        if self.kind == "bool":
            return self.arr.astype("float64")
        if self.kind == "date":
            out = (self.arr - _EPOCH).astype("float64")
            out[np.isnat(self.arr)] = np.nan
            return out
        return pd.to_numeric(pd.Series(self.arr, dtype=object).str.strip(),
                             errors="coerce").to_numpy(dtype="float64", na_value=np.nan)

    def as_str(self) -> np.ndarray:
        if self.kind == "str":
            return self.arr
        if self.kind == "bool":
            return np.where(self.arr, "true", "false").astype(object)
        if self.kind == "date":
            s = pd.Series(self.arr).dt.strftime("%Y-%m-%d")
            return s.fillna("").to_numpy(dtype=object)
        a = self.arr
        out = np.empty(len(a), dtype=object)
        nan = np.isnan(a)
        whole = ~nan & (a == np.round(a)) & (np.abs(a) < 1e15)
        out[nan] = ""
        out[whole] = [str(int(v)) for v in a[whole]]
        rest = ~nan & ~whole
        out[rest] = [repr(float(v)) for v in a[rest]]
        return out

    def as_bool(self) -> np.ndarray:
        if self.kind == "bool":
            return self.arr
        if self.kind == "num":
            return (self.arr != 0) & ~np.isnan(self.arr)
        if self.kind == "date":
            return ~np.isnat(self.arr)
        return pd.Series(self.arr, dtype=object).str.len().fillna(0).to_numpy() > 0

    def as_date(self) -> np.ndarray:
        if self.kind == "date":
            return self.arr
        if self.kind == "num":
            out = np.full(len(self.arr), np.datetime64("NaT"), dtype="datetime64[D]")
            ok = ~np.isnan(self.arr)
            out[ok] = _EPOCH + np.floor(self.arr[ok]).astype("int64")
            return out
        parsed = pd.to_datetime(pd.Series(self.as_str(), dtype=object).str.slice(0, 10),
                                errors="coerce", format="%Y-%m-%d")
        return parsed.to_numpy(dtype="datetime64[D]")

    def missing(self) -> np.ndarray:
        """True where the value is empty."""
        if self.kind == "num":
            return np.isnan(self.arr)
        if self.kind == "date":
            return np.isnat(self.arr)
        if self.kind == "bool":
            return np.zeros(len(self.arr), dtype=bool)
        return ~self.as_bool()

    def take(self, index: np.ndarray) -> Value:
        return Value(self.kind, self.arr[index])

    def __len__(self) -> int:
        return len(self.arr)


def _const(kind: str, value: object, n: int) -> Value:
    if kind == "num":
        return Value.num(np.full(n, value, dtype="float64"))
    if kind == "bool":
        return Value.bool_(np.full(n, value, dtype=bool))
    if kind == "date":
        return Value.date(np.full(n, value, dtype="datetime64[D]"))
    arr = np.empty(n, dtype=object)
    arr[:] = value
    return Value.str_(arr)


# ----------------------------------------------------------------------------- context

class Context:
    """Where an expression finds its values; subclasses resolve ``${name}`` and ``.``."""

    n: int
    today: _dt.date

    def ref(self, name: str) -> Value:  # pragma: no cover - interface
        raise NotImplementedError

    def current(self) -> Value:  # pragma: no cover - interface
        raise NotImplementedError

    def aggregate(self, name: str, func: str) -> Value | None:
        """``sum``/``count``/``min``/``max`` of a repeat field per row; ``None`` if ``name``
        is not in a repeat below this level."""
        return None

    def previous(self, name: str) -> Value:
        raise ExpressionError("previous() is only available in validation rules")


class SimpleContext(Context):
    """Values from a mapping of name → :class:`Value` (tests, rules)."""

    def __init__(self, env: Mapping[str, Value], n: int, current: Value | None = None,
                 today: _dt.date | None = None):
        self.env, self.n, self._current = env, n, current
        self.today = today or _dt.date.today()

    def ref(self, name: str) -> Value:
        return self.env[name]

    def current(self) -> Value:
        if self._current is None:
            raise ExpressionError("'.' has no value here")
        return self._current


# ----------------------------------------------------------------------------- evaluation

def evaluate(node: Node, ctx: Context) -> Value:
    """Evaluate ``node`` over the ``ctx.n`` rows of ``ctx``."""
    if isinstance(node, Num):
        return _const("num", node.value, ctx.n)
    if isinstance(node, Str):
        return _const("str", node.value, ctx.n)
    if isinstance(node, Ref):
        return ctx.ref(node.name)
    if isinstance(node, Current):
        return ctx.current()
    if isinstance(node, Neg):
        return Value.num(-evaluate(node.operand, ctx).as_num())
    if isinstance(node, BinOp):
        return _binop(node.op, evaluate(node.left, ctx), lambda: evaluate(node.right, ctx))
    return FUNCTIONS[node.name].impl(ctx, node.args)


def _binop(op: str, left: Value, right_thunk: Callable[[], Value]) -> Value:
    right = right_thunk()
    if op == "or":
        return Value.bool_(left.as_bool() | right.as_bool())
    if op == "and":
        return Value.bool_(left.as_bool() & right.as_bool())
    if op in ("+", "-", "*", "div", "mod"):
        a, b = left.as_num(), right.as_num()
        with np.errstate(all="ignore"):
            if op == "+":
                r = a + b
            elif op == "-":
                r = a - b
            elif op == "*":
                r = a * b
            elif op == "div":
                r = a / b
            else:
                r = np.fmod(a, b)
        return Value.num(r)
    kinds = {left.kind, right.kind}
    if op in ("=", "!="):
        if "bool" in kinds:
            a, b = left.as_bool(), right.as_bool()
            eq = a == b
        elif "date" in kinds and kinds <= {"date", "str"}:
            a, b = left.as_date(), right.as_date()
            eq = (a == b) & ~np.isnat(a)
            eq |= np.isnat(a) & np.isnat(b) & (left.as_str() == right.as_str())
        elif "num" in kinds:
            a, b = left.as_num(), right.as_num()
            eq = a == b
        else:
            eq = left.as_str() == right.as_str()
            eq = np.asarray(eq, dtype=bool)
        return Value.bool_(eq if op == "=" else ~eq)
    if "date" in kinds and kinds <= {"date", "str"}:
        a, b = left.as_date(), right.as_date()
        ok = ~np.isnat(a) & ~np.isnat(b)
        a = np.where(ok, a, _EPOCH).astype("int64")
        b = np.where(ok, b, _EPOCH).astype("int64")
    else:
        a, b = left.as_num(), right.as_num()
        ok = np.ones(len(a), dtype=bool)
    with np.errstate(invalid="ignore"):
        r = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal}[op](a, b)
    return Value.bool_(r & ok)


# ----------------------------------------------------------------------------- functions

@dataclass(frozen=True)
class _Func:
    arity: tuple[int, int | None]
    impl: Callable[[Context, tuple[Node, ...]], Value]


def _ev(ctx: Context, args: tuple[Node, ...]) -> list[Value]:
    return [evaluate(a, ctx) for a in args]


def _f_if(ctx, args):
    c, a, b = _ev(ctx, args)
    cond = c.as_bool()
    if a.kind == b.kind and a.kind != "str":
        return Value(a.kind, np.where(cond, a.arr, b.arr))
    if {a.kind, b.kind} <= {"num", "bool"}:
        return Value.num(np.where(cond, a.as_num(), b.as_num()))
    if {a.kind, b.kind} == {"num", "str"}:
        # if(…, number, '') is a number or empty, as a calculation's result is used
        text = b if b.kind == "str" else a
        used = (~cond) if b.kind == "str" else cond
        if not (pd.Series(text.arr[used], dtype=object) != "").any():
            return Value.num(np.where(cond, a.as_num(), b.as_num()))
    return Value.str_(np.where(cond, a.as_str(), b.as_str()))


def _tokens(v: Value) -> pd.Series:
    return pd.Series(v.as_str(), dtype=object).fillna("").str.split()


def _f_selected(ctx, args):
    s, v = _ev(ctx, args)
    if isinstance(args[1], Str):
        pat = " " + args[1].value.strip() + " "
        padded = " " + pd.Series(s.as_str(), dtype=object).fillna("").str.replace(
            r"\s+", " ", regex=True) + " "
        return Value.bool_(padded.str.contains(pat, regex=False).to_numpy(dtype=bool))
    toks = _tokens(s)
    vals = v.as_str()
    return Value.bool_(np.array([str(x).strip() in t for t, x in zip(toks, vals, strict=True)],
                                dtype=bool))


def _f_count_selected(ctx, args):
    (s,) = _ev(ctx, args)
    return Value.num(_tokens(s).str.len().to_numpy(dtype="float64"))


def _f_string_length(ctx, args):
    (s,) = _ev(ctx, args)
    return Value.num(pd.Series(s.as_str(), dtype=object).str.len().to_numpy(dtype="float64"))


def _f_regex(ctx, args):
    s, p = _ev(ctx, args)
    strings = pd.Series(s.as_str(), dtype=object)
    if isinstance(args[1], Str):
        return Value.bool_(strings.str.contains(args[1].value, regex=True).to_numpy(dtype=bool))
    return Value.bool_(np.array([re.search(str(q), str(x)) is not None
                                 for x, q in zip(strings, p.as_str(), strict=True)], dtype=bool))


def _f_today(ctx, args):
    return _const("date", np.datetime64(ctx.today, "D"), ctx.n)


def _f_coalesce(ctx, args):
    a, b = _ev(ctx, args)
    if a.kind == b.kind:
        return Value(a.kind, np.where(a.missing(), b.arr, a.arr))
    return Value.str_(np.where(a.missing(), b.as_str(), a.as_str()))


def _aggregate(func: str):
    def impl(ctx, args):
        if len(args) == 1 and isinstance(args[0], Ref):
            agg = ctx.aggregate(args[0].name, func)
            if agg is not None:
                return agg
        vals = _ev(ctx, args)
        if func == "count":
            return Value.num(np.ones(ctx.n) if len(vals) == 1 else np.full(ctx.n, len(vals)))
        stack = np.vstack([v.as_num() for v in vals])
        with np.errstate(invalid="ignore"):
            if func == "sum":
                return Value.num(stack.sum(axis=0))
            return Value.num((stack.min if func == "min" else stack.max)(axis=0))
    return impl


def _f_not(ctx, args):
    (a,) = _ev(ctx, args)
    return Value.bool_(~a.as_bool())


def _f_number(ctx, args):
    (a,) = _ev(ctx, args)
    return Value.num(a.as_num())


def _f_int(ctx, args):
    (a,) = _ev(ctx, args)
    return Value.num(np.trunc(a.as_num()))


def _f_round(ctx, args):
    vals = _ev(ctx, args)
    x = vals[0].as_num()
    d = vals[1].as_num() if len(vals) > 1 else np.zeros(ctx.n)
    f = np.power(10.0, np.nan_to_num(d))
    return Value.num(np.floor(x * f + 0.5) / f)


def _unary_num(fn):
    return lambda ctx, args: Value.num(fn(_ev(ctx, args)[0].as_num()))


def _f_string(ctx, args):
    return Value.str_(_ev(ctx, args)[0].as_str())


def _f_concat(ctx, args):
    parts = [pd.Series(v.as_str(), dtype=object) for v in _ev(ctx, args)]
    out = parts[0]
    for p in parts[1:]:
        out = out + p
    return Value.str_(out.to_numpy(dtype=object))


def _str_pair(method: str):
    def impl(ctx, args):
        a, b = _ev(ctx, args)
        s = pd.Series(a.as_str(), dtype=object)
        if isinstance(args[1], Str):
            r = getattr(s.str, method)(args[1].value, **({"regex": False} if method == "contains" else {}))
            return Value.bool_(r.to_numpy(dtype=bool))
        other = b.as_str()
        op = {"contains": lambda x, y: y in x, "startswith": str.startswith,
              "endswith": str.endswith}[method]
        return Value.bool_(np.array([op(str(x), str(y)) for x, y in zip(s, other, strict=True)],
                                    dtype=bool))
    return impl


def _f_date(ctx, args):
    return Value.date(_ev(ctx, args)[0].as_date())


def _f_boolean(ctx, args):
    return Value.bool_(_ev(ctx, args)[0].as_bool())


def _f_previous(ctx, args):
    if not isinstance(args[0], Ref):
        raise ExpressionError("previous() takes a field reference ${name}")
    return ctx.previous(args[0].name)


#: The supported functions: name → arity (min, max; ``None`` = any number) and implementation.
FUNCTIONS: dict[str, _Func] = {
    "if": _Func((3, 3), _f_if),
    "selected": _Func((2, 2), _f_selected),
    "count-selected": _Func((1, 1), _f_count_selected),
    "string-length": _Func((1, 1), _f_string_length),
    "regex": _Func((2, 2), _f_regex),
    "today": _Func((0, 0), _f_today),
    "coalesce": _Func((2, 2), _f_coalesce),
    "sum": _Func((1, 1), _aggregate("sum")),
    "count": _Func((1, 1), _aggregate("count")),
    "min": _Func((1, None), _aggregate("min")),
    "max": _Func((1, None), _aggregate("max")),
    "not": _Func((1, 1), _f_not),
    "true": _Func((0, 0), lambda ctx, a: _const("bool", True, ctx.n)),
    "false": _Func((0, 0), lambda ctx, a: _const("bool", False, ctx.n)),
    "boolean": _Func((1, 1), _f_boolean),
    "number": _Func((1, 1), _f_number),
    "string": _Func((1, 1), _f_string),
    "int": _Func((1, 1), _f_int),
    "round": _Func((1, 2), _f_round),
    "abs": _Func((1, 1), _unary_num(np.abs)),
    "floor": _Func((1, 1), _unary_num(np.floor)),
    "ceiling": _Func((1, 1), _unary_num(np.ceil)),
    "concat": _Func((1, None), _f_concat),
    "contains": _Func((2, 2), _str_pair("contains")),
    "starts-with": _Func((2, 2), _str_pair("startswith")),
    "ends-with": _Func((2, 2), _str_pair("endswith")),
    "date": _Func((1, 1), _f_date),
    "previous": _Func((1, 1), _f_previous),
}

#: Functions that take a repeat's field and fold it to one value per submission.
AGGREGATES: frozenset[str] = frozenset({"sum", "count", "min", "max"})
#: Functions only validation rules may use (not forms).
RULES_ONLY: frozenset[str] = frozenset({"previous"})
