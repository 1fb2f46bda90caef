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
    assert rec["awards"][0]["description"].startswith("Обжаловано: hom-bod-homel: участник")
    assert "Цена (запрашиваемая субсидия) (price, цена): 40 %" in \
        rec["tender"]["awardCriteriaDetails"]
    assert rec["tender"]["awardCriteria"] == "ratedCriteria"
    assert rec["tender"]["numberOfTenderers"] == 2
    assert "[квалификационный отбор (да/нет)]" in rec["tender"]["eligibilityCriteria"]


_TEXTS = ("title", "description", "rationale", "awardCriteriaDetails", "eligibilityCriteria",
          "procurementMethodDetails", "name")


def _texts(node, key=None):
    """Every free text of a release (ids, codes and dates are not texts)."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _texts(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from _texts(v, key)
    elif isinstance(node, str) and key in _TEXTS:
        yield key, node


def test_every_text_is_in_the_release_language(exported, demo_data):
    """OCDS 'language' is the default language of the data: no English in a Russian release."""
    import re

    _, rels, _ = exported["homel_2025"]
    n = 0
    for releases in rels.values():
        for rel in releases:
            assert rel["language"] == "ru"
            for key, text in _texts(rel):
                n += 1
                assert re.search("[а-яё]", text, re.I), (rel["id"], key, text)
                for english in ("Award criteria", "hours", "visits", "clients", "Contested",
                                "State social order", "Maximum subsidy", "district", "Price"):
                    assert english not in text, (rel["id"], key, text)
    assert n > 100
    en = build_releases(demo_data["homel_2025"], "en")[f"{OCID_PREFIX}-hom-2025-c01"]
    tender = en[1]["tender"]
    assert en[0]["language"] == "en" and tender["lots"][0]["title"].startswith("Homel district")
    assert tender["awardCriteriaDetails"].startswith("Award criteria with published weights: "
                                                     "Price (subsidy asked) (price, price): 40 %")
    assert [i["unit"]["name"] for i in tender["items"]] == ["clients", "hours", "visits"]
    assert validate_package(release_package(
        build_releases(demo_data["homel_2025"], "be"), uri=URI)) == []


def test_codelists_tags_and_party_roles(exported):
    for _, rels, compiled in exported.values():
        for ocid, releases in rels.items():
            tags = {r["tag"][0]: r["tag"] for r in releases}
            if "award" in tags:  # the award release also completes the tender
                assert tags["award"] == ["award", "tenderUpdate"]
            rec = compiled[ocid]
            roles = {p["id"]: set(p["roles"]) for p in rec["parties"]}
            assert {"buyer", "procuringEntity", "payer"} <= roles[rec["buyer"]["id"]]
            for t in rec["tender"].get("tenderers", []):
                assert "tenderer" in roles[t["id"]]
            for a in rec.get("awards", []):
                assert "supplier" in roles[a["suppliers"][0]["id"]]
            for c in rec.get("contracts", []):
                impl = c.get("implementation", {})
                for tr in impl.get("transactions", []):
                    assert "payer" in roles[tr["payer"]["id"]], ocid
                    assert "payee" in roles[tr["payee"]["id"]], ocid
                for m in impl.get("milestones", []):
                    assert ("dateMet" in m) == (m["status"] == "met"), m


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
