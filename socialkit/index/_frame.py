"""Private helpers shared by the step modules: panel grouping and stage frames."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd

__all__ = ["id_columns", "stage_frame", "time_groups"]


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
