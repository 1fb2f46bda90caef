"""Load an XLSForm workbook (``.xlsx``) into a :class:`~socialkit.forms.model.Form`.

Two passes over the workbook:

1. socialkit reads the sheets itself (openpyxl) and checks what it must evaluate: every type is
   one it supports, names are unique, every select's choice list exists, every expression
   (``relevant``, ``constraint``, ``calculation``, ``required``) parses in socialkit's subset
   and refers to existing fields; each problem names the sheet, the row and the column;
2. ``pyxform`` (``get_xlsform`` + ``workbook_to_json``, the converter ODK and KoboToolbox use)
   then checks the rest of the XLSForm rules, and its JSON gives the structure, the labels per
   language and the choice lists.

All problems of pass 1 are reported together; a pyxform error is reported with the file name.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import FrameworkError, Problem
from .expressions import AGGREGATES, RULES_ONLY, Call, ExpressionError, Node, Ref, parse, walk
from .model import META_TYPES, Choice, Field, Form, language_code

__all__ = ["FormDefinitionError", "load_form"]

_SURVEY, _CHOICES, _SETTINGS = "survey", "choices", "settings"
#: Largest uncompressed size of an XLSForm workbook (a form is a few hundred kB).
_MAX_FORM_BYTES = 64 * 2**20
_PERIOD_TYPES = ("quarter", "year", "month")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
_SIMPLE_TYPES = {"integer": "integer", "int": "integer", "decimal": "decimal", "text": "text",
                 "string": "text", "date": "date", "geopoint": "geopoint",
                 "calculate": "calculate", "note": "note"}
_YES = {"yes", "true", "true()", "1"}
_NO = {"", "no", "false", "false()", "0"}
#: Columns whose expressions socialkit evaluates, and columns it refuses outright.
_EXPR_COLUMNS = ("relevant", "constraint", "calculation", "required")
_REFUSED_COLUMNS = {"choice_filter": "cascading choices (choice_filter) are not evaluated by "
                                     "socialkit; use separate questions",
                    "repeat_count": "repeat_count is not evaluated by socialkit",
                    "trigger": "trigger is not evaluated by socialkit"}


class FormDefinitionError(FrameworkError):
    """An XLSForm socialkit cannot load; ``problems`` lists each with sheet, row and column."""

    def __init__(self, source: str, problems: Iterable[Problem]):
        self.problems = list(problems)
        lines = [f"{len(self.problems)} problem(s) in the form {source}:"]
        lines += [f"  - {p}" for p in self.problems]
        Exception.__init__(self, "\n".join(lines))
        self.source, self.key = source, None


@dataclass
class _Row:
    number: int
    cells: dict[str, str]


@dataclass
class _Sheet:
    name: str
    header: list[str]
    rows: list[_Row]

    def letter(self, column: str) -> str:
        from openpyxl.utils import get_column_letter

        return get_column_letter(self.header.index(column) + 1) if column in self.header else "?"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value).strip()


def _read_sheets(data: bytes, source: str) -> dict[str, _Sheet]:
    import zipfile

    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            inflated = sum(max(i.file_size, 0) for i in zf.infolist())
    except (zipfile.BadZipFile, ValueError):
        inflated = 0  # not a zip: openpyxl below says so
    if inflated > _MAX_FORM_BYTES:
        raise FormDefinitionError(source, [Problem(
            source=source, message=f"the workbook inflates to {inflated / 2**20:,.0f} MB",
            expected=f"an XLSForm under {_MAX_FORM_BYTES // 2**20} MB uncompressed")])
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # any unreadable file is the user's to fix
        raise FormDefinitionError(source, [Problem(
            source=source, message=f"not a readable .xlsx workbook ({type(err).__name__})",
            expected="an XLSForm saved as .xlsx")]) from None
    out: dict[str, _Sheet] = {}
    for ws in wb.worksheets:
        rows = ws.iter_rows(values_only=True)
        header = [_cell(v) for v in next(rows, ())]
        body = []
        for number, values in enumerate(rows, start=2):
            cells = {h: _cell(v) for h, v in zip(header, values, strict=False) if h}
            if any(cells.values()):
                body.append(_Row(number, cells))
        out[ws.title.strip().lower()] = _Sheet(ws.title, header, body)
    wb.close()
    return out


def _base_type(raw: str) -> tuple[str, str | None]:
    """(socialkit type, choice list) of a survey ``type`` cell; type ``""`` if unsupported."""
    text = re.sub(r"\s+", " ", raw.strip())
    low = text.lower()
    for prefix, kind in (("select_one ", "select_one"), ("select one ", "select_one"),
                         ("select_multiple ", "select_multiple"),
                         ("select all that apply ", "select_multiple")):
        if low.startswith(prefix):
            rest = text[len(prefix):].strip()
            if " or_other" in rest:
                return "", None
            return kind, rest
    low = low.replace("_", " ")
    if low in ("begin group", "begin repeat", "end group", "end repeat"):
        return low.replace(" ", "_"), None
    low = low.replace(" ", "_")
    if low in _SIMPLE_TYPES:
        return _SIMPLE_TYPES[low], None
    if low in META_TYPES or low.replace("_", "-") in META_TYPES:
        return low, None
    return "", None


def _check(sheets: dict[str, _Sheet], source: str) -> list[Problem]:
    """socialkit's own checks: types, names, choice lists, expressions; sheet/row/column."""
    problems: list[Problem] = []

    def problem(sheet: _Sheet, row: int | None, column: str | None, message: str,
                value: object = None, expected: str | None = None) -> None:
        col = None if column is None else f"{column} ({sheet.letter(column)})"
        problems.append(Problem(source=f"{source}, sheet '{sheet.name}'", table=sheet.name,
                                row=row, column=col, message=message,
                                value=value or None, expected=expected))

    survey = sheets.get(_SURVEY)
    if survey is None:
        return [Problem(source=source, message="the workbook has no 'survey' sheet",
                        expected=f"sheets survey, choices, settings (found {', '.join(sheets)})")]
    for column in ("type", "name"):
        if column not in survey.header:
            problem(survey, 1, None, f"the survey sheet has no '{column}' column",
                    expected="columns type, name, label")
    if problems:
        return problems
    for column, why in _REFUSED_COLUMNS.items():
        for row in survey.rows:
            if row.cells.get(column):
                problem(survey, row.number, column, why, row.cells[column])

    # choice lists
    lists: dict[str, set[str]] = {}
    choices = sheets.get(_CHOICES)
    if choices is not None:
        for column in ("list_name", "name"):
            if column not in choices.header:
                problem(choices, 1, None, f"the choices sheet has no '{column}' column",
                        expected="columns list_name, name, label")
        if "list_name" in choices.header and "name" in choices.header:
            for row in choices.rows:
                ln, nm = row.cells.get("list_name", ""), row.cells.get("name", "")
                if not ln:
                    problem(choices, row.number, "list_name", "the choice has no list name",
                            expected="the list's name")
                    continue
                if not nm:
                    problem(choices, row.number, "name", "the choice has no name",
                            expected="the value stored when it is chosen")
                    continue
                if nm in lists.setdefault(ln, set()):
                    problem(choices, row.number, "name",
                            f"the choice name is used twice in the list '{ln}'", nm,
                            "a name unique within its list")
                lists[ln].add(nm)

    # fields: types, names, nesting
    names: dict[str, int] = {}
    repeat_of: dict[str, str | None] = {}
    stack: list[tuple[str, str, int]] = []  # (kind, name, row)
    for row in survey.rows:
        raw = row.cells.get("type", "")
        name = row.cells.get("name", "")
        if not raw:
            if name:
                problem(survey, row.number, "type", "the row has a name but no type", name,
                        "a question type (integer, text, select_one <list>, …)")
            continue
        kind, list_name = _base_type(raw)
        if not kind:
            problem(survey, row.number, "type", "unknown or unsupported question type", raw,
                    "integer, decimal, text, select_one <list>, select_multiple <list>, date, "
                    "geopoint, calculate, note, begin/end group, begin/end repeat")
            continue
        if kind in ("end_group", "end_repeat"):
            want = kind.split("_")[1]
            if not stack or stack[-1][0] != want:
                problem(survey, row.number, "type", f"'{raw}' closes nothing", raw,
                        f"a matching 'begin {want}' above")
            else:
                stack.pop()
            continue
        if not name:
            problem(survey, row.number, "name", "the row has no name", expected="a field name")
            continue
        if not _NAME.match(name):
            problem(survey, row.number, "name", "the name is not a valid field name", name,
                    "letters, digits, _ . - and a letter or _ first")
        if name in names:
            problem(survey, row.number, "name",
                    f"the name is already used on row {names[name]}", name, "a unique name")
        names.setdefault(name, row.number)
        inner_repeat = next((n for k, n, _ in reversed(stack) if k == "repeat"), None)
        repeat_of[name] = inner_repeat
        if kind == "begin_repeat" and inner_repeat is not None:
            problem(survey, row.number, "type",
                    "a repeat inside a repeat is not supported by socialkit", raw,
                    "one level of repeats")
        if kind in ("begin_group", "begin_repeat"):
            stack.append((kind.split("_")[1], name, row.number))
        if list_name is not None and list_name not in lists:
            problem(survey, row.number, "type",
                    f"the choice list '{list_name}' is not on the choices sheet", raw,
                    "a list_name defined on the choices sheet")
        if kind == "calculate" and not row.cells.get("calculation"):
            problem(survey, row.number, "calculation", "a calculate row needs a calculation",
                    expected="an expression")
    for kind, name, number in stack:
        problem(survey, number, "type", f"'begin {kind}' {name} is never closed",
                f"begin {kind}", f"an 'end {kind}' row below")

    # expressions
    for row in survey.rows:
        name = row.cells.get("name", "")
        kind, _ = _base_type(row.cells.get("type", ""))
        for column in _EXPR_COLUMNS:
            text = row.cells.get(column, "")
            if not text or (column == "required" and text.lower() in _YES | _NO):
                continue
            try:
                node = parse(text)
            except ExpressionError as err:
                problem(survey, row.number, column, err.reason + (
                    f" (at character {err.pos + 1})" if err.pos is not None else ""), text,
                    "an expression in socialkit's subset (docs/forms.md)")
                continue
            for msg in _reference_problems(node, name, names, repeat_of):
                problem(survey, row.number, column, msg, text)
    return problems


def _reference_problems(node: Node, me: str, names: dict[str, int],
                        repeat_of: dict[str, str | None]) -> list[str]:
    out: list[str] = []
    my_repeat = repeat_of.get(me)
    aggregated: set[int] = set()
    for n in walk(node):
        if isinstance(n, Call) and n.name in RULES_ONLY:
            out.append(f"{n.name}() is only available in validation rules")
        if isinstance(n, Call) and n.name in AGGREGATES and len(n.args) == 1 \
                and isinstance(n.args[0], Ref):
            aggregated.add(id(n.args[0]))
    for n in walk(node):
        if not isinstance(n, Ref):
            continue
        if n.name not in names:
            out.append(f"${{{n.name}}} is not a field of this form")
            continue
        target = repeat_of.get(n.name)
        if target is not None and target != my_repeat and id(n) not in aggregated:
            out.append(f"${{{n.name}}} is inside the repeat '{target}'; outside it use "
                       f"sum(), count(), min() or max() of it")
    return out


# ----------------------------------------------------------------------------- pyxform pass

def _texts(value: Any, default_code: str | None) -> dict[str, str]:
    if value is None or value == "":
        return {}
    if isinstance(value, dict):
        return {(default_code or "default") if k == "default" else language_code(k): str(v)
                for k, v in value.items() if v not in (None, "")}
    return {default_code or "default": str(value)}


_PYX_TYPES = {"select one": "select_one", "select all that apply": "select_multiple",
              "int": "integer", "string": "text"}


def _required(text: str) -> Node | None:
    low = text.strip().lower()
    if low in _NO:
        return None
    if low in _YES:
        return parse("true()")
    return parse(text)


def _build_fields(children: list[dict], survey: _Sheet, default_code: str | None,
                  parents: tuple[str, ...] = (), repeat: str | None = None) -> list[Field]:
    rows = {r.cells.get("name"): r for r in survey.rows if r.cells.get("name")}
    out: list[Field] = []
    for child in children:
        name = child.get("name")
        if name == "meta" and child.get("type") == "group" and name not in rows:
            continue  # pyxform's own instanceID group
        row = rows.get(name)
        cells = row.cells if row else {}
        kind = _PYX_TYPES.get(child.get("type", ""), child.get("type", ""))
        bind = child.get("bind", {}) or {}
        raw_kind, _ = _base_type(cells.get("type", kind))
        if raw_kind in META_TYPES:
            kind = raw_kind
        f = Field(
            name=name, type=kind, row=row.number if row else 0, path=(*parents, name),
            repeat=repeat,
            labels=_texts(child.get("label"), default_code),
            hints=_texts(child.get("hint"), default_code),
            list_name=child.get("list_name") or child.get("itemset"),
            choices=tuple(Choice(str(c["name"]), _texts(c.get("label"), default_code))
                          for c in child.get("choices", []) or []),
            required=_required(cells.get("required", "")),
            required_messages=_texts(bind.get("jr:requiredMsg"), default_code),
            constraint=parse(cells["constraint"]) if cells.get("constraint") else None,
            constraint_text=cells.get("constraint") or None,
            constraint_messages=_texts(bind.get("jr:constraintMsg"), default_code),
            relevant=parse(cells["relevant"]) if cells.get("relevant") else None,
            relevant_text=cells.get("relevant") or None,
            calculation=parse(cells["calculation"]) if cells.get("calculation") else None,
            calculation_text=cells.get("calculation") or None,
            default=(str(child["default"]) if child.get("default") not in (None, "") else None),
            parents=parents,
        )
        out.append(f)
        if kind in ("group", "repeat"):
            out.extend(_build_fields(child.get("children", []), survey, default_code,
                                     (*parents, name), name if kind == "repeat" else repeat))
    return out


def _titles(settings: dict[str, str], default_code: str | None) -> dict[str, str]:
    out = {language_code(k.split("::", 1)[1]): v for k, v in settings.items()
           if k.startswith("form_title::")}
    if settings.get("form_title"):
        out.setdefault(default_code or "default", settings["form_title"])
    return out


def _settings(sheets: dict[str, _Sheet]) -> dict[str, str]:
    sheet = sheets.get(_SETTINGS)
    if sheet is None or not sheet.rows:
        return {}
    return {k: v for k, v in sheet.rows[0].cells.items() if v}


def load_form(path: str | Path | bytes, source: str | None = None) -> Form:
    """Load an XLSForm ``.xlsx`` (a path, or its bytes with ``source`` naming it).

    Raises
    ------
    FormDefinitionError
        listing every problem with sheet, row and column.

    Notes
    -----
    socialkit's settings-sheet extensions (docs/forms.md): ``period_type`` (``quarter``,
    ``year`` or ``month``: one record per institution and period), ``sensitive`` (``yes``: the
    records need the domestic-violence right), ``institution_type`` (the kind of institution
    that reports: ``csw``, ``provider``, ``residential``, …).
    """
    if isinstance(path, bytes):
        data, source = path, source or "form.xlsx"
    else:
        p = Path(path)
        source = source or p.name
        try:
            data = p.read_bytes()
        except OSError as err:
            raise FormDefinitionError(source, [Problem(
                source=str(p), message=f"cannot read the file ({err.strerror})")]) from None
    sheets = _read_sheets(data, source)
    problems = _check(sheets, source)
    settings = _settings(sheets)
    sheet = sheets.get(_SETTINGS)
    if sheet is not None:
        def bad(column: str, value: str, expected: str) -> None:
            problems.append(Problem(source=f"{source}, sheet '{sheet.name}'", table=sheet.name,
                                    row=2, column=f"{column} ({sheet.letter(column)})",
                                    message=f"invalid {column}", value=value,
                                    expected=expected))
        if settings.get("period_type", "").lower() not in ("", *_PERIOD_TYPES):
            bad("period_type", settings["period_type"], "quarter, year or month")
        if settings.get("sensitive", "").lower() not in _YES | _NO:
            bad("sensitive", settings["sensitive"], "yes or no")
    if problems:
        raise FormDefinitionError(source, problems)

    from pyxform.errors import PyXFormError
    from pyxform.xls2json import workbook_to_json
    from pyxform.xls2json_backends import get_xlsform

    form_id = settings.get("form_id") or (Path(source).stem if source else "form")
    try:
        warnings: list[str] = []
        js = workbook_to_json(get_xlsform(io.BytesIO(data)), form_name=None,
                              fallback_form_name=form_id, warnings=warnings)
    except PyXFormError as err:
        raise FormDefinitionError(source, [Problem(
            source=source, message=f"pyxform refused the form: {err}",
            expected="a valid XLSForm (https://xlsform.org)")]) from None
    default_code = (language_code(settings["default_language"])
                    if settings.get("default_language") else None)
    fields = _build_fields(js.get("children", []), sheets[_SURVEY], default_code)
    languages = sorted({code for f in fields for code in (*f.labels, *f.constraint_messages)})
    form = Form(
        form_id=str(js.get("id_string") or form_id),
        version=str(settings.get("version", js.get("version", "")) or ""),
        source=source,
        fields=tuple(fields),
        titles=_titles(settings, default_code),
        languages=tuple(languages),
        default_language=default_code,
        period_type=settings.get("period_type", "").lower() or None,
        sensitive=settings.get("sensitive", "").lower() in _YES,
        institution_type=settings.get("institution_type") or None,
        settings=settings,
    )
    from .validate import _type_column, evaluation_order

    survey = sheets[_SURVEY]
    bad_defaults = []
    for f in form.value_fields:
        if f.default is None or f.type == "calculate":
            continue
        _, bad, code, params = _type_column(f, np.array([f.default], dtype=object))
        if bad.any():
            bad_defaults.append(Problem(
                source=f"{source}, sheet '{survey.name}'", table=survey.name, row=f.row,
                column=f"default ({survey.letter('default')})",
                message=f"the default is not a valid {f.type.replace('_', ' ')} value",
                value=f.default,
                expected=", ".join(sorted(f.choice_names)) if f.choices else f"a {f.type}"))
    if bad_defaults:
        raise FormDefinitionError(source, bad_defaults)
    try:
        evaluation_order(form)
    except ExpressionError as err:
        first = form.by_name[err.cycle[0]]
        column = "calculation" if first.calculation is not None else "relevant"
        raise FormDefinitionError(source, [Problem(
            source=f"{source}, sheet '{survey.name}'", table=survey.name, row=first.row,
            column=f"{column} ({survey.letter(column)})", message=err.reason,
            expected="expressions that do not depend on themselves")]) from None
    return form
