"""The strategy cycle's inputs: tables read from a folder of CSV files or a workbook, checked.

A *cycle* is one strategy being written for a municipality or a district. Its folder holds
``strategy.yaml`` (who, where, the period, the language; see :class:`CycleMeta`) and the tables
of :data:`TABLES`, each a CSV file ``<table>.csv`` or a sheet ``<table>`` of a workbook the
working group edits (:func:`read_tables`). Every table is checked with a pandera schema
(:data:`SCHEMAS`), then against the others and the frameworks (:func:`check_cycle`): a code-book
theme that does not exist, an action without a responsible body, an indicator not in the
indicator framework, a comment answered twice, a rating outside the scale. Every problem is
reported with the item, the file (sheet), the row, the column and the rule, and nothing is
written while any remains.

The in-memory model is :class:`Cycle`: the metadata, one DataFrame per table, the code book
and the criteria. ``docs/strategy.md`` says how it maps onto the database (one table each,
keyed by ``cycle_id`` plus the row's id).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors
from pydantic import BaseModel, ConfigDict, Field

from ..errors import DataValidationError, Problem, SocialkitError
from ..findings import UNITS
from ..frameworks import read_yaml, validate_model
from ..frameworks.strategy import Codebook, Criteria, load_codebook, load_criteria

__all__ = ["SCHEMAS", "TABLES", "TRACKING_TABLES", "find_identifiers", "Cycle", "CycleMeta", "check_cycle", "read_cycle",
           "read_tables", "split_list"]

ID = r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$"
QUARTER = r"^\d{4}Q[1-4]$"
PERIOD = r"^\d{4}(Q[1-4]|-\d{2})?$"
DATE = r"^\d{4}-\d{2}-\d{2}$"
_LIST = r"^[A-Za-z0-9_.*;\- -]*$"


def _id(unique: bool = False, nullable: bool = False) -> pa.Column:
    return pa.Column(str, pa.Check.str_matches(ID), unique=unique, nullable=nullable,
                     coerce=True)


def _text(nullable: bool = False) -> pa.Column:
    return pa.Column(str, pa.Check.str_length(1, 2000), nullable=nullable, coerce=True)


def _count() -> pa.Column:
    return pa.Column("Int64", pa.Check.ge(0), coerce=True)


def _choice(*values: str) -> pa.Column:
    return pa.Column(str, pa.Check.isin(list(values)), coerce=True)


def _match(pattern: str, nullable: bool = False) -> pa.Column:
    return pa.Column(str, pa.Check.str_matches(pattern), nullable=nullable, coerce=True)


def _list() -> pa.Column:
    return pa.Column(str, pa.Check.str_matches(_LIST), nullable=True, coerce=True)


#: One pandera schema per table; the columns are the table's (extra columns are refused).
SCHEMAS: dict[str, pa.DataFrameSchema] = {
    # consultation
    "sessions": pa.DataFrameSchema({
        "session_id": _id(unique=True), "kind": _choice("focus_group", "interview"),
        "date": _match(DATE), "place": _text(), "group": _id(), "facilitator": _text(),
        "consent_recorded": _choice("yes", "no"),
        "female": _count(), "male": _count(),
        "age_18_34": _count(), "age_35_59": _count(), "age_60_plus": _count()}, strict=True),
    "attendance": pa.DataFrameSchema({"session_id": _id(), "name": _text()}, strict=True),
    "excerpts": pa.DataFrameSchema({
        "excerpt_id": _id(unique=True), "session_id": _id(), "theme": _id(), "group": _id(),
        "quote": _text()}, strict=True),
    # evidence written by hand (statistics, directorates' reports)
    "evidence_items": pa.DataFrameSchema({
        "item_id": pa.Column(str, pa.Check.str_matches(r"^manual\.[A-Za-z0-9_.-]{1,56}$"),
                             unique=True, coerce=True),
        "area": _id(), "title": _text(), "title_local": _text(),
        "value": pa.Column(float, nullable=True, coerce=True),
        "unit": _choice(*UNITS), "source": _text(), "period": _match(PERIOD)}, strict=True),
    # priorities
    "candidates": pa.DataFrameSchema({
        "problem_id": _id(unique=True), "title": _text(), "title_local": _text(),
        "evidence": _list(), "themes": _list()}, strict=True),
    "ratings": pa.DataFrameSchema({
        "rater": _id(), "problem_id": _id(), "criterion": _id(),
        "score": pa.Column("Int64", coerce=True)},
        strict=True, unique=["rater", "problem_id", "criterion"]),
    # the strategy and its action plan
    "goals": pa.DataFrameSchema({"goal_id": _id(unique=True), "title": _text(),
                                 "title_local": _text()}, strict=True),
    "objectives": pa.DataFrameSchema({"objective_id": _id(unique=True), "goal_id": _id(),
                                      "title": _text(), "title_local": _text()}, strict=True),
    "objective_indicators": pa.DataFrameSchema({
        "objective_id": _id(), "indicator_id": _id(),
        "baseline": pa.Column(float, coerce=True), "baseline_period": _match(PERIOD),
        "target": pa.Column(float, coerce=True), "target_period": _match(PERIOD)},
        strict=True, unique=["objective_id", "indicator_id", "target_period"]),
    "actions": pa.DataFrameSchema({
        "action_id": _id(unique=True), "objective_id": _id(), "title": _text(),
        "title_local": _text(), "responsible": _text(nullable=True),
        "partners": _text(nullable=True),
        "cost": pa.Column(float, pa.Check.ge(0), coerce=True), "funding": _id(),
        "start": _match(QUARTER), "end": _match(QUARTER),
        "evidence": _list(), "themes": _list(), "maturity_actions": _list(),
        "priority": _id(nullable=True)}, strict=True),
    "milestones": pa.DataFrameSchema({
        "milestone_id": _id(unique=True), "action_id": _id(), "title": _text(),
        "title_local": _text(), "due": _match(QUARTER)}, strict=True),
    # public consultation
    "comments": pa.DataFrameSchema({
        "comment_id": _id(unique=True), "date": _match(DATE),
        "author_kind": _choice("resident", "organisation"), "organisation": _text(nullable=True),
        "moderation": _choice("published", "rejected"), "target": _id(), "text": _text()},
        strict=True),
    "answers": pa.DataFrameSchema({
        "comment_id": _id(), "answer": _choice("accepted", "partly", "not"),
        "reason": _text(), "changed": _list()}, strict=True),
    # tracking: the sheets of the workbook the working group edits
    "progress": pa.DataFrameSchema({
        "action_id": _id(unique=True),
        "percent_done": pa.Column(float, pa.Check.in_range(0, 100), coerce=True),
        "status": _choice("not_started", "in_progress", "delayed", "done", "cancelled"),
        "note": _text(nullable=True)}, strict=True),
    "milestone_status": pa.DataFrameSchema({
        "milestone_id": _id(unique=True), "done": _choice("yes", "no"),
        "done_date": _match(DATE, nullable=True)}, strict=True),
    "indicator_actuals": pa.DataFrameSchema({
        "indicator_id": _id(), "period": _match(PERIOD),
        "value": pa.Column(float, coerce=True)}, strict=True, unique=["indicator_id", "period"]),
}

#: The tables of a cycle, in reading order; optional ones may be missing (an empty table).
TABLES: tuple[str, ...] = tuple(t for t in SCHEMAS if t not in (
    "progress", "milestone_status", "indicator_actuals"))
#: The sheets of a progress workbook (:mod:`socialkit.strategy.tracking`).
TRACKING_TABLES: tuple[str, ...] = ("progress", "milestone_status", "indicator_actuals")
OPTIONAL: frozenset[str] = frozenset({"evidence_items", "attendance", "milestones", "comments",
                                      "answers"})


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Period(_Model):
    start: str = Field(pattern=r"^\d{4}$")
    end: str = Field(pattern=r"^\d{4}$")


class CycleMeta(_Model):
    """``strategy.yaml``: one strategy cycle."""

    id: str = Field(pattern=ID)
    country: str = Field(pattern=r"^[A-Z]{2}$")
    lang: str
    level: str = Field(default="municipality", pattern=r"^(municipality|district)$")
    municipalities: tuple[str, ...] = ()
    name: dict[str, str]
    region: dict[str, str] = Field(default_factory=dict)
    catalog: str | None = None
    period: Period
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    data_as_of: str = Field(pattern=DATE)
    synthetic: bool = False
    codebook: str | None = None
    criteria: str | None = None
    bodies: dict[str, dict[str, str]] = Field(default_factory=dict)
    funding: dict[str, dict[str, str]] = Field(default_factory=dict)


@dataclass(frozen=True)
class Cycle:
    """A strategy cycle in memory: metadata, tables, code book, criteria and where it came from."""

    meta: CycleMeta
    tables: Mapping[str, pd.DataFrame]
    codebook: Codebook
    criteria: Criteria
    folder: Path | None = None
    sources: Mapping[str, str] = field(default_factory=dict)

    def __getitem__(self, table: str) -> pd.DataFrame:
        return self.tables[table]

    def source(self, table: str) -> str:
        return self.sources.get(table, f"{table}.csv")

    def catalog_path(self) -> Path | None:
        if not self.meta.catalog:
            return None
        p = Path(self.meta.catalog)
        return p if p.is_absolute() or self.folder is None else (self.folder / p).resolve()

    def with_tables(self, **tables: pd.DataFrame) -> Cycle:
        return replace(self, tables={**self.tables, **tables})


def split_list(value: object) -> list[str]:
    """``"a; b;c"`` → ``["a", "b", "c"]`` (a missing cell is an empty list)."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return []
    return [p.strip() for p in str(value).split(";") if p.strip()]


def _rule(check: str) -> str:
    m = re.match(r"str_matches\('(.*)'\)", check)
    if m:
        return {ID: "an id (letters, digits, '_', '.', '-')", QUARTER: "a quarter such as 2027Q1",
                PERIOD: "a period such as 2026, 2026Q1 or 2026-03", DATE: "a date YYYY-MM-DD",
                _LIST: "ids separated by ';'"}.get(m.group(1), f"text matching {m.group(1)}")
    m = re.match(r"isin\((.*)\)", check)
    if m:
        return "one of " + m.group(1).strip("[]").replace("'", "")
    m = re.match(r"in_range\((.*), (.*)\)", check)
    if m:
        return f"a number from {m.group(1)} to {m.group(2)}"
    m = re.match(r"greater_than_or_equal_to\((.*)\)", check)
    if m:
        return f"a number at least {m.group(1)}"
    if check.startswith("str_length"):
        return "a text of 1 to 2,000 characters"
    if check == "not_nullable":
        return "a value (the cell is empty)"
    if check.startswith(("field_uniqueness", "multiple_fields_uniqueness")):
        return "one row per id"
    if check.startswith(("coerce_dtype", "dtype")):
        return "a " + ("whole number" if "Int" in check else "number" if "float" in check
                       else "text")
    if check == "column_in_dataframe":
        return "the column to be there"
    if check == "column_in_schema":
        return "only the table's columns"
    return check


def check_table(frame: pd.DataFrame, table: str, source: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate one table against :data:`SCHEMAS`; the coerced frame and the problems found."""
    try:
        return SCHEMAS[table].validate(frame, lazy=True), []
    except SchemaErrors as exc:
        cases = exc.failure_cases
    problems = []
    seen = set()
    for case in cases.itertuples(index=False):
        check = str(case.check)
        column = None if pd.isna(case.column) else str(case.column)
        value = case.failure_case
        if check in ("column_in_dataframe", "column_in_schema"):
            column, value = str(value), None
        row = None if case.index is None or pd.isna(case.index) else int(case.index) + 2
        key = (row, column)
        if key in seen:
            continue
        seen.add(key)
        problems.append(Problem(source=source, table=table, row=row, column=column, value=value,
                                message="column missing" if check == "column_in_dataframe" else
                                "column not allowed" if check == "column_in_schema" else
                                "value not allowed", expected=_rule(check)))
    return frame, problems


def _empty(table: str) -> pd.DataFrame:
    cols = SCHEMAS[table].columns
    return pd.DataFrame({c: pd.Series(dtype="Int64" if str(col.dtype) == "Int64" else
                                      "float64" if str(col.dtype) == "float64" else object)
                         for c, col in cols.items()})


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""],
                       encoding="utf-8")


def read_tables(source: str | Path, tables: tuple[str, ...] = TABLES,
                optional: frozenset[str] = OPTIONAL) -> tuple[dict[str, pd.DataFrame],
                                                             dict[str, str]]:
    """Read and check ``tables`` from a folder of CSV files or a workbook's sheets.

    Returns ``(tables, sources)``; raises :class:`~socialkit.errors.DataValidationError` with
    every problem (file or sheet, row, column, rule) when any table is wrong.
    """
    source = Path(source).expanduser()
    problems: list[Problem] = []
    raw: dict[str, pd.DataFrame | None] = {}
    names: dict[str, str] = {}
    if source.is_dir():
        for table in tables:
            path = source / f"{table}.csv"
            names[table] = path.name
            raw[table] = _read_csv(path) if path.is_file() else None
    elif source.suffix.lower() == ".xlsx" and source.is_file():
        from ..data.excel import check_workbook, formula_cells

        check_workbook(source)
        bad = formula_cells(source)
        if bad:
            raise DataValidationError(bad)
        book = pd.read_excel(source, sheet_name=None, dtype=str, keep_default_na=False,
                             na_values=[""], engine="openpyxl")
        for table in tables:
            names[table] = f"{source.name}, sheet '{table}'"
            raw[table] = book.get(table)
    else:
        raise SocialkitError(f"{source}: not found; expected a folder of CSV files or an .xlsx "
                             "workbook")
    out: dict[str, pd.DataFrame] = {}
    for table in tables:
        frame = raw[table]
        if frame is None:
            if table not in optional:
                problems.append(Problem(source=names[table], table=table,
                                        message="table missing",
                                        expected=f"a {'sheet' if not source.is_dir() else 'file'}"
                                        f" '{table}' with columns "
                                        + ", ".join(SCHEMAS[table].columns)))
            out[table] = _empty(table)
            continue
        frame = frame.dropna(how="all").reset_index(drop=True) if len(frame) else frame
        checked, found = check_table(frame, table, names[table])
        problems.extend(found)
        out[table] = checked
    if problems:
        raise DataValidationError(problems, header=f"{len(problems)} problem(s) in {source}")
    return out, names


def read_cycle(folder: str | Path, tables_from: str | Path | None = None) -> Cycle:
    """Read a cycle: ``strategy.yaml`` and its tables (from ``tables_from``, a workbook, if
    given, else the folder's CSV files), then :func:`check_cycle` it."""
    folder = Path(folder).expanduser()
    if not (folder / "strategy.yaml").is_file():
        raise SocialkitError(f"{folder}: no strategy.yaml; expected a strategy cycle folder")
    data, src = read_yaml(folder / "strategy.yaml", "strategy")
    meta = validate_model(CycleMeta, data, src)
    codebook = load_codebook(folder / meta.codebook if meta.codebook else None)
    criteria = load_criteria(folder / meta.criteria if meta.criteria else None)
    tables, sources = read_tables(tables_from or folder)
    cycle = Cycle(meta, tables, codebook, criteria, folder, sources)
    check_cycle(cycle)
    return cycle


def _problem(cycle: Cycle, table: str, idx: int, column: str, item: str, message: str,
             rule: str, value: object = None) -> Problem:
    return Problem(source=cycle.source(table), table=table, row=int(idx) + 2, column=column,
                   value=value, message=f"{item}: {message}", expected=rule)


def check_cycle(cycle: Cycle, evidence_ids: set[str] | None = None,
                maturity_actions: set[str] | None = None,
                indicator_ids: set[str] | None = None) -> None:
    """Check the tables against each other and the frameworks; raise listing every problem.

    Rules: excerpts name a known session, a code-book theme and group; sessions with excerpts
    have consent recorded and as many participants by sex as by age band; ratings are on the
    criteria's scale, for known candidates and criteria; every action has a responsible body,
    a known objective, an evidence item (when ``evidence_ids`` is given, one of them) and a
    start no later than its end; objectives' indicators are in the indicator framework; each
    published comment is answered at most once (and answers name known comments).
    """
    from ..frameworks.indicators import load_framework

    p: list[Problem] = []
    cb, cr = cycle.codebook, cycle.criteria
    themes, groups = set(cb.theme_ids), set(cb.group_ids)
    s, e = cycle["sessions"], cycle["excerpts"]
    sessions = set(s["session_id"])
    with_excerpts = set(e["session_id"])
    for i, r in s.iterrows():
        if r["group"] not in groups:
            p.append(_problem(cycle, "sessions", i, "group", f"session {r.session_id}",
                              "participant group not in the code book",
                              "a group of the code book: " + ", ".join(sorted(groups)),
                              r["group"]))
        if r["consent_recorded"] != "yes" and r["session_id"] in with_excerpts:
            p.append(_problem(cycle, "sessions", i, "consent_recorded", f"session {r.session_id}",
                              "excerpts used without recorded consent", "yes (consent recorded)",
                              r["consent_recorded"]))
        if int(r["female"]) + int(r["male"]) != int(r["age_18_34"]) + int(r["age_35_59"]) \
                + int(r["age_60_plus"]):
            p.append(_problem(cycle, "sessions", i, "age_18_34", f"session {r.session_id}",
                              "participants by age band do not add up to those by sex",
                              "female + male = age_18_34 + age_35_59 + age_60_plus"))
    for table, col in (("excerpts", "session_id"), ("attendance", "session_id")):
        for i, r in cycle[table].iterrows():
            if r[col] not in sessions:
                p.append(_problem(cycle, table, i, col, f"row {i + 2}", "unknown session",
                                  "a session_id of the sessions table", r[col]))
    for i, r in e.iterrows():
        if r["theme"] not in themes:
            p.append(_problem(cycle, "excerpts", i, "theme", f"excerpt {r.excerpt_id}",
                              "theme not in the code book",
                              f"a theme of code book '{cb.id}': " + ", ".join(cb.theme_ids),
                              r["theme"]))
        if r["group"] not in groups:
            p.append(_problem(cycle, "excerpts", i, "group", f"excerpt {r.excerpt_id}",
                              "participant group not in the code book",
                              "a group of the code book", r["group"]))
    p.extend(_check_quotes(cycle))
    # priorities
    cands = set(cycle["candidates"]["problem_id"])
    for i, r in cycle["candidates"].iterrows():
        for theme in split_list(r["themes"]):
            if theme not in themes:
                p.append(_problem(cycle, "candidates", i, "themes", f"problem {r.problem_id}",
                                  "theme not in the code book", "themes of the code book", theme))
        if not split_list(r["evidence"]) and not split_list(r["themes"]):
            p.append(_problem(cycle, "candidates", i, "evidence", f"problem {r.problem_id}",
                              "no evidence item and no theme",
                              "a candidate problem comes from the evidence or the consultation"))
    for i, r in cycle["ratings"].iterrows():
        item = f"rating by {r.rater} of {r.problem_id}"
        if r["problem_id"] not in cands:
            p.append(_problem(cycle, "ratings", i, "problem_id", item, "unknown candidate",
                              "a problem_id of the candidates table", r["problem_id"]))
        if r["criterion"] not in cr.ids:
            p.append(_problem(cycle, "ratings", i, "criterion", item, "unknown criterion",
                              "one of " + ", ".join(cr.ids), r["criterion"]))
        score = r["score"]
        if pd.isna(score) or not cr.scale.min <= int(score) <= cr.scale.max:
            p.append(_problem(cycle, "ratings", i, "score", item, "rating outside the scale",
                              f"a whole number from {cr.scale.min} to {cr.scale.max}",
                              None if pd.isna(score) else int(score)))
    # plan
    goals = set(cycle["goals"]["goal_id"])
    objectives = set(cycle["objectives"]["objective_id"])
    for i, r in cycle["objectives"].iterrows():
        if r["goal_id"] not in goals:
            p.append(_problem(cycle, "objectives", i, "goal_id", f"objective {r.objective_id}",
                              "unknown goal", "a goal_id of the goals table", r["goal_id"]))
    if indicator_ids is None:
        indicator_ids = {x.id for x in load_framework().indicators}
    with_indicator = set()
    for i, r in cycle["objective_indicators"].iterrows():
        item = f"objective {r.objective_id}"
        if r["objective_id"] not in objectives:
            p.append(_problem(cycle, "objective_indicators", i, "objective_id", item,
                              "unknown objective", "an objective_id of the objectives table",
                              r["objective_id"]))
        if r["indicator_id"] not in indicator_ids:
            p.append(_problem(cycle, "objective_indicators", i, "indicator_id", item,
                              "indicator not in the indicator framework",
                              "an indicator of me_indicators.yaml", r["indicator_id"]))
        with_indicator.add(r["objective_id"])
    for i, r in cycle["objectives"].iterrows():
        if r["objective_id"] not in with_indicator:
            p.append(_problem(cycle, "objectives", i, "objective_id", f"objective {r.objective_id}",
                              "no M&E indicator", "at least one row in objective_indicators"))
    actions = set(cycle["actions"]["action_id"])
    for i, r in cycle["actions"].iterrows():
        item = f"action {r.action_id}"
        if pd.isna(r["responsible"]) or not str(r["responsible"]).strip():
            p.append(_problem(cycle, "actions", i, "responsible", item,
                              "no responsible body", "every action names a responsible body"))
        if r["objective_id"] not in objectives:
            p.append(_problem(cycle, "actions", i, "objective_id", item, "unknown objective",
                              "an objective_id of the objectives table", r["objective_id"]))
        if r["start"] > r["end"]:
            p.append(_problem(cycle, "actions", i, "end", item, "ends before it starts",
                              f"a quarter not before {r['start']}", r["end"]))
        ev = split_list(r["evidence"])
        if not ev:
            p.append(_problem(cycle, "actions", i, "evidence", item, "no evidence item",
                              "every action names the evidence item(s) that justify it"))
        elif evidence_ids is not None:
            for x in ev:
                if x not in evidence_ids:
                    p.append(_problem(cycle, "actions", i, "evidence", item,
                                      "evidence item not in the evidence pack",
                                      "an item_id of the evidence pack", x))
        for theme in split_list(r["themes"]):
            if theme not in themes:
                p.append(_problem(cycle, "actions", i, "themes", item,
                                  "theme not in the code book", "themes of the code book", theme))
        for m in split_list(r["maturity_actions"]):
            if maturity_actions is not None and m not in maturity_actions:
                p.append(_problem(cycle, "actions", i, "maturity_actions", item,
                                  "not an action of the digital-maturity framework",
                                  "an action id of maturity.yaml", m))
        if not pd.isna(r["priority"]) and r["priority"] not in cands:
            p.append(_problem(cycle, "actions", i, "priority", item, "unknown priority",
                              "a problem_id of the candidates table", r["priority"]))
    for i, r in cycle["milestones"].iterrows():
        if r["action_id"] not in actions:
            p.append(_problem(cycle, "milestones", i, "action_id", f"milestone {r.milestone_id}",
                              "unknown action", "an action_id of the actions table",
                              r["action_id"]))
    # public consultation
    comments = cycle["comments"].set_index("comment_id")
    targets = goals | objectives | actions | {"general"}
    for i, r in cycle["comments"].iterrows():
        if r["target"] not in targets:
            p.append(_problem(cycle, "comments", i, "target", f"comment {r.comment_id}",
                              "unknown part of the strategy",
                              "a goal, objective or action id, or 'general'", r["target"]))
    first: dict[str, int] = {}
    for i, r in cycle["answers"].iterrows():
        item = f"comment {r.comment_id}"
        cid = r["comment_id"]
        if cid in first:
            p.append(_problem(cycle, "answers", i, "comment_id", item, "answered twice "
                              f"(first answer in row {first[cid] + 2})",
                              "one answer per comment", cid))
            continue
        first[cid] = i
        if cid not in comments.index:
            p.append(_problem(cycle, "answers", i, "comment_id", item, "unknown comment",
                              "a comment_id of the comments table", cid))
        elif comments.at[cid, "moderation"] != "published":
            p.append(_problem(cycle, "answers", i, "comment_id", item,
                              "answer to a comment rejected in moderation",
                              "answers to published comments only", cid))
        for x in split_list(r["changed"]):
            if x not in targets:
                p.append(_problem(cycle, "answers", i, "changed", item,
                                  "unknown part of the strategy",
                                  "goal, objective or action ids", x))
    if p:
        p.sort(key=lambda q: (q.source, q.row or 0, q.column or ""))
        raise DataValidationError(p, header=f"{len(p)} problem(s) in strategy cycle "
                                  f"'{cycle.meta.id}'")


_PHONE = re.compile(r"(?<![\w])\+?\(?\d(?:[\s().-]*\d){6,}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def find_identifiers(quote: str, names: list[str]) -> str | None:
    """What identifies a person in ``quote``: ``"name"``, ``"phone"``, ``"e-mail"`` or None.

    A name matches when any of its words of three or more letters appears as a whole word
    (case-insensitive).

    >>> find_identifiers("Call me on +373 69 123 456", [])
    'phone'
    >>> find_identifiers("Maria said the bus is gone", ["Maria Rusu"])
    'name'
    >>> find_identifiers("The bus comes twice in 2024", ["Ion Rusu"]) is None
    True
    """
    if _EMAIL.search(quote):
        return "e-mail"
    if _PHONE.search(quote):
        return "phone"
    words = {w for n in names for w in re.findall(r"\w{3,}", str(n).casefold())}
    found = set(re.findall(r"\w+", quote.casefold()))
    return "name" if words & found else None


def _check_quotes(cycle: Cycle) -> list[Problem]:
    names = cycle["attendance"].groupby("session_id")["name"].apply(list).to_dict()
    every = [n for v in names.values() for n in v]
    out = []
    for i, r in cycle["excerpts"].iterrows():
        what = find_identifiers(str(r["quote"]), every)
        if what:
            out.append(_problem(cycle, "excerpts", i, "quote", f"excerpt {r.excerpt_id}",
                                f"quote not anonymised (it contains a {what})",
                                "no participant's name, phone number or e-mail address"))
    return out
