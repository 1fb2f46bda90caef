"""Read a region-year (a folder of CSV files or a workbook) and check it, all or nothing.

:func:`read_contracting` collects every problem in one pass — each schema check of
:mod:`~socialkit.contracting.schemas`, every reference to an unknown id and the rules of the
procedure below — and raises one :class:`~socialkit.errors.DataValidationError` naming the
file, row, column and rule of each; nothing is returned (or written by a command) on failure.

Rules (besides types, ranges and unknown ids):

* the award criteria of a competition weighted by ``weights`` carry weights adding up to 100 %;
  one weighted by ``order`` carries the order of importance 1, 2, … n, each once;
* a competition's ``scale_max`` is above its ``scale_min`` and every score lies within them;
* an evaluator scores only after declaring no conflict of interest for that competition
  (a declaration with ``no_conflict`` true); only quality award criteria are scored by
  evaluators (price is scored by formula);
* an application is submitted by the competition's deadline (a deadline given as a date means
  the end of that day);
* the payments of a contract, in date order, never add up to more than the contract value;
* an application's lot belongs to its competition; an award's application applied for its lot.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import DataValidationError, Problem
from .model import ContractingData, empty_table
from .schemas import SCHEMAS, TABLES

__all__ = ["REQUIRED", "check_contracting", "coerce_contracting", "read_contracting"]

#: Tables a region-year must have; the others may be missing (an early stage of the process).
REQUIRED: tuple[str, ...] = ("customers", "ngos", "orders", "competitions", "lots", "criteria")

_BOOL = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


def _bools(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    out = frame.copy()
    for col, spec in SCHEMAS[table].columns.items():
        if str(spec.dtype) == "bool" and col in out:
            out[col] = out[col].map(lambda v: _BOOL.get(str(v).strip().lower(), v)
                                    if isinstance(v, str) else v)
    return out


def _read_tables(path: Path) -> tuple[dict[str, pd.DataFrame], dict[str, str], list[Problem]]:
    frames: dict[str, pd.DataFrame] = {}
    sources: dict[str, str] = {}
    problems: list[Problem] = []
    if path.is_dir():
        for name in TABLES:
            file = path / f"{name}.csv"
            sources[name] = str(file)
            if file.is_file():
                try:
                    frames[name] = pd.read_csv(file, dtype=str, keep_default_na=False,
                                               na_values=[""], encoding="utf-8-sig")
                except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
                    problems.append(Problem(
                        source=str(file), message=f"cannot be read: {exc}", table=name,
                        expected="a UTF-8 CSV file with a header row", code="unreadable",
                        params={"error": str(exc)}, expected_code="well_formed"))
    elif path.is_file() and path.suffix.lower() == ".xlsx":
        try:
            sheets = pd.read_excel(path, sheet_name=None, dtype=str)
        except Exception as exc:  # a damaged or non-Excel file
            raise DataValidationError([Problem(
                source=str(path), message=f"cannot be read: {exc}", expected="an .xlsx workbook",
                code="unreadable", params={"error": str(exc)}, expected_code="xlsx_file")]
            ) from None
        for name in TABLES:
            sources[name] = f"{path}[{name}]"
            if name in sheets:
                frames[name] = sheets[name]
    else:
        raise DataValidationError([Problem(
            source=str(path), message="not a folder of CSV files or an .xlsx workbook",
            expected="a folder with customers.csv, ngos.csv, … or a workbook",
            code="contracting.problem.not_region_year",
            expected_code="contracting.expected.region_year")])
    for name in REQUIRED:
        if name not in frames and not any(p.table == name for p in problems):
            problems.append(Problem(source=sources[name], message="required table is missing",
                                    table=name, expected=f"a table '{name}'",
                                    code="contracting.problem.table_missing",
                                    expected_code="contracting.expected.table",
                                    expected_params={"table": name}))
    return frames, sources, problems


def _check_frame(frame: pd.DataFrame, table: str, source: str
                 ) -> tuple[pd.DataFrame, list[Problem]]:
    """The suite's pandera check (:func:`socialkit.data.loading.check_frame`): every problem
    with its row, column, value and what was expected, in words and as message codes."""
    from ..data.loading import check_frame

    checked, problems = check_frame(_bools(frame, table), table, source, schema=SCHEMAS[table])
    return (checked if not problems else frame), problems


def _rows(frame: pd.DataFrame, mask) -> list[int]:
    return [int(i) + 2 for i in frame.index[mask]]


class _Checker:
    def __init__(self, data: ContractingData):
        self.d = data
        self.problems: list[Problem] = []

    def add(self, table: str, row: int | None, column: str | None, message: str,
            value: object = None, expected: str | None = None, *, code: str,
            expected_code: str | None = None, **params: object) -> None:
        """One problem; ``code`` and ``expected_code`` name its messages (``contracting.problem.*``
        and ``contracting.expected.*``, or a ``core`` code), ``params`` fill both."""
        self.problems.append(Problem(source=self.d.source(table), message=message, row=row,
                                     column=column, value=value, expected=expected,
                                     table=table, code=code, params=params,
                                     expected_code=expected_code, expected_params=params))

    def ref(self, table: str, column: str, target: str, target_column: str) -> None:
        frame = getattr(self.d, table)
        col = frame[column]
        bad = col.notna() & ~col.isin(getattr(self.d, target)[target_column])
        for i, v in col[bad].items():
            self.add(table, int(i) + 2, column, f"unknown id (rule: must be a "
                     f"{target_column} of {target})", v, f"one of the ids in {target}",
                     code="contracting.problem.unknown_id",
                     expected_code="contracting.expected.id_of", id_column=target_column,
                     id_table=target)


def _deadline(value: str) -> pd.Timestamp:
    ts = pd.Timestamp(value)
    return ts + pd.Timedelta(days=1) - pd.Timedelta(seconds=1) if len(value) == 10 else ts


def _check_rules(data: ContractingData) -> list[Problem]:
    c = _Checker(data)
    for table, col, target, tcol in (
        ("orders", "customer_id", "customers", "customer_id"),
        ("competitions", "customer_id", "customers", "customer_id"),
        ("lots", "competition_id", "competitions", "competition_id"),
        ("lots", "order_id", "orders", "order_id"),
        ("criteria", "competition_id", "competitions", "competition_id"),
        ("required_documents", "competition_id", "competitions", "competition_id"),
        ("applications", "competition_id", "competitions", "competition_id"),
        ("applications", "lot_id", "lots", "lot_id"),
        ("applications", "ngo_id", "ngos", "ngo_id"),
        ("application_documents", "application_id", "applications", "application_id"),
        ("eligibility", "application_id", "applications", "application_id"),
        ("declarations", "competition_id", "competitions", "competition_id"),
        ("declarations", "evaluator_id", "evaluators", "evaluator_id"),
        ("scores", "application_id", "applications", "application_id"),
        ("scores", "evaluator_id", "evaluators", "evaluator_id"),
        ("awards", "lot_id", "lots", "lot_id"),
        ("awards", "application_id", "applications", "application_id"),
        ("contracts", "award_id", "awards", "award_id"),
        ("schedule", "contract_id", "contracts", "contract_id"),
        ("deliveries", "contract_id", "contracts", "contract_id"),
        ("payments", "contract_id", "contracts", "contract_id"),
    ):
        c.ref(table, col, target, tcol)

    comps = data.competitions.set_index("competition_id")
    for i, r in data.competitions.iterrows():
        if not r.scale_max > r.scale_min:
            c.add("competitions", int(i) + 2, "scale_max", "scale_max must be above scale_min "
                  "(rule: scale)", r.scale_max, f"a number above {r.scale_min}",
                  code="contracting.problem.scale_order", expected_code="gt",
                  bound=f"{r.scale_min:g}")

    # weights add up to 100 %, or an order of importance 1..n
    crit = data.criteria
    award = crit[crit["stage"] == "award"]
    for comp, group in award.groupby("competition_id", sort=False):
        if comp not in comps.index:
            continue
        first = int(group.index[0]) + 2
        if comps.at[comp, "weighting"] == "weights":
            if group["weight"].isna().any():
                for row in _rows(group, group["weight"].isna()):
                    c.add("criteria", row, "weight", f"award criterion of {comp} without a "
                          "weight (rule: published weights)", None, "a weight in %",
                          code="contracting.problem.weight_missing",
                          expected_code="contracting.expected.weight", competition=comp)
                continue
            total = float(group["weight"].sum())
            if abs(total - 100.0) > 1e-6:
                c.add("criteria", first, "weight", f"the award criteria weights of {comp} add "
                      "up to {0:g} % (rule: weights add up to 100 %)".format(total),
                      round(total, 6), "a total of 100",
                      code="contracting.problem.weights_total",
                      expected_code="contracting.expected.total_100", competition=comp,
                      total=f"{total:g}")
        else:
            imp = group["importance"]
            want = list(range(1, len(group) + 1))
            if imp.isna().any() or sorted(int(v) for v in imp.dropna()) != want:
                c.add("criteria", first, "importance", f"the award criteria of {comp} are not "
                      "ranked 1..n each once (rule: order of importance)",
                      ", ".join(str(v) for v in imp.tolist()), ", ".join(map(str, want)),
                      code="contracting.problem.importance",
                      expected_code="contracting.expected.ranks", competition=comp,
                      ranks=", ".join(map(str, want)))
        if (group["aspect"] == "price").sum() > 1:
            c.add("criteria", first, "aspect", f"{comp} has more than one price criterion "
                  "(rule: one price criterion)", None, "at most one",
                  code="contracting.problem.two_prices",
                  expected_code="contracting.expected.one_price", competition=comp)
        if group["aspect"].isna().any():
            for row in _rows(group, group["aspect"].isna()):
                c.add("criteria", row, "aspect", "award criterion without an aspect (rule: "
                      "price or quality)", None, "price or quality",
                      code="contracting.problem.aspect_missing", expected_code="one_of",
                      values="price, quality")
    for comp in comps.index.difference(award["competition_id"].unique()):
        c.add("criteria", None, "competition_id", f"competition {comp} has no award criterion "
              "(rule: award criteria published)", comp, "at least one award criterion",
              code="contracting.problem.no_award",
              expected_code="contracting.expected.award_criterion", competition=comp)

    apps = data.applications
    # lot of the competition; deadline (vectorised: only the bad rows are visited)
    lot_comp = apps["lot_id"].map(data.lots.set_index("lot_id")["competition_id"])
    for i in apps.index[lot_comp.notna() & (lot_comp != apps["competition_id"])]:
        r = apps.loc[i]
        c.add("applications", int(i) + 2, "lot_id", f"lot {r.lot_id} is not a lot of "
              f"{r.competition_id} (rule: lot of the competition)", r.lot_id,
              f"a lot of {r.competition_id}", code="contracting.problem.lot_of_competition",
              expected_code="contracting.expected.lot_of", lot=r.lot_id,
              competition=r.competition_id)
    deadline = apps["competition_id"].map(comps["deadline"])
    ends = apps["competition_id"].map(comps["deadline"].map(_deadline)).dropna()
    late = pd.to_datetime(apps.loc[ends.index, "submitted"], format="ISO8601") > ends
    for i in late.index[late.to_numpy()]:
        c.add("applications", int(i) + 2, "submitted", "application submitted after the "
              f"deadline {deadline[i]} (rule: deadline)", apps.at[i, "submitted"],
              f"no later than {deadline[i]}", code="contracting.problem.after_deadline",
              expected_code="contracting.expected.by_deadline", deadline=deadline[i])

    # scores: criterion, scale, declaration
    sc = data.scores
    comp = sc["application_id"].map(apps.set_index("application_id")["competition_id"])
    known = comp.isin(comps.index)
    quality = pd.MultiIndex.from_frame(award.loc[award["aspect"] == "quality",
                                                 ["competition_id", "criterion_id"]])
    decl = data.declarations[data.declarations["no_conflict"].astype(bool)]
    declared = pd.MultiIndex.from_frame(decl[["competition_id", "evaluator_id"]])
    not_quality = ~pd.MultiIndex.from_arrays([comp, sc["criterion_id"]]).isin(quality)
    lo, hi = comp.map(comps["scale_min"]), comp.map(comps["scale_max"])
    outside = ~((sc["score"] >= lo) & (sc["score"] <= hi))
    undeclared = ~pd.MultiIndex.from_arrays([comp, sc["evaluator_id"]]).isin(declared)
    not_quality = pd.Series(not_quality, index=sc.index)
    undeclared = pd.Series(undeclared, index=sc.index)
    for i in sc.index[known & (not_quality | outside | undeclared)]:
        row, cmp = int(i) + 2, comp[i]
        if not_quality[i]:
            c.add("scores", row, "criterion_id", f"not a quality award criterion of {cmp} "
                  "(rule: evaluators score quality criteria; price by formula)",
                  sc.at[i, "criterion_id"], f"a quality award criterion of {cmp}",
                  code="contracting.problem.not_quality",
                  expected_code="contracting.expected.quality_criterion", competition=cmp)
        if outside[i]:
            c.add("scores", row, "score", "score outside the scale (rule: scale)",
                  sc.at[i, "score"], f"a score from {lo[i]:g} to {hi[i]:g}",
                  code="contracting.problem.off_scale", expected_code="range",
                  low=f"{lo[i]:g}", high=f"{hi[i]:g}")
        if undeclared[i]:
            c.add("scores", row, "evaluator_id", "evaluator scored without a declaration of no "
                  f"conflict of interest for {cmp} (rule: declaration first)",
                  sc.at[i, "evaluator_id"], "a declaration with no_conflict true",
                  code="contracting.problem.no_declaration",
                  expected_code="contracting.expected.declaration", competition=cmp)
    app_comp = apps.set_index("application_id")["competition_id"]

    # eligibility rows refer to pass/fail criteria of the application's competition
    passfail = {(r.competition_id, r.criterion_id) for r in crit.itertuples()
                if r.stage in ("eligibility", "selection")}
    for i, r in data.eligibility.iterrows():
        comp = app_comp.get(r.application_id)
        if comp is not None and (comp, r.criterion_id) not in passfail:
            c.add("eligibility", int(i) + 2, "criterion_id", f"not an eligibility or selection "
                  f"criterion of {comp} (rule: pass/fail criteria)", r.criterion_id,
                  f"an eligibility or selection criterion of {comp}",
                  code="contracting.problem.not_pass_fail",
                  expected_code="contracting.expected.pass_fail", competition=comp)

    app_lot = apps.set_index("application_id")["lot_id"]
    for i, r in data.awards.iterrows():
        if r.application_id in app_lot.index and app_lot[r.application_id] != r.lot_id:
            c.add("awards", int(i) + 2, "application_id", f"application did not apply for lot "
                  f"{r.lot_id} (rule: award to an applicant of the lot)", r.application_id,
                  f"an application to lot {r.lot_id}", code="contracting.problem.award_lot",
                  expected_code="contracting.expected.applicant_of", lot=r.lot_id)

    # payments never exceed the contract value
    value = data.contracts.set_index("contract_id")["value"]
    pays = data.payments.sort_values(["contract_id", "date", "payment_id"], kind="stable")
    paid = pays.groupby("contract_id")["amount"].cumsum()
    for i in pays.index:
        cid = pays.at[i, "contract_id"]
        if cid in value.index and paid[i] > value[cid] + 1e-6:
            room = value[cid] - (paid[i] - pays.at[i, "amount"])
            c.add("payments", int(i) + 2, "amount", f"payments of {cid} reach {paid[i]:.2f}, "
                  f"above the contract value {value[cid]:.2f} (rule: payments within the "
                  "contract value)", pays.at[i, "amount"], f"at most {room:.2f}",
                  code="contracting.problem.payments_above", expected_code="le",
                  contract=cid, paid=f"{paid[i]:.2f}", contract_value=f"{value[cid]:.2f}",
                  bound=f"{room:.2f}")
    return c.problems


def _check_all(data: ContractingData) -> tuple[ContractingData, list[Problem]]:
    problems: list[Problem] = []
    frames: dict[str, pd.DataFrame] = {}
    for name, frame in data.tables().items():
        checked, found = _check_frame(frame, name, data.source(name))
        frames[name] = checked
        problems += found
    coerced = data.replace(**frames)
    return coerced, problems or _check_rules(coerced)


def coerce_contracting(data: ContractingData) -> ContractingData:
    """``data`` with every table coerced to its schema's types; raise on any problem."""
    coerced, problems = _check_all(data)
    if problems:
        raise DataValidationError(problems)
    return coerced


def check_contracting(data: ContractingData) -> list[Problem]:
    """Every problem in ``data`` (schemas, unknown ids, rules); empty when it is sound."""
    return _check_all(data)[1]


def read_contracting(path: str | Path) -> ContractingData:
    """Read and check a region-year; raise :class:`DataValidationError` listing every problem.

    Parameters
    ----------
    path : path
        A folder with one ``<table>.csv`` per table, or an ``.xlsx`` workbook with one sheet per
        table (:data:`~socialkit.contracting.schemas.TABLES`). Tables other than
        :data:`REQUIRED` may be missing.

    Returns
    -------
    ContractingData
        Every table validated and coerced to its schema's types.
    """
    path = Path(path)
    frames, sources, problems = _read_tables(path)
    checked: dict[str, pd.DataFrame] = {}
    for name in TABLES:
        frame = frames.get(name, empty_table(name))
        frame = frame.dropna(how="all") if len(frame) else frame  # keep the row numbers
        ok, found = _check_frame(frame, name, sources[name])
        checked[name] = ok
        problems += found
    if not problems:
        problems = _check_rules(ContractingData(**checked, sources=sources))
    if problems:
        raise DataValidationError(problems, header=f"{len(problems)} problem(s) in {path}")
    return ContractingData(**checked, sources=sources, synthetic=_written_by_demo(path))


def _written_by_demo(path: Path) -> bool:
    """Whether ``socialkit contracting demo`` wrote the folder (its output stamp says so)."""
    import json

    stamp = path / ".socialkit-outputs.json" if path.is_dir() else None
    if stamp is None or not stamp.is_file():
        return False
    try:
        files = json.loads(stamp.read_text(encoding="utf-8")).get("files", {})
    except (ValueError, AttributeError):
        return False
    return bool(files) and all(isinstance(f, dict) and f.get("command") ==
                               "socialkit contracting demo" for f in files.values())


def region_years(path: str | Path) -> list[Path]:
    """The region-years under ``path``: ``path`` itself when it is one (a folder holding
    ``competitions.csv``, or a workbook), else its sub-folders that are, in name order."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx" or (path / "competitions.csv").is_file():
        return [path]
    if not path.is_dir():
        raise FileNotFoundError(f"{path}: no such folder or workbook")
    return [p for p in sorted(path.iterdir())
            if p.is_dir() and (p / "competitions.csv").is_file()]


def read_contracting_all(path: str | Path) -> ContractingData:
    """Every region-year under ``path`` (:func:`region_years`), read, checked and combined
    into one (:func:`~socialkit.contracting.model.combine`). A bad region-year raises the
    error of :func:`read_contracting` that names it."""
    from .model import combine

    return combine([read_contracting(p) for p in region_years(path)])
