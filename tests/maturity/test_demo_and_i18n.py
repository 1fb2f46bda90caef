"""The demo generator part for maturity_responses, and the maturity message catalogs."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from socialkit.data.demo import geography
from socialkit.data.demo import maturity as part
from socialkit.data.schemas import SCHEMAS
from socialkit.i18n import available_keys
from socialkit.maturity import assess, load_framework


@pytest.fixture(scope="module")
def geo():
    return geography.generate(np.random.default_rng([2021, 0]), 12)


@pytest.fixture(scope="module")
def demo(geo):
    return part.generate(np.random.default_rng(5), geo)["maturity_responses"]


def test_deterministic_and_valid(geo, demo):
    again = part.generate(np.random.default_rng(5), geo)["maturity_responses"]
    pd.testing.assert_frame_equal(demo, again)
    SCHEMAS["maturity_responses"].validate(demo)
    fw = load_framework()
    assert set(demo["item_id"]) == set(fw.items_frame()["item_id"])
    assert set(demo["round"]) == {"2020-12", "2021-04"}
    roles = demo.drop_duplicates("item_id").set_index("item_id")["respondent_role"]
    assert roles["DAT.1"] == "social_worker"


def test_warts(geo, demo):
    mun = geo["municipalities"]["municipality_id"]
    last = demo[demo["municipality_id"] == mun.iloc[-1]]
    assert set(last["round"]) == {"2020-12"}                     # skipped the follow-up
    assert 0.01 < demo["score"].isna().mean() < 0.08
    res = assess(demo, municipalities=geo["municipalities"])
    thin = res.scores[res.scores["status"] == "insufficient_data"]
    assert ((thin["municipality_id"] == mun.iloc[1]) & (thin["round"] == "2020-12")).any()
    overall = res.scores[res.scores["code"] == "overall"].pivot(
        index="municipality_id", columns="round", values="score")
    assert (overall["2021-04"] > overall["2020-12"]).mean() > 0.6   # most improve


def test_message_catalogs_match_and_cover_the_code():
    en = {k for k in available_keys("en") if k.startswith("maturity.")}
    uk = {k for k in available_keys("uk") if k.startswith("maturity.")}
    assert en == uk
    root = Path(__file__).resolve().parents[2]
    sources = [*(root / "socialkit" / "maturity").glob("*.py"),
               root / "socialkit" / "cli" / "maturity.py",
               root / "notebooks" / "digital_maturity.ipynb"]
    used = set()
    for path in sources:
        used |= set(re.findall(r"maturity\.[a-z_]+(?:\.[a-z_]+)*(?=[\"'])",
                               path.read_text(encoding="utf-8")))
    used = {k for k in used if not k.endswith(".") and k.count(".") >= 1}
    dynamic = {"maturity.columns", "maturity.sheets", "maturity.gap_status",
               "maturity.directions", "maturity.peer_groups", "maturity.progress"}
    missing = {k for k in used - en if k not in dynamic and k != "maturity.xlsx"}
    assert not missing
    for group in ("gap_status", "directions", "peer_groups"):
        assert any(k.startswith(f"maturity.{group}.") for k in en)
