"""Fixtures of the maturity tests: a tiny hand-checkable framework and answers."""

from __future__ import annotations

import pandas as pd
import pytest
from maturity_cases import TINY, answers

from socialkit.maturity import load_framework


@pytest.fixture(scope="session")
def tiny():
    return load_framework(TINY)


@pytest.fixture
def tiny_answers() -> pd.DataFrame:
    """Three municipalities, two rounds; m3 skipped the second round.

    m1 r1: A = (50*1 + 100*3)/4 = 87.5; B = (50 + 50 + 25)/3 = 41.667; overall = 64.583.
    """
    return answers([
        ("m1", "2020-12", {"A.1": 2, "A.2": 4, "B.1": 3, "B.2": 1, "B.3": 1}),
        ("m1", "2021-04", {"A.1": 4, "A.2": 4, "B.1": 4, "B.2": 1, "B.3": 2}),
        ("m2", "2020-12", {"A.1": 0, "A.2": 1, "B.1": 1, "B.2": 0, "B.3": None}),
        ("m2", "2021-04", {"A.1": 1, "A.2": None, "B.1": 2, "B.2": 2, "B.3": 2}),
        ("m3", "2020-12", {"A.1": 4, "A.2": 0, "B.1": 5, "B.2": 2, "B.3": 4}),
    ])


@pytest.fixture
def tiny_municipalities() -> pd.DataFrame:
    return pd.DataFrame({"municipality_id": ["m1", "m2", "m3"], "name": ["One", "Two", "Three"],
                         "name_local": ["Один", "Два", "Три"],
                         "region": ["North", "North", "South"],
                         "population": pd.array([5000, 20000, 8000], dtype="Int64")})
