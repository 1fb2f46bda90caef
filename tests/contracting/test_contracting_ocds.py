"""OCDS 1.1: releases validate offline against the shipped schema and round-trip."""

from __future__ import annotations

import copy
import socket

import pandas as pd
import pytest

from socialkit.contracting import money_flows
from socialkit.contracting.flatten import SHEETS, flatten_compiled
from socialkit.contracting.ocds import (
    OCID_PREFIX,
    build_releases,
    compile_records,
    record_package,
    release_package,
    validate_package,
)
from socialkit.errors import DataValidationError

URI = "https://example.org/socialkit/release-package.json"


@pytest.fixture(scope="module")
def exported(demo_data):
    out = {}
    for key, data in demo_data.items():
        rels = build_releases(data)
        out[key] = (data, rels, compile_records(rels))
    return out


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network used")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_packages_validate_offline(demo_data, no_network):
    for data in demo_data.values():
        rels = build_releases(data)
        assert validate_package(release_package(rels, uri=URI)) == []
        assert validate_package(record_package(rels, uri=URI), "record") == []
    # the full jsonschema pass (one process at a time) agrees on valid data
    rels = build_releases(demo_data["homel_2025"])
    assert validate_package(release_package(rels, uri=URI), fast=False) == []
    assert validate_package(record_package(rels, uri=URI), "record", fast=False) == []


def test_one_ocid_per_competition_and_the_five_stages(exported):
    data, rels, _ = exported["homel_2025"]
    assert sorted(rels) == sorted(f"{OCID_PREFIX}-{c}" for c in data.competitions["competition_id"])
    tags = [r["tag"][0] for r in rels[f"{OCID_PREFIX}-hom-2025-c01"]]
    assert tags == ["planning", "tender", "award", "contract", "implementation"]
    dates = [r["date"] for r in rels[f"{OCID_PREFIX}-hom-2025-c01"]]
    assert dates == sorted(dates)


def test_compiled_record_round_trips_award_contract_and_payments(exported):
    for data, _, compiled in exported.values():
        awards = data.awards.set_index("award_id")
        contracts = data.contracts.set_index("contract_id")
        paid = data.payments.groupby("contract_id")["amount"].sum()
        n_awards = n_contracts = 0
        for ocid, rec in compiled.items():
            assert rec["ocid"] == ocid and rec["tag"] == ["compiled"]
            for a in rec.get("awards", []):
                n_awards += 1
                assert a["value"]["amount"] == pytest.approx(awards.at[a["id"], "value"])
                ngo = data.applications.set_index("application_id").at[
                    awards.at[a["id"], "application_id"], "ngo_id"]
                assert a["suppliers"][0]["id"] == ngo
            for c in rec.get("contracts", []):
                n_contracts += 1
                assert c["value"]["amount"] == pytest.approx(contracts.at[c["id"], "value"])
                assert c["awardID"] == contracts.at[c["id"], "award_id"]
                trans = c.get("implementation", {}).get("transactions", [])
                assert sum(t["value"]["amount"] for t in trans) == pytest.approx(
                    paid.get(c["id"], 0.0))
        assert (n_awards, n_contracts) == (len(awards), len(contracts))


def test_contested_award_and_weights_are_published(exported):
    _, _, compiled = exported["homel_2025"]
    rec = compiled[f"{OCID_PREFIX}-hom-2025-c01"]
    assert rec["awards"][0]["description"].startswith("Contested:")
    assert "Price (subsidy asked) (price, price): 40 %" in rec["tender"]["awardCriteriaDetails"]
    assert rec["tender"]["awardCriteria"] == "ratedCriteria"
    assert rec["tender"]["numberOfTenderers"] == 2
    assert "[selection]" in rec["tender"]["eligibilityCriteria"]


def test_an_invalid_package_is_refused_naming_the_field(exported):
    _, rels, _ = exported["homel_2025"]
    pkg = copy.deepcopy(release_package(rels, uri=URI))
    del pkg["releases"][0]["date"]
    pkg["releases"][1]["tender"]["value"]["amount"] = "a lot"
    problems = validate_package(pkg, raise_on_error=False)
    where = {p.column for p in problems}
    assert {"releases/0", "releases/1/tender/value/amount"} <= where
    with pytest.raises(DataValidationError, match="does not validate against OCDS 1.1"):
        validate_package(pkg)
    dup = copy.deepcopy(release_package(rels, uri=URI))
    dup["releases"].append(copy.deepcopy(dup["releases"][0]))
    problems = validate_package(dup, raise_on_error=False)
    assert any("duplicate release id" in p.message for p in problems)


def test_flat_workbook_sheets_and_money_flows(exported):
    data, _, compiled = exported["mahiliou_2025"]
    sheets = flatten_compiled(compiled)
    assert list(sheets) == list(SHEETS)
    assert len(sheets["tenders"]) == len(data.competitions)
    assert len(sheets["awards"]) == len(data.awards)
    assert len(sheets["contracts"]) == len(data.contracts)
    assert len(sheets["transactions"]) == len(data.payments)
    assert sheets["transactions"]["contracts/implementation/transactions/value/amount"].sum() == \
        pytest.approx(data.payments["amount"].sum())
    behind = sheets["milestones"].set_index("contracts/implementation/milestones/id")
    assert behind.at["mah-2025-k02-2025-Q4", "contracts/implementation/milestones/status"] == \
        "partiallyMet"
    flows = money_flows(data)
    assert flows["applied_for"].sum() == pytest.approx(data.applications["price"].sum())
    assert flows["awarded"].sum() == pytest.approx(data.awards["value"].sum())
    assert flows["disbursed"].sum() == pytest.approx(data.payments["amount"].sum())
    assert (flows["disbursed"] <= flows["awarded"] + 1e-9).all()
    assert pd.api.types.is_integer_dtype(flows["applications"])
