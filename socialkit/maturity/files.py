"""Read the inputs of an assessment from a catalog and write its tables to a folder."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..config import default_lang
from ..data import load, resolve_catalog
from ..data.catalog import catalog_currency, entry_source, open_catalog
from ..errors import DataValidationError, Problem
from ..files import write_outputs as _write_outputs
from ..memo import fingerprint, memoised
from .assess import MaturityResult, assess
from .excel import write_excel
from .report import text_tables

__all__ = ["EXCEL_NAME", "assess_catalog", "read_targets", "responses_source", "write_outputs"]

#: File name of the workbook :func:`write_outputs` writes.
EXCEL_NAME = "maturity.xlsx"


def read_targets(path: str | Path) -> pd.DataFrame:
    """Read a targets CSV: ``municipality_id`` (empty or ``*`` = all), ``dimension``,
    ``target_level``."""
    path = Path(path)
    if not path.is_file():
        raise DataValidationError([Problem(str(path), "file not found",
                                           expected="a CSV with municipality_id, dimension, "
                                           "target_level")])
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    problems = [Problem(str(path), f"missing column '{c}'", column=c,
                        expected="columns municipality_id, dimension, target_level")
                for c in ("dimension", "target_level") if c not in df.columns]
    if not problems:
        num = pd.to_numeric(df["target_level"], errors="coerce")
        problems = [Problem(str(path), "not a whole number", row=int(i) + 2,
                            column="target_level", value=df.at[i, "target_level"],
                            expected="a level number such as 3")
                    for i in df.index[num.isna() | (num != num.round())]]
        df["target_level"] = num
    if problems:
        raise DataValidationError(problems, header=f"{len(problems)} problem(s) in {path}")
    df["target_level"] = df["target_level"].astype(int)
    return df


def responses_source(catalog: str | Path | None = None) -> str:
    """Where the catalog's ``maturity_responses`` come from (a file path or a query)."""
    path = resolve_catalog(catalog)
    return entry_source(open_catalog(path), "maturity_responses", path)


def assess_catalog(catalog: str | Path | None = None, framework: str | Path | None = None,
                   targets: object = None, capacity: int = 3, round: str | None = None
                   ) -> MaturityResult:
    """Load ``maturity_responses`` and ``municipalities`` from a catalog and assess them.

    ``catalog`` defaults to :func:`socialkit.config.default_catalog`; ``targets`` may be a
    CSV path (see :func:`read_targets`) or anything :func:`socialkit.maturity.assess` takes;
    ``round`` is the round gaps and plans start from (default: each municipality's latest).
    The result is language-free: a batch assesses once for reports in every language.
    """
    path = resolve_catalog(catalog)
    responses = load("maturity_responses", path)
    municipalities = load("municipalities", path)
    source = entry_source(open_catalog(path), "maturity_responses", path)
    currency = catalog_currency(path)
    if isinstance(targets, str | Path):
        targets = read_targets(targets)

    def compute() -> MaturityResult:
        return assess(responses, framework, municipalities=municipalities, targets=targets,
                      capacity=capacity, round=round, source=source, currency=currency)

    if targets is not None and not isinstance(targets, pd.DataFrame):
        return compute()
    # Batch reports run many municipalities in one warm kernel on the same data: assess once.
    frames = {"responses": responses, "municipalities": municipalities}
    if isinstance(targets, pd.DataFrame):
        frames["targets"] = targets
    key = ("assess_catalog", fingerprint(frames), str(framework), capacity, round, source,
           currency)
    return memoised(key, compute)


def write_outputs(result: MaturityResult, out: str | Path, lang: str | None = None,
                  force: bool = False) -> dict[str, Path]:
    """Write every table as ``<name>.csv`` and all of them as ``maturity.xlsx`` into ``out``.

    All or nothing, and never over a file socialkit did not write unless ``force``
    (:func:`socialkit.files.write_outputs`). Returns ``{name: path}`` (``"excel"`` for the
    workbook). The text columns (progress statements, action titles) and the workbook are in
    ``lang`` (default :func:`socialkit.config.default_lang`).
    """
    lang = lang or default_lang()
    files: dict[str, object] = {f"{name}.csv": frame
                                for name, frame in text_tables(result, lang).items()}
    files[EXCEL_NAME] = lambda tmp: write_excel(result, tmp, lang)
    written = _write_outputs(files, out, command="socialkit maturity", force=force)
    return {("excel" if name == EXCEL_NAME else name.removesuffix(".csv")): path
            for name, path in written.items()}
