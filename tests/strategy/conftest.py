"""Fixtures of the strategy tests: the committed demo cycles, read and built once a session,
and a copy of a cycle a test may break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from socialkit import config

DEMO = config.PROJECT_ROOT / "catalogs" / "strategy"


@pytest.fixture(scope="session")
def cantemir():
    from socialkit.strategy.inputs import read_cycle

    return read_cycle(DEMO / "md_cantemir")


@pytest.fixture(scope="session")
def mykolaivka():
    from socialkit.strategy.inputs import read_cycle

    return read_cycle(DEMO / "ua_mykolaivka")


@pytest.fixture(scope="session")
def cantemir_strategy(cantemir):
    from socialkit.strategy.build import build_strategy

    return build_strategy(cantemir, ("ro", "en"))


@pytest.fixture(scope="session")
def mykolaivka_strategy(mykolaivka):
    from socialkit.strategy.build import build_strategy

    return build_strategy(mykolaivka, ("uk", "en"))


@pytest.fixture
def cycle_copy(tmp_path: Path) -> Path:
    """A copy of the Cantemir cycle (no catalog: fast) that a test may edit."""
    dst = tmp_path / "md_cantemir"
    shutil.copytree(DEMO / "md_cantemir", dst)
    return dst
