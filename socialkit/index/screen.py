"""Step ``screen``: drop units with too little data.

Conventions followed
--------------------
COINr ``Screen(unit_screen = "byNA", dat_thresh = ...)``: data availability of a unit is the
share of its Level-1 indicators that are not missing,
:math:`a_i = \\#\\{j : x_{ij} \\ne NA\\} / p`; a unit is removed when :math:`a_i <` ``threshold``
(default 2/3). In a panel each unit-Time row is screened on its own.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .meta import Framework
from .spec import ScreenParams

__all__ = ["data_availability", "screen"]


def data_availability(data: pd.DataFrame, fw: Framework) -> np.ndarray:
    """Share of non-missing indicators per row."""
    x = data[list(fw.indicators)].to_numpy(dtype=float)
    return (~np.isnan(x)).mean(axis=1)


def screen(data: pd.DataFrame, fw: Framework,
           params: ScreenParams | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep the units with data availability at or above the threshold.

    Returns
    -------
    kept : pandas.DataFrame
        Rows of ``data`` that pass, index reset.
    removed : pandas.DataFrame
        ``uCode`` (+ ``Time``) and ``availability`` of the removed rows.

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
    keep = avail >= params.threshold - 1e-12
    cols = ["uCode"] + (["Time"] if "Time" in data else [])
    removed = data.loc[~keep, cols].reset_index(drop=True)
    removed["availability"] = avail[~keep]
    return data.loc[keep].reset_index(drop=True), removed
