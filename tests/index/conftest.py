"""Tiny hand-checkable index: 4 units, 4 indicators in 2 pillars, 1 index."""

from pathlib import Path

import pandas as pd
import pytest

# COINr's ASEM example (MIT; licence and source beside the files).
ASEM = Path(__file__).parent / "data" / "coinr-asem"


@pytest.fixture
def imeta() -> pd.DataFrame:
    return pd.DataFrame({
        "Level": [1, 1, 1, 1, 2, 2, 3, None],
        "iCode": ["a", "b", "c", "d", "P1", "P2", "Index", "pop"],
        "iName": ["A", "B", "C", "D", "Pillar 1", "Pillar 2", "Index", "Population"],
        "Direction": [1, 1, -1, 1, 1, 1, 1, None],
        "Weight": [1, 1, 1, 3, 1, 1, 1, None],
        "Parent": ["P1", "P1", "P2", "P2", "Index", "Index", None, None],
        "Type": ["Indicator"] * 4 + ["Aggregate"] * 3 + ["Denominator"],
        "Denominator": [None, "pop", None, None, None, None, None, None],
        "Target": [4, 40, 1, 10, None, None, None, None],
    })


@pytest.fixture
def idata() -> pd.DataFrame:
    return pd.DataFrame({
        "uCode": ["U1", "U2", "U3", "U4"],
        "uName": ["One", "Two", "Three", "Four"],
        "grp": ["x", "x", "y", "y"],
        "pop": [1.0, 2.0, 4.0, 5.0],
        "a": [1.0, 2.0, 3.0, 4.0],
        "b": [10.0, 40.0, 40.0, 100.0],
        "c": [4.0, 3.0, 2.0, 1.0],
        "d": [0.0, 5.0, None, 10.0],
    })


@pytest.fixture(scope="session")
def asem():
    """The COINr ASEM example (51 units × 49 indicators), shipped in tests/index/data."""
    from socialkit.index import read_imeta
    from socialkit.index.io import read_idata

    return read_idata(ASEM / "ASEM_iData.csv"), read_imeta(ASEM / "ASEM_iMeta.csv")
