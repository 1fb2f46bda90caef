from __future__ import annotations

import pandas as pd

from socialkit.plots.tables import dataframe_html


def test_range_index_is_hidden_and_missing_is_a_dash():
    html = dataframe_html(pd.DataFrame({"a": [1.5, None]}))
    assert "<th>0</th>" not in html and "–" in html


def test_meaningful_index_is_kept():
    html = dataframe_html(pd.DataFrame({"a": [1]}, index=pd.Index(["Lyman"], name="name")))
    assert "Lyman" in html
