"""The registry of professionals: read, check and hold the seven tables in memory.

A registry is read from a folder of CSV files (``institutions.csv``, ``persons.csv``, …, see
:mod:`~socialkit.professionals.schemas`) or from one ``.xlsx`` workbook with a sheet per table.
:func:`check_registry` checks every table against its schema and the rules between them, and
either returns a :class:`Registry` or raises one :class:`~socialkit.errors.DataValidationError`
listing every problem (file, row, column, the rule broken): nothing is partly applied.
:func:`add_participations` imports new participations the same way and returns a new
registry; the old one is unchanged.

The rules checked besides the schemas:

* references: an employment, licence or participation of an unknown person; a session of an
  unknown programme; a participation in an unknown session; a licence renewing an unknown one;
* dates: an end before its start;
* a session of an accredited programme outside the programme's accreditation period, and a
  session of an activity that requires accreditation (or a knowledge test) whose programme
  has none;
* points claimed twice: the same person twice in one session;
* roles and activities that the points rules do not define (in the rule set in force on the
  session's date), and licence types the rules file does not list;
* a personal number whose control digit is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..data.loading import check_frame
from ..errors import DataValidationError, Problem
from ..frameworks.training_points import PointsRules, load_rules, points_table
from .schemas import BOOL_COLUMNS, BOOL_VALUES, DATE_COLUMNS, SCHEMAS, TABLES, jmbg_check_digit

__all__ = ["Registry", "add_participations", "check_registry", "load_registry", "read_tables",
           "stored_registry"]


@dataclass(frozen=True)
class Registry:
    """The registry's tables, checked: dates are ``datetime64``, yes/no columns ``bool``."""

    institutions: pd.DataFrame
    persons: pd.DataFrame
    employments: pd.DataFrame
    licences: pd.DataFrame
    programmes: pd.DataFrame
    sessions: pd.DataFrame
    participations: pd.DataFrame
    #: where each table came from (file names in messages)
    sources: dict[str, str]

    def tables(self) -> dict[str, pd.DataFrame]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "sources"}


def read_tables(path: str | Path) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """The raw tables (all text) of a registry folder or workbook, and their source names."""
    path = Path(path)
    if path.is_dir():
        frames, sources = {}, {}
        missing = [Problem(str(path / f"{t}.csv"), "file not found", expected="a CSV file of "
                           "this name", code="missing_file") for t in TABLES
                   if not (path / f"{t}.csv").is_file()]
        if missing:
            raise DataValidationError(missing)
        for table in TABLES:
            src = path / f"{table}.csv"
            frames[table] = _read_csv(src)
            sources[table] = str(src)
        return frames, sources
    if path.suffix.lower() == ".xlsx" and path.is_file():
        return _read_workbook(path)
    raise DataValidationError([Problem(str(path), "not a registry", expected="a folder of CSV "
                                       "files or an .xlsx workbook with a sheet per table")])


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""],
                           encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataValidationError([Problem(str(path), f"cannot read the CSV file ({exc})",
                                           expected="UTF-8 CSV with a header row")]) from None


def _read_workbook(path: Path) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    from openpyxl import load_workbook

    from ..data.excel import check_workbook, formula_cells

    check_workbook(path)
    formula_cells(path)
    wb = load_workbook(path, read_only=True, data_only=False)
    try:
        missing = [t for t in TABLES if t not in wb.sheetnames]
        if missing:
            raise DataValidationError([Problem(f"{path}", "sheet not found", column=None,
                                               value=t, expected="a sheet per table")
                                       for t in missing])
        frames, sources = {}, {}
        for table in TABLES:
            rows = list(wb[table].iter_rows(values_only=True))
            header = [str(h) for h in rows[0]] if rows else []
            body = [["" if v is None else (v.date().isoformat() if hasattr(v, "date")
                                          else str(v)) for v in r] for r in rows[1:]]
            frame = pd.DataFrame(body, columns=header, dtype=str).replace({"": np.nan})
            frames[table] = frame
            sources[table] = f"{path} [{table}]"
        return frames, sources
    finally:
        wb.close()


def _row(idx) -> int:
    return int(idx) + 2


def _typed(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in DATE_COLUMNS.get(table, ()):
        out[col] = pd.to_datetime(out[col], format="%Y-%m-%d")
    for col in BOOL_COLUMNS.get(table, ()):
        out[col] = out[col].str.lower().map(BOOL_VALUES).astype(bool)
    return out


def _unknown(frame: pd.DataFrame, column: str, known: pd.Series, table: str, source: str,
             what: str, code: str) -> list[Problem]:
    bad = frame[~frame[column].isin(known) & frame[column].notna()]
    return [Problem(source, f"unknown {what}", row=_row(i), column=column, value=v, table=table,
                    expected=f"an id of {what} listed in the registry", code=code)
            for i, v in bad[column].items()]


def _order(frame: pd.DataFrame, start: str, end: str, table: str, source: str) -> list[Problem]:
    bad = frame[frame[end].notna() & (frame[end] < frame[start])]
    return [Problem(source, f"{end} is before {start}", row=_row(i), column=end,
                    value=r[end].date().isoformat(), table=table,
                    expected=f"a date on or after {r[start].date().isoformat()}",
                    code="end_before_start") for i, r in bad.iterrows()]


def _check_rules(t: dict[str, pd.DataFrame], s: dict[str, str], rules: PointsRules
                 ) -> list[Problem]:
    problems: list[Problem] = []
    lic = t["licences"]
    bad = lic[~lic["licence_type"].isin(rules.licence_types)]
    problems += [Problem(s["licences"], "licence type not in the rules file", row=_row(i),
                         column="licence_type", value=v, table="licences",
                         expected="one of " + ", ".join(rules.licence_types),
                         code="licence_type") for i, v in bad["licence_type"].items()]
    table = points_table(rules)
    prog = t["programmes"]
    known = set(table["activity"])
    bad = prog[~prog["activity"].isin(known)]
    problems += [Problem(s["programmes"], "activity not in the points rules", row=_row(i),
                         column="activity", value=v, table="programmes",
                         expected="one of " + ", ".join(sorted(known)), code="activity")
                 for i, v in bad["activity"].items()]
    # accreditation: a session of an accredited programme lies in its accreditation period
    acc = prog[prog["accredited"]]
    no_period = acc[acc["accredited_from"].isna() | acc["accreditation_number"].isna()]
    for i, r in no_period.iterrows():
        col = "accreditation_number" if pd.isna(r["accreditation_number"]) else "accredited_from"
        problems.append(Problem(s["programmes"], "accredited programme without its "
                                "accreditation number or period", row=_row(i), column=col,
                                table="programmes", expected="the number and first day of the "
                                "accreditation", code="accreditation_missing"))
    sess = t["sessions"].reset_index(names="_i").merge(
        prog[["programme_id", "activity", "accredited", "accredited_from", "accredited_to",
              "knowledge_test"]], on="programme_id", how="inner")
    outside = sess[sess["accredited"] & sess["accredited_from"].notna() & (
        (sess["date"] < sess["accredited_from"])
        | (sess["accredited_to"].notna() & (sess["date"] > sess["accredited_to"])))]
    for _, r in outside.iterrows():
        end = r["accredited_to"].date().isoformat() if pd.notna(r["accredited_to"]) else "…"
        problems.append(Problem(
            s["sessions"], f"session outside the accreditation period of programme "
            f"'{r['programme_id']}'", row=_row(r["_i"]), column="date",
            value=r["date"].date().isoformat(), table="sessions",
            expected=f"a date from {r['accredited_from'].date().isoformat()} to {end}",
            code="outside_accreditation"))
    # the rule set in force on each session's date, and what its activity requires
    blocks = table.drop_duplicates("rule_set")[["rule_set", "valid_from", "valid_to"]]
    sess = sess.assign(rule_set=_rule_set_of(sess["date"], blocks))
    for _, r in sess[sess["rule_set"].isna()].iterrows():
        problems.append(Problem(s["sessions"], "no points rule set is in force on this date",
                                row=_row(r["_i"]), column="date",
                                value=r["date"].date().isoformat(), table="sessions",
                                expected="a date covered by a rule set of the rules file",
                                code="no_rule_set"))
    req = table.drop_duplicates(["rule_set", "activity"])[
        ["rule_set", "activity", "requires_accreditation", "requires_knowledge_test"]]
    sess = sess.merge(req, on=["rule_set", "activity"], how="left")
    for _, r in sess[sess["requires_accreditation"].fillna(False).astype(bool)
                     & ~sess["accredited"]].iterrows():
        problems.append(Problem(s["sessions"], f"activity '{r['activity']}' requires an "
                                f"accredited programme; programme '{r['programme_id']}' is not",
                                row=_row(r["_i"]), column="programme_id",
                                value=r["programme_id"], table="sessions",
                                expected="a session of an accredited programme",
                                code="requires_accreditation"))
    for _, r in sess[sess["requires_knowledge_test"].fillna(False).astype(bool)
                     & ~sess["knowledge_test"]].iterrows():
        problems.append(Problem(s["sessions"], f"activity '{r['activity']}' requires a "
                                f"knowledge test; programme '{r['programme_id']}' has none",
                                row=_row(r["_i"]), column="programme_id",
                                value=r["programme_id"], table="sessions",
                                expected="a programme with a knowledge test",
                                code="requires_test"))
    # roles: defined for the activity in the rule set in force on the session's date
    part = t["participations"].reset_index(names="_i").merge(
        sess[["session_id", "rule_set", "activity"]], on="session_id", how="inner")
    part = part[part["rule_set"].notna()]
    ok = part.merge(table[["rule_set", "activity", "role"]], how="left", indicator=True,
                    on=["rule_set", "activity", "role"])
    for _, r in ok[ok["_merge"] == "left_only"].iterrows():
        roles = table.loc[(table["rule_set"] == r["rule_set"])
                          & (table["activity"] == r["activity"]), "role"].tolist()
        problems.append(Problem(s["participations"], f"role not in the points rules for "
                                f"activity '{r['activity']}' (rule set '{r['rule_set']}')",
                                row=_row(r["_i"]), column="role", value=r["role"],
                                table="participations",
                                expected="one of " + (", ".join(roles) or "(none)"),
                                code="unknown_role"))
    return problems


def _rule_set_of(dates: pd.Series, blocks: pd.DataFrame) -> pd.Series:
    """The id of the rule set in force on each date (NaN where none is)."""
    blocks = blocks.sort_values("valid_from").reset_index(drop=True)
    d = dates.to_numpy("datetime64[ns]")
    pos = np.searchsorted(blocks["valid_from"].to_numpy("datetime64[ns]"), d, side="right") - 1
    ids = blocks["rule_set"].to_numpy(object)
    ends = blocks["valid_to"].to_numpy("datetime64[ns]")
    ok = pos >= 0
    safe = np.where(ok, pos, 0)
    ok &= np.isnat(ends[safe]) | (d <= ends[safe])
    return pd.Series(np.where(ok, ids[safe], None), index=dates.index, dtype=object)


def _check_links(t: dict[str, pd.DataFrame], s: dict[str, str]) -> list[Problem]:
    p: list[Problem] = []
    persons = t["persons"]["person_id"]
    p += _unknown(t["employments"], "person_id", persons, "employments", s["employments"],
                  "person", "unknown_person")
    p += _unknown(t["employments"], "institution_id", t["institutions"]["institution_id"],
                  "employments", s["employments"], "institution", "unknown_institution")
    p += _unknown(t["licences"], "person_id", persons, "licences", s["licences"], "person",
                  "unknown_person")
    p += _unknown(t["licences"], "renews", t["licences"]["licence_id"], "licences",
                  s["licences"], "licence", "unknown_licence")
    p += _unknown(t["sessions"], "programme_id", t["programmes"]["programme_id"], "sessions",
                  s["sessions"], "programme", "unknown_programme")
    p += _unknown(t["participations"], "person_id", persons, "participations",
                  s["participations"], "person", "unknown_person")
    p += _unknown(t["participations"], "session_id", t["sessions"]["session_id"],
                  "participations", s["participations"], "session", "unknown_session")
    part = t["participations"]
    twice = part[part.duplicated(["person_id", "session_id"], keep="first")]
    for i, r in twice.iterrows():
        first = part.index[(part["person_id"] == r["person_id"])
                           & (part["session_id"] == r["session_id"])][0]
        p.append(Problem(s["participations"], f"points claimed twice for one session (first "
                         f"claimed on row {_row(first)})", row=_row(i), column="session_id",
                         value=r["session_id"], table="participations",
                         expected="one participation per person and session",
                         code="claimed_twice"))
    p += _order(t["employments"], "start", "end", "employments", s["employments"])
    p += _order(t["licences"], "valid_from", "valid_to", "licences", s["licences"])
    p += _order(t["programmes"], "accredited_from", "accredited_to", "programmes",
                s["programmes"])
    pn = t["persons"]["personal_number"].astype(str)
    bad = pn[pn.str.fullmatch(r"\d{13}") & (pn.str[12].astype(int, errors="ignore")
                                            != pn.str[:12].map(_check_digit_or_none))]
    p += [Problem(s["persons"], "personal number: wrong control digit", row=_row(i),
                  column="personal_number", table="persons",
                  expected="13 digits whose last is the control digit of the first 12",
                  code="control_digit") for i in bad.index]
    return p


def _check_digit_or_none(first12: str) -> int | None:
    return jmbg_check_digit(first12) if first12.isdigit() and len(first12) == 12 else None


def check_registry(raw: dict[str, pd.DataFrame], sources: dict[str, str] | None = None,
                   rules: PointsRules | None = None) -> Registry:
    """Check the raw tables (as read) and return the :class:`Registry`.

    Raises
    ------
    DataValidationError
        Listing every problem found, each with its file, row, column and the rule broken.
    """
    rules = rules or load_rules()
    sources = {t: (sources or {}).get(t, t) for t in TABLES}
    checked: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for table in TABLES:
        frame = raw.get(table)
        if frame is None:
            problems.append(Problem(sources[table], "table is missing", table=table,
                                    code="missing_table"))
            continue
        out, found = check_frame(frame.reset_index(drop=True), table, sources[table],
                                 schema=SCHEMAS[table])
        problems += found
        checked[table] = out
    if problems:
        raise DataValidationError(problems)
    typed = {t: _typed(t, f) for t, f in checked.items()}
    problems = _check_links(typed, sources)
    problems += _check_rules(typed, sources, rules)
    if problems:
        problems.sort(key=lambda p: (p.source, p.row or 0, p.column or ""))
        raise DataValidationError(problems)
    return Registry(**typed, sources=sources)


def load_registry(path: str | Path, rules: PointsRules | None = None) -> Registry:
    """:func:`read_tables` then :func:`check_registry`."""
    raw, sources = read_tables(path)
    return check_registry(raw, sources, rules)


def stored_registry(raw: dict[str, pd.DataFrame], sources: dict[str, str] | None = None
                    ) -> Registry:
    """A :class:`Registry` of tables read from the store (text, as from files), typed but not
    checked again: they were checked by :func:`check_registry` when they were saved, and the
    database keeps their keys and links. A reader without the right to a person's personal
    number or e-mail gets tables without those columns; they are then empty here."""
    tables = {}
    for table in TABLES:
        frame = raw[table].copy()
        for col in SCHEMAS[table].columns:
            if col not in frame:
                frame[col] = pd.Series(pd.NA, index=frame.index, dtype=object)
        special = {*DATE_COLUMNS.get(table, ()), *BOOL_COLUMNS.get(table, ()), "hours"}
        for col in frame.columns:
            if col not in special:  # text as read from a file (missing stays missing)
                frame[col] = frame[col].astype("str")
        if table == "programmes":
            frame["hours"] = pd.to_numeric(frame["hours"]).astype(float)
        tables[table] = _typed(table, frame)
    return Registry(**tables, sources={t: (sources or {}).get(t, f"store:{t}") for t in TABLES})


def _raw(registry: Registry, table: str) -> pd.DataFrame:
    """A table back as text, as it would be read from a file."""
    out = getattr(registry, table).copy()
    for col in DATE_COLUMNS.get(table, ()):
        out[col] = out[col].dt.strftime("%Y-%m-%d")
    for col in BOOL_COLUMNS.get(table, ()):
        out[col] = out[col].map({True: "true", False: "false"})
    return out


def add_participations(registry: Registry, new: pd.DataFrame, source: str = "participations",
                       rules: PointsRules | None = None) -> Registry:
    """Import new participations (all or nothing) and return the new registry.

    Every row of ``new`` is checked with the registry's rules; rows are numbered as lines of
    the file ``source`` (header = line 1). On any problem nothing is added.
    """
    existing = _raw(registry, "participations")
    frame = new.reset_index(drop=True)
    raw = {t: _raw(registry, t) for t in TABLES}
    combined = pd.concat([frame, existing], ignore_index=True)
    raw["participations"] = combined
    sources = dict(registry.sources)
    sources["participations"] = source
    keys = existing["person_id"].astype(str) + "\x1f" + existing["session_id"].astype(str)
    claimed = (frame.get("person_id", pd.Series(dtype=str)).astype(str) + "\x1f"
               + frame.get("session_id", pd.Series(dtype=str)).astype(str)).isin(set(keys))
    prior = [Problem(source, "points claimed twice for one session (already in the registry)",
                     row=_row(i), column="session_id", value=frame.at[i, "session_id"],
                     table="participations", expected="one participation per person and "
                     "session", code="claimed_twice") for i in frame.index[claimed]]
    try:
        checked = check_registry(raw, sources, rules)
    except DataValidationError as exc:
        # only the new file's rows are the importer's to fix (new rows come first, so their
        # numbers are the file's lines)
        mine = [p for p in exc.problems if p.source != source or p.row is None
                or p.row - 2 < len(frame)]
        raise DataValidationError(prior + mine if prior or mine else exc.problems) from None
    if prior:
        raise DataValidationError(prior)
    parts = checked.participations
    order = pd.concat([parts.iloc[len(frame):], parts.iloc[:len(frame)]], ignore_index=True)
    return replace(checked, participations=order, sources=registry.sources)
