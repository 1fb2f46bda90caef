"""The analyst's notebook runs under papermill, scoped to one customer, in Russian."""

from __future__ import annotations

import pytest

from socialkit import config
from socialkit.contracting import read_contracting
from socialkit.contracting.scope import for_customer

DEMO = config.contracting_demo_dir().parent  # catalogs/belarus_contracting

pytestmark = pytest.mark.slow


def test_scope_keeps_one_customers_process():
    data = read_contracting(DEMO / "mahiliou_2025")
    one = for_customer(data, "mah-babruisk-ec")
    assert list(one.competitions["competition_id"]) == ["mah-2025-c02"]
    assert list(one.contracts["contract_id"]) == ["mah-2025-k02"]
    assert set(one.payments["contract_id"]) == {"mah-2025-k02"}
    assert set(one.scores["application_id"]) <= set(one.applications["application_id"])
    assert len(one.ngos) == len(data.ngos)  # reference tables stay whole


def test_notebook_runs_scoped_and_in_russian(tmp_path):
    import papermill as pm

    nb = pm.execute_notebook(
        str(config.notebooks_dir() / "state_social_order.ipynb"), str(tmp_path / "out.ipynb"),
        parameters={"catalog": str(DEMO / "mahiliou_2025"), "municipality_id": "mah-babruisk-ec",
                    "lang": "ru"}, kernel_name="python3", progress_bar=False)
    text = "".join(str(o.get("data", o.get("text", ""))) for c in nb["cells"]
                   for o in c.get("outputs", []))
    for needle in ("Протокол конкурса", "mah-2025-c02", "Обзор договоров",
                   "оказание услуг отстаёт от плана", "mah-2025-k02"):
        assert needle in text, needle
    assert "mah-2025-c01" not in text  # another customer's competition
