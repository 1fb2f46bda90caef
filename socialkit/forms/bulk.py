"""Bulk import: an Excel/CSV file in the form's layout, or an export from KoboToolbox or ODK
Central, validated row by row with the same rules as the entry form, then accepted whole or
refused whole with every problem listed (file, sheet, row, column, value, expected).

Layouts recognised (column by column, so they may be mixed):

* the form's own layout: one column per field, named by the field's ``name``;
* KoboToolbox: group paths ``group/field``; ``_id``, ``_uuid``, ``_submission_time`` and every
  other column starting with ``_`` are metadata; select_multiple is space-separated, and
  Kobo's one-column-per-option ``field/option`` columns are ignored; each repeat is a sheet
  named after the repeat whose ``_parent_index`` refers to the ``_index`` of the main sheet;
* ODK Central CSV: group paths ``group-field``; ``KEY``, ``SubmissionDate``, ``meta-…``,
  ``Submitter…``, ``Attachments…``, ``Status``, ``ReviewState``, ``DeviceID``, ``Edits``,
  ``FormVersion`` are metadata.

Periodic forms (``period_type`` in the settings sheet) need an ``institution_id`` and a
``period`` column (or a single institution/period passed for the whole file); one record per
institution and period.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..data.excel import check_workbook
from ..errors import DataValidationError, Problem
from ..i18n import t, tn
from .model import Form
from .validate import FrameResult, issues_to_problems, validate_frame

__all__ = ["FormImportError", "ImportResult", "Record", "import_file", "import_frame",
           "check_period"]

INSTITUTION, PERIOD = "institution_id", "period"
_ODK_META = {"KEY", "SubmissionDate", "SubmitterID", "SubmitterName", "AttachmentsPresent",
             "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion",
             "instanceID", "PARENT_KEY", "__version__",
             # metadata KoboToolbox adds to forms built in its editor
             "start", "end", "today", "deviceid", "username", "phonenumber", "simserial",
             "subscriberid", "audit"}
_PERIOD = {"quarter": (re.compile(r"^\d{4}Q[1-4]$"), "2024Q1"),
           "year": (re.compile(r"^\d{4}$"), "2024"),
           "month": (re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"), "2024-03")}


@dataclass(frozen=True)
class Record:
    """One validated submission, ready for the store: ``values`` is JSON-ready (empty values
    left out, repeats as lists of mappings); ``source_row`` is its line in the file."""

    form_id: str
    form_version: str
    institution_id: str | None
    period: str | None
    values: dict[str, object]
    source_row: int | None = None


@dataclass
class ImportResult:
    """An accepted file: one :class:`Record` per row, and the validated frames."""

    form: Form
    records: list[Record]
    result: FrameResult = field(repr=False)


class FormImportError(DataValidationError):
    """A file refused whole; ``problems`` lists every problem found."""


def check_period(period: str, period_type: str | None) -> bool:
    """Whether ``period`` is an ISO period of ``period_type`` (``2024Q1``, ``2024``,
    ``2024-03``); any non-empty period when the form has no period type.

    >>> check_period("2024Q2", "quarter"), check_period("2024", "quarter")
    (True, False)
    """
    if period_type is None:
        return bool(period)
    return bool(_PERIOD[period_type][0].match(period))


def _is_meta(column: str) -> bool:
    return (column.startswith("_") or column in _ODK_META or column.startswith("meta/")
            or column.startswith("meta-") or column.startswith("Submitter")
            or column.startswith("Attachments"))


def _column_map(form: Form, columns: list[str], level: str | None, where: str,
                problems: list[Problem], lang: str) -> dict[str, str]:
    """file column → field name, for the fields at ``level`` (top level or a repeat)."""
    lookup: dict[str, str] = {}
    ignore: set[str] = set()
    for f in form.value_fields:
        keys = {f.name, "/".join(f.path), "-".join(f.path)}
        if f.repeat is not None:
            inner = f.path[f.path.index(f.repeat) + 1:]
            keys |= {"/".join(inner), "-".join(inner)}
        for k in keys:
            lookup.setdefault(k, f.name)
        if f.type == "select_multiple":
            for c in f.choices:
                for k in keys:
                    ignore |= {f"{k}/{c.name}", f"{k}-{c.name}"}
    out: dict[str, str] = {}
    seen: dict[str, str] = {}
    for col in columns:
        if col in (INSTITUTION, PERIOD) or col in ignore or _is_meta(col):
            continue
        name = lookup.get(col)
        f = form.by_name.get(name) if name else None
        if f is None or f.repeat != level:
            problems.append(Problem(
                source=where, row=1, column=col,
                message=t("forms.import.unknown_column", lang),
                expected=t("forms.import.expected_column", lang,
                           form=form.form_id)))
            continue
        if name in seen:
            problems.append(Problem(
                source=where, row=1, column=col,
                message=t("forms.import.duplicate_column", lang,
                          other=seen[name])))
            continue
        seen[name] = col
        out[col] = name
    return out


def _read_xlsx(path: Path, problems: list[Problem], lang: str) -> dict[str, pd.DataFrame]:
    """Every sheet of a workbook, in one openpyxl pass that also refuses formula cells
    (socialkit does not compute formulas; a cached value may be stale or missing)."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    check_workbook(path, path.name)     # zip bombs and oversized sheets, in milliseconds
    wb = load_workbook(path, read_only=True, data_only=False)
    out: dict[str, pd.DataFrame] = {}
    try:
        for ws in wb.worksheets:
            rows = ws.iter_rows()
            header = [str(c.value).strip() if c.value is not None else ""
                      for c in next(rows, ())]
            while header and header[-1] == "":
                header.pop()
            width = len(header)
            body: list[list[object]] = []
            for r, row in enumerate(rows, start=2):
                values = []
                for k, cell in enumerate(row[:width]):
                    if getattr(cell, "data_type", None) == "f":
                        problems.append(Problem(
                            source=f"{path.name}, sheet '{ws.title}'", row=r,
                            column=header[k] or get_column_letter(k + 1), value=cell.value,
                            message=t("forms.import.formula", lang)))
                        values.append(None)
                    else:
                        values.append(cell.value)
                if any(v is not None and v != "" for v in values):
                    body.append(values + [None] * (width - len(values)))
                else:
                    body.append([None] * width)
            while body and all(v is None for v in body[-1]):
                body.pop()
            out[ws.title] = pd.DataFrame(body, columns=header, dtype=object)
    finally:
        wb.close()
    return out


def _read(path: Path, problems: list[Problem], lang: str) -> dict[str, pd.DataFrame]:
    try:
        if path.suffix.lower() in (".csv", ".txt"):
            sheets = {"": pd.read_csv(path, dtype=str, keep_default_na=False,
                                      encoding="utf-8-sig")}
        elif path.suffix.lower() in (".xlsx", ".xlsm"):
            sheets = _read_xlsx(path, problems, lang)
        else:
            problems.append(Problem(source=path.name,
                                    message=t("forms.import.file_type", lang),
                                    value=path.suffix, expected=".xlsx, .csv"))
            return {}
    except DataValidationError as err:
        problems.extend(err.problems)
        return {}
    except (OSError, ValueError, UnicodeDecodeError, KeyError) as err:
        problems.append(Problem(source=path.name,
                                message=t("forms.import.unreadable", lang,
                                          reason=type(err).__name__)))
        return {}
    return {name: frame.rename(columns=lambda c: str(c).strip())
            for name, frame in sheets.items()}


def import_file(form: Form, path: str | Path, *, institution_id: str | None = None,
                period: str | None = None, lang: str = "en",
                today: _dt.date | None = None) -> ImportResult:
    """Validate every row of ``path`` (``.xlsx`` or ``.csv``) against ``form``.

    Returns
    -------
    ImportResult
        every row as a :class:`Record`, when the whole file is valid.

    Raises
    ------
    FormImportError
        listing every problem (file, sheet, row, column, value, expected), in ``lang``.
    """
    path = Path(path)
    problems: list[Problem] = []
    sheets = _read(path, problems, lang)
    if problems:
        raise FormImportError(problems, header=tn("forms.import.refused", len(problems),
                                                  lang, file=path.name))
    names = list(sheets)
    main_name = names[0]
    repeats: dict[str, tuple[str, pd.DataFrame]] = {}
    for r in form.repeats:
        for name in names[1:]:
            if name.strip().lower() == r.name.lower():
                repeats[r.name] = (name, sheets[name])
    return import_frame(form, sheets[main_name], source=path.name, sheet=main_name,
                        repeats=repeats, institution_id=institution_id, period=period,
                        lang=lang, today=today)


def import_frame(form: Form, frame: pd.DataFrame, *, source: str = "input", sheet: str = "",
                 repeats: dict[str, tuple[str, pd.DataFrame]] | None = None,
                 institution_id: str | None = None, period: str | None = None,
                 lang: str = "en", today: _dt.date | None = None) -> ImportResult:
    """:func:`import_file` for a frame already read (``repeats``: repeat name → (sheet name,
    frame)); the header is line 1 of the sheet, so the first row is line 2."""
    lg = lang
    problems: list[Problem] = []
    where = f"{source}, sheet '{sheet}'" if sheet else source
    frame = frame.reset_index(drop=True)
    cmap = _column_map(form, [str(c) for c in frame.columns], None, where, problems, lang)
    data = frame[list(cmap)].rename(columns=cmap)
    n = len(frame)
    lines = np.arange(2, n + 2)

    # institution and period
    def key_column(col: str, given: str | None) -> np.ndarray | None:
        if given is not None:
            return np.full(n, given, dtype=object)
        if col in frame.columns:
            return frame[col].astype(object).where(frame[col].notna(), "").astype(str) \
                .str.strip().to_numpy(dtype=object)
        if form.period_type is not None:
            problems.append(Problem(source=where, row=1, column=col,
                                    message=t("forms.import.missing_column", lg, column=col)))
        return None

    inst = key_column(INSTITUTION, institution_id)
    per = key_column(PERIOD, period)
    if form.period_type is not None and inst is not None and per is not None:
        example = _PERIOD[form.period_type][1]
        for i in np.flatnonzero(inst == ""):
            problems.append(Problem(source=where, row=int(lines[i]), column=INSTITUTION,
                                    message=t("forms.import.missing_value", lg)))
        okp = pd.Series(per, dtype=object).str.fullmatch(_PERIOD[form.period_type][0].pattern)
        for i in np.flatnonzero(~okp.to_numpy(dtype=bool)):
            problems.append(Problem(
                source=where, row=int(lines[i]), column=PERIOD,
                message=t("forms.import.bad_period", lg), value=per[i] or None,
                expected=t(f"forms.expected.period_{form.period_type}", lg, example=example)))
        keys = pd.DataFrame({"i": inst, "p": per})
        dup = keys.duplicated(keep=False).to_numpy() & (inst != "") & okp.to_numpy(dtype=bool)
        if dup.any():
            first = keys[dup].groupby(["i", "p"]).head(1).index
            firsts = {(inst[j], per[j]): int(lines[j]) for j in first}
            for i in np.flatnonzero(dup):
                line0 = firsts[(inst[i], per[i])]
                if int(lines[i]) != line0:
                    problems.append(Problem(
                        source=where, row=int(lines[i]), column=f"{INSTITUTION}, {PERIOD}",
                        message=t("forms.import.duplicate_key", lg, row=line0),
                        value=f"{inst[i]} {per[i]}"))

    # repeats: Kobo layout, _parent_index → _index of the main sheet (or the row number)
    rep_frames: dict[str, pd.DataFrame] = {}
    rep_lines: dict[str, tuple[str, np.ndarray]] = {}
    index_of = (pd.to_numeric(frame["_index"], errors="coerce").to_numpy()
                if "_index" in frame.columns else np.arange(1, n + 1))
    pos_of = {int(v): i for i, v in enumerate(index_of) if v == v}
    for rname, (sname, rframe) in (repeats or {}).items():
        rwhere = f"{source}, sheet '{sname}'"
        rframe = rframe.reset_index(drop=True)
        rmap = _column_map(form, [str(c) for c in rframe.columns], rname, rwhere, problems,
                           lang)
        if "_parent_index" not in rframe.columns:
            problems.append(Problem(source=rwhere, row=1, column="_parent_index",
                                    message=t("forms.import.missing_column", lg,
                                              column="_parent_index")))
            continue
        pidx = pd.to_numeric(rframe["_parent_index"], errors="coerce")
        parent = np.array([pos_of.get(int(v), -1) if v == v else -1 for v in pidx])
        for i in np.flatnonzero(parent < 0):
            problems.append(Problem(source=rwhere, row=i + 2, column="_parent_index",
                                    message=t("forms.import.bad_parent", lg),
                                    value=rframe["_parent_index"].iloc[i]))
        keep = parent >= 0
        rf = rframe.loc[keep, list(rmap)].rename(columns=rmap).reset_index(drop=True)
        rf.insert(0, "_parent", parent[keep])
        rep_frames[rname] = rf
        rep_lines[rname] = (rwhere, np.flatnonzero(keep) + 2)

    result = validate_frame(form, data, rep_frames, today)
    if result.issues:
        back = {v: k for k, v in cmap.items()}
        top = [i for i in result.issues if i.instance is None]
        problems += issues_to_problems(form, top, where, {i: int(lines[i]) for i in range(n)},
                                       back, lang)
        for rname, (rwhere, rl) in rep_lines.items():
            ri = [i for i in result.issues
                  if i.instance is not None and form.by_name[i.field].repeat == rname]
            for p in issues_to_problems(form, ri, rwhere, None, None, lang):
                problems.append(p)
            # the line of a repeat problem is its instance's line in the repeat sheet
            for k, issue in enumerate(ri, start=len(problems) - len(ri)):
                old = problems[k]
                problems[k] = Problem(source=old.source, message=old.message,
                                      row=int(rl[issue.instance]),
                                      column=form.by_name[issue.field].name, value=old.value,
                                      expected=old.expected)
    if problems:
        problems.sort(key=lambda p: (p.source, p.row or 0))
        raise FormImportError(problems, header=tn("forms.import.refused", len(problems), lg,
                                                  file=source))
    values = result.records()
    records = [Record(form.form_id, form.version,
                      None if inst is None else (inst[i] or None),
                      None if per is None else (per[i] or None),
                      values[i], int(lines[i])) for i in range(n)]
    return ImportResult(form, records, result)
