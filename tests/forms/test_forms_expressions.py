"""socialkit's XLSForm expression subset: what parses, what is refused, what it evaluates to."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from socialkit.forms.expressions import (
    ExpressionError,
    SimpleContext,
    Value,
    evaluate,
    parse,
    references,
)


def ev(text, today=dt.date(2024, 6, 30), current=None, **env):
    """Evaluate over columns: every keyword is a list (one value per row)."""
    n = len(next(iter(env.values()))) if env else (len(current) if current else 1)
    values = {}
    for k, v in env.items():
        if all(isinstance(x, (int, float)) or x is None for x in v):
            values[k] = Value.num([np.nan if x is None else x for x in v])
        else:
            values[k] = Value.str_(["" if x is None else x for x in v])
    cur = None
    if current is not None:
        cur = (Value.num(current) if all(isinstance(x, (int, float)) for x in current)
               else Value.str_(current))
    return evaluate(parse(text), SimpleContext(values, n, cur, today))


@pytest.mark.parametrize("text", [
    "${a} + 1", ". >= 0 and . <= 120", "not(${a} = 'yes') or ${b} != 2",
    "if(${a} > 0, ${b} div ${a}, 0)", "selected(${s}, 'x')", "count-selected(${s}) >= 2",
    "string-length(.) < 10", "regex(., '^[0-9]+$')", ". <= today()", "coalesce(${a}, 0)",
    "sum(${r})", "-${a} mod 3", "concat(${a}, '-', ${b})", "round(${a} div 3, 2)",
    "date('2024-01-01') < today()", "max(${a}, ${b}, 3)",
])
def test_the_subset_parses(text):
    parse(text)


@pytest.mark.parametrize("text, fragment", [
    ("/data/a > 1", "path"),
    ("${a}[1] > 0", "predicate"),
    ("${a} | ${b}", "union"),
    ("pulldata('x', 'y', 'z', 'w')", "pulldata() is not supported"),
    ("a > 1", "bare name"),
    ("../a > 1", "parent"),
    ("if(${a} > 0, 1)", "takes 3 argument"),
    ("${a} >", "unexpected"),
    ("(${a} + 1", "expected ')'"),
    ("", "empty"),
    ("$a + 1", "not written ${name}"),
    ("${a} ; 1", "character ';'"),
])
def test_outside_the_subset_is_refused(text, fragment):
    with pytest.raises(ExpressionError) as err:
        parse(text)
    assert fragment in str(err.value)


def test_references():
    assert references(parse("if(${a} > ${b}, sum(${c}), .)")) == {"a", "b", "c"}


def test_empty_values_compare_false_as_in_odk():
    # an empty number is NaN: every numeric comparison is false, != is true
    out = ev("${a} > 3", a=[5, None, 1]).as_bool().tolist()
    assert out == [True, False, False]
    assert ev("${a} != 3", a=[None]).as_bool().tolist() == [True]
    assert ev("${a} = ''", a=["", "x"]).as_bool().tolist() == [True, False]


def test_arithmetic_and_precedence():
    assert ev("1 + 2 * 3 - 4 div 2").as_num().tolist() == [5.0]
    assert ev("7 mod 3 + -2").as_num().tolist() == [-1.0]
    assert ev("${a} div ${b}", a=[1, 0], b=[0, 0]).as_num().tolist()[0] == np.inf
    assert np.isnan(ev("${a} div ${b}", a=[0], b=[0]).as_num()[0])
    assert ev("1 < 2 and 2 < 1 or 3 = 3").as_bool().tolist() == [True]


def test_strings_compare_as_strings_unless_a_number_is_involved():
    assert ev("${a} = 'yes'", a=["yes", "no"]).as_bool().tolist() == [True, False]
    assert ev("${a} = 10", a=["10", "10.0"]).as_bool().tolist() == [True, True]


def test_selected_and_count_selected():
    s = ["a b", "b", "", "ab"]
    assert ev("selected(${s}, 'a')", s=s).as_bool().tolist() == [True, False, False, False]
    assert ev("count-selected(${s})", s=s).as_num().tolist() == [2, 1, 0, 1]


def test_string_functions():
    assert ev("string-length(${t})", t=["abc", ""]).as_num().tolist() == [3, 0]
    assert ev("regex(${t}, '^[0-9]{3}$')", t=["123", "12a"]).as_bool().tolist() == [True, False]
    assert ev("contains(${t}, 'b')", t=["abc", "x"]).as_bool().tolist() == [True, False]
    assert ev("starts-with(${t}, 'a')", t=["abc", "x"]).as_bool().tolist() == [True, False]
    assert ev("concat(${t}, '!')", t=["a", ""]).as_str().tolist() == ["a!", "!"]


def test_if_coalesce_and_numbers():
    assert ev("if(${a} > 1, 'big', 'small')", a=[2, 0]).as_str().tolist() == ["big", "small"]
    assert ev("coalesce(${a}, 7)", a=[None, 3]).as_num().tolist() == [7, 3]
    assert ev("round(${a}, 1)", a=[2.25]).as_num().tolist() == [2.3]
    assert ev("int(${a})", a=[-2.7]).as_num().tolist() == [-2]
    assert ev("number('x')").as_num().tolist()[0] != ev("number('x')").as_num().tolist()[0]


def test_dates_compare_as_dates_and_today_is_the_given_day():
    d = Value.date(np.array(["2024-06-30", "2024-07-01", "NaT"], dtype="datetime64[D]"))
    ctx = SimpleContext({"d": d}, 3, today=dt.date(2024, 6, 30))
    assert evaluate(parse("${d} <= today()"), ctx).as_bool().tolist() == [True, False, False]
    assert evaluate(parse("${d} > '2024-06-01'"), ctx).as_bool().tolist() == [True, True, False]
    assert evaluate(parse("${d} = '2024-07-01'"), ctx).as_bool().tolist() == [False, True, False]
    # ISO strings that are not dates compare as numbers (XPath 1.0): never true
    assert ev("${s} > '2024-06-01'", s=["2024-06-30"]).as_bool().tolist() == [False]


def test_current_value():
    assert ev(". >= 0 and . <= 120", current=[0, 121, -1]).as_bool().tolist() == [
        True, False, False]


def test_evaluation_never_uses_python_eval():
    # a string that would run code under eval() is just a string literal here
    assert ev("'__import__(\"os\").system(\"true\")' = 'x'").as_bool().tolist() == [False]
    with pytest.raises(ExpressionError):
        parse("__import__('os')")
