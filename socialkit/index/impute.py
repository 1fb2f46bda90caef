"""Step ``impute``: fill missing indicator values column by column.

Conventions followed
--------------------
COINr ``i_mean``, ``i_median``, ``i_mean_grp``, ``i_median_grp`` with ``impute_by = "column"``:
each missing value of an indicator is replaced by the mean/median of the observed values of
that indicator — over all units, or over the units of the same group (``group`` column of
iData). A group with no observed value leaves its gaps missing, and so does a unit whose
group is missing (COINr excludes rows with an ``NA`` group). In a panel each Time is
imputed separately (COINr imputes each coin of a purse separately).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from ..errors import DataValidationError, Problem
from ..frameworks.index_spec import ImputeParams
from ._frame import replace_columns, time_groups
from .meta import Framework

__all__ = ["IMPUTERS", "impute"]


def _fill(stat: str) -> Callable[[pd.DataFrame, pd.Series | None], pd.DataFrame]:
    def run(x: pd.DataFrame, groups: pd.Series | None) -> pd.DataFrame:
        if groups is None:
            return x.fillna(getattr(x, stat)())
        filled = x.groupby(groups.to_numpy(), dropna=True).transform(stat)
        return x.fillna(filled)
    return run


#: Imputation methods by name; each takes the indicator block and the group labels (or None).
IMPUTERS: dict[str, Callable[[pd.DataFrame, pd.Series | None], pd.DataFrame]] = {
    "mean": _fill("mean"),
    "median": _fill("median"),
    "mean_group": _fill("mean"),
    "median_group": _fill("median"),
}


def impute(data: pd.DataFrame, fw: Framework, params: ImputeParams | None = None,
           source: str = "iData") -> pd.DataFrame:
    """Return a copy of ``data`` with missing indicator values imputed.

    Parameters
    ----------
    data : pandas.DataFrame
        Working data.
    fw : Framework
        The index tree.
    params : ImputeParams
        ``method`` and, for group methods, ``group``.

    Returns
    -------
    pandas.DataFrame

    Notes
    -----
    ``mean``: :math:`\\hat x_{ij} = \\bar x_j`; ``mean_group``:
    :math:`\\hat x_{ij} = \\bar x_{g(i) j}` over the observed units of unit *i*'s group.

    Examples
    --------
    >>> import pandas as pd
    >>> from socialkit.index.meta import Framework
    >>> fw = Framework(("x",), {1: ("x",)}, {}, {"x": None}, {"x": 1}, {"x": 1.0},
    ...                {"x": float("nan")}, {}, ())
    >>> df = pd.DataFrame({"uCode": list("abc"), "x": [1.0, None, 5.0]})
    >>> impute(df, fw)["x"].tolist()
    [1.0, 3.0, 5.0]
    """
    params = params or ImputeParams()
    groups = None
    if params.group:
        if params.group not in data.columns:
            raise DataValidationError([Problem(source, f"group column '{params.group}' named "
                                               "by impute is not in the data",
                                               column=params.group,
                                               expected="one of " + ", ".join(map(str, data.columns)))])
        groups = data[params.group].astype("object")
    cols = list(fw.indicators)
    func = IMPUTERS[params.method]
    block = data[cols].to_numpy(dtype=float)
    filled = block.copy()
    for idx in time_groups(data):
        sub = pd.DataFrame(block[idx], columns=cols)
        g = None if groups is None else groups.iloc[idx]
        filled[idx] = func(sub, g).to_numpy(dtype=float)
    return replace_columns(data, cols, filled)
