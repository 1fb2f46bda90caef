"""Reading iData and writing a build's CSVs (all-or-nothing).

Files written by :func:`write_result`: one CSV per stage that ran (``denominated.csv``,
``imputed.csv``, ``screened.csv``, ``treated.csv``, ``normalised.csv``, ``aggregated.csv``:
``uCode`` first, full float precision — Python's shortest round-trip repr), ``results.csv``,
``treatment.csv`` and ``spec.yaml`` (the spec that ran). Files are first written to a
temporary folder next to the target and moved in only when all of them succeeded.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pandas as pd

from ..errors import DataValidationError, Problem
from .build import IndexResult

__all__ = ["read_idata", "write_frames", "write_result"]


def read_idata(path: str | Path) -> pd.DataFrame:
    """Read an iData CSV (codes and Time kept as text)."""
    path = Path(path)
    if not path.is_file():
        raise DataValidationError([Problem(str(path), "file not found", expected="an iData CSV")])
    try:
        return pd.read_csv(path, dtype={"uCode": str, "uName": str, "Time": str})
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise DataValidationError([Problem(str(path), f"cannot parse CSV: {exc}")]) from exc


def write_frames(files: dict[str, pd.DataFrame | str], out: str | Path) -> list[Path]:
    """Write ``{file name: frame or text}`` into ``out``, all or nothing.

    Everything is written to a temporary folder next to ``out`` first and moved in only when
    every file succeeded.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".index-", dir=out.parent))
    try:
        for name, obj in files.items():
            if isinstance(obj, str):
                (tmp / name).write_text(obj, encoding="utf-8")
            else:
                obj.to_csv(tmp / name, index=False)
        out.mkdir(exist_ok=True)
        written = []
        for name in files:
            shutil.move(str(tmp / name), out / name)
            written.append(out / name)
        return written
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_result(res: IndexResult, out: str | Path) -> list[Path]:
    """Write the stage CSVs, ``results.csv``, ``treatment.csv`` and ``spec.yaml`` to ``out``.

    Returns
    -------
    list of Path
        The files written, in order.
    """
    files: dict[str, pd.DataFrame | str] = {f"{k}.csv": v for k, v in res.stages.items()}
    files["results.csv"] = res.results
    files["treatment.csv"] = res.treatment
    files["spec.yaml"] = res.spec.to_yaml()
    return write_frames(files, out)
