"""Private helpers shared by the step modules: panel grouping and stage frames."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd

__all__ = ["id_columns", "replace_columns", "stage_frame", "time_groups"]


def id_columns(data: pd.DataFrame) -> list[str]:
    """``["uCode"]`` plus ``"Time"`` when the data is a panel."""
    return ["uCode"] + (["Time"] if "Time" in data.columns else [])


def time_groups(data: pd.DataFrame, pooled: bool = False) -> Iterator[np.ndarray]:
    """Positional row indices of each Time (or all rows when ``pooled`` or no Time)."""
    if pooled or "Time" not in data.columns:
        yield np.arange(len(data))
        return
    for _, idx in data.groupby("Time", sort=True).indices.items():
        yield np.asarray(idx)


def stage_frame(data: pd.DataFrame, codes: Sequence[str]) -> pd.DataFrame:
    """``uCode`` (+ ``Time``) then ``codes``, as a new frame with a fresh index."""
    cols = id_columns(data) + [c for c in codes if c in data.columns]
    return data[cols].reset_index(drop=True).copy()


def replace_columns(data: pd.DataFrame, cols: Sequence[str], values: np.ndarray) -> pd.DataFrame:
    """A new frame equal to ``data`` with ``cols`` replaced by the columns of ``values``.

    Built in one go from a dict of columns (setting many columns one by one is slow).
    """
    pos = {c: j for j, c in enumerate(cols)}
    return pd.DataFrame({c: (values[:, pos[c]] if c in pos else data[c]) for c in data.columns},
                        index=data.index)
