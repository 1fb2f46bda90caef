"""Step ``screen``: drop units with too little data.

Conventions followed
--------------------
COINr ``Screen(unit_screen = "byNA", dat_thresh = ...)``: data availability of a unit is the
share of its Level-1 indicators that are not missing,
:math:`a_i = \\#\\{j : x_{ij} \\ne NA\\} / p`; a unit is removed when :math:`a_i <` ``threshold``
(default 2/3). With ``by: zeros`` (COINr ``byzeros``) a unit is removed when its share of
non-zero values *among its available indicators*,
:math:`1 - \\#\\{j : x_{ij} = 0\\} / \\#\\{j : x_{ij} \\ne NA\\}` (COINr ``get_data_avail``'s
``Non_Zero``), is below ``nonzero_threshold`` (COINr's ``nonzero_thresh``, default 0.05: a
unit with more than 95 % zeros); a unit with no available value has no such share and is
not removed by this rule (the ``na`` rule removes it). ``na_and_zeros`` applies both. ``force: {uCode: true|false}`` keeps or removes a unit regardless (COINr ``Force``).
In a panel each unit-Time row is screened on its own.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DataValidationError, Problem
from ..frameworks.index_spec import ScreenParams
from .meta import Framework

__all__ = ["data_availability", "screen"]


def data_availability(data: pd.DataFrame, fw: Framework) -> np.ndarray:
    """Share of non-missing indicators per row."""
    x = data[list(fw.indicators)].to_numpy(dtype=float)
    return (~np.isnan(x)).mean(axis=1)


def screen(data: pd.DataFrame, fw: Framework, params: ScreenParams | None = None,
           source: str = "spec") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep the units with data availability at or above the threshold.

    Returns
    -------
    kept : pandas.DataFrame
        Rows of ``data`` that pass, index reset.
    removed : pandas.DataFrame
        ``uCode`` (+ ``Time``), ``availability`` and ``nonzero`` of the removed rows.

    Examples
    --------
    >>> import pandas as pd
    >>> from socialkit.index.meta import Framework
    >>> fw = Framework(("x", "y", "z"), {1: ("x", "y", "z")}, {}, {}, {}, {}, {}, {}, ())
    >>> df = pd.DataFrame({"uCode": ["a", "b"], "x": [1.0, None], "y": [1.0, None],
    ...                    "z": [None, 2.0]})
    >>> screen(df, fw)[0]["uCode"].tolist()
    ['a']
    """
    params = params or ScreenParams()
    avail = data_availability(data, fw)
    x = data[list(fw.indicators)].to_numpy(dtype=float)
    n_avail = (~np.isnan(x)).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        nonzero = 1 - (x == 0).sum(axis=1) / n_avail
    keep = np.ones(len(data), dtype=bool)
    if params.by in ("na", "na_and_zeros"):
        keep &= avail >= params.threshold - 1e-12
    if params.by in ("zeros", "na_and_zeros"):
        keep &= ~(nonzero < params.nonzero_threshold - 1e-12)
    codes = data["uCode"].astype(str).to_numpy()
    unknown = sorted(set(params.force) - set(codes))
    if unknown:
        raise DataValidationError([Problem(source, f"screen.force names unit '{unknown[0]}', "
                                           "which is not in the data", column="uCode",
                                           value=unknown[0], expected="a uCode of iData")])
    for code, include in params.force.items():
        keep[codes == code] = include
    cols = ["uCode"] + (["Time"] if "Time" in data else [])
    removed = data.loc[~keep, cols].reset_index(drop=True)
    removed["availability"] = avail[~keep]
    removed["nonzero"] = nonzero[~keep]
    return data.loc[keep].reset_index(drop=True), removed
