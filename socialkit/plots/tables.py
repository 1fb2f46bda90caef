"""How DataFrames look in report notebooks: no meaningless row numbers, missing shown as "–".

:func:`register_table_formatter` installs an IPython HTML formatter for DataFrames that hides a
default ``RangeIndex`` (the 0, 1, 2 … an official should never see) while keeping a meaningful
index (e.g. municipality names). :func:`socialkit.plots.setup` calls it.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["dataframe_html", "register_table_formatter"]


def dataframe_html(frame: pd.DataFrame) -> str:
    """HTML of ``frame`` for a report: RangeIndex hidden, missing values as an en dash."""
    plain_index = isinstance(frame.index, pd.RangeIndex) and frame.index.name is None
    return frame.to_html(index=not plain_index, na_rep="–", border=0,
                         classes="dataframe socialkit-table", escape=True)


def register_table_formatter() -> bool:
    """Render DataFrames with :func:`dataframe_html` in the running IPython kernel.

    Returns False (and does nothing) outside IPython.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return False
    shell = get_ipython()
    if shell is None:
        return False
    formatter = shell.display_formatter.formatters["text/html"]
    formatter.for_type(pd.DataFrame, dataframe_html)
    return True
