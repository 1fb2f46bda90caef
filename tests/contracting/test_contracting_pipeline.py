"""Where a competition stands, the provider registry and each contract's status, on the
constructed competition c1 (contracting_tiny.py: four applications, a2 of n2 wins at 10,000,
contract k1 of 3,000 behind plan in Q3 and Q4) and on the demo; the providers command."""

from __future__ import annotations

import pandas as pd
import pytest

from socialkit import config
from socialkit.contracting.load import read_contracting_all, region_years
from socialkit.contracting.model import combine
from socialkit.contracting.pipeline import (
    competition_pipeline,
    contract_status,
    provider_registry,
)

DEMO = config.contracting_demo_dir().parent


@pytest.mark.parametrize("today, stage", [("2025-02-01", "open"), ("2025-02-20", "evaluation")])
def test_the_stage_before_an_award(tiny_data, today, stage):
    before = tiny_data.replace(awards=tiny_data.awards.iloc[0:0],
                               contracts=tiny_data.contracts.iloc[0:0])
    row = competition_pipeline(before, today).iloc[0]
    assert row["stage"] == stage and row["awarded"] == 0 and not row["contested"]


def test_the_stage_after_the_award(tiny_data):
    awarded = tiny_data.replace(contracts=tiny_data.contracts.iloc[0:0])
    assert competition_pipeline(awarded, "2025-03-05").iloc[0]["stage"] == "awarded"
    row = competition_pipeline(tiny_data, "2026-01-01").iloc[0]
    assert (row["stage"], row["applications"], row["organisations"], row["lots"]) == \
        ("contracted", 4, 3, 1)
    assert (row["awarded"], row["contracted"]) == (10000.0, 3000.0)
    contested = tiny_data.awards.assign(complaint=["n1 contests the award"])
    assert competition_pipeline(tiny_data.replace(awards=contested)).iloc[0]["contested"]


def test_provider_registry_by_hand(tiny_data):
    reg = provider_registry(tiny_data).set_index("ngo_id")
    assert list(reg.index) == ["n1", "n2", "n3"]
    assert reg.loc["n3", ["applications", "awards", "contracts"]].tolist() == [2, 0, 0]
    assert reg.at["n3", "applied_for"] == 18500.0
    n2 = reg.loc["n2"]
    assert (n2["awards"], n2["contracts"], n2["contracts_flagged"]) == (1, 1, 1)
    assert n2["flags"] == 6  # test_contracting_monitor: six flags on k1 in Q3 and Q4
    assert (n2["awarded"], n2["contracted"], n2["disbursed"]) == (10000.0, 3000.0, 3000.0)


def test_contract_status_by_hand(tiny_data):
    s = contract_status(tiny_data).iloc[0]
    assert (s["contract_id"], s["ngo_id"], s["customer_id"], s["service_type"]) == \
        ("k1", "n2", "cu1", "home_care")
    assert s["latest"] == "2025-Q4"
    assert s["delivered"] == pytest.approx(600 / 900)
    assert s["paid_share"] == pytest.approx(1.0)
    assert s["flags"] == (("delivery_behind", ("2025-Q3", "2025-Q4")),
                          ("payments_ahead", ("2025-Q3", "2025-Q4")),
                          ("quality_below", ("2025-Q3",)),
                          ("satisfaction_drop", ("2025-Q4",)))


def test_region_years_read_together_equal_each_read_alone(demo_data):
    assert [p.name for p in region_years(DEMO)] == sorted(demo_data)
    both = read_contracting_all(DEMO)
    parts = list(demo_data.values())
    assert len(both.competitions) == sum(len(d.competitions) for d in parts)
    assert both.customers["customer_id"].is_unique
    pd.testing.assert_frame_equal(both.contracts, combine(parts).contracts)
    assert len(read_contracting_all(DEMO / "homel_2025").competitions) == 8


def test_providers_command(tmp_path, cli, demo_data):
    out = tmp_path / "prov"
    code, said = cli("contracting", "providers", DEMO, "--out", out, "--lang", "be")
    assert code == 0 and "выканаўцаў — 36, конкурсаў — 32, дагавораў — 32" in said
    prov = pd.read_csv(out / "providers.csv")
    assert prov["disbursed"].sum() == pytest.approx(
        sum(d.payments["amount"].sum() for d in demo_data.values()), abs=0.05)
    contracts = pd.read_csv(out / "contracts.csv")
    flagged = contracts.dropna(subset=["flags"])
    assert flagged["contract_id"].tolist() == ["hom-2025-k05", "mah-2025-k02"]


def test_providers_command_refuses_a_bad_region_year(tmp_path, cli):
    import shutil

    src = tmp_path / "data"
    shutil.copytree(DEMO / "homel_2025", src / "homel_2025")
    shutil.copytree(DEMO / "mahiliou_2025", src / "mahiliou_2025")
    bad = src / "mahiliou_2025" / "payments.csv"
    bad.write_text(bad.read_text(encoding="utf-8").replace(",2025-Q2,", ",2025-Q9,", 1),
                   encoding="utf-8")
    out = tmp_path / "prov"
    code, _, err = cli("contracting", "providers", src, "--out", out).streams()
    assert code == 1 and "payments.csv" in err and "mahiliou_2025" in err
    assert not out.exists()
