"""The M&E Excel workbook: export for officials, import back into validated tables.

Workbook layout (one table a sheet, header in row 1, one record a row from row 2):

=============  ======  =================================================================
sheet          import  columns
=============  ======  =================================================================
``framework``  no      indicator_id, level, name_en, name_uk, unit, numerator,
                       denominator, factor, direction, time_aggregation,
                       space_aggregation, target_type, disaggregations, source, frequency
``elements``   no      element_id, name_en, name_uk, unit, source, disaggregations
``targets``    yes     indicator_id, municipality_id, period, sex, age_group, kind, value
``values``     yes     indicator_id (a data element id), municipality_id, period, sex,
                       age_group, value, source
``progress``   no      indicator_id, indicator_name, unit_id, period, sex, age_group,
                       baseline, target, actual, progress, status (cells coloured by status)
=============  ======  =================================================================

Import reads ``values`` and ``targets`` only (the other sheets are for reading), checks every
cell — numbers where numbers belong, known indicator and data-element ids, allowed sex /
age-group / kind, periods, one row per key, cells matching the element's disaggregations — and
then the pandera schemas of the data model. Every problem is reported with its sheet, row
(the spreadsheet's row number), column and value; nothing is written unless the workbook is
clean, and the files are written all or nothing (:func:`socialkit.files.write_outputs`).
Before a cell is read, the workbook's uncompressed size and its sheets' dimensions are checked
(:func:`socialkit.data.excel.check_workbook`), so a "zip bomb" is refused in milliseconds; a
formula cell is refused (its value would be whatever Excel last computed, or nothing).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from ..data.catalog import catalog_text
from ..data.excel import check_workbook
from ..data.loading import check_frame
from ..data.schemas import KEYS, PERIOD_PATTERN
from ..errors import DataValidationError, Problem, SocialkitError
from ..files import atomic_path, text_cell, write_outputs
from ..frameworks.indicators import DISAGGREGATIONS, IndicatorFramework, load_framework
from .progress import STATUS_COLOURS

__all__ = ["IMPORT_SHEETS", "SHEETS", "export_workbook", "import_workbook", "read_workbook"]

#: Sheet name -> table of the data model, for the sheets that are imported.
IMPORT_SHEETS: dict[str, str] = {"values": "indicator_values", "targets": "indicator_targets"}
#: Every sheet of an exported workbook, in order.
SHEETS: tuple[str, ...] = ("framework", "elements", "targets", "values", "progress")
_COLUMNS: dict[str, list[str]] = {
    "indicator_values": ["indicator_id", "municipality_id", "period", "sex", "age_group",
                         "value", "source"],
    "indicator_targets": ["indicator_id", "municipality_id", "period", "sex", "age_group",
                          "kind", "value"],
}
_NUMERIC = {"value"}
_REQUIRED_TEXT = {"indicator_id", "municipality_id", "period", "sex", "age_group", "kind"}
#: Periods each imported sheet accepts (the framework's data are quarterly; targets are set for
#: a year or a quarter). Other ISO periods pass the schema but not these.
_PERIODS: dict[str, tuple[re.Pattern, str]] = {
    "indicator_values": (re.compile(r"^\d{4}Q[1-4]$"),
                         "a quarter such as 2021Q1 (data elements are reported quarterly)"),
    "indicator_targets": (re.compile(r"^\d{4}(Q[1-4])?$"),
                          "a year (2021) or a quarter (2021Q1)"),
}
_SCHEMA_PERIOD = re.compile(PERIOD_PATTERN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_MAX_WIDTH = 60


# -- export -----------------------------------------------------------------------------------
def _framework_frame(framework: IndicatorFramework) -> pd.DataFrame:
    return pd.DataFrame([{
        "indicator_id": i.id, "level": i.level, "name_en": i.name.en, "name_uk": i.name.uk,
        "unit": i.unit, "numerator": i.numerator, "denominator": i.denominator or "",
        "factor": i.factor, "direction": i.direction, "time_aggregation": i.aggregation.time,
        "space_aggregation": i.aggregation.space, "target_type": i.target_type,
        "disaggregations": ", ".join(i.disaggregations), "source": i.source,
        "frequency": i.frequency,
    } for i in framework.indicators])


def _elements_frame(framework: IndicatorFramework) -> pd.DataFrame:
    return pd.DataFrame([{
        "element_id": e.id, "name_en": e.name.en, "name_uk": e.name.uk, "unit": e.unit,
        "source": e.source,
        "disaggregations": ", ".join(framework.element_disaggregations(e.id)),
    } for e in framework.data_elements])


def _cell_value(value: object) -> object:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float | np.floating):
        return None if np.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def _write_sheet(wb: Workbook, name: str, frame: pd.DataFrame, status_col: str | None = None):
    ws = wb.create_sheet(name)
    ws.freeze_panes = "A2"
    columns = [str(c) for c in frame.columns]
    # A streamed sheet is written before its size is known, so openpyxl leaves out the
    # <dimension> element, and readers then scan the whole sheet to size it. We know the size.
    ref = f"A1:{_col_letter(max(len(columns), 1) - 1)}{len(frame) + 1}"
    ws.calculate_dimension = lambda: ref
    widths = [len(c) + 2 for c in columns]
    for k, col in enumerate(frame.columns):
        if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
            longest = frame[col].dropna().astype(str).str.len().max()
            if pd.notna(longest):
                widths[k] = max(widths[k], int(longest) + 2)
        else:
            widths[k] = max(widths[k], 12)
    for k, w in enumerate(widths):
        ws.column_dimensions[_col_letter(k)].width = min(w, _MAX_WIDTH)
    header = []
    for c in columns:
        cell = WriteOnlyCell(ws, value=c)
        cell.data_type = "s"
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center")
        header.append(cell)
    ws.append(header)
    status_idx = columns.index(status_col) if status_col else -1
    fills = {s: PatternFill("solid", fgColor=c.lstrip("#").upper())
             for s, c in STATUS_COLOURS.items()}
    for row in frame.itertuples(index=False, name=None):
        out = [text_cell(ws, _cell_value(v)) for v in row]
        if status_idx >= 0 and out[status_idx] in fills:
            cell = WriteOnlyCell(ws, value=out[status_idx])
            cell.fill = fills[out[status_idx]]
            out[status_idx] = cell
        ws.append(out)


def _col_letter(k: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(k + 1)


def export_workbook(
    values: pd.DataFrame,
    targets: pd.DataFrame,
    path: str | Path,
    framework: IndicatorFramework | None = None,
    progress: pd.DataFrame | None = None,
    lang: str = "en",
) -> Path:
    """Write the M&E workbook (layout in the module docstring) to ``path``, atomically.

    Parameters
    ----------
    values, targets : DataFrame
        ``indicator_values`` and ``indicator_targets``.
    path : path
        The ``.xlsx`` file to write.
    framework : IndicatorFramework, optional
    progress : DataFrame, optional
        Progress to show, already protected (default:
        :func:`socialkit.monitoring.protect.published_progress` of the municipalities); the
        sheet goes through :func:`socialkit.disclosure.publish` either way. The ``values``
        and ``targets`` sheets are the data-entry tables themselves (read back by
        :func:`import_workbook`), not a publication.
    lang : str
        Language of the indicator names in the ``progress`` sheet.

    Returns
    -------
    Path
        ``path``.
    """
    framework = framework or load_framework()
    from ..disclosure import publish
    from .protect import published_progress

    if progress is None:
        progress = published_progress(values, targets, framework)
    elif "suppressed" not in progress:  # not protected yet: at least the primary cells
        from .report import protect_progress

        progress = protect_progress(progress)
    progress = publish(progress, counts=["numerator", "denominator"])
    names = {i.id: i.label(lang) for i in framework.indicators}
    prog = progress.assign(indicator_name=progress["indicator_id"].map(names))[
        ["indicator_id", "indicator_name", "unit_id", "period", "sex", "age_group", "baseline",
         "target", "actual", "progress", "status"]]
    path = Path(path).expanduser()
    wb = Workbook(write_only=True)
    _write_sheet(wb, "framework", _framework_frame(framework))
    _write_sheet(wb, "elements", _elements_frame(framework))
    _write_sheet(wb, "targets", targets[_COLUMNS["indicator_targets"]])
    _write_sheet(wb, "values", values[_COLUMNS["indicator_values"]])
    _write_sheet(wb, "progress", prog, status_col="status")
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


# -- import -----------------------------------------------------------------------------------
def _read_sheet(ws, sheet: str, table: str, source: str,
                problems: list[Problem]) -> pd.DataFrame | None:
    rows = ws.iter_rows()
    header = next(rows, None)
    wanted = _COLUMNS[table]
    if header is None:
        problems.append(Problem(source=source, message="the sheet is empty", row=1,
                                expected="a header row with " + ", ".join(wanted), table=table))
        return None
    header = [None if h.value is None else str(h.value).strip() for h in header]
    missing = [c for c in wanted if c not in header]
    for c in missing:
        problems.append(Problem(source=source, message="required column is missing", row=1,
                                column=c, expected="a header cell named " + repr(c), table=table))
    if missing:
        return None
    pos = {c: header.index(c) for c in wanted}
    records: dict[str, list] = {c: [] for c in wanted}
    index: list[int] = []
    for r, cells in enumerate(rows, start=2):
        row = [getattr(cell, "value", None) for cell in cells]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue
        index.append(r - 2)
        for c in wanted:
            cell = cells[pos[c]] if pos[c] < len(cells) else None
            v = getattr(cell, "value", None)
            if getattr(cell, "data_type", None) == "f":
                problems.append(Problem(source=source, message="a formula, not a value",
                                        row=r, column=c, value=v, table=table,
                                        expected="a value typed in (socialkit does not compute "
                                        "formulas: copy the cells and paste them as values)"))
                v = None
            records[c].append(v)
    frame = pd.DataFrame(records, index=index)
    return _check_cells(frame, table, source, problems)


def _check_cells(frame: pd.DataFrame, table: str, source: str,
                 problems: list[Problem]) -> pd.DataFrame:
    out = {}
    for col in frame.columns:
        raw = frame[col]
        if col in _NUMERIC:
            vals = []
            for idx, v in raw.items():
                if v is None or (isinstance(v, str) and not v.strip()):
                    vals.append(np.nan)
                elif isinstance(v, bool) or not isinstance(v, int | float):
                    problems.append(Problem(source=source, message="not a number", row=idx + 2,
                                            column=col, value=v, expected="a number or an "
                                            "empty cell", table=table))
                    vals.append(np.nan)
                else:
                    vals.append(float(v))
            out[col] = pd.Series(vals, index=frame.index, dtype=float)
        else:
            texts = []
            for idx, v in raw.items():
                if v is None or (isinstance(v, str) and not v.strip()):
                    if col in _REQUIRED_TEXT:
                        problems.append(Problem(source=source, message="empty value",
                                                row=idx + 2, column=col,
                                                expected="a value (empty cells are not "
                                                "allowed here)", table=table))
                    texts.append(None)
                elif isinstance(v, float | int) and not isinstance(v, bool) and col == "period":
                    # a year typed as a number (2021) is accepted as the text '2021'
                    texts.append(str(int(v)) if float(v).is_integer() else str(v))
                else:
                    texts.append(str(v).strip())
            out[col] = pd.Series(texts, index=frame.index, dtype=object)
    return pd.DataFrame(out, index=frame.index)


def _check_ids(frame: pd.DataFrame, table: str, source: str, framework: IndicatorFramework,
               problems: list[Problem]) -> None:
    if table == "indicator_values":
        known, what = set(framework.element_ids()), "a data element id of the framework"
        dims_of = {e: framework.element_disaggregations(e) for e in known}
    else:
        known, what = set(framework.indicator_ids()), "an indicator id of the framework"
        dims_of = {i.id: i.disaggregations for i in framework.indicators}
    period_ok, period_expected = _PERIODS[table]
    for idx, v in frame["period"].items():
        if isinstance(v, str) and _SCHEMA_PERIOD.match(v) and not period_ok.match(v):
            problems.append(Problem(source=source, message="period not allowed in this sheet",
                                    row=idx + 2, column="period", value=v,
                                    expected=period_expected, table=table))
    for idx, v in frame["indicator_id"].items():
        if v is not None and v not in known:
            problems.append(Problem(source=source, message="unknown indicator id", row=idx + 2,
                                    column="indicator_id", value=v,
                                    expected=f"{what} ({', '.join(sorted(known))})",
                                    table=table))
    # cells must match the element's (or indicator's) disaggregations
    for idx, (ind, sex, age) in zip(frame.index, frame[["indicator_id", "sex", "age_group"]]
                                    .itertuples(index=False, name=None), strict=True):
        if ind not in known:
            continue
        dims = dims_of[ind]
        for dim, v in (("sex", sex), ("age_group", age)):
            if v is None or v not in (*DISAGGREGATIONS[dim], "total"):
                continue  # reported by the schema check
            if table == "indicator_values" and (dim in dims) == (v == "total"):
                expected = (f"one of {', '.join(DISAGGREGATIONS[dim])} ('{ind}' is reported "
                            f"by {dim})" if dim in dims else f"'total' ('{ind}' is not "
                            f"disaggregated by {dim})")
                problems.append(Problem(source=source, message="cell does not match the "
                                        "element's disaggregation", row=idx + 2, column=dim,
                                        value=v, expected=expected, table=table))
            elif table == "indicator_targets" and dim not in dims and v != "total":
                problems.append(Problem(source=source, message="target for a disaggregation "
                                        "the indicator does not have", row=idx + 2, column=dim,
                                        value=v, expected=f"'total' ('{ind}' is not "
                                        f"disaggregated by {dim})", table=table))


def _check_duplicates(frame: pd.DataFrame, table: str, source: str,
                      problems: list[Problem]) -> None:
    keys = KEYS[table]
    dup = frame.duplicated(subset=keys, keep=False)
    if not dup.any():
        return
    first = {}
    for idx, key in zip(frame.index[dup], frame.loc[dup, keys].itertuples(index=False, name=None),
                        strict=True):
        if key in first:
            problems.append(Problem(source=source, message=f"duplicate row (same {', '.join(keys)}"
                                    f" as row {first[key] + 2})", row=idx + 2, column=keys[0],
                                    value=" / ".join(map(str, key)),
                                    expected="one row per key", table=table))
        else:
            first[key] = idx


def read_workbook(path: str | Path,
                  framework: IndicatorFramework | None = None) -> dict[str, pd.DataFrame]:
    """Read and validate the ``values`` and ``targets`` sheets of an M&E workbook.

    Returns
    -------
    dict
        ``{"indicator_values": ..., "indicator_targets": ...}`` with the data model's types.

    Raises
    ------
    DataValidationError
        Listing every problem with its sheet, row, column and value.
    """
    framework = framework or load_framework()
    path = Path(path).expanduser()
    if not path.is_file():
        raise SocialkitError(f"{path}: workbook not found")
    check_workbook(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises several types for a non-xlsx file
        raise SocialkitError(f"{path}: cannot open as an Excel workbook (.xlsx): {exc}") from None
    problems: list[Problem] = []
    tables: dict[str, pd.DataFrame] = {}
    try:
        for sheet, table in IMPORT_SHEETS.items():
            source = f"{path.name}, sheet '{sheet}'"
            if sheet not in wb.sheetnames:
                problems.append(Problem(source=f"{path.name}", message=f"sheet '{sheet}' is "
                                        "missing", expected=f"a sheet named '{sheet}' with "
                                        "columns " + ", ".join(_COLUMNS[table]), table=table))
                continue
            frame = _read_sheet(wb[sheet], sheet, table, source, problems)
            if frame is None:
                continue
            _check_ids(frame, table, source, framework, problems)
            _check_duplicates(frame, table, source, problems)
            checked, schema_problems = check_frame(frame, table, source)
            seen = {(p.row, p.column) for p in problems}
            problems.extend(p for p in schema_problems if (p.row, p.column) not in seen
                            and "duplicate" not in p.message)
            tables[table] = checked.reset_index(drop=True)
    finally:
        wb.close()
    if problems:
        problems.sort(key=lambda p: (p.source, p.row or 0, p.column or ""))
        raise DataValidationError(problems, header=f"{len(problems)} problem(s) in workbook "
                                  f"{path}")
    return tables


def import_workbook(path: str | Path, out: str | Path,
                    framework: IndicatorFramework | None = None, force: bool = False
                    ) -> list[Path]:
    """Read a workbook (see :func:`read_workbook`) and write its tables as CSV into ``out``.

    Writes ``indicator_values.csv``, ``indicator_targets.csv`` and an intake ``catalog.yaml``
    listing them. Nothing is written if the workbook has any problem; the files are written
    all or nothing, and never over files socialkit did not write (such as another catalog's
    ``catalog.yaml``) unless ``force`` (:func:`socialkit.files.write_outputs`).
    """
    tables = read_workbook(path, framework)
    files: dict[str, object] = {f"{name}.csv": frame for name, frame in tables.items()}
    files["catalog.yaml"] = catalog_text(
        list(tables), {"title": f"M&E tables imported from {Path(path).name}"})
    written = write_outputs(files, out, command="socialkit monitoring import", force=force)
    return list(written.values())
