"""Step ``denominate``: divide indicators by a denominator column.

Conventions followed
--------------------
COINr ``Denominate()``: for each indicator whose iMeta ``Denominator`` names a column,
:math:`x'_{i} = x_{i} / d_{i}` (times ``scale``, default 1). Indicators with no denominator
are unchanged. A zero denominator gives a missing value (R gives ``Inf``/``NaN``; we do not
let an infinity flow into the index).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..frameworks.index_spec import DenominateParams
from ._frame import replace_columns
from .meta import Framework

__all__ = ["denominate"]


def denominate(data: pd.DataFrame, fw: Framework,
               params: DenominateParams | None = None) -> pd.DataFrame:
    """Return a copy of ``data`` with each indicator divided by its denominator column.

    Parameters
    ----------
    data : pandas.DataFrame
        Validated iData (one row per unit, or per unit and Time).
    fw : Framework
        From :func:`socialkit.index.meta.framework`.
    params : DenominateParams, optional
        ``scale`` multiplies every ratio.

    Returns
    -------
    pandas.DataFrame
        Same shape as ``data``.

    Examples
    --------
    >>> import pandas as pd
    >>> from socialkit.index.meta import Framework
    >>> fw = Framework(("x",), {1: ("x",)}, {}, {"x": None}, {"x": 1}, {"x": 1.0},
    ...                {"x": float("nan")}, {"x": "pop"}, ())
    >>> denominate(pd.DataFrame({"uCode": ["a"], "x": [10.0], "pop": [4.0]}), fw)["x"].item()
    2.5
    """
    params = params or DenominateParams()
    codes = list(fw.denominators)
    if not codes:
        return data.copy()
    num = data[codes].to_numpy(dtype=float)
    den = data[[fw.denominators[c] for c in codes]].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = num / np.where(den == 0, np.nan, den) * params.scale
    return replace_columns(data, codes, ratio)
