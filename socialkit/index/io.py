"""Reading iData and writing a build's CSVs (all-or-nothing).

Files written by :func:`write_result`: one CSV per stage that ran (``denominated.csv``,
``imputed.csv``, ``screened.csv``, ``treated.csv``, ``normalised.csv``, ``aggregated.csv``:
``uCode`` first, full float precision — Python's shortest round-trip repr), ``results.csv``,
``treatment.csv`` and ``spec.yaml`` (the spec that ran). Files are written all or nothing and
never over files socialkit did not write (:func:`socialkit.files.write_outputs`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import DataValidationError, Problem
from ..files import write_outputs
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


def write_frames(files: dict[str, pd.DataFrame | str], out: str | Path,
                 command: str = "socialkit index", force: bool = False) -> list[Path]:
    """Write ``{file name: frame or text}`` into ``out``, all or nothing.

    Frames become CSV (formula-like text escaped); nothing is written over a file socialkit
    did not write unless ``force`` (:func:`socialkit.files.write_outputs`).
    """
    return list(write_outputs(files, out, command=command, force=force).values())


def write_result(res: IndexResult, out: str | Path, force: bool = False) -> list[Path]:
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
    return write_frames(files, out, command="socialkit index build", force=force)
