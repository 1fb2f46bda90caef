"""Helpers shared by the maturity tests (a tiny framework and an answers builder)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
TINY = HERE / "tiny_framework.yaml"
ITEMS = ("A.1", "A.2", "B.1", "B.2", "B.3")


def answers(rows: list[tuple[str, str, dict[str, float | None]]]) -> pd.DataFrame:
    """``[(municipality, round, {item: score})]`` -> a maturity_responses table."""
    out = [(m, r, i, s, "head") for m, r, sc in rows for i, s in sc.items()]
    df = pd.DataFrame(out, columns=["municipality_id", "round", "item_id", "score",
                                    "respondent_role"])
    df["score"] = df["score"].astype("float64")
    return df
